package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"aidbridge/internal/store/storetest"
)

// TestTwoInstanceLoad loads two instances of aidbridge on one PostgreSQL
// database from eight clients at once for AIDBRIDGE_LOAD_SECONDS (3 in
// make test; make load runs 60): pledges from the same stock to the same
// needs, changes of one organization each made from the version just read,
// selections for the places of one team, and wrong passwords for one
// account. Then no need is over-pledged, no change was lost, the team is
// no bigger than its places, the login limit held across both, and every
// invariant holds.
func TestTwoInstanceLoad(t *testing.T) {
	t.Parallel()
	if !hasPostgres(t) {
		return
	}
	seconds := 3
	if v := os.Getenv("AIDBRIDGE_LOAD_SECONDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("AIDBRIDGE_LOAD_SECONDS=%q: give a number of seconds", v)
		}
		seconds = n
	}
	dbURL := storetest.PostgresURL(t)
	a := startMainURL(t, dbURL, true)
	b := startMainURL(t, dbURL, false)
	both := []*testMain{a, b}
	scmc, seattle, n95 := a.orgID(scmcName), a.orgID(seattleName), a.itemID("N95")
	donor, recipient := a.token("coordinator@scmc.example.org"), a.token("supply@seattlechildrens.example.org")
	coord, screener, reviewer := a.token("partners@xinhua.example.org"), a.token("screener@xinhua.example.org"), a.token("reviewer@xinhua.example.org")
	if r := a.call("POST", "/api/v1/organizations/"+scmc+"/stock/movements", donor, map[string]any{"item_id": n95, "kind": "adjustment", "delta": 300, "reason": "load"}); r.Status != 201 {
		t.Fatalf("stock: %d %s", r.Status, r.Body)
	}
	var needs []string
	for range 5 {
		r := a.call("POST", "/api/v1/needs", recipient, map[string]any{"organization_id": seattle, "item_id": n95, "quantity": 100, "urgency": "critical"})
		needs = append(needs, r.JSON["id"].(string))
	}
	// A team of ten places and forty screened volunteers.
	xinhua := a.orgID("Xinhua Hospital affiliated to Shanghai Jiao Tong University School of Medicine")
	ps := a.call("GET", "/api/v1/partnerships?q=Baoshan", coord, nil).JSON["items"].([]any)[0].(map[string]any)["id"].(string)
	org := a.call("GET", "/api/v1/organizations/"+xinhua, coord, nil)
	cardiology := ""
	for _, d := range org.JSON["departments"].([]any) {
		if d := d.(map[string]any); d["name"] == "Cardiology" {
			cardiology = d["id"].(string)
		}
	}
	starts := time.Now().UTC().AddDate(0, 8, 0)
	r := a.call("POST", "/api/v1/missions", coord, map[string]any{"partnership_id": ps, "sequence": 70, "sending_id": xinhua,
		"host_id": a.orgID("Baoshan People's Hospital"), "starts_on": starts.Format(time.DateOnly), "ends_on": starts.AddDate(0, 6, 0).Format(time.DateOnly),
		"status": "recruiting", "slots": []map[string]any{{"specialty": "Cardiology", "count": 10}}})
	if r.Status != 201 {
		t.Fatalf("mission: %d %s", r.Status, r.Body)
	}
	mission, slot := r.JSON["id"].(string), r.JSON["slots"].([]any)[0].(map[string]any)["id"].(string)
	var apps []string
	for i := range 40 {
		p := a.call("POST", "/api/v1/people", coord, map[string]any{"organization_id": xinhua, "department_id": cardiology,
			"name": fmt.Sprintf("Load volunteer %d", i), "specialty": "Cardiology"}).JSON["id"]
		app := a.call("POST", "/api/v1/missions/"+mission+"/applications", coord, map[string]any{"slot_id": slot, "person_id": p}).JSON["id"].(string)
		if r := a.call("POST", "/api/v1/applications/"+app+"/screening", screener, map[string]any{"outcome": "passed", "version": 1}); r.Status != 200 {
			t.Fatalf("screening: %d %s", r.Status, r.Body)
		}
		apps = append(apps, app)
	}

	var (
		requests, pledged, pledges, updates, selected, logins401, failures atomic.Int64
		versions                                                           sync.Map // the version of each change taken -> the city it set
		next                                                               atomic.Int64
	)
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	var wg sync.WaitGroup
	for client := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; time.Now().Before(deadline); k++ {
				inst := both[(client+k)%2]
				requests.Add(1)
				switch (client + k) % 4 {
				case 0: // a pledge from stock
					q := 1 + k%5
					r := inst.call("POST", "/api/v1/needs/"+needs[k%len(needs)]+"/pledges", donor, map[string]any{"donor_id": scmc, "quantity": q, "from_stock": true})
					switch r.Status {
					case 201:
						pledges.Add(1)
						pledged.Add(int64(q))
					case 409:
					default:
						failures.Add(1)
						t.Errorf("pledge: %d %s", r.Status, r.Body)
					}
				case 1: // a change of SCMC from the version just read
					cur := inst.call("GET", "/api/v1/organizations/"+scmc, donor, nil)
					body := map[string]any{}
					for _, f := range []string{"name", "kind", "country", "subdivision", "city", "website"} {
						if v, ok := cur.JSON[f]; ok {
							body[f] = v
						}
					}
					body["city"], body["version"] = fmt.Sprintf("Shanghai %d", next.Add(1)), cur.JSON["version"]
					r := both[(client+k+1)%2].call("PUT", "/api/v1/organizations/"+scmc, donor, body)
					switch r.Status {
					case 200:
						updates.Add(1)
						if _, dup := versions.LoadOrStore(r.JSON["version"], body["city"]); dup {
							t.Errorf("two changes took version %v", r.JSON["version"])
						}
					case 409:
					default:
						failures.Add(1)
						t.Errorf("change: %d %s", r.Status, r.Body)
					}
				case 2: // a selection for the team
					app := apps[(client*7+k)%len(apps)]
					r := inst.call("POST", "/api/v1/applications/"+app+"/decision", reviewer, map[string]any{"outcome": "selected", "version": 2})
					switch r.Status {
					case 200:
						selected.Add(1)
					case 409:
					default:
						failures.Add(1)
						t.Errorf("selection: %d %s", r.Status, r.Body)
					}
				case 3: // a wrong password for one account, from one address
					res, err := http.PostForm(inst.URL()+"/login", url.Values{"email": {"viewer@shhealth.example.org"}, "password": {"not the password"}})
					if err != nil {
						failures.Add(1)
						continue
					}
					res.Body.Close()
					if res.StatusCode != http.StatusTooManyRequests {
						logins401.Add(1) // reached the password check
					}
				}
			}
		}()
	}
	wg.Wait()
	ctx := context.Background()

	var onNeeds int64
	for _, id := range needs {
		n, err := a.Store.FindNeed(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if n.Pledged > n.Quantity {
			t.Errorf("need %s pledged %d of %d", id, n.Pledged, n.Quantity)
		}
		onNeeds += n.Pledged
	}
	if onNeeds != pledged.Load() || pledged.Load() > 300 {
		t.Errorf("the needs count %d pledged, the acknowledged pledges %d, the stock 300", onNeeds, pledged.Load())
	}
	o, err := a.Store.FindOrganization(ctx, scmc)
	if err != nil {
		t.Fatal(err)
	}
	if o.Version != updates.Load()+1 {
		t.Errorf("SCMC is at version %d after %d changes taken from version 1: a change was lost or counted twice", o.Version, updates.Load())
	}
	if last, ok := versions.Load(float64(o.Version)); !ok || last != o.City {
		t.Errorf("SCMC is at version %d with city %q, which is not the last change taken (%v)", o.Version, o.City, last)
	}
	team := a.call("GET", "/api/v1/missions/"+mission+"/team", coord, nil)
	if got := int64(len(team.JSON["members"].([]any))); got != selected.Load() || got > 10 {
		t.Errorf("the team has %d members, %d selections were acknowledged, 10 places", got, selected.Load())
	}
	if logins401.Load() > 5 {
		t.Errorf("%d wrong passwords reached the check across both instances, want at most 5", logins401.Load())
	}
	for _, v := range invariantViolations(t, a.Store) {
		t.Error(v)
	}
	t.Logf("two instances, 8 clients, %d s: %d requests (%.0f/s): %d pledges of %d units, %d changes taken (SCMC at version %d), %d selected of 10 places, %d wrong passwords checked, %d failures",
		seconds, requests.Load(), float64(requests.Load())/float64(seconds), pledges.Load(), pledged.Load(), updates.Load(), o.Version, selected.Load(), logins401.Load(), failures.Load())
}
