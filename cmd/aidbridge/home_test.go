package main

import (
	"context"
	"encoding/json"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
	"aidbridge/internal/store/storetest"
)

// workSectionRE finds a section of the home page's work queue: its kind,
// its count as the page writes it, and its content.
var workSectionRE = regexp.MustCompile(`(?s)<section class="work-section[^"]*" id="work-([a-z_]+)"[^>]*>\s*<h2[^>]*>.*?<span class="count">([0-9,]+)</span></h2>(.*?)</section>`)

// homeSection is one section of the work queue as the home page shows it.
type homeSection struct {
	count int
	body  string // the section's HTML after its heading
}

// homeQueue reads the work queue off the rendered home page of b, by kind.
func homeQueue(t *testing.T, b *browser) map[domain.WorkKind]homeSection {
	t.Helper()
	r := b.get("/")
	if r.Status != 200 {
		t.Fatalf("home page: status %d", r.Status)
	}
	out := map[domain.WorkKind]homeSection{}
	for _, m := range workSectionRE.FindAllStringSubmatch(string(r.Body), -1) {
		n, err := strconv.Atoi(strings.ReplaceAll(m[2], ",", ""))
		if err != nil {
			t.Fatalf("section %s: count %q", m[1], m[2])
		}
		out[domain.WorkKind(m[1])] = homeSection{count: n, body: html.UnescapeString(m[3])}
	}
	return out
}

// apiQueue returns the counts of GET /api/v1/work for the holder of token.
func apiQueue(t *testing.T, m *testMain, token string) map[domain.WorkKind]int {
	t.Helper()
	r := m.call("GET", "/api/v1/work", token, nil)
	if r.Status != 200 {
		t.Fatalf("GET /api/v1/work: %d %s", r.Status, r.Body)
	}
	var body struct {
		Sections []domain.WorkSection `json:"sections"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatalf("GET /api/v1/work: %v: %s", err, r.Body)
	}
	out := map[domain.WorkKind]int{}
	for _, s := range body.Sections {
		out[s.Kind] = s.Count
		if len(s.Entries) > domain.WorkSectionLimit || len(s.Entries) > s.Count {
			t.Errorf("API section %s: %d entries of %d", s.Kind, len(s.Entries), s.Count)
		}
	}
	return out
}

// pastNeed creates a need whose needed_by has passed, as a need posted
// before its date and left waiting would be (posting one with a past date
// is refused), and returns its id.
func pastNeed(t *testing.T, m *testMain, org, item string, quantity int64, neededBy domain.Date) string {
	t.Helper()
	n := domain.Need{OrganizationID: org, ItemID: item, Quantity: quantity, Urgency: domain.UrgencyCritical, NeededBy: neededBy, Shortage: true}
	if err := m.Store.CreateNeed(context.Background(), store.Actor{}, &n); err != nil {
		t.Fatalf("need of %d by %s: %v", quantity, neededBy, err)
	}
	return n.ID
}

// counts returns the counts of the home page's sections.
func counts(q map[domain.WorkKind]homeSection) map[domain.WorkKind]int {
	out := map[domain.WorkKind]int{}
	for k, s := range q {
		out[k] = s.count
	}
	return out
}

// TestHomeWorkQueue follows the N95 account through the work queues of the
// two coordinators, reading the counts off their home pages: SCMC's pledge
// waits for Seattle's decision, the accepted pledge waits for SCMC to ship,
// the prepared shipment for SCMC to dispatch, the dispatched one for Seattle
// to receive; GET /api/v1/work gives the same figures at every step.
func TestHomeWorkQueue(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			m := startMain(t, b)
			seattle, scmc, n95 := m.orgID("Seattle Children's Hospital"), m.orgID("Shanghai Children's Medical Center"), m.itemID("N95")
			recEmail, donEmail := "supply@seattlechildrens.example.org", "coordinator@scmc.example.org"
			rec, don := m.token(recEmail), m.token(donEmail)
			recPage, donPage := m.login(recEmail), m.login(donEmail)

			type want map[domain.WorkKind]int
			check := func(step string, pageOf *browser, token string, w want) map[domain.WorkKind]homeSection {
				t.Helper()
				q := homeQueue(t, pageOf)
				got, api := counts(q), apiQueue(t, m, token)
				for kind, n := range w {
					if got[kind] != n {
						t.Errorf("%s: the home page counts %d in %s, want %d", step, got[kind], kind, n)
					}
				}
				for kind, n := range got {
					if api[kind] != n {
						t.Errorf("%s: GET /api/v1/work counts %d in %s, the page %d", step, api[kind], kind, n)
					}
				}
				if len(api) != len(got) {
					t.Errorf("%s: the API has sections %v, the page %v", step, api, got)
				}
				return q
			}

			q := check("demo data, Seattle", recPage, rec, want{domain.WorkOffersToDecide: 0, domain.WorkShipmentsToReceive: 0, domain.WorkOverdueNeeds: 0})
			if !strings.Contains(q[domain.WorkOffersToDecide].body, `class="empty"`) {
				t.Errorf("no offers, but no empty state: %s", q[domain.WorkOffersToDecide].body)
			}
			check("demo data, SCMC", donPage, don, want{domain.WorkPledgesToShip: 0, domain.WorkShipmentsToDispatch: 0})
			unreadBefore := counts(homeQueue(t, recPage))[domain.WorkUnreadNotifications]

			need := pastNeed(t, m, seattle, n95, 2000, domain.Date{Year: 2020, Month: 3, Day: 15})
			q = check("need past its date", recPage, rec, want{domain.WorkOverdueNeeds: 1})
			if body := q[domain.WorkOverdueNeeds].body; !strings.Contains(body, "/needs/"+need) || !strings.Contains(body, "2,000 pieces of N95 respirator") {
				t.Errorf("overdue need not listed with its item: %s", body)
			}

			if r := m.call("POST", "/api/v1/organizations/"+scmc+"/stock/movements", don, map[string]any{"item_id": n95, "kind": "adjustment", "delta": 2000, "reason": "stock on hand"}); r.Status != 201 {
				t.Fatalf("stock: %d %s", r.Status, r.Body)
			}
			r := m.call("POST", "/api/v1/needs/"+need+"/pledges", don, map[string]any{"donor_id": scmc, "quantity": 2000, "from_stock": true})
			if r.Status != 201 {
				t.Fatalf("pledge: %d %s", r.Status, r.Body)
			}
			pledge := r.JSON["id"].(string)
			q = check("pledged", recPage, rec, want{domain.WorkOffersToDecide: 1, domain.WorkUnreadNotifications: unreadBefore + 1})
			if body := q[domain.WorkOffersToDecide].body; !strings.Contains(body, "Shanghai Children's Medical Center offers 2,000 pieces of N95 respirator") ||
				!strings.Contains(body, "/needs/"+need+"#pledges") {
				t.Errorf("the offer does not say who offers what, or does not link to the need: %s", body)
			}
			if body := q[domain.WorkUnreadNotifications].body; !strings.Contains(body, "Shanghai Children's Medical Center pledged 2,000 pieces of N95 respirator against your need") {
				t.Errorf("the notification does not name the item: %s", body)
			}

			if r := m.call("POST", "/api/v1/pledges/"+pledge+"/accept", rec, nil); r.Status != 200 {
				t.Fatalf("accept: %d %s", r.Status, r.Body)
			}
			check("accepted, Seattle", recPage, rec, want{domain.WorkOffersToDecide: 0})
			q = check("accepted, SCMC", donPage, don, want{domain.WorkPledgesToShip: 1})
			if body := q[domain.WorkPledgesToShip].body; !strings.Contains(body, "2,000 pieces of N95 respirator for Seattle Children's Hospital") {
				t.Errorf("the pledge to ship does not say what for whom: %s", body)
			}

			r = m.call("POST", "/api/v1/shipments", don, map[string]any{"donor_id": scmc, "carrier": "Air freight", "cost_borne_by": scmc,
				"lines": []map[string]any{{"pledge_id": pledge, "quantity": 2000}}})
			if r.Status != 201 {
				t.Fatalf("shipment: %d %s", r.Status, r.Body)
			}
			ship := r.JSON["id"].(string)
			check("prepared", donPage, don, want{domain.WorkPledgesToShip: 0, domain.WorkShipmentsToDispatch: 1})
			check("prepared, Seattle", recPage, rec, want{domain.WorkShipmentsToReceive: 0})

			if r := m.call("POST", "/api/v1/shipments/"+ship+"/dispatch", don, map[string]any{"version": 1}); r.Status != 200 {
				t.Fatalf("dispatch: %d %s", r.Status, r.Body)
			}
			check("dispatched, SCMC", donPage, don, want{domain.WorkShipmentsToDispatch: 0})
			q = check("dispatched, Seattle", recPage, rec, want{domain.WorkShipmentsToReceive: 1})
			if body := q[domain.WorkShipmentsToReceive].body; !strings.Contains(body, "/shipments/"+ship) || !strings.Contains(body, "2,000 pieces of N95 respirator from Shanghai Children's Medical Center") {
				t.Errorf("the shipment to receive does not say what from whom: %s", body)
			}

			// A section lists ten and links to the whole list.
			for i := range 10 {
				pastNeed(t, m, seattle, n95, int64(10+i), domain.Date{Year: 2021, Month: 1, Day: 1 + i})
			}
			q = check("eleven overdue", recPage, rec, want{domain.WorkOverdueNeeds: 11})
			body := q[domain.WorkOverdueNeeds].body
			if n := strings.Count(body, "<li>"); n != domain.WorkSectionLimit {
				t.Errorf("eleven overdue needs, %d listed, want %d", n, domain.WorkSectionLimit)
			}
			all := "/needs?" + url.Values{"organization_id": {seattle}}.Encode()
			if !strings.Contains(body, `href="`+all+`"`) || !strings.Contains(body, "See all 11") {
				t.Errorf("no link to all the overdue needs (%s): %s", all, body)
			}

			// Stock in the navigation, to the organization's own stock.
			home := string(recPage.get("/").Body)
			if !strings.Contains(home, `href="/organizations/`+seattle+`/stock" id="nav-stock"`) {
				t.Errorf("the navigation has no link to Seattle's stock")
			}
		})
	}
}

// TestHomeOutsideOrganizations checks that a site administrator of no
// organization gets an explanation instead of empty sections, and the API
// no sections; and that the Chinese page counts with the same figures.
func TestHomeOutsideOrganizations(t *testing.T) {
	t.Parallel()
	m := startMainURL(t, storetest.SQLiteURL(t), true)
	admin := m.login("admin@example.org")
	page := string(admin.get("/").Body)
	if !strings.Contains(page, `id="work-outside"`) || strings.Contains(page, `class="work-section`) {
		t.Errorf("site administrator's home page: want the explanation and no sections")
	}
	if strings.Contains(page, `id="nav-stock"`) {
		t.Errorf("a user of no organization has a stock link")
	}
	if got := apiQueue(t, m, m.token("admin@example.org")); len(got) != 0 {
		t.Errorf("site administrator's work queue: %v, want none", got)
	}

	seattle := m.login("supply@seattlechildrens.example.org")
	en := counts(homeQueue(t, seattle))
	if r := seattle.post("/language", url.Values{"lang": {"zh-CN"}, "next": {"/"}}); r.Status != 303 {
		t.Fatalf("switch to Chinese: %d", r.Status)
	}
	zh := homeQueue(t, seattle)
	if len(zh) != len(en) || len(en) == 0 {
		t.Errorf("sections: %d in Chinese, %d in English", len(zh), len(en))
	}
	for k, n := range en {
		if zh[k].count != n {
			t.Errorf("%s: %d in Chinese, %d in English", k, zh[k].count, n)
		}
	}
}

// TestOpeningRecordMarksNotificationsRead checks that a notification
// becomes read when its user opens the need or the shipment it links to,
// and only then.
func TestOpeningRecordMarksNotificationsRead(t *testing.T) {
	t.Parallel()
	m := startMainURL(t, storetest.SQLiteURL(t), true)
	seattle, scmc, n95 := m.orgID("Seattle Children's Hospital"), m.orgID("Shanghai Children's Medical Center"), m.itemID("N95")
	rec, don := m.token("supply@seattlechildrens.example.org"), m.token("coordinator@scmc.example.org")
	page := m.login("supply@seattlechildrens.example.org")

	// unreadOf returns how many notifications Seattle has unread, and
	// whether the newest of the record is unread.
	unreadOf := func(entityID string) (int, bool) {
		t.Helper()
		r := m.call("GET", "/api/v1/notifications", rec, nil)
		var body struct {
			Items  []domain.Notification `json:"items"`
			Unread int                   `json:"unread"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatalf("notifications: %v", err)
		}
		for _, n := range body.Items {
			if n.EntityID == entityID {
				return body.Unread, n.Unread
			}
		}
		t.Fatalf("no notification of %s: %s", entityID, r.Body)
		return 0, false
	}

	r := m.call("POST", "/api/v1/needs", rec, map[string]any{"organization_id": seattle, "item_id": n95, "quantity": 100, "urgency": "high"})
	if r.Status != 201 {
		t.Fatalf("post need: %d %s", r.Status, r.Body)
	}
	need := r.JSON["id"].(string)
	m.call("POST", "/api/v1/organizations/"+scmc+"/stock/movements", don, map[string]any{"item_id": n95, "kind": "adjustment", "delta": 100, "reason": "stock on hand"})
	r = m.call("POST", "/api/v1/needs/"+need+"/pledges", don, map[string]any{"donor_id": scmc, "quantity": 100, "from_stock": true})
	if r.Status != 201 {
		t.Fatalf("pledge: %d %s", r.Status, r.Body)
	}
	pledge := r.JSON["id"].(string)
	before, unread := unreadOf(need)
	if !unread {
		t.Fatalf("the pledge's notification is read before anyone opened the need")
	}
	if st := page.get("/needs").Status; st != 200 {
		t.Fatalf("needs board: %d", st)
	}
	if after, unread := unreadOf(need); !unread || after != before {
		t.Errorf("opening the needs board marked the need's notification read")
	}
	if st := page.get("/needs/" + need).Status; st != 200 {
		t.Fatalf("open the need: %d", st)
	}
	if after, unread := unreadOf(need); unread || after != before-1 {
		t.Errorf("after opening the need: its notification unread %v, %d unread, want %d", unread, after, before-1)
	}

	m.call("POST", "/api/v1/pledges/"+pledge+"/accept", rec, nil)
	r = m.call("POST", "/api/v1/shipments", don, map[string]any{"donor_id": scmc, "lines": []map[string]any{{"pledge_id": pledge, "quantity": 100}}})
	if r.Status != 201 {
		t.Fatalf("shipment: %d %s", r.Status, r.Body)
	}
	ship := r.JSON["id"].(string)
	if r := m.call("POST", "/api/v1/shipments/"+ship+"/dispatch", don, map[string]any{"version": 1}); r.Status != 200 {
		t.Fatalf("dispatch: %d %s", r.Status, r.Body)
	}
	before, _ = unreadOf(ship)
	if st := page.get("/shipments/" + ship).Status; st != 200 {
		t.Fatalf("open the shipment: %d", st)
	}
	if after, unread := unreadOf(ship); unread || after != before-1 {
		t.Errorf("after opening the shipment: its notification unread %v, %d unread, want %d", unread, after, before-1)
	}
}
