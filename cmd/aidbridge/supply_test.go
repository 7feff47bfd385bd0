package main

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"aidbridge/internal/domain"
	"aidbridge/internal/store/storetest"
)

// itemID returns the id of the catalog item with the given code.
func (m *testMain) itemID(code string) string {
	m.t.Helper()
	list, _, err := m.Store.ListItems(context.Background(), domain.ItemFilter{Query: code, Limit: 200})
	if err != nil {
		m.t.Fatal(err)
	}
	for _, it := range list {
		if it.Code == code {
			return it.ID
		}
	}
	m.t.Fatalf("no item with code %q", code)
	return ""
}

// TestMaskJourneyAPI is the N95 account over the API only: Seattle
// Children's posts a critical need, SCMC pledges 2,000 from its stock,
// Seattle accepts, SCMC ships with the cost borne by SCMC and dispatches,
// Seattle records the receipt, and the need is fulfilled with its lead times.
func TestMaskJourneyAPI(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			m := startMain(t, b)
			seattle, scmc, n95 := m.orgID("Seattle Children's Hospital"), m.orgID("Shanghai Children's Medical Center"), m.itemID("N95")
			rec, don := m.token("supply@seattlechildrens.example.org"), m.token("coordinator@scmc.example.org")

			// The account's date, 2020-03-15, has passed: a need cannot be
			// posted for a day gone by.
			plea := map[string]any{"organization_id": seattle, "item_id": n95, "quantity": 2000,
				"urgency": "critical", "needed_by": "2020-03-15", "shortage": true, "justification": "global manufacturing shortage"}
			if r := m.call("POST", "/api/v1/needs", rec, plea); r.Status != 422 || !strings.Contains(string(r.Body), "needed_by") || !strings.Contains(string(r.Body), "needed_by_past") {
				t.Errorf("need for a day gone by: %d %s", r.Status, r.Body)
			}
			plea["needed_by"] = time.Now().UTC().AddDate(0, 0, 14).Format(time.DateOnly)
			r := m.call("POST", "/api/v1/needs", rec, plea)
			if r.Status != 201 || r.JSON["status"] != "open" || r.JSON["uncovered"] != 2000.0 {
				t.Fatalf("post need: %d %s", r.Status, r.Body)
			}
			need := r.JSON["id"].(string)
			board := m.call("GET", "/api/v1/needs?open=true&urgency=critical", don, nil)
			if !strings.Contains(string(board.Body), need) {
				t.Errorf("the need is not on the board")
			}

			r = m.call("POST", "/api/v1/organizations/"+scmc+"/stock/movements", don, map[string]any{"item_id": n95, "kind": "adjustment", "delta": 5000, "reason": "stock on hand"})
			if r.Status != 201 {
				t.Fatalf("stock: %d %s", r.Status, r.Body)
			}
			r = m.call("POST", "/api/v1/needs/"+need+"/pledges", don, map[string]any{"donor_id": scmc, "quantity": 2000, "from_stock": true})
			if r.Status != 201 || r.JSON["status"] != "offered" {
				t.Fatalf("pledge: %d %s", r.Status, r.Body)
			}
			pledge := r.JSON["id"].(string)
			// The donor may not accept its own pledge; the recipient may.
			if r := m.call("POST", "/api/v1/pledges/"+pledge+"/accept", don, nil); r.Status != 403 {
				t.Errorf("donor accepts: %d", r.Status)
			}
			if r := m.call("POST", "/api/v1/pledges/"+pledge+"/accept", rec, nil); r.Status != 200 || r.JSON["status"] != "accepted" {
				t.Fatalf("accept: %d %s", r.Status, r.Body)
			}
			notes := m.call("GET", "/api/v1/notifications", don, nil)
			newest, _ := notes.JSON["items"].([]any)[0].(map[string]any)
			if newest["kind"] != "pledge_accepted" || newest["entity_id"] != need || newest["unread"] != true {
				t.Errorf("donor notifications: %s", notes.Body)
			}
			unread := notes.JSON["unread"].(float64)
			if r := m.call("POST", "/api/v1/notifications/read", don, map[string]any{"up_to": newest["id"]}); r.Status != 204 {
				t.Errorf("mark read: %d", r.Status)
			}
			if after := m.call("GET", "/api/v1/notifications", don, nil); after.JSON["unread"] != 0.0 || unread < 1 {
				t.Errorf("unread before %v, after %v", unread, after.JSON["unread"])
			}

			r = m.call("POST", "/api/v1/shipments", don, map[string]any{"donor_id": scmc, "carrier": "China Eastern cargo",
				"tracking_number": "MU-2020-0301", "shipping_cost": map[string]any{"amount": "1830.40", "currency": "USD"},
				"cost_borne_by": scmc, "lines": []map[string]any{{"pledge_id": pledge, "quantity": 2000}}})
			if r.Status != 201 {
				t.Fatalf("shipment: %d %s", r.Status, r.Body)
			}
			cost := r.JSON["shipping_cost"].(map[string]any)
			if cost["amount"] != "1830.40" || cost["currency"] != "USD" || r.JSON["cost_borne_by"] != scmc {
				t.Errorf("shipping cost: %v", r.JSON["shipping_cost"])
			}
			ship := r.JSON["id"].(string)
			if r := m.call("POST", "/api/v1/shipments/"+ship+"/dispatch", don, map[string]any{"version": 1}); r.Status != 200 || r.JSON["status"] != "dispatched" {
				t.Fatalf("dispatch: %d %s", r.Status, r.Body)
			}
			stock := m.call("GET", "/api/v1/organizations/"+scmc+"/stock", don, nil)
			if !strings.Contains(string(stock.Body), `"on_hand":3000,"reserved":0,"available":3000`) {
				t.Errorf("donor stock after dispatch: %s", stock.Body)
			}
			sh := m.call("GET", "/api/v1/shipments/"+ship, rec, nil)
			line := sh.JSON["lines"].([]any)[0].(map[string]any)["id"].(string)
			// More than shipped is refused with the field named, nothing written.
			r = m.call("POST", "/api/v1/shipments/"+ship+"/receipt", rec, map[string]any{"lines": []map[string]any{{"line_id": line, "received": 2000, "damaged": 1}}})
			if r.Status != 422 || !strings.Contains(string(r.Body), "body.lines[0].received") {
				t.Errorf("over-receipt: %d %s", r.Status, r.Body)
			}
			r = m.call("POST", "/api/v1/shipments/"+ship+"/receipt", rec, map[string]any{"lines": []map[string]any{{"line_id": line, "received": 2000}}})
			if r.Status != 200 || r.JSON["status"] != "delivered" {
				t.Fatalf("receipt: %d %s", r.Status, r.Body)
			}
			r = m.call("GET", "/api/v1/needs/"+need, rec, nil)
			lt, _ := r.JSON["lead_time"].(map[string]any)
			if r.JSON["status"] != "fulfilled" || r.JSON["received"] != 2000.0 || lt["first_receipt_at"] == nil || lt["first_pledge_at"] == nil {
				t.Errorf("need after receipt: %s", r.Body)
			}
			// The demo data's delivery of 2,000 plus this one.
			rs := m.call("GET", "/api/v1/organizations/"+seattle+"/stock", rec, nil)
			if !strings.Contains(string(rs.Body), `"on_hand":4000`) {
				t.Errorf("recipient stock: %s", rs.Body)
			}
			if r := m.call("GET", "/api/v1/reports/lead-times", rec, nil); r.Status != 200 || !strings.Contains(string(r.Body), "plea_to_receipt_days") {
				t.Errorf("lead-time report: %d %s", r.Status, r.Body)
			}
		})
	}
}

// TestSupplyBadInput checks the refusals of bad quantities and of actions
// out of turn: each names the field or says why, and nothing is written.
func TestSupplyBadInput(t *testing.T) {
	t.Parallel()
	m := startMain(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	seattle, scmc, n95 := m.orgID("Seattle Children's Hospital"), m.orgID("Shanghai Children's Medical Center"), m.itemID("N95")
	rec, don := m.token("supply@seattlechildrens.example.org"), m.token("coordinator@scmc.example.org")
	before := m.call("GET", "/api/v1/needs?organization_id="+seattle, rec, nil)
	for _, tc := range []struct{ name, body, field string }{
		{"zero", `{"organization_id":"` + seattle + `","item_id":"` + n95 + `","quantity":0,"urgency":"high"}`, "quantity"},
		{"negative", `{"organization_id":"` + seattle + `","item_id":"` + n95 + `","quantity":-5,"urgency":"high"}`, "quantity"},
		{"fraction", `{"organization_id":"` + seattle + `","item_id":"` + n95 + `","quantity":2.5,"urgency":"high"}`, "quantity"},
		{"beyond 64 bits", `{"organization_id":"` + seattle + `","item_id":"` + n95 + `","quantity":18446744073709551616,"urgency":"high"}`, "quantity"},
		{"string", `{"organization_id":"` + seattle + `","item_id":"` + n95 + `","quantity":"2000","urgency":"high"}`, "quantity"},
		{"unknown urgency", `{"organization_id":"` + seattle + `","item_id":"` + n95 + `","quantity":5,"urgency":"soon"}`, "urgency"},
		{"unknown item", `{"organization_id":"` + seattle + `","item_id":"nope","quantity":5,"urgency":"high"}`, "item_id"},
		{"bad date", `{"organization_id":"` + seattle + `","item_id":"` + n95 + `","quantity":5,"urgency":"high","needed_by":"15/03/2020"}`, "needed_by"},
	} {
		r := m.call("POST", "/api/v1/needs", rec, tc.body)
		if r.Status != 422 || !strings.Contains(string(r.Body), tc.field) {
			t.Errorf("%s: %d %s", tc.name, r.Status, r.Body)
		}
	}
	after := m.call("GET", "/api/v1/needs?organization_id="+seattle, rec, nil)
	if len(after.JSON["items"].([]any)) != len(before.JSON["items"].([]any)) {
		t.Errorf("a refused need was stored")
	}
	r := m.call("POST", "/api/v1/needs", rec, map[string]any{"organization_id": seattle, "item_id": n95, "quantity": 10, "urgency": "high"})
	need := r.JSON["id"].(string)
	if r := m.call("POST", "/api/v1/needs/"+need+"/cancel", rec, map[string]any{"version": 1, "reason": "covered by the state"}); r.Status != 200 || r.JSON["status"] != "cancelled" {
		t.Fatalf("cancel: %d %s", r.Status, r.Body)
	}
	if r := m.call("POST", "/api/v1/needs/"+need+"/pledges", don, map[string]any{"donor_id": scmc, "quantity": 1}); r.Status != 409 || !strings.Contains(string(r.Body), "cancelled") {
		t.Errorf("pledge to a cancelled need: %d %s", r.Status, r.Body)
	}
	if r := m.call("POST", "/api/v1/shipments", don, map[string]any{"donor_id": scmc, "shipping_cost": map[string]any{"amount": "10.001", "currency": "USD"},
		"cost_borne_by": scmc, "lines": []map[string]any{{"pledge_id": "x", "quantity": 1}}}); r.Status != 422 || !strings.Contains(string(r.Body), "decimals") {
		t.Errorf("cost with too many decimals: %d %s", r.Status, r.Body)
	}
}

// TestPledgeRaceTwoInstances runs two instances of aidbridge on one
// PostgreSQL database and races 50 pledges through both for the last units
// of a need and of the donor's stock: the invariants hold and the ledger
// balances.
func TestPledgeRaceTwoInstances(t *testing.T) {
	t.Parallel()
	if !hasPostgres(t) {
		return
	}
	url := storetest.PostgresURL(t)
	a := startMainURL(t, url, true)
	b := startMainURL(t, url, false)
	seattle, scmc, n95 := a.orgID("Seattle Children's Hospital"), a.orgID("Shanghai Children's Medical Center"), a.itemID("N95")
	rec, don := a.token("supply@seattlechildrens.example.org"), a.token("coordinator@scmc.example.org")
	need := a.call("POST", "/api/v1/needs", rec, map[string]any{"organization_id": seattle, "item_id": n95, "quantity": 40, "urgency": "critical"}).JSON["id"].(string)
	a.call("POST", "/api/v1/organizations/"+scmc+"/stock/movements", don, map[string]any{"item_id": n95, "kind": "adjustment", "delta": 25, "reason": "on hand"})

	var wg sync.WaitGroup
	statuses := make([]int, 50)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			inst := a
			if i%2 == 1 {
				inst = b
			}
			r := inst.call("POST", "/api/v1/needs/"+need+"/pledges", don, map[string]any{"donor_id": scmc, "quantity": 1, "from_stock": true})
			statuses[i] = r.Status
			if r.Status == 409 && !strings.Contains(string(r.Body), "available") && !strings.Contains(string(r.Body), "left") {
				t.Errorf("refusal does not say what is left: %s", r.Body)
			}
		}()
	}
	wg.Wait()
	created := 0
	for _, s := range statuses {
		switch s {
		case http.StatusCreated:
			created++
		case http.StatusConflict:
		default:
			t.Errorf("unexpected status %d", s)
		}
	}
	if created != 25 {
		t.Errorf("%d pledges from stock went through, want 25 (the stock)", created)
	}
	n, _ := a.Store.FindNeed(context.Background(), need)
	st, _ := a.Store.ListStock(context.Background(), scmc)
	if n.Pledged != 25 || st[0].Reserved != 25 || st[0].OnHand != 25 {
		t.Errorf("need pledged %d, stock %+v", n.Pledged, st)
	}
	if bad, err := a.Store.CheckStockLedger(context.Background()); err != nil || len(bad) > 0 {
		t.Errorf("ledger: %v %v", bad, err)
	}
}

// hasPostgres reports whether the PostgreSQL suite can run, noting it when not.
func hasPostgres(t *testing.T) bool {
	for _, b := range storetest.Backends(t) {
		if b.Name == "postgres" {
			return true
		}
	}
	t.Skip("PostgreSQL suite not configured")
	return false
}
