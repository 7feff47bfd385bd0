package main

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
	"aidbridge/internal/store/storetest"
)

// The supply pages as a new user finds them: a donor ships an accepted
// pledge from the need's page; a need past its date is marked overdue and
// a new one cannot be posted for a day gone by; the need's figures and its
// table of pledges agree after units arrive damaged; what the system writes
// on the ledger reads in the reader's language and links to its record; an
// allocation without stock says so; the shipment form names who bore the
// cost by name; and the API and the pages give the same figures.

// supplyScene is the records the tests below start from.
type supplyScene struct {
	m                      *testMain
	seattle, scmc, kashi   string
	n95                    string
	big, small, late       domain.Need   // Seattle 1,200 and 300 of N95; Kashi's 100, due three days ago
	bigPledge, smallPledge domain.Pledge // SCMC's, accepted
}

// newSupplyScene posts two of Seattle's needs with SCMC's accepted pledges
// (the big one from stock) and a need of Kashi's whose date has passed, as
// the store would hold them; the store does not check dates against today,
// the service does.
func newSupplyScene(t *testing.T, m *testMain) *supplyScene {
	t.Helper()
	ctx := context.Background()
	sc := &supplyScene{m: m, seattle: m.orgID(seattleName), scmc: m.orgID(scmcName),
		kashi: m.orgID("The Second People's Hospital of Kashi"), n95: m.itemID("N95")}
	in := func(days int) domain.Date { return domain.DateOf(time.Now().UTC().AddDate(0, 0, days)) }
	sc.big = domain.Need{OrganizationID: sc.seattle, ItemID: sc.n95, Quantity: 1200, Urgency: domain.UrgencyCritical, NeededBy: in(14)}
	sc.small = domain.Need{OrganizationID: sc.seattle, ItemID: sc.n95, Quantity: 300, Urgency: domain.UrgencyNormal, NeededBy: in(30)}
	sc.late = domain.Need{OrganizationID: sc.kashi, ItemID: sc.n95, Quantity: 100, Urgency: domain.UrgencyHigh, NeededBy: in(-3)}
	for _, n := range []*domain.Need{&sc.big, &sc.small, &sc.late} {
		if err := m.Store.CreateNeed(ctx, store.Actor{}, n); err != nil {
			t.Fatal(err)
		}
	}
	st := domain.StockMovement{OrganizationID: sc.scmc, ItemID: sc.n95, Kind: domain.MoveAdjustment, Delta: 5000, Reason: "stock on hand"}
	if err := m.Store.RecordStock(ctx, store.Actor{}, &st); err != nil {
		t.Fatal(err)
	}
	for _, pl := range []struct {
		p     *domain.Pledge
		need  domain.Need
		stock bool
	}{{&sc.bigPledge, sc.big, true}, {&sc.smallPledge, sc.small, false}} {
		*pl.p = domain.Pledge{NeedID: pl.need.ID, DonorID: sc.scmc, Quantity: pl.need.Quantity, FromStock: pl.stock}
		if err := m.Store.CreatePledge(ctx, store.Actor{}, pl.p); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Store.AcceptPledge(ctx, store.Actor{}, pl.p.ID); err != nil {
			t.Fatal(err)
		}
	}
	return sc
}

// texts returns the trimmed texts of the elements css selects.
func (c *chrome) texts(css string) []string {
	c.t.Helper()
	return eval[[]string](c, `[...document.querySelectorAll(`+jsString(css)+`)].map(e => e.textContent.trim())`)
}

// views keeps screenshots of the page at path in English and Chinese at the
// width of a phone and of a laptop, when $AIDBRIDGE_SCREENSHOTS is set, and
// comes back to the page in English at 1280 px.
func (c *chrome) views(name, path string) {
	c.t.Helper()
	if os.Getenv("AIDBRIDGE_SCREENSHOTS") == "" {
		return
	}
	for _, lang := range []string{"zh-CN", "en"} {
		c.chooseLanguage(lang)
		for _, w := range []int64{390, 1280} {
			c.do("viewport", chromedp.EmulateViewport(w, 900))
			if st := c.open(path); st != 200 {
				c.t.Fatalf("%s: status %d", path, st)
			}
			c.screenshot("pages-" + name + "-" + lang + "-" + strconv.FormatInt(w, 10))
		}
	}
	if st := c.open(path); st != 200 {
		c.t.Fatalf("%s: status %d", path, st)
	}
}

// TestSupplyPagesInBrowser walks the supply pages in Chromium as their
// users read them.
func TestSupplyPagesInBrowser(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			if chromiumPath() == "" {
				storetest.Missing(t, "browser suite", "chromium not installed: apt-get install chromium")
				t.Skip("chromium not installed")
			}
			m := startMain(t, b)
			sc := newSupplyScene(t, m)
			c := newChrome(t, m)
			c.login("coordinator@scmc.example.org")
			shipment := shipFromNeedPage(t, c, sc)
			nothingLeftToShip(t, c, sc)
			systemTextOnLedger(t, c, sc, shipment)
			c.logout()

			c.login("supply@seattlechildrens.example.org")
			damagedFigures(t, c, sc, shipment)
			overdueNeeds(t, c, sc)
			pastDateRefused(t, c, sc)
			c.logout()

			c.login("coordinator@scmc.example.org")
			allocationWithoutStock(t, c, sc)
		})
	}
}

// shipFromNeedPage: SCMC's coordinator ships the big pledge from the need's
// page, straight to the form with that pledge alone ticked and its quantity
// filled, the cost borne by an organization chosen by name. It returns the
// shipment's id.
func shipFromNeedPage(t *testing.T, c *chrome, sc *supplyScene) string {
	if st := c.open("/needs/" + sc.big.ID); st != 200 {
		t.Fatalf("need page: status %d", st)
	}
	row := `tr[data-pledge="` + sc.bigPledge.ID + `"]`
	if got := c.text(row + " a.ship"); got != "Ship 1,200" {
		t.Errorf("the accepted pledge's action = %q, want Ship 1,200", got)
	}
	c.views("need-accepted", "/needs/"+sc.big.ID)
	if st := c.click(row + " a.ship"); st != 200 {
		t.Fatalf("ship link: status %d: %s", st, c.text("main"))
	}
	if loc := c.location(); !strings.HasPrefix(loc, "/shipments/new?") || !strings.Contains(loc, "pledge_id="+sc.bigPledge.ID) {
		t.Errorf("the ship link led to %s", loc)
	}
	ticked := func(p domain.Pledge) bool {
		return eval[bool](c, `document.getElementById("ship-`+p.ID+`").checked`)
	}
	if !ticked(sc.bigPledge) || ticked(sc.smallPledge) {
		t.Errorf("ticked: big %v, small %v; want only the pledge the form was opened from", ticked(sc.bigPledge), ticked(sc.smallPledge))
	}
	if got := c.value("#q-" + sc.bigPledge.ID); got != "1200" {
		t.Errorf("quantity to ship = %q, want 1200", got)
	}
	if got := c.text(`#shipment-form tr[data-pledge="` + sc.smallPledge.ID + `"] td:nth-child(4)`); got != "300" {
		t.Errorf("the small pledge has %q left to ship, want 300", got)
	}
	if !c.has("#one-ticked") {
		t.Errorf("the form does not say that only the pledge it came from is ticked")
	}
	// The organization that bore the cost is chosen by name.
	if tag := eval[string](c, `document.getElementById("f-cost_borne_by_id").tagName`); tag != "SELECT" {
		t.Fatalf("the other organization is asked for in a %s, want a select", tag)
	}
	if got := c.text(`label[for="f-cost_borne_by_id"]`); got != "Other organization" {
		t.Errorf("label = %q", got)
	}
	cmf := c.m.orgID("Children's Medical Foundation (CMF)")
	names := c.texts("#f-cost_borne_by_id option")
	if !slices.Contains(names, "Children's Medical Foundation (CMF)") {
		t.Fatalf("the organizations offered do not include CMF: %v", names)
	}
	c.views("shipment-form", c.location())
	c.typeInto("#f-carrier", "Air freight")
	c.typeInto("#f-cost_amount", "120.00")
	c.do("choose USD", chromedp.SetValue(chromedp.ID("f-cost_currency"), "USD"))
	c.do("borne by another", chromedp.SetValue(chromedp.ID("f-cost_borne_by"), "other"))
	c.do("choose CMF", chromedp.SetValue(chromedp.ID("f-cost_borne_by_id"), cmf))
	if st := c.click(`#shipment-form button[type=submit]`); st != 200 {
		t.Fatalf("record shipment: status %d: %s", st, c.text("main"))
	}
	loc := c.location()
	id, ok := strings.CutPrefix(loc, "/shipments/")
	if !ok || strings.Contains(id, "/") {
		t.Fatalf("after recording the shipment the browser is on %s: %s", loc, c.text("main"))
	}
	if got := eval[[]string](c, `[...document.querySelectorAll("tr[data-line]")].map(tr => tr.querySelector("td:nth-child(2)").textContent.trim())`); len(got) != 1 || got[0] != "1,200" {
		t.Errorf("shipment lines = %v, want the one pledge of 1,200", got)
	}
	if got := c.text(`dl.facts a[href="/organizations/` + cmf + `"]`); got != "Children's Medical Foundation (CMF)" {
		t.Errorf("cost borne by = %q", got)
	}
	if st := c.click("#dispatch-form button"); st != 200 {
		t.Fatalf("dispatch: status %d", st)
	}
	c.views("shipment", "/shipments/"+id)
	c.views("acknowledgement", "/shipments/"+id+"/acknowledgement")
	c.views("shipments", "/shipments?organization_id="+sc.scmc)
	return id
}

// nothingLeftToShip: once shipped whole, the pledge offers no Ship action;
// the API lists what is left to ship as the form does.
func nothingLeftToShip(t *testing.T, c *chrome, sc *supplyScene) {
	if st := c.open("/needs/" + sc.big.ID); st != 200 {
		t.Fatalf("need page: status %d", st)
	}
	row := `tr[data-pledge="` + sc.bigPledge.ID + `"]`
	if c.has(row + " a.ship") {
		t.Errorf("a pledge shipped whole still offers to ship")
	}
	if got := c.text(row + " .shipped"); got != "1,200" {
		t.Errorf("shipped = %q, want 1,200", got)
	}
	if st := c.open("/needs/" + sc.small.ID); st != 200 {
		t.Fatalf("small need: status %d", st)
	}
	if got := c.text(`tr[data-pledge="` + sc.smallPledge.ID + `"] a.ship`); got != "Ship 300" {
		t.Errorf("small pledge action = %q", got)
	}
	// The API's answer is the form's.
	r := c.m.call("GET", "/api/v1/pledges?to_ship=true&donor_id="+sc.scmc, c.m.token("coordinator@scmc.example.org"), nil)
	items, _ := r.JSON["items"].([]any)
	if r.Status != 200 || len(items) != 1 {
		t.Fatalf("pledges to ship over the API: %d %s", r.Status, r.Body)
	}
	if p := items[0].(map[string]any); p["id"] != sc.smallPledge.ID || p["left_to_ship"] != 300.0 || p["shipped"] != 0.0 {
		t.Errorf("pledge to ship over the API: %v", p)
	}
	if st := c.open("/shipments/new?donor_id=" + sc.scmc); st != 200 {
		t.Fatalf("shipment form: status %d", st)
	}
	lines := eval[[]string](c, `[...document.querySelectorAll("#shipment-form tr[data-pledge]")].map(tr => tr.dataset.pledge + " " + tr.querySelector("td:nth-child(4)").textContent.trim())`)
	if len(lines) != 1 || lines[0] != sc.smallPledge.ID+" 300" {
		t.Errorf("the form offers %v, want the small pledge with 300 left", lines)
	}
}

// systemTextOnLedger: the movements dispatch and the demo wrote read in
// the reader's language, and a shipment reference links to the shipment.
func systemTextOnLedger(t *testing.T, c *chrome, sc *supplyScene, shipment string) {
	path := "/organizations/" + sc.scmc + "/stock"
	check := func(lang, shipmentWord, opening string) {
		t.Helper()
		if st := c.open(path); st != 200 {
			t.Fatalf("stock page: status %d", st)
		}
		link := `table.ledger td.reference a[href="/shipments/` + shipment + `"]`
		if got := c.text(link); got != shipmentWord {
			t.Errorf("%s: the reference to the shipment reads %q, want %q", lang, got, shipmentWord)
		}
		reasons := c.texts("table.ledger td.reason")
		if !slices.Contains(reasons, opening) {
			t.Errorf("%s: the demo's opening stock is not told as %q: %v", lang, opening, reasons)
		}
		for _, r := range reasons {
			if r == "dispatched" || r == "received" || r == "opening_stock" || strings.Contains(r, "stock held before") {
				t.Errorf("%s: the ledger shows the system's words %q", lang, r)
			}
		}
		for _, ref := range c.texts("table.ledger td.reference") {
			if strings.HasPrefix(ref, "shipment") {
				t.Errorf("%s: a reference reads %q", lang, ref)
			}
		}
	}
	check("en", "Shipment", "Stock held before the records began")
	c.chooseLanguage("zh-CN")
	check("zh-CN", "货运单", "记录开始前已有的库存")
	c.views("stock", path)
	c.chooseLanguage("en")
	if st := c.open(path); st != 200 {
		t.Fatalf("stock page: status %d", st)
	}
	href := eval[string](c, `document.querySelector("table.ledger td.reference a").getAttribute("href")`)
	if st := c.open(href); st != 200 || c.location() != "/shipments/"+shipment {
		t.Errorf("the reference leads to %s (status %d)", c.location(), st)
	}
}

// damagedFigures: Seattle receives 1,150 whole and 50 damaged; the need's
// figures and its table of pledges say the same, each what it counts.
func damagedFigures(t *testing.T, c *chrome, sc *supplyScene, shipment string) {
	if st := c.open("/shipments/" + shipment); st != 200 {
		t.Fatalf("shipment: status %d", st)
	}
	line := eval[string](c, `document.querySelector("tr[data-line]").dataset.line`)
	c.typeInto("#received-"+line, "1150")
	c.typeInto("#damaged-"+line, "50")
	if st := c.click("#receipt-form button[type=submit]"); st != 200 {
		t.Fatalf("receipt: status %d: %s", st, c.text("main"))
	}
	if st := c.open("/needs/" + sc.big.ID); st != 200 {
		t.Fatalf("need page: status %d", st)
	}
	row := `tr[data-pledge="` + sc.bigPledge.ID + `"]`
	for _, tc := range []struct{ label, figure, cell, total, want string }{
		{"Pledged by active pledges", "#fig-pledged", row + " .pledged", "tfoot .sum-pledged", "1,200"},
		{"Shipped", "#fig-shipped", row + " .shipped", "tfoot .sum-shipped", "1,200"},
		{"Received in good condition", "#fig-received", row + " .received", "tfoot .sum-received", "1,150"},
		{"Arrived damaged", "#fig-damaged", row + " .damaged", "tfoot .sum-damaged", "50"},
	} {
		label := eval[string](c, `document.querySelector(`+jsString(tc.figure)+`).previousElementSibling.textContent.trim()`)
		fig, cell, total := c.text(tc.figure), c.text(tc.cell), c.text(tc.total)
		if label != tc.label || fig != tc.want || cell != tc.want || total != tc.want {
			t.Errorf("%s: the figure %q reads %q, the pledge's cell %q, the table's total %q; want %s everywhere", tc.label, label, fig, cell, total, tc.want)
		}
	}
	if got := c.text("#fig-uncovered"); got != "50" {
		t.Errorf("still uncovered = %q, want 50", got)
	}
	if got := c.text("#fig-explained"); !strings.Contains(got, "50 of the pledged did not arrive whole") {
		t.Errorf("the figures do not say why 50 are uncovered again: %q", got)
	}
	if got := c.text("tfoot th"); got != "Total of active pledges" {
		t.Errorf("the total row says %q", got)
	}
	c.views("need-damaged", "/needs/"+sc.big.ID)
	// The recipient's ledger links the receipt to its shipment.
	if st := c.open("/organizations/" + sc.seattle + "/stock"); st != 200 {
		t.Fatalf("Seattle's stock: status %d", st)
	}
	if got := c.text(`table.ledger td.reference a[href="/shipments/` + shipment + `"]`); got != "Shipment" {
		t.Errorf("the receipt's reference = %q", got)
	}
}

// overdueNeeds: Kashi's need, due three days ago, is marked overdue in
// words on the board and on its page; Seattle's are not.
func overdueNeeds(t *testing.T, c *chrome, sc *supplyScene) {
	if st := c.open("/needs"); st != 200 {
		t.Fatalf("board: status %d", st)
	}
	late := `tr[data-need="` + sc.late.ID + `"]`
	if got := c.text(late + " .badge.overdue"); got != "Overdue" {
		t.Errorf("the late need's marker = %q, want Overdue", got)
	}
	if got := c.text(late + " td.needed-by"); !strings.HasPrefix(got, sc.late.NeededBy.String()) {
		t.Errorf("the late need's date cell = %q", got)
	}
	if c.has(`tr[data-need="` + sc.small.ID + `"] .overdue`) {
		t.Errorf("a need due in 30 days is marked overdue")
	}
	c.views("board", "/needs")
	if st := c.open("/needs/" + sc.late.ID); st != 200 {
		t.Fatalf("late need: status %d", st)
	}
	if got := c.text("#need-overdue"); got != "Overdue" {
		t.Errorf("the need's page marks it %q", got)
	}
	if got := c.text("#need-needed-by .overdue-hint"); got != "The date needed has passed and the need still waits." {
		t.Errorf("the need's page says %q", got)
	}
	c.chooseLanguage("zh-CN")
	if st := c.open("/needs/" + sc.late.ID); st != 200 {
		t.Fatalf("late need in Chinese: status %d", st)
	}
	if got := c.text("#need-overdue"); got != "已逾期" {
		t.Errorf("in Chinese the need is marked %q", got)
	}
	c.views("need-overdue", "/needs/"+sc.late.ID)
	c.views("need-cancel", "/needs/"+sc.small.ID+"/cancel")
	c.chooseLanguage("en")
}

// pastDateRefused: a new need for yesterday is refused next to the date, in
// the reader's language, and nothing is stored.
func pastDateRefused(t *testing.T, c *chrome, sc *supplyScene) {
	yesterday := domain.DateOf(time.Now().UTC().AddDate(0, 0, -1)).String()
	today := domain.DateOf(time.Now().UTC()).String()
	post := func() {
		t.Helper()
		if st := c.open("/needs/new"); st != 200 {
			t.Fatalf("need form: status %d", st)
		}
		if got := eval[string](c, `document.getElementById("f-needed_by").min`); got != today {
			t.Errorf("the date field's earliest day = %q, want today %s", got, today)
		}
		c.do("choose N95", chromedp.SetValue(chromedp.ID("f-item_id"), sc.n95))
		c.typeInto("#f-quantity", "40")
		c.do("type the date", chromedp.Evaluate[chromedp.Void](`document.getElementById("f-needed_by").value = `+jsString(yesterday)))
		if st := c.click(`main form button[type=submit]`); st != http.StatusUnprocessableEntity {
			t.Errorf("a need for yesterday: status %d, want 422", st)
		}
	}
	post()
	if got, want := c.text("#e-needed_by"), "must be today ("+today+") or later, not "+yesterday+", which has passed"; got != want {
		t.Errorf("error next to the date = %q, want %q", got, want)
	}
	if got := c.value("#f-needed_by"); got != yesterday {
		t.Errorf("the typed date is not kept: %q", got)
	}
	if os.Getenv("AIDBRIDGE_SCREENSHOTS") != "" {
		c.screenshot("pages-need-form-refused-en-1280")
	}
	c.views("need-form", "/needs/new")
	c.chooseLanguage("zh-CN")
	c.do("viewport", chromedp.EmulateViewport(390, 900))
	post()
	if got := c.text("#e-needed_by"); !strings.Contains(got, "须为今天（"+today+"）或之后") {
		t.Errorf("the error in Chinese = %q", got)
	}
	if os.Getenv("AIDBRIDGE_SCREENSHOTS") != "" {
		c.screenshot("pages-need-form-refused-zh-CN-390")
	}
	c.do("viewport", chromedp.EmulateViewport(1280, 900))
	c.chooseLanguage("en")
	list, _, err := c.m.Store.ListNeeds(context.Background(), domain.NeedFilter{OrganizationID: sc.seattle, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range list {
		if n.Quantity == 40 {
			t.Errorf("a need for yesterday was stored: %+v", n)
		}
	}
}

// allocationWithoutStock: SCMC holds no gowns; a proposal for Meknes's plea
// says there is no stock, not that it is out of reach, and asks to untick
// nothing.
func allocationWithoutStock(t *testing.T, c *chrome, sc *supplyScene) {
	gown := c.m.itemID("GOWN")
	if st := c.open("/allocations/new"); st != 200 {
		t.Fatalf("allocation form: status %d", st)
	}
	c.do("choose gowns", chromedp.SetValue(chromedp.ID("f-item_id"), gown))
	if st := c.click(`#allocation-form button[type=submit]`); st != 200 {
		t.Fatalf("propose: status %d: %s", st, c.text("main"))
	}
	if got := c.text(".flash"); strings.Contains(got, "Untick") || !strings.Contains(got, "nothing can be allocated") {
		t.Errorf("flash of a proposal without lines = %q", got)
	}
	if strings.Contains(c.text("main"), "Untick") {
		t.Errorf("a proposal without lines asks to untick lines: %s", c.text("main"))
	}
	reasons := c.texts("table.allocation-unmet td.reason")
	if len(reasons) == 0 {
		t.Fatalf("no unmet need listed: %s", c.text("main"))
	}
	for _, r := range reasons {
		if r != "No stock left" {
			t.Errorf("unmet reason = %q, want No stock left", r)
		}
	}
	c.views("allocation-no-stock", c.location())
	c.views("allocation-new", "/allocations/new")
	c.views("lead-times", "/reports/lead-times")
}

// TestSupplyPagesAndAPIAgree checks over HTTP that the lead-time report
// page shows the API's averages, item by item and month by month, and that
// a need's figures over the API are the page's; and that changing an
// overdue need keeps its date while moving it to another past day is
// refused.
func TestSupplyPagesAndAPIAgree(t *testing.T) {
	t.Parallel()
	m := startMain(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	sc := newSupplyScene(t, m)
	tok := m.token("supply@seattlechildrens.example.org")
	br := m.login("supply@seattlechildrens.example.org")

	r := m.call("GET", "/api/v1/reports/lead-times", tok, nil)
	items, _ := r.JSON["items"].([]any)
	if r.Status != 200 || len(items) == 0 {
		t.Fatalf("lead-time report over the API: %d %s", r.Status, r.Body)
	}
	page := string(br.get("/reports/lead-times").Body)
	for _, it := range items {
		row := it.(map[string]any)
		html := between(page, `data-item="`+row["item_id"].(string)+`" data-month="`+row["month"].(string)+`">`, "</tr>")
		if html == "" {
			t.Errorf("the page has no row for %v %v", row["item_name"], row["month"])
			continue
		}
		if name, _ := row["item_name"].(string); name == "" || !strings.Contains(html, ">"+strings.ReplaceAll(name, "'", "&#39;")+"</a>") {
			t.Errorf("row %v %v does not name the item: %s", row["item_id"], row["month"], html)
		}
		for key, class := range map[string]string{"plea_to_pledge_days": "plea-pledge", "pledge_to_dispatch_days": "pledge-dispatch",
			"dispatch_to_receipt_days": "dispatch-receipt", "plea_to_receipt_days": "plea-receipt"} {
			want := "—"
			if v, ok := row[key].(float64); ok {
				want = strconv.FormatFloat(v, 'f', 1, 64)
			}
			if got := between(html, `class="num `+class+`">`, "</td>"); got != want {
				t.Errorf("%v %v %s: page %q, API %q", row["item_name"], row["month"], key, got, want)
			}
		}
	}

	// The need's figures over the API are the page's.
	r = m.call("GET", "/api/v1/needs/"+sc.big.ID, tok, nil)
	figs, _ := r.JSON["figures"].(map[string]any)
	pl := r.JSON["pledges"].([]any)[0].(map[string]any)
	if figs["pledged_by_active_pledges"] != 1200.0 || figs["uncovered"] != 0.0 || pl["left_to_ship"] != 1200.0 || r.JSON["overdue"] != false {
		t.Errorf("need over the API: figures %v, pledge %v, overdue %v", figs, pl, r.JSON["overdue"])
	}
	if r := m.call("GET", "/api/v1/needs/"+sc.late.ID, tok, nil); r.JSON["overdue"] != true {
		t.Errorf("the late need is not overdue over the API: %s", r.Body)
	}

	// An overdue need without pledges may change and keep its date; a
	// new date must not have passed.
	n := domain.Need{OrganizationID: sc.seattle, ItemID: sc.n95, Quantity: 10, Urgency: domain.UrgencyNormal,
		NeededBy: domain.DateOf(time.Now().UTC().AddDate(0, 0, -5))}
	if err := m.Store.CreateNeed(context.Background(), store.Actor{}, &n); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"item_id": {sc.n95}, "quantity": {"12"}, "urgency": {"high"}, "needed_by": {n.NeededBy.String()}, "version": {"1"}}
	if r := br.post("/needs/"+n.ID, form); r.Status != http.StatusSeeOther {
		t.Errorf("change of an overdue need keeping its date: status %d: %s", r.Status, between(string(r.Body), `id="e-needed_by">`, "</p>"))
	}
	form.Set("needed_by", domain.DateOf(time.Now().UTC().AddDate(0, 0, -1)).String())
	form.Set("version", "2")
	if r := br.post("/needs/"+n.ID, form); r.Status != http.StatusUnprocessableEntity || !strings.Contains(between(string(r.Body), `id="e-needed_by">`, "</p>"), "which has passed") {
		t.Errorf("moving a need to yesterday: status %d", r.Status)
	}
	if got, _ := m.Store.FindNeed(context.Background(), n.ID); got.Quantity != 12 || got.NeededBy != n.NeededBy {
		t.Errorf("after the changes: quantity %d, needed by %s", got.Quantity, got.NeededBy)
	}
}
