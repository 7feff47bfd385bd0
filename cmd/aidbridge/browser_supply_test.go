package main

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
	"aidbridge/internal/store/storetest"
)

const seattleName = "Seattle Children's Hospital"

// logout signs out through the header's button.
func (c *chrome) logout() {
	c.t.Helper()
	if st := c.click(`header form[action="/logout"] button[type=submit]`); st != 200 {
		c.t.Fatalf("log out: status %d", st)
	}
	if loc := c.location(); !strings.HasPrefix(loc, "/login") {
		c.t.Fatalf("after logging out the browser is on %s", loc)
	}
}

// screenshot keeps a PNG of the whole page for humans to look at: in the
// test's temporary directory, and in $AIDBRIDGE_SCREENSHOTS when set.
func (c *chrome) screenshot(name string) {
	c.t.Helper()
	png, err := chromedp.Run(c.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		c.t.Fatalf("screenshot %s: %v", name, err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		c.t.Fatalf("screenshot %s is not a PNG (%d bytes)", name, len(png))
	}
	dirs := []string{c.t.TempDir()}
	if d := os.Getenv("AIDBRIDGE_SCREENSHOTS"); d != "" {
		dirs = append(dirs, d)
	}
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			c.t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, name+".png"), png, 0o644); err != nil {
			c.t.Fatal(err)
		}
	}
}

// media emulates a CSS media type ("print"), or stops emulating ("").
func (c *chrome) media(typ string) {
	c.t.Helper()
	c.do("emulate media "+typ, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: typ})
		return err
	}))
}

// seattleNeed posts Seattle Children's critical plea for 2,000 N95
// respirators and gives SCMC stock to pledge from, as the store would hold
// them before the account begins.
func seattleNeed(t *testing.T, m *testMain) (need, seattle, scmc string) {
	t.Helper()
	ctx := context.Background()
	seattle, scmc = m.orgID(seattleName), m.orgID(scmcName)
	n95 := m.itemID("N95")
	n := domain.Need{OrganizationID: seattle, ItemID: n95, Quantity: 2000, Urgency: domain.UrgencyCritical, Shortage: true,
		NeededBy:      domain.DateOf(time.Now().UTC().AddDate(0, 0, 14)),
		Justification: "Urgent plea for a mask donation due to a global manufacturing shortage."}
	if err := m.Store.CreateNeed(ctx, store.Actor{}, &n); err != nil {
		t.Fatal(err)
	}
	st := domain.StockMovement{OrganizationID: scmc, ItemID: n95, Kind: domain.MoveAdjustment, Delta: 5000, Reason: "stock on hand"}
	if err := m.Store.RecordStock(ctx, store.Actor{}, &st); err != nil {
		t.Fatal(err)
	}
	return n.ID, seattle, scmc
}

// TestBrowserSupplyJourney is the N95 account in Chromium: SCMC sees
// Seattle Children's critical need on the board and pledges 2,000 from its
// stock; Seattle accepts; SCMC records the shipment, its cost borne by SCMC,
// and dispatches; Seattle records the receipt; the need is fulfilled with its
// lead times, and the acknowledgement prints without the navigation.
func TestBrowserSupplyJourney(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			browserSupplyJourney(t, b)
		})
	}
}

func browserSupplyJourney(t *testing.T, b storetest.Backend) {
	if chromiumPath() == "" {
		storetest.Missing(t, "browser suite", "chromium not installed: apt-get install chromium")
		t.Skip("chromium not installed")
	}
	start := time.Now()
	m := startMain(t, b)
	need, _, scmc := seattleNeed(t, m)
	needPath := "/needs/" + need
	c := newChrome(t, m)
	shot := func(name string) { c.screenshot("supply-" + name + "-" + b.Name) }

	// 1. SCMC's coordinator finds the need on the board, marked critical.
	c.login("coordinator@scmc.example.org")
	if got := c.text(`header nav a[href="/needs"]`); got != "Supplies" {
		t.Errorf("nav link = %q, want Supplies", got)
	}
	if st := c.click(`header nav a[href="/needs"]`); st != 200 {
		t.Fatalf("board: status %d", st)
	}
	row := `tr[data-need="` + need + `"]`
	if !c.has(row) {
		t.Fatalf("the board does not show Seattle's need:\n%s", c.text("main"))
	}
	if got := c.text(row + " td:nth-child(2)"); got != seattleName {
		t.Errorf("board organization = %q", got)
	}
	if got := c.text(row + " td:nth-child(3)"); got != "N95 respirator (piece)" {
		t.Errorf("board item = %q", got)
	}
	if got := c.text(row + " .uncovered"); got != "2,000" {
		t.Errorf("board uncovered = %q, want 2,000", got)
	}
	badge := row + " .urgency-critical"
	if got := c.text(badge); got != "Critical" {
		t.Errorf("urgency = %q, want Critical", got)
	}
	if bg := eval[string](c, `getComputedStyle(document.querySelector(`+jsString(badge)+`)).backgroundColor`); bg != "rgb(179, 38, 30)" {
		t.Errorf("critical badge background = %s, want red rgb(179, 38, 30)", bg)
	}
	shot("board")

	// 2. The need's page; pledge 2,000 from SCMC's stock.
	if st := c.click(row + " a.need-link"); st != 200 {
		t.Fatalf("need page: status %d", st)
	}
	if loc := c.location(); loc != needPath {
		t.Fatalf("the need link led to %s, want %s", loc, needPath)
	}
	if got := c.value("#f-donor_id"); got != scmc {
		t.Errorf("donor = %q, want SCMC %s", got, scmc)
	}
	c.typeInto("#f-quantity", "2000")
	c.do("tick from stock", chromedp.Click(chromedp.CSS("#f-from_stock")))
	if st := c.click(`#pledge-form button[type=submit]`); st != 200 {
		t.Fatalf("pledge: status %d: %s", st, c.text("main"))
	}
	if got := c.text(".flash"); !strings.Contains(got, "2,000") {
		t.Errorf("flash after pledging = %q", got)
	}
	if got := c.text("#need-status"); got != "Pledged" {
		t.Errorf("need status after the pledge = %q, want Pledged", got)
	}
	pledge := eval[string](c, `document.querySelector("tr[data-pledge]")?.dataset.pledge ?? ""`)
	if pledge == "" {
		t.Fatalf("no pledge listed: %s", c.text("#pledges"))
	}
	prow := `tr[data-pledge="` + pledge + `"]`
	if got := c.text(prow + " .badge"); got != "Offered" {
		t.Errorf("pledge status = %q, want Offered", got)
	}
	if c.has(`form[action="/pledges/` + pledge + `/accept"]`) {
		t.Errorf("the donor is offered to accept its own pledge")
	}
	c.logout()

	// 3. Seattle's coordinator is told, and accepts.
	c.login("supply@seattlechildrens.example.org")
	if got := c.text("#nav-notifications"); !regexp.MustCompile(`^Notifications \([1-9][0-9]*\)$`).MatchString(got) {
		t.Errorf("nav notifications = %q, want an unread count", got)
	}
	if st := c.click("#nav-notifications"); st != 200 {
		t.Fatalf("notifications: status %d", st)
	}
	note := `.notes li.unread a[href="` + needPath + `"]`
	if got := c.text(note); got != scmcName+" pledged 2,000 pieces of N95 respirator against your need" {
		t.Errorf("notification = %q", got)
	}
	if st := c.click("#mark-read button"); st != 200 {
		t.Fatalf("mark read: status %d", st)
	}
	if got := c.text("#nav-notifications"); got != "Notifications" {
		t.Errorf("after marking all read the nav shows %q", got)
	}
	if st := c.click(`.notes a[href="` + needPath + `"]`); st != 200 {
		t.Fatalf("need page from the notification: status %d", st)
	}
	if st := c.click(`form[action="/pledges/` + pledge + `/accept"] button`); st != 200 {
		t.Fatalf("accept: status %d", st)
	}
	if got := c.text(prow + " .badge"); got != "Accepted" {
		t.Errorf("pledge status after accepting = %q, want Accepted", got)
	}
	c.logout()

	// 4. SCMC records the shipment with the cost borne by SCMC, and dispatches.
	c.login("coordinator@scmc.example.org")
	if st := c.click(`header nav a[href="/shipments"]`); st != 200 {
		t.Fatalf("shipments: status %d", st)
	}
	if st := c.click(`main a[href="/shipments/new?donor_id=` + scmc + `"]`); st != 200 {
		t.Fatalf("shipment form: status %d: %s", st, c.text("main"))
	}
	line := `#shipment-form tr[data-pledge="` + pledge + `"]`
	if !c.has(line) {
		t.Fatalf("the accepted pledge is not offered for shipping: %s", c.text("main"))
	}
	if !eval[bool](c, `document.querySelector(`+jsString(line+` input[name=ship]`)+`).checked`) {
		t.Errorf("the accepted pledge is not ticked")
	}
	if got := c.value("#q-" + pledge); got != "2000" {
		t.Errorf("quantity to ship = %q, want 2000", got)
	}
	c.typeInto("#f-carrier", "Air freight")
	c.typeInto("#f-cost_amount", "350.00")
	c.do("choose USD", chromedp.SetValue(chromedp.ID("f-cost_currency"), "USD"))
	c.do("cost borne by the donor", chromedp.SetValue(chromedp.ID("f-cost_borne_by"), "donor"))
	if st := c.click(`#shipment-form button[type=submit]`); st != 200 {
		t.Fatalf("record shipment: status %d: %s", st, c.text("main"))
	}
	shipPath := c.location()
	if !strings.HasPrefix(shipPath, "/shipments/") {
		t.Fatalf("after recording the shipment the browser is on %s: %s", shipPath, c.text("main"))
	}
	if got := c.text("#shipment-status"); got != "Preparing" {
		t.Errorf("shipment status = %q, want Preparing", got)
	}
	if got := c.text("#shipping-cost"); got != "350.00 USD" {
		t.Errorf("shipping cost = %q", got)
	}
	if st := c.click("#dispatch-form button"); st != 200 {
		t.Fatalf("dispatch: status %d", st)
	}
	if got := c.text("#shipment-status"); got != "Dispatched" {
		t.Errorf("shipment status after dispatch = %q, want Dispatched", got)
	}
	if c.has("#receipt-form") {
		t.Errorf("the donor is offered the receipt form")
	}
	c.logout()

	// 5. Seattle records what arrived: everything, nothing damaged.
	c.login("supply@seattlechildrens.example.org")
	if st := c.open(shipPath); st != 200 {
		t.Fatalf("shipment as Seattle: status %d", st)
	}
	lineID := eval[string](c, `document.querySelector("tr[data-line]")?.dataset.line ?? ""`)
	if got := c.value("#received-" + lineID); got != "2000" {
		t.Errorf("received defaults to %q, want 2000", got)
	}
	if got := c.value("#damaged-" + lineID); got != "0" {
		t.Errorf("damaged defaults to %q, want 0", got)
	}
	if st := c.click("#receipt-form button[type=submit]"); st != 200 {
		t.Fatalf("receipt: status %d: %s", st, c.text("main"))
	}
	if got := c.text("#shipment-status"); got != "Delivered" {
		t.Errorf("shipment status after the receipt = %q, want Delivered", got)
	}

	// 6. The need is fulfilled, with its lead times.
	if st := c.open(needPath); st != 200 {
		t.Fatalf("need page: status %d", st)
	}
	if got := c.text("#need-status"); got != "Fulfilled" {
		t.Errorf("need status = %q, want Fulfilled", got)
	}
	if received, uncovered := c.text("#fig-received"), c.text("#fig-uncovered"); received != "2,000" || uncovered != "0" {
		t.Errorf("figures: received %q, uncovered %q; want 2,000 and 0", received, uncovered)
	}
	dates := eval[[]string](c, `[...document.querySelectorAll("table.lead tbody td:nth-child(2)")].map(td => td.textContent.trim())`)
	if len(dates) != 4 {
		t.Fatalf("lead times: %d steps, want 4: %s", len(dates), c.text("table.lead"))
	}
	for i, d := range dates {
		if !regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d UTC$`).MatchString(d) {
			t.Errorf("lead time step %d = %q, want a date", i, d)
		}
	}
	if !c.has("#lead-total") {
		t.Errorf("no plea-to-receipt total")
	}
	shot("need")

	// 7. The acknowledgement, on screen and as printed.
	if st := c.open(shipPath + "/acknowledgement"); st != 200 {
		t.Fatalf("acknowledgement: status %d", st)
	}
	for css, want := range map[string]string{
		"#ack-gave":  scmcName + " gave " + seattleName + ":",
		"#ack-lines": "2,000 pieces of N95 respirator (received 2,000, damaged 0)",
		"#ack-cost":  "Shipping 350.00 USD, borne by " + scmcName + ".",
	} {
		if got := c.text(css); got != want {
			t.Errorf("%s = %q, want %q", css, got, want)
		}
	}
	if got := c.text("#ack-journey"); !strings.Contains(got, "Dispatched on ") || !strings.Contains(got, "received on ") || !strings.Contains(got, "Air freight") {
		t.Errorf("journey = %q", got)
	}
	if c.text(".signatures") == "" {
		t.Errorf("no signature area")
	}
	shot("acknowledgement")
	c.media("print")
	if d := eval[string](c, `getComputedStyle(document.querySelector("header.top")).display`); d != "none" {
		t.Errorf("printed, the navigation shows (display %s)", d)
	}
	if d := eval[string](c, `getComputedStyle(document.querySelector(".ack .no-print")).display`); d != "none" {
		t.Errorf("printed, the back link shows (display %s)", d)
	}
	if d := eval[string](c, `getComputedStyle(document.querySelector(".signatures")).display`); d == "none" {
		t.Errorf("printed, the signatures are hidden")
	}
	shot("acknowledgement-print")
	c.media("")

	// In Chinese, through the header's language form.
	c.do("choose zh-CN", chromedp.Evaluate[chromedp.Void](`document.getElementById("lang").value = "zh-CN"`))
	if st := c.click("#lang-go"); st != 200 {
		t.Fatalf("change language: status %d", st)
	}
	if got := c.text("main h1"); got != "捐赠确认书" {
		t.Errorf("acknowledgement title in Chinese = %q", got)
	}
	if got := c.text("#ack-lines"); !strings.Contains(got, "2,000") {
		t.Errorf("acknowledgement lines in Chinese = %q", got)
	}
	shot("acknowledgement-zh-CN")
	if st := c.open("/needs"); st != 200 {
		t.Fatalf("board in Chinese: status %d", st)
	}
	shot("board-zh-CN")
	t.Logf("supply journey in %v", time.Since(start).Round(time.Millisecond))
}

// TestPledgeFormRefusals posts the pledge form as a browser without
// JavaScript would: a quantity that is not a plain whole number, and more
// than is left, are refused on the need's page with the message next to the
// field and what was typed kept; nothing is stored.
func TestPledgeFormRefusals(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			m := startMain(t, b)
			need, _, scmc := seattleNeed(t, m)
			br := m.login("coordinator@scmc.example.org")
			for _, tc := range []struct {
				quantity string
				status   int
				message  string
			}{
				{"1,5", http.StatusUnprocessableEntity, "not “1,5”"},
				{"2.5", http.StatusUnprocessableEntity, "not “2.5”"},
				{"99999999999999999999", http.StatusUnprocessableEntity, "99999999999999999999"},
				{"-3", http.StatusUnprocessableEntity, "above zero"},
				{"2500", http.StatusConflict, "only 2,000 of 2,000 are still uncovered; you offered 2,500"},
			} {
				r := br.post("/needs/"+need+"/pledges", url.Values{"donor_id": {scmc}, "quantity": {tc.quantity}, "note": {"typed note"}})
				page := string(r.Body)
				if r.Status != tc.status {
					t.Errorf("quantity %q: status %d, want %d", tc.quantity, r.Status, tc.status)
				}
				errText := between(page, `id="e-quantity">`, "</p>")
				if !strings.Contains(errText, tc.message) {
					t.Errorf("quantity %q: the error next to the field is %q, want it to say %q", tc.quantity, errText, tc.message)
				}
				if !strings.Contains(page, `value="`+tc.quantity+`"`) || !strings.Contains(page, ">typed note</textarea>") {
					t.Errorf("quantity %q: the typed values are not kept", tc.quantity)
				}
				if !strings.Contains(page, `id="pledge-form"`) || !strings.Contains(page, `aria-invalid="true"`) {
					t.Errorf("quantity %q: the page does not show the pledge form marked invalid", tc.quantity)
				}
			}
			pledges, err := m.Store.ListPledges(context.Background(), need)
			if err != nil {
				t.Fatal(err)
			}
			n, err := m.Store.FindNeed(context.Background(), need)
			if err != nil {
				t.Fatal(err)
			}
			if len(pledges) != 0 || n.Pledged != 0 {
				t.Errorf("refused pledges were stored: %d pledges, %d pledged", len(pledges), n.Pledged)
			}

			// A whole number within what is left goes through.
			r := br.post("/needs/"+need+"/pledges", url.Values{"donor_id": {scmc}, "quantity": {"1500"}})
			if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/needs/"+need+"#pledges" {
				t.Fatalf("pledge of 1500: status %d, location %q", r.Status, r.Header.Get("Location"))
			}
			if n, _ := m.Store.FindNeed(context.Background(), need); n.Pledged != 1500 {
				t.Errorf("pledged after the good pledge = %d, want 1500", n.Pledged)
			}
			r = br.post("/needs/"+need+"/pledges", url.Values{"donor_id": {scmc}, "quantity": {"600"}})
			if r.Status != http.StatusConflict || !strings.Contains(string(r.Body), "only 500 of 2,000 are still uncovered; you offered 600") {
				t.Errorf("over-pledge of 600: status %d: %s", r.Status, between(string(r.Body), `id="e-quantity">`, "</p>"))
			}
		})
	}
}

// between returns the text of s between the first from and the to after it.
func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	out, _, _ := strings.Cut(rest, to)
	return out
}

// TestSupplyForms posts the other supply forms as a browser without
// JavaScript would: a need with quantities that are not plain whole numbers,
// its change and cancellation, a stock change, and a shipment with a bad
// cost. Refusals come back with the message next to the field and the typed
// values kept, and store nothing.
func TestSupplyForms(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			m := startMain(t, b)
			seattle, scmc, n95 := m.orgID(seattleName), m.orgID(scmcName), m.itemID("N95")
			rec := m.login("supply@seattlechildrens.example.org")
			countNeeds := func() int {
				list, _, err := m.Store.ListNeeds(ctx, domain.NeedFilter{OrganizationID: seattle, Limit: 200})
				if err != nil {
					t.Fatal(err)
				}
				return len(list)
			}
			before := countNeeds()
			for _, q := range []string{"1,5", "2.5", "-3", "99999999999999999999", ""} {
				r := rec.post("/needs", url.Values{"organization_id": {seattle}, "item_id": {n95}, "quantity": {q}, "urgency": {"critical"},
					"justification": {"typed justification"}})
				page := string(r.Body)
				if r.Status != http.StatusUnprocessableEntity || between(page, `id="e-quantity">`, "</p>") == "" {
					t.Errorf("need of %q: status %d, error %q", q, r.Status, between(page, `id="e-quantity">`, "</p>"))
				}
				if !strings.Contains(page, `value="`+q+`"`) || !strings.Contains(page, ">typed justification</textarea>") {
					t.Errorf("need of %q: typed values not kept", q)
				}
			}
			if r := rec.post("/needs", url.Values{"organization_id": {seattle}, "quantity": {"10"}, "urgency": {"high"}}); r.Status != 422 || !strings.Contains(string(r.Body), `id="e-item_id"`) {
				t.Errorf("need without an item: status %d", r.Status)
			}
			if got := countNeeds(); got != before {
				t.Errorf("refused needs were stored: %d needs, want %d", got, before)
			}

			r := rec.post("/needs", url.Values{"organization_id": {seattle}, "item_id": {n95}, "quantity": {"1500"}, "urgency": {"critical"},
				"needed_by": {"2030-01-31"}, "shortage": {"on"}})
			if r.Status != http.StatusSeeOther {
				t.Fatalf("post a need: status %d: %s", r.Status, between(string(r.Body), `class="alert"`, "</div>"))
			}
			need := strings.TrimPrefix(r.Header.Get("Location"), "/needs/")
			r = rec.post("/needs/"+need, url.Values{"item_id": {n95}, "quantity": {"1800"}, "urgency": {"high"}, "version": {"1"}})
			if r.Status != http.StatusSeeOther {
				t.Fatalf("change the need: status %d", r.Status)
			}
			// The same version again is stale: refused, typed values kept.
			r = rec.post("/needs/"+need, url.Values{"item_id": {n95}, "quantity": {"1900"}, "urgency": {"high"}, "version": {"1"}})
			if r.Status != http.StatusConflict || !strings.Contains(string(r.Body), `value="1900"`) {
				t.Errorf("stale change: status %d", r.Status)
			}
			if n, _ := m.Store.FindNeed(ctx, need); n.Quantity != 1800 || n.Urgency != domain.UrgencyHigh || n.Shortage {
				t.Errorf("after the change: %d %s shortage %v", n.Quantity, n.Urgency, n.Shortage)
			}
			if r := rec.get("/needs/" + need + "/cancel"); r.Status != 200 || !strings.Contains(string(r.Body), `name="reason"`) {
				t.Errorf("cancel page: status %d", r.Status)
			}
			if r := rec.post("/needs/"+need+"/cancel", url.Values{"version": {"2"}, "reason": {"  "}}); r.Status != 422 || !strings.Contains(string(r.Body), `id="e-reason"`) {
				t.Errorf("cancel without a reason: status %d", r.Status)
			}
			if r := rec.post("/needs/"+need+"/cancel", url.Values{"version": {"2"}, "reason": {"covered by the county"}}); r.Status != http.StatusSeeOther {
				t.Errorf("cancel: status %d", r.Status)
			}
			page := string(rec.get("/needs/" + need).Body)
			if !strings.Contains(page, "covered by the county") || !strings.Contains(page, `id="need-status">Cancelled`) || strings.Contains(page, `id="pledge-form"`) {
				t.Errorf("the cancelled need's page does not say so, or still takes pledges")
			}

			// Stock: a change that is not a whole number, and one that would
			// leave less than nothing.
			don := m.login("coordinator@scmc.example.org")
			stockPath := "/organizations/" + scmc + "/stock"
			r = don.post(stockPath, url.Values{"item_id": {n95}, "kind": {"adjustment"}, "delta": {"1,5"}, "reason": {"typed reason"}})
			if r.Status != 422 || between(string(r.Body), `id="e-delta">`, "</p>") == "" || !strings.Contains(string(r.Body), `value="typed reason"`) {
				t.Errorf("stock change of 1,5: status %d", r.Status)
			}
			r = don.post(stockPath, url.Values{"item_id": {n95}, "kind": {"adjustment"}, "delta": {"-1000000"}, "reason": {"lost"}})
			if r.Status != http.StatusConflict || !strings.Contains(string(r.Body), "would leave less on hand") {
				t.Errorf("stock below zero: status %d", r.Status)
			}
			r = don.post(stockPath, url.Values{"item_id": {n95}, "kind": {"count"}, "counted": {"120"}, "reason": {"yearly count"}})
			if r.Status != http.StatusSeeOther {
				t.Errorf("stock count: status %d", r.Status)
			}
			if page := string(don.get(stockPath).Body); !strings.Contains(page, "yearly count") || !strings.Contains(page, `<td class="num available">120</td>`) {
				t.Errorf("the stock page does not show the count")
			}

			// A shipment with more decimals than the currency has: refused on
			// the cost field, nothing stored.
			n := domain.Need{OrganizationID: seattle, ItemID: n95, Quantity: 100, Urgency: domain.UrgencyNormal}
			if err := m.Store.CreateNeed(ctx, store.Actor{}, &n); err != nil {
				t.Fatal(err)
			}
			pl := domain.Pledge{NeedID: n.ID, DonorID: scmc, Quantity: 100}
			if err := m.Store.CreatePledge(ctx, store.Actor{}, &pl); err != nil {
				t.Fatal(err)
			}
			if _, err := m.Store.AcceptPledge(ctx, store.Actor{}, pl.ID); err != nil {
				t.Fatal(err)
			}
			form := url.Values{"donor_id": {scmc}, "recipient_id": {seattle}, "ship": {pl.ID}, "q_" + pl.ID: {"100"}, "carrier": {"Sea freight"},
				"cost_amount": {"12.345"}, "cost_currency": {"USD"}, "cost_borne_by": {"recipient"}}
			r = don.post("/shipments", form)
			if r.Status != 422 || !strings.Contains(between(string(r.Body), `id="e-shipping_cost">`, "</p>"), "12.345") || !strings.Contains(string(r.Body), `value="Sea freight"`) {
				t.Errorf("shipment with a cost of 12.345 USD: status %d", r.Status)
			}
			form.Set("cost_amount", "12.34")
			form.Set("q_"+pl.ID, "101")
			r = don.post("/shipments", form)
			if r.Status != http.StatusConflict || !strings.Contains(string(r.Body), "left to ship") || !strings.Contains(string(r.Body), `value="101"`) {
				t.Errorf("shipping more than accepted: status %d", r.Status)
			}
			if list, _ := m.Store.ListShipments(ctx, domain.ShipmentFilter{OrganizationID: seattle}); len(list) != 1 {
				t.Errorf("refused shipments were stored: %d shipments to Seattle, want the demo's 1", len(list))
			}
			form.Set("q_"+pl.ID, "60")
			if r = don.post("/shipments", form); r.Status != http.StatusSeeOther {
				t.Fatalf("ship 60: status %d", r.Status)
			}
			// What is left is offered next time.
			if page := string(don.get("/shipments/new?donor_id=" + scmc).Body); !strings.Contains(page, `name="q_`+pl.ID+`" inputmode="numeric" size="10" value="40"`) {
				t.Errorf("the form does not offer the 40 left to ship")
			}
		})
	}
}
