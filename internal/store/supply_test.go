package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
	"aidbridge/internal/store/storetest"
)

type supplyFixture struct {
	s                   *store.Store
	seattle, scmc, hope string
	n95                 string
}

func newSupply(t *testing.T, b storetest.Backend) *supplyFixture {
	ctx := context.Background()
	f := &supplyFixture{s: storetest.Open(t, b)}
	for _, o := range []struct {
		id   *string
		name string
	}{{&f.seattle, "Seattle Children's Hospital"}, {&f.scmc, "Shanghai Children's Medical Center"}, {&f.hope, "Project HOPE"}} {
		org := domain.Organization{Name: o.name, Kind: "hospital", Country: "US"}
		if err := f.s.CreateOrganization(ctx, admin, &org); err != nil {
			t.Fatal(err)
		}
		*o.id = org.ID
	}
	it := domain.Item{Code: "N95", Name: "N95 respirator", Category: "ppe", Unit: "piece"}
	if err := f.s.CreateItem(ctx, admin, &it); err != nil {
		t.Fatal(err)
	}
	f.n95 = it.ID
	return f
}

func (f *supplyFixture) need(t *testing.T, qty int64) domain.Need {
	n := domain.Need{OrganizationID: f.seattle, ItemID: f.n95, Quantity: qty, Urgency: domain.UrgencyCritical,
		NeededBy: domain.Date{Year: 2020, Month: 3, Day: 15}, Shortage: true}
	if err := f.s.CreateNeed(context.Background(), admin, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (f *supplyFixture) stock(t *testing.T, org string, qty int64) {
	m := domain.StockMovement{OrganizationID: org, ItemID: f.n95, Kind: domain.MoveAdjustment, Delta: qty, Reason: "opening balance"}
	if err := f.s.RecordStock(context.Background(), admin, &m); err != nil {
		t.Fatal(err)
	}
}

func TestPledgeLifecycle(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newSupply(t, b)
			n := f.need(t, 2000)
			if n.Status != domain.NeedOpen {
				t.Errorf("new need status %s", n.Status)
			}
			f.stock(t, f.scmc, 5000)
			p := domain.Pledge{NeedID: n.ID, DonorID: f.scmc, Quantity: 1500, FromStock: true}
			if err := f.s.CreatePledge(ctx, admin, &p); err != nil {
				t.Fatal(err)
			}
			got, _ := f.s.FindNeed(ctx, n.ID)
			if got.Pledged != 1500 || got.Status != domain.NeedPartiallyPledged {
				t.Errorf("after pledge: pledged %d status %s", got.Pledged, got.Status)
			}
			st, _ := f.s.ListStock(ctx, f.scmc)
			if len(st) != 1 || st[0].Reserved != 1500 || st[0].Available != 3500 {
				t.Errorf("stock after pledge: %+v", st)
			}
			// More than is left is refused, saying what is left.
			big := domain.Pledge{NeedID: n.ID, DonorID: f.hope, Quantity: 501}
			if err := f.s.CreatePledge(ctx, admin, &big); domain.ErrorCode(err) != domain.ECONFLICT || !contains(err.Error(), "only 500 of 2000") {
				t.Errorf("over-pledge: %v", err)
			}
			// Own need, unknown donor, zero quantity.
			own := domain.Pledge{NeedID: n.ID, DonorID: f.seattle, Quantity: 1}
			if err := f.s.CreatePledge(ctx, admin, &own); domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("own need: %v", err)
			}
			zero := domain.Pledge{NeedID: n.ID, DonorID: f.hope, Quantity: 0}
			if err := f.s.CreatePledge(ctx, admin, &zero); domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("zero quantity: %v", err)
			}
			// A stock adjustment below what is reserved is refused.
			down := domain.StockMovement{OrganizationID: f.scmc, ItemID: f.n95, Kind: domain.MoveAdjustment, Delta: -4000, Reason: "damaged in storage"}
			if err := f.s.RecordStock(ctx, admin, &down); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("adjust below reserved: %v", err)
			}
			// Accept, then withdraw: need and reservation are released.
			if p2, err := f.s.AcceptPledge(ctx, admin, p.ID); err != nil || p2.Status != domain.PledgeAccepted {
				t.Fatalf("accept: %v %v", p2.Status, err)
			}
			if _, err := f.s.AcceptPledge(ctx, admin, p.ID); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("accept twice: %v", err)
			}
			if _, err := f.s.DeclinePledge(ctx, admin, p.ID, "no"); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("decline an accepted pledge: %v", err)
			}
			if _, err := f.s.WithdrawPledge(ctx, admin, p.ID, "sent elsewhere"); err != nil {
				t.Fatal(err)
			}
			got, _ = f.s.FindNeed(ctx, n.ID)
			st, _ = f.s.ListStock(ctx, f.scmc)
			if got.Pledged != 0 || got.Status != domain.NeedOpen || st[0].Reserved != 0 {
				t.Errorf("after withdraw: pledged %d status %s reserved %d", got.Pledged, got.Status, st[0].Reserved)
			}
			// A count sets the books to what was found.
			c := int64(4321)
			count := domain.StockMovement{OrganizationID: f.scmc, ItemID: f.n95, Kind: domain.MoveCount, Counted: &c, Reason: "annual count"}
			if err := f.s.RecordStock(ctx, admin, &count); err != nil || count.Delta != 4321-5000 {
				t.Errorf("count: delta %d, %v", count.Delta, err)
			}
			// Cancel releases open pledges and takes no more.
			p3 := domain.Pledge{NeedID: n.ID, DonorID: f.scmc, Quantity: 100, FromStock: true}
			if err := f.s.CreatePledge(ctx, admin, &p3); err != nil {
				t.Fatal(err)
			}
			cur, _ := f.s.FindNeed(ctx, n.ID)
			cancelled, err := f.s.CancelNeed(ctx, admin, n.ID, cur.Version, "supplies arrived from elsewhere")
			if err != nil || cancelled.Status != domain.NeedCancelled || cancelled.Pledged != 0 {
				t.Fatalf("cancel: %+v %v", cancelled, err)
			}
			if p, _ := f.s.FindPledge(ctx, p3.ID); p.Status != domain.PledgeDeclined {
				t.Errorf("pledge of a cancelled need: %s", p.Status)
			}
			late := domain.Pledge{NeedID: n.ID, DonorID: f.hope, Quantity: 1}
			if err := f.s.CreatePledge(ctx, admin, &late); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("pledge to a cancelled need: %v", err)
			}
			if bad, err := f.s.CheckStockLedger(ctx); err != nil || len(bad) > 0 {
				t.Errorf("ledger: %v %v", bad, err)
			}
		})
	}
}

// TestConcurrentPledges races 50 pledges for the last units of a need and
// of a donor's stock: exactly as many succeed as the units allow, the others
// are refused with a conflict, and the books balance.
func TestConcurrentPledges(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newSupply(t, b)
			// The need has room for 30 units, the stock for 20: 50 pledges of
			// one unit from stock race for them.
			n := f.need(t, 30)
			f.stock(t, f.scmc, 20)
			var wg sync.WaitGroup
			errs := make([]error, 50)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					p := domain.Pledge{NeedID: n.ID, DonorID: f.scmc, Quantity: 1, FromStock: true}
					errs[i] = f.s.CreatePledge(ctx, admin, &p)
				}()
			}
			wg.Wait()
			ok := count(t, errs)
			if ok != 20 {
				t.Errorf("%d pledges from stock succeeded, want 20 (the stock)", ok)
			}
			// The next 50 without stock race for the 10 units the need has left.
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					p := domain.Pledge{NeedID: n.ID, DonorID: f.hope, Quantity: 1}
					errs[i] = f.s.CreatePledge(ctx, admin, &p)
				}()
			}
			wg.Wait()
			if ok := count(t, errs); ok != 10 {
				t.Errorf("%d pledges succeeded, want 10 (what the need had left)", ok)
			}
			got, _ := f.s.FindNeed(ctx, n.ID)
			pledges, _ := f.s.ListPledges(ctx, n.ID)
			var sum int64
			for _, p := range pledges {
				if p.Status.Active() {
					sum += p.Quantity
				}
			}
			st, _ := f.s.ListStock(ctx, f.scmc)
			if got.Pledged != 30 || sum != 30 || got.Status != domain.NeedPledged || st[0].Reserved != 20 || st[0].OnHand != 20 {
				t.Errorf("need pledged %d (pledges sum %d, status %s), stock %+v", got.Pledged, sum, got.Status, st)
			}
		})
	}
}

func count(t *testing.T, errs []error) int {
	t.Helper()
	ok := 0
	for _, err := range errs {
		switch domain.ErrorCode(err) {
		case "":
			ok++
		case domain.ECONFLICT:
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	return ok
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// TestShipmentJourney follows the 2,000 N95 masks from SCMC's stock to
// Seattle Children's, and the refusals along the way.
func TestShipmentJourney(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newSupply(t, b)
			n := f.need(t, 2000)
			f.stock(t, f.scmc, 3000)
			p := domain.Pledge{NeedID: n.ID, DonorID: f.scmc, Quantity: 2000, FromStock: true}
			if err := f.s.CreatePledge(ctx, admin, &p); err != nil {
				t.Fatal(err)
			}
			// Not accepted yet: cannot ship.
			cost, _ := domain.ParseMoney("350.00", "USD")
			sh := domain.Shipment{DonorID: f.scmc, Carrier: "Air cargo", ShippingCost: cost, CostBorneBy: f.scmc,
				Lines: []domain.ShipmentLine{{PledgeID: p.ID, Quantity: 2000}}}
			if err := f.s.CreateShipment(ctx, admin, &sh); domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(err.Error(), "offered") {
				t.Errorf("ship an offered pledge: %v", err)
			}
			if _, err := f.s.AcceptPledge(ctx, admin, p.ID); err != nil {
				t.Fatal(err)
			}
			over := sh
			over.Lines = []domain.ShipmentLine{{PledgeID: p.ID, Quantity: 2001}}
			if err := f.s.CreateShipment(ctx, admin, &over); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("ship more than accepted: %v", err)
			}
			if err := f.s.CreateShipment(ctx, admin, &sh); err != nil {
				t.Fatal(err)
			}
			if sh.RecipientID != f.seattle || sh.Status != domain.ShipmentPreparing {
				t.Errorf("shipment: %+v", sh)
			}
			// A second shipment for the same units is refused.
			again := domain.Shipment{DonorID: f.scmc, Lines: []domain.ShipmentLine{{PledgeID: p.ID, Quantity: 1}}}
			if err := f.s.CreateShipment(ctx, admin, &again); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("ship the same units twice: %v", err)
			}
			if _, err := f.s.RecordReceipt(ctx, admin, sh.ID, []domain.ReceiptLine{{LineID: sh.Lines[0].ID, Received: 1}}); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("receive before dispatch: %v", err)
			}
			sh, err := f.s.DispatchShipment(ctx, admin, sh.ID, sh.Version)
			if err != nil || sh.Status != domain.ShipmentDispatched {
				t.Fatalf("dispatch: %v %v", sh.Status, err)
			}
			st, _ := f.s.ListStock(ctx, f.scmc)
			if st[0].OnHand != 1000 || st[0].Reserved != 0 {
				t.Errorf("donor stock after dispatch: %+v", st[0])
			}
			if p, _ := f.s.FindPledge(ctx, p.ID); p.Status != domain.PledgeShipped {
				t.Errorf("pledge after dispatch: %s", p.Status)
			}
			// Receiving more than shipped is refused, naming the line.
			_, err = f.s.RecordReceipt(ctx, admin, sh.ID, []domain.ReceiptLine{{LineID: sh.Lines[0].ID, Received: 1995, Damaged: 10}})
			if domain.ErrorCode(err) != domain.EINVALID || len(domain.ErrorFields(err)) != 1 || domain.ErrorFields(err)[0].Field != "lines[0].received" {
				t.Errorf("receive more than shipped: %v", err)
			}
			sh, err = f.s.RecordReceipt(ctx, admin, sh.ID, []domain.ReceiptLine{{LineID: sh.Lines[0].ID, Received: 1990, Damaged: 10}})
			if err != nil || sh.Status != domain.ShipmentPartiallyDelivered {
				t.Fatalf("receipt: %v %v", sh.Status, err)
			}
			got, _ := f.s.FindNeed(ctx, n.ID)
			if got.Received != 1990 || got.Damaged != 10 || got.Pledged != 1990 || got.Status != domain.NeedPartiallyDelivered || got.Uncovered() != 10 {
				t.Errorf("need after receipt: %+v", got)
			}
			if p, _ := f.s.FindPledge(ctx, p.ID); p.Status != domain.PledgeDelivered {
				t.Errorf("pledge after receipt: %s", p.Status)
			}
			rs, _ := f.s.ListStock(ctx, f.seattle)
			if len(rs) != 1 || rs[0].OnHand != 1990 {
				t.Errorf("recipient stock: %+v", rs)
			}
			if _, err := f.s.RecordReceipt(ctx, admin, sh.ID, []domain.ReceiptLine{{LineID: sh.Lines[0].ID, Received: 1}}); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("receive twice: %v", err)
			}
			// The 10 damaged can be pledged again and make the need whole.
			p2 := domain.Pledge{NeedID: n.ID, DonorID: f.hope, Quantity: 10}
			if err := f.s.CreatePledge(ctx, admin, &p2); err != nil {
				t.Fatal(err)
			}
			f.s.AcceptPledge(ctx, admin, p2.ID)
			sh2 := domain.Shipment{DonorID: f.hope, Lines: []domain.ShipmentLine{{PledgeID: p2.ID, Quantity: 10}}}
			if err := f.s.CreateShipment(ctx, admin, &sh2); err != nil {
				t.Fatal(err)
			}
			sh2, _ = f.s.DispatchShipment(ctx, admin, sh2.ID, 1)
			if _, err := f.s.RecordReceipt(ctx, admin, sh2.ID, []domain.ReceiptLine{{LineID: sh2.Lines[0].ID, Received: 10}}); err != nil {
				t.Fatal(err)
			}
			if got, _ := f.s.FindNeed(ctx, n.ID); got.Status != domain.NeedFulfilled || got.Received != 2000 {
				t.Errorf("need after the second shipment: %s, %d received", got.Status, got.Received)
			}
			// A declined pledge cannot ship.
			n2 := f.need(t, 5)
			p3 := domain.Pledge{NeedID: n2.ID, DonorID: f.hope, Quantity: 5}
			f.s.CreatePledge(ctx, admin, &p3)
			f.s.DeclinePledge(ctx, admin, p3.ID, "not needed")
			sh3 := domain.Shipment{DonorID: f.hope, Lines: []domain.ShipmentLine{{PledgeID: p3.ID, Quantity: 5}}}
			if err := f.s.CreateShipment(ctx, admin, &sh3); domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(err.Error(), "declined") {
				t.Errorf("ship a declined pledge: %v", err)
			}
			if bad, err := f.s.CheckStockLedger(ctx); err != nil || len(bad) > 0 {
				t.Errorf("ledger: %v %v", bad, err)
			}
		})
	}
}

func TestLeadTimesAndNotifications(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newSupply(t, b)
			n := f.need(t, 10)
			p := domain.Pledge{NeedID: n.ID, DonorID: f.hope, Quantity: 10}
			if err := f.s.CreatePledge(ctx, admin, &p); err != nil {
				t.Fatal(err)
			}
			f.s.AcceptPledge(ctx, admin, p.ID)
			sh := domain.Shipment{DonorID: f.hope, Lines: []domain.ShipmentLine{{PledgeID: p.ID, Quantity: 10}}}
			if err := f.s.CreateShipment(ctx, admin, &sh); err != nil {
				t.Fatal(err)
			}
			sh, _ = f.s.DispatchShipment(ctx, admin, sh.ID, 1)
			f.s.RecordReceipt(ctx, admin, sh.ID, []domain.ReceiptLine{{LineID: sh.Lines[0].ID, Received: 10}})
			lts, err := f.s.LeadTimes(ctx, []string{n.ID}, time.Time{})
			if err != nil || len(lts) != 1 {
				t.Fatalf("lead times: %v %v", lts, err)
			}
			lt := lts[0]
			if lt.FirstPledge == nil || lt.Dispatched == nil || lt.Received == nil ||
				lt.FirstPledge.Before(lt.PleadedAt) || lt.Dispatched.Before(*lt.FirstPledge) || lt.Received.Before(*lt.Dispatched) {
				t.Errorf("lead time: %+v", lt)
			}
			// Seattle hears of the pledge and the dispatch; HOPE of the
			// acceptance and the receipt.
			u := domain.User{Email: "reader@example.org", Name: "Reader"}
			f.s.CreateUser(ctx, admin, &u, "x")
			notes, unread, err := f.s.ListNotifications(ctx, u.ID, []string{f.seattle}, 10)
			if err != nil || unread != 2 || len(notes) != 2 || notes[0].Kind != domain.NoteShipmentDispatched || notes[1].Kind != domain.NotePledgeOffered {
				t.Errorf("Seattle's notifications: %d unread %+v %v", unread, notes, err)
			}
			donor, _, _ := f.s.ListNotifications(ctx, u.ID, []string{f.hope}, 10)
			if len(donor) != 2 || donor[0].Kind != domain.NoteReceiptRecorded || donor[0].Quantity != 10 {
				t.Errorf("HOPE's notifications: %+v", donor)
			}
			if err := f.s.MarkNotificationsRead(ctx, u.ID, notes[0].ID); err != nil {
				t.Fatal(err)
			}
			if _, unread, _ := f.s.ListNotifications(ctx, u.ID, []string{f.seattle}, 10); unread != 0 {
				t.Errorf("%d unread after reading", unread)
			}
		})
	}
}
