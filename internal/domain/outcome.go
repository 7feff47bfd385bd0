package domain

import (
	"strings"
)

// OutcomeKind is the kind of what a partnership leaves behind.
type OutcomeKind string

// The kinds of outcomes.
const (
	OutcomeTechnique       OutcomeKind = "technique"
	OutcomeService         OutcomeKind = "service"
	OutcomeTrainee         OutcomeKind = "trainee"
	OutcomeResearchProject OutcomeKind = "research_project"
	OutcomePublication     OutcomeKind = "publication"
	OutcomeMilestone       OutcomeKind = "milestone"
)

// OutcomeKinds lists the kinds of outcomes, in the order forms and reports
// show them.
var OutcomeKinds = []OutcomeKind{OutcomeTechnique, OutcomeService, OutcomeTrainee, OutcomeResearchProject, OutcomePublication, OutcomeMilestone}

// Novelty is how new a technique is where it was introduced: the Xinjiang
// account counts techniques that fill a gap in Xinjiang (the region), lead
// in Xinjiang, and fill a gap in South Xinjiang (the sub-region).
type Novelty string

// Novelties lists the novelty levels, the newest first.
var Novelties = []Novelty{"fills_national_gap", "fills_regional_gap", "region_leading", "fills_subregional_gap", "new_to_hospital"}

// ServiceChange is what was done to a department or unit.
type ServiceChange string

// ServiceChanges lists what can be done to a service.
var ServiceChanges = []ServiceChange{"established", "restructured"}

// Funding is where a research project stands with its funder.
type Funding string

// Fundings lists the stands of a research project.
var Fundings = []Funding{"applied", "funded"}

// MilestoneKind is the kind of a milestone.
type MilestoneKind string

// MilestoneKinds lists the kinds of milestones.
var MilestoneKinds = []MilestoneKind{"accreditation", "consortium", "award"}

// Outcome is a dated record of what a partnership left behind: a technique
// introduced, a service set up, a local talent trained, a research project,
// a publication or a milestone. It belongs to a partnership and, where one
// team brought it, to a mission, and names the team members involved. The
// fields after Notes belong to one kind each; a field given for another
// kind is refused, so that no record says what its kind cannot mean.
type Outcome struct {
	Meta
	PartnershipID string      `json:"partnership_id"`
	MissionID     string      `json:"mission_id,omitempty"`
	Kind          OutcomeKind `json:"kind"`
	Title         string      `json:"title"`
	OccurredOn    PartialDate `json:"occurred_on"`
	Department    string      `json:"department,omitempty"`
	PersonIDs     []string    `json:"person_ids"`
	Notes         string      `json:"notes,omitempty"`

	// technique
	Novelty Novelty `json:"novelty,omitempty"`
	// service
	Change ServiceChange `json:"change,omitempty"`
	// trainee: the title is the trainee's name
	MentorID string `json:"mentor_id,omitempty"`
	Field    string `json:"field,omitempty"`
	// research project
	Funder  string  `json:"funder,omitempty"`
	Amount  Money   `json:"amount,omitzero"`
	Funding Funding `json:"funding,omitempty"`
	LeadID  string  `json:"lead_id,omitempty"`
	// publication
	Journal          string  `json:"journal,omitempty"`
	SCIIndexed       bool    `json:"sci_indexed,omitempty"`
	ImpactFactor     Decimal `json:"impact_factor,omitzero"`
	LocalFirstAuthor bool    `json:"local_first_author,omitempty"`
	// milestone
	Milestone MilestoneKind `json:"milestone,omitempty"`
	Grantor   string        `json:"grantor,omitempty"`
	MemberIDs []string      `json:"member_ids"`
}

// Validate returns an EINVALID error naming every field that is wrong.
// Whether the partnership, mission, people and organizations exist, and
// whether the people were on the mission's team, is the store's to say.
func (o *Outcome) Validate() error {
	var p Problems
	if o.PartnershipID == "" {
		p.Add("partnership_id", MsgRequired)
	}
	for _, id := range []struct{ field, v string }{{"partnership_id", o.PartnershipID}, {"mission_id", o.MissionID},
		{"mentor_id", o.MentorID}, {"lead_id", o.LeadID}} {
		idOf(&p, id.field, id.v)
	}
	for i, id := range o.PersonIDs {
		idOf(&p, "person_ids["+itoa(i)+"]", id)
	}
	for i, id := range o.MemberIDs {
		idOf(&p, "member_ids["+itoa(i)+"]", id)
	}
	if !oneOf(string(o.Kind), OutcomeKinds) {
		p.Add("kind", MsgOneOf, "Allowed", joinKinds(OutcomeKinds), "Value", o.Kind)
	}
	required(&p, "title", o.Title, MaxName)
	if o.OccurredOn.IsZero() {
		p.Add("occurred_on", MsgRequired)
	}
	maxLen(&p, "department", o.Department, MaxShort)
	maxLen(&p, "notes", o.Notes, MaxText)
	if len(o.PersonIDs) > MaxOutcomePeople {
		p.Add("person_ids", MsgTooMany, "Max", MaxOutcomePeople)
	}
	distinct(&p, "person_ids", o.PersonIDs, MsgPersonTwice)

	// Each kind's own fields: required where the kind needs them, refused
	// where it has none.
	is := func(k OutcomeKind) bool { return o.Kind == k }
	only := func(field string, set bool, k OutcomeKind) {
		if set && !is(k) {
			p.Add(field, MsgOutcomeFieldKind, "Kind", k)
		}
	}
	only("novelty", o.Novelty != "", OutcomeTechnique)
	if is(OutcomeTechnique) && !oneOf(string(o.Novelty), Novelties) {
		p.Add("novelty", MsgOneOf, "Allowed", joinKinds(Novelties), "Value", o.Novelty)
	}
	only("change", o.Change != "", OutcomeService)
	if is(OutcomeService) && !oneOf(string(o.Change), ServiceChanges) {
		p.Add("change", MsgOneOf, "Allowed", joinKinds(ServiceChanges), "Value", o.Change)
	}
	only("mentor_id", o.MentorID != "", OutcomeTrainee)
	only("field", o.Field != "", OutcomeTrainee)
	if is(OutcomeTrainee) {
		required(&p, "field", o.Field, MaxShort)
	}
	only("funder", o.Funder != "", OutcomeResearchProject)
	only("amount", !o.Amount.IsZero(), OutcomeResearchProject)
	only("funding", o.Funding != "", OutcomeResearchProject)
	only("lead_id", o.LeadID != "", OutcomeResearchProject)
	if is(OutcomeResearchProject) {
		required(&p, "funder", o.Funder, MaxName)
		if !oneOf(string(o.Funding), Fundings) {
			p.Add("funding", MsgOneOf, "Allowed", joinKinds(Fundings), "Value", o.Funding)
		}
		if !o.Amount.IsZero() {
			if _, err := CurrencyScale(o.Amount.Currency); err != nil {
				p.Add("amount", MsgCurrency, "Value", o.Amount.Currency)
			} else if o.Amount.Minor <= 0 {
				p.Add("amount", MsgPositive, "Value", o.Amount.Amount())
			}
		}
	}
	only("journal", o.Journal != "", OutcomePublication)
	only("sci_indexed", o.SCIIndexed, OutcomePublication)
	only("impact_factor", !o.ImpactFactor.IsZero(), OutcomePublication)
	only("local_first_author", o.LocalFirstAuthor, OutcomePublication)
	if is(OutcomePublication) {
		required(&p, "journal", o.Journal, MaxName)
		if o.ImpactFactor.Thousandths < 0 || o.ImpactFactor.Thousandths > MaxImpactFactor*1000 {
			p.Add("impact_factor", MsgBetween, "Min", 0, "Max", MaxImpactFactor, "Value", o.ImpactFactor.String())
		}
	}
	only("milestone", o.Milestone != "", OutcomeMilestone)
	only("grantor", o.Grantor != "", OutcomeMilestone)
	only("member_ids", len(o.MemberIDs) > 0 && (!is(OutcomeMilestone) || o.Milestone != "consortium"), "consortium")
	if is(OutcomeMilestone) {
		if !oneOf(string(o.Milestone), MilestoneKinds) {
			p.Add("milestone", MsgOneOf, "Allowed", joinKinds(MilestoneKinds), "Value", o.Milestone)
		}
		maxLen(&p, "grantor", o.Grantor, MaxName)
		if o.Milestone == "consortium" && len(o.MemberIDs) == 0 {
			p.Add("member_ids", MsgConsortiumMembers)
		}
		if len(o.MemberIDs) > MaxParticipants {
			p.Add("member_ids", MsgTooMany, "Max", MaxParticipants)
		}
		distinctOrgs(&p, "member_ids", o.MemberIDs)
	}
	return p.Err("outcome")
}

// Normalize trims the outcome's text and gives its lists a value, so that
// what is stored is what is shown.
func (o *Outcome) Normalize() {
	for _, s := range []*string{&o.Title, &o.Department, &o.Notes, &o.Field, &o.Funder, &o.Journal, &o.Grantor} {
		*s = strings.TrimSpace(*s)
	}
	if o.PersonIDs == nil {
		o.PersonIDs = []string{}
	}
	if o.MemberIDs == nil {
		o.MemberIDs = []string{}
	}
}

// idOf notes an id longer than any the store makes: it names no record.
func idOf(p *Problems, field, id string) {
	if len(id) > MaxID {
		p.Add(field, MsgTooLong, "Max", MaxID)
	}
}

// distinct notes an id named twice in a list.
func distinct(p *Problems, field string, ids []string, id MsgID) {
	seen := map[string]bool{}
	for _, v := range ids {
		if v != "" && seen[v] {
			p.Add(field, id, "ID", v)
			return
		}
		seen[v] = true
	}
}

// OutcomeFilter selects outcomes. Zero fields select everything.
type OutcomeFilter struct {
	PartnershipID string
	ProgramID     string
	MissionID     string
	PersonID      string // a team member involved
	Kind          string
	Novelty       string
	Change        string
	Funding       string
	LeadID        string // the organization holding a research project
	Milestone     string
	SCI           string // "yes" or "no": papers in SCI-indexed journals or not
	LocalFirst    string // "yes" or "no": papers whose first author is a local doctor or not
	HighImpact    bool   // papers in journals with an impact factor above HighImpactFactor
	Query         string // part of the title, any case
	From, To      Date   // occurred between, inclusive
	Cursor        string
	Limit         int
}

// Messages of outcomes.
var (
	MsgOutcomeFieldKind  = msg("outcome_field_kind", "belongs to an outcome of kind {{.Kind}} only; leave it empty")
	MsgConsortiumMembers = msg("consortium_members", "name the organizations of the consortium")
	MsgNotOnTeamOf       = msg("not_on_team_of", "{{.Name}} was not on the team of mission {{.Mission}}")
	MsgMissionElsewhere  = msg("mission_elsewhere", "mission {{.Mission}} belongs to another partnership")
)
