package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
	"aidbridge/internal/store/storetest"
)

// missionFixture is Xinhua Hospital's partnership with Baoshan People's
// Hospital, a cardiology department and three cardiologists.
type missionFixture struct {
	s                     *store.Store
	xinhua, baoshan, card string
	partnership           string
	doctors               []domain.Person
}

func day(t testing.TB, s string) domain.Date {
	t.Helper()
	d, err := domain.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// fieldCodes returns the message ids of err's field errors, by field.
func fieldCodes(err error) map[string][]domain.MsgID {
	out := map[string][]domain.MsgID{}
	for _, fe := range domain.ErrorFields(err) {
		out[fe.Field] = append(out[fe.Field], fe.Code)
	}
	return out
}

// msgOf returns the message err carries.
func msgOf(err error) domain.Message {
	var e *domain.Error
	if errors.As(err, &e) {
		return e.Msg
	}
	return domain.Message{}
}

func newMissions(t testing.TB, s *store.Store) *missionFixture {
	t.Helper()
	ctx := context.Background()
	f := &missionFixture{s: s}
	for _, o := range []struct {
		id   *string
		name string
	}{{&f.xinhua, "Xinhua Hospital"}, {&f.baoshan, "Baoshan People's Hospital"}} {
		org := domain.Organization{Name: o.name, Kind: "hospital", Country: "CN"}
		if err := s.CreateOrganization(ctx, admin, &org); err != nil {
			t.Fatal(err)
		}
		*o.id = org.ID
	}
	dep := domain.Department{OrganizationID: f.xinhua, Name: "Cardiology"}
	if err := s.CreateDepartment(ctx, admin, &dep); err != nil {
		t.Fatal(err)
	}
	f.card = dep.ID
	pr := domain.Program{Name: "Shanghai-Yunnan partner assistance", Kind: "counterpart_assistance", SponsorIDs: []string{f.xinhua}}
	if err := s.CreateProgram(ctx, admin, &pr); err != nil {
		t.Fatal(err)
	}
	ps := domain.Partnership{ProgramID: pr.ID, Name: "Xinhua - Baoshan", ProviderID: f.xinhua, RecipientID: f.baoshan, Status: domain.PartnershipActive}
	if err := s.CreatePartnership(ctx, admin, &ps); err != nil {
		t.Fatal(err)
	}
	f.partnership = ps.ID
	for i, name := range []string{"Dr. Chen", "Dr. Li", "Dr. Wang"} {
		p := domain.Person{OrganizationID: f.xinhua, DepartmentID: f.card, Name: name, Specialty: "Cardiology", TitleRank: "attending",
			Languages: []string{"zh"}, BirthDate: day(t, []string{"1985-03-01", "1990-07-15", "1980-11-30"}[i])}
		if err := s.CreatePerson(ctx, admin, &p); err != nil {
			t.Fatal(err)
		}
		f.doctors = append(f.doctors, p)
	}
	return f
}

func (f *missionFixture) mission(t testing.TB, seq int, starts, ends string, places int) domain.Mission {
	t.Helper()
	m := domain.Mission{PartnershipID: f.partnership, Sequence: seq, SendingID: f.xinhua, HostID: f.baoshan,
		StartsOn: day(t, starts), EndsOn: day(t, ends), Status: domain.MissionRecruiting,
		Slots: []domain.Slot{{Specialty: "Cardiology", Count: places, Languages: []string{"zh"}, MinTitle: "attending", MaxAge: 50}}}
	if err := f.s.CreateMission(context.Background(), admin, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// passed registers the person for the mission's first slot and passes the
// screening.
func (f *missionFixture) passed(t *testing.T, m domain.Mission, p domain.Person) domain.Application {
	t.Helper()
	ctx := context.Background()
	a := domain.Application{MissionID: m.ID, SlotID: m.Slots[0].ID, PersonID: p.ID}
	if err := f.s.Register(ctx, admin, &a); err != nil {
		t.Fatal(err)
	}
	got, err := f.s.Decide(ctx, admin, domain.Decision{ApplicationID: a.ID, To: domain.StagePassed, Note: "fit"})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestMissionSelection(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newMissions(t, storetest.Open(t, b))
			m := f.mission(t, 5, "2027-01-10", "2027-07-09", 2)

			// The number is unique within the partnership.
			dup := domain.Mission{PartnershipID: f.partnership, Sequence: 5, SendingID: f.xinhua, HostID: f.baoshan,
				StartsOn: m.StartsOn, EndsOn: m.EndsOn, Status: domain.MissionDraft, Slots: []domain.Slot{{Specialty: "Surgery", Count: 1}}}
			if err := f.s.CreateMission(ctx, admin, &dup); domain.ErrorCode(err) != domain.ECONFLICT || fieldCodes(err)["sequence"] == nil {
				t.Errorf("a second team 5: %v, want conflict on sequence", err)
			}

			// Registering: a screening comes first; a decision before it is refused.
			a := domain.Application{MissionID: m.ID, SlotID: m.Slots[0].ID, PersonID: f.doctors[0].ID, Note: "I volunteer"}
			if err := f.s.Register(ctx, admin, &a); err != nil {
				t.Fatal(err)
			}
			if a.DepartmentID != f.card || a.Stage != domain.StageRegistered || len(a.Steps) != 1 {
				t.Errorf("registered: %+v", a)
			}
			if err := f.s.Register(ctx, admin, &domain.Application{MissionID: m.ID, SlotID: m.Slots[0].ID, PersonID: f.doctors[0].ID}); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("a second application of the same person: %v, want conflict", err)
			}
			if _, err := f.s.Decide(ctx, admin, domain.Decision{ApplicationID: a.ID, To: domain.StageSelected}); domain.ErrorCode(err) != domain.ECONFLICT || msgOf(err).ID != domain.MsgNotScreened {
				t.Errorf("a decision before the screening: %v, want not_screened", err)
			}
			a, err := f.s.Decide(ctx, admin, domain.Decision{ApplicationID: a.ID, To: domain.StagePassed, Note: "fit", Version: a.Version})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.s.Decide(ctx, admin, domain.Decision{ApplicationID: a.ID, To: domain.StageFailed, Note: "late", Version: 1}); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("a step on a stale version: %v, want conflict", err)
			}

			// Forming needs the places filled and a leader.
			if _, err := f.s.MoveMission(ctx, admin, domain.MissionMove{ID: m.ID, Version: m.Version, To: domain.MissionFormed}); domain.ErrorCode(err) != domain.ECONFLICT || fieldCodes(err)["short_staffed"] == nil {
				t.Errorf("forming an empty team: %v, want conflict on short_staffed", err)
			}
			if _, err := f.s.MoveMission(ctx, admin, domain.MissionMove{ID: m.ID, Version: m.Version, To: domain.MissionDeployed}); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("deploying before the team is formed: %v, want conflict", err)
			}
			a, err = f.s.Decide(ctx, admin, domain.Decision{ApplicationID: a.ID, To: domain.StageSelected, Leader: true, Note: "leads"})
			if err != nil {
				t.Fatal(err)
			}
			b2 := f.passed(t, m, f.doctors[1])
			if _, err := f.s.Decide(ctx, admin, domain.Decision{ApplicationID: b2.ID, To: domain.StageSelected, Leader: true}); domain.ErrorCode(err) != domain.ECONFLICT || fieldCodes(err)["leader"] == nil {
				t.Errorf("a second leader: %v, want conflict on leader", err)
			}
			if _, err := f.s.Decide(ctx, admin, domain.Decision{ApplicationID: b2.ID, To: domain.StageReserve}); err != nil {
				t.Fatal(err)
			}
			// A withdrawal after the decision is refused; before it, taken.
			if _, err := f.s.Decide(ctx, admin, domain.Decision{ApplicationID: a.ID, To: domain.StageWithdrawn}); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("withdrawing a selected application: %v, want conflict", err)
			}
			c := f.passed(t, m, f.doctors[2])
			if _, err := f.s.Decide(ctx, admin, domain.Decision{ApplicationID: c.ID, To: domain.StageWithdrawn, Note: "family"}); err != nil {
				t.Errorf("withdrawing before the decision: %v", err)
			}

			got, _ := f.s.FindMission(ctx, m.ID)
			if filled, total := got.Places(); filled != 1 || total != 2 {
				t.Errorf("places %d of %d, want 1 of 2", filled, total)
			}
			team, _ := f.s.Team(ctx, m.ID)
			if len(team) != 1 || team[0].Role != domain.RoleLeader || team[0].Name != "Dr. Chen" {
				t.Errorf("team %+v, want Dr. Chen leading", team)
			}
			// Short-staffed with a reason, then deployed; the dates stay.
			formed, err := f.s.MoveMission(ctx, admin, domain.MissionMove{ID: m.ID, Version: got.Version, To: domain.MissionFormed, Reason: "the second cardiologist follows in March"})
			if err != nil {
				t.Fatal(err)
			}
			if formed.ShortStaffed == "" {
				t.Error("the reason for a short-staffed team is not kept")
			}
			if _, err := f.s.Decide(ctx, admin, domain.Decision{ApplicationID: b2.ID, To: domain.StageSelected}); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("a selection onto a formed team: %v, want conflict", err)
			}
			dep, err := f.s.MoveMission(ctx, admin, domain.MissionMove{ID: m.ID, Version: formed.Version, To: domain.MissionDeployed})
			if err != nil {
				t.Fatal(err)
			}
			dep.EndsOn = day(t, "2027-08-01")
			if err := f.s.UpdateMission(ctx, admin, &dep); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("changing the dates of a deployed mission: %v, want conflict", err)
			}
			if _, err := f.s.MoveMission(ctx, admin, domain.MissionMove{ID: m.ID, Version: dep.Version, To: domain.MissionCancelled, Reason: "x"}); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("cancelling a deployed mission: %v, want conflict", err)
			}

			// Dr. Chen is on team 5: an overlapping team 6 refuses him, naming team 5.
			m6 := f.mission(t, 6, "2027-06-01", "2027-12-01", 1)
			a6 := domain.Application{MissionID: m6.ID, SlotID: m6.Slots[0].ID, PersonID: f.doctors[0].ID}
			err = f.s.Register(ctx, admin, &a6)
			if domain.ErrorCode(err) != domain.ECONFLICT || msgOf(err).ID != domain.MsgOverlap || msgOf(err).Args["Sequence"] != 5 {
				t.Errorf("registering onto an overlapping mission: %v, want overlap naming team 5", err)
			}
			if err := f.s.DeleteMission(ctx, admin, m.ID, dep.Version); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("deleting a mission with a team: %v, want conflict", err)
			}
		})
	}
}

func TestMissionRequirements(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newMissions(t, storetest.Open(t, b))
			m := f.mission(t, 1, "2027-01-10", "2027-07-09", 1)
			m.Slots[0].Languages, m.Slots[0].MaxAge = []string{"zh", "fr"}, 45
			if err := f.s.UpdateMission(ctx, admin, &m); err != nil {
				t.Fatal(err)
			}
			// Dr. Wang is 46 on departure and speaks no French.
			err := f.s.Register(ctx, admin, &domain.Application{MissionID: m.ID, SlotID: m.Slots[0].ID, PersonID: f.doctors[2].ID})
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("an applicant who does not meet the slot: %v, want invalid", err)
			}
			ids := map[domain.MsgID]bool{}
			for _, id := range fieldCodes(err)["slot_id"] {
				ids[id] = true
			}
			if !ids[domain.MsgLacksLanguage] || !ids[domain.MsgTooOld] {
				t.Errorf("refusal %v, want the missing language and the age", err)
			}
			// A draft takes no applications.
			mv, err := f.s.MoveMission(ctx, admin, domain.MissionMove{ID: m.ID, Version: m.Version, To: domain.MissionDraft})
			if err != nil {
				t.Fatal(err)
			}
			err = f.s.Register(ctx, admin, &domain.Application{MissionID: m.ID, SlotID: m.Slots[0].ID, PersonID: f.doctors[0].ID})
			if domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("applying to a draft: %v, want conflict", err)
			}
			if _, err := f.s.MoveMission(ctx, admin, domain.MissionMove{ID: m.ID, Version: mv.Version, To: domain.MissionCancelled}); domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("cancelling without a reason: %v, want invalid", err)
			}
			if _, err := f.s.MoveMission(ctx, admin, domain.MissionMove{ID: m.ID, Version: mv.Version, To: domain.MissionCancelled, Reason: "the host postponed"}); err != nil {
				t.Errorf("cancelling with a reason: %v", err)
			}
			// Nobody applied: the slot may go; a mission needs one.
			got, _ := f.s.FindMission(ctx, m.ID)
			got.Slots = nil
			if err := f.s.UpdateMission(ctx, admin, &got); domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("a mission without slots: %v, want invalid", err)
			}
		})
	}
}

// twoStores opens two stores on one new database of backend b, as two
// instances of aidbridge would.
func twoStores(t *testing.T, b storetest.Backend) []*store.Store {
	t.Helper()
	url := b.URL(t)
	var out []*store.Store
	for range 2 {
		s, err := store.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		out = append(out, s)
	}
	return out
}

// TestMissionRaces runs the two races of selection on two store instances
// over one database: two reviewers selecting for the last place, and one
// person selected onto two overlapping missions at once. One wins each.
func TestMissionRaces(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			instances := twoStores(t, b)
			f := newMissions(t, instances[0])
			for round := range 5 {
				last := f.mission(t, 10+round*3, "2030-01-01", "2030-06-30", 1)
				x, y := f.passed(t, last, f.doctors[0]), f.passed(t, last, f.doctors[1])
				var wg sync.WaitGroup
				errs := make([]error, 2)
				for i, a := range []domain.Application{x, y} {
					wg.Add(1)
					go func() {
						defer wg.Done()
						_, errs[i] = instances[i].Decide(ctx, admin, domain.Decision{ApplicationID: a.ID, To: domain.StageSelected})
					}()
				}
				wg.Wait()
				if ok := count(t, errs); ok != 1 {
					t.Errorf("round %d: %d reviewers selected for the last place, want 1", round, ok)
				}
				team, _ := f.s.Team(ctx, last.ID)
				if len(team) != 1 {
					t.Errorf("round %d: the one-place team has %d members", round, len(team))
				}

				// Dr. Wang applied to two missions whose dates overlap.
				one := f.mission(t, 11+round*3, "2031-01-01", "2031-06-30", 1)
				two := f.mission(t, 12+round*3, "2031-03-01", "2031-09-30", 1)
				p, q := f.passed(t, one, f.doctors[2]), f.passed(t, two, f.doctors[2])
				for i, a := range []domain.Application{p, q} {
					wg.Add(1)
					go func() {
						defer wg.Done()
						_, errs[i] = instances[i].Decide(ctx, admin, domain.Decision{ApplicationID: a.ID, To: domain.StageSelected})
					}()
				}
				wg.Wait()
				if ok := count(t, errs); ok != 1 {
					t.Errorf("round %d: one person was selected onto %d overlapping missions, want 1", round, ok)
				}
				history, _, _ := f.s.PersonMissions(ctx, f.doctors[2].ID)
				if got := len(history); got != round+1 {
					t.Errorf("round %d: Dr. Wang is on %d missions, want %d", round, got, round+1)
				}
				// Move the missions out of the way of the next round.
				for _, m := range []domain.Mission{last, one, two} {
					cur, _ := f.s.FindMission(ctx, m.ID)
					if _, err := f.s.MoveMission(ctx, admin, domain.MissionMove{ID: m.ID, Version: cur.Version, To: domain.MissionCancelled, Reason: "test round over"}); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
	}
}

// TestFormingDeadlineNotedOnce: a mission whose formation deadline comes
// within three days with places open is noted to the sending organization
// once, though two instances sweep at once and sweep again; a new deadline
// is noted again when it comes near.
func TestFormingDeadlineNotedOnce(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			instances := twoStores(t, b)
			f := newMissions(t, instances[0])
			m := f.mission(t, 7, "2027-03-01", "2027-08-31", 2)
			m.FormationDeadline = day(t, "2027-02-15")
			if err := f.s.UpdateMission(ctx, admin, &m); err != nil {
				t.Fatal(err)
			}
			if n, err := f.s.NoteFormingDeadlines(ctx, day(t, "2027-02-01")); err != nil || n != 0 {
				t.Fatalf("two weeks before the deadline: %d noted (%v), want none", n, err)
			}
			var wg sync.WaitGroup
			counts := make([]int, 2)
			for i, s := range instances {
				wg.Add(1)
				go func() {
					defer wg.Done()
					n, err := s.NoteFormingDeadlines(ctx, day(t, "2027-02-13"))
					if err != nil {
						t.Error(err)
					}
					counts[i] = n
				}()
			}
			wg.Wait()
			if counts[0]+counts[1] != 1 {
				t.Errorf("two sweeps at once noted %v, want one in all", counts)
			}
			if n, _ := f.s.NoteFormingDeadlines(ctx, day(t, "2027-02-14")); n != 0 {
				t.Errorf("a sweep the next day noted %d again", n)
			}
			notes, _, err := f.s.ListNotifications(ctx, "someone", []string{f.xinhua}, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(notes) != 1 || notes[0].Kind != domain.NoteFormingDeadline || notes[0].EntityID != m.ID || notes[0].Quantity != 2 {
				t.Errorf("notifications %+v, want one of 2 open places of the mission", notes)
			}
			// A later deadline is noted again when it comes near.
			cur, _ := f.s.FindMission(ctx, m.ID)
			cur.FormationDeadline = day(t, "2027-02-25")
			if err := f.s.UpdateMission(ctx, admin, &cur); err != nil {
				t.Fatal(err)
			}
			if n, _ := f.s.NoteFormingDeadlines(ctx, day(t, "2027-02-23")); n != 1 {
				t.Errorf("the new deadline noted %d times, want once", n)
			}
		})
	}
}

// TestRosterCandidates: the candidates of a roster are the passed and
// reserve applicants, each with the missions they went on in the ten years
// before departure and whether they are on a team at the same time.
func TestRosterCandidates(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newMissions(t, storetest.Open(t, b))
			past := f.mission(t, 1, "2020-01-01", "2020-06-30", 1)
			a := f.passed(t, past, f.doctors[0])
			if _, err := f.s.Decide(ctx, admin, domain.Decision{ApplicationID: a.ID, To: domain.StageSelected, Leader: true}); err != nil {
				t.Fatal(err)
			}
			cur, _ := f.s.FindMission(ctx, past.ID)
			for _, to := range []domain.MissionStatus{domain.MissionFormed, domain.MissionDeployed, domain.MissionReturned} {
				if cur, _ = f.s.MoveMission(ctx, admin, domain.MissionMove{ID: cur.ID, Version: cur.Version, To: to}); cur.Status != to {
					t.Fatalf("team 1 did not become %s", to)
				}
			}
			next := f.mission(t, 3, "2027-06-01", "2027-11-30", 2)
			f.passed(t, next, f.doctors[0])
			r := f.passed(t, next, f.doctors[1])
			if _, err := f.s.Decide(ctx, admin, domain.Decision{ApplicationID: r.ID, To: domain.StageReserve}); err != nil {
				t.Fatal(err)
			}
			// Dr. Wang passed for team 3, then went with team 2, whose dates overlap.
			f.passed(t, next, f.doctors[2])
			away := f.mission(t, 2, "2027-01-01", "2027-12-31", 1)
			w := f.passed(t, away, f.doctors[2])
			if _, err := f.s.Decide(ctx, admin, domain.Decision{ApplicationID: w.ID, To: domain.StageSelected}); err != nil {
				t.Fatal(err)
			}
			cands, err := f.s.RosterCandidates(ctx, next)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, c := range cands {
				got[c.Person.Name] = fmt.Sprintf("%s recent=%d busy=%v", c.Application.Stage, c.Recent, c.Busy)
			}
			want := map[string]string{"Dr. Chen": "passed recent=1 busy=false", "Dr. Li": "reserve recent=0 busy=false", "Dr. Wang": "passed recent=0 busy=true"}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("candidates %v, want %v", got, want)
			}
		})
	}
}
