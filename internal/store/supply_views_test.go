package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"aidbridge/internal/domain"
	"aidbridge/internal/store/storetest"
)

// accepted pledges quantity of the donor against the need, accepted by the
// needing organization.
func (f *supplyFixture) accepted(t *testing.T, need domain.Need, donor string, quantity int64, fromStock bool) domain.Pledge {
	t.Helper()
	ctx := context.Background()
	p := domain.Pledge{NeedID: need.ID, DonorID: donor, Quantity: quantity, FromStock: fromStock}
	if err := f.s.CreatePledge(ctx, admin, &p); err != nil {
		t.Fatal(err)
	}
	p, err := f.s.AcceptPledge(ctx, admin, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPledgesToShip checks the one query behind the shipment form: the
// accepted pledges of a donor with something left, most urgent need first,
// what is left of each, and their needs.
func TestPledgesToShip(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newSupply(t, b)
			f.stock(t, f.scmc, 5000)
			normal := domain.Need{OrganizationID: f.seattle, ItemID: f.n95, Quantity: 300, Urgency: domain.UrgencyNormal}
			if err := f.s.CreateNeed(ctx, admin, &normal); err != nil {
				t.Fatal(err)
			}
			critical := f.need(t, 2000)
			part := f.accepted(t, normal, f.scmc, 300, false)
			whole := f.accepted(t, critical, f.scmc, 1200, true)
			shipped := f.accepted(t, critical, f.scmc, 500, false)
			offered := domain.Pledge{NeedID: critical.ID, DonorID: f.scmc, Quantity: 100}
			if err := f.s.CreatePledge(ctx, admin, &offered); err != nil {
				t.Fatal(err)
			}
			other := f.accepted(t, critical, f.hope, 200, false)
			for _, l := range []domain.ShipmentLine{{PledgeID: part.ID, Quantity: 100}, {PledgeID: shipped.ID, Quantity: 500}} {
				sh := domain.Shipment{DonorID: f.scmc, Lines: []domain.ShipmentLine{l}}
				if err := f.s.CreateShipment(ctx, admin, &sh); err != nil {
					t.Fatal(err)
				}
			}

			pledges, needs, err := f.s.ListPledgesToShip(ctx, f.scmc)
			if err != nil {
				t.Fatal(err)
			}
			type row struct {
				id         string
				left, sent int64
			}
			var got []row
			for _, p := range pledges {
				got = append(got, row{p.ID, p.LeftToShip(), p.Shipped})
			}
			want := []row{{whole.ID, 1200, 0}, {part.ID, 200, 100}}
			if !slices.Equal(got, want) {
				t.Errorf("pledges to ship = %+v, want %+v (the critical need's first; none shipped whole, offered or another donor's)", got, want)
			}
			var ids []string
			for _, n := range needs {
				ids = append(ids, n.ID)
			}
			if !slices.Equal(ids, []string{critical.ID, normal.ID}) {
				t.Errorf("needs = %v, want the critical and the normal one", ids)
			}
			if p, _ := f.s.FindPledge(ctx, other.ID); p.LeftToShip() != 200 {
				t.Errorf("HOPE's pledge has %d left to ship, want 200", p.LeftToShip())
			}
			if pledges, needs, err := f.s.ListPledgesToShip(ctx, f.seattle); err != nil || len(pledges) != 0 || len(needs) != 0 {
				t.Errorf("a donor without pledges: %v %v %v", pledges, needs, err)
			}
		})
	}
}

// TestFindMany checks the reads of many needs and pledges by id in one
// query: repeats and unknown ids are dropped, none gives none.
func TestFindMany(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newSupply(t, b)
			a, c := f.need(t, 10), f.need(t, 20)
			p := f.accepted(t, a, f.scmc, 5, false)
			for _, tc := range []struct {
				ids  []string
				want []string
			}{
				{[]string{a.ID, c.ID, a.ID, "nope", ""}, []string{a.ID, c.ID}},
				{nil, nil},
			} {
				needs, err := f.s.FindNeeds(ctx, tc.ids)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, n := range needs {
					got = append(got, n.ID)
				}
				slices.Sort(got)
				want := slices.Clone(tc.want)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("FindNeeds(%v) = %v, want %v", tc.ids, got, want)
				}
			}
			pledges, err := f.s.FindPledges(ctx, []string{p.ID, "nope"})
			if err != nil || len(pledges) != 1 || pledges[0].ID != p.ID || pledges[0].Quantity != 5 || pledges[0].Status != domain.PledgeAccepted {
				t.Errorf("FindPledges = %+v, %v", pledges, err)
			}
			if pledges, err := f.s.FindPledges(ctx, nil); err != nil || len(pledges) != 0 {
				t.Errorf("FindPledges(nil) = %v, %v", pledges, err)
			}
		})
	}
}

// TestSystemWritesCodes checks that what the store writes by itself is a
// code: a shipment's movements reference it as shipment:ID without a
// reason, and a cancelled need's pledges are declined with the reason the
// person gave.
func TestSystemWritesCodes(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newSupply(t, b)
			f.stock(t, f.scmc, 100)
			n := f.need(t, 100)
			p := f.accepted(t, n, f.scmc, 100, true)
			sh := domain.Shipment{DonorID: f.scmc, Lines: []domain.ShipmentLine{{PledgeID: p.ID, Quantity: 100}}}
			if err := f.s.CreateShipment(ctx, admin, &sh); err != nil {
				t.Fatal(err)
			}
			sh, err := f.s.DispatchShipment(ctx, admin, sh.ID, sh.Version)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.s.RecordReceipt(ctx, admin, sh.ID, []domain.ReceiptLine{{LineID: sh.Lines[0].ID, Received: 90, Damaged: 10}}); err != nil {
				t.Fatal(err)
			}
			ref := domain.RefTo(domain.RefShipment, sh.ID)
			for _, tc := range []struct {
				org  string
				kind domain.MovementKind
			}{{f.scmc, domain.MoveDonationOut}, {f.seattle, domain.MoveReceipt}} {
				moves, _, err := f.s.ListMovements(ctx, tc.org, f.n95, 0, 10)
				if err != nil {
					t.Fatal(err)
				}
				if len(moves) == 0 || moves[0].Kind != tc.kind || moves[0].Reference != ref || moves[0].Reason != "" {
					t.Errorf("newest movement of %s = %+v, want a %s referencing %s without a reason", tc.org, moves, tc.kind, ref)
				}
			}
			got, _ := f.s.FindPledge(ctx, p.ID)
			if got.Shipped != 100 || got.Received != 90 || got.Damaged != 10 || got.LeftToShip() != 0 {
				t.Errorf("pledge after the receipt: shipped %d, received %d, damaged %d", got.Shipped, got.Received, got.Damaged)
			}

			m := f.need(t, 50)
			q := f.accepted(t, m, f.hope, 50, false)
			m, _ = f.s.FindNeed(ctx, m.ID)
			if _, err := f.s.CancelNeed(ctx, admin, m.ID, m.Version, "covered by the county"); err != nil {
				t.Fatal(err)
			}
			if got, _ := f.s.FindPledge(ctx, q.ID); got.Status != domain.PledgeDeclined || got.Reason != "covered by the county" {
				t.Errorf("pledge of a cancelled need: %s, reason %q", got.Status, got.Reason)
			}
		})
	}
}

// TestLeadTimeReport checks the report query: each need's lead times and
// their averages per item and month, with the item's name.
func TestLeadTimeReport(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newSupply(t, b)
			shipped, waiting := f.need(t, 10), f.need(t, 20)
			p := f.accepted(t, shipped, f.scmc, 10, false)
			sh := domain.Shipment{DonorID: f.scmc, Lines: []domain.ShipmentLine{{PledgeID: p.ID, Quantity: 10}}}
			if err := f.s.CreateShipment(ctx, admin, &sh); err != nil {
				t.Fatal(err)
			}
			if _, err := f.s.DispatchShipment(ctx, admin, sh.ID, sh.Version); err != nil {
				t.Fatal(err)
			}
			rep, err := f.s.LeadTimeReport(ctx, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			byNeed := map[string]domain.LeadTime{}
			for _, lt := range rep.Needs {
				byNeed[lt.NeedID] = lt
			}
			if lt := byNeed[shipped.ID]; lt.FirstPledge == nil || lt.Dispatched == nil || lt.Received != nil {
				t.Errorf("lead time of the shipped need: %+v", lt)
			}
			if lt := byNeed[waiting.ID]; lt.FirstPledge != nil || lt.Dispatched != nil {
				t.Errorf("lead time of the waiting need: %+v", lt)
			}
			if len(rep.Summary) != 1 {
				t.Fatalf("summary = %+v, want one item and month", rep.Summary)
			}
			s := rep.Summary[0]
			if s.ItemID != f.n95 || s.ItemName != "N95 respirator" || s.Month != shipped.CreatedAt.Format("2006-01") || s.Needs != 2 ||
				s.PleaToPledge == nil || s.PledgeToDispatch == nil || s.DispatchToReceipt != nil || s.PleaToReceipt != nil {
				t.Errorf("summary = %+v", s)
			}
		})
	}
}
