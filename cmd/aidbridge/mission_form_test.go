package main

import (
	"net/url"
	"strings"
	"testing"

	"aidbridge/internal/store/storetest"
)

// TestMissionFormRows posts a mission whose second row of slots is wrong,
// after a blank first row: the form comes back at 422 with each error on
// the row it is about, and nothing is stored.
func TestMissionFormRows(t *testing.T) {
	t.Parallel()
	b := storetest.Backends(t)[0]
	m := startMain(t, b)
	coord := m.login("partners@xinhua.example.org")
	xinhua, baoshan := m.orgID("Xinhua Hospital affiliated to Shanghai Jiao Tong University School of Medicine"), m.orgID("Baoshan People's Hospital")
	ps := m.call("GET", "/api/v1/partnerships?q=Baoshan", m.token("partners@xinhua.example.org"), nil).JSON["items"].([]any)[0].(map[string]any)["id"].(string)
	form := url.Values{"partnership_id": {ps}, "sequence": {"77"}, "sending_id": {xinhua}, "host_id": {baoshan},
		"starts_on": {"2031-01-01"}, "ends_on": {"2031-06-30"},
		"slot_id": {"", "", ""}, "slot_specialty": {"", "Cardiology", "Surgery"}, "slot_count": {"", "0", "2"},
		"slot_languages": {"", "", "not a language!"}, "slot_min_title": {"", "", ""}, "slot_max_age": {"", "", "200"}}
	res := coord.post("/missions", form)
	page := string(res.Body)
	if res.Status != 422 {
		t.Fatalf("a mission with wrong slots: %d, want 422", res.Status)
	}
	for _, id := range []string{`id="e-slot_count_1"`, `id="e-slot_languages_2"`, `id="e-slot_max_age_2"`} {
		if !strings.Contains(page, id) {
			t.Errorf("the form does not show the error %s", id)
		}
	}
	for _, id := range []string{`id="e-slot_count_0"`, `id="e-slot_count_2"`} {
		if strings.Contains(page, id) {
			t.Errorf("the form shows an error %s on a row that has none", id)
		}
	}
	if got := textOf(page, `id="e-slot_count_1"`); !strings.Contains(got, "200") || !strings.Contains(got, "0") {
		t.Errorf("the count's error reads %q, want the range and the value", got)
	}
	list := m.call("GET", "/api/v1/missions?partnership_id="+ps, m.token("partners@xinhua.example.org"), nil)
	for _, it := range list.JSON["items"].([]any) {
		if it.(map[string]any)["sequence"] == float64(77) {
			t.Error("the refused mission was stored")
		}
	}
}
