package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
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

// TestLeadTimeReport checks the lead times the database keeps: each need's
// first pledge, dispatch and receipt against the pledges and shipments
// themselves, and the sums per item and month against the averages over
// every need, after needs change month and item.
func TestLeadTimeReport(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newSupply(t, b)
			gown := domain.Item{Code: "GOWN", Name: "Protective gown", Category: "ppe", Unit: "piece"}
			if err := f.s.CreateItem(ctx, admin, &gown); err != nil {
				t.Fatal(err)
			}
			ship := func(ps ...domain.Pledge) domain.Shipment {
				sh := domain.Shipment{DonorID: ps[0].DonorID}
				for _, p := range ps {
					sh.Lines = append(sh.Lines, domain.ShipmentLine{PledgeID: p.ID, Quantity: p.Quantity})
				}
				if err := f.s.CreateShipment(ctx, admin, &sh); err != nil {
					t.Fatal(err)
				}
				sh, err := f.s.DispatchShipment(ctx, admin, sh.ID, sh.Version)
				if err != nil {
					t.Fatal(err)
				}
				return sh
			}
			received, shipped, pledged, waiting := f.need(t, 10), f.need(t, 20), f.need(t, 30), f.need(t, 40)
			twice := f.need(t, 50)
			sh := ship(f.accepted(t, received, f.scmc, 10, false), f.accepted(t, twice, f.scmc, 5, false))
			// A receipt must say what arrived of every line, and says which it misses.
			_, err := f.s.RecordReceipt(ctx, admin, sh.ID, []domain.ReceiptLine{{LineID: sh.Lines[0].ID, Received: 10}})
			if msg := fmt.Sprint(err); !strings.Contains(msg, "say what arrived of line "+sh.Lines[1].ID+" (") {
				t.Errorf("receipt without its second line: %v", err)
			}
			if _, err := f.s.RecordReceipt(ctx, admin, sh.ID, []domain.ReceiptLine{{LineID: sh.Lines[0].ID, Received: 10},
				{LineID: sh.Lines[1].ID, Received: 4, Damaged: 1}}); err != nil {
				t.Fatal(err)
			}
			ship(f.accepted(t, shipped, f.hope, 20, false))
			f.accepted(t, pledged, f.hope, 30, false)
			f.accepted(t, twice, f.hope, 5, false)

			// Needs moved to other months and another item: the sums follow.
			for id, at := range map[string]time.Time{
				shipped.ID: time.Date(2020, 2, 10, 8, 30, 0, 0, time.UTC),
				waiting.ID: time.Date(2020, 2, 11, 0, 0, 0, 0, time.UTC),
				twice.ID:   time.Date(2019, 12, 31, 23, 59, 59, 500000000, time.UTC),
			} {
				if _, err := f.s.DB().ExecContext(ctx, `UPDATE needs SET created_at = $1 WHERE id = $2`, at, id); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := f.s.DB().ExecContext(ctx, `UPDATE needs SET item_id = $1 WHERE id = $2`, gown.ID, pledged.ID); err != nil {
				t.Fatal(err)
			}

			all, err := f.s.LeadTimes(ctx, nil, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 5 {
				t.Fatalf("lead times of %d needs, want 5", len(all))
			}
			fromRecords := leadTimesFromRecords(t, f.s)
			for _, lt := range all {
				want := fromRecords[lt.NeedID]
				if !sameTime(lt.FirstPledge, want.FirstPledge) || !sameTime(lt.Dispatched, want.Dispatched) || !sameTime(lt.Received, want.Received) {
					t.Errorf("need %s: kept %+v, from its pledges and shipments %+v", lt.NeedID, lt, want)
				}
			}
			byNeed := map[string]domain.LeadTime{}
			for _, lt := range all {
				byNeed[lt.NeedID] = lt
			}
			if lt := byNeed[received.ID]; lt.FirstPledge == nil || lt.Dispatched == nil || lt.Received == nil {
				t.Errorf("lead time of the received need: %+v", lt)
			}
			if lt := byNeed[shipped.ID]; lt.FirstPledge == nil || lt.Dispatched == nil || lt.Received != nil {
				t.Errorf("lead time of the shipped need: %+v", lt)
			}
			if lt := byNeed[waiting.ID]; lt.FirstPledge != nil || lt.Dispatched != nil {
				t.Errorf("lead time of the waiting need: %+v", lt)
			}

			got, err := f.s.LeadTimeReport(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want := domain.SummarizeLeadTimes(all, map[string]string{f.n95: "N95 respirator", gown.ID: "Protective gown"})
			if len(got) != 4 || len(got) != len(want) {
				t.Fatalf("report has %d rows, want 4 months and items: %+v", len(got), got)
			}
			near := func(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || math.Abs(*a-*b) < 1e-7) }
			for i := range want {
				g, w := got[i], want[i]
				if g.Month != w.Month || g.ItemID != w.ItemID || g.ItemName != w.ItemName || g.Needs != w.Needs ||
					!near(g.PleaToPledge, w.PleaToPledge) || !near(g.PledgeToDispatch, w.PledgeToDispatch) ||
					!near(g.DispatchToReceipt, w.DispatchToReceipt) || !near(g.PleaToReceipt, w.PleaToReceipt) {
					t.Errorf("row %d = %s, want %s", i, leadRow(g), leadRow(w))
				}
			}
			if got[0].Month != "2019-12" || got[1].Month != "2020-02" {
				t.Errorf("months %s, %s: want the moved needs' months first", got[0].Month, got[1].Month)
			}
		})
	}
}

// leadTimesFromRecords reads each need's first pledge, dispatch and receipt
// from its pledges and the shipments that carry them.
func leadTimesFromRecords(t *testing.T, s *store.Store) map[string]domain.LeadTime {
	t.Helper()
	rows, err := s.DB().QueryContext(context.Background(), `SELECT n.id,
		(SELECT MIN(p.created_at) FROM pledges p WHERE p.need_id = n.id),
		(SELECT MIN(s.dispatched_at) FROM shipments s JOIN shipment_lines l ON l.shipment_id = s.id JOIN pledges p ON p.id = l.pledge_id WHERE p.need_id = n.id),
		(SELECT MIN(s.received_at) FROM shipments s JOIN shipment_lines l ON l.shipment_id = s.id JOIN pledges p ON p.id = l.pledge_id WHERE p.need_id = n.id)
		FROM needs n`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]domain.LeadTime{}
	for rows.Next() {
		var id string
		var at [3]sql.NullString
		if err := rows.Scan(&id, &at[0], &at[1], &at[2]); err != nil {
			t.Fatal(err)
		}
		var lt domain.LeadTime
		for i, dst := range []**time.Time{&lt.FirstPledge, &lt.Dispatched, &lt.Received} {
			if at[i].Valid {
				v, err := parseDBTime(at[i].String)
				if err != nil {
					t.Fatal(err)
				}
				*dst = &v
			}
		}
		out[id] = lt
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// parseDBTime reads a timestamp as either database gives it as text.
func parseDBTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano} {
		if v, err := time.Parse(layout, s); err == nil {
			return v, nil
		}
	}
	return time.Time{}, fmt.Errorf("timestamp %q in no known layout", s)
}

func sameTime(a, b *time.Time) bool { return (a == nil) == (b == nil) && (a == nil || a.Equal(*b)) }

func leadRow(l domain.LeadSummary) string {
	f := func(v *float64) string {
		if v == nil {
			return "-"
		}
		return strconv.FormatFloat(*v, 'f', 6, 64)
	}
	return fmt.Sprintf("%s %s %q %d: %s %s %s %s", l.Month, l.ItemID, l.ItemName, l.Needs,
		f(l.PleaToPledge), f(l.PledgeToDispatch), f(l.DispatchToReceipt), f(l.PleaToReceipt))
}
