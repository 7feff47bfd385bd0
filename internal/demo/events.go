package demo

import (
	"context"
	"fmt"
	"time"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// The events of the accounts: the meeting of CMF and SCMC on 18 May 2023,
// the virtual technical conferences and expert teams of the National Health
// Commission in 2020, Project HOPE's first visit in 1988 and Liu Jinfen's
// year of study in the US in the early 1990s.

// nujiangProgram is CMF's program the 2023 meeting discussed first.
var nujiangProgram = domain.Program{Name: "Remote and Emergency Action, Nujiang", Kind: "foundation_program",
	Description: "A program in Nujiang that addresses the challenges faced by children's health in remote areas by implementing a comprehensive health promotion model developed domestically."}

// attendee is someone at the 2023 meeting: the name as the account writes
// it, the name of their person record, their organization key and role.
type attendee struct {
	name, person, org, role string
}

// meetingAttendees are those the account of the 2023 meeting names, with
// the titles it gives them.
var meetingAttendees = []attendee{
	{"Alex NG", "Alex Ng", cmf, "Chairman"},
	{"Estella Huang Lung", "Estella Huang Lung", cmf, "CEO"},
	{"Guoli SHEN", "Guoli Shen", cmf, "Deputy CEO"},
	{"Guifang LI", "Guifang Li", cmf, "Project Director"},
	{"Li HONG", "Li Hong", scmc, "Vice President"},
	// The account lists him after "Vice President Ms. Li HONG and".
	{"Mazhong ZHANG", "Mazhong Zhang", scmc, "Vice President"},
	{"Yinglei YANG", "Yinglei Yang", scmc, "Office Director"},
	{"Dr. Jun BU", "Jun Bu", scmc, "Deputy Chief of Neonatology Department"},
}

// expertTeamCountries are the countries China sent expert teams to, as of
// the account of 31 March 2020.
var expertTeamCountries = []struct{ code, name string }{
	{"IT", "Italy"}, {"RS", "Serbia"}, {"KH", "Cambodia"}, {"PK", "Pakistan"}, {"VE", "Venezuela"}, {"LA", "Laos"},
}

// loadEvents stores the events of the accounts. The 2023 meeting's action
// items are the four subjects the account says were discussed; their
// owners and due dates are placeholders, set from the day the demo loads
// so that one of them is overdue.
func loadEvents(ctx context.Context, s *store.Store, orgIDs map[string]string) error {
	system := store.Actor{}
	today := loadedOn
	days := func(n int) domain.Date { return domain.DateOf(today.Time().AddDate(0, 0, n)) }
	person := func(org, name string) (string, error) {
		list, _, err := s.ListPeople(ctx, domain.PersonFilter{Query: name, OrganizationID: orgIDs[org], Limit: 2})
		if err != nil {
			return "", err
		}
		for _, p := range list {
			if p.Name == name {
				return p.ID, nil
			}
		}
		return "", fmt.Errorf("no person %q in the demo data", name)
	}
	people := map[string]string{}
	for _, a := range meetingAttendees {
		id, err := person(a.org, a.person)
		if err != nil {
			return err
		}
		people[a.person] = id
	}
	liu, err := person(scmc, "Liu Jinfen")
	if err != nil {
		return err
	}

	pr := nujiangProgram
	pr.SponsorIDs = []string{orgIDs[cmf]}
	if err := s.CreateProgram(ctx, system, &pr); err != nil {
		return fmt.Errorf("create program %q: %w", pr.Name, err)
	}
	founding, _, err := s.ListPartnerships(ctx, domain.PartnershipFilter{Query: "Founding partnership of SCMC", Limit: 1})
	if err != nil || len(founding) != 1 {
		return fmt.Errorf("find the founding partnership of SCMC: %v", err)
	}

	meeting := domain.Event{Kind: domain.EventMeeting, Title: "CMF and SCMC meeting on neonatal health",
		StartsOn: domain.DayOf(domain.Date{Year: 2023, Month: time.May, Day: 18}),
		// Who hosted it and where are not said: CMF, which called the meeting
		// "significant" in its account, is taken as host, and the country is
		// left to the host's.
		HostID: orgIDs[cmf], ParticipantIDs: []string{orgIDs[scmc]}, ProgramID: pr.ID,
		Description: "A meeting with the aim of promoting further collaboration in the field of neonatal health. " +
			"The owners and due dates of the action items are placeholders: the account names only what was discussed. " +
			"Who hosted the meeting and where are not given either.",
		Topics: []string{
			"Coordination and direction setting of child health policies",
			"The “Remote and Emergency Action” program in Nujiang",
			"The Jinxin pilot program and the consulting role of SCMC in it",
			"Effective ways to publish research results",
			"Future collaboration on continuing medical education and training",
		},
		// The account records discussions and a shared willingness to
		// strengthen cooperation, not decisions; none are invented.
		Decisions: []string{},
		ActionItems: []domain.ActionItem{
			// Placeholder owner and due date; due 30 days before the demo
			// loads, so that the page flags it overdue and CMF's coordinator
			// is told.
			{Title: "Remote and Emergency Action in Nujiang: carry the health promotion model forward", OwnerID: orgIDs[cmf],
				OwnerPersonID: people["Guifang Li"], Due: days(-30), Status: domain.ActionOpen},
			// Placeholder owner and due date.
			{Title: "Jinxin pilot program: settle SCMC's role as consultant", OwnerID: orgIDs[scmc],
				OwnerPersonID: people["Yinglei Yang"], Due: days(60), Status: domain.ActionOpen},
			// Placeholder owner and due date.
			{Title: "Publish the results of the programs", OwnerID: orgIDs[cmf],
				OwnerPersonID: people["Guoli Shen"], Due: days(120), Status: domain.ActionOpen},
			// Placeholder owner and due date.
			{Title: "Continuing medical education and training: plan the collaboration", OwnerID: orgIDs[scmc],
				OwnerPersonID: people["Jun Bu"], Due: days(90), Status: domain.ActionOpen},
		}}
	for _, a := range meetingAttendees {
		meeting.Attendees = append(meeting.Attendees, domain.Attendee{Name: a.name, PersonID: people[a.person], OrganizationID: orgIDs[a.org], Role: a.role})
	}

	events := []domain.Event{meeting,
		// "held over 40 virtual technical conferences with more than 100
		// countries and regions": one record for them all, whose 40 sessions
		// mean "over 40" and whose 100 countries mean "more than 100". The
		// account of 31 March 2020 dates them only to that year.
		{Kind: domain.EventConference, Title: "Virtual technical conferences on COVID-19 with countries and regions across the globe",
			StartsOn: domain.YearOf(2020), HostID: orgIDs[nhc], Virtual: true, Sessions: 40, CountriesReached: 100,
			Description: "Chinese health authorities and experts held over 40 virtual technical conferences with more than 100 countries and regions, " +
				"and kept in close communication with the World Health Organization. The figures are lower bounds: “over 40”, “more than 100”."},
		{Kind: domain.EventVisit, Title: "Project HOPE experts' first visit to the center", StartsOn: domain.YearOf(1988),
			HostID: orgIDs[scmc], ParticipantIDs: []string{orgIDs[hope]}, PartnershipID: founding[0].ID,
			Description: "US Project HOPE experts visited the center for the first time in 1988, after which Chinese doctors began to study overseas. " +
				"The center, then being built, opened officially in 1998; it is recorded as the host."},
		{Kind: domain.EventFellowship, Title: "Liu Jinfen studies cutting-edge technology in the US", StartsOn: domain.YearOf(1991),
			HostID: orgIDs[scmc], Country: "US", PersonID: liu, PartnershipID: founding[0].ID,
			Description: "In the early 90s Liu Jinfen went to the US to study cutting-edge technology for more than a year. " +
				"The year 1991 is a placeholder for “the early 90s”; the institution is not named."},
	}
	for _, c := range expertTeamCountries {
		events = append(events, domain.Event{Kind: domain.EventVisit, Title: "Expert team to " + c.name, StartsOn: domain.YearOf(2020),
			HostID: orgIDs[nhc], Country: c.code,
			Description: "China sent an expert team to " + c.name + " to offer epidemic-control guidance, as the National Health Commission said on 31 March 2020."})
	}
	for i := range events {
		if err := s.CreateEvent(ctx, system, &events[i]); err != nil {
			return fmt.Errorf("create event %q: %w", events[i].Title, err)
		}
	}
	return nil
}
