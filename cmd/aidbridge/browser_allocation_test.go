package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
	"aidbridge/internal/store/storetest"
)

// TestBrowserAllocation has SCMC's coordinator split 1,200 N95 respirators
// among three open needs in Chromium: under the priority policy Seattle
// Children's critical need gets its 800 and Kashi's high need the 400 left,
// while Baoshan's normal need is unmet for want of stock. The coordinator
// leaves Kashi's line out and commits: one pledge is made, to Seattle.
func TestBrowserAllocation(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			browserAllocation(t, b)
		})
	}
}

func browserAllocation(t *testing.T, b storetest.Backend) {
	if chromiumPath() == "" {
		storetest.Missing(t, "browser suite", "chromium not installed: apt-get install chromium")
		t.Skip("chromium not installed")
	}
	start := time.Now()
	m := startMain(t, b)
	ctx := context.Background()
	scmc, n95 := m.orgID(scmcName), m.itemID("N95")
	st := domain.StockMovement{OrganizationID: scmc, ItemID: n95, Kind: domain.MoveAdjustment, Delta: 1200, Reason: "stock on hand"}
	if err := m.Store.RecordStock(ctx, store.Actor{}, &st); err != nil {
		t.Fatal(err)
	}
	const kashiName, baoshanName = "The Second People's Hospital of Kashi", "Baoshan People's Hospital"
	post := func(org string, quantity int64, u domain.Urgency) string {
		n := domain.Need{OrganizationID: m.orgID(org), ItemID: n95, Quantity: quantity, Urgency: u}
		if err := m.Store.CreateNeed(ctx, store.Actor{}, &n); err != nil {
			t.Fatal(err)
		}
		return n.ID
	}
	seattle := post(seattleName, 800, domain.UrgencyCritical)
	kashi := post(kashiName, 600, domain.UrgencyHigh)
	baoshan := post(baoshanName, 300, domain.UrgencyNormal)

	c := newChrome(t, m)
	shot := func(name string) { c.screenshot("allocation-" + name + "-" + b.Name) }
	c.login("coordinator@scmc.example.org")

	// 1. The form, through the navigation: N95 under the priority policy.
	nav := `header nav a[href="/allocations/new"]`
	if got := c.text(nav); got != "Allocate" {
		t.Errorf("nav link = %q, want Allocate", got)
	}
	if st := c.click(nav); st != 200 {
		t.Fatalf("allocation form: status %d: %s", st, c.text("main"))
	}
	if !eval[bool](c, `document.getElementById("f-policy-priority").checked`) {
		t.Errorf("the priority policy is not the default")
	}
	if got := c.text(`label[for="f-donor-` + scmc + `"]`); got != scmcName {
		t.Errorf("donor offered = %q, want %s", got, scmcName)
	}
	shot("form")

	// A country that is no ISO code is refused next to the field, with
	// what was typed kept.
	c.do("choose N95", chromedp.SetValue(chromedp.ID("f-item_id"), n95))
	c.do("choose priority", chromedp.Click(chromedp.ID("f-policy-priority")))
	c.typeInto("#f-countries", "US, C1")
	if st := c.click(`#allocation-form button[type=submit]`); st != 422 {
		t.Errorf("propose for country C1: status %d, want 422", st)
	}
	if got := c.text("#e-countries"); !strings.Contains(got, "C1") {
		t.Errorf("the error next to the countries = %q, want it to name C1", got)
	}
	if got, item := c.value("#f-countries"), c.value("#f-item_id"); got != "US, C1" || item != n95 {
		t.Errorf("after the refusal the form holds countries %q and item %q", got, item)
	}
	shot("form-refused")
	c.do("clear the countries", chromedp.Evaluate[chromedp.Void](`document.getElementById("f-countries").value = ""`))
	if st := c.click(`#allocation-form button[type=submit]`); st != 200 {
		t.Fatalf("propose: status %d: %s", st, c.text("main"))
	}
	page := c.location()
	if !strings.HasPrefix(page, "/allocations/") || strings.HasPrefix(page, "/allocations/new") {
		t.Fatalf("after proposing the browser is on %s: %s", page, c.text("main"))
	}

	// 2. The proposal: the critical tier in full, then what is left to the
	// high one; nothing for the normal one.
	for css, want := range map[string]string{
		"#allocation-status":    "Proposed",
		"#allocation-policy":    "Priority",
		"#allocation-allocated": "1,200",
		"#allocation-shortfall": "500",
	} {
		if got := c.text(css); !strings.HasPrefix(got, want) {
			t.Errorf("%s = %q, want %q", css, got, want)
		}
	}
	line := func(need string) string { return `table.allocation-lines tr[data-need="` + need + `"]` }
	if n := eval[int](c, `document.querySelectorAll("table.allocation-lines tbody tr").length`); n != 2 {
		t.Errorf("%d lines, want 2: %s", n, c.text("main"))
	}
	for _, w := range []struct{ need, org, quantity string }{{seattle, seattleName, "800"}, {kashi, kashiName, "400"}} {
		if !c.has(line(w.need)) {
			t.Fatalf("no line to %s: %s", w.org, c.text("main"))
		}
		if got := c.text(line(w.need) + " .quantity"); got != w.quantity {
			t.Errorf("line to %s: quantity %q, want %s", w.org, got, w.quantity)
		}
		if got := c.text(line(w.need) + " .org"); got != w.org {
			t.Errorf("line to %s: organization %q", w.org, got)
		}
		if got := c.text(line(w.need) + " .donor"); got != scmcName {
			t.Errorf("line to %s: donor %q", w.org, got)
		}
		if !eval[bool](c, `document.querySelector(`+jsString(line(w.need)+` input[name=keep]`)+`).checked`) {
			t.Errorf("line to %s is not kept by default", w.org)
		}
		if got := eval[string](c, `document.querySelector(`+jsString(line(w.need)+` a.need-link`)+`).getAttribute("href")`); got != "/needs/"+w.need {
			t.Errorf("line to %s links to %s", w.org, got)
		}
	}
	unmet := func(need string) string { return `table.allocation-unmet tr[data-need="` + need + `"]` }
	if !c.has(unmet(baoshan)) || c.has(line(baoshan)) {
		t.Fatalf("Baoshan is not unmet, or has a line: %s", c.text("main"))
	}
	if got := c.text(unmet(baoshan) + " .quantity"); got != "300" {
		t.Errorf("Baoshan unmet = %q, want 300", got)
	}
	if got := c.text(unmet(baoshan) + " .reason"); got != "No stock left" {
		t.Errorf("Baoshan unmet reason = %q, want No stock left", got)
	}
	if got := c.text(unmet(kashi) + " .quantity"); got != "200" {
		t.Errorf("Kashi unmet = %q, want 200", got)
	}

	// The chart: an image with a summary, one bar per need, Seattle's all
	// allocated and Baoshan's all unmet.
	chart := "svg#allocation-chart"
	if got := eval[string](c, `document.querySelector("svg#allocation-chart")?.getAttribute("role") ?? ""`); got != "img" {
		t.Fatalf("chart role = %q, want img", got)
	}
	if got := c.text(chart + " > title"); !strings.Contains(got, seattleName) || !strings.Contains(got, "800 allocated, 0 unmet") {
		t.Errorf("chart title = %q", got)
	}
	if n := eval[int](c, `document.querySelectorAll("svg#allocation-chart g.bar").length`); n != 3 {
		t.Errorf("chart has %d bars, want 3", n)
	}
	bar := func(need, part string) bool {
		return c.has(chart + ` g.bar[data-need="` + need + `"] rect.` + part)
	}
	if !bar(seattle, "allocated") || bar(seattle, "unmet") || !bar(kashi, "allocated") || !bar(kashi, "unmet") || bar(baoshan, "allocated") || !bar(baoshan, "unmet") {
		t.Errorf("chart bars do not match the proposal")
	}
	if c.text(chart+" g.legend") == "" {
		t.Errorf("chart has no legend")
	}
	shot("proposal-en")

	// The same page in Chinese, and back.
	c.do("choose zh-CN", chromedp.Evaluate[chromedp.Void](`document.getElementById("lang").value = "zh-CN"`))
	if st := c.click("#lang-go"); st != 200 || c.location() != page {
		t.Fatalf("change language: status %d on %s", st, c.location())
	}
	if got := c.text(unmet(baoshan) + " .reason"); got != "库存已用尽" {
		t.Errorf("Baoshan unmet reason in Chinese = %q", got)
	}
	shot("proposal-zh-CN")
	c.do("choose en", chromedp.Evaluate[chromedp.Void](`document.getElementById("lang").value = "en"`))
	if st := c.click("#lang-go"); st != 200 {
		t.Fatalf("change language back: status %d", st)
	}

	// 3. Leave Kashi's line out and commit.
	c.do("untick Kashi", chromedp.Click(chromedp.CSS(line(kashi)+` input[name=keep]`)))
	if st := c.click(`#commit-form button[type=submit]`); st != 200 {
		t.Fatalf("commit: status %d: %s", st, c.text("main"))
	}
	if loc := c.location(); loc != page {
		t.Errorf("after committing the browser is on %s, want %s", loc, page)
	}
	if got := c.text(".flash"); !strings.Contains(got, "1") {
		t.Errorf("flash after committing = %q", got)
	}
	if got := c.text("#allocation-status"); got != "Committed" {
		t.Errorf("status after committing = %q", got)
	}
	if c.has("#commit-form") {
		t.Errorf("the committed proposal still offers the commit form")
	}
	made := eval[[]string](c, `[...document.querySelectorAll("#allocation-pledges tr[data-pledge]")].map(tr => tr.dataset.need)`)
	if len(made) != 1 || made[0] != seattle {
		t.Errorf("pledges made to needs %v, want [%s]", made, seattle)
	}
	if got := c.text(line(kashi) + " .line-status"); got != "Left out" {
		t.Errorf("Kashi's line after committing = %q, want Left out", got)
	}
	shot("committed")

	// 4. Seattle's need is pledged in full; Kashi's still waits for 600.
	if st := c.click(`#allocation-pledges a.need-link`); st != 200 {
		t.Fatalf("Seattle's need: status %d", st)
	}
	if pledged, uncovered := c.text("#fig-pledged"), c.text("#fig-uncovered"); pledged != "800" || uncovered != "0" {
		t.Errorf("Seattle's figures: pledged %q, uncovered %q; want 800 and 0", pledged, uncovered)
	}
	if got := c.text("tr[data-pledge] .badge"); got != "Offered" {
		t.Errorf("Seattle's pledge = %q, want Offered", got)
	}
	if st := c.open("/needs/" + kashi); st != 200 {
		t.Fatalf("Kashi's need: status %d", st)
	}
	if pledged, uncovered := c.text("#fig-pledged"), c.text("#fig-uncovered"); pledged != "0" || uncovered != "600" {
		t.Errorf("Kashi's figures: pledged %q, uncovered %q; want 0 and 600", pledged, uncovered)
	}
	t.Logf("allocation in %v", time.Since(start).Round(time.Millisecond))
}

// TestAllocationForms posts the allocation forms as a browser without
// JavaScript would: proposals with nothing to allocate say why, a filter
// that cannot be read is refused next to its field, and a commit that keeps
// no line, or that comes after the stock changed, pledges nothing.
func TestAllocationForms(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			m := startMain(t, b)
			scmc, seattle, n95 := m.orgID(scmcName), m.orgID(seattleName), m.itemID("N95")
			br := m.login("coordinator@scmc.example.org")
			propose := func(form url.Values) (string, string) {
				t.Helper()
				r := br.post("/allocations", form)
				if r.Status != http.StatusSeeOther {
					t.Fatalf("propose %v: status %d: %s", form, r.Status, between(string(r.Body), `class="alert"`, "</div>"))
				}
				loc := r.Header.Get("Location")
				page := br.get(loc)
				if page.Status != 200 {
					t.Fatalf("%s: status %d", loc, page.Status)
				}
				return strings.TrimPrefix(loc, "/allocations/"), string(page.Body)
			}
			stock := func(delta int64) {
				t.Helper()
				mv := domain.StockMovement{OrganizationID: scmc, ItemID: n95, Kind: domain.MoveAdjustment, Delta: delta, Reason: "test"}
				if err := m.Store.RecordStock(ctx, store.Actor{}, &mv); err != nil {
					t.Fatal(err)
				}
			}

			// No open need for N95: nothing to allocate, and a way back.
			_, page := propose(url.Values{"item_id": {n95}, "policy": {"priority"}})
			if got := between(page, `id="allocation-empty">`, "</p>"); !strings.Contains(got, "No open need for N95 respirator") ||
				!strings.Contains(got, `href="/allocations/new?item_id=`+n95) {
				t.Errorf("empty proposal without needs says %q", got)
			}
			// A need but no stock: the donors have none available.
			n := domain.Need{OrganizationID: seattle, ItemID: n95, Quantity: 100, Urgency: domain.UrgencyHigh}
			if err := m.Store.CreateNeed(ctx, store.Actor{}, &n); err != nil {
				t.Fatal(err)
			}
			_, page = propose(url.Values{"item_id": {n95}, "policy": {"cheapest"}})
			if got := between(page, `id="allocation-empty">`, "</p>"); !strings.Contains(got, "The donors have no N95 respirator available") {
				t.Errorf("empty proposal without stock says %q", got)
			}
			if strings.Contains(page, `id="commit-form"`) || !strings.Contains(page, "allocation-unmet") {
				t.Errorf("an empty proposal offers a commit, or does not list the unmet need")
			}

			// Filters that cannot be read, or name another's stock.
			for _, tc := range []struct {
				form  url.Values
				field string
			}{
				{url.Values{"policy": {"priority"}}, "item_id"},
				{url.Values{"item_id": {n95}, "policy": {"fastest"}}, "policy"},
				{url.Values{"item_id": {n95}, "policy": {"priority"}, "countries": {"USA"}}, "countries"},
				{url.Values{"item_id": {n95}, "policy": {"priority"}, "urgency": {"urgent"}}, "urgency"},
				{url.Values{"item_id": {n95}, "policy": {"priority"}, "donor_id": {seattle}}, "donor_id"},
			} {
				r := br.post("/allocations", tc.form)
				if r.Status != http.StatusUnprocessableEntity || between(string(r.Body), `id="e-`+tc.field+`">`, "</p>") == "" {
					t.Errorf("propose %v: status %d, no error next to %s", tc.form, r.Status, tc.field)
				}
			}
			r := br.post("/allocations", url.Values{"item_id": {n95}, "policy": {"priority"}, "countries": {"us, cn"}, "urgency": {"high"}, "donor_id": {scmc}})
			if r.Status != http.StatusSeeOther {
				t.Errorf("propose with a filter: status %d", r.Status)
			}

			// With stock, one line; a commit that keeps none is refused.
			stock(50)
			id, page := propose(url.Values{"item_id": {n95}, "policy": {"priority"}})
			if !strings.Contains(page, `name="keep" value="0"`) {
				t.Fatalf("the proposal has no line to keep")
			}
			r = br.post("/allocations/"+id+"/commit", url.Values{"version": {"1"}})
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "Keep at least one line") {
				t.Errorf("commit keeping nothing: status %d", r.Status)
			}
			if r = br.post("/allocations/"+id+"/commit", url.Values{"version": {"1"}, "keep": {"7"}}); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("commit keeping line 7 of 1: status %d", r.Status)
			}
			// The stock went elsewhere meanwhile: nothing is pledged.
			stock(-50)
			r = br.post("/allocations/"+id+"/commit", url.Values{"version": {"1"}, "keep": {"0"}})
			if r.Status != http.StatusConflict || !strings.Contains(string(r.Body), "Nothing was pledged") ||
				!strings.Contains(string(r.Body), `id="allocation-conflict"`) || !strings.Contains(string(r.Body), `href="/allocations/new?item_id=`+n95) ||
				strings.Contains(string(r.Body), `id="commit-form"`) {
				t.Errorf("commit after the stock changed: status %d: %s", r.Status, between(string(r.Body), `class="alert"`, "</div>"))
			}
			if got, _ := m.Store.FindNeed(ctx, n.ID); got.Pledged != 0 {
				t.Errorf("a refused commit pledged %d", got.Pledged)
			}

			// Committed once; a second commit is refused and shows the pledges.
			stock(50)
			id, _ = propose(url.Values{"item_id": {n95}, "policy": {"priority"}})
			if r = br.post("/allocations/"+id+"/commit", url.Values{"version": {"1"}, "keep": {"0"}}); r.Status != http.StatusSeeOther {
				t.Fatalf("commit: status %d", r.Status)
			}
			r = br.post("/allocations/"+id+"/commit", url.Values{"version": {"1"}, "keep": {"0"}})
			if r.Status != http.StatusConflict || strings.Contains(string(r.Body), `id="commit-form"`) || !strings.Contains(string(r.Body), `id="allocation-pledges"`) {
				t.Errorf("second commit: status %d", r.Status)
			}
			if got, _ := m.Store.FindNeed(ctx, n.ID); got.Pledged != 50 {
				t.Errorf("pledged after the commit = %d, want 50", got.Pledged)
			}

			// Another's proposal is not shown; a viewer may not propose.
			if r := m.login("supply@seattlechildrens.example.org").get("/allocations/" + id); r.Status != http.StatusForbidden {
				t.Errorf("another's proposal: status %d", r.Status)
			}
			if r := m.login("viewer@shhealth.example.org").get("/allocations/new"); r.Status != http.StatusForbidden {
				t.Errorf("allocation form as a viewer: status %d", r.Status)
			}
		})
	}
}
