package domain

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// fieldSet returns the fields err names, sorted, each once.
func fieldSet(err error) []string { return slices.Compact(fields(err)) }

func TestActivityValidate(t *testing.T) {
	t.Parallel()
	ok := func() Activity {
		return Activity{MissionID: "m1", Kind: "surgery", DoneOn: Date{2015, time.July, 6}, Count: 3, PersonIDs: []string{"p1"}}
	}
	tests := []struct {
		name string
		edit func(a *Activity)
		want []string
	}{
		{"valid", func(*Activity) {}, nil},
		{"zero count", func(a *Activity) { a.Count = 0 }, nil},
		{"largest count", func(a *Activity) { a.Count = MaxActivityCount }, nil},
		{"count too large", func(a *Activity) { a.Count = MaxActivityCount + 1 }, []string{"count"}},
		{"negative count", func(a *Activity) { a.Count = -1 }, []string{"count"}},
		{"no mission", func(a *Activity) { a.MissionID = "" }, []string{"mission_id"}},
		{"no kind", func(a *Activity) { a.Kind = "" }, []string{"kind"}},
		{"unknown kind", func(a *Activity) { a.Kind = "picnic" }, []string{"kind"}},
		{"no day", func(a *Activity) { a.DoneOn = Date{} }, []string{"done_on"}},
		{"person twice", func(a *Activity) { a.PersonIDs = []string{"p1", "p1"} }, []string{"person_ids"}},
		{"empty person", func(a *Activity) { a.PersonIDs = []string{""} }, []string{"person_ids"}},
		{"too many people", func(a *Activity) {
			a.PersonIDs = nil
			for i := range MaxActivityPeople + 1 {
				a.PersonIDs = append(a.PersonIDs, "p"+itoa(i))
			}
		}, []string{"person_ids"}},
		{"place too long", func(a *Activity) { a.Place = strings.Repeat("x", MaxShort+1) }, []string{"place"}},
		{"notes too long", func(a *Activity) { a.Notes = strings.Repeat("x", MaxNote+1) }, []string{"notes"}},
		{"everything wrong", func(a *Activity) { *a = Activity{Count: -5} }, []string{"count", "done_on", "kind", "mission_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ok()
			tt.edit(&a)
			err := a.Validate()
			if got := fieldSet(err); !slices.Equal(got, tt.want) {
				t.Errorf("Validate() fields = %v, want %v (%v)", got, tt.want, err)
			}
			if err != nil && ErrorCode(err) != EINVALID {
				t.Errorf("Validate() code = %s, want invalid", ErrorCode(err))
			}
		})
	}
	// Every kind of the list is valid.
	for _, k := range ActivityKinds {
		a := ok()
		a.Kind = k
		if err := a.Validate(); err != nil {
			t.Errorf("kind %s: %v", k, err)
		}
	}
}

func TestValidateActivities(t *testing.T) {
	t.Parallel()
	a := Activity{MissionID: "m1", Kind: "lecture", DoneOn: Date{2015, time.July, 6}, Count: 40}
	tests := []struct {
		name string
		list []Activity
		want []string
	}{
		{"one", []Activity{a}, nil},
		{"none", nil, []string{"activities"}},
		{"the third wrong", []Activity{a, a, {MissionID: "m1", Kind: "lecture", DoneOn: a.DoneOn, Count: -1}}, []string{"activities[2].count"}},
		{"two missions", []Activity{a, {MissionID: "m2", Kind: "lecture", DoneOn: a.DoneOn}}, []string{"activities[1].mission_id"}},
		{"too many", slices.Repeat([]Activity{a}, MaxActivities+1), []string{"activities"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fieldSet(ValidateActivities(tt.list)); !slices.Equal(got, tt.want) {
				t.Errorf("ValidateActivities() fields = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestActivityFits(t *testing.T) {
	t.Parallel()
	m := Mission{Sequence: 4, StartsOn: Date{2015, time.July, 1}, EndsOn: Date{2015, time.December, 31}, Status: MissionDeployed}
	team := []string{"chen", "li"}
	tests := []struct {
		name   string
		on     Date
		people []string
		want   []string
	}{
		{"departure day", m.StartsOn, nil, nil},
		{"return day", m.EndsOn, []string{"chen", "li"}, nil},
		{"the day before", Date{2015, time.June, 30}, nil, []string{"x.done_on"}},
		{"the day after", Date{2016, time.January, 1}, nil, []string{"x.done_on"}},
		{"not on the team", Date{2015, time.August, 3}, []string{"chen", "wang"}, []string{"x.person_ids"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := m.ActivityFits(Activity{DoneOn: tt.on, PersonIDs: tt.people}, team, "x.")
			if got := fieldSet(p.Err("activity")); !slices.Equal(got, tt.want) {
				t.Errorf("ActivityFits() = %v, want %v", got, tt.want)
			}
		})
	}
	for _, s := range MissionStatuses {
		m.Status = s
		err := m.LogsActivities()
		if want := s == MissionDeployed || s == MissionReturned; (err == nil) != want {
			t.Errorf("status %s logs activities: %v, want %v", s, err, want)
		}
		if err != nil && (ErrorCode(err) != ECONFLICT || !strings.Contains(err.Error(), "2015-07-01") || !strings.Contains(err.Error(), "2015-12-31")) {
			t.Errorf("status %s: %v, want a conflict naming the dates", s, err)
		}
	}
}

func TestMonth(t *testing.T) {
	t.Parallel()
	m, err := ParseMonth("2016-02")
	if err != nil || m.String() != "2016-02" || m.First() != (Date{2016, time.February, 1}) || m.Last() != (Date{2016, time.February, 29}) {
		t.Errorf("ParseMonth(2016-02) = %v %v, last %v", m, err, m.Last())
	}
	if got := m.Add(-2).String(); got != "2015-12" {
		t.Errorf("two months before 2016-02: %s", got)
	}
	if got := m.Add(11).String(); got != "2017-01" {
		t.Errorf("eleven months after 2016-02: %s", got)
	}
	for _, bad := range []string{"", "2016-13", "2016-2x", "16-02", "2016-02-01", "0000-01"} {
		if _, err := ParseMonth(bad); ErrorCode(err) != EINVALID {
			t.Errorf("ParseMonth(%q): %v, want invalid", bad, err)
		}
	}
}
