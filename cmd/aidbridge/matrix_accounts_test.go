package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"aidbridge/internal/demo"
	"aidbridge/internal/store/storetest"
)

// accountRows are the matrix rows of accounts: one's own account and API
// tokens, users, and the members of an organization.
func accountRows() []row {
	newUser := func(f *fixture, siteAdmin bool) map[string]any {
		return map[string]any{"email": strings.ReplaceAll(f.unique("new"), " ", "") + "@example.org", "name": "New user",
			"password": "a long enough password", "site_admin": siteAdmin,
			"memberships": []map[string]any{{"organization_id": f.scmc, "role": "viewer"}}}
	}
	return []row{
		{action: "see one's own account", who: anyone,
			api:  calls(get("GET /api/v1/me", at("/api/v1/me"))),
			page: calls(get("GET /account", at("/account")))},
		{action: "create a user with a role in SCMC", who: adminsInside,
			api: calls(send("POST /api/v1/users", http.StatusCreated, func(f *fixture) request {
				return request{"/api/v1/users", newUser(f, false)}
			})),
			page: none("users are created over the API or with aidbridge user create; the organization's page adds existing users")},
		// An admin of SCMC may give the new user a role in SCMC, and is
		// still refused a site administrator.
		{action: "create a site administrator", who: siteOnly,
			api: calls(send("POST /api/v1/users", http.StatusCreated, func(f *fixture) request {
				return request{"/api/v1/users", newUser(f, true)}
			})),
			page: none("users are created over the API or with aidbridge user create")},
		{action: "list the members of SCMC", who: membersInside,
			api:  calls(get("GET /api/v1/organizations/{id}/members", scmcPath("/api/v1", "/members"))),
			page: none("the members are a section of the organization's page, not a route of their own")},
		{action: "add a member to SCMC", who: adminsInside,
			api: calls(send("POST /api/v1/organizations/{id}/members", http.StatusCreated, func(f *fixture) request {
				_, email := f.newUser(false)
				return request{"/api/v1/organizations/" + f.scmc + "/members", map[string]any{"email": email, "role": "viewer"}}
			})),
			page: calls(send("POST /organizations/{id}/members", http.StatusSeeOther, func(f *fixture) request {
				_, email := f.newUser(false)
				return request{"/organizations/" + f.scmc + "/members", url.Values{"email": {email}, "role": {"viewer"}}}
			}))},
		{action: "remove a member of SCMC", who: adminsInside,
			api: calls(send("DELETE /api/v1/organizations/{id}/members/{user_id}", http.StatusNoContent, func(f *fixture) request {
				id, _ := f.newUser(true)
				return request{path: "/api/v1/organizations/" + f.scmc + "/members/" + id + "?role=viewer"}
			})),
			page: calls(send("POST /organizations/{id}/members/remove", http.StatusSeeOther, func(f *fixture) request {
				id, _ := f.newUser(true)
				return request{"/organizations/" + f.scmc + "/members/remove", url.Values{"user_id": {id}, "role": {"viewer"}}}
			}))},

		{action: "list one's API tokens", who: anyone,
			api:  calls(get("GET /api/v1/tokens", at("/api/v1/tokens"))),
			page: none("the account page lists them (the row to see one's own account)")},
		{action: "create an API token", who: anyone,
			api: calls(send("POST /api/v1/tokens", http.StatusCreated, func(*fixture) request {
				return request{"/api/v1/tokens", map[string]any{"name": "matrix"}}
			})),
			// The page shows the new secret once, instead of redirecting.
			page: calls(send("POST /account/tokens", http.StatusOK, func(*fixture) request {
				return request{"/account/tokens", url.Values{"name": {"web"}}}
			}))},
		// A new password too short: refused after the check of who may and
		// before the current password is tried, so that no subject's
		// password changes and no login attempt counts (TestSessionsEnd
		// changes one).
		{action: "change one's password", who: anyone,
			api: calls(send("POST /api/v1/account/password", http.StatusUnprocessableEntity, func(*fixture) request {
				return request{"/api/v1/account/password", map[string]any{"current_password": "not the password", "new_password": "short"}}
			})),
			page: calls(send("POST /account/password", http.StatusUnprocessableEntity, func(*fixture) request {
				return request{"/account/password", url.Values{"current_password": {"not the password"}, "new_password": {"short"},
					"confirm_password": {"short"}}}
			}))},
		// Another's token: TestTokensAreYourOwn.
		{action: "revoke an API token of one's own", who: anyone,
			api: calls(sendAs("DELETE /api/v1/tokens/{id}", http.StatusNoContent, func(f *fixture, s subject) request {
				return request{path: "/api/v1/tokens/" + f.ownTokenID(s)}
			})),
			page: calls(sendAs("POST /account/tokens/{id}/revoke", http.StatusSeeOther, func(f *fixture, s subject) request {
				return request{path: "/account/tokens/" + f.ownTokenID(s) + "/revoke"}
			}))},
	}
}

// lastRows run after every other row: ending a subject's sessions over the
// API signs out the subject's browser, which the page calls of other rows
// use.
func lastRows() []row {
	return []row{
		{action: "end one's other sessions", who: anyone,
			api: calls(send("POST /api/v1/account/sessions/end", http.StatusOK, func(*fixture) request {
				return request{path: "/api/v1/account/sessions/end"}
			})),
			page: calls(send("POST /account/sessions/end", http.StatusSeeOther, func(*fixture) request {
				return request{"/account/sessions/end", url.Values{}}
			}))},
	}
}

// TestTokensAreYourOwn checks one cannot revoke another's token, not even a
// site administrator, over the API or on the page.
func TestTokensAreYourOwn(t *testing.T) {
	t.Parallel()
	f := newFixture(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	admin, victim := subjectNamed(t, "site-admin"), subjectNamed(t, "viewer-inside")
	if r := f.m.call("DELETE", "/api/v1/tokens/"+f.ownTokenID(victim), f.tokens[admin.name], nil); r.Status != http.StatusNotFound {
		t.Errorf("revoking another's token over the API: %d", r.Status)
	}
	if r := f.browsers[admin.name].post("/account/tokens/"+f.ownTokenID(victim)+"/revoke", nil); r.Status != http.StatusNotFound {
		t.Errorf("revoking another's token on the page: %d", r.Status)
	}
	if r := f.m.call("DELETE", "/api/v1/tokens/"+f.ownTokenID(admin), f.tokens[admin.name], nil); r.Status != http.StatusNoContent {
		t.Errorf("revoking one's own token: %d", r.Status)
	}
}

// TestMembers adds and removes members over the API and checks the refusals
// a user would meet.
func TestMembers(t *testing.T) {
	t.Parallel()
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
	if h.Status != http.StatusOK || !strings.Contains(string(h.Body), `"entity_type":"user"`) {
		t.Errorf("membership changes are not in the organization's history: %d %.300s", h.Status, h.Body)
	}
}

// TestSessionsEnd signs one user in on two browsers: logging out everywhere
// from one ends the other, and a password change ends every session but the
// one it was made in, while the old password stops working.
func TestSessionsEnd(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			m := startMain(t, b)
			email := "doctor@xinhua.example.org"
			first, second := m.login(email), m.login(email)
			if r := first.post("/account/sessions/end", url.Values{}); r.Status != http.StatusSeeOther {
				t.Fatalf("log out everywhere: %d", r.Status)
			}
			if r := first.get("/account"); r.Status != 200 {
				t.Errorf("the session that logged out everywhere ended too: %d", r.Status)
			}
			if r := second.get("/account"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
				t.Errorf("the other browser is still signed in: %d", r.Status)
			}

			second = m.login(email)
			form := url.Values{"current_password": {demo.Password}, "new_password": {"a brand new password"}, "confirm_password": {"a brand new passw0rd"}}
			if r := first.post("/account/password", form); r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), `id="e-confirm_password"`) {
				t.Errorf("passwords that differ: %d", r.Status)
			}
			form.Set("confirm_password", "a brand new password")
			if r := first.post("/account/password", form); r.Status != http.StatusSeeOther {
				t.Fatalf("change the password: %d %s", r.Status, between(string(r.Body), `class="alert"`, "</div>"))
			}
			if r := first.get("/account"); r.Status != 200 {
				t.Errorf("the session that changed the password ended: %d", r.Status)
			}
			if r := second.get("/account"); r.Status != http.StatusSeeOther {
				t.Errorf("another session survived the password change: %d", r.Status)
			}
			anon := m.anonymousBrowser()
			if r := anon.post("/login", url.Values{"email": {email}, "password": {demo.Password}}); r.Status == http.StatusSeeOther {
				t.Errorf("the old password still signs in")
			}
			if r := anon.post("/login", url.Values{"email": {email}, "password": {"a brand new password"}}); r.Status != http.StatusSeeOther {
				t.Errorf("the new password does not sign in: %d", r.Status)
			}
		})
	}
}
