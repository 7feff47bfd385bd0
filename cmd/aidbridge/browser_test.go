package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"aidbridge/internal/demo"
	"aidbridge/internal/store/storetest"
)

// browserTimeout bounds one browser test, start of Chromium included, so
// that a page that never loads fails the test instead of hanging it.
const browserTimeout = 60 * time.Second

const scmcName = "Shanghai Children's Medical Center"

// chrome is one headless Chromium tab driving the program m.
type chrome struct {
	t   *testing.T
	m   *testMain
	ctx context.Context

	mu     sync.Mutex
	errors []string // uncaught exceptions, console.error calls and CSP violations of the pages
}

// chromiumPath returns Debian's Chromium, or "" when it is not installed.
func chromiumPath() string {
	for _, name := range []string{"chromium", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newChrome starts headless Chromium for the test, or skips the test when
// Chromium is not installed (failing it under AIDBRIDGE_REQUIRE_ALL=1).
// The browser is stopped when the test ends.
func newChrome(t *testing.T, m *testMain) *chrome {
	t.Helper()
	tabCtx := startChromium(t, browserTimeout, chromedp.WindowSize(1280, 900))
	c := &chrome{t: t, m: m, ctx: tabCtx}
	messages := chromedp.Console(tabCtx)
	go func() {
		for msg, err := range messages {
			if err != nil {
				return
			}
			if msg.IsException() || msg.Source == "security" || msg.Type == chromedp.ConsoleError && msg.Source == "" {
				c.mu.Lock()
				c.errors = append(c.errors, fmt.Sprintf("%s:%d %s", msg.URL, msg.Line+1, msg.Text))
				c.mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		for _, e := range c.errors {
			t.Errorf("page error: %s", e)
		}
	})
	return c
}

// startChromium starts Debian's headless Chromium for the test, stopped
// after timeout or when the test ends, and returns its first tab; or skips
// the test when Chromium is not installed (failing it under
// AIDBRIDGE_REQUIRE_ALL=1).
func startChromium(t *testing.T, timeout time.Duration, opts ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		storetest.Missing(t, "browser suite", "chromium not installed: apt-get install chromium")
		t.Skip("chromium not installed")
	}
	// Made before the cleanups below so that it is removed after Chromium
	// has exited.
	profile := t.TempDir()
	ctx, cancelTimeout := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancelTimeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		// The network here is closed: without these Chromium keeps
		// trying to reach Google's services.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(profile),
	}, opts...)...)
	t.Cleanup(cancelAlloc) // stops Chromium and waits for it
	tab, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelTab)
	start := time.Now()
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	t.Logf("chromium started in %v", time.Since(start).Round(time.Millisecond))
	return tab
}

// do runs actions that return nothing, failing the test on an error.
func (c *chrome) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	if err := chromedp.Do(c.ctx, actions...); err != nil {
		c.t.Fatalf("%s: %v (page %s)", what, err, c.location())
	}
}

// open loads path and returns the HTTP status of the page.
func (c *chrome) open(path string) int64 {
	c.t.Helper()
	res, err := chromedp.Run(c.ctx, chromedp.NavigateResponse(c.m.URL()+path))
	if err != nil {
		c.t.Fatalf("open %s: %v", path, err)
	}
	return res.Status
}

// follow runs an action that leads to a new page (a click on a link or a
// submit button), waits until that page has loaded, and returns its HTTP
// status.
func (c *chrome) follow(what string, action chromedp.Action[chromedp.Void]) int64 {
	c.t.Helper()
	res, err := chromedp.RunResponse(c.ctx, action)
	if err != nil {
		c.t.Fatalf("%s: %v (page %s)", what, err, c.location())
	}
	return res.Status
}

// click clicks the element css selects and waits for the page it leads to.
func (c *chrome) click(css string) int64 {
	c.t.Helper()
	return c.follow("click "+css, chromedp.Click(chromedp.CSS(css)))
}

// location returns the path and query of the page shown.
func (c *chrome) location() string {
	loc, err := chromedp.Run(c.ctx, chromedp.Location())
	if err != nil {
		return "(unknown: " + err.Error() + ")"
	}
	return strings.TrimPrefix(loc, c.m.URL())
}

// eval evaluates a JavaScript expression in the page and decodes its value.
// It does not wait for anything: pages are read once they have loaded, so
// that an element that is missing fails at once instead of at the timeout.
func eval[T any](c *chrome, expr string) T {
	c.t.Helper()
	v, err := chromedp.Run(c.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		c.t.Fatalf("evaluate %s: %v (page %s)", expr, err, c.location())
	}
	return v
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// text returns the trimmed text of the element css selects, failing the test
// when there is none.
func (c *chrome) text(css string) string {
	c.t.Helper()
	s := eval[*string](c, `(() => { const e = document.querySelector(`+jsString(css)+`); return e ? e.textContent.trim() : null })()`)
	if s == nil {
		c.t.Fatalf("page %s has no element %s", c.location(), css)
	}
	return *s
}

// value returns the value of the form field css selects, failing the test
// when there is none.
func (c *chrome) value(css string) string {
	c.t.Helper()
	s := eval[*string](c, `(() => { const e = document.querySelector(`+jsString(css)+`); return e ? e.value : null })()`)
	if s == nil {
		c.t.Fatalf("page %s has no field %s", c.location(), css)
	}
	return *s
}

// has reports whether the page has an element css selects.
func (c *chrome) has(css string) bool {
	c.t.Helper()
	return eval[bool](c, `document.querySelector(`+jsString(css)+`) !== null`)
}

// typeInto replaces what the field css selects holds with s, typed key by key.
func (c *chrome) typeInto(css, s string) {
	c.t.Helper()
	// Not SetValue(sel, ""): chromedp v0.23.0 drops the empty string
	// argument and the field ends up holding "undefined".
	c.do("clear "+css, chromedp.Evaluate[chromedp.Void](`document.querySelector(`+jsString(css)+`).value = ""`))
	c.do("type into "+css, chromedp.SendKeys(chromedp.CSS(css), s))
	if got := c.value(css); got != s {
		c.t.Fatalf("typed %q into %s, which holds %q", s, css, got)
	}
}

// login signs in through the login page as a user would.
func (c *chrome) login(email string) {
	c.t.Helper()
	if st := c.open("/login"); st != 200 {
		c.t.Fatalf("GET /login: status %d", st)
	}
	c.typeInto("#f-email", email)
	c.typeInto("#f-password", demo.Password)
	if st := c.click(`main form[action="/login"] button[type=submit]`); st != 200 {
		c.t.Fatalf("log in as %s: status %d on %s", email, st, c.location())
	}
	if loc := c.location(); strings.HasPrefix(loc, "/login") {
		c.t.Fatalf("log in as %s: still on %s: %s", email, loc, c.text("main"))
	}
	if !c.has("a.who") {
		c.t.Fatalf("log in as %s: the header shows no signed-in user", email)
	}
}

// historyChange is one changed field of an update in a History section.
type historyChange struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// historyChanges returns the changed fields listed in the page's History
// section, newest entry first.
func (c *chrome) historyChanges() []historyChange {
	c.t.Helper()
	return eval[[]historyChange](c, `[...document.querySelectorAll("section.history ul.changes li")].map(li => ({
		field: li.querySelector(".fname")?.textContent.trim() ?? "",
		before: li.querySelector("del")?.textContent.trim() ?? "",
		after: li.querySelector("ins")?.textContent.trim() ?? "",
	}))`)
}

// TestBrowserDirectoryJourney walks a coordinator through the directory in
// Chromium: sign in, search, open SCMC, read its beds, change its city and
// see the change in the History, then read the page in Chinese.
func TestBrowserDirectoryJourney(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			browserDirectoryJourney(t, b)
		})
	}
}

func browserDirectoryJourney(t *testing.T, b storetest.Backend) {
	if chromiumPath() == "" {
		storetest.Missing(t, "browser suite", "chromium not installed: apt-get install chromium")
		t.Skip("chromium not installed")
	}
	m := startMain(t, b)
	scmc := m.orgID(scmcName)
	c := newChrome(t, m)

	// 1. Sign in.
	c.login("coordinator@scmc.example.org")

	// 2. The directory through the nav link, and a search.
	if got := c.text(`header nav a[href="/organizations"]`); got != "Organizations" {
		t.Errorf("nav link text = %q, want %q", got, "Organizations")
	}
	if st := c.click(`header nav a[href="/organizations"]`); st != 200 {
		t.Fatalf("directory: status %d", st)
	}
	if loc := c.location(); loc != "/organizations" {
		t.Fatalf("the nav link led to %s, want /organizations", loc)
	}
	c.typeInto("#q", "Shanghai")
	if st := c.click(`main form[role=search] button[type=submit]`); st != 200 {
		t.Fatalf("search: status %d", st)
	}
	if loc, _ := url.Parse(c.location()); loc.Path != "/organizations" || loc.Query().Get("q") != "Shanghai" {
		t.Fatalf("search led to %s, want /organizations?q=Shanghai", c.location())
	}
	names := eval[[]string](c, `[...document.querySelectorAll("table.list tbody td:first-child a")].map(a => a.textContent.trim())`)
	if len(names) == 0 {
		t.Fatalf("search for Shanghai found nothing: %s", c.text("main"))
	}
	for _, n := range names {
		if !strings.Contains(strings.ToLower(n), "shanghai") {
			t.Errorf("search for Shanghai lists %q", n)
		}
	}

	// 3. Open SCMC from the results, by the text of its link.
	link := `//table[contains(@class,"list")]//a[normalize-space()="` + scmcName + `"]`
	if st := c.follow("open "+scmcName, chromedp.Click(chromedp.Search(link))); st != 200 {
		t.Fatalf("SCMC page: status %d", st)
	}
	detail := "/organizations/" + scmc
	if loc := c.location(); loc != detail {
		t.Fatalf("the SCMC link led to %s, want %s", loc, detail)
	}
	if got := c.text("main h1"); got != scmcName {
		t.Errorf("h1 = %q, want %q", got, scmcName)
	}

	// 4. The beds of the account: 1,500 in total, 880 in service.
	if got := c.text("#beds-total"); got != "1,500" {
		t.Errorf("beds total = %q, want 1500", got)
	}
	if got := c.text("#beds-in-service"); got != "880" {
		t.Errorf("beds in service = %q, want 880", got)
	}

	// 5. Change the city through the edit form; the change shows on the page
	// and in its History.
	edit := `main a[href="` + detail + `/edit"]`
	if got := c.text(edit); got != "Edit" {
		t.Errorf("edit link text = %q, want Edit", got)
	}
	if st := c.click(edit); st != 200 {
		t.Fatalf("edit form: status %d", st)
	}
	oldCity := c.value("#f-city")
	if oldCity != "Shanghai" {
		t.Errorf("city field holds %q, want Shanghai", oldCity)
	}
	const newCity = "Shanghai (Pudong New Area)"
	c.typeInto("#f-city", newCity)
	if st := c.click(`main form button[type=submit].primary`); st != 200 {
		t.Fatalf("save: status %d: %s", st, c.text("main"))
	}
	if loc := c.location(); loc != detail {
		t.Fatalf("after saving the browser is on %s, want %s: %s", loc, detail, c.text("main"))
	}
	if facts := c.text("main dl.facts"); !strings.Contains(facts, newCity) {
		t.Errorf("the page does not show the new city %q: %s", newCity, facts)
	}
	var found bool
	changes := c.historyChanges()
	for _, ch := range changes {
		if ch.Field == "city" {
			found = true
			if ch.Before != oldCity || ch.After != newCity {
				t.Errorf("history: city %q → %q, want %q → %q", ch.Before, ch.After, oldCity, newCity)
			}
			break
		}
	}
	if !found {
		t.Errorf("the History section has no change of city: %+v\n%s", changes, c.text("section.history"))
	}

	// 6. Switch to Chinese with the header's language form.
	// Set without events, as a browser without JavaScript would: the
	// button submits.
	c.do("choose zh-CN", chromedp.Evaluate[chromedp.Void](`document.getElementById("lang").value = "zh-CN"`))
	if st := c.click("#lang-go"); st != 200 {
		t.Fatalf("change language: status %d", st)
	}
	if loc := c.location(); loc != detail {
		t.Errorf("after changing language the browser is on %s, want %s", loc, detail)
	}
	if got := eval[string](c, `document.documentElement.lang`); got != "zh-CN" {
		t.Errorf("html lang = %q, want zh-CN", got)
	}
	if got := c.text(`header nav a[href="/organizations"]`); got != "机构" {
		t.Errorf("nav link in Chinese = %q, want 机构", got)
	}
	if got := c.text("section.history h2"); got != "历史记录" {
		t.Errorf("history heading in Chinese = %q, want 历史记录", got)
	}
	if got := c.text("#beds-total"); got != "1,500" {
		t.Errorf("beds total in Chinese = %q, want 1500", got)
	}

	// A screenshot for humans to check that the Chinese glyphs render.
	png, err := chromedp.Run(c.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if len(png) == 0 || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("screenshot is not a PNG (%d bytes)", len(png))
	}
	name := "scmc-zh-CN-" + b.Name + ".png"
	dirs := []string{t.TempDir()}
	if d := os.Getenv("AIDBRIDGE_SCREENSHOTS"); d != "" {
		dirs = append(dirs, d)
	}
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(d, name)
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot of the Chinese page: %s (%d bytes)", p, len(png))
	}

	// The select alone switches back, through the page's script.
	// SetValue fires the change event, on which the page's script submits.
	c.follow("choose en in the select", chromedp.SetValue(chromedp.ID("lang"), "en"))
	if got := eval[string](c, `document.documentElement.lang`); got != "en" {
		t.Errorf("after choosing English in the select, html lang = %q, want en", got)
	}
	if got := c.text("section.history h2"); got != "History" {
		t.Errorf("history heading = %q, want History", got)
	}
}

// TestBrowserFormValidation submits beds in service above the beds in total:
// the form comes back with the error next to the field and what was typed,
// and nothing is stored.
func TestBrowserFormValidation(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			browserFormValidation(t, b)
		})
	}
}

func browserFormValidation(t *testing.T, b storetest.Backend) {
	if chromiumPath() == "" {
		storetest.Missing(t, "browser suite", "chromium not installed: apt-get install chromium")
		t.Skip("chromium not installed")
	}
	m := startMain(t, b)
	scmc := m.orgID(scmcName)
	c := newChrome(t, m)
	c.login("coordinator@scmc.example.org")

	detail := "/organizations/" + scmc
	if st := c.open(detail + "/edit"); st != 200 {
		t.Fatalf("edit form: status %d", st)
	}
	if got := c.value("#f-beds_total"); got != "1500" {
		t.Fatalf("beds total field = %q, want 1500", got)
	}
	c.typeInto("#f-beds_in_service", "2000")
	if st := c.click(`main form button[type=submit].primary`); st != 422 {
		t.Errorf("save with 2000 of 1500 beds in service: status %d, want 422", st)
	}
	if loc := c.location(); loc != detail {
		t.Errorf("the refused form is at %s, want %s", loc, detail)
	}
	if !c.has("#e-beds_in_service") {
		t.Fatalf("no error next to beds in service:\n%s", c.text("main"))
	}
	if msg := c.text("#e-beds_in_service"); !strings.Contains(msg, "2,000") {
		t.Errorf("the error next to beds in service does not name 2,000: %q", msg)
	}
	if got := eval[string](c, `document.getElementById("f-beds_in_service").getAttribute("aria-invalid") ?? ""`); got != "true" {
		t.Errorf("beds in service field aria-invalid = %q, want true", got)
	}
	if !c.has(`main .alert[role=alert]`) {
		t.Errorf("the refused form has no alert at its top")
	}
	for _, f := range []struct{ css, want string }{
		{"#f-beds_in_service", "2000"},
		{"#f-beds_total", "1500"},
		{"#f-city", "Shanghai"},
		{"#f-name", scmcName},
	} {
		if got := c.value(f.css); got != f.want {
			t.Errorf("after the refusal %s holds %q, want %q", f.css, got, f.want)
		}
	}

	if st := c.open(detail); st != 200 {
		t.Fatalf("SCMC page: status %d", st)
	}
	if got := c.text("#beds-in-service"); got != "880" {
		t.Errorf("after the refused change beds in service = %q, want 880", got)
	}
	if changes := c.historyChanges(); len(changes) != 0 {
		t.Errorf("the refused change is in the History: %+v", changes)
	}
}

// TestBrowserViewerCannotEdit checks that a viewer sees no Edit link on SCMC
// and gets the "Not allowed" page on its edit form.
func TestBrowserViewerCannotEdit(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			browserViewerCannotEdit(t, b)
		})
	}
}

func browserViewerCannotEdit(t *testing.T, b storetest.Backend) {
	if chromiumPath() == "" {
		storetest.Missing(t, "browser suite", "chromium not installed: apt-get install chromium")
		t.Skip("chromium not installed")
	}
	m := startMain(t, b)
	scmc := m.orgID(scmcName)
	c := newChrome(t, m)
	c.login("viewer@shhealth.example.org")

	detail := "/organizations/" + scmc
	if st := c.open(detail); st != 200 {
		t.Fatalf("SCMC page as viewer: status %d", st)
	}
	if got := c.text("#beds-total"); got != "1,500" {
		t.Errorf("beds total as viewer = %q, want 1500", got)
	}
	if c.has(`a[href$="/edit"]`) {
		t.Errorf("a viewer sees an edit link: %s", c.text(`a[href$="/edit"]`))
	}
	// Reading the organization's report is no change: the viewer has it.
	if actions := eval[string](c, `[...document.querySelectorAll("main .actions a, main .actions button")].filter(e => e.id != "report-link").map(e => e.textContent.trim()).join(" ")`); actions != "" {
		t.Errorf("a viewer sees actions on SCMC: %q", actions)
	}
	if !c.has("#report-link") {
		t.Errorf("a viewer has no link to SCMC's report")
	}

	if st := c.open(detail + "/edit"); st != 403 {
		t.Errorf("edit form as viewer: status %d, want 403", st)
	}
	if got := c.text("main h1"); got != "Not allowed" {
		t.Errorf("h1 = %q, want Not allowed", got)
	}
	if c.has("#f-city") {
		t.Errorf("the viewer was shown the edit form")
	}
}
