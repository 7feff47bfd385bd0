package main

import (
	"context"
	"strings"
	"testing"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
	"aidbridge/internal/store/storetest"
)

// TestAllocationAPI proposes an allocation of SCMC's scarce N95 stock to
// three open needs, commits it as pledges, and checks the refusals: a
// proposal committed twice, a proposal overtaken by a change of stock, and
// users who may not pledge.
func TestAllocationAPI(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			m := startMain(t, b)
			scmc, n95 := m.orgID("Shanghai Children's Medical Center"), m.itemID("N95")
			sys := store.Actor{}
			stock := domain.StockMovement{OrganizationID: scmc, ItemID: n95, Kind: domain.MoveAdjustment, Delta: 1200, Reason: "masks in store"}
			if err := m.Store.RecordStock(ctx, sys, &stock); err != nil {
				t.Fatal(err)
			}
			need := func(org string, qty int64, u domain.Urgency) string {
				n := domain.Need{OrganizationID: m.orgID(org), ItemID: n95, Quantity: qty, Urgency: u}
				if err := m.Store.CreateNeed(ctx, sys, &n); err != nil {
					t.Fatal(err)
				}
				return n.ID
			}
			seattle := need("Seattle Children's Hospital", 800, domain.UrgencyCritical)
			kashi := need("The Second People's Hospital of Kashi", 600, domain.UrgencyHigh)
			baoshan := need("Baoshan People's Hospital", 300, domain.UrgencyNormal)
			tok := m.token("coordinator@scmc.example.org")

			r := m.call("POST", "/api/v1/allocations", tok, map[string]any{"item_id": n95, "policy": "priority"})
			if r.Status != 201 {
				t.Fatalf("propose: %d %s", r.Status, r.Body)
			}
			got := map[string]float64{}
			for _, l := range r.JSON["lines"].([]any) {
				line := l.(map[string]any)
				got[line["need_id"].(string)] += line["quantity"].(float64)
			}
			if got[seattle] != 800 || got[kashi] != 400 || got[baoshan] != 0 || r.JSON["allocated"] != 1200.0 || r.JSON["shortfall"] != 500.0 {
				t.Errorf("priority allocation: %v (allocated %v, shortfall %v)", got, r.JSON["allocated"], r.JSON["shortfall"])
			}
			reasons := map[string]string{}
			for _, u := range r.JSON["unmet"].([]any) {
				x := u.(map[string]any)
				reasons[x["need_id"].(string)] = x["reason"].(string)
			}
			if reasons[kashi] != "no_stock" || reasons[baoshan] != "no_stock" {
				t.Errorf("unmet reasons: %v", reasons)
			}
			id := r.JSON["id"].(string)

			// Commit: the lines become pledges from SCMC's stock.
			c := m.call("POST", "/api/v1/allocations/"+id+"/commit", tok, map[string]any{"version": 1})
			if c.Status != 200 || c.JSON["status"] != "committed" || len(c.JSON["pledge_ids"].([]any)) != 2 {
				t.Fatalf("commit: %d %s", c.Status, c.Body)
			}
			if n, _ := m.Store.FindNeed(ctx, seattle); n.Pledged != 800 || n.Status != domain.NeedPledged {
				t.Errorf("Seattle's need after commit: pledged %d, %s", n.Pledged, n.Status)
			}
			st, _ := m.Store.ListStock(ctx, scmc)
			for _, s := range st {
				if s.ItemID == n95 && (s.Reserved != 1200 || s.Available != 0) {
					t.Errorf("SCMC's N95 after commit: %+v", s)
				}
			}
			if c := m.call("POST", "/api/v1/allocations/"+id+"/commit", tok, map[string]any{"version": 2}); c.Status != 409 {
				t.Errorf("commit twice: %d %s", c.Status, c.Body)
			}

			// A proposal overtaken by a change of stock commits nothing.
			more := domain.StockMovement{OrganizationID: scmc, ItemID: n95, Kind: domain.MoveAdjustment, Delta: 300, Reason: "late delivery"}
			m.Store.RecordStock(ctx, sys, &more)
			r = m.call("POST", "/api/v1/allocations", tok, map[string]any{"item_id": n95, "policy": "cheapest"})
			if r.Status != 201 || r.JSON["allocated"] != 300.0 {
				t.Fatalf("second proposal: %d %s", r.Status, r.Body)
			}
			less := domain.StockMovement{OrganizationID: scmc, ItemID: n95, Kind: domain.MoveAdjustment, Delta: -200, Reason: "damaged in store"}
			if err := m.Store.RecordStock(ctx, sys, &less); err != nil {
				t.Fatal(err)
			}
			c = m.call("POST", "/api/v1/allocations/"+r.JSON["id"].(string)+"/commit", tok, map[string]any{"version": 1})
			if c.Status != 409 || !strings.Contains(c.JSON["detail"].(string), "propose again") {
				t.Errorf("stale commit: %d %s", c.Status, c.Body)
			}
			if n, _ := m.Store.FindNeed(ctx, kashi); n.Pledged != 400 {
				t.Errorf("a refused commit pledged: Kashi pledged %d", n.Pledged)
			}

			// Narrowed by urgency, in any order, and by country: 100 masks left.
			narrowed := func(filter map[string]any) map[string]float64 {
				t.Helper()
				filter["item_id"], filter["policy"] = n95, "priority"
				r := m.call("POST", "/api/v1/allocations", tok, filter)
				if r.Status != 201 {
					t.Fatalf("proposal narrowed to %v: %d %s", filter, r.Status, r.Body)
				}
				got := map[string]float64{}
				for _, l := range r.JSON["lines"].([]any) {
					line := l.(map[string]any)
					got[line["need_id"].(string)] += line["quantity"].(float64)
				}
				return got
			}
			if got := narrowed(map[string]any{"urgencies": []string{"normal", "high", "normal"}, "countries": []string{"CN"}}); len(got) != 1 || got[kashi] != 100 {
				t.Errorf("normal and high needs in China: %v, want Kashi's 100", got)
			}
			if got := narrowed(map[string]any{"urgencies": []string{"normal"}}); len(got) != 1 || got[baoshan] != 100 {
				t.Errorf("normal needs: %v, want Baoshan's 100", got)
			}
			if got := narrowed(map[string]any{"countries": []string{"US"}}); len(got) != 0 {
				t.Errorf("needs in the United States, all pledged: %v, want none", got)
			}

			// Who may not: a viewer, a bad policy, an unknown item, another's proposal.
			if r := m.call("POST", "/api/v1/allocations", m.token("viewer@shhealth.example.org"), map[string]any{"item_id": n95}); r.Status != 403 {
				t.Errorf("viewer proposes: %d %s", r.Status, r.Body)
			}
			if r := m.call("POST", "/api/v1/allocations", tok, map[string]any{"item_id": n95, "policy": "fastest"}); r.Status != 422 || !strings.Contains(string(r.Body), "policy") {
				t.Errorf("bad policy: %d %s", r.Status, r.Body)
			}
			if r := m.call("POST", "/api/v1/allocations", tok, map[string]any{"item_id": "nothing"}); r.Status != 422 || !strings.Contains(string(r.Body), "item_id") {
				t.Errorf("unknown item: %d %s", r.Status, r.Body)
			}
			if r := m.call("GET", "/api/v1/allocations/"+id, m.token("supply@seattlechildrens.example.org"), nil); r.Status != 403 {
				t.Errorf("another's proposal: %d", r.Status)
			}
		})
	}
}
