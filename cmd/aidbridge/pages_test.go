package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"aidbridge/internal/store/storetest"
)

// TestOrganizationForm edits an organization through the form as a browser
// without JavaScript would: a bad value is shown next to its field with what
// was typed, nothing is stored, a good one is saved and appears in History,
// and a stale form is refused with the typed values kept.
func TestOrganizationForm(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			m := startMain(t, b)
			br := m.login("coordinator@scmc.example.org")
			scmc := m.orgID("Shanghai Children's Medical Center")
			o, _ := m.Store.FindOrganization(context.Background(), scmc)
			form := orgValuesForTest(o)

			bad := cloneValues(form)
			bad.Set("beds_total", "1.500")
			bad.Set("city", "Typed city")
			r := br.post("/organizations/"+scmc, bad)
			page := string(r.Body)
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(page, `id="e-beds_total"`) || !strings.Contains(page, `value="Typed city"`) {
				t.Errorf("bad beds: status %d; error shown %v; typed city kept %v", r.Status, strings.Contains(page, `id="e-beds_total"`), strings.Contains(page, `value="Typed city"`))
			}
			bad = cloneValues(form)
			bad.Set("beds_in_service", "2000")
			r = br.post("/organizations/"+scmc, bad)
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), `id="e-beds_in_service"`) {
				t.Errorf("beds in service over total: status %d", r.Status)
			}
			if now, _ := m.Store.FindOrganization(context.Background(), scmc); now.Version != o.Version || *now.BedsInService != 880 {
				t.Errorf("a refused form changed the record: version %d, beds in service %d", now.Version, *now.BedsInService)
			}

			good := cloneValues(form)
			good.Set("city", "Shanghai, Pudong")
			r = br.post("/organizations/"+scmc, good)
			if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/organizations/"+scmc {
				t.Fatalf("save: status %d location %q", r.Status, r.Header.Get("Location"))
			}
			page = string(br.get("/organizations/" + scmc).Body)
			for _, want := range []string{"Shanghai, Pudong", "Saved.", `<span class="fname">city</span>`, "<del>Shanghai</del>"} {
				if !strings.Contains(page, want) {
					t.Errorf("detail page after save lacks %q", want)
				}
			}

			// The same form again carries the old version: refused, typed values kept.
			good.Set("city", "Another city")
			r = br.post("/organizations/"+scmc, good)
			if r.Status != http.StatusConflict || !strings.Contains(string(r.Body), "since you read it") || !strings.Contains(string(r.Body), `value="Another city"`) {
				t.Errorf("stale form: status %d", r.Status)
			}
		})
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// TestLanguage checks the language follows the browser and then the switch.
func TestLanguage(t *testing.T) {
	t.Parallel()
	m := startMain(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	br := m.login("viewer@shhealth.example.org")
	req, _ := http.NewRequest("GET", m.URL()+"/organizations", nil)
	req.Header.Set("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5")
	res, err := br.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	buf := new(strings.Builder)
	_, _ = ioCopy(buf, res)
	if !strings.Contains(buf.String(), `<html lang="zh-CN">`) || !strings.Contains(buf.String(), "机构") {
		t.Errorf("Accept-Language zh-CN did not give the Chinese page")
	}
	if r := br.post("/language", url.Values{"lang": {"zh-CN"}, "next": {"/items"}}); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/items" {
		t.Fatalf("switch: %d %q", r.Status, r.Header.Get("Location"))
	}
	page := string(br.get("/items").Body)
	if !strings.Contains(page, "物资目录") || !strings.Contains(page, "防护用品") {
		t.Errorf("items page after switching to Chinese is not in Chinese")
	}
	if r := br.post("/language", url.Values{"lang": {"xx"}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("unknown language: %d", r.Status)
	}
	// An open redirect through next is refused.
	if r := br.post("/language", url.Values{"lang": {"en"}, "next": {"//evil.example.org/"}}); r.Header.Get("Location") != "/" {
		t.Errorf("next=//evil.example.org redirected to %q", r.Header.Get("Location"))
	}
}

// TestCrossOrigin checks that a form posted from another site is refused.
func TestCrossOrigin(t *testing.T) {
	t.Parallel()
	m := startMain(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	br := m.login("coordinator@scmc.example.org")
	req, _ := http.NewRequest("POST", m.URL()+"/organizations/"+m.orgID("Shanghai Children's Medical Center")+"/departments",
		strings.NewReader("name=Injected"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example.org")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := br.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site post: status %d, want 403", res.StatusCode)
	}
	deps, _ := m.Store.ListDepartments(context.Background(), m.orgID("Shanghai Children's Medical Center"))
	for _, d := range deps {
		if d.Name == "Injected" {
			t.Error("the cross-site post created a department")
		}
	}
}

// TestLoginPage checks failed logins say so without saying which part was
// wrong, and that pages need a session.
func TestLoginPage(t *testing.T) {
	t.Parallel()
	m := startMain(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	anon := m.anonymousBrowser()
	if r := anon.get("/organizations?q=x"); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/login?next=%2Forganizations%3Fq%3Dx" {
		t.Errorf("anonymous page: %d %q", r.Status, r.Header.Get("Location"))
	}
	r := anon.post("/login", url.Values{"email": {"coordinator@scmc.example.org"}, "password": {"wrong password"}})
	if r.Status != http.StatusUnauthorized || !strings.Contains(string(r.Body), "Wrong email or password") || !strings.Contains(string(r.Body), `value="coordinator@scmc.example.org"`) {
		t.Errorf("wrong password: %d", r.Status)
	}
	r = anon.post("/login", url.Values{"email": {"coordinator@scmc.example.org"}, "password": {"aidbridge-demo"}, "next": {"/items"}})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/items" {
		t.Errorf("login: %d %q", r.Status, r.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, c := range r.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "aidbridge_session=") {
			session, _ = http.ParseSetCookie(c)
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
		t.Errorf("session cookie: %+v", session)
	}
}
