package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
	"aidbridge/internal/store/storetest"
	"aidbridge/internal/web"
)

// The authorization matrix: one row per action (matrix_directory_test.go,
// matrix_supply_test.go, matrix_accounts_test.go), each saying who may do it
// and how it is done over the API and on the pages; every subject below does
// every action of every row. This file holds the subjects, the fixture they
// act on and the test that walks the rows.

// subject is who makes a request in the authorization matrix: a role held
// inside the organization the request is about (SCMC), the same role held in
// another organization (Seattle Children's), a site administrator, or nobody.
// A role held for one department (a screener's) is held for SCMC's
// department A, the department of the records the rows are about, or for
// its department B.
type subject struct {
	name       string
	role       domain.Role
	inside     bool
	department string // for a role held for a department: "A" or "B" of SCMC, "seattle" outside
	siteAdmin  bool
	anonymous  bool
}

func (s subject) String() string { return s.name }

// departmentRoles are the roles held for one department of an organization
// rather than for all of it.
var departmentRoles = []domain.Role{domain.RoleScreener}

var subjects = func() []subject {
	out := []subject{{name: "anonymous", anonymous: true}, {name: "site-admin", siteAdmin: true}}
	for _, r := range domain.Roles {
		in := subject{name: string(r) + "-inside", role: r, inside: true}
		outside := subject{name: string(r) + "-outside", role: r}
		if slices.Contains(departmentRoles, r) {
			in.department, outside.department = "A", "seattle"
			other := subject{name: string(r) + "-other-department", role: r, inside: true, department: "B"}
			out = append(out, in, other, outside)
			continue
		}
		out = append(out, in, outside)
	}
	return out
}()

// subjectNamed returns the subject of that name.
func subjectNamed(t testing.TB, name string) subject {
	t.Helper()
	for _, s := range subjects {
		if s.name == name {
			return s
		}
	}
	t.Fatalf("no subject %q", name)
	return subject{}
}

// who says which subjects a row lets through. It is written out by hand,
// apart from the policy code, so that the test checks the policy rather than
// repeating it.
type who struct {
	anySignedIn   bool
	siteAdmin     bool
	inside        []domain.Role // roles that pass when held in SCMC, for any department
	ownDepartment []domain.Role // roles that pass only when held for SCMC's department A, the record's
	anywhere      []domain.Role // roles that pass wherever they are held
}

func (w who) allows(s subject) bool {
	switch {
	case s.anonymous:
		return false
	case w.anySignedIn:
		return true
	case s.siteAdmin:
		return w.siteAdmin
	case slices.Contains(w.anywhere, s.role):
		return true
	case s.inside && slices.Contains(w.inside, s.role):
		return true
	case s.inside && s.department == "A" && slices.Contains(w.ownDepartment, s.role):
		return true
	}
	return false
}

var (
	anyone        = who{anySignedIn: true}
	siteOnly      = who{siteAdmin: true}
	adminsInside  = who{siteAdmin: true, inside: []domain.Role{domain.RoleAdmin}}
	editorsInside = who{siteAdmin: true, inside: []domain.Role{domain.RoleAdmin, domain.RoleCoordinator}}
	editorsAny    = who{siteAdmin: true, anywhere: []domain.Role{domain.RoleAdmin, domain.RoleCoordinator}}
	membersInside = who{siteAdmin: true, inside: domain.Roles}
)

// row is one action of the matrix: what is done, who may do it, and the
// calls that do it over the API and on the pages. A surface without calls
// says why.
type row struct {
	action string
	who    who
	api    surface
	page   surface
}

// surface is how an action is done over one interface: its calls in order
// (a form and its submission, say), or why there is none.
type surface struct {
	calls []call
	none  string
}

// calls is a surface made of these calls.
func calls(cs ...call) surface { return surface{calls: cs} }

// none is a surface on which the action does not exist, and why.
func none(why string) surface { return surface{none: why} }

// call is one request: the route it reaches ("METHOD /pattern", as the API
// document or web.Routes() name it), the status an allowed subject gets,
// and the request, made afresh for each subject.
type call struct {
	route string
	ok    int
	req   func(f *fixture, s subject) request
}

// request is a path, with its query, and a body: JSON for the API,
// url.Values for a page's POST, nil for none.
type request struct {
	path string
	body any
}

func (c call) method() string { m, _, _ := strings.Cut(c.route, " "); return m }

// get is a GET of the path made from the fixture; an allowed subject gets 200.
func get(route string, path func(f *fixture) string) call {
	return call{route: route, ok: http.StatusOK, req: func(f *fixture, _ subject) request { return request{path: path(f)} }}
}

// send is a call whose request is made from the fixture.
func send(route string, ok int, req func(f *fixture) request) call {
	return call{route: route, ok: ok, req: func(f *fixture, _ subject) request { return req(f) }}
}

// sendAs is a call whose request depends on who sends it.
func sendAs(route string, ok int, req func(f *fixture, s subject) request) call {
	return call{route: route, ok: ok, req: req}
}

// at is a fixed path.
func at(path string) func(*fixture) string { return func(*fixture) string { return path } }

// scmcPath is a path under SCMC's organization path, API or page.
func scmcPath(prefix, suffix string) func(f *fixture) string {
	return func(f *fixture) string { return prefix + "/organizations/" + f.scmc + suffix }
}

// matrixRows returns every row, each capability's in turn.
func matrixRows() []row {
	return slices.Concat(directoryRows(), supplyRows(), partnershipRows(), missionRows(), outcomeRows(), contributionRows(), eventRows(), accountRows(), activityRows(), reportGeoRows(), indicatorRows(), lastRows())
}

// withoutRow are the page routes that need no row, each with the reason:
// they are how one signs in and out, open to everyone, with no
// authorization to check. (Static files are served by web.Register outside
// the route table, and need no row either.)
var withoutRow = map[string]string{
	"GET /login":     "the sign-in form, shown to everyone",
	"POST /login":    "signing in, which is what makes a subject",
	"POST /logout":   "signing out ends the caller's own session and nothing else",
	"POST /language": "sets the reader's language cookie, nothing stored",
}

// routeTables are the routes the program has: the API's operations, from its
// OpenAPI document, and the pages, from web.Routes(); each a mux that says
// which route a request reaches.
type routeTables struct {
	api, pages         *http.ServeMux
	apiList, pagesList []string
}

func newRouteTables(t *testing.T, f *fixture) routeTables {
	t.Helper()
	rt := routeTables{api: http.NewServeMux(), pages: http.NewServeMux()}
	doc := f.m.call("GET", "/api/openapi.json", "", nil)
	paths, ok := doc.JSON["paths"].(map[string]any)
	if doc.Status != http.StatusOK || !ok {
		t.Fatalf("openapi document: %d %.200s", doc.Status, doc.Body)
	}
	nothing := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	for path, item := range paths {
		for method := range item.(map[string]any) {
			method = strings.ToUpper(method)
			if !slices.Contains([]string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"}, method) {
				continue // parameters or a description of the path, not an operation
			}
			route := method + " " + path
			rt.api.Handle(route, nothing)
			rt.apiList = append(rt.apiList, route)
		}
	}
	for _, r := range web.Routes() {
		rt.pages.Handle(r.Pattern, nothing)
		rt.pagesList = append(rt.pagesList, r.Pattern)
	}
	slices.Sort(rt.apiList)
	return rt
}

// reaches returns the route a request of method to path reaches on mux.
func reaches(mux *http.ServeMux, method, path string) string {
	_, pattern := mux.Handler(httptest.NewRequest(method, path, nil))
	return pattern
}

// checkRows fails for a route no row calls (unless withoutRow lists it),
// for a row that calls a route that does not exist or leaves a surface
// unsaid, and for a sign-in flag that disagrees with withoutRow.
func checkRows(t *testing.T, rows []row, rt routeTables) {
	t.Helper()
	called := map[string]bool{}
	actions := map[string]bool{}
	for _, r := range rows {
		if actions[r.action] {
			t.Errorf("two rows for the action %q", r.action)
		}
		actions[r.action] = true
		for _, sf := range []struct {
			name   string
			s      surface
			routes []string
		}{{"API", r.api, rt.apiList}, {"page", r.page, rt.pagesList}} {
			switch {
			case len(sf.s.calls) == 0 && sf.s.none == "":
				t.Errorf("%s: the row has no %s call and does not say why", r.action, sf.name)
			case len(sf.s.calls) > 0 && sf.s.none != "":
				t.Errorf("%s: the row has %s calls and says there are none", r.action, sf.name)
			}
			for _, c := range sf.s.calls {
				if !slices.Contains(sf.routes, c.route) {
					t.Errorf("%s: %s route %s does not exist", r.action, sf.name, c.route)
				}
				called[c.route] = true
			}
		}
		if len(r.api.calls)+len(r.page.calls) == 0 {
			t.Errorf("%s: the row calls nothing", r.action)
		}
	}
	for _, route := range rt.apiList {
		if !called[route] {
			t.Errorf("API route %s has no row in the authorization matrix", route)
		}
	}
	for _, r := range web.Routes() {
		_, public := withoutRow[r.Pattern]
		if !called[r.Pattern] && !public {
			t.Errorf("page route %s has no row in the authorization matrix", r.Pattern)
		}
		if public && called[r.Pattern] {
			t.Errorf("page route %s has a row and is listed as needing none", r.Pattern)
		}
		switch {
		case public && r.SignedIn:
			t.Errorf("page route %s is listed as needing no row but wants a signed-in user", r.Pattern)
		case !public && !r.SignedIn:
			t.Errorf("page route %s is open without signing in but not listed as needing no row", r.Pattern)
		}
	}
	for route := range withoutRow {
		if !slices.Contains(rt.pagesList, route) {
			t.Errorf("%s is listed as needing no row but is no page route", route)
		}
	}
}

// TestAuthorizationMatrix does every action of every row as every subject,
// over the API and on the pages: allowed calls get the call's status,
// refused ones 403 (401 over the API, the login page on the pages, for
// nobody signed in). Every route of the API and of the pages must have a
// row.
func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	rows := matrixRows()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			f := newFixture(t, b)
			rt := newRouteTables(t, f)
			checkRows(t, rows, rt)
			for _, r := range rows {
				for _, s := range subjects {
					allowed := r.who.allows(s)
					for _, c := range r.api.calls {
						f.checkCall(t, r, c, s, allowed, rt.api, true)
					}
					for _, c := range r.page.calls {
						f.checkCall(t, r, c, s, allowed, rt.pages, false)
					}
				}
			}
		})
	}
}

// checkCall makes call c of row r as subject s, over the API or on the
// pages, and checks it reached its route and got the status it should.
func (f *fixture) checkCall(t *testing.T, r row, c call, s subject, allowed bool, mux *http.ServeMux, api bool) {
	t.Helper()
	rq := c.req(f, s)
	if got := reaches(mux, c.method(), rq.path); got != c.route {
		t.Errorf("%s: %s %s reaches %q, not the row's %s", r.action, c.method(), rq.path, got, c.route)
		return
	}
	want := c.ok
	switch {
	case allowed:
	case s.anonymous && api:
		want = http.StatusUnauthorized
	case s.anonymous:
		want = http.StatusSeeOther // to the login page
	default:
		want = http.StatusForbidden
	}
	var res response
	switch {
	case api:
		res = f.m.call(c.method(), rq.path, f.tokens[s.name], rq.body)
	case c.method() == http.MethodGet && rq.body == nil:
		res = f.browsers[s.name].get(rq.path)
	case c.method() == http.MethodPost:
		form, ok := rq.body.(url.Values)
		if !ok && rq.body != nil {
			t.Fatalf("%s: page call %s has a body of %T, not a form", r.action, c.route, rq.body)
		}
		res = f.browsers[s.name].post(rq.path, form)
	default:
		t.Fatalf("%s: a page call is a GET without a body or a POST of a form, not %s", r.action, c.route)
	}
	if res.Status != want {
		t.Errorf("%s: %s as %s: status %d, want %d: %.300s", r.action, c.route, s, res.Status, want, excerpt(res.Body))
	}
	if !api && s.anonymous && res.Status == http.StatusSeeOther && !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Errorf("%s: %s as nobody: redirected to %q, want the login page", r.action, c.route, res.Header.Get("Location"))
	}
}

// excerpt is the part of an answer worth showing: a page from its main
// content on, past the head that every page shares.
func excerpt(body []byte) []byte {
	if i := bytes.Index(body, []byte("<main")); i >= 0 {
		return body[i:]
	}
	return body
}

// TestMatrixWho checks the matrix's own reading of who, the department
// dimension above all: a role held for a department passes rows open to the
// role in the organization whatever its department, and rows kept to the
// record's department only from that department.
func TestMatrixWho(t *testing.T) {
	t.Parallel()
	screeners := []domain.Role{domain.RoleScreener}
	for _, tc := range []struct {
		who  who
		name string
		want bool
	}{
		{who{inside: screeners}, "screener-inside", true},
		{who{inside: screeners}, "screener-other-department", true},
		{who{inside: screeners}, "screener-outside", false},
		{who{ownDepartment: screeners}, "screener-inside", true},
		{who{ownDepartment: screeners}, "screener-other-department", false},
		{who{ownDepartment: screeners}, "screener-outside", false},
		{who{ownDepartment: screeners}, "admin-inside", false},
		{who{anywhere: screeners}, "screener-outside", true},
		{anyone, "anonymous", false},
		{anyone, "viewer-outside", true},
		{siteOnly, "site-admin", true},
		{siteOnly, "admin-inside", false},
		{editorsInside, "coordinator-outside", false},
		{membersInside, "screener-other-department", true},
	} {
		if got := tc.who.allows(subjectNamed(t, tc.name)); got != tc.want {
			t.Errorf("%+v lets %s through: %v, want %v", tc.who, tc.name, got, tc.want)
		}
	}
}

// fixture is what the matrix works on.
type fixture struct {
	m           *testMain
	scmc        string
	seattle     string
	hope        string            // a third organization, party to neither side
	departments map[string]string // department id by subject department: SCMC's "A" and "B", "seattle"
	person      string            // a person of SCMC's department A
	item        string
	tokens      map[string]string   // API token per subject
	browsers    map[string]*browser // signed-in browser per subject
	seq         atomic.Int64
}

func (f *fixture) unique(prefix string) string { return fmt.Sprintf("%s %d", prefix, f.seq.Add(1)) }

var system = store.Actor{}

func newFixture(t *testing.T, b storetest.Backend) *fixture {
	m := startMain(t, b)
	f := &fixture{m: m, scmc: m.orgID("Shanghai Children's Medical Center"), seattle: m.orgID("Seattle Children's Hospital"),
		hope: m.orgID("Project HOPE"), departments: map[string]string{}, tokens: map[string]string{}, browsers: map[string]*browser{}}
	ctx := context.Background()
	for key, org := range map[string]string{"A": f.scmc, "B": f.scmc, "seattle": f.seattle} {
		d := domain.Department{OrganizationID: org, Name: "Matrix screening " + key}
		if err := m.Store.CreateDepartment(ctx, system, &d); err != nil {
			t.Fatal(err)
		}
		f.departments[key] = d.ID
	}
	for _, s := range subjects {
		if s.anonymous {
			f.browsers[s.name] = m.anonymousBrowser()
			continue
		}
		u := domain.User{Email: email(s), Name: s.name, SiteAdmin: s.siteAdmin}
		if !s.siteAdmin {
			org := f.seattle
			if s.inside {
				org = f.scmc
			}
			u.Memberships = []domain.Membership{{OrganizationID: org, Role: s.role, DepartmentID: f.departments[s.department]}}
		}
		if err := m.Accounts.CreateUser(ctx, nil, &u, "aidbridge-demo"); err != nil {
			t.Fatal(err)
		}
		f.tokens[s.name] = m.token(u.Email)
		f.browsers[s.name] = m.login(u.Email)
	}
	f.person = f.newPerson()
	f.item = f.newItem()
	return f
}

func email(s subject) string { return s.name + "@matrix.example.org" }

// newPerson creates a person of SCMC's department A.
func (f *fixture) newPerson() string {
	p := domain.Person{OrganizationID: f.scmc, DepartmentID: f.departments["A"], Name: f.unique("Matrix Person")}
	if err := f.m.Store.CreatePerson(context.Background(), system, &p); err != nil {
		f.m.t.Fatal(err)
	}
	return p.ID
}

func (f *fixture) newItem() string {
	it := domain.Item{Code: strings.ReplaceAll(f.unique("MX"), " ", "-"), Name: f.unique("Matrix item"), Category: "other", Unit: "piece"}
	if err := f.m.Store.CreateItem(context.Background(), system, &it); err != nil {
		f.m.t.Fatal(err)
	}
	return it.ID
}

func (f *fixture) newDepartment() string {
	d := domain.Department{OrganizationID: f.scmc, Name: f.unique("Matrix department")}
	if err := f.m.Store.CreateDepartment(context.Background(), system, &d); err != nil {
		f.m.t.Fatal(err)
	}
	return d.ID
}

func (f *fixture) orgVersion(id string) int64 {
	o, err := f.m.Store.FindOrganization(context.Background(), id)
	if err != nil {
		f.m.t.Fatal(err)
	}
	return o.Version
}

func (f *fixture) personVersion(id string) int64 {
	p, err := f.m.Store.FindPerson(context.Background(), id)
	if err != nil {
		f.m.t.Fatal(err)
	}
	return p.Version
}

// newUser creates a user, with a viewer membership in SCMC when asked, and
// returns its id and email.
func (f *fixture) newUser(viewer bool) (string, string) {
	u := domain.User{Email: strings.ReplaceAll(f.unique("user"), " ", "") + "@matrix.example.org", Name: f.unique("Matrix user")}
	if viewer {
		u.Memberships = []domain.Membership{{OrganizationID: f.scmc, Role: domain.RoleViewer}}
	}
	if err := f.m.Store.CreateUser(context.Background(), system, &u, "unused"); err != nil {
		f.m.t.Fatal(err)
	}
	return u.ID, u.Email
}

// newNeed posts a need of organization org for 100 units of the fixture's item.
func (f *fixture) newNeed(org string) string {
	n := domain.Need{OrganizationID: org, ItemID: f.item, Quantity: 100, Urgency: domain.UrgencyHigh}
	if err := f.m.Store.CreateNeed(context.Background(), system, &n); err != nil {
		f.m.t.Fatal(err)
	}
	return n.ID
}

// newPledge pledges 10 units from donor to a new need of recipient,
// accepted when asked.
func (f *fixture) newPledge(donor, recipient string, accepted bool) string {
	ctx := context.Background()
	p := domain.Pledge{NeedID: f.newNeed(recipient), DonorID: donor, Quantity: 10}
	if err := f.m.Store.CreatePledge(ctx, system, &p); err != nil {
		f.m.t.Fatal(err)
	}
	if accepted {
		if _, err := f.m.Store.AcceptPledge(ctx, system, p.ID); err != nil {
			f.m.t.Fatal(err)
		}
	}
	return p.ID
}

// newShipment prepares a shipment of 10 units from donor to recipient,
// dispatched when asked.
func (f *fixture) newShipment(donor, recipient string, dispatched bool) domain.Shipment {
	ctx := context.Background()
	sh := domain.Shipment{DonorID: donor, Lines: []domain.ShipmentLine{{PledgeID: f.newPledge(donor, recipient, true), Quantity: 10}}}
	if err := f.m.Store.CreateShipment(ctx, system, &sh); err != nil {
		f.m.t.Fatal(err)
	}
	if dispatched {
		var err error
		if sh, err = f.m.Store.DispatchShipment(ctx, system, sh.ID, sh.Version); err != nil {
			f.m.t.Fatal(err)
		}
	}
	return sh
}

// proposal has the site administrator propose allocating 10 units of SCMC's
// stock to a new need of Seattle Children's, and returns the proposal's id.
func (f *fixture) proposal() string {
	ctx := context.Background()
	m := domain.StockMovement{OrganizationID: f.scmc, ItemID: f.item, Kind: domain.MoveAdjustment, Delta: 10, Reason: "for the matrix"}
	if err := f.m.Store.RecordStock(ctx, system, &m); err != nil {
		f.m.t.Fatal(err)
	}
	f.newNeed(f.seattle)
	admin, err := f.m.Accounts.FindUserByEmail(ctx, "site-admin@matrix.example.org")
	if err != nil {
		f.m.t.Fatal(err)
	}
	a, err := f.m.Supply.Propose(ctx, &admin, domain.AllocationFilter{ItemID: f.item, DonorIDs: []string{f.scmc}}, "cheapest")
	if err != nil || len(a.Lines) == 0 {
		f.m.t.Fatalf("proposal: %+v %v", a, err)
	}
	return a.ID
}

// ownTokenID makes an API token of the subject's own and returns its id;
// nobody signed in has none, and gets a made-up id.
func (f *fixture) ownTokenID(s subject) string {
	if s.anonymous {
		return "none"
	}
	u, err := f.m.Accounts.FindUserByEmail(context.Background(), email(s))
	if err != nil {
		f.m.t.Fatal(err)
	}
	t, _, err := f.m.Accounts.CreateToken(context.Background(), nil, u.ID, "matrix")
	if err != nil {
		f.m.t.Fatal(err)
	}
	return t.ID
}

// orgValuesForTest is the edit form of an organization as a browser sends it.
func orgValuesForTest(o domain.Organization) url.Values {
	v := url.Values{"name": {o.Name}, "kind": {string(o.Kind)}, "country": {o.Country}, "subdivision": {o.Subdivision}, "city": {o.City},
		"parent_id": {o.ParentID}, "parent_relation": {o.ParentRelation}, "website": {o.Website}, "version": {strconv.FormatInt(o.Version, 10)}}
	for k, p := range map[string]*int64{"beds_total": o.BedsTotal, "beds_in_service": o.BedsInService, "clinical_departments": o.ClinicalDepartments} {
		if p != nil {
			v.Set(k, strconv.FormatInt(*p, 10))
		}
	}
	if o.Latitude != nil {
		v.Set("latitude", strconv.FormatFloat(*o.Latitude, 'f', -1, 64))
		v.Set("longitude", strconv.FormatFloat(*o.Longitude, 'f', -1, 64))
	}
	for _, a := range o.Accreditations {
		v.Add("acc_kind", a.Kind)
		v.Add("acc_name", a.Name)
		v.Add("acc_by", a.GrantedBy)
		v.Add("acc_on", a.GrantedOn.String())
	}
	return v
}
