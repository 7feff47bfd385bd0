package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// ActivityKind is what a team did: see patients, operate, teach, serve
// the countryside.
type ActivityKind string

// ActivityKinds lists every kind of field work, in the order forms offer
// them: the medical work, the teaching and research, the management of
// departments, then the services beyond the hospital.
var ActivityKinds = []ActivityKind{"specialty_clinic", "joint_clinic", "surgery", "teaching_round", "case_discussion", "lecture",
	"paper_collaboration", "management", "charity_service", "countryside_visit", "home_visit", "medical_tour", "training_course"}

// Activity is what a mission's team did on one day: a kind of work, the
// patients or participants it reached, and the members involved. Its
// partnership is its mission's, set by the store.
type Activity struct {
	Meta
	MissionID     string       `json:"mission_id"`
	PartnershipID string       `json:"partnership_id"`
	Kind          ActivityKind `json:"kind"`
	DoneOn        Date         `json:"done_on"`
	Count         int          `json:"count"` // patients or participants
	PersonIDs     []string     `json:"person_ids"`
	Place         string       `json:"place,omitempty"`
	Notes         string       `json:"notes,omitempty"`
	CreatedBy     string       `json:"created_by,omitempty"` // the user who logged it
}

// Validate returns an EINVALID error naming every field that is wrong.
func (a *Activity) Validate() error {
	var p Problems
	a.check(&p, "")
	return p.Err("activity")
}

// check notes what is wrong with a, each field named after prefix
// ("activities[2]." in a batch).
func (a *Activity) check(p *Problems, prefix string) {
	if a.MissionID == "" {
		p.Add(prefix+"mission_id", MsgRequired)
	}
	if !oneOf(string(a.Kind), ActivityKinds) {
		p.Add(prefix+"kind", MsgOneOf, "Allowed", joinKinds(ActivityKinds), "Value", a.Kind)
	}
	if a.DoneOn.IsZero() {
		p.Add(prefix+"done_on", MsgRequired)
	}
	if a.Count < 0 || a.Count > MaxActivityCount {
		p.Add(prefix+"count", MsgBetween, "Min", 0, "Max", MaxActivityCount, "Value", a.Count)
	}
	if len(a.PersonIDs) > MaxActivityPeople {
		p.Add(prefix+"person_ids", MsgTooMany, "Max", MaxActivityPeople)
	}
	seen := map[string]bool{}
	for _, id := range a.PersonIDs {
		if id == "" {
			p.Add(prefix+"person_ids", MsgRequired)
			break
		}
		if seen[id] {
			p.Add(prefix+"person_ids", MsgPersonTwice, "ID", id)
			break
		}
		seen[id] = true
	}
	maxLen(p, prefix+"place", a.Place, MaxShort)
	maxLen(p, prefix+"notes", a.Notes, MaxNote)
}

// ValidateActivities returns an EINVALID error naming every wrong field of
// every activity of a batch logged together, as activities[i].field; a
// batch is one mission's and holds one to MaxActivities activities.
func ValidateActivities(list []Activity) error {
	var p Problems
	if len(list) == 0 {
		p.Add("activities", MsgActivityRequired)
	}
	if len(list) > MaxActivities {
		p.Add("activities", MsgTooMany, "Max", MaxActivities)
	}
	for i := range list {
		list[i].check(&p, "activities["+itoa(i)+"].")
		if i > 0 && list[i].MissionID != list[0].MissionID {
			p.Add("activities["+itoa(i)+"].mission_id", MsgOneMission)
		}
	}
	return p.Err("activities")
}

// ActivityFits returns the problems of an activity on mission m whose team
// is the people team, each field named after prefix: it is dated from the
// departure to the return, both days counted, and names only members of the
// team. Whether the mission takes activities at all is LogsActivities'.
func (m *Mission) ActivityFits(a Activity, team []string, prefix string) Problems {
	var p Problems
	if !a.DoneOn.IsZero() && (a.DoneOn.Before(m.StartsOn) || m.EndsOn.Before(a.DoneOn)) {
		p.Add(prefix+"done_on", MsgActivityOutside, "Sequence", m.Sequence, "Starts", m.StartsOn.String(), "Ends", m.EndsOn.String(),
			"Value", a.DoneOn.String())
	}
	for _, id := range a.PersonIDs {
		if !slices.Contains(team, id) {
			p.Add(prefix+"person_ids", MsgNotOnTeam)
			break
		}
	}
	return p
}

// LogsActivities returns nil when mission m takes field work: once its
// team has left (deployed or returned); ECONFLICT naming its status and
// dates otherwise.
func (m *Mission) LogsActivities() error {
	if m.Status.DatesFixed() {
		return nil
	}
	return Refuse(ECONFLICT, "mission_id", MsgActivityNotLeft, "Sequence", m.Sequence, "Status", m.Status,
		"Starts", m.StartsOn.String(), "Ends", m.EndsOn.String())
}

// Month is a calendar month, sent as "YYYY-MM".
type Month struct {
	Year  int
	Month time.Month
}

// ParseMonth parses "YYYY-MM"; EINVALID naming the value otherwise, or a
// year outside MinYear to MaxYear.
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", strings.TrimSpace(s))
	if err != nil || t.Year() < MinYear || t.Year() > MaxYear {
		return Month{}, Fail(EINVALID, MsgMonth, "Value", s)
	}
	return Month{t.Year(), t.Month()}, nil
}

// MonthOf returns the month of d.
func MonthOf(d Date) Month { return Month{d.Year, d.Month} }

// String returns "YYYY-MM".
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, m.Month) }

// First returns the first day of the month.
func (m Month) First() Date { return Date{m.Year, m.Month, 1} }

// Last returns the last day of the month.
func (m Month) Last() Date { return DateOf(m.First().Time().AddDate(0, 1, -1)) }

// Add returns the month n months after m (before, for n negative).
func (m Month) Add(n int) Month { return MonthOf(DateOf(m.First().Time().AddDate(0, n, 0))) }

// KindCount is what was done of one kind: how many activities, reaching
// how many patients or participants.
type KindCount struct {
	Kind       ActivityKind `json:"kind"`
	Activities int          `json:"activities"`
	Count      int64        `json:"count"`
}

// ActivityDay is one day of a mission's calendar: its counts by kind, in
// the order of ActivityKinds.
type ActivityDay struct {
	Day   Date        `json:"day"`
	Kinds []KindCount `json:"kinds"`
}

// ActivityCalendar is a month of a mission's field work: the days with
// activities, in order.
type ActivityCalendar struct {
	MissionID string        `json:"mission_id"`
	Month     string        `json:"month" doc:"YYYY-MM"`
	Days      []ActivityDay `json:"days"`
}

// ActivityTotal is what a partnership's teams did of one kind in one month.
type ActivityTotal struct {
	Month      string       `json:"month" doc:"YYYY-MM"`
	Kind       ActivityKind `json:"kind"`
	Activities int          `json:"activities"`
	Count      int64        `json:"count"`
}

// ActivityFilter selects activities. Zero fields select everything; From
// and To include their days.
type ActivityFilter struct {
	MissionID     string
	PartnershipID string
	ProgramID     string
	Kind          string
	PersonID      string // a team member involved
	From, To      Date
	Cursor        string
	Limit         int
}

// Messages of field work.
var (
	MsgActivityRequired = msg("activity_required", "log at least one activity: a kind and a count")
	MsgOneMission       = msg("one_mission", "every activity logged together must be of the same mission")
	MsgPersonTwice      = msg("person_twice", "person {{.ID}} is named twice")
	MsgActivityOutside  = msg("activity_outside", "team {{.Sequence}} was away from {{.Starts}} to {{.Ends}}: an activity on {{.Value}} is outside those days")
	MsgActivityNotLeft  = msg("activity_not_left", "team {{.Sequence}} is {{.Status}}: field work is logged once the team has left, from {{.Starts}} to {{.Ends}}")
	MsgMonth            = msg("month", "“{{.Value}}” is not a month of the form YYYY-MM")
)
