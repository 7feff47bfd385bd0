package store_test

import (
	"context"
	"sync"
	"testing"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
	"aidbridge/internal/store/storetest"
)

// eventFixture is CMF and SCMC, a person of each, SCMC's coordinator and
// the CMF project director's own account.
type eventFixture struct {
	s                   *store.Store
	cmf, scmc           string
	director, neonatal  domain.Person
	coordinator, linked string // user ids
}

func newEvents(t *testing.T, s *store.Store) *eventFixture {
	t.Helper()
	ctx := context.Background()
	f := &eventFixture{s: s}
	for _, o := range []struct {
		id            *string
		name, country string
	}{{&f.cmf, "Children's Medical Foundation", "HK"}, {&f.scmc, "Shanghai Children's Medical Center", "CN"}} {
		org := domain.Organization{Name: o.name, Kind: "hospital", Country: o.country}
		if err := s.CreateOrganization(ctx, admin, &org); err != nil {
			t.Fatal(err)
		}
		*o.id = org.ID
	}
	for _, u := range []struct {
		id    *string
		email string
		org   string
		role  domain.Role
	}{{&f.coordinator, "coordinator@scmc.test", f.scmc, domain.RoleCoordinator}, {&f.linked, "director@cmf.test", f.cmf, domain.RoleMember}} {
		usr := domain.User{Email: u.email, Name: u.email, Memberships: []domain.Membership{{OrganizationID: u.org, Role: u.role}}}
		if err := s.CreateUser(ctx, admin, &usr, "hash"); err != nil {
			t.Fatal(err)
		}
		*u.id = usr.ID
	}
	f.director = domain.Person{OrganizationID: f.cmf, Name: "Guifang LI", UserID: f.linked}
	f.neonatal = domain.Person{OrganizationID: f.scmc, Name: "Jun BU"}
	for _, p := range []*domain.Person{&f.director, &f.neonatal} {
		if err := s.CreatePerson(ctx, admin, p); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// meeting is the 2023 meeting with two action items: one of SCMC's
// neonatologist (no account: SCMC's coordinators answer for it), one of
// CMF's director, who has an account.
func (f *eventFixture) meeting(t *testing.T) domain.Event {
	t.Helper()
	e := domain.Event{Kind: domain.EventMeeting, Title: "CMF and SCMC meeting", StartsOn: domain.DayOf(day(t, "2023-05-18")),
		HostID: f.scmc, ParticipantIDs: []string{f.cmf},
		Attendees: []domain.Attendee{{Name: "Guifang LI", PersonID: f.director.ID, OrganizationID: f.cmf, Role: "Project Director"},
			{Name: "Dr. Jun BU", PersonID: f.neonatal.ID, OrganizationID: f.scmc}},
		Topics:    []string{"Remote and Emergency Action in Nujiang", "Jinxin pilot"},
		Decisions: []string{"SCMC consults on the Jinxin pilot"},
		ActionItems: []domain.ActionItem{
			{Title: "Continuing medical education plan", OwnerID: f.scmc, OwnerPersonID: f.neonatal.ID, Due: day(t, "2023-09-30")},
			{Title: "Publish the results", OwnerID: f.cmf, OwnerPersonID: f.director.ID, Due: day(t, "2023-12-31")},
		}}
	if err := f.s.CreateEvent(context.Background(), admin, &e); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEvents(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newEvents(t, storetest.Open(t, b))
			e := f.meeting(t)
			got, err := f.s.FindEvent(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Country != "CN" || len(got.Attendees) != 2 || len(got.Topics) != 2 || len(got.Decisions) != 1 || len(got.ActionItems) != 2 {
				t.Fatalf("stored %+v, want the host's country CN and every part", got)
			}
			if a := got.ActionItems[1]; a.Status != domain.ActionOpen || a.OwnerUserID != f.linked || a.StatusChangedAt.IsZero() || a.ID == "" {
				t.Errorf("action item %+v: want open, stamped, with the owner person's account", a)
			}

			// A conference has one session unless said; a country is kept.
			conf := domain.Event{Kind: domain.EventConference, Title: "Virtual technical conferences", StartsOn: domain.YearOf(2020),
				HostID: f.scmc, Virtual: true, CountriesReached: 100, Country: "cn"}
			if err := f.s.CreateEvent(ctx, admin, &conf); err != nil {
				t.Fatal(err)
			}
			if conf.Sessions != 1 || conf.Country != "CN" {
				t.Errorf("conference sessions %d, country %q; want 1 and CN", conf.Sessions, conf.Country)
			}
			visit := domain.Event{Kind: domain.EventVisit, Title: "Expert team to Italy", StartsOn: domain.YearOf(2020), HostID: f.scmc, Country: "IT"}
			if err := f.s.CreateEvent(ctx, admin, &visit); err != nil {
				t.Fatal(err)
			}

			// References that do not exist are refused on their field.
			bad := got
			bad.ID, bad.Version = "", 0
			bad.ActionItems = []domain.ActionItem{{Title: "x", OwnerID: f.cmf, OwnerPersonID: f.neonatal.ID, Due: day(t, "2024-01-01")}}
			if err := f.s.CreateEvent(ctx, admin, &bad); fieldCodes(err)["action_items[0].owner_person_id"] == nil {
				t.Errorf("an owner person of another organization: %v, want refused on the field", err)
			}
			bad.ActionItems, bad.PartnershipID = nil, "nope"
			if err := f.s.CreateEvent(ctx, admin, &bad); fieldCodes(err)["partnership_id"] == nil {
				t.Errorf("a partnership that does not exist: %v", err)
			}

			// Lists: by organization (host or participant), kind, country and dates.
			for _, tt := range []struct {
				name string
				f    domain.EventFilter
				want int
			}{
				{"all", domain.EventFilter{}, 3},
				{"a participant", domain.EventFilter{OrganizationID: f.cmf}, 1},
				{"the host", domain.EventFilter{OrganizationID: f.scmc}, 3},
				{"visits", domain.EventFilter{Kind: "visit"}, 1},
				{"in Italy", domain.EventFilter{Country: "IT"}, 1},
				{"from 2021", domain.EventFilter{From: day(t, "2021-01-01")}, 1},
				{"to 2020", domain.EventFilter{To: day(t, "2020-12-31")}, 2},
				{"a title", domain.EventFilter{Query: "ITALY"}, 1},
			} {
				list, _, err := f.s.ListEvents(ctx, tt.f)
				if err != nil || len(list) != tt.want {
					t.Errorf("%s: %d events (%v), want %d", tt.name, len(list), err, tt.want)
				}
			}
			// Paging, latest first.
			first, next, err := f.s.ListEvents(ctx, domain.EventFilter{Limit: 2})
			if err != nil || len(first) != 2 || next == "" || first[0].ID != e.ID {
				t.Fatalf("first page %d events, next %q (%v); want the 2023 meeting first", len(first), next, err)
			}
			rest, next, err := f.s.ListEvents(ctx, domain.EventFilter{Limit: 2, Cursor: next})
			if err != nil || len(rest) != 1 || next != "" {
				t.Errorf("second page %d events, next %q (%v); want the last one", len(rest), next, err)
			}

			// An update keeps action items by id, removes those left out,
			// and refuses a stale version.
			upd := got
			upd.ActionItems = []domain.ActionItem{got.ActionItems[1], {Title: "Jinxin pilot terms", OwnerID: f.scmc, Due: day(t, "2023-07-01")}}
			upd.ActionItems[0].Status = domain.ActionDone
			if err := f.s.UpdateEvent(ctx, admin, &upd); err != nil {
				t.Fatal(err)
			}
			if upd.Version != 2 || len(upd.ActionItems) != 2 || upd.ActionItems[0].ID != got.ActionItems[1].ID || upd.ActionItems[0].Status != domain.ActionDone {
				t.Errorf("updated %+v", upd.ActionItems)
			}
			stale := got
			stale.Title = "Changed from the first version"
			if err := f.s.UpdateEvent(ctx, admin, &stale); domain.ErrorCode(err) != domain.ECONFLICT || msgOf(err).ID != domain.MsgStale {
				t.Errorf("an update from a stale version: %v, want conflict stale", err)
			}
			if _, err := f.s.MoveActionItem(ctx, admin, domain.ActionMove{EventID: e.ID, ItemID: upd.ActionItems[1].ID, To: domain.ActionDropped, Version: 1}); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("a status from a stale version: %v, want conflict", err)
			}
			moved, err := f.s.MoveActionItem(ctx, admin, domain.ActionMove{EventID: e.ID, ItemID: upd.ActionItems[1].ID, To: domain.ActionDropped, Version: 2})
			if err != nil {
				t.Fatal(err)
			}
			if a, _ := moved.ActionItem(upd.ActionItems[1].ID); a.Status != domain.ActionDropped || moved.Version != 3 {
				t.Errorf("moved item %+v at version %d, want dropped at 3", a, moved.Version)
			}
			if _, err := f.s.MoveActionItem(ctx, admin, domain.ActionMove{EventID: e.ID, ItemID: "nope", To: domain.ActionDone, Version: 3}); domain.ErrorCode(err) != domain.ENOTFOUND {
				t.Errorf("an item the event does not have: %v, want not found", err)
			}
			audit, _, err := f.s.ListAudit(ctx, domain.AuditFilter{EntityType: "event", EntityID: e.ID})
			if err != nil || len(audit) != 3 {
				t.Errorf("%d audit entries (%v), want create, update and the item's status", len(audit), err)
			}
			if err := f.s.DeleteEvent(ctx, admin, e.ID, 2); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("a delete from a stale version: %v", err)
			}
			if err := f.s.DeleteEvent(ctx, admin, e.ID, 3); err != nil {
				t.Fatal(err)
			}
			if _, err := f.s.FindEvent(ctx, e.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
				t.Errorf("found after delete: %v", err)
			}
		})
	}
}

// TestOverdueActionItemsNotedOnce: two instances sweeping at once tell each
// owner once: the owner person's account, or the owner organization's
// coordinators; a new due date is told again once it passes.
func TestOverdueActionItemsNotedOnce(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			instances := twoStores(t, b)
			f := newEvents(t, instances[0])
			e := f.meeting(t)
			if n, err := f.s.NoteOverdueActionItems(ctx, day(t, "2023-09-30")); err != nil || n != 0 {
				t.Fatalf("on the due date: %d noted (%v), want none", n, err)
			}
			var wg sync.WaitGroup
			counts := make([]int, 2)
			for i, s := range instances {
				wg.Add(1)
				go func() {
					defer wg.Done()
					n, err := s.NoteOverdueActionItems(ctx, day(t, "2024-01-02"))
					if err != nil {
						t.Error(err)
					}
					counts[i] = n
				}()
			}
			wg.Wait()
			if counts[0]+counts[1] != 2 {
				t.Errorf("two sweeps at once noted %v, want two items in all", counts)
			}
			if n, _ := f.s.NoteOverdueActionItems(ctx, day(t, "2024-01-03")); n != 0 {
				t.Errorf("a sweep the next day noted %d again", n)
			}
			// SCMC's item has an owner person without an account: its
			// coordinator is told, by the coordinator's own account.
			scmcNotes, _, _ := f.s.ListNotifications(ctx, f.coordinator, []string{f.scmc}, 10)
			if len(scmcNotes) != 1 || scmcNotes[0].Kind != domain.NoteActionOverdue || scmcNotes[0].EntityID != e.ID || scmcNotes[0].Quantity != 94 {
				t.Errorf("SCMC coordinator's notifications %+v, want one of 94 days overdue", scmcNotes)
			}
			// The director is told alone, not every member of CMF.
			mine, _, _ := f.s.ListNotifications(ctx, f.linked, []string{f.cmf}, 10)
			if len(mine) != 1 || mine[0].EntityID != e.ID {
				t.Errorf("the director's notifications %+v, want one", mine)
			}
			other, _, _ := f.s.ListNotifications(ctx, "another member", []string{f.cmf}, 10)
			if len(other) != 0 {
				t.Errorf("another CMF member sees %+v, want none", other)
			}
			if n, _ := f.s.CountUnreadNotifications(ctx, f.linked, []string{f.cmf}); n != 1 {
				t.Errorf("the director has %d unread, want 1", n)
			}
			if err := f.s.MarkNotificationsOpened(ctx, f.linked, []string{f.cmf}, "event", e.ID); err != nil {
				t.Fatal(err)
			}
			if n, _ := f.s.CountUnreadNotifications(ctx, f.linked, []string{f.cmf}); n != 0 {
				t.Errorf("after opening the event the director has %d unread, want 0", n)
			}

			// A new due date is noted again once it passes; a done item never.
			cur, _ := f.s.FindEvent(ctx, e.ID)
			cur.ActionItems[0].Due = day(t, "2024-03-31")
			cur.ActionItems[1].Status = domain.ActionDone
			if err := f.s.UpdateEvent(ctx, admin, &cur); err != nil {
				t.Fatal(err)
			}
			if n, _ := f.s.NoteOverdueActionItems(ctx, day(t, "2024-03-31")); n != 0 {
				t.Errorf("on the new due date %d noted, want none", n)
			}
			if n, _ := f.s.NoteOverdueActionItems(ctx, day(t, "2024-04-01")); n != 1 {
				t.Errorf("after the new due date %d noted, want the one still open", n)
			}
		})
	}
}
