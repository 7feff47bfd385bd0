package main

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
	"aidbridge/internal/store/storetest"
	"aidbridge/internal/web"
)

// The page smoke test renders every GET page of the web route table as every
// demo login, in every language, in Chromium at the width of a phone, and
// reports what a person would notice at once: a server error, a Go value
// printed as Go prints it, English left on a Chinese page, a page that
// scrolls sideways.

const (
	// smokeWidth and smokeHeight are the viewport, in CSS pixels, of a
	// common phone held upright.
	smokeWidth, smokeHeight = 390, 844
	// smokeTimeout bounds the whole test, start of Chromium included.
	smokeTimeout = 25 * time.Minute
	// smokePageTimeout bounds the loading and reading of one page.
	smokePageTimeout = 30 * time.Second
)

// smokeArtifacts are what Go prints when a template formats a value it was
// not meant to: none of them belongs on a page, in its text or its HTML.
var smokeArtifacts = []struct{ text, what string }{
	{"%!", "a fmt verb that does not fit its value"},
	{"<nil>", "a nil value printed"},
	{"&lt;nil&gt;", "a nil value printed (escaped)"},
	{"map[", "a Go map printed"},
	{"{{", "a template action left in the output"},
	{"ZgotmplZ", "a value html/template refused as unsafe"},
}

// latinRun is three or more Latin words in a row: a phrase, not a code or a
// unit, and on a Chinese page a sentence that was not translated.
var latinRun = regexp.MustCompile(`[A-Za-z]{2,}(?:[ ,'-]+[A-Za-z]{2,}){2,}`)

// pointer is a memory address, as %v prints a pointer.
var pointer = regexp.MustCompile(`0x[0-9a-f]+`)

// messageID is a catalog message id (lower case words joined by
// underscores), which the localizer shows when a message is missing.
var messageID = regexp.MustCompile(`\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b`)

// tokenShown is the start of an API token as the account page shows it
// ("abk_" and six random characters), which may read like a message id.
var tokenShown = regexp.MustCompile(`\babk_[A-Za-z0-9_-]{6}`)

// smokeAllowed are the Latin words a page may show in any language besides
// the data, each with its reason. Keep it short: a phrase that needs adding
// here is more likely a message that needs translating.
var smokeAllowed = func() map[string]string {
	allowed := map[string]string{
		"aidbridge":  "the product's name, in the header, the title and the footer",
		"zh, en, fr": "language codes, as the example of what the languages field of a person takes",
	}
	for _, l := range web.Languages {
		allowed[l.Name] = "the language switch names each language in that language"
	}
	return allowed
}()

// smokeQueryKinds says which records fill the required query parameters of
// the API's lists, by the first path segment of the records' list.
var smokeQueryKinds = map[string]string{
	"organization_id": "organizations",
	"donor_id":        "organizations",
}

// smokeProblem is one thing wrong with one page.
type smokeProblem struct {
	kind string // load, server error, status, signed out, language, artifact, message id, english, too wide, page error
	text string
}

// smokeSnapshot is what the test reads of a loaded page, in one evaluation.
type smokeSnapshot struct {
	Location    string   `json:"location"`
	Lang        string   `json:"lang"`
	Texts       []string `json:"texts"`
	HTML        string   `json:"html"`
	Numbers     []string `json:"numbers"`
	ScrollWidth int64    `json:"scrollWidth"`
	Widest      string   `json:"widest"`
}

// smokeSnapshotJS reads the page: its visible texts (text nodes outside
// script and style, the attributes people read, the title), its HTML, the
// text of its number cells, its width, and, when it is wider than the
// viewport, the element that reaches furthest right outside any scroll box.
const smokeSnapshotJS = `(() => {
  const W = %d;
  const texts = [];
  const skip = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"]);
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    if (n.parentElement && skip.has(n.parentElement.tagName)) continue;
    const s = n.nodeValue.replace(/\s+/g, " ").trim();
    if (s) texts.push(s);
  }
  for (const el of document.body.querySelectorAll("[placeholder], [title], [aria-label], [alt], input[type=submit], input[type=button]")) {
    for (const a of ["placeholder", "title", "aria-label", "alt"]) {
      const v = (el.getAttribute(a) || "").replace(/\s+/g, " ").trim();
      if (v) texts.push(v);
    }
    if (el.matches("input[type=submit], input[type=button]") && el.value.trim()) texts.push(el.value.trim());
  }
  if (document.title.trim()) texts.push(document.title.trim());
  const numbers = [...document.querySelectorAll(".num, .figure")].map(e => e.textContent.trim());
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    [...el.classList].map(c => "." + c).join("");
  // clipped says whether a scroll box (or a box that hides what overflows
  // it) holds el in: only the boxes of its containing blocks do, so an
  // absolutely positioned element escapes a scroll box that is not
  // positioned.
  const clipped = el => {
    let pos = getComputedStyle(el).position;
    for (let p = el.parentElement; p && p !== document.body && p !== document.documentElement; p = p.parentElement) {
      const cs = getComputedStyle(p);
      const transformed = cs.transform !== "none";
      const contains = pos === "fixed" ? transformed : pos === "absolute" ? cs.position !== "static" || transformed : true;
      if (!contains) continue;
      if (cs.overflowX !== "visible") return true;
      pos = cs.position;
    }
    return false;
  };
  const scrollWidth = document.documentElement.scrollWidth;
  let widest = "";
  if (scrollWidth > W) {
    // Elements, and text that overflows its element (a long word).
    let best = null, right = -Infinity, text = "";
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if ((r.width || r.height) && r.right >= right && !clipped(el)) { best = el; right = r.right; text = ""; }
    }
    const words = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = words.nextNode(); n; n = words.nextNode()) {
      if (!n.parentElement || !n.nodeValue.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const r = range.getBoundingClientRect();
      if (r.right > right && !clipped(n.parentElement) && getComputedStyle(n.parentElement).overflowX === "visible") {
        best = n.parentElement; right = r.right; text = n.nodeValue.replace(/\s+/g, " ").trim().slice(0, 60);
      }
    }
    if (best) {
      const path = [];
      for (let e = best; e && e !== document.body && path.length < 4; e = e.parentElement) path.push(name(e));
      // A select is as wide as its longest option.
      if (!text && best.tagName === "SELECT") text = [...best.options].map(o => o.text).reduce((a, b) => b.length > a.length ? b : a, "");
      if (!text) text = best.textContent.replace(/\s+/g, " ").trim().slice(0, 40);
      widest = path.join(" < ") + " (right edge at " + Math.round(right) + " px" + (text ? ", text " + JSON.stringify(text) : "") + ")";
    }
  }
  return {location: location.pathname + location.search, lang: document.documentElement.lang, texts,
    html: document.documentElement.outerHTML, numbers, scrollWidth, widest};
})()`

// smokeData is what the test knows of the data set: every string the JSON
// API shows a site administrator, and the records of each list, by the first
// path segment under /api/v1.
type smokeData struct {
	strings map[string]bool
	records map[string][]map[string]any
}

// TestPageSmoke renders every GET page of web.Routes() with the demo data,
// as each demo login and in each language, in Chromium at a 390 px wide
// viewport, and fails each page, once, with all of what is wrong with it: a
// 5xx status, a signed-in user sent to the login page, a formatting artifact,
// English outside the data on a Chinese page, or a page wider than the
// viewport. A route with a path parameter the test cannot fill fails it, so
// that a new kind of page makes the test learn it.
func TestPageSmoke(t *testing.T) {
	t.Parallel()
	if chromiumPath() == "" {
		storetest.Missing(t, "browser suite", "chromium not installed: apt-get install chromium")
		t.Skip("chromium not installed")
	}
	start := time.Now()
	// The pages read the same on both stores; one is enough here.
	m := startMainURL(t, storetest.SQLiteURL(t), true)
	logins := smokeLogins(t, m)
	admin := m.token(logins[0]) // the site administrator comes first
	scmc, n95, gown := m.orgID(scmcName), m.itemID("N95"), m.itemID("GOWN")

	// One proposal, so that there is an allocation page: SCMC's gowns for
	// the open need of the hospital in Meknes.
	if r := m.call("POST", "/api/v1/organizations/"+scmc+"/stock/movements", admin,
		map[string]any{"item_id": gown, "kind": "adjustment", "delta": 400, "reason": "Gowns on hand for the page smoke test"}); r.Status != 201 {
		t.Fatalf("record SCMC's gowns: %d %s", r.Status, r.Body)
	}
	r := m.call("POST", "/api/v1/allocations", admin, map[string]any{"item_id": gown, "donor_ids": []string{scmc}})
	if r.Status != 201 {
		t.Fatalf("propose an allocation: %d %s", r.Status, r.Body)
	}
	proposal, _ := r.JSON["id"].(string)
	// One recruiting mission with an application, so that there are a
	// mission's and an application's pages whatever the demo holds.
	mission, application := smokeMission(t, m)

	// Commitments are listed under their partnership only: those of the
	// founding partnership of SCMC.
	var commitments []string
	r = m.call("GET", "/api/v1/partnerships?q=founding", admin, nil)
	for _, ps := range smokeItems(r) {
		for _, c := range smokeItems(m.call("GET", "/api/v1/partnerships/"+fmt.Sprint(ps["id"])+"/commitments", admin, nil)) {
			commitments = append(commitments, fmt.Sprint(c["id"]))
		}
	}
	indicator := smokeIndicator(t, m)
	data := readSmokeData(t, m, admin, map[string][]string{"allocations": {proposal}, "commitments": commitments, "applications": {application},
		"indicators": {indicator}})
	removeData := smokeDataRemover(data.strings)
	ids := map[string]string{
		"organizations": scmc,
		"items":         n95,
		"people":        smokeRecord(t, data, "people", "organization_id", scmc),
		"needs":         smokeRecord(t, data, "needs", "item_id", n95),
		"shipments":     smokeRecord(t, data, "shipments", "donor_id", scmc),
		"allocations":   proposal,
		"programs":      smokeRecord(t, data, "programs", "name", "Founding of Shanghai Children's Medical Center"),
		"partnerships":  smokeRecord(t, data, "partnerships", "name", "Founding partnership of SCMC: Shanghai and Project HOPE"),
		"missions":      mission,
		"applications":  application,

		"contributions": smokeRecord(t, data, "contributions", "kind", "money"),
		"activities":    smokeActivity(t, m),
		"outcomes":      smokeRecord(t, data, "outcomes", "title", "Tertiary class A hospital"),
		"events":        smokeRecord(t, data, "events", "title", "CMF and SCMC meeting on neonatal health"),
		"countries":     "MA", // a country report is filled with an ISO 3166-1 code, not an id
		"indicators":    indicator,
	}
	type page struct{ pattern, path string }
	var pages []page
	for _, rt := range web.Routes() {
		method, _, _ := strings.Cut(rt.Pattern, " ")
		if method != "GET" {
			continue
		}
		p, err := smokePath(rt.Pattern, ids)
		if err != nil {
			t.Errorf("route %s: %v", rt.Pattern, err)
			continue
		}
		pages = append(pages, page{rt.Pattern, p})
	}
	dataTime := time.Since(start)

	browser := startChromium(t, smokeTimeout)
	var failed smokeFailures
	// One tab in a browser context of its own per login, one login after
	// the other: on two CPUs, Chromium and the server are busy enough with
	// one tab that two at once take longer.
	for _, email := range logins {
		t.Run(email, func(t *testing.T) {
			loginStart := time.Now()
			tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
			defer cancel()
			if err := chromedp.Do(tab, chromedp.EmulateViewport(smokeWidth, smokeHeight)); err != nil {
				t.Fatalf("open a tab at %d×%d: %v", smokeWidth, smokeHeight, err)
			}
			pageErrors := smokeConsole(tab)
			c := &chrome{t: t, m: m, ctx: tab}
			c.login(email)
			for _, lang := range web.Languages {
				c.chooseLanguage(lang.Tag)
				for _, pg := range pages {
					problems := smokePage(c, pg.path, lang.Tag, removeData)
					for _, e := range pageErrors.take() {
						problems = append(problems, smokeProblem{"page error", e})
					}
					failed.add(pg.pattern, email+" "+lang.Tag, problems)
					if len(problems) == 0 {
						continue
					}
					lines := make([]string, len(problems))
					for i, p := range problems {
						lines[i] = p.kind + ": " + p.text
					}
					t.Errorf("%s %s (%s):\n\t%s", lang.Tag, pg.path, pg.pattern, strings.Join(lines, "\n\t"))
				}
			}
			t.Logf("%d languages × %d pages in %v", len(web.Languages), len(pages), time.Since(loginStart).Round(time.Millisecond))
		})
	}
	t.Logf("page smoke: %d pages (%d logins × %d languages × %d paths) in %v, of which reading the data %v",
		failed.pages, len(logins), len(web.Languages), len(pages), time.Since(start).Round(time.Millisecond), dataTime.Round(time.Millisecond))
	failed.log(t)
}

// smokeMission opens a recruiting team of Xinhua Hospital to Baoshan, far
// in the future so that nobody's dates overlap it, and registers the demo
// doctor for its cardiology place; it returns the ids of both.
func smokeMission(t *testing.T, m *testMain) (missionID, applicationID string) {
	t.Helper()
	ctx := context.Background()
	list, _, err := m.Store.ListPartnerships(ctx, domain.PartnershipFilter{Query: "Xinhua Hospital → Baoshan", Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatalf("the partnership of Xinhua Hospital and Baoshan: %v, %d found", err, len(list))
	}
	ps := list[0]
	people, _, err := m.Store.ListPeople(ctx, domain.PersonFilter{Query: "Demo Xinhua Doctor", OrganizationID: ps.ProviderID, Limit: 1})
	if err != nil || len(people) == 0 {
		t.Fatalf("the demo doctor of Xinhua Hospital: %v, %d found", err, len(people))
	}
	day := func(s string) domain.Date { d, _ := domain.ParseDate(s); return d }
	mi := domain.Mission{PartnershipID: ps.ID, Sequence: domain.MaxSequence, SendingID: ps.ProviderID, HostID: ps.RecipientID,
		StartsOn: day("2035-03-01"), EndsOn: day("2035-08-31"), FormationDeadline: day("2035-02-01"), Status: domain.MissionRecruiting,
		Slots: []domain.Slot{{Specialty: people[0].Specialty, Count: 2}}}
	if err := m.Store.CreateMission(ctx, store.Actor{}, &mi); err != nil {
		t.Fatalf("open a mission for the page smoke test: %v", err)
	}
	a := domain.Application{MissionID: mi.ID, SlotID: mi.Slots[0].ID, PersonID: people[0].ID, Note: "Registered for the page smoke test"}
	if err := m.Store.Register(ctx, store.Actor{}, &a); err != nil {
		t.Fatalf("register the demo doctor: %v", err)
	}
	return mi.ID, a.ID
}

// smokeFailures gathers the problems of all pages, for a summary.
type smokeFailures struct {
	pages int
	// byKind holds, per kind of problem, per page and problem, who saw it.
	byKind map[string]map[string][]string
}

// add records the problems of the page of a route as seen by who ("login
// language").
func (f *smokeFailures) add(route, who string, problems []smokeProblem) {
	f.pages++
	if f.byKind == nil {
		f.byKind = map[string]map[string][]string{}
	}
	for _, p := range problems {
		if f.byKind[p.kind] == nil {
			f.byKind[p.kind] = map[string][]string{}
		}
		key := route + ": " + p.text
		f.byKind[p.kind][key] = append(f.byKind[p.kind][key], who)
	}
}

// log logs the problems grouped by kind, each once with the logins and
// languages that saw it, for the people who fix them.
func (f *smokeFailures) log(t *testing.T) {
	t.Helper()
	if len(f.byKind) == 0 {
		return
	}
	var b strings.Builder
	for _, kind := range slices.Sorted(maps.Keys(f.byKind)) {
		fmt.Fprintf(&b, "\n%s (%d):", kind, len(f.byKind[kind]))
		for _, key := range slices.Sorted(maps.Keys(f.byKind[kind])) {
			who := f.byKind[kind][key]
			slices.Sort(who)
			if len(who) > 3 {
				who = append(who[:3:3], fmt.Sprintf("and %d more", len(who)-3))
			}
			fmt.Fprintf(&b, "\n  %s\n      seen by %s", key, strings.Join(who, ", "))
		}
	}
	t.Logf("failures by kind:%s", b.String())
}

// smokeLogins returns the demo logins the program printed when it loaded the
// demo data, the site administrator first.
func smokeLogins(t *testing.T, m *testMain) []string {
	t.Helper()
	out, ok := m.Out.(fmt.Stringer)
	if !ok {
		t.Fatalf("the program's output (%T) cannot be read back for the demo logins", m.Out)
	}
	var logins []string
	sc := bufio.NewScanner(strings.NewReader(out.String()))
	listing := false
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "Demo data loaded."):
			listing = true
		case listing && strings.HasPrefix(line, "  "):
			if f := strings.Fields(line); len(f) > 0 && strings.Contains(f[0], "@") {
				logins = append(logins, f[0])
			}
		default:
			listing = false
		}
	}
	if len(logins) == 0 {
		t.Fatalf("no demo logins in the program's output:\n%s", out)
	}
	return logins
}

// readSmokeData reads every GET operation of the API's OpenAPI document as
// the holder of token: first the lists that need nothing, then those that
// need an organization, then the records and their sub-lists, each for every
// record of its kind (extra gives records of kinds no list returns, such as
// proposals). It gathers every string value of the answers.
func readSmokeData(t *testing.T, m *testMain, token string, extra map[string][]string) smokeData {
	t.Helper()
	r := m.call("GET", "/api/openapi.json", "", nil)
	if r.Status != 200 {
		t.Fatalf("OpenAPI document: %d", r.Status)
	}
	type param struct {
		Name     string `json:"name"`
		In       string `json:"in"`
		Required bool   `json:"required"`
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []param `json:"parameters"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatalf("OpenAPI document: %v", err)
	}
	type op struct {
		path   string
		params []param
		stage  int // 0: needs nothing; 1: needs a record in its query; 2: in its path
	}
	var ops []op
	for path, item := range doc.Paths {
		get, ok := item["get"]
		if !ok {
			continue
		}
		o := op{path: path, params: get.Parameters}
		for _, p := range get.Parameters {
			switch {
			case p.In == "path":
				o.stage = 2
			case p.In == "query" && p.Required:
				o.stage = max(o.stage, 1)
			}
		}
		ops = append(ops, o)
	}
	slices.SortFunc(ops, func(a, b op) int {
		return cmp.Or(cmp.Compare(a.stage, b.stage), cmp.Compare(a.path, b.path))
	})

	d := smokeData{strings: map[string]bool{}, records: map[string][]map[string]any{}}
	seen := map[string]map[string]bool{}
	for kind, ids := range extra {
		for _, id := range ids {
			d.records[kind] = append(d.records[kind], map[string]any{"id": id})
		}
	}
	idsOf := func(kind string) []string {
		var ids []string
		for _, rec := range d.records[kind] {
			if id, ok := rec["id"].(string); ok && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		return ids
	}
	// read gets path with query, page after page, and keeps what it says;
	// the items of a top-level list are the records of its kind.
	read := func(path string, query url.Values, pager string) {
		kind, rest, _ := strings.Cut(strings.TrimPrefix(path, "/api/v1/"), "/")
		for range 100 {
			target := path
			if len(query) > 0 {
				target += "?" + query.Encode()
			}
			r := m.call("GET", target, token, nil)
			switch {
			case r.Status >= 500:
				t.Errorf("API GET %s: status %d: %s", target, r.Status, r.Body)
				return
			case r.Status != 200:
				t.Logf("API GET %s: status %d", target, r.Status)
				return
			}
			var v any
			if err := json.Unmarshal(r.Body, &v); err != nil {
				t.Errorf("API GET %s: %v", target, err)
				return
			}
			smokeStrings(v, d.strings)
			body, _ := v.(map[string]any)
			if items, ok := body["items"].([]any); ok && rest == "" {
				if seen[kind] == nil {
					seen[kind] = map[string]bool{}
				}
				for _, it := range items {
					rec, _ := it.(map[string]any)
					if id, _ := rec["id"].(string); id != "" && !seen[kind][id] {
						seen[kind][id] = true
						d.records[kind] = append(d.records[kind], rec)
					}
				}
			}
			next, _ := body["next_cursor"].(string)
			if next == "" || pager == "" {
				return
			}
			query = cloneValues(query)
			query.Set(pager, next)
		}
		t.Errorf("API GET %s: more than 100 pages", path)
	}
	for _, o := range ops {
		query := url.Values{}
		pager := ""
		var fill []string // required query parameters
		for _, p := range o.params {
			switch {
			case p.In == "query" && p.Name == "limit":
				query.Set("limit", "200")
			case p.In == "query" && (p.Name == "cursor" || p.Name == "before"):
				pager = p.Name
			case p.In == "query" && p.Required:
				fill = append(fill, p.Name)
			}
		}
		switch o.stage {
		case 0:
			read(o.path, query, pager)
		case 1:
			if len(fill) != 1 || smokeQueryKinds[fill[0]] == "" {
				t.Errorf("API GET %s: the test does not know how to fill the query parameters %v: add them to smokeQueryKinds", o.path, fill)
				continue
			}
			for _, id := range idsOf(smokeQueryKinds[fill[0]]) {
				q := cloneValues(query)
				q.Set(fill[0], id)
				read(o.path, q, pager)
			}
		case 2:
			kind, rest, _ := strings.Cut(strings.TrimPrefix(o.path, "/api/v1/"), "/")
			if kind == "reports" {
				// A report is of the kind of record its next segment names;
				// a country's, of a country code.
				kind, _, _ = strings.Cut(rest, "/")
				if kind == "countries" && strings.Contains(o.path, "{code}") {
					for _, code := range []string{"MA", "CN", "US"} {
						read(strings.Replace(o.path, "{code}", code, 1), query, pager)
					}
					continue
				}
			}
			if strings.Count(o.path, "{") != 1 || !strings.Contains(o.path, "{id}") || len(idsOf(kind)) == 0 {
				t.Errorf("API GET %s: the test does not know which records to read it for", o.path)
				continue
			}
			for _, id := range idsOf(kind) {
				read(strings.Replace(o.path, "{id}", url.PathEscape(id), 1), query, pager)
			}
		}
	}
	return d
}

// smokeStrings adds the string values in v, at any depth, to out, with their
// white space collapsed as a page shows it.
func smokeStrings(v any, out map[string]bool) {
	switch v := v.(type) {
	case string:
		if s := strings.Join(strings.Fields(v), " "); len(s) >= 2 {
			out[s] = true
		}
	case []any:
		for _, x := range v {
			smokeStrings(x, out)
		}
	case map[string]any:
		for _, x := range v {
			smokeStrings(x, out)
		}
	}
}

// smokeItems returns the items of a list the API answered.
func smokeItems(r response) []map[string]any {
	var out []map[string]any
	items, _ := r.JSON["items"].([]any)
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// smokeRecord returns the id of the first record of kind whose field holds
// value.
func smokeRecord(t *testing.T, d smokeData, kind, field, value string) string {
	t.Helper()
	for _, rec := range d.records[kind] {
		if rec[field] == value {
			if id, ok := rec["id"].(string); ok {
				return id
			}
		}
	}
	t.Fatalf("the API lists no %s with %s %s", kind, field, value)
	return ""
}

// smokePath returns the path of a route pattern with its parameter filled
// with the record of the kind its first path segment names.
func smokePath(pattern string, ids map[string]string) (string, error) {
	_, path, _ := strings.Cut(pattern, " ")
	path = strings.TrimSuffix(path, "{$}")
	kind, rest, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	// A report is of the kind of record its second segment names.
	if kind == "reports" {
		kind, _, _ = strings.Cut(rest, "/")
	}
	var err error
	path = regexp.MustCompile(`\{[^}]*\}`).ReplaceAllStringFunc(path, func(p string) string {
		id, ok := ids[kind]
		if (p != "{id}" && p != "{code}") || !ok {
			err = fmt.Errorf("the test does not know how to fill %s on %s pages: add a record of that kind to the ids of TestPageSmoke", p, kind)
			return p
		}
		return url.PathEscape(id)
	})
	return path, err
}

var (
	latinLetter = regexp.MustCompile(`[A-Za-z]`)
	codeWord    = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// smokeDataRemover returns a function that replaces each data string (and
// each allowed word) in a text by "¶", longest first and as whole words, so
// that what is left is the page's own text.
func smokeDataRemover(data map[string]bool) func(string) string {
	var words []string
	for s := range data {
		// Only strings with Latin letters can hide a Latin phrase. A single
		// lower-case word is a code (a status, a kind, a role, a unit): a
		// page translates it or shows it alone, and taking it out of the
		// page's text would only cut the page's own sentences short.
		if latinLetter.MatchString(s) && !codeWord.MatchString(s) {
			words = append(words, s)
		}
	}
	for s := range smokeAllowed {
		words = append(words, s)
	}
	slices.SortFunc(words, func(a, b string) int { return cmp.Or(cmp.Compare(len(b), len(a)), cmp.Compare(a, b)) })
	isWord := func(b byte) bool { return b == '_' || b >= '0' && b <= '9' || b|0x20 >= 'a' && b|0x20 <= 'z' }
	alts := make([]string, len(words))
	for i, w := range words {
		alts[i] = regexp.QuoteMeta(w)
		if isWord(w[0]) {
			alts[i] = `\b` + alts[i]
		}
		if isWord(w[len(w)-1]) {
			alts[i] += `\b`
		}
	}
	re := regexp.MustCompile(strings.Join(alts, "|"))
	return func(s string) string { return re.ReplaceAllLiteralString(s, "¶") }
}

// chooseLanguage switches the language with the header's form, as a browser
// without JavaScript would, and checks that the page now is in it.
func (c *chrome) chooseLanguage(tag string) {
	c.t.Helper()
	if st := c.open("/"); st != 200 {
		c.t.Fatalf("home page: status %d", st)
	}
	c.do("choose "+tag, chromedp.Evaluate[chromedp.Void](`document.getElementById("lang").value = `+jsString(tag)))
	if st := c.click("#lang-go"); st != 200 {
		c.t.Fatalf("switch to %s: status %d", tag, st)
	}
	if got := eval[string](c, `document.documentElement.lang`); got != tag {
		c.t.Fatalf("after switching to %s the page is in %q", tag, got)
	}
}

// smokePage loads path and returns what is wrong with it.
func smokePage(c *chrome, path, lang string, removeData func(string) string) []smokeProblem {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, smokePageTimeout)
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(c.m.URL()+path))
	if err != nil {
		return []smokeProblem{{"load", err.Error()}}
	}
	var out []smokeProblem
	add := func(kind, format string, args ...any) {
		// Addresses differ from run to run: without them the same
		// problem reads the same for every login.
		text := pointer.ReplaceAllString(fmt.Sprintf(format, args...), "0x…")
		out = append(out, smokeProblem{kind, text})
	}
	switch st := res.Status; {
	case st >= 500:
		add("server error", "status %d", st)
	case st == 403 || st == 404:
		c.t.Logf("%s %s: status %d", lang, path, st)
	case st != 200:
		add("status", "status %d", st)
	}
	snap, err := chromedp.Run(ctx, chromedp.Evaluate[smokeSnapshot](fmt.Sprintf(smokeSnapshotJS, smokeWidth)))
	if err != nil {
		return append(out, smokeProblem{"load", "read the page: " + err.Error()})
	}
	if strings.HasPrefix(snap.Location, "/login") {
		add("signed out", "a signed-in user was sent to %s", snap.Location)
	}
	if snap.Lang != lang {
		add("language", "the page is in %q", snap.Lang)
	}

	text := strings.Join(snap.Texts, "\n")
	for _, a := range smokeArtifacts {
		if i := strings.Index(text, a.text); i >= 0 {
			add("artifact", "%s: %q", a.what, around(text, i, len(a.text)))
		} else if i := strings.Index(snap.HTML, a.text); i >= 0 {
			add("artifact", "%s, in the HTML: %q", a.what, around(snap.HTML, i, len(a.text)))
		}
	}
	var pointers []string
	for _, n := range snap.Numbers {
		if strings.Contains(n, "0x") {
			pointers = append(pointers, n)
		}
	}
	if len(pointers) > 0 {
		add("artifact", "%d of %d number cells show a pointer, such as %q", len(pointers), len(snap.Numbers), pointers[0])
	}

	seen := map[string]bool{}
	for _, s := range snap.Texts {
		own := removeData(s)
		for _, id := range messageID.FindAllString(tokenShown.ReplaceAllString(own, ""), -1) {
			if !seen[id] {
				seen[id] = true
				add("message id", "%q in %q", id, s)
			}
		}
		if lang == "zh-CN" && latinRun.MatchString(own) && !seen[s] {
			seen[s] = true
			add("english", "%q", s)
		}
	}

	if snap.ScrollWidth > smokeWidth {
		add("too wide", "%d px wide: %s", snap.ScrollWidth, snap.Widest)
	}
	return out
}

// around returns the text around s[i:i+n], for a message.
func around(s string, i, n int) string {
	from, to := max(0, i-40), min(len(s), i+n+40)
	return strings.ToValidUTF8(s[from:to], "")
}

// smokeErrors collects the errors the pages of one tab report: uncaught
// exceptions, console.error calls and CSP violations.
type smokeErrors struct {
	mu   sync.Mutex
	msgs []string
}

func smokeConsole(tab context.Context) *smokeErrors {
	e := &smokeErrors{}
	go func() {
		for msg, err := range chromedp.Console(tab) {
			if err != nil {
				return
			}
			if msg.IsException() || msg.Source == "security" || msg.Type == chromedp.ConsoleError && msg.Source == "" {
				e.mu.Lock()
				e.msgs = append(e.msgs, fmt.Sprintf("%s:%d %s", msg.URL, msg.Line+1, msg.Text))
				e.mu.Unlock()
			}
		}
	}()
	return e
}

// take returns the errors reported since the last call.
func (e *smokeErrors) take() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.msgs
	e.msgs = nil
	return out
}
