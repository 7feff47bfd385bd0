package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"testing"

	"aidbridge/internal/demo"
	"aidbridge/internal/domain"
	"aidbridge/internal/store/storetest"
)

// testMain is the real program running on 127.0.0.1:0 over a new database
// loaded with the demo data set.
type testMain struct {
	*Main
	t testing.TB
}

// startMain starts the program on backend b with the demo data loaded, and
// stops it when the test ends.
func startMain(t testing.TB, b storetest.Backend) *testMain {
	t.Helper()
	return startMainURL(t, b.URL(t), true)
}

func startMainURL(t testing.TB, dbURL string, withDemo bool) *testMain {
	t.Helper()
	var out bytes.Buffer
	m := NewMain(Config{Addr: "127.0.0.1:0", DB: dbURL, Demo: withDemo}, &out, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return &testMain{Main: m, t: t}
}

// token returns a new API token for the user with the given email.
func (m *testMain) token(email string) string {
	m.t.Helper()
	u, err := m.Accounts.FindUserByEmail(context.Background(), email)
	if err != nil {
		m.t.Fatal(err)
	}
	_, secret, err := m.Accounts.CreateToken(context.Background(), nil, u.ID, "test")
	if err != nil {
		m.t.Fatal(err)
	}
	return secret
}

// orgID returns the id of the organization with exactly the given name.
func (m *testMain) orgID(name string) string {
	m.t.Helper()
	list, _, err := m.Store.ListOrganizations(context.Background(), domain.OrganizationFilter{Query: name, Limit: 200})
	if err != nil {
		m.t.Fatal(err)
	}
	for _, o := range list {
		if o.Name == name {
			return o.ID
		}
	}
	m.t.Fatalf("no organization named %q", name)
	return ""
}

// response is an answer of the API, its body decoded when it is JSON.
type response struct {
	Status int
	Header http.Header
	Body   []byte
	JSON   map[string]any
}

// call sends a request to the API with a bearer token (none when token is
// "") and a JSON body (none when body is nil).
func (m *testMain) call(method, path, token string, body any) response {
	m.t.Helper()
	var r io.Reader
	if body != nil {
		if s, ok := body.(string); ok {
			r = strings.NewReader(s)
		} else {
			b, err := json.Marshal(body)
			if err != nil {
				m.t.Fatal(err)
			}
			r = bytes.NewReader(b)
		}
	}
	req, err := http.NewRequest(method, m.URL()+path, r)
	if err != nil {
		m.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		m.t.Fatal(err)
	}
	defer res.Body.Close()
	out := response{Status: res.StatusCode, Header: res.Header}
	out.Body, _ = io.ReadAll(res.Body)
	if strings.Contains(res.Header.Get("Content-Type"), "json") {
		json.Unmarshal(out.Body, &out.JSON)
	}
	return out
}

// browser is an HTTP client with a cookie jar, as a browser without
// JavaScript would be; same-origin form posts carry the Origin header.
type browser struct {
	m      *testMain
	client *http.Client
}

func (m *testMain) login(email string) *browser {
	m.t.Helper()
	b := m.anonymousBrowser()
	res := b.post("/login", url.Values{"email": {email}, "password": {demo.Password}})
	if res.Status != http.StatusSeeOther {
		m.t.Fatalf("login %s: status %d: %s", email, res.Status, res.Body)
	}
	return b
}

func (b *browser) get(path string) response {
	b.m.t.Helper()
	res, err := b.client.Get(b.m.URL() + path)
	if err != nil {
		b.m.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Header: res.Header, Body: body}
}

func (b *browser) post(path string, form url.Values) response {
	b.m.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.m.URL()+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.m.URL())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := b.client.Do(req)
	if err != nil {
		b.m.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Header: res.Header, Body: body}
}

func TestHealthAndMetrics(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			m := startMain(t, b)
			if r := m.call("GET", "/healthz", "", nil); r.Status != 200 || string(r.Body) != "ok\n" {
				t.Errorf("healthz: %d %q", r.Status, r.Body)
			}
			m.call("GET", "/api/v1/organizations", m.token("admin@example.org"), nil)
			r := m.call("GET", "/metrics", "", nil)
			if !bytes.Contains(r.Body, []byte(`aidbridge_http_requests_total{method="GET",route="GET /api/v1/organizations",status="200"} 1`)) {
				t.Errorf("metrics lack the request count of the organizations route:\n%s", grep(r.Body, "aidbridge_http"))
			}
			if !bytes.Contains(r.Body, []byte("aidbridge_store_errors_total 0")) {
				t.Errorf("metrics lack the store error count")
			}
		})
	}
}

func grep(b []byte, s string) string {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestDirectoryAPI walks the directory over the API as a script would:
// search, read, change with the version, and the refusals of bad input.
func TestDirectoryAPI(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			m := startMain(t, b)
			tok := m.token("coordinator@scmc.example.org")
			r := m.call("GET", "/api/v1/organizations?q=shanghai+children", tok, nil)
			items, _ := r.JSON["items"].([]any)
			if r.Status != 200 || len(items) == 0 {
				t.Fatalf("search: %d %s", r.Status, r.Body)
			}
			scmc := m.orgID("Shanghai Children's Medical Center")
			r = m.call("GET", "/api/v1/organizations/"+scmc, tok, nil)
			if r.JSON["beds_total"] != 1500.0 || r.JSON["beds_in_service"] != 880.0 || r.JSON["clinical_departments"] != 31.0 {
				t.Errorf("SCMC figures: %s", r.Body)
			}
			if r.Header.Get("ETag") != `"1"` {
				t.Errorf("ETag = %q, want \"1\"", r.Header.Get("ETag"))
			}
			body := map[string]any{}
			for _, k := range []string{"name", "kind", "country", "subdivision", "city", "parent_id", "parent_relation", "beds_total",
				"beds_in_service", "clinical_departments", "website", "accreditations"} {
				if v, ok := r.JSON[k]; ok {
					body[k] = v
				}
			}

			// A change without the version read is refused; with it, it goes through.
			oldCity := body["city"]
			body["city"] = "Shanghai (Pudong New Area)"
			if r := m.call("PUT", "/api/v1/organizations/"+scmc, tok, body); r.Status != 422 || !strings.Contains(string(r.Body), "version") {
				t.Errorf("update without version: %d %s", r.Status, r.Body)
			}
			body["version"] = 1
			if r := m.call("PUT", "/api/v1/organizations/"+scmc, tok, body); r.Status != 200 || r.JSON["version"] != 2.0 {
				t.Fatalf("update: %d %s", r.Status, r.Body)
			}
			// The same stale version again: 409 problem+json saying the record changed.
			r = m.call("PUT", "/api/v1/organizations/"+scmc, tok, body)
			if r.Status != 409 || r.Header.Get("Content-Type") != "application/problem+json" || !strings.Contains(r.JSON["detail"].(string), "changed") {
				t.Errorf("stale update: %d %s %s", r.Status, r.Header.Get("Content-Type"), r.Body)
			}

			// Bad input names the field and stores nothing.
			for _, tc := range []struct {
				name  string
				body  any
				field string
			}{
				{"beds exceed", map[string]any{"name": "X Hospital", "kind": "hospital", "country": "CN", "beds_total": 10, "beds_in_service": 20, "parent_id": scmc, "parent_relation": "branch"}, "beds_in_service"},
				{"bad country", map[string]any{"name": "X Hospital", "kind": "hospital", "country": "ZZ", "parent_id": scmc, "parent_relation": "branch"}, "country"},
				{"bad kind", map[string]any{"name": "X Hospital", "kind": "castle", "country": "CN", "parent_id": scmc, "parent_relation": "branch"}, "kind"},
				{"negative beds", map[string]any{"name": "X Hospital", "kind": "hospital", "country": "CN", "beds_total": -1, "parent_id": scmc, "parent_relation": "branch"}, "beds_total"},
				{"fractional beds", `{"name":"X Hospital","kind":"hospital","country":"CN","beds_total":1.5,"parent_id":"` + scmc + `","parent_relation":"branch"}`, "beds_total"},
				{"beds beyond 64 bits", `{"name":"X Hospital","kind":"hospital","country":"CN","beds_total":99999999999999999999,"parent_id":"` + scmc + `","parent_relation":"branch"}`, "beds_total"},
				{"unknown field", map[string]any{"name": "X Hospital", "kind": "hospital", "country": "CN", "colour": "red", "parent_id": scmc, "parent_relation": "branch"}, "colour"},
				{"subdivision elsewhere", map[string]any{"name": "X Hospital", "kind": "hospital", "country": "CN", "subdivision": "US-WA", "parent_id": scmc, "parent_relation": "branch"}, "subdivision"},
			} {
				r := m.call("POST", "/api/v1/organizations", tok, tc.body)
				if r.Status != 422 && r.Status != 400 || r.Header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("%s: status %d %s", tc.name, r.Status, r.Body)
					continue
				}
				if !strings.Contains(string(r.Body), tc.field) {
					t.Errorf("%s: the problem does not name %s: %s", tc.name, tc.field, r.Body)
				}
			}
			if r := m.call("GET", "/api/v1/organizations?q=X+Hospital", tok, nil); len(r.JSON["items"].([]any)) != 0 {
				t.Errorf("a refused organization was stored: %s", r.Body)
			}
			// A body over the limit is refused.
			big := `{"name":"` + strings.Repeat("a", 2<<20) + `","kind":"hospital","country":"CN"}`
			if r := m.call("POST", "/api/v1/organizations", tok, big); r.Status != 413 {
				t.Errorf("oversized body: status %d", r.Status)
			}

			// The audit log has the change with before and after.
			r = m.call("GET", "/api/v1/audit?entity_type=organization&entity_id="+scmc, tok, nil)
			entries, _ := r.JSON["items"].([]any)
			if r.Status != 200 || len(entries) < 2 {
				t.Fatalf("audit: %d %s", r.Status, r.Body)
			}
			last := entries[0].(map[string]any)
			if last["action"] != "update" || last["before"].(map[string]any)["city"] != oldCity ||
				last["after"].(map[string]any)["city"] != "Shanghai (Pudong New Area)" {
				t.Errorf("audit entry: %v", last)
			}

			// Paging: limit and next_cursor walk every organization exactly once.
			seen := map[string]bool{}
			cursor := ""
			for range 100 {
				r := m.call("GET", "/api/v1/organizations?limit=3&cursor="+url.QueryEscape(cursor), tok, nil)
				for _, it := range r.JSON["items"].([]any) {
					id := it.(map[string]any)["id"].(string)
					if seen[id] {
						t.Fatalf("organization %s seen twice", id)
					}
					seen[id] = true
				}
				next, _ := r.JSON["next_cursor"].(string)
				if next == "" {
					break
				}
				cursor = next
			}
			all, _, _ := m.Store.ListOrganizations(context.Background(), domain.OrganizationFilter{Limit: 200})
			if len(seen) != len(all) {
				t.Errorf("paged through %d organizations, want %d", len(seen), len(all))
			}
			if r := m.call("GET", "/api/v1/organizations?limit=201", tok, nil); r.Status != 422 {
				t.Errorf("limit 201: status %d", r.Status)
			}
		})
	}
}

// TestUnauthenticated checks that the API wants a token and says how.
func TestUnauthenticated(t *testing.T) {
	t.Parallel()
	m := startMain(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	for _, tc := range []struct{ auth, want string }{
		{"", "sign in"},
		{"Bearer abk_nonsense", "unknown or revoked"},
		{"Bearer nonsense", "not an aidbridge API token"},
		{"Basic dXNlcjpwYXNz", "Bearer TOKEN"},
	} {
		req, _ := http.NewRequest("GET", m.URL()+"/api/v1/organizations", nil)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 401 || !strings.Contains(string(body), tc.want) {
			t.Errorf("auth %q: %d %s", tc.auth, res.StatusCode, body)
		}
	}
}

// TestOpenAPI checks that the document describes every operation the API
// serves, each with an operationId, a summary and its errors as
// problem+json; that the fixed resources of the interface are there; and
// that the bounds of request bodies and list parameters are the domain's
// limits (internal/api/limits.go puts them into the schema from the domain).
func TestOpenAPI(t *testing.T) {
	t.Parallel()
	m := startMain(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	r := m.call("GET", "/api/openapi.json", "", nil)
	type schema struct {
		Ref        string             `json:"$ref"`
		Properties map[string]*schema `json:"properties"`
		Items      *schema            `json:"items"`
		MinLength  *float64           `json:"minLength"`
		MaxLength  *float64           `json:"maxLength"`
		MaxItems   *float64           `json:"maxItems"`
		Maximum    *float64           `json:"maximum"`
		Minimum    *float64           `json:"minimum"`
	}
	type content map[string]struct {
		Schema *schema `json:"schema"`
	}
	type operation struct {
		OperationID string `json:"operationId"`
		Summary     string `json:"summary"`
		Parameters  []struct {
			Name   string  `json:"name"`
			In     string  `json:"in"`
			Schema *schema `json:"schema"`
		} `json:"parameters"`
		RequestBody *struct {
			Content content `json:"content"`
		} `json:"requestBody"`
		Responses map[string]struct {
			Content content `json:"content"`
		} `json:"responses"`
	}
	var doc struct {
		OpenAPI    string                                `json:"openapi"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]*schema `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(r.Body, &doc); r.Status != 200 || err != nil || !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Fatalf("openapi: %d %v %q", r.Status, err, doc.OpenAPI)
	}
	methods := []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}
	ops := map[string]operation{}    // by operationId
	routes := map[string]operation{} // by "METHOD /path"
	for path, item := range doc.Paths {
		for _, method := range methods {
			raw, ok := item[strings.ToLower(method)]
			if !ok {
				continue
			}
			route := method + " " + path
			var op operation
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s: %v", route, err)
			}
			routes[route] = op
			switch _, twice := ops[op.OperationID]; {
			case op.OperationID == "":
				t.Errorf("%s has no operationId", route)
			case twice:
				t.Errorf("%s: operationId %s is used twice", route, op.OperationID)
			}
			ops[op.OperationID] = op
			if op.Summary == "" {
				t.Errorf("%s has no summary", route)
			}
			if !strings.HasPrefix(path, "/api/v1/") {
				t.Errorf("%s is not under /api/v1", route)
			}
			var errorsSaid, successSaid int
			for status, res := range op.Responses {
				switch {
				case status == "default" || status[0] == '4' || status[0] == '5':
					errorsSaid++
					if len(res.Content) != 1 || res.Content["application/problem+json"].Schema == nil {
						t.Errorf("%s: the %s response is not described as application/problem+json", route, status)
					}
				case status[0] == '2':
					successSaid++
				}
			}
			if errorsSaid == 0 || successSaid == 0 {
				t.Errorf("%s: %d error and %d success responses described", route, errorsSaid, successSaid)
			}
		}
	}

	// What the API serves is what the document says: on every documented
	// path, a documented method reaches the API (a JSON answer, here a
	// refusal without a token), any other one the mux's 405.
	for path, item := range doc.Paths {
		probe := path
		for strings.Contains(probe, "{") {
			i, j := strings.Index(probe, "{"), strings.Index(probe, "}")
			probe = probe[:i] + "x" + probe[j+1:]
		}
		for _, method := range methods {
			_, documented := item[strings.ToLower(method)]
			res := m.call(method, probe, "", nil)
			served := res.Status != http.StatusMethodNotAllowed && strings.Contains(res.Header.Get("Content-Type"), "json")
			if served != documented {
				t.Errorf("%s %s: served %v (status %d), documented %v", method, probe, served, res.Status, documented)
			}
		}
	}

	// The fixed resources of the interface (shared/DOMAIN.md) that exist.
	for _, route := range []string{
		"GET /api/v1/organizations", "POST /api/v1/organizations", "GET /api/v1/organizations/{id}",
		"GET /api/v1/people", "POST /api/v1/people", "GET /api/v1/items", "POST /api/v1/items",
		"GET /api/v1/needs", "POST /api/v1/needs", "GET /api/v1/needs/{id}/pledges", "POST /api/v1/needs/{id}/pledges",
		"POST /api/v1/pledges/{id}/accept", "GET /api/v1/shipments", "POST /api/v1/shipments",
		"POST /api/v1/shipments/{id}/dispatch", "POST /api/v1/shipments/{id}/receipt",
		"GET /api/v1/organizations/{id}/stock", "GET /api/v1/audit",
	} {
		if _, ok := routes[route]; !ok {
			t.Errorf("the document lacks the fixed resource %s", route)
		}
	}

	// The bounds of request bodies are the domain's limits.
	val := func(p *float64) any {
		if p == nil {
			return "none"
		}
		return *p
	}
	deref := func(s *schema) *schema {
		for s != nil && s.Ref != "" {
			s = doc.Components.Schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")]
		}
		return s
	}
	for _, tc := range []struct {
		op, field, bound string // field: a property path, lines[].quantity for an array's items
		want             int64
	}{
		{"create-organization", "name", "maxLength", domain.MaxName},
		{"create-organization", "city", "maxLength", domain.MaxShort},
		{"create-organization", "website", "maxLength", domain.MaxWebsite},
		{"create-organization", "accreditations", "maxItems", domain.MaxAccreditations},
		{"update-organization", "name", "maxLength", domain.MaxName},
		{"create-department", "name", "maxLength", domain.MaxName},
		{"create-person", "name", "maxLength", domain.MaxName},
		{"create-person", "title", "maxLength", domain.MaxShort},
		{"create-person", "specialty", "maxLength", domain.MaxShort},
		{"create-person", "email", "maxLength", domain.MaxEmail},
		{"create-person", "phone", "maxLength", domain.MaxPhone},
		{"create-person", "languages", "maxItems", domain.MaxLanguages},
		{"update-person", "email", "maxLength", domain.MaxEmail},
		{"create-item", "name", "maxLength", domain.MaxName},
		{"create-item", "unit", "maxLength", domain.MaxUnit},
		{"create-need", "quantity", "maximum", domain.MaxQuantity},
		{"create-need", "justification", "maxLength", domain.MaxText},
		{"update-need", "quantity", "maximum", domain.MaxQuantity},
		{"cancel-need", "reason", "maxLength", domain.MaxNote},
		{"create-pledge", "quantity", "maximum", domain.MaxQuantity},
		{"create-pledge", "note", "maxLength", domain.MaxNote},
		{"decline-pledge", "reason", "maxLength", domain.MaxNote},
		{"withdraw-pledge", "reason", "maxLength", domain.MaxNote},
		{"create-shipment", "carrier", "maxLength", domain.MaxShort},
		{"create-shipment", "tracking_number", "maxLength", domain.MaxShort},
		{"create-shipment", "customs_reference", "maxLength", domain.MaxShort},
		{"create-shipment", "lines[].quantity", "maximum", domain.MaxQuantity},
		{"record-receipt", "lines[].received", "maximum", domain.MaxQuantity},
		{"record-receipt", "lines[].damaged", "maximum", domain.MaxQuantity},
		{"record-stock-movement", "delta", "maximum", domain.MaxQuantity},
		{"record-stock-movement", "delta", "minimum", -domain.MaxQuantity},
		{"record-stock-movement", "counted", "maximum", domain.MaxQuantity},
		{"record-stock-movement", "reason", "maxLength", domain.MaxNote},
		{"create-user", "email", "maxLength", domain.MaxEmail},
		{"create-user", "name", "maxLength", domain.MaxName},
		{"create-user", "password", "minLength", domain.MinPasswordLength},
	} {
		op, ok := ops[tc.op]
		if !ok || op.RequestBody == nil {
			t.Errorf("%s: no such operation with a request body", tc.op)
			continue
		}
		s := deref(op.RequestBody.Content["application/json"].Schema)
		for _, name := range strings.Split(tc.field, ".") {
			name, items := strings.CutSuffix(name, "[]")
			if s != nil {
				s = deref(s.Properties[name])
			}
			if items && s != nil {
				s = deref(s.Items)
			}
		}
		if s == nil {
			t.Errorf("%s: the body has no %s", tc.op, tc.field)
			continue
		}
		got := map[string]*float64{"minLength": s.MinLength, "maxLength": s.MaxLength, "maxItems": s.MaxItems, "maximum": s.Maximum, "minimum": s.Minimum}[tc.bound]
		if got == nil || *got != float64(tc.want) {
			t.Errorf("%s: %s %s = %v, want %d", tc.op, tc.field, tc.bound, val(got), tc.want)
		}
	}

	// Lists page and search within the domain's limits.
	for route, op := range routes {
		for _, p := range op.Parameters {
			switch {
			case p.In != "query" || p.Schema == nil:
			case p.Name == "limit" && (p.Schema.Maximum == nil || *p.Schema.Maximum != domain.MaxPageSize):
				t.Errorf("%s: limit has maximum %v, want %d", route, val(p.Schema.Maximum), domain.MaxPageSize)
			case p.Name == "q" && (p.Schema.MaxLength == nil || *p.Schema.MaxLength != domain.MaxSearch):
				t.Errorf("%s: q has maxLength %v, want %d", route, val(p.Schema.MaxLength), domain.MaxSearch)
			}
		}
	}

	// The docs page has every operation.
	d := m.call("GET", "/api/docs", "", nil)
	if d.Status != 200 {
		t.Fatalf("docs page: %d", d.Status)
	}
	for id := range ops {
		if !bytes.Contains(d.Body, []byte(`id="`+id+`"`)) {
			t.Errorf("the docs page lacks %s", id)
		}
	}
}

// TestCommandLine runs user create, token create and migrate as a script would.
func TestCommandLine(t *testing.T) {
	t.Parallel()
	db := storetest.SQLiteURL(t)
	var out, errb bytes.Buffer
	ctx := context.Background()
	if err := run(ctx, []string{"migrate", "--db", db}, nil, &out, &errb); err != nil {
		t.Fatalf("migrate: %v %s", err, errb.String())
	}
	err := run(ctx, []string{"user", "create", "--db", db, "--email", "ops@example.org", "--name", "Ops", "--site-admin"},
		strings.NewReader("a long enough password\n"), &out, &errb)
	if err != nil {
		t.Fatalf("user create: %v", err)
	}
	err = run(ctx, []string{"user", "create", "--db", db, "--email", "short@example.org", "--name", "Short"}, strings.NewReader("short\n"), &out, &errb)
	if domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("short password: %v", err)
	}
	out.Reset()
	if err := run(ctx, []string{"token", "create", "--db", db, "--email", "ops@example.org"}, nil, &out, &errb); err != nil {
		t.Fatalf("token create: %v", err)
	}
	tok := strings.TrimSpace(out.String())
	if !strings.HasPrefix(tok, "abk_") || strings.Contains(tok, "\n") {
		t.Fatalf("token output %q", out.String())
	}
	m := startMainURL(t, db, false)
	if r := m.call("GET", "/api/v1/me", tok, nil); r.Status != 200 || r.JSON["email"] != "ops@example.org" || r.JSON["site_admin"] != true {
		t.Errorf("me with the new token: %d %s", r.Status, r.Body)
	}
	if err := run(ctx, []string{"frobnicate"}, nil, &out, &errb); err == nil {
		t.Error("unknown command accepted")
	}
}

// anonymousBrowser is a browser that has not signed in.
func (m *testMain) anonymousBrowser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{m: m, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func ioCopy(w io.Writer, res *http.Response) (int64, error) {
	defer res.Body.Close()
	return io.Copy(w, res.Body)
}

// TestAllocate solves a small DIMACS problem from the command line and
// refuses a malformed one with its line number.
func TestAllocate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := dir + "/good.min"
	problem := "c two routes from 1 to 4\np min 4 5\nn 1 4\nn 4 -4\na 1 2 0 4 2\na 1 3 0 2 2\na 2 3 0 2 1\na 2 4 0 3 3\na 3 4 0 5 1\n"
	if err := os.WriteFile(good, []byte(problem), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"allocate", "--dimacs", good}, nil, &out, &errb); err != nil {
		t.Fatalf("allocate: %v", err)
	}
	if want := "s 14\nf 1 2 2\nf 1 3 2\nf 2 3 2\nf 3 4 4\n"; out.String() != want {
		t.Errorf("solution:\n%s\nwant:\n%s", out.String(), want)
	}
	bad := dir + "/bad.min"
	os.WriteFile(bad, []byte("p min 2 1\nn 1 1\nn 2 -1\na 1 2 0 x 1\n"), 0o600)
	out.Reset()
	err := run(context.Background(), []string{"allocate", "--dimacs", bad}, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "line 4") || out.Len() != 0 {
		t.Errorf("malformed problem: %v, output %q", err, out.String())
	}
	infeasible := dir + "/infeasible.min"
	os.WriteFile(infeasible, []byte("p min 2 1\nn 1 5\nn 2 -5\na 1 2 0 3 1\n"), 0o600)
	if err := run(context.Background(), []string{"allocate", "--dimacs", infeasible}, nil, &out, &errb); err == nil || !strings.Contains(err.Error(), "infeasible") {
		t.Errorf("infeasible problem: %v", err)
	}
}
