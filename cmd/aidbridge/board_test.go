package main

import (
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"slices"
	"testing"

	"aidbridge/internal/store/storetest"
)

var (
	boardRow  = regexp.MustCompile(`<tr data-need="([0-9a-z]+)"[^>]*>\s*<td><span class="badge urgency-([a-z_]+)">([^<]*)</span>`)
	boardNext = regexp.MustCompile(`<a href="([^"]*)" rel="next">`)
	boardPick = regexp.MustCompile(`<option value="([^"]*)" selected>`)
)

// TestBoardPageMatchesAPI pages through the needs board page with each of
// its status choices and narrowings, following its "next" links, and
// through the API with the same filters: both list the same needs in the
// same order, each row with its urgency in words, and the page keeps the
// choices selected.
func TestBoardPageMatchesAPI(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			m := startMain(t, b)
			token := m.token("coordinator@scmc.example.org")
			br := m.login("coordinator@scmc.example.org")
			seattle, n95 := m.orgID("Seattle Children's Hospital"), m.itemID("N95")
			// More needs than a page holds, some undated, some cancelled.
			for i, id := range m.boardNeeds(40) {
				if i%5 == 0 {
					c := m.call("POST", "/api/v1/needs/"+id+"/cancel", m.token("supply@seattlechildrens.example.org"),
						map[string]any{"version": 1, "reason": "no longer needed"})
					if c.Status != 200 {
						t.Fatalf("cancel need: status %d: %s", c.Status, c.Body)
					}
				}
			}
			words := map[string]string{"critical": "Critical", "high": "High", "normal": "Normal"}
			for _, c := range []struct {
				page, api url.Values
				selected  []string
			}{
				{url.Values{}, url.Values{"open": {"true"}}, []string{""}},
				{url.Values{"status": {"all"}}, url.Values{}, []string{"all"}},
				{url.Values{"status": {"open"}}, url.Values{"status": {"open"}}, []string{"open"}},
				{url.Values{"status": {"cancelled"}}, url.Values{"status": {"cancelled"}}, []string{"cancelled"}},
				{url.Values{"status": {"all"}, "item_id": {n95}}, url.Values{"item_id": {n95}}, []string{"all", n95}},
				{url.Values{"country": {"us"}}, url.Values{"open": {"true"}, "country": {"US"}}, []string{""}},
				{url.Values{"status": {"all"}, "urgency": {"critical"}}, url.Values{"urgency": {"critical"}}, []string{"all", "critical"}},
				{url.Values{"status": {"all"}, "organization_id": {seattle}}, url.Values{"organization_id": {seattle}}, []string{"all"}},
			} {
				var want []string
				c.api.Set("limit", "25")
				for cursor := ""; ; {
					if cursor != "" {
						c.api.Set("cursor", cursor)
					}
					r := m.call("GET", "/api/v1/needs?"+c.api.Encode(), token, nil)
					var p struct {
						Items []struct {
							ID string `json:"id"`
						} `json:"items"`
						NextCursor string `json:"next_cursor"`
					}
					if r.Status != 200 || json.Unmarshal(r.Body, &p) != nil {
						t.Fatalf("API %v: status %d: %s", c.api, r.Status, r.Body)
					}
					for _, n := range p.Items {
						want = append(want, n.ID)
					}
					if cursor = p.NextCursor; cursor == "" {
						break
					}
				}
				var got []string
				path := "/needs?" + c.page.Encode()
				for pages := 0; path != ""; pages++ {
					r := br.get(path)
					if r.Status != 200 || pages > 50 {
						t.Fatalf("page %s: status %d after %d pages", path, r.Status, pages)
					}
					body := string(r.Body)
					for _, row := range boardRow.FindAllStringSubmatch(body, -1) {
						got = append(got, row[1])
						if row[3] != words[row[2]] {
							t.Errorf("page %s: need %s of urgency %s reads %q", path, row[1], row[2], row[3])
						}
					}
					var picked []string
					for _, p := range boardPick.FindAllStringSubmatch(body, -1) {
						picked = append(picked, p[1])
					}
					if !slices.Equal(picked, append([]string{"en"}, c.selected...)) { // the language, then the filters
						t.Errorf("page %s: selected %v, want %v", path, picked, c.selected)
					}
					path = ""
					if next := boardNext.FindStringSubmatch(body); next != nil {
						path = html.UnescapeString(next[1])
					}
				}
				if len(want) == 0 || !slices.Equal(got, want) {
					t.Errorf("page %v lists %d needs, the API %d:\n page %v\n  API %v", c.page, len(got), len(want), got, want)
				}
			}
		})
	}
}

// boardNeeds posts n needs of Seattle Children's Hospital for N95
// respirators through the API, of every urgency, a quarter undated, some
// with a shortage, and returns their ids.
func (m *testMain) boardNeeds(n int) []string {
	m.t.Helper()
	rec := m.token("supply@seattlechildrens.example.org")
	seattle, n95 := m.orgID("Seattle Children's Hospital"), m.itemID("N95")
	var ids []string
	for i := range n {
		need := map[string]any{"organization_id": seattle, "item_id": n95, "quantity": 1000 + i, "urgency": []string{"critical", "high", "normal"}[i%3],
			"shortage": i%3 == 1, "justification": "needs board"}
		if i%4 != 0 {
			need["needed_by"] = fmt.Sprintf("2027-0%d-1%d", 1+i%5, i%2)
		}
		r := m.call("POST", "/api/v1/needs", rec, need)
		if r.Status != 201 {
			m.t.Fatalf("post need: status %d: %s", r.Status, r.Body)
		}
		ids = append(ids, r.JSON["id"].(string))
	}
	return ids
}
