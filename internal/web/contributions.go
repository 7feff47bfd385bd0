package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"aidbridge/internal/access"
	"aidbridge/internal/contribution"
	"aidbridge/internal/domain"
)

// The pages of contributions: the list with its filters and its totals per
// currency, a contribution with its history, and its forms.

// contributionsPage is the list of contributions.
type contributionsPage struct {
	Filter       domain.ContributionFilter
	Filtered     bool // whether any filter is set, for the empty state
	Items        []domain.Contribution
	Totals       []domain.Money // of every contribution the filters select
	OrgNames     map[string]string
	ProgramNames map[string]string
	Orgs         []choice
	Programs     []choice
	Partnerships []choice
	Kinds        []domain.ContributionKind
	Next, First  string
	CanCreate    bool
	NewLink      string // the form of a new contribution, with the filters' parties as hints
}

// contributionFilter reads the filters of the list from the query.
func contributionFilter(q url.Values) domain.ContributionFilter {
	return domain.ContributionFilter{OrganizationID: q.Get("organization_id"), GiverID: q.Get("giver_id"), RecipientID: q.Get("recipient_id"),
		PartnershipID: q.Get("partnership_id"), ProgramID: q.Get("program_id"),
		Country: strings.ToUpper(strings.TrimSpace(q.Get("country"))), Kind: q.Get("kind"),
		Currency: strings.ToUpper(strings.TrimSpace(q.Get("currency"))), Cursor: q.Get("cursor"), Limit: listPageSize}
}

func (ui *UI) listContributions(w http.ResponseWriter, r *http.Request, me *viewer) error {
	f := contributionFilter(r.URL.Query())
	list, next, err := ui.Contributions.List(r.Context(), me.User, f)
	if err != nil {
		return err
	}
	totals, err := ui.Contributions.Totals(r.Context(), me.User, f)
	if err != nil {
		return err
	}
	ids := []string{f.OrganizationID, f.GiverID, f.RecipientID}
	for _, c := range list {
		ids = append(ids, c.GiverID, c.RecipientID)
	}
	names, err := ui.orgNames(r, me, ids)
	if err != nil {
		return err
	}
	orgs, err := ui.orgChoices(r, me, access.ReadDirectory)
	if err != nil {
		return err
	}
	// An organization of the filters that is not among the first offered
	// stays chosen.
	for _, id := range []string{f.OrganizationID, f.GiverID, f.RecipientID} {
		if id != "" && names[id] != "" {
			orgs = mergeChoices(orgs, []choice{{id, names[id]}}, "")
		}
	}
	programs, programNames, err := ui.programChoices(r, me)
	if err != nil {
		return err
	}
	partnerships, err := ui.partnershipChoices(r, me)
	if err != nil {
		return err
	}
	hints := url.Values{}
	for k, v := range map[string]string{"giver_id": f.GiverID, "recipient_id": f.RecipientID, "partnership_id": f.PartnershipID, "program_id": f.ProgramID} {
		if v != "" {
			hints.Set(k, v)
		}
	}
	if f.OrganizationID != "" && f.GiverID == "" && f.RecipientID == "" {
		hints.Set("giver_id", f.OrganizationID)
	}
	newLink := "/contributions/new"
	if len(hints) > 0 {
		newLink += "?" + hints.Encode()
	}
	return ui.render(w, r, me, "contributions", contributionsPage{Filter: f, Items: list, Totals: totals, OrgNames: names,
		Filtered: f.OrganizationID != "" || f.GiverID != "" || f.RecipientID != "" || f.PartnershipID != "" || f.ProgramID != "" ||
			f.Country != "" || f.Kind != "" || f.Currency != "",
		ProgramNames: programNames, Orgs: orgs, Programs: programs, Partnerships: partnerships, Kinds: domain.ContributionKinds,
		Next: nextLink(r, next), First: firstLink(r), NewLink: newLink,
		CanCreate: access.Somewhere(me.User, access.CreateContribution) == nil})
}

// contributionPage is one contribution with its parties, what it was given
// under and its history.
type contributionPage struct {
	Contribution       domain.Contribution
	OrgNames           map[string]string
	Partnership        string // the partnership's name, when there is one
	Program            string // the program's name, when there is one
	History            []domain.AuditEntry
	CanEdit, CanDelete bool
}

func (ui *UI) showContribution(w http.ResponseWriter, r *http.Request, me *viewer) error {
	c, err := ui.Contributions.Contribution(r.Context(), me.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	pg := contributionPage{Contribution: c,
		CanEdit:   access.Can(me.User, access.UpdateContribution, contribution.Resource(c)),
		CanDelete: access.Can(me.User, access.DeleteContribution, contribution.Resource(c))}
	if pg.OrgNames, err = ui.orgNames(r, me, []string{c.GiverID, c.RecipientID}); err != nil {
		return err
	}
	if c.PartnershipID != "" {
		ps, err := ui.Partners.Partnership(r.Context(), me.User, c.PartnershipID)
		if err != nil {
			return err
		}
		pg.Partnership = ps.Name
	}
	if c.ProgramID != "" {
		pr, err := ui.Partners.Program(r.Context(), me.User, c.ProgramID)
		if err != nil {
			return err
		}
		pg.Program = pr.Name
	}
	if pg.History, err = ui.history(r, me, "contribution", c.ID); err != nil {
		return err
	}
	return ui.render(w, r, me, "contribution", pg)
}

// contributionName names a contribution where a name is needed, as on
// the confirmation of its deletion: what was given and when.
func contributionName(c domain.Contribution) string {
	what := c.Description
	if !c.Amount.IsZero() {
		what = c.Amount.String()
	}
	if len([]rune(what)) > 80 {
		what = string([]rune(what)[:80]) + "…"
	}
	return what + " (" + c.GivenOn.String() + ")"
}

// contributionFormPage is the form of a new contribution (Contribution
// nil) or of a contribution's change.
type contributionFormPage struct {
	Form         *form
	Contribution *domain.Contribution
	Parties      []choice
	Kinds        []domain.ContributionKind
	Programs     []choice
	Partnerships []choice
}

// contributionPages are the forms of contributions. The giver and the
// recipient are picked by name, the reader's own organizations first: the
// policy wants one of them to be one the reader answers for.
func (ui *UI) contributionPages() recordPages[domain.Contribution] {
	return recordPages[domain.Contribution]{ui: ui, base: "/contributions",
		create: access.CreateContribution, change: access.UpdateContribution, remove: access.DeleteContribution,
		resource: contribution.Resource,
		find:     ui.Contributions.Contribution,
		meta:     func(c domain.Contribution) (string, int64, string) { return c.ID, c.Version, contributionName(c) },
		values: func(c domain.Contribution) url.Values {
			v := valuesOf("giver_id", c.GiverID, "recipient_id", c.RecipientID, "kind", string(c.Kind), "description", c.Description,
				"quantity", int64String(c.Quantity), "unit", c.Unit, "given_on", c.GivenOn.String(), "partnership_id", c.PartnershipID,
				"program_id", c.ProgramID, "notes", c.Notes, "version", strconv.FormatInt(c.Version, 10))
			if !c.Amount.IsZero() {
				v.Set("amount", c.Amount.Amount())
				v.Set("currency", c.Amount.Currency)
			}
			return v
		},
		blank: func(r *http.Request) url.Values {
			q := r.URL.Query()
			v := url.Values{"kind": {string(domain.ContributionMoney)}}
			for _, k := range []string{"giver_id", "recipient_id", "partnership_id", "program_id"} {
				if s := q.Get(k); s != "" {
					v.Set(k, s)
				}
			}
			return v
		},
		read: func(f *form, cur *domain.Contribution) domain.Contribution {
			c := domain.Contribution{GiverID: f.Get("giver_id"), RecipientID: f.Get("recipient_id"), Kind: domain.ContributionKind(f.Get("kind")),
				Amount: f.moneyField("amount", f.Get("currency"), "currency"), Description: f.text("description"),
				Quantity: f.int64Field("quantity"), Unit: f.text("unit"), GivenOn: f.partialDateField("given_on", f.Get("given_on")),
				PartnershipID: f.Get("partnership_id"), ProgramID: f.Get("program_id"), Notes: f.text("notes")}
			if f.text("amount") == "" && f.text("currency") != "" {
				f.fail("currency", domain.MsgCurrencyAlone)
			}
			if cur != nil {
				c.ID, c.Version = cur.ID, f.version()
			}
			return c
		},
		validate: (*domain.Contribution).Validate,
		insert:   ui.Contributions.Create,
		update:   ui.Contributions.Update,
		delete:   ui.Contributions.Delete,
		form: func(w http.ResponseWriter, r *http.Request, me *viewer, status int, f *form, cur *domain.Contribution) error {
			own, err := ui.orgChoices(r, me, access.CreateContribution)
			if err != nil {
				return err
			}
			all, err := ui.orgChoices(r, me, access.ReadDirectory)
			if err != nil {
				return err
			}
			parties := mergeChoices(own, all, "")
			// The parties of the record or of the hints stay offered, by name.
			var keep []string
			for _, id := range []string{f.Get("giver_id"), f.Get("recipient_id")} {
				if id != "" {
					keep = append(keep, id)
				}
			}
			if names, err := ui.orgNames(r, me, keep); err == nil {
				for _, id := range keep {
					if names[id] != "" {
						parties = mergeChoices(parties, []choice{{id, names[id]}}, "")
					}
				}
			}
			programs, _, err := ui.programChoices(r, me)
			if err != nil {
				return err
			}
			partnerships, err := ui.partnershipChoices(r, me)
			if err != nil {
				return err
			}
			ui.renderStatus(w, r, me, status, "contribution_form", contributionFormPage{Form: f, Contribution: cur, Parties: parties,
				Kinds: domain.ContributionKinds, Programs: programs, Partnerships: partnerships})
			return nil
		},
	}
}
