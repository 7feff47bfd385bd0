package store_test

import (
	"context"
	"slices"
	"testing"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
	"aidbridge/internal/store/storetest"
)

// away records the 4th team to Baoshan as deployed from starts to ends,
// with Dr. Chen and Dr. Li on it; Dr. Wang stays home.
func (f *missionFixture) away(t testing.TB, seq int, starts, ends string) domain.Mission {
	t.Helper()
	m := domain.Mission{PartnershipID: f.partnership, Sequence: seq, SendingID: f.xinhua, HostID: f.baoshan,
		StartsOn: day(t, starts), EndsOn: day(t, ends), Status: domain.MissionDeployed,
		Slots: []domain.Slot{{Specialty: "Cardiology", Count: 2}}}
	team := []domain.TeamMember{{PersonID: f.doctors[0].ID, Role: domain.RoleLeader}, {PersonID: f.doctors[1].ID}}
	if err := f.s.RecordMission(context.Background(), admin, &m, team); err != nil {
		t.Fatal(err)
	}
	return m
}

func activity(m domain.Mission, kind domain.ActivityKind, on domain.Date, count int, people ...string) domain.Activity {
	return domain.Activity{MissionID: m.ID, Kind: kind, DoneOn: on, Count: count, PersonIDs: people}
}

func countActivities(t *testing.T, s *store.Store, missionID string) int {
	t.Helper()
	list, _, err := s.ListActivities(context.Background(), domain.ActivityFilter{MissionID: missionID, Limit: domain.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

func TestActivityBatch(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newMissions(t, storetest.Open(t, b))
			m := f.away(t, 4, "2015-07-01", "2015-12-31")
			chen, li, wang := f.doctors[0].ID, f.doctors[1].ID, f.doctors[2].ID

			// One day, two activities, in one go: each gets the mission's
			// partnership and the user who logged it.
			batch := []domain.Activity{
				activity(m, "specialty_clinic", day(t, "2015-07-06"), 38, li, chen),
				activity(m, "surgery", day(t, "2015-07-06"), 3, chen),
			}
			batch[0].Place = "Cardiology outpatient clinic"
			if err := f.s.CreateActivities(ctx, admin, batch); err != nil {
				t.Fatal(err)
			}
			got, err := f.s.FindActivity(ctx, batch[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.PartnershipID != f.partnership || got.CreatedBy != admin.UserID || got.Count != 38 || got.Place != "Cardiology outpatient clinic" ||
				!slices.Equal(got.PersonIDs, slices.Sorted(slices.Values([]string{chen, li}))) || got.Version != 1 {
				t.Errorf("stored activity = %+v", got)
			}

			// A batch with one wrong activity stores none of them, and names
			// the fields at fault by their place in the batch.
			for _, tc := range []struct {
				name  string
				bad   domain.Activity
				field string
				code  string
			}{
				{"before departure", activity(m, "lecture", day(t, "2015-06-30"), 40), "activities[1].done_on", domain.EINVALID},
				{"after return", activity(m, "lecture", day(t, "2016-01-01"), 40), "activities[1].done_on", domain.EINVALID},
				{"not on the team", activity(m, "lecture", day(t, "2015-07-07"), 40, wang), "activities[1].person_ids", domain.EINVALID},
				{"negative count", activity(m, "lecture", day(t, "2015-07-07"), -1), "activities[1].count", domain.EINVALID},
				{"unknown kind", activity(m, "picnic", day(t, "2015-07-07"), 1), "activities[1].kind", domain.EINVALID},
			} {
				t.Run(tc.name, func(t *testing.T) {
					err := f.s.CreateActivities(ctx, admin, []domain.Activity{activity(m, "teaching_round", day(t, "2015-07-07"), 12), tc.bad})
					if domain.ErrorCode(err) != tc.code || fieldCodes(err)[tc.field] == nil {
						t.Errorf("CreateActivities: %v (fields %v), want %s on %s", err, fieldCodes(err), tc.code, tc.field)
					}
					if n := countActivities(t, f.s, m.ID); n != 2 {
						t.Errorf("%d activities stored, want the first 2 only", n)
					}
				})
			}
			// The message names the mission's days.
			err = f.s.CreateActivities(ctx, admin, []domain.Activity{activity(m, "lecture", day(t, "2016-01-01"), 40)})
			if fe := domain.ErrorFields(err); len(fe) != 1 || fe[0].Args["Starts"] != "2015-07-01" || fe[0].Args["Ends"] != "2015-12-31" {
				t.Errorf("outside the days: %v", err)
			}

			// A team that has not left logs nothing.
			forming := f.mission(t, 5, "2016-01-10", "2016-07-09", 2)
			err = f.s.CreateActivities(ctx, admin, []domain.Activity{activity(forming, "lecture", day(t, "2016-02-01"), 40)})
			if domain.ErrorCode(err) != domain.ECONFLICT || msgOf(err).ID != domain.MsgActivityNotLeft {
				t.Errorf("activity of a recruiting team: %v, want conflict", err)
			}

			// A change at a stale version is refused; at the version read,
			// it is stored, and the members are replaced.
			got.Count, got.PersonIDs = 41, []string{chen}
			stale := got
			if err := f.s.UpdateActivity(ctx, admin, &got); err != nil {
				t.Fatal(err)
			}
			stale.Count = 50
			if err := f.s.UpdateActivity(ctx, admin, &stale); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("update at a stale version: %v, want conflict", err)
			}
			again, _ := f.s.FindActivity(ctx, got.ID)
			if again.Count != 41 || !slices.Equal(again.PersonIDs, []string{chen}) || again.Version != 2 {
				t.Errorf("after the update: %+v", again)
			}
			moved := again
			moved.DoneOn = day(t, "2016-03-01")
			if err := f.s.UpdateActivity(ctx, admin, &moved); domain.ErrorCode(err) != domain.EINVALID || fieldCodes(err)["done_on"] == nil {
				t.Errorf("moved outside the days: %v, want invalid done_on", err)
			}
			if err := f.s.DeleteActivity(ctx, admin, again.ID, 1); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("delete at a stale version: %v, want conflict", err)
			}
			if err := f.s.DeleteActivity(ctx, admin, again.ID, again.Version); err != nil {
				t.Fatal(err)
			}
			if _, err := f.s.FindActivity(ctx, again.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
				t.Errorf("deleted activity: %v, want not found", err)
			}
			entries, _, err := f.s.ListAudit(ctx, domain.AuditFilter{EntityType: "activity", EntityID: again.ID})
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range entries {
				actions = append(actions, e.Action)
			}
			if !slices.Equal(actions, []string{"delete", "update", "create"}) {
				t.Errorf("audit of the activity: %v", actions)
			}
		})
	}
}

func TestActivitySums(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newMissions(t, storetest.Open(t, b))
			m := f.away(t, 4, "2015-07-01", "2015-12-31")
			chen := f.doctors[0].ID
			var batch []domain.Activity
			add := func(kind domain.ActivityKind, on string, count int) {
				batch = append(batch, activity(m, kind, day(t, on), count, chen))
			}
			add("specialty_clinic", "2015-07-06", 30)
			add("specialty_clinic", "2015-07-06", 12)
			add("surgery", "2015-07-06", 2)
			add("lecture", "2015-07-09", 60)
			add("specialty_clinic", "2015-07-31", 25)
			add("specialty_clinic", "2015-08-01", 40)
			add("countryside_visit", "2015-08-15", 120)
			add("surgery", "2015-08-20", 0)
			if err := f.s.CreateActivities(ctx, admin, batch); err != nil {
				t.Fatal(err)
			}

			cal, err := f.s.ActivityCalendar(ctx, m.ID, domain.Month{Year: 2015, Month: 7})
			if err != nil {
				t.Fatal(err)
			}
			want := []domain.ActivityDay{
				{Day: day(t, "2015-07-06"), Kinds: []domain.KindCount{{Kind: "specialty_clinic", Activities: 2, Count: 42}, {Kind: "surgery", Activities: 1, Count: 2}}},
				{Day: day(t, "2015-07-09"), Kinds: []domain.KindCount{{Kind: "lecture", Activities: 1, Count: 60}}},
				{Day: day(t, "2015-07-31"), Kinds: []domain.KindCount{{Kind: "specialty_clinic", Activities: 1, Count: 25}}},
			}
			if cal.Month != "2015-07" || !slices.EqualFunc(cal.Days, want, func(a, b domain.ActivityDay) bool {
				return a.Day == b.Day && slices.Equal(a.Kinds, b.Kinds)
			}) {
				t.Errorf("calendar of July =\n\t%+v\nwant\n\t%+v", cal.Days, want)
			}

			totals, err := f.s.ActivityTotals(ctx, f.partnership, domain.Date{}, domain.Date{})
			if err != nil {
				t.Fatal(err)
			}
			wantTotals := []domain.ActivityTotal{
				{Month: "2015-07", Kind: "specialty_clinic", Activities: 3, Count: 67},
				{Month: "2015-07", Kind: "surgery", Activities: 1, Count: 2},
				{Month: "2015-07", Kind: "lecture", Activities: 1, Count: 60},
				{Month: "2015-08", Kind: "specialty_clinic", Activities: 1, Count: 40},
				{Month: "2015-08", Kind: "surgery", Activities: 1, Count: 0},
				{Month: "2015-08", Kind: "countryside_visit", Activities: 1, Count: 120},
			}
			if !slices.Equal(totals, wantTotals) {
				t.Errorf("totals =\n\t%+v\nwant\n\t%+v", totals, wantTotals)
			}
			// The months the database keeps for reports say the same, and
			// keep saying it when an activity moves to another month and
			// kind and when one is deleted.
			kept := func(what string) {
				t.Helper()
				all, err := f.s.ActivityTotals(ctx, f.partnership, domain.Date{}, domain.Date{})
				if err != nil {
					t.Fatal(err)
				}
				got, err := f.s.ScopeActivityTotals(ctx, store.ReportScope{PartnershipID: f.partnership})
				if err != nil || !slices.Equal(got, all) {
					t.Errorf("%s: kept months =\n\t%+v, %v\nthe records say\n\t%+v", what, got, err, all)
				}
			}
			kept("after the batch")
			list, _, err := f.s.ListActivities(ctx, domain.ActivityFilter{MissionID: m.ID, Kind: "lecture"})
			if err != nil || len(list) != 1 {
				t.Fatalf("the lecture: %d, %v", len(list), err)
			}
			moved := list[0]
			moved.Kind, moved.DoneOn, moved.Count = "teaching_round", day(t, "2015-09-02"), 15
			if err := f.s.UpdateActivity(ctx, admin, &moved); err != nil {
				t.Fatal(err)
			}
			kept("after a change of kind, month and count")
			if err := f.s.DeleteActivity(ctx, admin, moved.ID, moved.Version); err != nil {
				t.Fatal(err)
			}
			kept("after a delete")
			if err := f.s.CreateActivities(ctx, admin, []domain.Activity{activity(m, "lecture", day(t, "2015-07-09"), 60, chen)}); err != nil {
				t.Fatal(err)
			}
			kept("after the lecture is logged again")

			// From and to count their days.
			totals, err = f.s.ActivityTotals(ctx, f.partnership, day(t, "2015-07-31"), day(t, "2015-08-01"))
			if err != nil {
				t.Fatal(err)
			}
			wantTotals = []domain.ActivityTotal{
				{Month: "2015-07", Kind: "specialty_clinic", Activities: 1, Count: 25},
				{Month: "2015-08", Kind: "specialty_clinic", Activities: 1, Count: 40},
			}
			if !slices.Equal(totals, wantTotals) {
				t.Errorf("totals of two days =\n\t%+v\nwant\n\t%+v", totals, wantTotals)
			}

			latest, err := f.s.LatestActivity(ctx, m.ID)
			if err != nil || latest != day(t, "2015-08-20") {
				t.Errorf("latest activity: %v %v", latest, err)
			}

			// The list pages in order of day, and filters by kind, person and days.
			var seen []string
			cursor := ""
			for range 10 {
				list, next, err := f.s.ListActivities(ctx, domain.ActivityFilter{MissionID: m.ID, Cursor: cursor, Limit: 3})
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range list {
					seen = append(seen, a.DoneOn.String())
				}
				if cursor = next; cursor == "" {
					break
				}
			}
			if len(seen) != len(batch) || !slices.IsSorted(seen) {
				t.Errorf("pages of activities: %v", seen)
			}
			list, _, err = f.s.ListActivities(ctx, domain.ActivityFilter{PartnershipID: f.partnership, Kind: "specialty_clinic",
				PersonID: chen, From: day(t, "2015-07-07"), To: day(t, "2015-08-31")})
			if err != nil || len(list) != 2 {
				t.Errorf("filtered list: %d activities, %v; want 2", len(list), err)
			}
			list, _, _ = f.s.ListActivities(ctx, domain.ActivityFilter{PersonID: f.doctors[2].ID})
			if len(list) != 0 {
				t.Errorf("activities of Dr. Wang, not on the team: %d", len(list))
			}
		})
	}
}
