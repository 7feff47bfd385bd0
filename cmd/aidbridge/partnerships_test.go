package main

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"aidbridge/internal/store/storetest"
)

// TestPartnershipsAPI drives programs, partnerships, commitments and
// deliveries through the API on both stores: who may create them, the
// filters and paging of the lists, refused transitions and stale versions,
// and exact money delivered against a commitment.
func TestPartnershipsAPI(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			m := startMain(t, b)
			coord, viewer := m.token("coordinator@scmc.example.org"), m.token("viewer@shhealth.example.org")
			scmc, hope, kashi := m.orgID(scmcName), m.orgID("Project HOPE"), m.orgID("The Second People's Hospital of Kashi")
			status := func(what string, r response, want int) {
				t.Helper()
				if r.Status != want {
					t.Fatalf("%s: %d %s, want %d", what, r.Status, r.Body, want)
				}
			}
			status("a program sponsored elsewhere", m.call("POST", "/api/v1/programs", coord,
				map[string]any{"name": "Not ours", "kind": "exchange", "sponsor_ids": []string{hope}}), 403)
			status("a program of a viewer", m.call("POST", "/api/v1/programs", viewer,
				map[string]any{"name": "Not ours", "kind": "exchange", "sponsor_ids": []string{scmc}}), 403)
			status("a program of an unknown kind", m.call("POST", "/api/v1/programs", coord,
				map[string]any{"name": "Odd", "kind": "tourism", "sponsor_ids": []string{scmc}}), 422)
			r := m.call("POST", "/api/v1/programs", coord, map[string]any{"name": "SCMC to Kashi", "kind": "counterpart_assistance",
				"sponsor_ids": []string{scmc, hope}, "starts_on": "2015"})
			status("a program of SCMC", r, 201)
			program, _ := r.JSON["id"].(string)
			if got := r.JSON["starts_on"]; got != "2015" {
				t.Errorf("starts_on = %v, want 2015", got)
			}

			body := map[string]any{"program_id": program, "name": "SCMC → Kashi", "provider_id": scmc, "recipient_id": kashi, "status": "active",
				"participants": []map[string]any{{"organization_id": scmc, "roles": []string{"funding", "implementing"}}}}
			status("a partnership HOPE provides", m.call("POST", "/api/v1/partnerships", coord,
				map[string]any{"program_id": program, "name": "x", "provider_id": hope, "recipient_id": kashi, "status": "active"}), 403)
			r = m.call("POST", "/api/v1/partnerships", coord, body)
			status("a partnership SCMC provides", r, 201)
			ps, _ := r.JSON["id"].(string)

			body["status"], body["version"] = "planned", 1
			r = m.call("PUT", "/api/v1/partnerships/"+ps, coord, body)
			if r.Status != 409 || r.JSON["code"] != "partnership_transition" {
				t.Errorf("active -> planned: %d %s, want 409 partnership_transition", r.Status, r.Body)
			}
			body["status"] = "suspended"
			status("active -> suspended", m.call("PUT", "/api/v1/partnerships/"+ps, coord, body), 200)
			r = m.call("PUT", "/api/v1/partnerships/"+ps, coord, body)
			if r.Status != 409 || r.JSON["code"] != "stale" {
				t.Errorf("a stale change: %d %s, want 409 stale", r.Status, r.Body)
			}

			status("a commitment by another party", m.call("POST", "/api/v1/partnerships/"+ps+"/commitments", viewer,
				map[string]any{"party_id": hope, "kind": "money", "amount": map[string]string{"amount": "1", "currency": "USD"}}), 403)
			r = m.call("POST", "/api/v1/partnerships/"+ps+"/commitments", coord,
				map[string]any{"party_id": scmc, "kind": "money", "amount": map[string]string{"amount": "1000.50", "currency": "EUR"}, "committed_on": "2015-10"})
			status("a commitment of SCMC", r, 201)
			commitment, _ := r.JSON["id"].(string)
			r = m.call("POST", "/api/v1/commitments/"+commitment+"/deliveries", coord,
				map[string]any{"delivered_on": "2016", "amount": map[string]string{"amount": "400.25", "currency": "EUR"}})
			status("a delivery", r, 201)
			if got, _ := r.JSON["delivered"].(map[string]any); got["amount"] != "400.25" || got["currency"] != "EUR" {
				t.Errorf("delivered = %v, want 400.25 EUR", r.JSON["delivered"])
			}
			r = m.call("POST", "/api/v1/commitments/"+commitment+"/deliveries", coord,
				map[string]any{"delivered_on": "2016", "amount": map[string]string{"amount": "600.26", "currency": "EUR"}})
			if r.Status != 409 || r.JSON["code"] != "delivery_too_much" {
				t.Errorf("a delivery beyond the commitment: %d %s, want 409 delivery_too_much", r.Status, r.Body)
			}
			r = m.call("GET", "/api/v1/partnerships/"+ps+"/commitments", viewer, nil)
			items, _ := r.JSON["items"].([]any)
			status("the commitments", r, 200)
			if len(items) != 1 {
				t.Fatalf("commitments = %d, want 1", len(items))
			}

			// The demo data: SCMC's 31 placeholder partnerships and 8 joint
			// laboratories, in pages.
			seen, cursor, pages := 0, "", 0
			for {
				r = m.call("GET", "/api/v1/partnerships?organization_id="+scmc+"&kind=exchange&limit=10&cursor="+url.QueryEscape(cursor), viewer, nil)
				status("SCMC's exchanges", r, 200)
				items, _ := r.JSON["items"].([]any)
				seen += len(items)
				pages++
				cursor, _ = r.JSON["next_cursor"].(string)
				if cursor == "" {
					break
				}
			}
			if seen != 31 || pages != 4 {
				t.Errorf("SCMC's international partnerships: %d in %d pages, want 31 in 4", seen, pages)
			}
			r = m.call("GET", "/api/v1/partnerships?kind=joint_institution&q=joint+laboratory", viewer, nil)
			if items, _ := r.JSON["items"].([]any); len(items) != 8 {
				t.Errorf("joint laboratories: %d, want 8", len(items))
			}
			r = m.call("GET", "/api/v1/programs?organization_id="+hope, viewer, nil)
			if items, _ := r.JSON["items"].([]any); len(items) != 2 {
				t.Errorf("programs HOPE sponsors: %d, want 2 (the founding and the one above)", len(items))
			}
		})
	}
}

// TestBrowserPartnershipFigures reads the founding partnership of SCMC off
// its page in Chromium, in English and Chinese: what each side committed
// and the share delivered, as a bar and a figure; then records deliveries
// through the form, one beyond what is left, which is refused next to its
// field.
func TestBrowserPartnershipFigures(t *testing.T) {
	t.Parallel()
	m := startMain(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	c := newChrome(t, m)
	c.login("admin@example.org")
	figures := func() (committed, shares []string, meters []float64) {
		committed = eval[[]string](c, `[...document.querySelectorAll("#commitments .committed")].map(e => e.textContent.trim())`)
		shares = eval[[]string](c, `[...document.querySelectorAll("#commitments .share-figure")].map(e => e.textContent.trim())`)
		meters = eval[[]float64](c, `[...document.querySelectorAll("#commitments meter")].map(e => e.value)`)
		return
	}
	open := func() {
		t.Helper()
		if st := c.open("/partnerships?q=" + url.QueryEscape("Founding partnership")); st != 200 {
			t.Fatalf("partnerships: %d", st)
		}
		if st := c.click(`#partnerships a[href^="/partnerships/"]`); st != 200 {
			t.Fatalf("the founding partnership: %d", st)
		}
	}
	open()
	committed, shares, meters := figures()
	wantCommitted := []string{"25,000,000.00 USD", "300,000,000.00 CNY"}
	if strings.Join(committed, "|") != strings.Join(wantCommitted, "|") {
		t.Errorf("committed = %q, want %q", committed, wantCommitted)
	}
	wantShares := []string{"0.00 USD of 25,000,000.00 USD delivered (0.0%)", "0.00 CNY of 300,000,000.00 CNY delivered (0.0%)"}
	if strings.Join(shares, "|") != strings.Join(wantShares, "|") || len(meters) != 2 || meters[0] != 0 {
		t.Errorf("shares = %q %v, want %q with empty bars", shares, meters, wantShares)
	}
	if got := c.text("#participants"); !strings.Contains(got, "Funding, Accountable") {
		t.Errorf("participants = %q, want the government funding and accountable", got)
	}

	// A delivery of a fifth of the US side's money, typed as readers
	// write it, then one beyond what is left.
	form := `#commitments article:first-of-type form.delivery-form`
	c.do("open the delivery form", chromedp.Evaluate[chromedp.Void](`document.querySelector("#commitments article details").open = true`))
	c.typeInto(form+` [name=delivered_on]`, "1990")
	c.typeInto(form+` [name=amount]`, "5,000,000.00")
	if st := c.click(form + ` button[type=submit]`); st != 200 {
		t.Fatalf("record a delivery: %d", st)
	}
	_, shares, meters = figures()
	if want := "5,000,000.00 USD of 25,000,000.00 USD delivered (20.0%)"; shares[0] != want || meters[0] != 200 {
		t.Errorf("after a delivery: %q (bar %v), want %q (bar 200)", shares[0], meters[0], want)
	}
	c.do("open the delivery form", chromedp.Evaluate[chromedp.Void](`document.querySelector("#commitments article details").open = true`))
	c.typeInto(form+` [name=delivered_on]`, "1991")
	c.typeInto(form+` [name=amount]`, "20,000,000.01")
	if st := c.click(form + ` button[type=submit]`); st != 409 {
		t.Errorf("a delivery beyond the commitment: status %d, want 409", st)
	}
	if got := c.text(form + ` .error`); !strings.Contains(got, "20,000,000.00 USD") {
		t.Errorf("the refusal says %q, want what is left: 20,000,000.00 USD", got)
	}

	c.chooseLanguage("zh-CN")
	open()
	committed, shares, _ = figures()
	if strings.Join(committed, "|") != strings.Join(wantCommitted, "|") {
		t.Errorf("committed in Chinese = %q, want %q", committed, wantCommitted)
	}
	wantShares = []string{"已交付 5,000,000.00 USD，共承诺 25,000,000.00 USD（20.0%）", "已交付 0.00 CNY，共承诺 300,000,000.00 CNY（0.0%）"}
	if strings.Join(shares, "|") != strings.Join(wantShares, "|") {
		t.Errorf("shares in Chinese = %q, want %q", shares, wantShares)
	}
	if got := c.text("#partnership-status"); got != "已完成" {
		t.Errorf("status in Chinese = %q, want 已完成", got)
	}
	if w := englishWords.FindString(c.text("#commitments h2") + c.text("#participants-h")); w != "" || !regexp.MustCompile(`\p{Han}`).MatchString(c.text("#commitments h2")) {
		t.Errorf("headings in Chinese: %q", w)
	}
}
