package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
)

// The pages of outcomes: the list with its filters, an outcome with the
// fields of its kind, and its forms. A new outcome starts from its
// partnership and its kind, each picked by a link, so that the form shows
// only the fields the kind has, without a script.

// outcomesPage is the list of outcomes.
type outcomesPage struct {
	Filter       domain.OutcomeFilter
	Items        []outcomeRow
	Partnerships []choice
	Kinds        []domain.OutcomeKind
	Novelties    []domain.Novelty
	Next, First  string
	NewLink      string // the new form, for the partnership filtered on; "" when the reader may record none
	// Narrowing are the filters a report's figure links with that the
	// form has no field for, kept as hidden fields; Filtered says whether
	// any filter is set.
	Narrowing url.Values
	Filtered  bool
}

// outcomeRow is an outcome as a list shows it.
type outcomeRow struct {
	domain.Outcome
	Partnership string
	Detail      string // what the kind says of it: the novelty, the journal, ...
}

// outcomeDetail returns the few words a list says of an outcome beyond its
// title and kind.
func outcomeDetail(l *localizer, o domain.Outcome) string {
	switch o.Kind {
	case domain.OutcomeTechnique:
		return l.T("novelty_" + string(o.Novelty))
	case domain.OutcomeService:
		return l.T("service_change_" + string(o.Change))
	case domain.OutcomeTrainee:
		return o.Field
	case domain.OutcomeResearchProject:
		s := l.T("funding_"+string(o.Funding)) + " · " + o.Funder
		if !o.Amount.IsZero() {
			s += " · " + l.Money(o.Amount)
		}
		return s
	case domain.OutcomePublication:
		parts := []string{o.Journal}
		if o.SCIIndexed {
			parts = append(parts, l.T("sci_indexed"))
		}
		if !o.ImpactFactor.IsZero() {
			parts = append(parts, l.T("impact_factor_is", "Value", o.ImpactFactor.String()))
		}
		if o.LocalFirstAuthor {
			parts = append(parts, l.T("local_first_author"))
		}
		return strings.Join(parts, " · ")
	case domain.OutcomeMilestone:
		s := l.T("milestone_" + string(o.Milestone))
		if o.Grantor != "" {
			s += " · " + o.Grantor
		}
		return s
	}
	return ""
}

// namesOf returns the names of choices by id.
func namesOf(cs []choice) map[string]string {
	out := make(map[string]string, len(cs))
	for _, c := range cs {
		out[c.ID] = c.Name
	}
	return out
}

func (ui *UI) listOutcomes(w http.ResponseWriter, r *http.Request, me *viewer) error {
	q := r.URL.Query()
	f := domain.OutcomeFilter{PartnershipID: q.Get("partnership_id"), ProgramID: q.Get("program_id"), MissionID: q.Get("mission_id"), Kind: q.Get("kind"),
		Novelty: q.Get("novelty"), Change: q.Get("change"), Funding: q.Get("funding"), LeadID: q.Get("lead_id"), Milestone: q.Get("milestone"),
		SCI: q.Get("sci_indexed"), LocalFirst: q.Get("local_first_author"), HighImpact: q.Get("high_impact") != "",
		Query: q.Get("q"), Cursor: q.Get("cursor"), Limit: listPageSize}
	var err error
	if f.From, f.To, err = dayRange(q); err != nil {
		return err
	}
	list, next, err := ui.Outcomes.ListOutcomes(r.Context(), me.User, f)
	if err != nil {
		return err
	}
	choices, err := ui.partnershipChoices(r, me)
	if err != nil {
		return err
	}
	names := namesOf(choices)
	pg := outcomesPage{Filter: f, Partnerships: choices, Kinds: domain.OutcomeKinds, Novelties: domain.Novelties,
		Next: nextLink(r, next), First: firstLink(r), Narrowing: url.Values{}}
	for _, k := range []string{"program_id", "mission_id", "from", "to", "change", "funding", "lead_id", "milestone", "sci_indexed", "local_first_author", "high_impact"} {
		if v := q.Get(k); v != "" {
			pg.Narrowing.Set(k, v)
		}
	}
	pg.Filtered = len(pg.Narrowing) > 0 || f.Query != "" || f.PartnershipID != "" || f.Kind != "" || f.Novelty != ""
	for _, o := range list {
		pg.Items = append(pg.Items, outcomeRow{Outcome: o, Partnership: names[o.PartnershipID], Detail: outcomeDetail(me.L, o)})
	}
	if access.Somewhere(me.User, access.RecordOutcome) == nil {
		pg.NewLink = "/outcomes/new"
		if f.PartnershipID != "" {
			pg.NewLink += "?partnership_id=" + url.QueryEscape(f.PartnershipID)
		}
	}
	return ui.render(w, r, me, "outcomes", pg)
}

// outcomePage is one outcome with the names of what it refers to.
type outcomePage struct {
	Outcome            domain.Outcome
	Partnership        domain.Partnership
	Mission            string // the mission's name, "" without one
	People             []choice
	Mentor, Lead       string
	Members            []choice
	History            []domain.AuditEntry
	CanEdit, CanDelete bool
}

func (ui *UI) showOutcome(w http.ResponseWriter, r *http.Request, me *viewer) error {
	ctx := r.Context()
	o, err := ui.Outcomes.Outcome(ctx, me.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	ps, err := ui.Partners.Partnership(ctx, me.User, o.PartnershipID)
	if err != nil {
		return err
	}
	res, err := ui.Outcomes.OutcomeResource(ctx, o)
	if err != nil {
		return err
	}
	pg := outcomePage{Outcome: o, Partnership: ps,
		CanEdit: access.Can(me.User, access.UpdateOutcome, res), CanDelete: access.Can(me.User, access.DeleteOutcome, res)}
	if o.MissionID != "" {
		m, err := ui.Missions.Mission(ctx, me.User, o.MissionID)
		if err != nil {
			return err
		}
		pg.Mission = me.L.T("mission_name", "Sequence", m.Sequence)
	}
	people := slices.Clone(o.PersonIDs)
	if o.MentorID != "" {
		people = append(people, o.MentorID)
	}
	pnames, err := ui.Dir.PersonNames(ctx, me.User, people)
	if err != nil {
		return err
	}
	for _, id := range o.PersonIDs {
		pg.People = append(pg.People, choice{id, pnames[id]})
	}
	pg.Mentor = pnames[o.MentorID]
	onames, err := ui.orgNames(r, me, append([]string{o.LeadID}, o.MemberIDs...))
	if err != nil {
		return err
	}
	pg.Lead = onames[o.LeadID]
	for _, id := range o.MemberIDs {
		pg.Members = append(pg.Members, choice{id, onames[id]})
	}
	if pg.History, err = ui.history(r, me, "outcome", o.ID); err != nil {
		return err
	}
	return ui.render(w, r, me, "outcome", pg)
}

// outcomeFormPage is the form of a new outcome (Outcome nil) or of an
// outcome's change. Before the form, a new outcome's partnership and kind
// are picked: Step is "partnership", "kind" or "" for the form itself.
type outcomeFormPage struct {
	Form         *form
	Outcome      *domain.Outcome
	Step         string
	Partnership  domain.Partnership
	Partnerships []choice // to pick from, at the first step
	Kind         domain.OutcomeKind
	Kinds        []domain.OutcomeKind
	Missions     []choice
	People       []choice // the team members of the partnership's missions
	Orgs         []choice
	Leads        []choice
	Novelties    []domain.Novelty
	Changes      []domain.ServiceChange
	Fundings     []domain.Funding
	Milestones   []domain.MilestoneKind
}

// Has reports whether a repeated field holds value, for the form's
// checkboxes and multiple selects.
func (f *form) Has(name, value string) bool { return slices.Contains(f.List(name), value) }

// outcomeResource returns the policy's resource of an outcome, or none
// (which lets nobody but a site administrator through) when its partnership
// cannot be read.
func (ui *UI) outcomeResource(o domain.Outcome) access.Resource {
	res, err := ui.Outcomes.OutcomeResource(context.Background(), o)
	if err != nil {
		return access.Resource{}
	}
	return res
}

func (ui *UI) outcomePages() recordPages[domain.Outcome] {
	return recordPages[domain.Outcome]{ui: ui, base: "/outcomes",
		create: access.RecordOutcome, change: access.UpdateOutcome, remove: access.DeleteOutcome,
		// A member of a team records from the mission's page, which names
		// the mission: the right comes from being on its team.
		mayCreate: func(r *http.Request, me *viewer) error {
			q := r.URL.Query()
			if q.Get("mission_id") == "" || q.Get("partnership_id") == "" {
				return access.Somewhere(me.User, access.RecordOutcome)
			}
			res, err := ui.Outcomes.OutcomeResource(r.Context(), domain.Outcome{PartnershipID: q.Get("partnership_id"), MissionID: q.Get("mission_id")})
			if err != nil {
				return err
			}
			return access.Allow(me.User, access.RecordOutcome, res)
		},
		resource: ui.outcomeResource,
		find:     ui.Outcomes.Outcome,
		meta:     func(o domain.Outcome) (string, int64, string) { return o.ID, o.Version, o.Title },
		values: func(o domain.Outcome) url.Values {
			v := valuesOf("partnership_id", o.PartnershipID, "mission_id", o.MissionID, "kind", string(o.Kind), "title", o.Title,
				"occurred_on", o.OccurredOn.String(), "department", o.Department, "notes", o.Notes,
				"novelty", string(o.Novelty), "change", string(o.Change), "mentor_id", o.MentorID, "field", o.Field,
				"funder", o.Funder, "funding", string(o.Funding), "lead_id", o.LeadID, "journal", o.Journal,
				"milestone", string(o.Milestone), "grantor", o.Grantor, "version", strconv.FormatInt(o.Version, 10))
			if !o.Amount.IsZero() {
				v.Set("amount", o.Amount.Amount())
				v.Set("currency", o.Amount.Currency)
			}
			if !o.ImpactFactor.IsZero() {
				v.Set("impact_factor", o.ImpactFactor.String())
			}
			for name, on := range map[string]bool{"sci_indexed": o.SCIIndexed, "local_first_author": o.LocalFirstAuthor} {
				if on {
					v.Set(name, "on")
				}
			}
			v["person_ids"] = slices.Clone(o.PersonIDs)
			v["member_ids"] = slices.Clone(o.MemberIDs)
			return v
		},
		blank: func(r *http.Request) url.Values {
			q := r.URL.Query()
			return url.Values{"partnership_id": {q.Get("partnership_id")}, "kind": {q.Get("kind")}, "mission_id": {q.Get("mission_id")}}
		},
		read: func(f *form, cur *domain.Outcome) domain.Outcome {
			o := domain.Outcome{PartnershipID: f.Get("partnership_id"), MissionID: f.Get("mission_id"), Kind: domain.OutcomeKind(f.Get("kind")),
				Title: f.text("title"), OccurredOn: f.partialDateField("occurred_on", f.Get("occurred_on")), Department: f.text("department"),
				Notes: f.text("notes"), PersonIDs: nonEmpty(f.List("person_ids")),
				Novelty: domain.Novelty(f.Get("novelty")), Change: domain.ServiceChange(f.Get("change")), MentorID: f.Get("mentor_id"),
				Field: f.text("field"), Funder: f.text("funder"), Funding: domain.Funding(f.Get("funding")), LeadID: f.Get("lead_id"),
				Journal: f.text("journal"), SCIIndexed: f.Get("sci_indexed") != "", LocalFirstAuthor: f.Get("local_first_author") != "",
				Milestone: domain.MilestoneKind(f.Get("milestone")), Grantor: f.text("grantor"), MemberIDs: nonEmpty(f.List("member_ids"))}
			if f.text("amount") != "" || f.text("currency") != "" {
				if f.text("currency") == "" {
					f.fail("currency", domain.MsgRequired)
				} else {
					o.Amount = f.moneyField("amount", f.Get("currency"), "currency")
				}
			}
			if s := f.text("impact_factor"); s != "" {
				d, err := domain.ParseDecimal(s)
				if err != nil {
					f.fail("impact_factor", domain.MsgDecimal3, "Value", s)
				}
				o.ImpactFactor = d
			}
			if cur != nil {
				o.ID, o.Version = cur.ID, f.version()
			}
			o.Normalize()
			return o
		},
		validate: (*domain.Outcome).Validate,
		insert:   ui.Outcomes.CreateOutcome,
		update:   ui.Outcomes.UpdateOutcome,
		delete:   ui.Outcomes.DeleteOutcome,
		form:     ui.outcomeForm,
	}
}

// nonEmpty returns the values that are not blank.
func nonEmpty(vs []string) []string {
	out := []string{}
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// outcomeForm draws the steps of a new outcome, or its form.
func (ui *UI) outcomeForm(w http.ResponseWriter, r *http.Request, me *viewer, status int, f *form, cur *domain.Outcome) error {
	ctx := r.Context()
	pg := outcomeFormPage{Form: f, Outcome: cur, Kinds: domain.OutcomeKinds, Novelties: domain.Novelties, Changes: domain.ServiceChanges,
		Fundings: domain.Fundings, Milestones: domain.MilestoneKinds, Kind: domain.OutcomeKind(f.Get("kind"))}
	ps, err := ui.Partners.Partnership(ctx, me.User, f.Get("partnership_id"))
	switch {
	case f.Get("partnership_id") == "" || domain.ErrorCode(err) == domain.ENOTFOUND:
		// The first step: the partnerships for which the reader may record.
		choices, err := ui.partnershipChoices(r, me)
		if err != nil {
			return err
		}
		for _, c := range choices {
			if p, err := ui.Partners.Partnership(ctx, me.User, c.ID); err == nil && access.Can(me.User, access.RecordOutcome, access.Resource{OrganizationID: p.ProviderID, OtherID: p.RecipientID}) {
				pg.Partnerships = append(pg.Partnerships, c)
			}
		}
		pg.Step = "partnership"
		ui.renderStatus(w, r, me, status, "outcome_form", pg)
		return nil
	case err != nil:
		return err
	}
	pg.Partnership = ps
	if !slices.Contains(domain.OutcomeKinds, pg.Kind) {
		pg.Step = "kind"
		ui.renderStatus(w, r, me, status, "outcome_form", pg)
		return nil
	}
	missions, _, err := ui.Missions.ListMissions(ctx, me.User, domain.MissionFilter{PartnershipID: ps.ID, Limit: domain.MaxPageSize})
	if err != nil {
		return err
	}
	// The people to name are the team of the mission chosen, or of every
	// mission of the partnership when none is.
	seen := map[string]bool{}
	for _, m := range missions {
		pg.Missions = append(pg.Missions, choice{m.ID, me.L.T("mission_name", "Sequence", m.Sequence) + " · " + m.StartsOn.String()})
		if f.Get("mission_id") != "" && f.Get("mission_id") != m.ID {
			continue
		}
		team, err := ui.Missions.Team(ctx, me.User, m)
		if err != nil {
			return err
		}
		for _, tm := range team.Members {
			if !seen[tm.PersonID] {
				seen[tm.PersonID] = true
				pg.People = append(pg.People, choice{tm.PersonID, tm.Name})
			}
		}
	}
	slices.SortFunc(pg.People, func(a, b choice) int { return strings.Compare(a.Name, b.Name) })
	leads := []string{ps.ProviderID, ps.RecipientID}
	for _, pt := range ps.Participants {
		leads = append(leads, pt.OrganizationID)
	}
	names, err := ui.orgNames(r, me, leads)
	if err != nil {
		return err
	}
	for _, id := range leads {
		pg.Leads = mergeChoices(pg.Leads, []choice{{id, names[id]}}, "")
	}
	if pg.Kind == domain.OutcomeMilestone {
		if pg.Orgs, err = ui.orgChoices(r, me, access.ReadDirectory); err != nil {
			return err
		}
	}
	ui.renderStatus(w, r, me, status, "outcome_form", pg)
	return nil
}
