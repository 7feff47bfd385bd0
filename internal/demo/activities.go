package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// The field work of Xinhua Hospital's 4th team to Baoshan People's
// Hospital, logged by the demo doctor, who is on the team.
//
// What the account gives, and what is therefore fact here: the teams work
// six months, 180 days, at Baoshan People's Hospital; they see patients in
// specialty clinics, joint clinics and surgery, teach the local staff by
// teaching rounds, discussion of difficult cases and academic lectures,
// write papers together and take part in the management of departments;
// and, answering the Baoshan Municipal Health Bureau's plan for Shanghai
// experts in town and countryside, give charity services, take healthcare
// to the countryside, serve patients at home and make medical tours.
//
// What the account does not give, and is therefore a placeholder: every
// count of patients or participants, every day and place, and which
// members took part. The week below is invented: specialty clinics on
// Tuesdays and Thursdays, surgery on Mondays, a teaching round on
// Wednesdays, a joint clinic every other Wednesday, a lecture on the first
// Friday of the month, a charity service on the second Saturday and a
// countryside visit on the fourth Thursday. Sundays are free.

// weekPlan is one kind of activity of the invented week: on which days of
// a month it falls, where, and the range its placeholder count is spread
// over.
type weekPlan struct {
	kind      domain.ActivityKind
	on        func(d domain.Date) bool
	place     string
	min, span int
}

// nthWeekday reports whether d is the n-th such weekday of its month.
func nthWeekday(wd time.Weekday, n int) func(domain.Date) bool {
	return func(d domain.Date) bool { return d.Time().Weekday() == wd && (d.Day-1)/7 == n-1 }
}

func weekday(wds ...time.Weekday) func(domain.Date) bool {
	return func(d domain.Date) bool { return slices.Contains(wds, d.Time().Weekday()) }
}

var baoshanWeek = []weekPlan{
	{kind: "specialty_clinic", on: weekday(time.Tuesday, time.Thursday), place: "Outpatient department, Baoshan People's Hospital", min: 25, span: 21},
	{kind: "surgery", on: weekday(time.Monday), place: "Operating theatre, Baoshan People's Hospital", min: 2, span: 3},
	{kind: "teaching_round", on: weekday(time.Wednesday), place: "Wards, Baoshan People's Hospital", min: 8, span: 9},
	{kind: "joint_clinic", on: func(d domain.Date) bool {
		_, w := d.Time().ISOWeek()
		return d.Time().Weekday() == time.Wednesday && w%2 == 0
	}, place: "Outpatient department, Baoshan People's Hospital", min: 12, span: 11},
	{kind: "lecture", on: nthWeekday(time.Friday, 1), place: "Lecture hall, Baoshan People's Hospital", min: 40, span: 41},
	{kind: "charity_service", on: nthWeekday(time.Saturday, 2), place: "Baoshan town square", min: 100, span: 101},
	{kind: "countryside_visit", on: nthWeekday(time.Thursday, 4), place: "A township health center of Baoshan", min: 60, span: 91},
}

// inventedCount spreads a plan's count over its range by the day, so
// that the figures vary and stay the same at every load.
func inventedCount(p weekPlan, d domain.Date) int {
	return p.min + (d.Day*7+int(d.Month)*3)%p.span
}

// loadActivities logs the field work of the 4th team to Baoshan over its
// six months, a day at a time as the demo doctor, who must be on the team.
func loadActivities(ctx context.Context, s *store.Store, orgIDs map[string]string, who demoLogins) error {
	list, _, err := s.ListPartnerships(ctx, domain.PartnershipFilter{OrganizationID: orgIDs[xinhua], Limit: 100})
	if err != nil {
		return err
	}
	var team4 domain.Mission
	for _, p := range list {
		if p.ProviderID != orgIDs[xinhua] || p.RecipientID != orgIDs[baoshan] {
			continue
		}
		missions, _, err := s.ListMissions(ctx, domain.MissionFilter{PartnershipID: p.ID, Limit: 100})
		if err != nil {
			return err
		}
		for _, m := range missions {
			if m.Sequence == 4 {
				team4 = m
			}
		}
	}
	if team4.ID == "" {
		return fmt.Errorf("no 4th team of Xinhua Hospital to Baoshan")
	}
	members, err := s.Team(ctx, team4.ID)
	if err != nil {
		return err
	}
	var others []string
	onTeam := false
	for _, tm := range members {
		if tm.PersonID == who.doctorPerson {
			onTeam = true
		} else {
			others = append(others, tm.PersonID)
		}
	}
	if !onTeam || len(others) == 0 {
		return fmt.Errorf("the demo doctor is not on the 4th team to Baoshan with others")
	}
	by := store.Actor{UserID: who.doctor}
	for d := team4.StartsOn; !team4.EndsOn.Before(d); d = domain.DateOf(d.Time().AddDate(0, 0, 1)) {
		var day []domain.Activity
		for i, p := range baoshanWeek {
			if !p.on(d) {
				continue
			}
			// The doctor and one other member, in turn.
			people := []string{who.doctorPerson, others[(d.Day+i)%len(others)]}
			day = append(day, domain.Activity{MissionID: team4.ID, Kind: p.kind, DoneOn: d, Count: inventedCount(p, d),
				PersonIDs: people, Place: p.place})
		}
		if len(day) == 0 {
			continue
		}
		if err := s.CreateActivities(ctx, by, day); err != nil {
			return fmt.Errorf("log the field work of team 4 to Baoshan on %s: %w", d, err)
		}
	}
	return nil
}
