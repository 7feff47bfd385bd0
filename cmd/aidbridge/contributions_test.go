package main

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"aidbridge/internal/store/storetest"
)

// pageTotals reads the totals per currency off a rendered list of
// contributions, in the order the page shows them.
func pageTotals(t *testing.T, body []byte) []string {
	t.Helper()
	section := regexp.MustCompile(`(?s)<section[^>]*id="contribution-totals".*?</section>`).Find(body)
	if section == nil {
		t.Fatalf("no totals on the page: %.300s", body)
	}
	var out []string
	for _, m := range regexp.MustCompile(`<li class="figure" data-currency="([A-Z]{3})">([^<]*)</li>`).FindAllSubmatch(section, -1) {
		out = append(out, string(m[1])+"="+string(m[2]))
	}
	return out
}

// TestContributionPages records contributions through the pages as SCMC's
// coordinator, reads their totals off the list, one figure per currency,
// and checks the form's errors on their fields, a stale change, the
// record's page with its history, deletion and the empty state.
func TestContributionPages(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			m := startMain(t, b)
			coord, viewer := m.login("coordinator@scmc.example.org"), m.login("viewer@shhealth.example.org")
			scmc, seattle, hope := m.orgID(scmcName), m.orgID(seattleName), m.orgID("Project HOPE")

			// The demo's 20 million US dollars to the WHO, on the list of the
			// WHO's contributions.
			who := m.orgID("World Health Organization")
			r := coord.get("/contributions?organization_id=" + who)
			if got, want := pageTotals(t, r.Body), []string{"USD=20,000,000.00 USD"}; r.Status != 200 || !slices.Equal(got, want) {
				t.Errorf("totals of the WHO: %d %v, want %v", r.Status, got, want)
			}

			give := func(to string, amount, currency string) string {
				t.Helper()
				r := coord.post("/contributions", url.Values{"giver_id": {scmc}, "recipient_id": {to}, "kind": {"money"},
					"amount": {amount}, "currency": {currency}, "given_on": {"2020-03"}})
				if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/contributions/") {
					t.Fatalf("record %s %s: %d %s", amount, currency, r.Status, grep(r.Body, `class="error"`))
				}
				return strings.TrimPrefix(r.Header.Get("Location"), "/contributions/")
			}
			first := give(seattle, "1,234.56", "USD")
			give(hope, "0.44", "USD")
			give(seattle, "300000000", "CNY")
			give(hope, "5", "JPY")
			r = coord.post("/contributions", url.Values{"giver_id": {scmc}, "recipient_id": {seattle}, "kind": {"goods"},
				"description": {"2,000 N95 masks"}, "quantity": {"2000"}, "unit": {"piece"}, "given_on": {"2020-03"}})
			if r.Status != http.StatusSeeOther {
				t.Fatalf("record goods without a value: %d", r.Status)
			}

			r = coord.get("/contributions?organization_id=" + scmc)
			want := []string{"CNY=300,000,000.00 CNY", "JPY=5 JPY", "USD=1,235.00 USD"}
			if got := pageTotals(t, r.Body); !slices.Equal(got, want) {
				t.Errorf("totals of SCMC: %v, want %v, one figure per currency", got, want)
			}
			if !strings.Contains(string(r.Body), "amounts in different currencies are not added together") {
				t.Errorf("the totals do not say that currencies are not added together")
			}
			r = coord.get("/contributions?organization_id=" + scmc + "&recipient_id=" + seattle + "&currency=USD")
			if got, want := pageTotals(t, r.Body), []string{"USD=1,234.56 USD"}; !slices.Equal(got, want) {
				t.Errorf("totals to Seattle in USD: %v, want %v", got, want)
			}
			if n := strings.Count(string(r.Body), `data-contribution="`); n != 1 {
				t.Errorf("%d contributions listed to Seattle in USD, want 1", n)
			}
			r = coord.get("/contributions?recipient_id=" + seattle + "&kind=goods")
			if got := pageTotals(t, r.Body); len(got) != 0 || !strings.Contains(string(r.Body), "none of the contributions selected names one") {
				t.Errorf("goods without a value: totals %v, want none and a note", got)
			}

			// Errors go on their fields, the form keeps what was typed.
			r = coord.post("/contributions", url.Values{"giver_id": {scmc}, "recipient_id": {scmc}, "kind": {"money"}, "currency": {"USD"},
				"given_on": {"March"}, "notes": {"kept"}})
			if r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("a bad contribution: %d, want 422", r.Status)
			}
			for _, field := range []string{"recipient_id", "amount", "given_on"} {
				if !strings.Contains(string(r.Body), `id="e-`+field+`"`) {
					t.Errorf("no error on %s: %s", field, grep(r.Body, `class="error"`))
				}
			}
			if !strings.Contains(string(r.Body), ">kept</textarea>") {
				t.Errorf("the notes typed are lost")
			}
			r = viewer.post("/contributions", url.Values{"giver_id": {scmc}, "recipient_id": {seattle}, "kind": {"money"},
				"amount": {"1"}, "currency": {"USD"}, "given_on": {"2020"}})
			if r.Status != http.StatusForbidden {
				t.Errorf("a viewer records a contribution: %d, want 403", r.Status)
			}

			// A change, then a change from the version read before it.
			change := url.Values{"giver_id": {scmc}, "recipient_id": {seattle}, "kind": {"money"}, "amount": {"1234.50"}, "currency": {"USD"},
				"given_on": {"2020-03-05"}, "notes": {"corrected"}, "version": {"1"}}
			if r := coord.post("/contributions/"+first, change); r.Status != http.StatusSeeOther {
				t.Fatalf("change: %d %s", r.Status, grep(r.Body, `class="error"`))
			}
			if r := coord.post("/contributions/"+first, change); r.Status != http.StatusConflict {
				t.Errorf("a stale change: %d, want 409", r.Status)
			}
			r = coord.get("/contributions/" + first)
			for _, s := range []string{"1,234.50 USD", "2020-03-05", "corrected", "history-h"} {
				if !strings.Contains(string(r.Body), s) {
					t.Errorf("the contribution's page lacks %q", s)
				}
			}
			if r := coord.get("/contributions/" + first + "/delete"); r.Status != 200 || !strings.Contains(string(r.Body), "1234.50 USD") {
				t.Errorf("the confirmation of deletion: %d, does not name the contribution", r.Status)
			}
			if r := coord.post("/contributions/"+first+"/delete", url.Values{"version": {"2"}}); r.Status != http.StatusSeeOther {
				t.Errorf("delete: %d", r.Status)
			}
			if r := coord.get("/contributions/" + first); r.Status != http.StatusNotFound {
				t.Errorf("a deleted contribution: %d, want 404", r.Status)
			}

			r = coord.get("/contributions?country=FR")
			if !strings.Contains(string(r.Body), `id="contributions-empty"`) || !strings.Contains(string(r.Body), "Clear the filters") {
				t.Errorf("the empty state of a filter that matches nothing: %s", grep(r.Body, "empty"))
			}
			for path, link := range map[string]string{"/organizations/" + scmc: "/contributions?organization_id=" + scmc} {
				if r := coord.get(path); !strings.Contains(string(r.Body), link) {
					t.Errorf("%s does not link to %s", path, link)
				}
			}
		})
	}
}
