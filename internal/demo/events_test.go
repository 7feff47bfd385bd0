package demo_test

import (
	"context"
	"testing"
	"time"

	"aidbridge/internal/account"
	"aidbridge/internal/demo"
	"aidbridge/internal/domain"
	"aidbridge/internal/store/storetest"
)

// TestDemoEvents: the events of the accounts come out of the demo data as
// the accounts give them.
func TestDemoEvents(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, storetest.Backends(t)[0])
	if _, err := demo.Load(ctx, s, account.NewService(s)); err != nil {
		t.Fatalf("Load: %v", err)
	}
	cmf := findOrg(t, s, "Children's Medical Foundation (CMF)")
	nhc := findOrg(t, s, "National Health Commission of the People's Republic of China")
	meetings, _, err := s.ListEvents(ctx, domain.EventFilter{Kind: "meeting", OrganizationID: cmf.ID})
	if err != nil || len(meetings) != 1 {
		t.Fatalf("CMF's meetings: %d (%v), want the one of 2023", len(meetings), err)
	}
	m := meetings[0]
	if m.StartsOn.String() != "2023-05-18" || len(m.Attendees) != 8 || len(m.ActionItems) != 4 || m.ProgramID != findProgram(t, s, "Remote and Emergency Action, Nujiang").ID {
		t.Errorf("the 2023 meeting: %s, %d attendees, %d action items, program %q", m.StartsOn, len(m.Attendees), len(m.ActionItems), m.ProgramID)
	}
	for _, a := range m.Attendees {
		if a.PersonID == "" {
			t.Errorf("attendee %s has no person record", a.Name)
		}
	}
	today := domain.DateOf(time.Now().UTC())
	overdue := 0
	for _, a := range m.ActionItems {
		if a.Overdue(today) {
			overdue++
		}
	}
	if overdue != 1 {
		t.Errorf("%d action items overdue, want 1", overdue)
	}
	confs, _, _ := s.ListEvents(ctx, domain.EventFilter{Kind: "conference", OrganizationID: nhc.ID})
	if len(confs) != 1 || confs[0].Sessions != 40 || confs[0].CountriesReached != 100 || !confs[0].Virtual {
		t.Errorf("the virtual conferences: %+v, want one record of 40 sessions reaching 100 countries", confs)
	}
	visits, _, _ := s.ListEvents(ctx, domain.EventFilter{Kind: "visit", From: domain.Date{Year: 2020, Month: 1, Day: 1}})
	countries := map[string]bool{}
	for _, v := range visits {
		countries[v.Country] = true
	}
	for _, c := range []string{"IT", "RS", "KH", "PK", "VE", "LA"} {
		if !countries[c] {
			t.Errorf("no expert team visit to %s in 2020", c)
		}
	}
	first, _, _ := s.ListEvents(ctx, domain.EventFilter{Kind: "visit", To: domain.Date{Year: 1988, Month: 12, Day: 31}})
	if len(first) != 1 || first[0].StartsOn != domain.YearOf(1988) {
		t.Errorf("Project HOPE's first visit: %+v, want one of the year 1988", first)
	}
	fellows, _, _ := s.ListEvents(ctx, domain.EventFilter{Kind: "fellowship"})
	if len(fellows) != 1 || fellows[0].Country != "US" || fellows[0].PersonID == "" || fellows[0].StartsOn.Precision != domain.PrecisionYear {
		t.Errorf("Liu Jinfen's fellowship: %+v", fellows)
	}
	// The sweep tells CMF's coordinator of the overdue item, once.
	if n, err := s.NoteOverdueActionItems(ctx, today); err != nil || n != 1 {
		t.Errorf("overdue items noted %d (%v), want 1", n, err)
	}
}
