package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/partnership"
)

// The pages of partnerships: the list, a partnership with its participants,
// commitments and what was delivered against them, its forms, and the forms
// of commitments and deliveries on its page.

// partnershipsPage is the list of partnerships.
type partnershipsPage struct {
	Filter       domain.PartnershipFilter
	Items        []domain.Partnership
	OrgNames     map[string]string
	ProgramNames map[string]string
	Programs     []choice
	Orgs         []choice
	Statuses     []domain.PartnershipStatus
	Kinds        []domain.ProgramKind
	Next, First  string
	CanCreate    bool
	CanProgram   bool
}

// programChoices returns the programs, the first 200 by name, to pick from.
func (ui *UI) programChoices(r *http.Request, me *viewer) ([]choice, map[string]string, error) {
	list, _, err := ui.Partners.ListPrograms(r.Context(), me.User, domain.ProgramFilter{Limit: domain.MaxPageSize})
	if err != nil {
		return nil, nil, err
	}
	out := make([]choice, len(list))
	names := map[string]string{}
	for i, p := range list {
		out[i], names[p.ID] = choice{p.ID, p.Name}, p.Name
	}
	return out, names, nil
}

func (ui *UI) listPartnerships(w http.ResponseWriter, r *http.Request, me *viewer) error {
	q := r.URL.Query()
	f := domain.PartnershipFilter{Query: q.Get("q"), ProgramID: q.Get("program_id"), OrganizationID: q.Get("organization_id"),
		Status: q.Get("status"), Kind: q.Get("kind"), Cursor: q.Get("cursor"), Limit: listPageSize}
	list, next, err := ui.Partners.ListPartnerships(r.Context(), me.User, f)
	if err != nil {
		return err
	}
	var ids []string
	for _, ps := range list {
		ids = append(ids, ps.ProviderID, ps.RecipientID)
	}
	names, err := ui.orgNames(r, me, ids)
	if err != nil {
		return err
	}
	programs, programNames, err := ui.programChoices(r, me)
	if err != nil {
		return err
	}
	orgs, err := ui.orgChoices(r, me, access.ReadDirectory)
	if err != nil {
		return err
	}
	return ui.render(w, r, me, "partnerships", partnershipsPage{Filter: f, Items: list, OrgNames: names, ProgramNames: programNames,
		Programs: programs, Orgs: orgs, Statuses: domain.PartnershipStatuses, Kinds: domain.ProgramKinds,
		Next: nextLink(r, next), First: firstLink(r),
		CanCreate:  access.Somewhere(me.User, access.CreatePartnership) == nil,
		CanProgram: access.Somewhere(me.User, access.CreateProgram) == nil})
}

// commitmentView is a commitment as its partnership's page shows it: who
// committed, what was delivered and the share of it, and the form of a
// delivery when the reader may record one.
type commitmentView struct {
	domain.Commitment
	PartyName string
	HasShare  bool
	Permille  int64  // the delivered share in thousandths, for the bar
	Percent   string // the delivered share written as a percentage: 33.3
	Delivery  *form  // nil when the reader may not record a delivery
}

// currencyTotal is what was committed and delivered in one currency.
type currencyTotal struct {
	Committed, Delivered domain.Money
}

// partnershipPage is one partnership with its program, participants,
// commitments and history.
type partnershipPage struct {
	Partnership        domain.Partnership
	Program            domain.Program
	OrgNames           map[string]string
	Commitments        []commitmentView
	Totals             []currencyTotal
	Commit             *form // nil when the reader may record no commitment
	Parties            []choice
	Kinds              []domain.CommitmentKind
	Missions           []missionRow
	Facts              teamFacts
	Timeline           *rotationChart // nil without missions
	CanMission         bool           // whether the reader may open a mission under it
	Indicators         []indicatorRow
	CanIndicator       bool // whether the reader may set its indicators
	History            []domain.AuditEntry
	CanEdit, CanDelete bool
}

// percent writes thousandths as a percentage with one decimal: 333 -> 33.3.
func percent(permille int64) string {
	return strconv.FormatInt(permille/10, 10) + "." + strconv.FormatInt(permille%10, 10)
}

func (ui *UI) showPartnership(w http.ResponseWriter, r *http.Request, me *viewer) error {
	return ui.partnershipPage(w, r, me, http.StatusOK, r.PathValue("id"), nil, "", nil)
}

// partnershipPage draws a partnership's page at status; commit is the
// commitment form as typed, and delivery the delivery form typed for the
// commitment deliveryFor, when one of them is drawn again with its errors.
func (ui *UI) partnershipPage(w http.ResponseWriter, r *http.Request, me *viewer, status int, id string, commit *form, deliveryFor string, delivery *form) error {
	ctx := r.Context()
	ps, err := ui.Partners.Partnership(ctx, me.User, id)
	if err != nil {
		return err
	}
	pr, err := ui.Partners.Program(ctx, me.User, ps.ProgramID)
	if err != nil {
		return err
	}
	list, err := ui.Partners.Commitments(ctx, me.User, ps.ID)
	if err != nil {
		return err
	}
	ids := []string{ps.ProviderID, ps.RecipientID}
	for _, pt := range ps.Participants {
		ids = append(ids, pt.OrganizationID)
	}
	for _, c := range list {
		ids = append(ids, c.PartyID)
	}
	names, err := ui.orgNames(r, me, ids)
	if err != nil {
		return err
	}
	pg := partnershipPage{Partnership: ps, Program: pr, OrgNames: names, Kinds: domain.CommitmentKinds,
		CanEdit:   access.Can(me.User, access.UpdatePartnership, partnership.PartnershipResource(ps)),
		CanDelete: access.Can(me.User, access.DeletePartnership, partnership.PartnershipResource(ps))}
	totals := map[string]*currencyTotal{}
	var currencies []string
	for _, c := range list {
		v := commitmentView{Commitment: c, PartyName: names[c.PartyID]}
		if p, ok := c.Share(); ok {
			v.HasShare, v.Permille, v.Percent = true, p, percent(p)
			t := totals[c.Amount.Currency]
			if t == nil {
				t = &currencyTotal{Committed: domain.Money{Currency: c.Amount.Currency}, Delivered: domain.Money{Currency: c.Amount.Currency}}
				totals[c.Amount.Currency] = t
				currencies = append(currencies, c.Amount.Currency)
			}
			t.Committed.Minor += c.Amount.Minor
			t.Delivered.Minor += c.Delivered.Minor
		}
		if access.Can(me.User, access.RecordDelivery, partnership.CommitmentResource(c, ps)) {
			v.Delivery = me.newForm(nil)
			if deliveryFor == c.ID && delivery != nil {
				v.Delivery = delivery
			}
		}
		pg.Commitments = append(pg.Commitments, v)
	}
	slices.Sort(currencies)
	for _, cur := range currencies {
		pg.Totals = append(pg.Totals, *totals[cur])
	}
	if pg.Parties, err = ui.partyChoices(r, me, ps); err != nil {
		return err
	}
	if len(pg.Parties) > 0 {
		pg.Commit = commit
		if pg.Commit == nil {
			pg.Commit = me.newForm(url.Values{"kind": {"money"}})
		}
	}
	if pg.Missions, err = ui.partnershipMissions(r, me, ps.ID); err != nil {
		return err
	}
	ms := make([]domain.Mission, len(pg.Missions))
	for i, m := range pg.Missions {
		ms[i] = m.Mission
	}
	pg.Timeline = rotationTimeline(me.L, ms)
	if pg.Facts, err = ui.teamFacts(r, me, domain.MissionFilter{PartnershipID: ps.ID}); err != nil {
		return err
	}
	pg.CanMission = access.Can(me.User, access.CreateMission, access.Resource{OrganizationID: ps.ProviderID})
	indicators, err := ui.Outcomes.ListIndicators(ctx, me.User, ps.ID)
	if err != nil {
		return err
	}
	for _, pr := range indicators {
		pg.Indicators = append(pg.Indicators, indicatorRow{IndicatorProgress: pr, Partnership: ps.Name, Rule: indicatorRule(me.L, pr.Indicator)})
	}
	pg.CanIndicator = access.Can(me.User, access.ManageIndicator, access.Resource{OrganizationID: ps.ProviderID, OtherID: ps.RecipientID})
	if pg.History, err = ui.history(r, me, "partnership", ps.ID); err != nil {
		return err
	}
	ui.renderStatus(w, r, me, status, "partnership", pg)
	return nil
}

// partyChoices returns the organizations for which the reader may record a
// commitment to ps: any organization for those who answer for its
// provider, else their own organizations that the policy lets through.
func (ui *UI) partyChoices(r *http.Request, me *viewer, ps domain.Partnership) ([]choice, error) {
	if access.Can(me.User, access.CreateCommitment, access.Resource{OtherID: ps.ProviderID}) {
		return ui.orgChoices(r, me, access.ReadDirectory)
	}
	return ui.orgChoices(r, me, access.CreateCommitment)
}

// moneyField reads an optional amount in currency, exactly; the reader's
// digit grouping ("25,000,000.00") is accepted. A currency that is not one
// is noted on currencyField, the field it was typed into.
func (f *form) moneyField(name, currency, currencyField string) domain.Money {
	s := strings.ReplaceAll(strings.ReplaceAll(f.text(name), ",", ""), " ", "")
	if s == "" {
		return domain.Money{}
	}
	m, err := domain.ParseMoney(s, strings.ToUpper(strings.TrimSpace(currency)))
	var e *domain.Error
	switch {
	case err == nil:
	case errors.As(err, &e) && e.Msg.ID == domain.MsgCurrency && currencyField != "":
		f.fail(currencyField, domain.MsgCurrency, "Value", currency)
	case errors.As(err, &e) && e.Msg.ID != "":
		var args []any
		for k, v := range e.Msg.Args {
			args = append(args, k, v)
		}
		f.fail(name, e.Msg.ID, args...)
	default:
		f.fail(name, domain.MsgAmount, "Value", f.text(name))
	}
	return m
}

// createCommitment records a commitment from the form on a partnership's
// page, or draws the page again with the form's errors.
func (ui *UI) createCommitment(w http.ResponseWriter, r *http.Request, me *viewer) error {
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	c := domain.Commitment{PartnershipID: id, PartyID: f.Get("party_id"), Kind: domain.CommitmentKind(f.Get("kind")),
		Amount: f.moneyField("amount", f.Get("currency"), "currency"), Description: f.text("description"),
		CommittedOn: f.partialDateField("committed_on", f.Get("committed_on"))}
	return submit(w, r, f, submission{
		validate: c.Validate,
		save: func() (string, string, error) {
			return "/partnerships/" + url.PathEscape(id) + "#commitments", me.L.T("flash_committed"), ui.Partners.CreateCommitment(r.Context(), me.User, &c)
		},
		redraw: func(status int) error { return ui.partnershipPage(w, r, me, status, id, f, "", nil) },
	})
}

// recordDelivery records a delivery from the form under a commitment on its
// partnership's page, or draws the page again with the form's errors.
func (ui *UI) recordDelivery(w http.ResponseWriter, r *http.Request, me *viewer) error {
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	c, err := ui.Partners.Commitment(r.Context(), me.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	d := domain.Delivery{CommitmentID: c.ID, Description: f.text("description"),
		DeliveredOn: f.partialDateField("delivered_on", f.Get("delivered_on"))}
	if !c.Amount.IsZero() {
		d.Amount = f.moneyField("amount", c.Amount.Currency, "")
	} else if f.text("amount") != "" {
		f.fail("amount", domain.MsgDeliveryNoAmount)
	}
	back := "/partnerships/" + url.PathEscape(c.PartnershipID)
	return submit(w, r, f, submission{
		validate: d.Validate,
		save: func() (string, string, error) {
			_, err := ui.Partners.RecordDelivery(r.Context(), me.User, &d)
			return back + "#commitment-" + c.ID, me.L.T("flash_delivered"), err
		},
		redraw: func(status int) error { return ui.partnershipPage(w, r, me, status, c.PartnershipID, nil, c.ID, f) },
	})
}

// partnershipFormPage is the form of a new partnership (Partnership nil)
// or of a partnership's change.
type partnershipFormPage struct {
	Form         *form
	Partnership  *domain.Partnership
	Programs     []choice
	Providers    []choice
	Orgs         []choice
	Statuses     []domain.PartnershipStatus
	Roles        []domain.ParticipantRole
	Participants []int
}

// participantRows returns, for the form's rows of participants, the index
// each has in the record read from it (-1 for a blank row), so that errors
// go back to the row they are about.
func participantRows(f *form) []int {
	out := make([]int, len(f.List("participant_org")))
	n := 0
	for i, id := range f.List("participant_org") {
		out[i] = -1
		if id != "" {
			out[i] = n
			n++
		}
	}
	return out
}

// partnershipPages are the forms of partnerships. The provider is one of the
// user's organizations (any, for a site administrator); the recipient and
// the participants are picked by name from the directory, each participant
// with one or more roles.
func (ui *UI) partnershipPages() recordPages[domain.Partnership] {
	return recordPages[domain.Partnership]{ui: ui, base: "/partnerships",
		create: access.CreatePartnership, change: access.UpdatePartnership, remove: access.DeletePartnership,
		resource: partnership.PartnershipResource,
		find:     ui.Partners.Partnership,
		meta:     func(p domain.Partnership) (string, int64, string) { return p.ID, p.Version, p.Name },
		values: func(p domain.Partnership) url.Values {
			v := valuesOf("program_id", p.ProgramID, "name", p.Name, "provider_id", p.ProviderID, "recipient_id", p.RecipientID,
				"status", string(p.Status), "goals", p.Goals, "starts_on", p.StartsOn.String(), "ends_on", p.EndsOn.String(),
				"version", strconv.FormatInt(p.Version, 10))
			for i, pt := range p.Participants {
				v.Add("participant_org", pt.OrganizationID)
				for _, role := range pt.Roles {
					v.Add("participant_role_"+strconv.Itoa(i), string(role))
				}
			}
			return v
		},
		blank: func(r *http.Request) url.Values {
			return url.Values{"status": {string(domain.PartnershipActive)}, "program_id": {r.URL.Query().Get("program_id")}}
		},
		read: func(f *form, cur *domain.Partnership) domain.Partnership {
			p := domain.Partnership{ProgramID: f.Get("program_id"), Name: f.text("name"), ProviderID: f.Get("provider_id"),
				RecipientID: f.Get("recipient_id"), Status: domain.PartnershipStatus(f.Get("status")), Goals: f.text("goals"),
				StartsOn: f.partialDateField("starts_on", f.Get("starts_on")), EndsOn: f.partialDateField("ends_on", f.Get("ends_on")),
				Participants: []domain.Participant{}}
			for i, id := range f.List("participant_org") {
				if id == "" {
					continue
				}
				pt := domain.Participant{OrganizationID: id}
				for _, role := range f.List("participant_role_" + strconv.Itoa(i)) {
					pt.Roles = append(pt.Roles, domain.ParticipantRole(role))
				}
				p.Participants = append(p.Participants, pt)
			}
			if cur != nil {
				p.ID, p.Version = cur.ID, f.version()
			}
			return p
		},
		validate: (*domain.Partnership).Validate,
		insert:   ui.Partners.CreatePartnership,
		update:   ui.Partners.UpdatePartnership,
		delete:   ui.Partners.DeletePartnership,
		form: func(w http.ResponseWriter, r *http.Request, me *viewer, status int, f *form, cur *domain.Partnership) error {
			// Errors of the record's participants go to the form's rows.
			rows := participantRows(f)
			f.rename(func(field string) string {
				row, tail, ok := rowOf(field, "participants", rows)
				if !ok {
					return ""
				}
				return "participant_" + tail + "_" + strconv.Itoa(row)
			})
			programs, _, err := ui.programChoices(r, me)
			if err != nil {
				return err
			}
			providers, err := ui.orgChoices(r, me, access.CreatePartnership)
			if err != nil {
				return err
			}
			if cur != nil {
				providers = mergeChoices([]choice{{cur.ProviderID, ""}}, providers, "")
				if names, err := ui.orgNames(r, me, []string{cur.ProviderID}); err == nil {
					providers[0].Name = names[cur.ProviderID]
				}
			}
			orgs, err := ui.orgChoices(r, me, access.ReadDirectory)
			if err != nil {
				return err
			}
			ui.renderStatus(w, r, me, status, "partnership_form", partnershipFormPage{Form: f, Partnership: cur, Programs: programs,
				Providers: providers, Orgs: orgs, Statuses: domain.PartnershipStatuses, Roles: domain.ParticipantRoles,
				Participants: f.Rows("participant_org", 2)})
			return nil
		},
	}
}

// HasRole reports whether row i of the participants has role checked, for
// the form's checkboxes.
func (f *form) HasRole(i int, role domain.ParticipantRole) bool {
	return slices.Contains(f.List("participant_role_"+strconv.Itoa(i)), string(role))
}
