package domain

import (
	"slices"
	"strings"
	"time"
)

// TitleRank is the rank of a medical professional title, from resident to
// chief physician, so that a slot can ask for at least one of them.
type TitleRank string

// TitleRanks lists the ranks from the lowest to the highest.
var TitleRanks = []TitleRank{"resident", "attending", "associate_chief", "chief"}

// AtLeast reports whether r is rank min or above it; every rank, and no
// rank at all, is at least the empty one.
func (r TitleRank) AtLeast(min TitleRank) bool {
	if min == "" {
		return true
	}
	return slices.Index(TitleRanks, r) >= slices.Index(TitleRanks, min) && r != ""
}

// MissionStatus is where a mission stands.
type MissionStatus string

// The statuses of a mission.
const (
	MissionDraft      MissionStatus = "draft"
	MissionRecruiting MissionStatus = "recruiting"
	MissionFormed     MissionStatus = "formed"
	MissionDeployed   MissionStatus = "deployed"
	MissionReturned   MissionStatus = "returned"
	MissionCancelled  MissionStatus = "cancelled"
)

// MissionStatuses lists the statuses in the order a mission moves through
// them.
var MissionStatuses = []MissionStatus{MissionDraft, MissionRecruiting, MissionFormed, MissionDeployed, MissionReturned, MissionCancelled}

// MissionTransitions says which statuses a mission may move to from each
// status: it recruits, is formed, deploys and returns; until it deploys it
// may go back a step (a formed team reopened, a recruitment paused) or be
// cancelled. Returned and cancelled are the end.
var MissionTransitions = map[MissionStatus][]MissionStatus{
	MissionDraft:      {MissionRecruiting, MissionCancelled},
	MissionRecruiting: {MissionFormed, MissionDraft, MissionCancelled},
	MissionFormed:     {MissionDeployed, MissionRecruiting, MissionCancelled},
	MissionDeployed:   {MissionReturned},
}

// Next returns the statuses a mission in status s may move to.
func (s MissionStatus) Next() []MissionStatus { return MissionTransitions[s] }

// DatesFixed reports whether a mission in status s keeps its dates: once a
// team has left, when it left and returns is history.
func (s MissionStatus) DatesFixed() bool {
	return s == MissionDeployed || s == MissionReturned
}

// Takes reports whether a mission in status s takes applications and
// decisions on them.
func (s MissionStatus) Takes() bool { return s == MissionRecruiting }

// Counts reports whether the team of a mission in status s holds its
// members' time: every status but cancelled.
func (s MissionStatus) Counts() bool { return s != MissionCancelled }

// Slot is a place on a mission's team: a specialty, how many people, and
// what each must bring.
type Slot struct {
	ID        string    `json:"id"`
	Specialty string    `json:"specialty"`
	Count     int       `json:"count"`
	Languages []string  `json:"languages"`           // every one of them
	MinTitle  TitleRank `json:"min_title,omitempty"` // at least this rank
	MaxAge    int       `json:"max_age,omitempty"`   // at most this age on the day of departure; 0 for none
	Filled    int       `json:"filled"`              // members selected onto the slot, from the records
}

// Open returns how many places of the slot are still to fill.
func (s Slot) Open() int { return max(s.Count-s.Filled, 0) }

// Mission is one team sent under a partnership: Xinhua Hospital's 4th team
// to Baoshan, six months; the 2015 team of six to Meknes, two years.
type Mission struct {
	Meta
	PartnershipID     string        `json:"partnership_id"`
	Sequence          int           `json:"sequence"`
	SendingID         string        `json:"sending_id"`
	HostID            string        `json:"host_id"`
	StartsOn          Date          `json:"starts_on"`
	EndsOn            Date          `json:"ends_on"`
	FormationDeadline Date          `json:"formation_deadline,omitzero"`
	Status            MissionStatus `json:"status"`
	Description       string        `json:"description,omitempty"`
	// ShortStaffed says why the team was formed with places open; empty
	// when it was formed full.
	ShortStaffed string `json:"short_staffed,omitempty"`
	// CancelReason says why the mission was cancelled.
	CancelReason string `json:"cancel_reason,omitempty"`
	Slots        []Slot `json:"slots"`
}

// Places returns the places of all slots and how many are filled.
func (m *Mission) Places() (filled, total int) {
	for _, s := range m.Slots {
		filled += min(s.Filled, s.Count)
		total += s.Count
	}
	return filled, total
}

// DaysLeft returns the days from today to the formation deadline: negative
// once it has passed; ok is false when the mission has no deadline or is no
// longer being formed.
func (m *Mission) DaysLeft(today Date) (days int, ok bool) {
	if m.FormationDeadline.IsZero() || (m.Status != MissionDraft && m.Status != MissionRecruiting) {
		return 0, false
	}
	return int(m.FormationDeadline.Time().Sub(today.Time()) / (24 * time.Hour)), true
}

// Slot returns the mission's slot with the given id.
func (m *Mission) Slot(id string) (Slot, bool) {
	for _, s := range m.Slots {
		if s.ID == id {
			return s, true
		}
	}
	return Slot{}, false
}

// Validate returns an EINVALID error naming every field that is wrong.
func (m *Mission) Validate() error {
	var p Problems
	if m.PartnershipID == "" {
		p.Add("partnership_id", MsgRequired)
	}
	if m.Sequence < 1 || m.Sequence > MaxSequence {
		p.Add("sequence", MsgBetween, "Min", 1, "Max", MaxSequence, "Value", m.Sequence)
	}
	if m.SendingID == "" {
		p.Add("sending_id", MsgRequired)
	}
	if m.HostID == "" {
		p.Add("host_id", MsgRequired)
	}
	if m.SendingID != "" && m.SendingID == m.HostID {
		p.Add("host_id", MsgSameHost)
	}
	if m.StartsOn.IsZero() {
		p.Add("starts_on", MsgRequired)
	}
	if m.EndsOn.IsZero() {
		p.Add("ends_on", MsgRequired)
	}
	if !m.StartsOn.IsZero() && !m.EndsOn.IsZero() && m.EndsOn.Before(m.StartsOn) {
		p.Add("ends_on", MsgEndsBeforeStarts, "Starts", m.StartsOn.String())
	}
	if !m.FormationDeadline.IsZero() && !m.StartsOn.IsZero() && m.StartsOn.Before(m.FormationDeadline) {
		p.Add("formation_deadline", MsgDeadlineAfterStart, "Starts", m.StartsOn.String())
	}
	if !oneOf(string(m.Status), MissionStatuses) {
		p.Add("status", MsgOneOf, "Allowed", joinKinds(MissionStatuses), "Value", m.Status)
	}
	maxLen(&p, "description", m.Description, MaxText)
	maxLen(&p, "short_staffed", m.ShortStaffed, MaxNote)
	maxLen(&p, "cancel_reason", m.CancelReason, MaxNote)
	if m.Status == MissionCancelled && strings.TrimSpace(m.CancelReason) == "" {
		p.Add("cancel_reason", MsgMissionCancelReason)
	}
	if len(m.Slots) == 0 {
		p.Add("slots", MsgSlotRequired)
	}
	if len(m.Slots) > MaxSlots {
		p.Add("slots", MsgTooMany, "Max", MaxSlots)
	}
	for i, s := range m.Slots {
		f := "slots[" + itoa(i) + "]"
		required(&p, f+".specialty", s.Specialty, MaxShort)
		if s.Count < 1 || s.Count > MaxSlotCount {
			p.Add(f+".count", MsgBetween, "Min", 1, "Max", MaxSlotCount, "Value", s.Count)
		}
		if len(s.Languages) > MaxLanguages {
			p.Add(f+".languages", MsgTooMany, "Max", MaxLanguages)
		}
		languageTags(&p, f+".languages", s.Languages)
		if s.MinTitle != "" && !oneOf(string(s.MinTitle), TitleRanks) {
			p.Add(f+".min_title", MsgOneOf, "Allowed", joinKinds(TitleRanks), "Value", s.MinTitle)
		}
		if s.MaxAge < 0 || s.MaxAge > MaxAge {
			p.Add(f+".max_age", MsgBetween, "Min", 0, "Max", MaxAge, "Value", s.MaxAge)
		}
	}
	return p.Err("mission")
}

// Transition returns nil when the mission may move from its status to to,
// given what its team holds: it is formed only with every place filled, or
// short-staffed with a reason given, and with one leader; it is cancelled
// only with a reason. ECONFLICT naming what stands in the way otherwise.
func (m *Mission) Transition(to MissionStatus, leaders int) error {
	if m.Status == to {
		return nil
	}
	if !slices.Contains(m.Status.Next(), to) {
		return Refuse(ECONFLICT, "status", MsgMissionTransition, "Sequence", m.Sequence, "Status", m.Status, "To", to)
	}
	switch to {
	case MissionFormed:
		if filled, total := m.Places(); filled < total && strings.TrimSpace(m.ShortStaffed) == "" {
			return Refuse(ECONFLICT, "short_staffed", MsgShortStaffed, "Filled", filled, "Total", total)
		}
		if leaders != 1 {
			return Refuse(ECONFLICT, "status", MsgNoLeader)
		}
	case MissionCancelled:
		if strings.TrimSpace(m.CancelReason) == "" {
			return Refuse(EINVALID, "cancel_reason", MsgMissionCancelReason)
		}
	}
	return nil
}

// MissionMove is a change of a mission's status, with the reason it needs:
// why a team is formed short-staffed, why a mission is cancelled.
type MissionMove struct {
	ID      string
	Version int64
	To      MissionStatus
	Reason  string
}

// Overlaps reports whether the missions' periods share a day.
func (m *Mission) Overlaps(o Mission) bool {
	return !o.EndsOn.Before(m.StartsOn) && !m.EndsOn.Before(o.StartsOn)
}

// AgeOn returns the age in whole years of someone born on birth, on day.
func AgeOn(birth, day Date) int {
	age := day.Year - birth.Year
	if day.Month < birth.Month || (day.Month == birth.Month && day.Day < birth.Day) {
		age--
	}
	return age
}

// Meets returns what of the slot's requirements the person does not meet,
// as problems on field, checked on the day of departure: the specialty,
// every language asked for, the title rank and the age.
func (s Slot) Meets(p Person, departure Date, field string) Problems {
	var ps Problems
	s.check(p, departure, func(id MsgID, args ...any) { ps.Add(field, id, args...) })
	return ps
}

// Fits reports whether the person meets every requirement of the slot on
// the day of departure, as Meets would find, without saying what fails.
func (s Slot) Fits(p Person, departure Date) bool { return s.check(p, departure, nil) }

// check reports whether the person meets every requirement of the slot,
// and calls fail with each one not met; with fail nil it stops at the
// first. It is the one statement of the slot's requirements.
func (s Slot) check(p Person, departure Date, fail func(id MsgID, args ...any)) bool {
	ok := true
	no := func() bool { ok = false; return fail == nil }
	if !strings.EqualFold(strings.TrimSpace(p.Specialty), strings.TrimSpace(s.Specialty)) {
		if no() {
			return false
		}
		fail(MsgWrongSpecialty, "Specialty", s.Specialty, "Has", p.Specialty)
	}
	for _, l := range s.Languages {
		if !slices.ContainsFunc(p.Languages, func(h string) bool { return strings.EqualFold(h, l) }) {
			if no() {
				return false
			}
			fail(MsgLacksLanguage, "Language", l)
		}
	}
	if !p.TitleRank.AtLeast(s.MinTitle) {
		if no() {
			return false
		}
		fail(MsgTitleTooLow, "Min", s.MinTitle)
	}
	if s.MaxAge > 0 {
		switch {
		case p.BirthDate.IsZero():
			if no() {
				return false
			}
			fail(MsgAgeUnknown, "Max", s.MaxAge)
		case AgeOn(p.BirthDate, departure) > s.MaxAge:
			if no() {
				return false
			}
			fail(MsgTooOld, "Max", s.MaxAge, "Age", AgeOn(p.BirthDate, departure))
		}
	}
	return ok
}

// ApplicationStage is where an application stands in the selection.
type ApplicationStage string

// The stages of an application.
const (
	StageRegistered ApplicationStage = "registered"
	StagePassed     ApplicationStage = "passed"
	StageFailed     ApplicationStage = "failed"
	StageSelected   ApplicationStage = "selected"
	StageReserve    ApplicationStage = "reserve"
	StageRejected   ApplicationStage = "rejected"
	StageWithdrawn  ApplicationStage = "withdrawn"
)

// ApplicationStages lists the stages in the order of the selection.
var ApplicationStages = []ApplicationStage{StageRegistered, StagePassed, StageFailed, StageSelected, StageReserve, StageRejected, StageWithdrawn}

// Step is a kind of step in the selection: who takes it is the policy's to
// say, which stages it leads to is said here.
type Step string

// The steps of the selection.
const (
	StepScreen   Step = "screening"
	StepDecide   Step = "decision"
	StepWithdraw Step = "withdrawal"
)

// StageSteps says, for each stage, which step leads to which stages from
// it. The department screens a registered application; the hospital
// decides on one that passed, or takes a reserve up or down; the applicant
// withdraws until the decision. Failed, selected, rejected and withdrawn
// are the end.
var StageSteps = map[ApplicationStage]map[Step][]ApplicationStage{
	StageRegistered: {StepScreen: {StagePassed, StageFailed}, StepWithdraw: {StageWithdrawn}},
	StagePassed:     {StepDecide: {StageSelected, StageReserve, StageRejected}, StepWithdraw: {StageWithdrawn}},
	StageReserve:    {StepDecide: {StageSelected, StageRejected}, StepWithdraw: {StageWithdrawn}},
}

// StepOf returns the step that leads to stage to.
func StepOf(to ApplicationStage) Step {
	switch to {
	case StagePassed, StageFailed:
		return StepScreen
	case StageWithdrawn:
		return StepWithdraw
	}
	return StepDecide
}

// Outcomes returns the stages that step may lead to from stage s.
func (s ApplicationStage) Outcomes(step Step) []ApplicationStage { return StageSteps[s][step] }

// Move returns nil when an application at stage s may move to stage to, and
// ECONFLICT saying why not otherwise.
func (s ApplicationStage) Move(to ApplicationStage) error {
	if slices.Contains(s.Outcomes(StepOf(to)), to) {
		return nil
	}
	if StepOf(to) == StepDecide && s == StageRegistered {
		return Refuse(ECONFLICT, "stage", MsgNotScreened)
	}
	return Refuse(ECONFLICT, "stage", MsgStageTransition, "Stage", s, "To", to)
}

// StepRecord is one step taken on an application: who took it, when, and
// why.
type StepRecord struct {
	Stage  ApplicationStage `json:"stage"`
	UserID string           `json:"user_id"`
	At     time.Time        `json:"at"`
	Note   string           `json:"note,omitempty"`
}

// Application is a person's volunteering for a place on a mission, and the
// steps of its selection.
type Application struct {
	ID        string           `json:"id"`
	MissionID string           `json:"mission_id"`
	SlotID    string           `json:"slot_id"`
	PersonID  string           `json:"person_id"`
	Stage     ApplicationStage `json:"stage"`
	Leader    bool             `json:"leader,omitempty"` // selected as the team's leader
	Note      string           `json:"note,omitempty"`   // why the person volunteers
	// PersonName is the applicant's name, for those who see the
	// application.
	PersonName string `json:"person_name"`
	// UserID is the account linked to the applicant's person, if any: the
	// policy lets the applicant act on their own application. Not sent.
	UserID  string       `json:"-"`
	Steps   []StepRecord `json:"steps"`
	Version int64        `json:"version"`
	// DepartmentID is the applicant's department, whose screener screens
	// the application.
	DepartmentID string    `json:"department_id,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Validate returns an EINVALID error naming every field that is wrong.
func (a *Application) Validate() error {
	var p Problems
	if a.MissionID == "" {
		p.Add("mission_id", MsgRequired)
	}
	if a.SlotID == "" {
		p.Add("slot_id", MsgRequired)
	}
	if a.PersonID == "" {
		p.Add("person_id", MsgRequired)
	}
	maxLen(&p, "note", a.Note, MaxNote)
	return p.Err("application")
}

// Decision is a step on an application: the stage it leads to, and why.
type Decision struct {
	ApplicationID string
	To            ApplicationStage
	Note          string
	Leader        bool // for a selection: as the team's leader
	// SlotID, for a selection, is the slot of the mission to place the
	// applicant on when it is not the one applied for (a roster's line);
	// empty for the one applied for.
	SlotID  string
	Version int64
}

// Validate returns an EINVALID error naming every field that is wrong.
func (d *Decision) Validate(step Step) error {
	var p Problems
	allowed := map[Step][]ApplicationStage{
		StepScreen:   {StagePassed, StageFailed},
		StepDecide:   {StageSelected, StageReserve, StageRejected},
		StepWithdraw: {StageWithdrawn},
	}[step]
	if !slices.Contains(allowed, d.To) {
		p.Add("outcome", MsgOneOf, "Allowed", joinKinds(allowed), "Value", d.To)
	}
	if d.Leader && d.To != StageSelected {
		p.Add("leader", MsgLeaderSelected)
	}
	if (d.To == StageFailed || d.To == StageRejected) && strings.TrimSpace(d.Note) == "" {
		p.Add("note", MsgSayWhy)
	}
	maxLen(&p, "note", d.Note, MaxNote)
	return p.Err(string(step))
}

// TeamRole is a team member's role.
type TeamRole string

// The roles on a team.
const (
	RoleLeader TeamRole = "leader"
	RoleOnTeam TeamRole = "member"
)

// TeamMember is a person on a mission's team.
type TeamMember struct {
	MissionID     string   `json:"mission_id"`
	PersonID      string   `json:"person_id"`
	SlotID        string   `json:"slot_id,omitempty"`
	Role          TeamRole `json:"role"`
	ApplicationID string   `json:"application_id,omitempty"` // empty for a member recorded from history
	Name          string   `json:"name"`
	Title         string   `json:"title,omitempty"`
	Specialty     string   `json:"specialty,omitempty"`
	// BirthDate is the member's, for those who may see it; zero otherwise.
	BirthDate Date `json:"birth_date,omitzero"`
}

// Team is a mission's team and its facts.
type Team struct {
	Members     []TeamMember `json:"members"`
	Specialties []string     `json:"specialties"`
	// AverageAge is the average age on the departure date, in tenths of a
	// year, of the members whose birth date is known; Aged says how many.
	AverageAge int `json:"average_age_tenths,omitempty"`
	Aged       int `json:"aged"`
}

// TeamOf returns the team of members with its specialties, each once in
// the order first met, and its average age on departure in tenths of a
// year, rounded, from the birth dates given.
func TeamOf(members []TeamMember, births []Date, departure Date) Team {
	t := Team{Members: members, Specialties: []string{}}
	if t.Members == nil {
		t.Members = []TeamMember{}
	}
	sum := 0
	for i, m := range members {
		if m.Specialty != "" && !slices.Contains(t.Specialties, m.Specialty) {
			t.Specialties = append(t.Specialties, m.Specialty)
		}
		if i < len(births) && !births[i].IsZero() {
			sum += AgeOn(births[i], departure)
			t.Aged++
		}
	}
	if t.Aged > 0 {
		t.AverageAge = (sum*20 + t.Aged) / (2 * t.Aged)
	}
	return t
}

// MissionFilter selects missions. Zero fields select everything.
type MissionFilter struct {
	PartnershipID  string
	ProgramID      string
	OrganizationID string // the sending or the host organization
	Status         string
	// Forming selects the missions still being formed (draft and
	// recruiting), soonest deadline first.
	Forming bool
	Cursor  string
	Limit   int
}

// Messages of missions and selection.
var (
	MsgSameHost            = msg("same_host", "the sending and the host organization must be two different organizations")
	MsgDeadlineAfterStart  = msg("deadline_after_start", "the team must be formed by the day it leaves ({{.Starts}})")
	MsgMissionCancelReason = msg("mission_cancel_reason", "say why the mission is cancelled")
	MsgSlotRequired        = msg("slot_required", "give the team at least one slot: a specialty and how many")
	MsgMissionTransition   = msg("mission_transition", "mission {{.Sequence}} is {{.Status}} and cannot become {{.To}}")
	MsgShortStaffed        = msg("short_staffed", "{{.Filled}} of {{.Total}} places are filled: fill them, or confirm the team short-staffed and say why")
	MsgNoLeader            = msg("no_leader", "the team needs exactly one leader before it is formed: select one applicant as leader")
	MsgDatesFixed          = msg("dates_fixed", "the team has left: its dates can no longer change")
	MsgSequenceTaken       = msg("sequence_taken", "the partnership already has a team number {{.Sequence}}")
	MsgWrongSpecialty      = msg("wrong_specialty", "the place is for {{.Specialty}}, and the person's specialty is “{{.Has}}”")
	MsgLacksLanguage       = msg("lacks_language", "the place asks for language {{.Language}}")
	MsgTitleTooLow         = msg("title_too_low", "the place asks for a title of at least {{.Min}}")
	MsgAgeUnknown          = msg("age_unknown", "the place asks for an age of at most {{.Max}} on departure, and the person's birth date is not known")
	MsgTooOld              = msg("too_old", "the place asks for an age of at most {{.Max}} on departure; the person will be {{.Age}}")
	MsgNotRecruiting       = msg("not_recruiting", "mission {{.Sequence}} is {{.Status}}: it takes applications and decisions only while recruiting")
	MsgNoSuchSlot          = msg("no_such_slot", "the mission has no slot {{.ID}}")
	MsgNotSending          = msg("not_sending", "the person belongs to another organization: only people of the sending organization apply")
	MsgAlreadyApplied      = msg("already_applied", "the person already applied for this mission")
	MsgNotScreened         = msg("not_screened", "the application is not screened yet: the department's screener passes or fails it first")
	MsgStageTransition     = msg("stage_transition", "the application is {{.Stage}} and cannot become {{.To}}")
	MsgLeaderSelected      = msg("leader_selected", "only a selected applicant can lead the team")
	MsgSayWhy              = msg("say_why", "say why, for the applicant")
	MsgSlotFull            = msg("slot_full", "all {{.Count}} places for {{.Specialty}} are filled")
	MsgOverlap             = msg("overlap", "the person is on mission {{.Sequence}} of “{{.Partnership}}” from {{.Starts}} to {{.Ends}}, whose dates overlap")
	MsgLeaderTaken         = msg("leader_taken", "{{.Name}} already leads the team")
	MsgSlotInUse           = msg("slot_in_use", "the slot for {{.Specialty}} has applications: it cannot be removed")
	MsgSlotBelowFilled     = msg("slot_below_filled", "{{.Filled}} people are already selected for {{.Specialty}}: the slot cannot be smaller")
	MsgTeamClosed          = msg("team_closed", "mission {{.Sequence}} is {{.Status}}: its leader can no longer change")
	MsgNotOnTeam           = msg("not_on_team", "the person is not on the mission's team")
	MsgMissionInUse        = msg("mission_in_use", "mission {{.Sequence}} has applications or a team: cancel it instead")
)

// YearFacts is what a program or partnership sent in one year: the teams
// that left that year and the places they filled.
type YearFacts struct {
	Year        int `json:"year"`
	Teams       int `json:"teams"`
	PersonTimes int `json:"person_times"`
}

// TeamFacts is what a program or partnership sent, counted from the
// records of its missions and teams, never stored: the teams that left
// (deployed or returned), the person-times (one per member of each such
// team), and both by the year of departure.
type TeamFacts struct {
	Teams       int         `json:"teams"`
	PersonTimes int         `json:"person_times"`
	ByYear      []YearFacts `json:"by_year"`
}

// NoteFormingDeadline is the notification a sending organization gets,
// once, when a mission's formation deadline comes within
// FormingWarningDays with places open.
const (
	NoteFormingDeadline = "mission_forming"
	FormingWarningDays  = 3
)

// Candidate is an applicant the roster may place: a passed or reserve
// application with the person, the missions they went on recently, and
// whether they are on a team whose dates overlap the mission's.
type Candidate struct {
	Application Application
	Person      Person
	Recent      int  // missions that left in the RecentYears before departure
	Busy        bool // on a team whose dates overlap
}

// RecentYears is how far back a roster looks for a candidate's missions:
// fewer recent missions are preferred, so that the burden is shared.
const RecentYears = 10

// RosterLine is one placement a roster proposes: an application onto its
// slot.
type RosterLine struct {
	ApplicationID string           `json:"application_id"`
	PersonID      string           `json:"person_id"`
	PersonName    string           `json:"person_name"`
	SlotID        string           `json:"slot_id"`
	Specialty     string           `json:"specialty"`
	Stage         ApplicationStage `json:"stage"`
	Recent        int              `json:"recent_missions"`
	Version       int64            `json:"version" doc:"The application's version, for its decision"`
	// Moved says the line places the applicant on another slot than the
	// one applied for.
	Moved bool `json:"moved,omitempty"`
}

// RosterGap is a slot a roster leaves with open places: nobody fits them.
type RosterGap struct {
	SlotID    string `json:"slot_id"`
	Specialty string `json:"specialty"`
	Open      int    `json:"open"`
}

// Roster is a proposal for the open places of a mission: each line is
// accepted as a decision, with the decision's checks.
type Roster struct {
	Lines []RosterLine `json:"lines"`
	Gaps  []RosterGap  `json:"gaps"`
	// Cost is the proposal's total cost, which no other placement of as
	// many people beats: the solver proves it.
	Cost int64 `json:"cost"`
}
