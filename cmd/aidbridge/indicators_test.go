package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"aidbridge/internal/domain"
	"aidbridge/internal/store/storetest"
)

// TestIndicatorTechniques: Xinhua Hospital's partner-assistance office
// sets an indicator of the techniques introduced at Kashi in 2015 with a
// target of 80, and reads the 81 techniques of the Xinjiang account off
// the API and off the page, the target met; a value entered by hand is
// refused for it, and an SCMC coordinator may not set Xinhua's indicators.
func TestIndicatorTechniques(t *testing.T) {
	t.Parallel()
	m := startMain(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	kashi := m.kashiPartnership()
	token := m.token("partners@xinhua.example.org")
	body := map[string]any{"partnership_id": kashi, "name": "techniques introduced", "rule": "techniques", "period": "year",
		"starts_on": "2015-01-01", "ends_on": "2015-12-31", "target": 80}
	if r := m.call("POST", "/api/v1/indicators", m.token("coordinator@scmc.example.org"), body); r.Status != http.StatusForbidden {
		t.Errorf("an SCMC coordinator sets an indicator of Kashi: %d, want 403", r.Status)
	}
	r := m.call("POST", "/api/v1/indicators", token, body)
	if r.Status != http.StatusCreated {
		t.Fatalf("set the indicator: %d %s", r.Status, r.Body)
	}
	id, _ := r.JSON["id"].(string)

	r = m.call("GET", "/api/v1/indicators/"+id, m.token("viewer@shhealth.example.org"), nil)
	if r.Status != http.StatusOK {
		t.Fatalf("read the indicator: %d %s", r.Status, r.Body)
	}
	actuals, _ := r.JSON["actuals"].([]any)
	first, _ := actuals[0].(map[string]any)
	if r.JSON["value"] != 81.0 || r.JSON["met"] != true || len(actuals) != 1 || first["period"] != "2015" || first["reached"] != 81.0 || first["entered"] != false {
		t.Errorf("the indicator over the API: %s; want 81 reached in 2015, met", r.Body)
	}
	r = m.call("GET", "/api/v1/partnerships/"+kashi+"/indicators", token, nil)
	found := false
	for _, it := range smokeItems(r) {
		in, _ := it["indicator"].(map[string]any)
		found = found || (in["id"] == id && it["value"] == 81.0)
	}
	if r.Status != http.StatusOK || !found {
		t.Errorf("the partnership's indicators: %d %s; want the new one at 81", r.Status, r.Body)
	}
	if r := m.call("PUT", "/api/v1/indicators/"+id+"/values/2015", token, map[string]any{"value": 3}); r.Status != http.StatusConflict {
		t.Errorf("a value entered by hand for techniques: %d, want 409", r.Status)
	}

	b := m.login("viewer@shhealth.example.org")
	page := b.get("/indicators/" + id)
	if page.Status != http.StatusOK {
		t.Fatalf("the indicator's page: %d", page.Status)
	}
	for _, want := range []string{`id="indicator-value">81<`, `id="indicator-target">80<`, `id="indicator-met">Target met<`,
		`<td class="num reached">81</td>`, `href="/outcomes?from=2015-01-01&amp;kind=technique&amp;partnership_id=` + kashi + `&amp;to=2015-12-31">81</a>`} {
		if !strings.Contains(string(page.Body), want) {
			t.Errorf("the indicator's page does not say %s", want)
		}
	}
	if list := b.get("/outcomes?" + url.Values{"partnership_id": {kashi}, "kind": {"technique"}, "from": {"2015-01-01"}, "to": {"2015-12-31"}}.Encode()); list.Status != http.StatusOK {
		t.Errorf("the records behind the value: %d", list.Status)
	}
	ps := b.get("/partnerships/" + kashi)
	if !strings.Contains(string(ps.Body), `href="/indicators/`+id+`">techniques introduced</a>`) || !strings.Contains(string(ps.Body), "81 / 80") {
		t.Errorf("the partnership's page does not list the indicator at 81 / 80")
	}
	if strings.Contains(string(ps.Body), `id="partnership-indicator-new"`) {
		t.Errorf("a viewer is offered to set an indicator")
	}
	if !strings.Contains(string(m.login("partners@xinhua.example.org").get("/partnerships/"+kashi).Body), `id="partnership-indicator-new"`) {
		t.Errorf("Xinhua's coordinator is not offered to set an indicator")
	}
}

// TestIndicatorEnteredOnPage: a figure no record says is entered on the
// indicator's page, period by period; a value that is no number, or
// negative, is refused on its field and nothing is stored.
func TestIndicatorEnteredOnPage(t *testing.T) {
	t.Parallel()
	m := startMain(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	kashi := m.kashiPartnership()
	b := m.login("partners@xinhua.example.org")
	form := url.Values{"partnership_id": {kashi}, "name": {"Patients referred to Shanghai"}, "rule": {"entered"}, "period": {"quarter"},
		"starts_on": {"2015-01-01"}, "ends_on": {"2015-06-30"}, "baseline": {"2"}, "target": {"10"}}
	bad := cloneValues(form)
	bad.Set("rule", "activities")
	if r := b.post("/indicators", bad); r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), `id="e-activity_kind"`) {
		t.Errorf("activities of no kind: %d, want 422 on activity_kind", r.Status)
	}
	r := b.post("/indicators", form)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("set the indicator: %d %s", r.Status, r.Body)
	}
	path := r.Header.Get("Location")
	id := strings.TrimPrefix(path, "/indicators/")
	for _, c := range []struct{ value, want string }{{"many", "e-value-2015-Q1"}, {"-4", "e-value-2015-Q1"}} {
		if r := b.post(path+"/values", url.Values{"period": {"2015-Q1"}, "value": {c.value}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), c.want) {
			t.Errorf("value %q: %d, want 422 on the field", c.value, r.Status)
		}
	}
	if r := b.post(path+"/values", url.Values{"period": {"2015-Q3"}, "value": {"1"}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("a period outside the indicator: %d, want 422", r.Status)
	}
	if r := b.post(path+"/values", url.Values{"period": {"2015-Q2"}, "value": {"5"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("enter the value of 2015 Q2: %d %s", r.Status, r.Body)
	}
	in, err := m.Store.FindIndicator(context.Background(), id)
	if err != nil || len(in.Entries) != 1 || in.Entries[0].Period != "2015-Q2" || in.Entries[0].Value != 5 {
		t.Fatalf("stored entries: %+v, %v; want 5 in 2015-Q2 only", in.Entries, err)
	}
	page := string(b.get(path).Body)
	for _, want := range []string{`id="indicator-value">7<`, `id="indicator-met">3 to go<`, `data-period="2015-Q2"`, `value="5"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the indicator's page does not say %s", want)
		}
	}
	if r := m.login("viewer@shhealth.example.org").post(path+"/values", url.Values{"period": {"2015-Q1"}, "value": {"1"}}); r.Status != http.StatusForbidden {
		t.Errorf("a viewer enters a value: %d, want 403", r.Status)
	}
}

// smokeIndicator returns an indicator of the demo, for the pages of one
// indicator in the page smoke test.
func smokeIndicator(t *testing.T, m *testMain) string {
	t.Helper()
	list, _, err := m.Store.ListIndicators(context.Background(), domain.IndicatorFilter{PartnershipID: m.kashiPartnership(), Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatalf("an indicator of the Kashi partnership: %v, %d found", err, len(list))
	}
	return list[0].ID
}
