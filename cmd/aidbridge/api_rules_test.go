package main

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"aidbridge/internal/domain"
	"aidbridge/internal/store/storetest"
)

// TestAPIRulesFromDomain checks that the API states and enforces the
// domain's rules, not copies of them: the lists of codes and the limits in
// the OpenAPI document are the domain's, and a request that breaks one is
// refused naming the field with a stable code.
func TestAPIRulesFromDomain(t *testing.T) {
	t.Parallel()
	m := startMain(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	doc := m.call("GET", "/api/openapi.json", "", nil).JSON
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	prop := func(schema, field string) map[string]any {
		t.Helper()
		s, ok := schemas[schema].(map[string]any)
		if !ok {
			names := make([]string, 0, len(schemas))
			for n := range schemas {
				names = append(names, n)
			}
			slices.Sort(names)
			t.Fatalf("no schema %s among %v", schema, names)
		}
		p, ok := s["properties"].(map[string]any)[field].(map[string]any)
		if !ok {
			t.Fatalf("schema %s has no property %s", schema, field)
		}
		return p
	}
	strs := func(v any) []string {
		var out []string
		for _, x := range v.([]any) {
			out = append(out, x.(string))
		}
		return out
	}
	codes := func(vs ...string) []string { return vs }
	var kinds, categories []string
	for _, k := range domain.OrgKinds {
		kinds = append(kinds, string(k))
	}
	for _, c := range domain.ItemCategories {
		categories = append(categories, string(c))
	}
	for _, tt := range []struct {
		schema, field string
		want          []string
	}{
		{"OrganizationBody", "kind", kinds},
		{"OrganizationBody", "parent_relation", append(slices.Clone(domain.ParentRelations), "")},
		{"ItemBody", "category", categories},
		{"Add-memberRequest", "role", codes("admin", "coordinator", "screener", "reviewer", "member", "viewer")},
	} {
		if got := strs(prop(tt.schema, tt.field)["enum"]); !slices.Equal(got, tt.want) {
			t.Errorf("%s.%s enum = %v, want the domain's %v", tt.schema, tt.field, got, tt.want)
		}
	}
	for _, tt := range []struct {
		schema, field, bound string
		want                 float64
	}{
		{"OrganizationBody", "name", "maxLength", domain.MaxName},
		{"OrganizationBody", "city", "maxLength", domain.MaxShort},
		{"PersonBody", "languages", "maxItems", domain.MaxLanguages},
		{"ItemBody", "name", "maxLength", domain.MaxName},
		{"ItemBody", "unit", "maxLength", domain.MaxUnit},
		{"NeedBody", "quantity", "maximum", float64(domain.MaxQuantity)},
		{"NeedBody", "justification", "maxLength", domain.MaxText},
	} {
		if got, _ := prop(tt.schema, tt.field)[tt.bound].(float64); got != tt.want {
			t.Errorf("%s.%s %s = %v, want the domain's %v", tt.schema, tt.field, tt.bound, got, tt.want)
		}
	}

	admin := m.token("admin@example.org")
	for _, tt := range []struct {
		what  string
		path  string
		body  map[string]any
		field string
	}{
		{"a category not in the list", "/api/v1/items", map[string]any{"code": "X1", "name": "X", "category": "food", "unit": "piece"}, "category"},
		{"an item name past the limit", "/api/v1/items", map[string]any{"code": "X2", "name": strings.Repeat("名", domain.MaxName+1), "category": "ppe", "unit": "piece"}, "name"},
	} {
		r := m.call("POST", tt.path, admin, tt.body)
		if r.Status != 422 {
			t.Errorf("%s: status %d, want 422: %s", tt.what, r.Status, r.Body)
			continue
		}
		fields, _ := r.JSON["fields"].([]any)
		if len(fields) == 0 || fields[0].(map[string]any)["field"] != tt.field || fields[0].(map[string]any)["code"] == "" {
			t.Errorf("%s: fields %v, want %s named with a code", tt.what, r.JSON["fields"], tt.field)
		}
	}
	// The shared list parameters take their bounds from the domain too.
	for _, q := range []string{"q=" + strings.Repeat("a", domain.MaxSearch+1), "limit=" + strconv.Itoa(domain.MaxPageSize+1)} {
		if r := m.call("GET", "/api/v1/organizations?"+q, admin, nil); r.Status != 422 {
			t.Errorf("list with %.20s…: status %d, want 422", q, r.Status)
		}
	}
	if r := m.call("GET", "/api/v1/organizations?limit="+strconv.Itoa(domain.MaxPageSize)+"&q="+strings.Repeat("a", domain.MaxSearch), admin, nil); r.Status != 200 {
		t.Errorf("list at the bounds: status %d: %s", r.Status, r.Body)
	}
	// A name of exactly the limit in characters (not bytes) is taken.
	r := m.call("POST", "/api/v1/items", admin, map[string]any{"code": "X3", "name": strings.Repeat("名", domain.MaxName), "category": "ppe", "unit": "piece"})
	if r.Status != 201 {
		t.Errorf("an item name of %d Chinese characters: status %d: %s", domain.MaxName, r.Status, r.Body)
	}
	// The domain refuses with a stable code too.
	r = m.call("POST", "/api/v1/organizations", admin, map[string]any{"name": "Bad beds", "kind": "hospital", "country": "CN",
		"beds_total": 10, "beds_in_service": 20})
	if r.Status != 422 || r.JSON["code"] != "invalid_record" {
		t.Fatalf("beds over total: %d %s", r.Status, r.Body)
	}
	f := r.JSON["fields"].([]any)[0].(map[string]any)
	if f["field"] != "beds_in_service" || f["code"] != string(domain.MsgBedsInService) || !strings.Contains(f["message"].(string), "20 beds in service") {
		t.Errorf("beds over total: field %v", f)
	}
}
