package main

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"aidbridge/internal/domain"
	"aidbridge/internal/store/storetest"
)

// directoryRows are the matrix rows of the directory: organizations and
// their departments, people, catalog items and the history of changes.
func directoryRows() []row {
	orgBody := func(f *fixture) map[string]any {
		return map[string]any{"name": f.unique("Matrix branch"), "kind": "hospital", "country": "CN", "parent_id": f.scmc, "parent_relation": "branch"}
	}
	orgForm := func(f *fixture) url.Values {
		o, _ := f.m.Store.FindOrganization(context.Background(), f.scmc)
		v := orgValuesForTest(o)
		v.Set("city", f.unique("Shanghai"))
		return v
	}
	person := func(suffix string) func(f *fixture) string {
		return func(f *fixture) string { return "/people/" + f.person + suffix }
	}
	item := func(suffix string) func(f *fixture) string {
		return func(f *fixture) string { return "/items/" + f.item + suffix }
	}
	return []row{
		{action: "list organizations", who: anyone,
			api:  calls(get("GET /api/v1/organizations", at("/api/v1/organizations"))),
			page: calls(get("GET /organizations", at("/organizations")))},
		{action: "read an organization", who: anyone,
			api:  calls(get("GET /api/v1/organizations/{id}", scmcPath("/api/v1", ""))),
			page: calls(get("GET /organizations/{id}", scmcPath("", "")))},
		// The form asks whether one may create an organization anywhere;
		// creating one under SCMC is the next row.
		{action: "open the form of a new organization", who: editorsAny,
			api:  none("the API takes a new organization's body at once, without a form"),
			page: calls(get("GET /organizations/new", at("/organizations/new")))},
		{action: "create a branch of SCMC", who: editorsInside,
			api: calls(send("POST /api/v1/organizations", http.StatusCreated, func(f *fixture) request {
				return request{"/api/v1/organizations", orgBody(f)}
			})),
			page: calls(send("POST /organizations", http.StatusSeeOther, func(f *fixture) request {
				return request{"/organizations", url.Values{"name": {f.unique("Web branch")}, "kind": {"hospital"}, "country": {"CN"},
					"parent_id": {f.scmc}, "parent_relation": {"branch"}}}
			}))},
		{action: "change an organization", who: editorsInside,
			api: calls(send("PUT /api/v1/organizations/{id}", http.StatusOK, func(f *fixture) request {
				o, _ := f.m.Store.FindOrganization(context.Background(), f.scmc)
				return request{"/api/v1/organizations/" + f.scmc, map[string]any{"name": o.Name, "kind": o.Kind, "country": o.Country,
					"subdivision": o.Subdivision, "city": f.unique("Shanghai"), "parent_id": o.ParentID, "parent_relation": o.ParentRelation,
					"beds_total": o.BedsTotal, "beds_in_service": o.BedsInService, "accreditations": o.Accreditations, "version": o.Version,
					"latitude": o.Latitude, "longitude": o.Longitude}}
			})),
			page: calls(get("GET /organizations/{id}/edit", scmcPath("", "/edit")),
				send("POST /organizations/{id}", http.StatusSeeOther, func(f *fixture) request { return request{"/organizations/" + f.scmc, orgForm(f)} }))},
		// SCMC has departments and members, so an allowed delete is refused
		// for what depends on it: 409, not 403.
		{action: "delete an organization", who: adminsInside,
			api: calls(send("DELETE /api/v1/organizations/{id}", http.StatusConflict, func(f *fixture) request {
				return request{path: "/api/v1/organizations/" + f.scmc + "?version=" + strconv.FormatInt(f.orgVersion(f.scmc), 10)}
			})),
			page: calls(get("GET /organizations/{id}/delete", scmcPath("", "/delete")),
				send("POST /organizations/{id}/delete", http.StatusConflict, func(f *fixture) request {
					return request{"/organizations/" + f.scmc + "/delete", url.Values{"version": {strconv.FormatInt(f.orgVersion(f.scmc), 10)}}}
				}))},
		{action: "add a department", who: editorsInside,
			api: calls(send("POST /api/v1/organizations/{id}/departments", http.StatusCreated, func(f *fixture) request {
				return request{"/api/v1/organizations/" + f.scmc + "/departments", map[string]any{"name": f.unique("Dept")}}
			})),
			page: calls(send("POST /organizations/{id}/departments", http.StatusSeeOther, func(f *fixture) request {
				return request{"/organizations/" + f.scmc + "/departments", url.Values{"name": {f.unique("Web dept")}}}
			}))},
		{action: "delete a department", who: editorsInside,
			api: calls(send("DELETE /api/v1/departments/{id}", http.StatusNoContent, func(f *fixture) request {
				return request{path: "/api/v1/departments/" + f.newDepartment()}
			})),
			page: calls(send("POST /departments/{id}/delete", http.StatusSeeOther, func(f *fixture) request {
				return request{"/departments/" + f.newDepartment() + "/delete", url.Values{}}
			}))},

		{action: "list people", who: anyone,
			api:  calls(get("GET /api/v1/people", at("/api/v1/people"))),
			page: calls(get("GET /people", at("/people")))},
		// The person is of SCMC's department A: a screener of department B
		// reads it as any screener does. Personal data: TestPersonalData.
		{action: "read a person", who: anyone,
			api:  calls(get("GET /api/v1/people/{id}", func(f *fixture) string { return "/api/v1/people/" + f.person })),
			page: calls(get("GET /people/{id}", person("")))},
		{action: "open the form of a new person", who: editorsAny,
			api:  none("the API takes a new person's body at once, without a form"),
			page: calls(get("GET /people/new", at("/people/new")))},
		{action: "add a person to SCMC", who: editorsInside,
			api: calls(send("POST /api/v1/people", http.StatusCreated, func(f *fixture) request {
				return request{"/api/v1/people", map[string]any{"organization_id": f.scmc, "department_id": f.departments["A"], "name": f.unique("Person")}}
			})),
			page: calls(send("POST /people", http.StatusSeeOther, func(f *fixture) request {
				return request{"/people", url.Values{"organization_id": {f.scmc}, "name": {f.unique("Web person")}}}
			}))},
		{action: "link a new person to a user account", who: siteOnly,
			api: calls(send("POST /api/v1/people", http.StatusCreated, func(f *fixture) request {
				id, _ := f.newUser(false)
				return request{"/api/v1/people", map[string]any{"organization_id": f.scmc, "name": f.unique("Linked person"), "user_id": id}}
			})),
			page: none("the person form has no account field: people are linked to accounts over the API")},
		{action: "change a person", who: editorsInside,
			api: calls(send("PUT /api/v1/people/{id}", http.StatusOK, func(f *fixture) request {
				return request{"/api/v1/people/" + f.person, map[string]any{"organization_id": f.scmc, "department_id": f.departments["A"],
					"name": f.unique("Renamed"), "version": f.personVersion(f.person)}}
			})),
			page: calls(get("GET /people/{id}/edit", person("/edit")),
				send("POST /people/{id}", http.StatusSeeOther, func(f *fixture) request {
					return request{"/people/" + f.person, url.Values{"organization_id": {f.scmc}, "department_id": {f.departments["A"]},
						"name": {f.unique("Web renamed")}, "version": {strconv.FormatInt(f.personVersion(f.person), 10)}}}
				}))},
		{action: "delete a person", who: editorsInside,
			api: calls(send("DELETE /api/v1/people/{id}", http.StatusNoContent, func(f *fixture) request {
				return request{path: "/api/v1/people/" + f.newPerson() + "?version=1"}
			})),
			page: calls(get("GET /people/{id}/delete", person("/delete")),
				send("POST /people/{id}/delete", http.StatusSeeOther, func(f *fixture) request {
					return request{"/people/" + f.newPerson() + "/delete", url.Values{"version": {"1"}}}
				}))},

		{action: "list catalog items", who: anyone,
			api:  calls(get("GET /api/v1/items", at("/api/v1/items"))),
			page: calls(get("GET /items", at("/items")))},
		{action: "read a catalog item", who: anyone,
			api:  calls(get("GET /api/v1/items/{id}", func(f *fixture) string { return "/api/v1/items/" + f.item })),
			page: calls(get("GET /items/{id}", item("")))},
		{action: "add a catalog item", who: editorsAny,
			api: calls(send("POST /api/v1/items", http.StatusCreated, func(f *fixture) request {
				return request{"/api/v1/items", map[string]any{"code": strings.ReplaceAll(f.unique("NEW"), " ", "-"), "name": "New item", "category": "ppe", "unit": "piece"}}
			})),
			page: calls(get("GET /items/new", at("/items/new")),
				send("POST /items", http.StatusSeeOther, func(f *fixture) request {
					return request{"/items", url.Values{"code": {strings.ReplaceAll(f.unique("WEB"), " ", "-")}, "name": {"Web item"}, "category": {"ppe"}, "unit": {"piece"}}}
				}))},
		{action: "change a catalog item", who: siteOnly,
			api: calls(send("PUT /api/v1/items/{id}", http.StatusOK, func(f *fixture) request {
				id := f.newItem()
				return request{"/api/v1/items/" + id, map[string]any{"code": "C" + id, "name": "Changed", "category": "ppe", "unit": "box", "version": 1}}
			})),
			page: calls(get("GET /items/{id}/edit", item("/edit")),
				send("POST /items/{id}", http.StatusSeeOther, func(f *fixture) request {
					id := f.newItem()
					return request{"/items/" + id, url.Values{"code": {"W" + id}, "name": {"Changed"}, "category": {"ppe"}, "unit": {"box"}, "version": {"1"}}}
				}))},
		{action: "delete a catalog item", who: siteOnly,
			api: calls(send("DELETE /api/v1/items/{id}", http.StatusNoContent, func(f *fixture) request {
				return request{path: "/api/v1/items/" + f.newItem() + "?version=1"}
			})),
			page: calls(get("GET /items/{id}/delete", item("/delete")),
				send("POST /items/{id}/delete", http.StatusSeeOther, func(f *fixture) request {
					return request{"/items/" + f.newItem() + "/delete", url.Values{"version": {"1"}}}
				}))},

		{action: "read an organization's history", who: membersInside,
			api: calls(get("GET /api/v1/audit", func(f *fixture) string {
				return "/api/v1/audit?entity_type=organization&entity_id=" + f.scmc
			})),
			page: none("the history is a section of each record's page, not a route of its own; TestPersonalData checks it")},
	}
}

// TestPersonalData checks who sees a person's birth date, email and phone,
// for every subject of the matrix and for the person themself: in the
// person's record over the API and on the page, and in the person's history
// over GET /api/v1/audit and in the History section of the page, where the
// values are hidden from those who read the history but may not see them.
func TestPersonalData(t *testing.T) {
	t.Parallel()
	f := newFixture(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	ctx := context.Background()

	// The person has a user account of their own, a viewer of Seattle
	// Children's: the person may see their own data from outside.
	own := domain.User{Email: "private.person@matrix.example.org", Name: "Private Person",
		Memberships: []domain.Membership{{OrganizationID: f.seattle, Role: domain.RoleViewer}}}
	if err := f.m.Accounts.CreateUser(ctx, nil, &own, "aidbridge-demo"); err != nil {
		t.Fatal(err)
	}
	self := subject{name: "the person themself", role: domain.RoleViewer}
	f.tokens[self.name], f.browsers[self.name] = f.m.token(own.Email), f.m.login(own.Email)

	// Created with one set of personal data and changed to another, so that
	// the history has both, before and after.
	p := domain.Person{OrganizationID: f.scmc, DepartmentID: f.departments["A"], UserID: own.ID, Name: "Private Person",
		Email: "private.before@example.org", Phone: "021 5555 0101", BirthDate: domain.Date{Year: 1980, Month: 2, Day: 3}}
	if err := f.m.Store.CreatePerson(ctx, system, &p); err != nil {
		t.Fatal(err)
	}
	before := map[string]string{"email": p.Email, "phone": p.Phone, "birth_date": "1980-02-03"}
	p.Email, p.Phone, p.BirthDate, p.Title = "private.after@example.org", "021 5555 0202", domain.Date{Year: 1981, Month: 4, Day: 5}, "Chief Matrix Officer"
	if err := f.m.Store.UpdatePerson(ctx, system, &p); err != nil {
		t.Fatal(err)
	}
	after := map[string]string{"email": p.Email, "phone": p.Phone, "birth_date": "1981-04-05"}

	// By hand, apart from the policy: SCMC's admins and coordinators and the
	// person see the personal data; a site administrator does not. The
	// history of a person is read by the members of their organization, a
	// site administrator and the person.
	sees := who{inside: []domain.Role{domain.RoleAdmin, domain.RoleCoordinator}}
	readsHistory := membersInside
	for _, s := range append(subjects, self) {
		wantSee, wantHistory := sees.allows(s), readsHistory.allows(s)
		if s == self {
			wantSee, wantHistory = true, true
		}
		tok, b := f.tokens[s.name], f.browsers[s.name]

		r := f.m.call("GET", "/api/v1/people/"+p.ID, tok, nil)
		if s.anonymous {
			if r.Status != http.StatusUnauthorized {
				t.Errorf("API person as %s: status %d, want 401", s, r.Status)
			}
		} else {
			for k, v := range after {
				if got := r.JSON[k] == v; got != wantSee {
					t.Errorf("API person as %s: shows the %s %v, want %v: %s", s, k, got, wantSee, r.Body)
				}
			}
			if got := r.JSON["personal_hidden"] == true; got == wantSee {
				t.Errorf("API person as %s: personal_hidden %v, want %v", s, got, !wantSee)
			}
		}

		h := f.m.call("GET", "/api/v1/audit?entity_type=person&entity_id="+p.ID, tok, nil)
		switch {
		case s.anonymous && h.Status != http.StatusUnauthorized:
			t.Errorf("API history as %s: status %d, want 401", s, h.Status)
		case !s.anonymous && !wantHistory && h.Status != http.StatusForbidden:
			t.Errorf("API history as %s: status %d, want 403: %.200s", s, h.Status, h.Body)
		case wantHistory:
			checkPersonalHistory(t, s, h, wantSee, before, after)
		}
		for _, m := range []map[string]string{before, after} {
			for _, v := range m {
				if !wantSee && strings.Contains(string(h.Body), v) {
					t.Errorf("API history as %s shows %q", s, v)
				}
			}
		}

		page := b.get("/people/" + p.ID)
		if s.anonymous {
			if page.Status != http.StatusSeeOther {
				t.Errorf("page as nobody: status %d, want 303 to the login page", page.Status)
			}
			continue
		}
		if page.Status != http.StatusOK {
			t.Fatalf("page as %s: status %d", s, page.Status)
		}
		personal, history := pageSection(t, page.Body, `aria-labelledby="personal-h"`), pageSection(t, page.Body, `class="history"`)
		for k, v := range after {
			if got := strings.Contains(personal, v); got != wantSee {
				t.Errorf("page as %s: the Personal data section shows the %s %v, want %v", s, k, got, wantSee)
			}
		}
		if got := strings.Contains(history, p.Title); got != wantHistory {
			t.Errorf("page as %s: the History section shows the change of title %v, want %v", s, got, wantHistory)
		}
		for k := range before {
			for _, v := range []string{before[k], after[k]} {
				if got := strings.Contains(history, v); got != wantSee {
					t.Errorf("page as %s: the History section shows the %s %q %v, want %v", s, k, v, got, wantSee)
				}
			}
		}
	}

	// Someone who may change the person but not see the personal data keeps
	// it intact by saving.
	r := f.m.call("PUT", "/api/v1/people/"+p.ID, f.tokens["site-admin"], map[string]any{"organization_id": f.scmc, "user_id": own.ID,
		"name": "Private Person", "title": "Dr", "version": p.Version})
	if r.Status != 200 {
		t.Fatalf("site admin update: %d %s", r.Status, r.Body)
	}
	stored, _ := f.m.Store.FindPerson(ctx, p.ID)
	if stored.Email != p.Email || stored.Phone != p.Phone || stored.BirthDate != p.BirthDate || stored.Title != "Dr" {
		t.Errorf("personal data after a blind update: %+v", stored)
	}
}

// checkPersonalHistory checks a person's history as s reads it over the
// API: the creation, with the first personal data, and the change to the
// second, each value shown when s may see it and "(hidden)" otherwise.
func checkPersonalHistory(t *testing.T, s subject, h response, sees bool, before, after map[string]string) {
	t.Helper()
	if h.Status != http.StatusOK {
		t.Errorf("API history as %s: status %d, want 200: %.200s", s, h.Status, h.Body)
		return
	}
	entries := map[string]map[string]any{} // by action
	items, _ := h.JSON["items"].([]any)
	for _, it := range items {
		e := it.(map[string]any)
		entries[e["action"].(string)] = e
	}
	for _, tc := range []struct {
		action, side string
		values       map[string]string
	}{
		{"create", "after", before},
		{"update", "before", before},
		{"update", "after", after},
	} {
		e, ok := entries[tc.action]
		if !ok {
			t.Errorf("API history as %s has no %s entry: %s", s, tc.action, h.Body)
			continue
		}
		fields, _ := e[tc.side].(map[string]any)
		for k, v := range tc.values {
			want := "(hidden)"
			if sees {
				want = v
			}
			if fields[k] != want {
				t.Errorf("API history as %s: %s %s %s = %v, want %q", s, tc.action, tc.side, k, fields[k], want)
			}
		}
	}
}

// pageSection returns the HTML of the section of a page that opens with a tag
// bearing attr, up to its end.
func pageSection(t *testing.T, page []byte, attr string) string {
	t.Helper()
	s := string(page)
	i := strings.Index(s, "<section "+attr)
	if i < 0 {
		t.Fatalf("the page has no section %s", attr)
	}
	s = s[i:]
	if j := strings.Index(s, "</section>"); j >= 0 {
		s = s[:j]
	}
	return s
}
