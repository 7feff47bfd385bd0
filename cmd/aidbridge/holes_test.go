package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aidbridge/internal/demo"
	"aidbridge/internal/store/storetest"
)

// TestSafeRedirects checks that login and the language switch go only to
// paths of this site, whatever next holds once parsed and decoded.
func TestSafeRedirects(t *testing.T) {
	t.Parallel()
	m := startMain(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	br := m.login("coordinator@scmc.example.org")
	for _, tt := range []struct{ next, want string }{
		{"/needs?status=all", "/needs?status=all"},
		{"/organizations/x#members", "/organizations/x#members"},
		{"/\t/evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"//evil.example", "/"},
		{"/\\evil.example", "/"},
		{"/%2F/evil.example", "/"},
		{"/%5C/evil.example", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"evil.example", "/"},
	} {
		got := br.get("/login?next=" + url.QueryEscape(tt.next))
		if loc := got.Header.Get("Location"); got.Status != http.StatusSeeOther || loc != tt.want {
			t.Errorf("GET /login?next=%q: %d to %q, want %q", tt.next, got.Status, loc, tt.want)
		}
		got = br.post("/language", url.Values{"lang": {"en"}, "next": {tt.next}})
		if loc := got.Header.Get("Location"); got.Status != http.StatusSeeOther || loc != tt.want {
			t.Errorf("POST /language next=%q: %d to %q, want %q", tt.next, got.Status, loc, tt.want)
		}
	}
	// Control characters that reach the URL itself are refused at the door.
	if got := br.get("/login?next=/ok%00"); got.Status != http.StatusUnprocessableEntity {
		t.Errorf("GET /login?next=/ok%%00: status %d, want 422", got.Status)
	}
	anon := m.anonymousBrowser()
	r := anon.post("/login", url.Values{"email": {"coordinator@scmc.example.org"}, "password": {demo.Password}, "next": {"/\t/evil.example"}})
	if loc := r.Header.Get("Location"); r.Status == http.StatusSeeOther && strings.Contains(loc, "evil") {
		t.Errorf("POST /login sent the user to %q", loc)
	}
}

// TestTextAtTheBoundary sends what is not text (invalid UTF-8, NUL, other
// control characters) in paths, filters, JSON strings and form fields: each
// is refused with 422 naming the field, on both databases, and nothing is
// stored.
func TestTextAtTheBoundary(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			m := startMain(t, b)
			token := m.token("admin@example.org")
			for _, tt := range []struct {
				method, path string
				body         any
				field        string
			}{
				{"GET", "/api/v1/organizations/%ff", nil, "path"},
				{"GET", "/api/v1/organizations/a%00b", nil, "path"},
				{"GET", "/api/v1/people?q=%00", nil, "q"},
				{"GET", "/api/v1/people?q=%ff%fe", nil, "q"},
				{"GET", "/api/v1/organizations?cursor=%01", nil, "cursor"},
				{"POST", "/api/v1/items", `{"code":"T1","name":"x\u0000y","category":"ppe","unit":"piece"}`, "name"},
				{"POST", "/api/v1/items", `{"code":"T2","name":"bell\u0007","category":"ppe","unit":"piece"}`, "name"},
				{"POST", "/api/v1/organizations", `{"name":"Hospital","kind":"hospital","country":"CN","accreditations":[{"kind":"accreditation","name":"JCI\u001b","granted_on":"2010"}]}`, "accreditations[0].name"},
				{"POST", "/api/v1/items", "{\"code\":\"T3\",\"name\":\"bad \xff byte\",\"category\":\"ppe\",\"unit\":\"piece\"}", "body"},
			} {
				r := m.call(tt.method, tt.path, token, tt.body)
				if r.Status != http.StatusUnprocessableEntity {
					t.Errorf("%s %s: status %d, want 422: %s", tt.method, tt.path, r.Status, r.Body)
					continue
				}
				fields, _ := r.JSON["fields"].([]any)
				if len(fields) == 0 || fields[0].(map[string]any)["field"] != tt.field {
					t.Errorf("%s %s: fields %v, want %s named", tt.method, tt.path, r.JSON["fields"], tt.field)
				}
			}
			// Newlines and tabs are text: a multi-line justification is taken.
			if r := m.call("POST", "/api/v1/items", token, map[string]any{"code": "T4", "name": "Gloves\tnitrile", "category": "ppe", "unit": "box"}); r.Status != 201 {
				t.Errorf("a name with a tab: %d %s", r.Status, r.Body)
			}
			stored := map[string]bool{}
			for _, it := range m.call("GET", "/api/v1/items?limit=200", token, nil).JSON["items"].([]any) {
				stored[it.(map[string]any)["code"].(string)] = true
			}
			for _, code := range []string{"T1", "T2", "T3"} {
				if stored[code] {
					t.Errorf("refused item %s was stored", code)
				}
			}
			if !stored["T4"] {
				t.Errorf("item T4, with a tab, was not stored")
			}

			// The pages: a filter and a form field.
			br := m.login("admin@example.org")
			if r := br.get("/people?q=%00"); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("people page with a NUL filter: status %d", r.Status)
			}
			if r := br.get("/organizations/%ff"); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("organization page with an invalid path: status %d", r.Status)
			}
			r := br.post("/items", url.Values{"code": {"T5"}, "name": {"x\x00y"}, "category": {"ppe"}, "unit": {"piece"}})
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "name") {
				t.Errorf("item form with a NUL: status %d", r.Status)
			}
			if r := m.call("GET", "/api/v1/items?q=T5", token, nil); len(r.JSON["items"].([]any)) != 0 {
				t.Errorf("the refused form stored item T5: %s", r.Body)
			}
		})
	}
}

// TestDatesInRange checks the one range of every date: year 0000 and days
// that do not exist are refused naming the field, through the API and the
// forms, on both databases.
func TestDatesInRange(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			m := startMain(t, b)
			token := m.token("supply@seattlechildrens.example.org")
			seattle, n95 := m.orgID(seattleName), m.itemID("N95")
			for _, date := range []string{"0000-01-01", "2027-02-30", "9999-12-31", "1799-12-31"} {
				r := m.call("POST", "/api/v1/needs", token, map[string]any{"organization_id": seattle, "item_id": n95, "quantity": 10,
					"urgency": "high", "needed_by": date})
				if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "needed_by") {
					t.Errorf("API need due %s: status %d: %s", date, r.Status, r.Body)
				}
				br := m.login("supply@seattlechildrens.example.org")
				r = br.post("/needs", url.Values{"organization_id": {seattle}, "item_id": {n95}, "quantity": {"10"}, "urgency": {"high"}, "needed_by": {date}})
				if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), `id="e-needed_by"`) {
					t.Errorf("form need due %s: status %d", date, r.Status)
				}
			}
			admin := m.token("admin@example.org")
			r := m.call("POST", "/api/v1/people", admin, map[string]any{"organization_id": seattle, "name": "Old", "birth_date": "0000-01-01"})
			if r.Status != http.StatusUnprocessableEntity {
				t.Errorf("birth date 0000-01-01: status %d", r.Status)
			}
		})
	}
}

// TestDocsAndHeaders checks the API's docs page and the headers of its JSON
// answers.
func TestDocsAndHeaders(t *testing.T) {
	t.Parallel()
	m := startMain(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	d := m.call("GET", "/api/docs", "", nil)
	if d.Status != 200 || strings.Contains(string(d.Body), "0x") || !strings.Contains(string(d.Body), "(OpenAPI 3.1") {
		t.Errorf("docs page: %d, a Go value where the version belongs: %s", d.Status, grep(d.Body, "OpenAPI"))
	}
	token := m.token("admin@scmc.example.org")
	scmc := m.orgID(scmcName)
	r := m.call("GET", "/api/v1/people?organization_id="+scmc, token, nil)
	if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("people list headers: %v", r.Header)
	}
	if r := m.call("GET", "/api/v1/organizations/nope", token, nil); r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("an error answer lacks nosniff: %v", r.Header)
	}
}

// TestForgedCursors sends cursors the server never gave out: each list
// refuses them naming the cursor, on both databases, instead of failing or
// answering arbitrary rows.
func TestForgedCursors(t *testing.T) {
	t.Parallel()
	forge := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			m := startMain(t, b)
			token := m.token("admin@example.org")
			for _, list := range []string{"organizations", "people", "items", "needs"} {
				// A real cursor works.
				first := m.call("GET", "/api/v1/"+list+"?limit=1", token, nil)
				next, _ := first.JSON["next_cursor"].(string)
				if first.Status != 200 || next == "" {
					t.Fatalf("%s: first page %d without a next cursor", list, first.Status)
				}
				if r := m.call("GET", "/api/v1/"+list+"?limit=1&cursor="+url.QueryEscape(next), token, nil); r.Status != 200 {
					t.Errorf("%s: the server's own cursor: %d %s", list, r.Status, r.Body)
				}
				forged := []string{"garbage!", forge("no separator"), forge("name\x00not-an-id!"), forge("\xff\xfe\x00" + "06h3268z6jw2j575jw8wy1pbkw")}
				if list == "needs" {
					// The board's position is an urgency and a date.
					forged = append(forged, forge("1|2027-02-30\x0006h3268z6jw2j575jw8wy1pbkw"), forge("x|y\x0006h3268z6jw2j575jw8wy1pbkw"),
						forge("9|2026-01-01\x0006h3268z6jw2j575jw8wy1pbkw"))
				}
				for _, c := range forged {
					r := m.call("GET", "/api/v1/"+list+"?cursor="+url.QueryEscape(c), token, nil)
					if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "cursor") {
						t.Errorf("%s with cursor %q: status %d, want 422 naming the cursor: %s", list, c, r.Status, r.Body)
					}
				}
			}
		})
	}
}

// TestAllocateHostileDIMACS runs aidbridge allocate on a 29-byte file that
// claims 16,777,216 nodes: refused at once, naming the bound and how to
// raise it, instead of taking a gigabyte.
func TestAllocateHostileDIMACS(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	hostile := filepath.Join(dir, "hostile.dimacs")
	small := filepath.Join(dir, "small.dimacs")
	os.WriteFile(hostile, []byte("p min 16777216 1\na 1 2 0 1 0\n"), 0o644)
	os.WriteFile(small, []byte("p min 3 1\nn 1 1\nn 3 -1\na 1 3 0 1 5\n"), 0o644)
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"allocate", "--dimacs", hostile}, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "16777216") || !strings.Contains(err.Error(), "--max-nodes") || out.Len() != 0 {
		t.Errorf("hostile file: %v, printed %q", err, out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"allocate", "--dimacs", small, "--max-nodes", "3"}, nil, &out, &errb); err != nil || out.String() != "s 5\nf 1 3 1\n" {
		t.Errorf("small file within --max-nodes 3: %q, %v", out.String(), err)
	}
	if err := run(context.Background(), []string{"allocate", "--dimacs", small, "--max-nodes", "0"}, nil, &out, &errb); err == nil {
		t.Errorf("--max-nodes 0 was taken")
	}
}

// TestAuditShowsWhatTheReaderMaySee adds a user who holds a role in SCMC to
// Seattle Children's: a coordinator of Seattle reading Seattle's audit sees
// the membership in Seattle, but neither the user's email nor the role in
// SCMC, while the user sees their own record whole.
func TestAuditShowsWhatTheReaderMaySee(t *testing.T) {
	t.Parallel()
	m := startMain(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	admin := m.token("admin@example.org")
	scmc, seattle := m.orgID(scmcName), m.orgID(seattleName)
	r := m.call("POST", "/api/v1/users", admin, map[string]any{"email": "traveller@example.org", "name": "Traveller",
		"password": "a long enough password", "memberships": []map[string]any{{"organization_id": scmc, "role": "viewer"}}})
	if r.Status != 201 {
		t.Fatalf("create user: %d %s", r.Status, r.Body)
	}
	userID := r.JSON["id"].(string)
	if r := m.call("POST", "/api/v1/organizations/"+seattle+"/members", admin, map[string]any{"email": "traveller@example.org", "role": "viewer"}); r.Status != 201 {
		t.Fatalf("add to Seattle: %d %s", r.Status, r.Body)
	}
	entries := func(token string) []map[string]any {
		t.Helper()
		r := m.call("GET", "/api/v1/audit?organization_id="+seattle, token, nil)
		if r.Status != 200 {
			t.Fatalf("audit: %d %s", r.Status, r.Body)
		}
		var out []map[string]any
		for _, e := range r.JSON["items"].([]any) {
			if e := e.(map[string]any); e["entity_type"] == "user" && e["entity_id"] == userID {
				out = append(out, e)
			}
		}
		if len(out) == 0 {
			t.Fatalf("no audit entry of the user in Seattle's audit: %s", r.Body)
		}
		return out
	}
	for _, e := range entries(m.token("supply@seattlechildrens.example.org")) {
		body, _ := json.Marshal(e)
		if strings.Contains(string(body), "traveller@example.org") {
			t.Errorf("a coordinator of Seattle reads the user's email: %s", body)
		}
		if strings.Contains(string(body), scmc) {
			t.Errorf("a coordinator of Seattle reads the user's role in SCMC: %s", body)
		}
		if !strings.Contains(string(body), seattle) {
			t.Errorf("the membership in Seattle is hidden from Seattle's coordinator: %s", body)
		}
	}
	for _, e := range entries(admin) {
		if body, _ := json.Marshal(e); !strings.Contains(string(body), "traveller@example.org") || !strings.Contains(string(body), scmc) {
			t.Errorf("the site administrator does not read the whole entry: %s", body)
		}
	}
}

// TestQueryBounds sends filters far longer than any search: refused naming
// the filter, on the pages and in the API, where SQLite failed on a LIKE
// pattern too complex.
func TestQueryBounds(t *testing.T) {
	t.Parallel()
	m := startMain(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	token := m.token("admin@example.org")
	long := strings.Repeat("cardiology ", 5000)
	for _, path := range []string{"/api/v1/people?specialty=", "/api/v1/people?q=", "/api/v1/organizations?country=", "/api/v1/needs?cursor="} {
		r := m.call("GET", path+url.QueryEscape(long), token, nil)
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("GET %s…: status %d, want 422", path, r.Status)
		}
	}
	br := m.login("admin@example.org")
	for _, path := range []string{"/people?specialty=", "/people?q=", "/needs?country="} {
		if r := br.get(path + url.QueryEscape(long)); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("GET %s…: status %d, want 422", path, r.Status)
		}
	}
	if r := m.call("GET", "/api/v1/people?specialty="+url.QueryEscape(strings.Repeat("a", 200)), token, nil); r.Status != 200 {
		t.Errorf("a filter at the bound: %d %s", r.Status, r.Body)
	}
}
