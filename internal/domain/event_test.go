package domain

import (
	"slices"
	"strings"
	"testing"
)

func TestEventValidate(t *testing.T) {
	due := Date{Year: 2023, Month: 9, Day: 30}
	base := func() Event {
		return Event{Kind: EventMeeting, Title: "CMF and SCMC on neonatal health", StartsOn: DayOf(Date{Year: 2023, Month: 5, Day: 18}),
			HostID: "scmc", ParticipantIDs: []string{"cmf"},
			Attendees:   []Attendee{{Name: "Alex NG", OrganizationID: "cmf", Role: "Chairman"}},
			Topics:      []string{"Remote and Emergency Action in Nujiang"},
			ActionItems: []ActionItem{{Title: "Publish the results", OwnerID: "cmf", Due: due, Status: ActionOpen}}}
	}
	tests := []struct {
		name   string
		change func(*Event)
		want   []string
	}{
		{"valid", func(*Event) {}, nil},
		{"a year of history", func(e *Event) { e.Kind, e.StartsOn, e.Virtual = EventVisit, YearOf(1988), false }, nil},
		{"no kind, title, start or host", func(e *Event) { e.Kind, e.Title, e.StartsOn, e.HostID = "", " ", PartialDate{}, "" },
			[]string{"host_id", "kind", "starts_on", "title"}},
		{"ends before it starts", func(e *Event) { e.EndsOn = YearOf(2022) }, []string{"ends_on"}},
		{"a country that is none", func(e *Event) { e.Country = "XX" }, []string{"country"}},
		{"a virtual visit", func(e *Event) { e.Kind, e.Virtual = EventVisit, true }, []string{"virtual"}},
		{"the host as participant", func(e *Event) { e.ParticipantIDs = []string{"scmc"} }, []string{"participant_ids[0]"}},
		{"a participant twice", func(e *Event) { e.ParticipantIDs = []string{"cmf", "cmf"} }, []string{"participant_ids"}},
		{"countries reached of a meeting", func(e *Event) { e.CountriesReached = 100 }, []string{"countries_reached"}},
		{"sessions of a meeting", func(e *Event) { e.Sessions = 2 }, []string{"sessions"}},
		{"a conference", func(e *Event) { e.Kind, e.Sessions, e.CountriesReached, e.Virtual = EventConference, 40, 100, true }, nil},
		{"a conference without sessions", func(e *Event) { e.Kind = EventConference }, []string{"sessions"}},
		{"a conference reaching too many", func(e *Event) { e.Kind, e.Sessions, e.CountriesReached = EventConference, 1, MaxCountriesReached+1 },
			[]string{"countries_reached"}},
		{"a fellowship without its person", func(e *Event) { e.Kind = EventFellowship }, []string{"person_id"}},
		{"a fellowship", func(e *Event) { e.Kind, e.PersonID, e.Institution = EventFellowship, "liu", "a US hospital" }, nil},
		{"a person studying at a meeting", func(e *Event) { e.PersonID, e.Institution = "liu", "x" }, []string{"institution", "person_id"}},
		{"an attendee without name or organization", func(e *Event) { e.Attendees = append(e.Attendees, Attendee{}) },
			[]string{"attendees[1].name", "attendees[1].organization_id"}},
		{"a role too long", func(e *Event) { e.Attendees[0].Role = strings.Repeat("r", MaxShort+1) }, []string{"attendees[0].role"}},
		{"an empty topic", func(e *Event) { e.Topics = []string{"a", ""} }, []string{"topics[1]"}},
		{"a decision too long", func(e *Event) { e.Decisions = []string{strings.Repeat("d", MaxNote+1)} }, []string{"decisions[0]"}},
		{"too many topics", func(e *Event) { e.Topics = slices.Repeat([]string{"t"}, MaxTopics+1) }, []string{"topics"}},
		{"an action item without owner, due or status", func(e *Event) {
			e.ActionItems = append(e.ActionItems, ActionItem{Title: "x"}, ActionItem{Title: "y", OwnerID: "cmf", Due: due, Status: ActionOpen})
			e.ActionItems[2].Due = Date{}
		}, []string{"action_items[1].due", "action_items[1].owner_id", "action_items[1].status", "action_items[2].due"}},
		{"an action item in no status", func(e *Event) { e.ActionItems[0].Status = "later" }, []string{"action_items[0].status"}},
		{"too many action items", func(e *Event) { e.ActionItems = slices.Repeat(e.ActionItems, MaxActionItems+1) }, []string{"action_items"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := base()
			tt.change(&e)
			err := e.Validate()
			if got := fields(err); !slices.Equal(got, tt.want) {
				t.Errorf("fields %v, want %v (%v)", got, tt.want, err)
			}
			if err != nil && ErrorCode(err) != EINVALID {
				t.Errorf("code %s, want invalid", ErrorCode(err))
			}
		})
	}
}

func TestActionItemOverdue(t *testing.T) {
	today := Date{Year: 2024, Month: 1, Day: 10}
	tests := []struct {
		due    Date
		status ActionStatus
		want   bool
	}{
		{Date{Year: 2024, Month: 1, Day: 9}, ActionOpen, true},
		{today, ActionOpen, false},
		{Date{Year: 2024, Month: 1, Day: 9}, ActionDone, false},
		{Date{Year: 2024, Month: 1, Day: 9}, ActionDropped, false},
	}
	for _, tt := range tests {
		if got := (ActionItem{Due: tt.due, Status: tt.status}).Overdue(today); got != tt.want {
			t.Errorf("due %s, %s: overdue %v, want %v", tt.due, tt.status, got, tt.want)
		}
	}
}

func TestEventFilterValidate(t *testing.T) {
	tests := []struct {
		f    EventFilter
		want []string
	}{
		{EventFilter{Kind: "visit", Country: "it"}, nil},
		{EventFilter{Kind: "party"}, []string{"kind"}},
		{EventFilter{Country: "ZZ"}, []string{"country"}},
		{EventFilter{From: Date{Year: 2020, Month: 5, Day: 1}, To: Date{Year: 2020, Month: 4, Day: 1}}, []string{"to"}},
	}
	for _, tt := range tests {
		if got := fields(tt.f.Validate()); !slices.Equal(got, tt.want) {
			t.Errorf("%+v: fields %v, want %v", tt.f, got, tt.want)
		}
	}
}
