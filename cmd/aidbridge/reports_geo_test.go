package main

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"aidbridge/internal/domain"
	"aidbridge/internal/store/storetest"
)

// mapTitles returns the titles of the shaded countries and the flows of
// the first world map of a page: "United States: 3", "China → Morocco: 17".
func mapTitles(t *testing.T, page []byte) map[string]bool {
	t.Helper()
	s := string(page)
	start := strings.Index(s, `class="chart chart-map"`)
	if start < 0 {
		t.Fatalf("the page has no world map")
	}
	end := strings.Index(s[start:], "</svg>")
	if end < 0 {
		t.Fatalf("the world map is not closed")
	}
	out := map[string]bool{}
	for _, m := range regexp.MustCompile(`<title>([^<]*)</title>`).FindAllStringSubmatch(s[start:start+end], -1) {
		out[strings.ReplaceAll(m[1], "&amp;", "&")] = true
	}
	return out
}

// shadedCountries returns the countries a map's titles give a value, as
// "name: value".
func shadedCountries(titles map[string]bool) []string {
	var out []string
	for title := range titles {
		if strings.Contains(title, ": ") && !strings.Contains(title, "→") {
			out = append(out, title)
		}
	}
	return out
}

// TestOrganizationProfile reads SCMC's profile off the API and the page
// and finds in it the figures of the accounts: 1,500 beds with 880 in
// service, 31 partner institutions in 11 countries, 8 joint
// laboratories, and a map that shades the partners' countries.
func TestOrganizationProfile(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			m := startMain(t, b)
			scmc := m.orgID(scmcName)
			r := m.call("GET", "/api/v1/reports/organizations/"+scmc, m.token("viewer@shhealth.example.org"), nil)
			if r.Status != 200 {
				t.Fatalf("profile: %d %s", r.Status, r.Body)
			}
			var rep domain.OrganizationReport
			if err := json.Unmarshal(r.Body, &rep); err != nil {
				t.Fatal(err)
			}
			o := rep.Organization
			if o.BedsTotal == nil || *o.BedsTotal != 1500 || o.BedsInService == nil || *o.BedsInService != 880 {
				t.Errorf("beds: %v total, %v in service; want 1500 and 880", o.BedsTotal, o.BedsInService)
			}
			for _, c := range []struct {
				what      string
				got, want int
			}{
				{"partner institutions", rep.Partners.Current, 31},
				{"countries of partners", rep.Partners.Countries, 11},
				{"partners listed", len(rep.Partners.List), 31},
				{"joint laboratories", len(rep.JointLabs), 8},
				// Project HOPE and the Shanghai government, of the completed
				// founding partnership.
				{"former partners", rep.Partners.Former, 2},
				{"clinical departments", int(*o.ClinicalDepartments), 31},
			} {
				if c.got != c.want {
					t.Errorf("%s: %d, want %d", c.what, c.got, c.want)
				}
			}
			var jci, center bool
			for _, e := range rep.Timeline {
				jci = jci || (e.Name == "JCI accreditation" && e.On.String() == "2010")
				center = center || (e.Name == "National Children's Medical Center" && e.On.String() == "2017")
			}
			if !jci || !center {
				t.Errorf("timeline %+v: want JCI in 2010 and National Children's Medical Center in 2017", rep.Timeline)
			}
			// The 2,000 N95 masks to Seattle Children's Hospital.
			given := rep.Exchange.Supplies.Given
			if len(given) != 1 || given[0].Shipped != 2000 || given[0].Received != 2000 {
				t.Errorf("supplies given: %+v; want 2,000 N95 respirators shipped and received", given)
			}

			br := m.login("viewer@shhealth.example.org")
			page := br.get("/reports/organizations/" + scmc)
			if page.Status != 200 {
				t.Fatalf("profile page: %d %s", page.Status, page.Body)
			}
			for _, want := range []string{
				`id="figure-beds-total"><a href="/organizations/` + scmc + `"><span class="figure">1,500</span>`,
				`id="figure-beds-in-service"><a href="/organizations/` + scmc + `"><span class="figure">880</span>`,
				`id="figure-partners"><a href="/partnerships?organization_id=` + scmc + `&amp;status=active"><span class="figure">31</span>`,
				`id="figure-partner-countries"><a href="#report-partners"><span class="figure">11</span>`,
				`<span class="figure">8</span> <span class="figure-label">joint laboratories</span>`,
				`<tr id="partners-US" data-country="US">`,
			} {
				if !strings.Contains(string(page.Body), want) {
					t.Errorf("profile page lacks %s", want)
				}
			}
			titles := mapTitles(t, page.Body)
			for _, want := range []string{"United States: 3", "Sweden: 2", "Japan: 3", "China → United States: 1"} {
				if !titles[want] {
					t.Errorf("map lacks %q; it has %v", want, shadedCountries(titles))
				}
			}
			// Singapore is too small for the map's scale: it is listed below.
			if n := len(shadedCountries(titles)); n != 10 {
				t.Errorf("map shades %d countries, want 10 of the 11 of the partners: %v", n, shadedCountries(titles))
			}
			if !strings.Contains(string(page.Body), "Not on the map: Singapore 3") {
				t.Errorf("the map does not list Singapore below it")
			}
			if org := br.get("/organizations/" + scmc); !strings.Contains(string(org.Body), `href="/reports/organizations/`+scmc+`" id="report-link"`) {
				t.Errorf("the organization's page does not link to its profile")
			}
		})
	}
}

// TestCountryReport reads the report of Morocco off the API and the page
// and finds in it the teams of the Morocco account: 17 teams and 67
// person-times from China, drawn on the map as a flow from China; and in
// China's, its contributions and events.
func TestCountryReport(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			m := startMain(t, b)
			token := m.token("viewer@shhealth.example.org")
			r := m.call("GET", "/api/v1/reports/countries/MA", token, nil)
			if r.Status != 200 {
				t.Fatalf("report: %d %s", r.Status, r.Body)
			}
			var rep domain.CountryReport
			if err := json.Unmarshal(r.Body, &rep); err != nil {
				t.Fatal(err)
			}
			h := rep.Exchange.Teams.Hosted
			if h.Teams != 17 || h.PersonTimes != 67 || rep.Exchange.Teams.Sent.Teams != 0 {
				t.Errorf("teams hosted %d, person-times %d, sent %d; want 17, 67 and 0", h.Teams, h.PersonTimes, rep.Exchange.Teams.Sent.Teams)
			}
			var fromCN domain.CountryExchange
			for _, c := range rep.Exchange.Countries {
				if c.Country == "CN" {
					fromCN = c
				}
			}
			if fromCN.TeamsHosted != 17 || fromCN.PersonTimesHosted != 67 {
				t.Errorf("from CN: %+v; want 17 teams and 67 person-times", fromCN)
			}
			if r := m.call("GET", "/api/v1/reports/countries/XX", token, nil); r.Status/100 != 4 {
				t.Errorf("report of XX: %d, want a refusal", r.Status)
			}
			// China's report counts the 20 million US dollars to the WHO, in
			// its currency.
			var cn domain.CountryReport
			if err := json.Unmarshal(m.call("GET", "/api/v1/reports/countries/CN", token, nil).Body, &cn); err != nil {
				t.Fatal(err)
			}
			given := cn.Exchange.Contributions.Given
			if len(given.Totals) != 1 || given.Totals[0] != (domain.Money{Minor: 20_000_000 * 100, Currency: "USD"}) || given.Count != 7 || given.WithoutAmount != 6 {
				t.Errorf("contributions given by CN: %+v; want 7, 6 of them without an amount, 20,000,000.00 USD", given)
			}
			// China's events: the virtual conferences and Project HOPE's visit
			// at home; abroad, the six expert teams, Liu Jinfen's fellowship in
			// the US and the meeting CMF hosted in Hong Kong with SCMC.
			ev := cn.Events
			abroad := map[string]int64{}
			for _, c := range ev.AbroadByCountry {
				abroad[c.Key] = c.N
			}
			if ev.Held != 2 || ev.Abroad != 8 || len(ev.AbroadList) != 8 || abroad["IT"] != 1 || abroad["US"] != 1 || abroad["HK"] != 1 {
				t.Errorf("events of CN: %d held, %d elsewhere (%d listed), by country %v; want 2, 8, IT, US and HK one each",
					ev.Held, ev.Abroad, len(ev.AbroadList), abroad)
			}

			br := m.login("viewer@shhealth.example.org")
			if page := br.get("/reports/countries/CN"); !strings.Contains(string(page.Body), `id="events-held"><a href="/events?country=CN"><span class="figure">2</span>`) {
				t.Errorf("China's report page lacks its 2 events held at home linked to their list")
			}
			for _, lang := range []struct{ tag, china, morocco, teams string }{
				{"en", "China", "Morocco", `id="teams-hosted"><a href="#report-teams"><span class="figure">17</span>`},
				{"zh-CN", "中国", "摩洛哥", `<span class="figure">67</span> <span class="figure-label">接收人次</span>`},
			} {
				br.post("/language", url.Values{"lang": {lang.tag}, "next": {"/"}})
				page := br.get("/reports/countries/MA")
				if page.Status != 200 {
					t.Fatalf("%s: report page: %d %s", lang.tag, page.Status, page.Body)
				}
				if !strings.Contains(string(page.Body), lang.teams) {
					t.Errorf("%s: the page lacks %s", lang.tag, lang.teams)
				}
				titles := mapTitles(t, page.Body)
				for _, want := range []string{lang.china + ": 17", lang.china + " → " + lang.morocco + ": 17"} {
					if !titles[want] {
						t.Errorf("%s: map lacks %q; it shades %v", lang.tag, want, shadedCountries(titles))
					}
				}
				if s := shadedCountries(titles); len(s) != 1 {
					t.Errorf("%s: map shades %v, want China alone", lang.tag, s)
				}
			}
			index := br.get("/reports/countries")
			if index.Status != 200 || !strings.Contains(string(index.Body), `<a href="/reports/countries/MA">`) {
				t.Errorf("index of countries: %d, or no link to Morocco's report", index.Status)
			}
			if lower := br.get("/reports/countries/ma"); lower.Status != 301 || lower.Header.Get("Location") != "/reports/countries/MA" {
				t.Errorf("report of ma: %d to %q, want a redirect to the report of MA", lower.Status, lower.Header.Get("Location"))
			}
		})
	}
}
