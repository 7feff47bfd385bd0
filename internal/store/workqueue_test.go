package store_test

import (
	"context"
	"testing"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
	"aidbridge/internal/store/storetest"
)

// workCount runs a section query and returns its entries and count,
// failing the test on an error.
func workCount(t *testing.T, list func(context.Context, store.WorkQuery) ([]domain.WorkEntry, int, error), q store.WorkQuery) ([]domain.WorkEntry, int) {
	t.Helper()
	entries, n, err := list(context.Background(), q)
	if err != nil {
		t.Fatalf("work section: %v", err)
	}
	return entries, n
}

// TestWorkQueue follows one pledge through the sections of the work queue:
// offered to Seattle, accepted and to ship for HOPE, prepared, dispatched
// and to receive for Seattle; and the overdue needs agree with
// domain.Need.Overdue.
func TestWorkQueue(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newSupply(t, b)
			today := domain.Date{Year: 2020, Month: 3, Day: 20}
			seattle := store.WorkQuery{Organizations: []string{f.seattle}, Today: today}
			hope := store.WorkQuery{Organizations: []string{f.hope}, Today: today}
			s := f.s

			n := f.need(t, 10)
			p := domain.Pledge{NeedID: n.ID, DonorID: f.hope, Quantity: 10}
			if err := s.CreatePledge(ctx, admin, &p); err != nil {
				t.Fatal(err)
			}
			offers, count := workCount(t, s.OffersToDecide, seattle)
			if count != 1 || len(offers) != 1 {
				t.Fatalf("offers to Seattle: %d %+v", count, offers)
			}
			got := offers[0]
			want := domain.WorkEntry{RecordType: "pledge", RecordID: p.ID, NeedID: n.ID, OrganizationID: f.seattle,
				OrganizationName: "Seattle Children's Hospital", CounterpartID: f.hope, CounterpartName: "Project HOPE",
				ItemID: f.n95, ItemName: "N95 respirator", ItemUnit: "piece", ItemKinds: 1, Quantity: 10,
				Status: string(domain.PledgeOffered), NeededBy: n.NeededBy, Since: got.Since}
			if got.Notification != nil || got != want {
				t.Errorf("offer entry:\n got %+v\nwant %+v", got, want)
			}
			if got.Since.IsZero() {
				t.Errorf("offer entry has no time")
			}
			if _, count := workCount(t, s.OffersToDecide, hope); count != 0 {
				t.Errorf("offers to the donor: %d, want 0", count)
			}

			if _, err := s.AcceptPledge(ctx, admin, p.ID); err != nil {
				t.Fatal(err)
			}
			if _, count := workCount(t, s.OffersToDecide, seattle); count != 0 {
				t.Errorf("offers after acceptance: %d, want 0", count)
			}
			toShip, count := workCount(t, s.PledgesToShip, hope)
			if count != 1 || toShip[0].RecordID != p.ID || toShip[0].Quantity != 10 || toShip[0].CounterpartName != "Seattle Children's Hospital" || toShip[0].Since.IsZero() {
				t.Errorf("pledges to ship: %d %+v", count, toShip)
			}

			sh := domain.Shipment{DonorID: f.hope, Lines: []domain.ShipmentLine{{PledgeID: p.ID, Quantity: 4}}}
			if err := s.CreateShipment(ctx, admin, &sh); err != nil {
				t.Fatal(err)
			}
			if toShip, _ := workCount(t, s.PledgesToShip, hope); len(toShip) != 1 || toShip[0].Quantity != 6 {
				t.Errorf("left to ship after a shipment of 4: %+v, want 6", toShip)
			}
			prepared, count := workCount(t, s.ShipmentsToDispatch, hope)
			if count != 1 || prepared[0].RecordID != sh.ID || prepared[0].Quantity != 4 || prepared[0].ItemName != "N95 respirator" ||
				prepared[0].ItemKinds != 1 || prepared[0].CounterpartID != f.seattle || !prepared[0].NeededBy.IsZero() {
				t.Errorf("shipments to dispatch: %d %+v", count, prepared)
			}
			if _, count := workCount(t, s.ShipmentsToReceive, seattle); count != 0 {
				t.Errorf("a prepared shipment is to receive: %d", count)
			}
			if _, err := s.DispatchShipment(ctx, admin, sh.ID, sh.Version); err != nil {
				t.Fatal(err)
			}
			if _, count := workCount(t, s.ShipmentsToDispatch, hope); count != 0 {
				t.Errorf("shipments to dispatch after dispatch: %d", count)
			}
			incoming, count := workCount(t, s.ShipmentsToReceive, seattle)
			if count != 1 || incoming[0].RecordID != sh.ID || incoming[0].CounterpartName != "Project HOPE" || incoming[0].Quantity != 4 || incoming[0].Since.IsZero() {
				t.Errorf("shipments to receive: %d %+v", count, incoming)
			}

			// A shipment of two items names neither, and counts them.
			gown := domain.Item{Code: "GOWN", Name: "Protective gown", Category: "ppe", Unit: "piece"}
			if err := s.CreateItem(ctx, admin, &gown); err != nil {
				t.Fatal(err)
			}
			n2 := domain.Need{OrganizationID: f.seattle, ItemID: gown.ID, Quantity: 3, Urgency: domain.UrgencyNormal}
			if err := s.CreateNeed(ctx, admin, &n2); err != nil {
				t.Fatal(err)
			}
			p2 := domain.Pledge{NeedID: n2.ID, DonorID: f.hope, Quantity: 3}
			if err := s.CreatePledge(ctx, admin, &p2); err != nil {
				t.Fatal(err)
			}
			if _, err := s.AcceptPledge(ctx, admin, p2.ID); err != nil {
				t.Fatal(err)
			}
			mixed := domain.Shipment{DonorID: f.hope, Lines: []domain.ShipmentLine{{PledgeID: p.ID, Quantity: 6}, {PledgeID: p2.ID, Quantity: 3}}}
			if err := s.CreateShipment(ctx, admin, &mixed); err != nil {
				t.Fatal(err)
			}
			if _, err := s.DispatchShipment(ctx, admin, mixed.ID, mixed.Version); err != nil {
				t.Fatal(err)
			}
			incoming, count = workCount(t, s.ShipmentsToReceive, seattle)
			if count != 2 || incoming[1].RecordID != mixed.ID || incoming[1].ItemKinds != 2 || incoming[1].ItemID != "" || incoming[1].ItemName != "" || incoming[1].Quantity != 9 {
				t.Errorf("shipments to receive with a mixed one: %d %+v", count, incoming)
			}
			notes, _, err := s.UnreadNotifications(ctx, "nobody", []string{f.seattle}, 10)
			if err != nil || len(notes) == 0 || notes[0].EntityID != mixed.ID || notes[0].ItemKinds != 2 || notes[0].ItemName != "" || notes[0].Quantity != 9 {
				t.Errorf("notification of the mixed shipment: %+v %v", notes, err)
			}
		})
	}
}

// TestOverdueNeedsAgreeWithDomain checks the overdue needs query against
// domain.Need.Overdue, on needs before, on and after their date, waiting or
// not, and that a section lists ten and counts all.
func TestOverdueNeedsAgreeWithDomain(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newSupply(t, b)
			var all []domain.Need
			for day := 1; day <= 14; day++ {
				n := domain.Need{OrganizationID: f.seattle, ItemID: f.n95, Quantity: 5, Urgency: domain.UrgencyHigh,
					NeededBy: domain.Date{Year: 2020, Month: 3, Day: day}}
				if day == 14 {
					n.NeededBy = domain.Date{}
				}
				if err := f.s.CreateNeed(ctx, admin, &n); err != nil {
					t.Fatal(err)
				}
				if day == 3 {
					c, err := f.s.CancelNeed(ctx, admin, n.ID, n.Version, "no longer needed")
					if err != nil {
						t.Fatal(err)
					}
					n = c
				}
				all = append(all, n)
			}
			for _, today := range []domain.Date{{Year: 2020, Month: 2, Day: 1}, {Year: 2020, Month: 3, Day: 5}, {Year: 2020, Month: 3, Day: 13}, {Year: 2021, Month: 1, Day: 1}} {
				want := map[string]bool{}
				for _, n := range all {
					if n.Overdue(today) {
						want[n.ID] = true
					}
				}
				entries, count := workCount(t, f.s.OverdueNeeds, store.WorkQuery{Organizations: []string{f.seattle}, Today: today, Limit: 20})
				if count != len(want) || len(entries) != len(want) {
					t.Errorf("%s: %d overdue (%d listed), want %d", today, count, len(entries), len(want))
				}
				for i, e := range entries {
					if !want[e.RecordID] {
						t.Errorf("%s: need %s is listed as overdue", today, e.RecordID)
					}
					if i > 0 && e.NeededBy.Before(entries[i-1].NeededBy) {
						t.Errorf("%s: entry %d is needed earlier than the one before it", today, i)
					}
				}
			}
			entries, count := workCount(t, f.s.OverdueNeeds, store.WorkQuery{Organizations: []string{f.seattle}, Today: domain.Date{Year: 2021, Month: 1, Day: 1}})
			if count != 12 || len(entries) != domain.WorkSectionLimit {
				t.Errorf("default page: %d listed of %d, want %d of 12", len(entries), count, domain.WorkSectionLimit)
			}
		})
	}
}

// TestNotificationsOpened checks that opening a record marks its
// notifications read for that user only, that notifications name their
// item and organizations, and that marking all read still works with
// opened ones.
func TestNotificationsOpened(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newSupply(t, b)
			s := f.s
			reader := domain.User{Email: "reader@example.org", Name: "Reader"}
			other := domain.User{Email: "other@example.org", Name: "Other"}
			for _, u := range []*domain.User{&reader, &other} {
				if err := s.CreateUser(ctx, admin, u, "a long enough password"); err != nil {
					t.Fatal(err)
				}
			}
			seattle := []string{f.seattle}
			unread := func(u domain.User) int {
				t.Helper()
				n, err := s.CountUnreadNotifications(ctx, u.ID, seattle)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			n1, n2 := f.need(t, 10), f.need(t, 20)
			for _, n := range []domain.Need{n1, n2} {
				p := domain.Pledge{NeedID: n.ID, DonorID: f.hope, Quantity: n.Quantity}
				if err := s.CreatePledge(ctx, admin, &p); err != nil {
					t.Fatal(err)
				}
			}
			notes, count, err := s.ListNotifications(ctx, reader.ID, seattle, 10)
			if err != nil || count != 2 || len(notes) != 2 {
				t.Fatalf("notifications: %d unread %+v %v", count, notes, err)
			}
			got := notes[0]
			want := domain.Notification{ID: got.ID, At: got.At, OrganizationID: f.seattle, OrganizationName: "Seattle Children's Hospital",
				Kind: domain.NotePledgeOffered, EntityType: "need", EntityID: n2.ID, ActorOrgID: f.hope, ActorOrgName: "Project HOPE",
				Quantity: 20, ItemID: f.n95, ItemName: "N95 respirator", ItemUnit: "piece", ItemKinds: 1, Unread: true}
			if got != want {
				t.Errorf("newest notification:\n got %+v\nwant %+v", got, want)
			}

			// Opening the first need marks its notification read, for the
			// reader only; opening it again, or a record without
			// notifications, changes nothing.
			for range 2 {
				if err := s.MarkNotificationsOpened(ctx, reader.ID, seattle, "need", n1.ID); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.MarkNotificationsOpened(ctx, reader.ID, seattle, "shipment", n2.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.MarkNotificationsOpened(ctx, reader.ID, []string{f.hope}, "need", n2.ID); err != nil {
				t.Fatal(err)
			}
			tests := []struct {
				name string
				user domain.User
				want int
			}{{"reader", reader, 1}, {"other user", other, 2}}
			for _, tt := range tests {
				if got := unread(tt.user); got != tt.want {
					t.Errorf("%s: %d unread after opening one need, want %d", tt.name, got, tt.want)
				}
			}
			notes, _, _ = s.ListNotifications(ctx, reader.ID, seattle, 10)
			if len(notes) != 2 || !notes[0].Unread || notes[1].Unread || notes[1].EntityID != n1.ID {
				t.Errorf("after opening %s: %+v", n1.ID, notes)
			}
			list, total, err := s.UnreadNotifications(ctx, reader.ID, seattle, 10)
			if err != nil || total != 1 || len(list) != 1 || list[0].EntityID != n2.ID {
				t.Errorf("unread notifications: %d %+v %v", total, list, err)
			}

			// Marking all read covers what was opened; a later notification
			// is unread again.
			if err := s.MarkNotificationsRead(ctx, reader.ID, notes[0].ID); err != nil {
				t.Fatal(err)
			}
			if got := unread(reader); got != 0 {
				t.Errorf("%d unread after marking all read", got)
			}
			n3 := f.need(t, 30)
			p := domain.Pledge{NeedID: n3.ID, DonorID: f.hope, Quantity: 30}
			if err := s.CreatePledge(ctx, admin, &p); err != nil {
				t.Fatal(err)
			}
			if got := unread(reader); got != 1 {
				t.Errorf("%d unread after a new pledge, want 1", got)
			}
			if err := s.MarkNotificationsOpened(ctx, reader.ID, seattle, "need", n3.ID); err != nil {
				t.Fatal(err)
			}
			if got := unread(reader); got != 0 {
				t.Errorf("%d unread after opening the new need, want 0", got)
			}
		})
	}
}
