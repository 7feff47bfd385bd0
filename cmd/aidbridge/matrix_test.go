package main

import (
	"context"
	"fmt"
	"net/http"
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

// subject is who makes a request in the authorization matrix: a role held
// inside the organization the request is about (SCMC), the same role held in
// another organization (Seattle Children's), a site administrator, or nobody.
type subject struct {
	name      string
	role      domain.Role
	inside    bool
	siteAdmin bool
	anonymous bool
}

func (s subject) String() string { return s.name }

var subjects = func() []subject {
	out := []subject{{name: "anonymous", anonymous: true}, {name: "site-admin", siteAdmin: true}}
	for _, r := range domain.Roles {
		out = append(out, subject{name: string(r) + "-inside", role: r, inside: true}, subject{name: string(r) + "-outside", role: r})
	}
	return out
}()

// who says which subjects a route lets through. It is written out by hand,
// apart from the policy code, so that the test checks the policy rather than
// repeating it.
type who struct {
	anySignedIn bool
	siteAdmin   bool
	inside      []domain.Role // roles that pass when held in SCMC
	anywhere    []domain.Role // roles that pass wherever they are held
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

// fixture is what the matrix works on.
type fixture struct {
	m        *testMain
	scmc     string
	seattle  string
	hope     string // a third organization, party to neither side
	person   string // a person of SCMC
	item     string
	tokens   map[string]string   // API token per subject
	browsers map[string]*browser // signed-in browser per subject
	seq      atomic.Int64
}

func (f *fixture) unique(prefix string) string { return fmt.Sprintf("%s %d", prefix, f.seq.Add(1)) }

var system = store.Actor{}

func (f *fixture) newPerson() string {
	p := domain.Person{OrganizationID: f.scmc, Name: f.unique("Matrix Person")}
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

// newToken makes a token of the subject's own, for the token routes.
func (f *fixture) ownTokenID(s subject) string {
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

func email(s subject) string { return s.name + "@matrix.example.org" }

// apiCase is one API route: how to call it as a subject, who may, and the
// status an allowed call gets.
type apiCase struct {
	route string // "METHOD /path" as in the OpenAPI document
	who   who
	ok    int
	call  func(f *fixture, tok string) response
}

func apiCases() []apiCase {
	orgBody := func(f *fixture) map[string]any {
		return map[string]any{"name": f.unique("Matrix branch"), "kind": "hospital", "country": "CN", "parent_id": f.scmc, "parent_relation": "branch"}
	}
	return []apiCase{
		{"GET /api/v1/organizations", anyone, 200, func(f *fixture, tok string) response { return f.m.call("GET", "/api/v1/organizations", tok, nil) }},
		{"GET /api/v1/organizations/{id}", anyone, 200, func(f *fixture, tok string) response {
			return f.m.call("GET", "/api/v1/organizations/"+f.scmc, tok, nil)
		}},
		{"POST /api/v1/organizations", editorsInside, 201, func(f *fixture, tok string) response {
			return f.m.call("POST", "/api/v1/organizations", tok, orgBody(f))
		}},
		{"PUT /api/v1/organizations/{id}", editorsInside, 200, func(f *fixture, tok string) response {
			o, _ := f.m.Store.FindOrganization(context.Background(), f.scmc)
			return f.m.call("PUT", "/api/v1/organizations/"+f.scmc, tok, map[string]any{"name": o.Name, "kind": o.Kind, "country": o.Country,
				"subdivision": o.Subdivision, "city": f.unique("Shanghai"), "parent_id": o.ParentID, "parent_relation": o.ParentRelation,
				"beds_total": o.BedsTotal, "beds_in_service": o.BedsInService, "accreditations": o.Accreditations, "version": o.Version,
				"latitude": o.Latitude, "longitude": o.Longitude})
		}},
		// SCMC has departments and members, so an allowed delete is refused
		// for what depends on it: 409, not 403.
		{"DELETE /api/v1/organizations/{id}", adminsInside, 409, func(f *fixture, tok string) response {
			return f.m.call("DELETE", "/api/v1/organizations/"+f.scmc+"?version="+strconv.FormatInt(f.orgVersion(f.scmc), 10), tok, nil)
		}},
		{"POST /api/v1/organizations/{id}/departments", editorsInside, 201, func(f *fixture, tok string) response {
			return f.m.call("POST", "/api/v1/organizations/"+f.scmc+"/departments", tok, map[string]any{"name": f.unique("Dept")})
		}},
		{"DELETE /api/v1/departments/{id}", editorsInside, 204, func(f *fixture, tok string) response {
			return f.m.call("DELETE", "/api/v1/departments/"+f.newDepartment(), tok, nil)
		}},
		{"GET /api/v1/people", anyone, 200, func(f *fixture, tok string) response { return f.m.call("GET", "/api/v1/people", tok, nil) }},
		{"GET /api/v1/people/{id}", anyone, 200, func(f *fixture, tok string) response { return f.m.call("GET", "/api/v1/people/"+f.person, tok, nil) }},
		{"POST /api/v1/people", editorsInside, 201, func(f *fixture, tok string) response {
			return f.m.call("POST", "/api/v1/people", tok, map[string]any{"organization_id": f.scmc, "name": f.unique("Person")})
		}},
		{"PUT /api/v1/people/{id}", editorsInside, 200, func(f *fixture, tok string) response {
			return f.m.call("PUT", "/api/v1/people/"+f.person, tok, map[string]any{"organization_id": f.scmc, "name": f.unique("Renamed"),
				"version": f.personVersion(f.person)})
		}},
		{"DELETE /api/v1/people/{id}", editorsInside, 204, func(f *fixture, tok string) response {
			id := f.newPerson()
			return f.m.call("DELETE", "/api/v1/people/"+id+"?version=1", tok, nil)
		}},
		{"GET /api/v1/items", anyone, 200, func(f *fixture, tok string) response { return f.m.call("GET", "/api/v1/items", tok, nil) }},
		{"GET /api/v1/items/{id}", anyone, 200, func(f *fixture, tok string) response { return f.m.call("GET", "/api/v1/items/"+f.item, tok, nil) }},
		{"POST /api/v1/items", editorsAny, 201, func(f *fixture, tok string) response {
			return f.m.call("POST", "/api/v1/items", tok, map[string]any{"code": strings.ReplaceAll(f.unique("NEW"), " ", "-"), "name": "New item", "category": "ppe", "unit": "piece"})
		}},
		{"PUT /api/v1/items/{id}", siteOnly, 200, func(f *fixture, tok string) response {
			id := f.newItem()
			return f.m.call("PUT", "/api/v1/items/"+id, tok, map[string]any{"code": "C" + id, "name": "Changed", "category": "ppe", "unit": "box", "version": 1})
		}},
		{"DELETE /api/v1/items/{id}", siteOnly, 204, func(f *fixture, tok string) response {
			return f.m.call("DELETE", "/api/v1/items/"+f.newItem()+"?version=1", tok, nil)
		}},
		{"GET /api/v1/audit", membersInside, 200, func(f *fixture, tok string) response {
			return f.m.call("GET", "/api/v1/audit?entity_type=organization&entity_id="+f.scmc, tok, nil)
		}},
		{"GET /api/v1/me", anyone, 200, func(f *fixture, tok string) response { return f.m.call("GET", "/api/v1/me", tok, nil) }},
		{"POST /api/v1/users", adminsInside, 201, func(f *fixture, tok string) response {
			return f.m.call("POST", "/api/v1/users", tok, map[string]any{"email": strings.ReplaceAll(f.unique("new"), " ", "") + "@example.org",
				"name": "New user", "password": "a long enough password", "memberships": []map[string]any{{"organization_id": f.scmc, "role": "viewer"}}})
		}},
		{"GET /api/v1/organizations/{id}/members", membersInside, 200, func(f *fixture, tok string) response {
			return f.m.call("GET", "/api/v1/organizations/"+f.scmc+"/members", tok, nil)
		}},
		{"POST /api/v1/organizations/{id}/members", adminsInside, 201, func(f *fixture, tok string) response {
			_, email := f.newUser(false)
			return f.m.call("POST", "/api/v1/organizations/"+f.scmc+"/members", tok, map[string]any{"email": email, "role": "viewer"})
		}},
		{"DELETE /api/v1/organizations/{id}/members/{user_id}", adminsInside, 204, func(f *fixture, tok string) response {
			id, _ := f.newUser(true)
			return f.m.call("DELETE", "/api/v1/organizations/"+f.scmc+"/members/"+id+"?role=viewer", tok, nil)
		}},
		{"GET /api/v1/needs", anyone, 200, func(f *fixture, tok string) response { return f.m.call("GET", "/api/v1/needs?open=true", tok, nil) }},
		{"POST /api/v1/needs", editorsInside, 201, func(f *fixture, tok string) response {
			return f.m.call("POST", "/api/v1/needs", tok, map[string]any{"organization_id": f.scmc, "item_id": f.item, "quantity": 5, "urgency": "critical"})
		}},
		{"GET /api/v1/needs/{id}", anyone, 200, func(f *fixture, tok string) response {
			return f.m.call("GET", "/api/v1/needs/"+f.newNeed(f.scmc), tok, nil)
		}},
		{"PUT /api/v1/needs/{id}", editorsInside, 200, func(f *fixture, tok string) response {
			return f.m.call("PUT", "/api/v1/needs/"+f.newNeed(f.scmc), tok, map[string]any{"item_id": f.item, "quantity": 50, "urgency": "normal", "version": 1})
		}},
		{"POST /api/v1/needs/{id}/cancel", editorsInside, 200, func(f *fixture, tok string) response {
			return f.m.call("POST", "/api/v1/needs/"+f.newNeed(f.scmc)+"/cancel", tok, map[string]any{"version": 1, "reason": "covered elsewhere"})
		}},
		{"GET /api/v1/needs/{id}/pledges", anyone, 200, func(f *fixture, tok string) response {
			return f.m.call("GET", "/api/v1/needs/"+f.newNeed(f.scmc)+"/pledges", tok, nil)
		}},
		// SCMC pledges to a need of Project HOPE, a party to neither side.
		{"POST /api/v1/needs/{id}/pledges", editorsInside, 201, func(f *fixture, tok string) response {
			return f.m.call("POST", "/api/v1/needs/"+f.newNeed(f.hope)+"/pledges", tok, map[string]any{"donor_id": f.scmc, "quantity": 3})
		}},
		{"GET /api/v1/pledges", membersInside, 200, func(f *fixture, tok string) response {
			return f.m.call("GET", "/api/v1/pledges?donor_id="+f.scmc, tok, nil)
		}},
		{"POST /api/v1/pledges/{id}/accept", editorsInside, 200, func(f *fixture, tok string) response {
			return f.m.call("POST", "/api/v1/pledges/"+f.newPledge(f.hope, f.scmc, false)+"/accept", tok, nil)
		}},
		{"POST /api/v1/pledges/{id}/decline", editorsInside, 200, func(f *fixture, tok string) response {
			return f.m.call("POST", "/api/v1/pledges/"+f.newPledge(f.hope, f.scmc, false)+"/decline", tok, map[string]any{"reason": "not needed"})
		}},
		{"POST /api/v1/pledges/{id}/withdraw", editorsInside, 200, func(f *fixture, tok string) response {
			return f.m.call("POST", "/api/v1/pledges/"+f.newPledge(f.scmc, f.hope, true)+"/withdraw", tok, map[string]any{"reason": "sent elsewhere"})
		}},
		{"POST /api/v1/shipments", editorsInside, 201, func(f *fixture, tok string) response {
			return f.m.call("POST", "/api/v1/shipments", tok, map[string]any{"donor_id": f.scmc,
				"shipping_cost": map[string]any{"amount": "120.50", "currency": "USD"}, "cost_borne_by": f.scmc,
				"lines": []map[string]any{{"pledge_id": f.newPledge(f.scmc, f.hope, true), "quantity": 10}}})
		}},
		{"GET /api/v1/shipments", membersInside, 200, func(f *fixture, tok string) response {
			return f.m.call("GET", "/api/v1/shipments?organization_id="+f.scmc, tok, nil)
		}},
		{"GET /api/v1/shipments/{id}", membersInside, 200, func(f *fixture, tok string) response {
			return f.m.call("GET", "/api/v1/shipments/"+f.newShipment(f.scmc, f.hope, false).ID, tok, nil)
		}},
		{"POST /api/v1/shipments/{id}/dispatch", editorsInside, 200, func(f *fixture, tok string) response {
			return f.m.call("POST", "/api/v1/shipments/"+f.newShipment(f.scmc, f.hope, false).ID+"/dispatch", tok, map[string]any{"version": 1})
		}},
		{"POST /api/v1/shipments/{id}/receipt", editorsInside, 200, func(f *fixture, tok string) response {
			sh := f.newShipment(f.hope, f.scmc, true)
			return f.m.call("POST", "/api/v1/shipments/"+sh.ID+"/receipt", tok, map[string]any{"lines": []map[string]any{{"line_id": sh.Lines[0].ID, "received": 10}}})
		}},
		{"GET /api/v1/organizations/{id}/stock", membersInside, 200, func(f *fixture, tok string) response {
			return f.m.call("GET", "/api/v1/organizations/"+f.scmc+"/stock", tok, nil)
		}},
		{"GET /api/v1/organizations/{id}/stock/movements", membersInside, 200, func(f *fixture, tok string) response {
			return f.m.call("GET", "/api/v1/organizations/"+f.scmc+"/stock/movements", tok, nil)
		}},
		{"POST /api/v1/organizations/{id}/stock/movements", editorsInside, 201, func(f *fixture, tok string) response {
			return f.m.call("POST", "/api/v1/organizations/"+f.scmc+"/stock/movements", tok, map[string]any{"item_id": f.item, "kind": "adjustment", "delta": 5, "reason": "donation arrived"})
		}},
		{"GET /api/v1/notifications", anyone, 200, func(f *fixture, tok string) response { return f.m.call("GET", "/api/v1/notifications", tok, nil) }},
		{"POST /api/v1/notifications/read", anyone, 204, func(f *fixture, tok string) response {
			return f.m.call("POST", "/api/v1/notifications/read", tok, map[string]any{"up_to": 1})
		}},
		{"GET /api/v1/reports/lead-times", anyone, 200, func(f *fixture, tok string) response {
			return f.m.call("GET", "/api/v1/reports/lead-times", tok, nil)
		}},
		{"POST /api/v1/allocations", editorsAny, 201, func(f *fixture, tok string) response {
			return f.m.call("POST", "/api/v1/allocations", tok, map[string]any{"item_id": f.item, "policy": "priority"})
		}},
		// A proposal is its author's (here the site administrator's) to read and commit.
		{"GET /api/v1/allocations/{id}", siteOnly, 200, func(f *fixture, tok string) response {
			return f.m.call("GET", "/api/v1/allocations/"+f.proposal(), tok, nil)
		}},
		{"POST /api/v1/allocations/{id}/commit", siteOnly, 200, func(f *fixture, tok string) response {
			return f.m.call("POST", "/api/v1/allocations/"+f.proposal()+"/commit", tok, map[string]any{"version": 1})
		}},
		{"GET /api/v1/tokens", anyone, 200, func(f *fixture, tok string) response { return f.m.call("GET", "/api/v1/tokens", tok, nil) }},
		{"POST /api/v1/tokens", anyone, 201, func(f *fixture, tok string) response {
			return f.m.call("POST", "/api/v1/tokens", tok, map[string]any{"name": "matrix"})
		}},
	}
}

// pageCase is one page route, driven by a signed-in browser.
type pageCase struct {
	route string
	who   who
	ok    int
	do    func(f *fixture, s subject, b *browser) response
}

func pageCases() []pageCase {
	get := func(path func(f *fixture) string) func(*fixture, subject, *browser) response {
		return func(f *fixture, s subject, b *browser) response { return b.get(path(f)) }
	}
	scmcPath := func(suffix string) func(f *fixture) string {
		return func(f *fixture) string { return "/organizations/" + f.scmc + suffix }
	}
	orgForm := func(f *fixture) url.Values {
		o, _ := f.m.Store.FindOrganization(context.Background(), f.scmc)
		v := orgValuesForTest(o)
		v.Set("city", f.unique("Shanghai"))
		return v
	}
	return []pageCase{
		{"GET /{$}", anyone, 200, get(func(*fixture) string { return "/" })},
		{"GET /organizations", anyone, 200, get(func(*fixture) string { return "/organizations" })},
		{"GET /organizations/new", editorsAny, 200, get(func(*fixture) string { return "/organizations/new" })},
		{"POST /organizations", editorsInside, 303, func(f *fixture, s subject, b *browser) response {
			return b.post("/organizations", url.Values{"name": {f.unique("Web branch")}, "kind": {"hospital"}, "country": {"CN"},
				"parent_id": {f.scmc}, "parent_relation": {"branch"}})
		}},
		{"GET /organizations/{id}", anyone, 200, get(scmcPath(""))},
		{"GET /organizations/{id}/edit", editorsInside, 200, get(scmcPath("/edit"))},
		{"POST /organizations/{id}", editorsInside, 303, func(f *fixture, s subject, b *browser) response {
			return b.post("/organizations/"+f.scmc, orgForm(f))
		}},
		{"GET /organizations/{id}/delete", adminsInside, 200, get(scmcPath("/delete"))},
		{"POST /organizations/{id}/delete", adminsInside, 409, func(f *fixture, s subject, b *browser) response {
			return b.post("/organizations/"+f.scmc+"/delete", url.Values{"version": {strconv.FormatInt(f.orgVersion(f.scmc), 10)}})
		}},
		{"POST /organizations/{id}/departments", editorsInside, 303, func(f *fixture, s subject, b *browser) response {
			return b.post("/organizations/"+f.scmc+"/departments", url.Values{"name": {f.unique("Web dept")}})
		}},
		{"POST /organizations/{id}/members", adminsInside, 303, func(f *fixture, s subject, b *browser) response {
			_, email := f.newUser(false)
			return b.post("/organizations/"+f.scmc+"/members", url.Values{"email": {email}, "role": {"viewer"}})
		}},
		{"POST /organizations/{id}/members/remove", adminsInside, 303, func(f *fixture, s subject, b *browser) response {
			id, _ := f.newUser(true)
			return b.post("/organizations/"+f.scmc+"/members/remove", url.Values{"user_id": {id}, "role": {"viewer"}})
		}},
		{"POST /departments/{id}/delete", editorsInside, 303, func(f *fixture, s subject, b *browser) response {
			return b.post("/departments/"+f.newDepartment()+"/delete", url.Values{"organization_id": {f.scmc}})
		}},
		{"GET /people", anyone, 200, get(func(*fixture) string { return "/people" })},
		{"GET /people/new", editorsAny, 200, get(func(*fixture) string { return "/people/new" })},
		{"POST /people", editorsInside, 303, func(f *fixture, s subject, b *browser) response {
			return b.post("/people", url.Values{"organization_id": {f.scmc}, "name": {f.unique("Web person")}})
		}},
		{"GET /people/{id}", anyone, 200, get(func(f *fixture) string { return "/people/" + f.person })},
		{"GET /people/{id}/edit", editorsInside, 200, get(func(f *fixture) string { return "/people/" + f.person + "/edit" })},
		{"POST /people/{id}", editorsInside, 303, func(f *fixture, s subject, b *browser) response {
			return b.post("/people/"+f.person, url.Values{"organization_id": {f.scmc}, "name": {f.unique("Web renamed")},
				"version": {strconv.FormatInt(f.personVersion(f.person), 10)}})
		}},
		{"GET /people/{id}/delete", editorsInside, 200, get(func(f *fixture) string { return "/people/" + f.person + "/delete" })},
		{"POST /people/{id}/delete", editorsInside, 303, func(f *fixture, s subject, b *browser) response {
			return b.post("/people/"+f.newPerson()+"/delete", url.Values{"version": {"1"}})
		}},
		{"GET /items", anyone, 200, get(func(*fixture) string { return "/items" })},
		{"GET /items/new", editorsAny, 200, get(func(*fixture) string { return "/items/new" })},
		{"POST /items", editorsAny, 303, func(f *fixture, s subject, b *browser) response {
			return b.post("/items", url.Values{"code": {strings.ReplaceAll(f.unique("WEB"), " ", "-")}, "name": {"Web item"}, "category": {"ppe"}, "unit": {"piece"}})
		}},
		{"GET /items/{id}", anyone, 200, get(func(f *fixture) string { return "/items/" + f.item })},
		{"GET /items/{id}/edit", siteOnly, 200, get(func(f *fixture) string { return "/items/" + f.item + "/edit" })},
		{"POST /items/{id}", siteOnly, 303, func(f *fixture, s subject, b *browser) response {
			id := f.newItem()
			return b.post("/items/"+id, url.Values{"code": {"W" + id}, "name": {"Changed"}, "category": {"ppe"}, "unit": {"box"}, "version": {"1"}})
		}},
		{"GET /items/{id}/delete", siteOnly, 200, get(func(f *fixture) string { return "/items/" + f.item + "/delete" })},
		{"POST /items/{id}/delete", siteOnly, 303, func(f *fixture, s subject, b *browser) response {
			return b.post("/items/"+f.newItem()+"/delete", url.Values{"version": {"1"}})
		}},
		{"GET /needs", anyone, 200, get(func(*fixture) string { return "/needs" })},
		{"GET /needs/new", editorsAny, 200, get(func(*fixture) string { return "/needs/new" })},
		{"POST /needs", editorsInside, 303, func(f *fixture, s subject, b *browser) response {
			return b.post("/needs", url.Values{"organization_id": {f.scmc}, "item_id": {f.item}, "quantity": {"5"}, "urgency": {"critical"}})
		}},
		{"GET /needs/{id}", anyone, 200, get(func(f *fixture) string { return "/needs/" + f.newNeed(f.scmc) })},
		{"GET /needs/{id}/edit", editorsInside, 200, get(func(f *fixture) string { return "/needs/" + f.newNeed(f.scmc) + "/edit" })},
		{"POST /needs/{id}", editorsInside, 303, func(f *fixture, s subject, b *browser) response {
			return b.post("/needs/"+f.newNeed(f.scmc), url.Values{"item_id": {f.item}, "quantity": {"50"}, "urgency": {"normal"}, "version": {"1"}})
		}},
		{"GET /needs/{id}/cancel", editorsInside, 200, get(func(f *fixture) string { return "/needs/" + f.newNeed(f.scmc) + "/cancel" })},
		{"POST /needs/{id}/cancel", editorsInside, 303, func(f *fixture, s subject, b *browser) response {
			return b.post("/needs/"+f.newNeed(f.scmc)+"/cancel", url.Values{"version": {"1"}, "reason": {"covered elsewhere"}})
		}},
		// SCMC pledges to a need of Project HOPE, a party to neither side.
		{"POST /needs/{id}/pledges", editorsInside, 303, func(f *fixture, s subject, b *browser) response {
			return b.post("/needs/"+f.newNeed(f.hope)+"/pledges", url.Values{"donor_id": {f.scmc}, "quantity": {"3"}})
		}},
		{"POST /pledges/{id}/accept", editorsInside, 303, func(f *fixture, s subject, b *browser) response {
			return b.post("/pledges/"+f.newPledge(f.hope, f.scmc, false)+"/accept", nil)
		}},
		{"POST /pledges/{id}/decline", editorsInside, 303, func(f *fixture, s subject, b *browser) response {
			return b.post("/pledges/"+f.newPledge(f.hope, f.scmc, false)+"/decline", url.Values{"reason": {"not needed"}})
		}},
		{"POST /pledges/{id}/withdraw", editorsInside, 303, func(f *fixture, s subject, b *browser) response {
			return b.post("/pledges/"+f.newPledge(f.scmc, f.hope, true)+"/withdraw", url.Values{"reason": {"sent elsewhere"}})
		}},
		{"GET /shipments", membersInside, 200, get(func(f *fixture) string { return "/shipments?organization_id=" + f.scmc })},
		{"GET /shipments/new", editorsInside, 200, get(func(f *fixture) string { return "/shipments/new?donor_id=" + f.scmc })},
		{"POST /shipments", editorsInside, 303, func(f *fixture, s subject, b *browser) response {
			pl := f.newPledge(f.scmc, f.hope, true)
			return b.post("/shipments", url.Values{"donor_id": {f.scmc}, "recipient_id": {f.hope}, "ship": {pl}, "q_" + pl: {"10"},
				"cost_amount": {"120.50"}, "cost_currency": {"USD"}, "cost_borne_by": {"donor"}})
		}},
		{"GET /shipments/{id}", membersInside, 200, get(func(f *fixture) string { return "/shipments/" + f.newShipment(f.scmc, f.hope, false).ID })},
		{"POST /shipments/{id}/dispatch", editorsInside, 303, func(f *fixture, s subject, b *browser) response {
			return b.post("/shipments/"+f.newShipment(f.scmc, f.hope, false).ID+"/dispatch", url.Values{"version": {"1"}})
		}},
		{"POST /shipments/{id}/receipt", editorsInside, 303, func(f *fixture, s subject, b *browser) response {
			sh := f.newShipment(f.hope, f.scmc, true)
			return b.post("/shipments/"+sh.ID+"/receipt", url.Values{"received_" + sh.Lines[0].ID: {"10"}, "damaged_" + sh.Lines[0].ID: {"0"}})
		}},
		{"GET /shipments/{id}/acknowledgement", membersInside, 200, get(func(f *fixture) string {
			return "/shipments/" + f.newShipment(f.scmc, f.hope, false).ID + "/acknowledgement"
		})},
		{"GET /allocations/new", editorsAny, 200, get(func(*fixture) string { return "/allocations/new" })},
		{"POST /allocations", editorsAny, 303, func(f *fixture, s subject, b *browser) response {
			return b.post("/allocations", url.Values{"item_id": {f.item}, "policy": {"priority"}})
		}},
		// A proposal is its author's (here the site administrator's) to see and commit.
		{"GET /allocations/{id}", siteOnly, 200, get(func(f *fixture) string { return "/allocations/" + f.proposal() })},
		{"POST /allocations/{id}/commit", siteOnly, 303, func(f *fixture, s subject, b *browser) response {
			id := f.proposal()
			a, err := f.m.Store.FindAllocation(context.Background(), id)
			if err != nil {
				f.m.t.Fatal(err)
			}
			form := url.Values{"version": {"1"}}
			for i := range a.Lines {
				form.Add("keep", strconv.Itoa(i))
			}
			return b.post("/allocations/"+id+"/commit", form)
		}},
		{"GET /organizations/{id}/stock", membersInside, 200, get(scmcPath("/stock"))},
		{"POST /organizations/{id}/stock", editorsInside, 303, func(f *fixture, s subject, b *browser) response {
			return b.post("/organizations/"+f.scmc+"/stock", url.Values{"item_id": {f.item}, "kind": {"adjustment"}, "delta": {"5"}, "reason": {"donation arrived"}})
		}},
		{"GET /notifications", anyone, 200, get(func(*fixture) string { return "/notifications" })},
		{"GET /reports/lead-times", anyone, 200, get(func(*fixture) string { return "/reports/lead-times" })},
		{"POST /notifications/read", anyone, 303, func(f *fixture, s subject, b *browser) response {
			return b.post("/notifications/read", url.Values{"up_to": {"1"}})
		}},
		{"GET /account", anyone, 200, get(func(*fixture) string { return "/account" })},
		{"POST /account/tokens", anyone, 200, func(f *fixture, s subject, b *browser) response {
			return b.post("/account/tokens", url.Values{"name": {"web"}})
		}},
		{"POST /account/tokens/{id}/revoke", anyone, 303, func(f *fixture, s subject, b *browser) response {
			id := "none"
			if !s.anonymous {
				id = f.ownTokenID(s)
			}
			return b.post("/account/tokens/"+id+"/revoke", nil)
		}},
	}
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

func newFixture(t *testing.T, b storetest.Backend) *fixture {
	m := startMain(t, b)
	f := &fixture{m: m, scmc: m.orgID("Shanghai Children's Medical Center"), seattle: m.orgID("Seattle Children's Hospital"),
		tokens: map[string]string{}, browsers: map[string]*browser{}}
	ctx := context.Background()
	deptIn := domain.Department{OrganizationID: f.scmc, Name: "Matrix screening"}
	deptOut := domain.Department{OrganizationID: f.seattle, Name: "Matrix screening"}
	for _, d := range []*domain.Department{&deptIn, &deptOut} {
		if err := m.Store.CreateDepartment(ctx, system, d); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range subjects {
		if s.anonymous {
			f.browsers[s.name] = m.anonymousBrowser()
			continue
		}
		u := domain.User{Email: email(s), Name: s.name, SiteAdmin: s.siteAdmin}
		if !s.siteAdmin {
			org, dept := f.seattle, deptOut.ID
			if s.inside {
				org, dept = f.scmc, deptIn.ID
			}
			if s.role != domain.RoleScreener {
				dept = ""
			}
			u.Memberships = []domain.Membership{{OrganizationID: org, Role: s.role, DepartmentID: dept}}
		}
		if err := m.Accounts.CreateUser(ctx, nil, &u, "aidbridge-demo"); err != nil {
			t.Fatal(err)
		}
		f.tokens[s.name] = m.token(u.Email)
		f.browsers[s.name] = m.login(u.Email)
	}
	f.hope = m.orgID("Project HOPE")
	f.person = f.newPerson()
	f.item = f.newItem()
	return f
}

// TestAuthorizationMatrix checks every route of the API and of the pages for
// every role inside and outside the organization concerned: allowed calls
// get the route's status, refused ones 403 (401, or the login page, for
// nobody signed in). Every route must have a row.
func TestAuthorizationMatrix(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			f := newFixture(t, b)

			// Every API operation and every page has a row.
			doc := f.m.call("GET", "/api/openapi.json", "", nil)
			have := map[string]bool{}
			for _, c := range apiCases() {
				have[c.route] = true
			}
			for _, c := range pageCases() {
				have[c.route] = true
			}
			for path, item := range doc.JSON["paths"].(map[string]any) {
				for method := range item.(map[string]any) {
					route := strings.ToUpper(method) + " " + path
					if !have[route] && route != "DELETE /api/v1/tokens/{id}" {
						t.Errorf("API route %s has no row in the authorization matrix", route)
					}
				}
			}
			public := map[string]bool{"GET /login": true, "POST /login": true, "POST /logout": true, "POST /language": true}
			for _, r := range web.Routes() {
				if !have[r.Pattern] && !public[r.Pattern] {
					t.Errorf("page route %s has no row in the authorization matrix", r.Pattern)
				}
				if public[r.Pattern] == r.SignedIn {
					t.Errorf("page route %s: signed-in flag %v", r.Pattern, r.SignedIn)
				}
			}

			for _, c := range apiCases() {
				for _, s := range subjects {
					res := c.call(f, f.tokens[s.name])
					want := c.ok
					if !c.who.allows(s) {
						want = http.StatusForbidden
						if s.anonymous {
							want = http.StatusUnauthorized
						}
					}
					if res.Status != want {
						t.Errorf("%s as %s: status %d, want %d: %.300s", c.route, s, res.Status, want, res.Body)
					}
				}
			}
			for _, c := range pageCases() {
				for _, s := range subjects {
					res := c.do(f, s, f.browsers[s.name])
					want := c.ok
					if !c.who.allows(s) {
						want = http.StatusForbidden
						if s.anonymous {
							want = http.StatusSeeOther // to the login page
						}
					}
					if res.Status != want {
						t.Errorf("page %s as %s: status %d, want %d: %.200s", c.route, s, res.Status, want, res.Body)
					}
					if s.anonymous && res.Status == http.StatusSeeOther && !strings.HasPrefix(res.Header.Get("Location"), "/login") {
						t.Errorf("page %s as nobody: redirected to %q, want the login page", c.route, res.Header.Get("Location"))
					}
				}
			}
		})
	}
}

// TestTokensAreYourOwn checks one cannot revoke another's token.
func TestTokensAreYourOwn(t *testing.T) {
	f := newFixture(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	victim := f.ownTokenID(subjects[2])
	res := f.m.call("DELETE", "/api/v1/tokens/"+victim, f.tokens["site-admin"], nil)
	if res.Status != http.StatusNotFound {
		t.Errorf("revoking another's token: %d", res.Status)
	}
	if res := f.m.call("DELETE", "/api/v1/tokens/"+f.ownTokenID(subjects[1]), f.tokens["site-admin"], nil); res.Status != http.StatusNoContent {
		t.Errorf("revoking one's own token: %d", res.Status)
	}
}

// TestPersonalData checks who sees a person's birth date, email and phone,
// in the API, on the page and in the history.
func TestPersonalData(t *testing.T) {
	f := newFixture(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	ctx := context.Background()
	p := domain.Person{OrganizationID: f.scmc, Name: "Private Person", Email: "private.person@example.org", Phone: "+86 21 0000 0000",
		BirthDate: domain.Date{Year: 1980, Month: 2, Day: 3}}
	if err := f.m.Store.CreatePerson(ctx, system, &p); err != nil {
		t.Fatal(err)
	}
	sees := who{inside: []domain.Role{domain.RoleAdmin, domain.RoleCoordinator}}
	for _, s := range subjects {
		if s.anonymous {
			continue
		}
		want := sees.allows(s)
		r := f.m.call("GET", "/api/v1/people/"+p.ID, f.tokens[s.name], nil)
		got := r.JSON["email"] == p.Email && r.JSON["birth_date"] == "1980-02-03"
		if got != want || (r.JSON["personal_hidden"] == true) == want {
			t.Errorf("API as %s: sees personal data %v, want %v: %s", s, got, want, r.Body)
		}
		page := f.browsers[s.name].get("/people/" + p.ID)
		if strings.Contains(string(page.Body), p.Email) != want {
			t.Errorf("page as %s: shows the email %v, want %v", s, !want, want)
		}
		h := f.m.call("GET", "/api/v1/audit?entity_type=person&entity_id="+p.ID, f.tokens[s.name], nil)
		if h.Status == 200 && strings.Contains(string(h.Body), p.Email) != want {
			t.Errorf("history as %s: shows the email %v, want %v", s, !want, want)
		}
	}
	// Someone who may change the person but not see the personal data keeps
	// it intact by saving.
	r := f.m.call("PUT", "/api/v1/people/"+p.ID, f.tokens["site-admin"], map[string]any{"organization_id": f.scmc, "name": "Private Person", "title": "Dr", "version": 1})
	if r.Status != 200 {
		t.Fatalf("site admin update: %d %s", r.Status, r.Body)
	}
	stored, _ := f.m.Store.FindPerson(ctx, p.ID)
	if stored.Email != p.Email || stored.Phone != p.Phone || stored.BirthDate != p.BirthDate || stored.Title != "Dr" {
		t.Errorf("personal data after a blind update: %+v", stored)
	}
}

// TestMembers adds and removes members over the API and checks the refusals
// a user would meet.
func TestMembers(t *testing.T) {
	f := newFixture(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	admin := f.tokens["admin-inside"]
	path := "/api/v1/organizations/" + f.scmc + "/members"
	if r := f.m.call("POST", path, admin, map[string]any{"email": "nobody@example.org", "role": "viewer"}); r.Status != 422 || !strings.Contains(string(r.Body), "body.email") {
		t.Errorf("unknown email: %d %s", r.Status, r.Body)
	}
	_, email := f.newUser(false)
	if r := f.m.call("POST", path, admin, map[string]any{"email": email, "role": "screener"}); r.Status != 422 || !strings.Contains(string(r.Body), "department") {
		t.Errorf("screener without department: %d %s", r.Status, r.Body)
	}
	r := f.m.call("POST", path, admin, map[string]any{"email": email, "role": "coordinator"})
	if r.Status != 201 || !strings.Contains(string(r.Body), email) {
		t.Fatalf("add: %d %s", r.Status, r.Body)
	}
	if r := f.m.call("POST", path, admin, map[string]any{"email": email, "role": "coordinator"}); r.Status != 409 {
		t.Errorf("the same membership twice: %d", r.Status)
	}
	// The demo admin and the matrix admin are SCMC's admins; removing one
	// leaves the other, removing the last is refused.
	members := f.m.call("GET", path, admin, nil)
	var other, self string // the demo admin, and the matrix admin whose token acts
	for _, it := range members.JSON["items"].([]any) {
		m := it.(map[string]any)
		switch {
		case m["role"] != "admin":
		case m["email"] == "admin-inside@matrix.example.org":
			self = m["user_id"].(string)
		default:
			other = m["user_id"].(string)
		}
	}
	if other == "" || self == "" {
		t.Fatalf("SCMC's admins: %s", members.Body)
	}
	if r := f.m.call("DELETE", path+"/"+other+"?role=admin", admin, nil); r.Status != 204 {
		t.Errorf("remove an admin: %d %s", r.Status, r.Body)
	}
	if r := f.m.call("DELETE", path+"/"+self+"?role=admin", admin, nil); r.Status != 409 || !strings.Contains(string(r.Body), "last admin") {
		t.Errorf("remove the last admin: %d %s", r.Status, r.Body)
	}
	h := f.m.call("GET", "/api/v1/audit?organization_id="+f.scmc, admin, nil)
	if !strings.Contains(string(h.Body), `"entity_type":"user"`) {
		t.Errorf("membership changes are not in the organization's history")
	}
}
