package main

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"aidbridge/internal/store/storetest"
)

// TestRoster asks for a roster of the demo's recruiting team to Morocco,
// over the API and on its page, accepts a line on the page as the reviewer
// and finds the person on the team; those who may not see every
// application get none.
func TestRoster(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			m := startMain(t, b)
			reviewer, viewer := m.token("reviewer@xinhua.example.org"), m.token("viewer@shhealth.example.org")
			r := m.call("GET", "/api/v1/missions?forming=true&status=recruiting", reviewer, nil)
			items, _ := r.JSON["items"].([]any)
			if len(items) == 0 {
				t.Fatalf("the demo has no recruiting mission: %s", r.Body)
			}
			mission := items[0].(map[string]any)["id"].(string)
			if r := m.call("GET", "/api/v1/missions/"+mission+"/roster", viewer, nil); r.Status != 403 {
				t.Errorf("a roster for a viewer of another organization: %d, want 403", r.Status)
			}
			r = m.call("GET", "/api/v1/missions/"+mission+"/roster", reviewer, nil)
			if r.Status != 200 {
				t.Fatalf("the roster: %d %s", r.Status, r.Body)
			}
			lines, _ := r.JSON["lines"].([]any)
			if len(lines) == 0 {
				t.Fatalf("the roster places nobody: %s", r.Body)
			}
			// Those who passed come before reserves, with as few recent missions as any.
			seenReserve := false
			for _, l := range lines {
				l := l.(map[string]any)
				if l["stage"] == "reserve" {
					seenReserve = true
				} else if seenReserve && l["specialty"] == lines[0].(map[string]any)["specialty"] {
					t.Errorf("a passed applicant after a reserve of the same slot: %v", lines)
				}
			}

			browser := m.login("reviewer@xinhua.example.org")
			page := string(browser.get("/missions/" + mission + "/roster").Body)
			first := lines[0].(map[string]any)
			if !strings.Contains(page, `data-application="`+first["application_id"].(string)+`"`) || !strings.Contains(page, first["person_name"].(string)) {
				t.Fatalf("the roster page does not show the first line %v", first)
			}
			res := browser.post("/applications/"+first["application_id"].(string)+"/decision", url.Values{"outcome": {"selected"},
				"slot_id": {first["slot_id"].(string)}, "version": {formatVersion(first["version"])}, "back": {"/missions/" + mission + "/roster"}})
			if res.Status != 303 || !strings.HasSuffix(res.Header.Get("Location"), "/roster") {
				t.Fatalf("accepting a line: %d to %q", res.Status, res.Header.Get("Location"))
			}
			team := m.call("GET", "/api/v1/missions/"+mission+"/team", reviewer, nil)
			found := false
			for _, tm := range team.JSON["members"].([]any) {
				found = found || tm.(map[string]any)["person_id"] == first["person_id"]
			}
			if !found {
				t.Errorf("the accepted line's person is not on the team: %s", team.Body)
			}
			after := m.call("GET", "/api/v1/missions/"+mission+"/roster", reviewer, nil)
			for _, l := range after.JSON["lines"].([]any) {
				if l.(map[string]any)["application_id"] == first["application_id"] {
					t.Error("the roster proposes again a person already selected")
				}
			}
			zh := m.login("reviewer@xinhua.example.org")
			zh.post("/language", url.Values{"lang": {"zh-CN"}})
			if p := string(zh.get("/missions/" + mission + "/roster").Body); !strings.Contains(p, "人选建议") {
				t.Errorf("the roster page in Chinese lacks its title")
			}
		})
	}
}

// formatVersion writes a version read from JSON as a form sends it.
func formatVersion(v any) string {
	f, _ := v.(float64)
	return strconv.FormatInt(int64(f), 10)
}
