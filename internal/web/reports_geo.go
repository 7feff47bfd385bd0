package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"aidbridge/internal/chart"
	"aidbridge/internal/domain"
)

// The profile of an organization and the report of a country: what went
// between them and the world, with a world map of the countries at the
// other end, every figure linked to the records behind it.

// CountryName returns the name of the country with ISO 3166-1 alpha-2
// code in the reader's language (Morocco, 摩洛哥), or the code where it has
// none.
func (l *localizer) CountryName(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if n := display.Regions(language.Make(l.Lang)).Name(r); n != "" {
		return n
	}
	return code
}

// countryNames names every country the map draws, and those given, in the
// reader's language.
func countryNames(l *localizer, extra ...string) map[string]string {
	names := map[string]string{}
	for _, c := range append(chart.Codes(), extra...) {
		names[c] = l.CountryName(c)
	}
	return names
}

// geoLinks makes the links of an exchange's figures, for an organization
// (org set) or a country (country set).
type geoLinks struct {
	org, country string
	home         string // the country of the subject, where its flows start or end
}

func (g geoLinks) missions() string {
	if g.org != "" {
		return "/missions?" + url.Values{"view": {"all"}, "organization_id": {g.org}}.Encode()
	}
	return "#report-teams"
}

func (g geoLinks) shipments() string {
	if g.org != "" {
		return "/shipments?" + url.Values{"organization_id": {g.org}}.Encode()
	}
	return "#report-supplies"
}

// contributions links to the contributions given (given) or received by
// the subject, in one currency when currency is set.
func (g geoLinks) contributions(given bool, currency string) string {
	v := url.Values{}
	switch {
	case g.org != "" && given:
		v.Set("giver_id", g.org)
	case g.org != "":
		v.Set("recipient_id", g.org)
	default:
		v.Set("country", g.country)
	}
	if currency != "" {
		v.Set("currency", currency)
	}
	return "/contributions?" + v.Encode()
}

// teamRow is a line of the table of teams.
type teamRow struct {
	Partnership, Sending, Host choice
	From, To                   string
	Teams, PersonTimes         string
	MissionsHref, Relation     string
}

// itemRow is what of one item was given or received.
type itemRow struct {
	ItemID, Name, Unit                  string
	Pledged, Shipped, Received, Damaged string
}

// supplyRow is a line of the table of supplies.
type supplyRow struct {
	Donor, Recipient        choice
	From, To                string
	ItemID, Item, Unit      string
	Shipped, Received       string
	ShipmentsHref, ItemHref string
}

// sumLine is a number of contributions and their amounts per currency.
type sumLine struct {
	Count, WithoutAmount string
	Href                 string
	Amounts              []figure
}

// contributionRow is a line of the table of contributions.
type contributionRow struct {
	Giver, Recipient choice
	From, To         string
	Count, Href      string
	Amounts          []string
	WithoutAmount    string
}

// countryRow is what went between the subject and one country.
type countryRow struct {
	Code, Name, Href, ID                                      string
	TeamsSent, TeamsHosted, Shipments, Contributions, Records string
}

// geoView is what the two report pages share: the exchange, ready to show.
type geoView struct {
	Map           template.HTML
	TeamFacts     []figure
	Teams         template.HTML
	TeamRows      []teamRow
	Supplies      template.HTML
	Given         []itemRow
	Received      []itemRow
	SupplyRows    []supplyRow
	GivenSum      sumLine
	ReceivedSum   sumLine
	Contributions []contributionRow
	Countries     []countryRow
}

// chartYears keeps the latest chart.MaxCategories years of a chart.
func chartYears(years []int) []int {
	if n := len(years); n > chart.MaxCategories {
		return years[n-chart.MaxCategories:]
	}
	return years
}

// buildGeoView turns an exchange into what its page shows; subject is the
// country of the report or of the organization, for the map.
func buildGeoView(l *localizer, gl geoLinks, e domain.Exchange, names map[string]string, mapCountries []chart.Country, legend string) (geoView, error) {
	var v geoView
	n := func(x int64) string { return l.Number(x) }
	ni := func(x int) string { return l.Number(int64(x)) }
	org := func(id string) choice { return choice{id, names[id]} }
	var err error

	// Teams sent and hosted, in all and by year of departure.
	t := e.Teams
	v.TeamFacts = []figure{
		{l.T("geo_teams_sent"), ni(t.Sent.Teams), gl.missions(), "teams-sent"},
		{l.T("geo_person_times_sent"), ni(t.Sent.PersonTimes), gl.missions(), "person-times-sent"},
		{l.T("geo_teams_hosted"), ni(t.Hosted.Teams), gl.missions(), "teams-hosted"},
		{l.T("geo_person_times_hosted"), ni(t.Hosted.PersonTimes), gl.missions(), "person-times-hosted"},
	}
	byYear := map[int][2]int64{}
	var years []int
	for i, side := range []domain.TeamFacts{t.Sent, t.Hosted} {
		for _, y := range side.ByYear {
			c, seen := byYear[y.Year]
			if !seen {
				years = append(years, y.Year)
			}
			c[i] += int64(y.Teams)
			byYear[y.Year] = c
		}
	}
	slices.Sort(years)
	years = chartYears(years)
	sent := chart.Series{Name: l.T("geo_teams_sent")}
	hosted := chart.Series{Name: l.T("geo_teams_hosted")}
	var cats []string
	for _, y := range years {
		cats = append(cats, strconv.Itoa(y))
		sent.Values = append(sent.Values, byYear[y][0])
		hosted.Values = append(hosted.Values, byYear[y][1])
	}
	var series []chart.Series
	if t.Sent.Teams > 0 {
		series = append(series, sent)
	}
	if t.Hosted.Teams > 0 {
		series = append(series, hosted)
	}
	if v.Teams, err = (chart.Bars{Title: l.T("geo_chart_teams"), Categories: cats, Series: series, Format: n,
		Empty: l.T("report_no_teams")}).SVG(); err != nil {
		return v, err
	}
	for _, tl := range t.Lines {
		rel := ""
		switch {
		case tl.Sent && tl.Hosted:
			rel = l.T("geo_within")
		case tl.Sent:
			rel = l.T("geo_sent")
		default:
			rel = l.T("geo_hosted")
		}
		v.TeamRows = append(v.TeamRows, teamRow{Partnership: choice{tl.PartnershipID, tl.PartnershipName},
			Sending: org(tl.SendingID), Host: org(tl.HostID), From: l.CountryName(tl.From), To: l.CountryName(tl.To),
			Teams: ni(tl.Teams), PersonTimes: ni(tl.PersonTimes), Relation: rel,
			MissionsHref: "/missions?" + url.Values{"view": {"all"}, "partnership_id": {tl.PartnershipID}}.Encode()})
	}

	// Supplies by item: what the subject shipped and what it received.
	s := e.Supplies
	rows := func(list []domain.ItemTotal) []itemRow {
		var out []itemRow
		for _, it := range list {
			out = append(out, itemRow{ItemID: it.ItemID, Name: it.ItemName, Unit: it.Unit, Pledged: n(it.Pledged), Shipped: n(it.Shipped),
				Received: n(it.Received), Damaged: n(it.Damaged)})
		}
		return out
	}
	v.Given, v.Received = rows(s.Given), rows(s.Received)
	items := map[string]int{}
	var itemCats []string
	var itemIDs []string
	shipped := chart.Series{Name: l.T("geo_supplies_shipped")}
	arrived := chart.Series{Name: l.T("geo_supplies_received")}
	for _, side := range [][]domain.ItemTotal{s.Given, s.Received} {
		for _, it := range side {
			if _, ok := items[it.ItemID]; ok || len(itemCats) == chart.MaxCategories {
				continue
			}
			items[it.ItemID] = len(itemCats)
			itemCats = append(itemCats, it.ItemName+" ("+it.Unit+")")
			itemIDs = append(itemIDs, it.ItemID)
		}
	}
	shipped.Values, arrived.Values = make([]int64, len(itemCats)), make([]int64, len(itemCats))
	for _, it := range s.Given {
		if i, ok := items[it.ItemID]; ok {
			shipped.Values[i] = it.Shipped
		}
	}
	for _, it := range s.Received {
		if i, ok := items[it.ItemID]; ok {
			arrived.Values[i] = it.Received
		}
	}
	for range itemIDs {
		shipped.Hrefs = append(shipped.Hrefs, gl.shipments())
		arrived.Hrefs = append(arrived.Hrefs, gl.shipments())
	}
	series = nil
	if len(s.Given) > 0 {
		series = append(series, shipped)
	}
	if len(s.Received) > 0 {
		series = append(series, arrived)
	}
	if v.Supplies, err = (chart.Bars{Title: l.T("geo_chart_supplies"), Categories: itemCats, Series: series, Horizontal: true,
		Format: n, Empty: l.T("geo_no_supplies")}).SVG(); err != nil {
		return v, err
	}
	for _, sl := range s.Lines {
		v.SupplyRows = append(v.SupplyRows, supplyRow{Donor: org(sl.DonorID), Recipient: org(sl.RecipientID),
			From: l.CountryName(sl.From), To: l.CountryName(sl.To), ItemID: sl.ItemID, Item: sl.ItemName, Unit: sl.Unit,
			Shipped: n(sl.Shipped), Received: n(sl.Received),
			ShipmentsHref: "/shipments?" + url.Values{"organization_id": {sl.DonorID}}.Encode(), ItemHref: "/items/" + url.PathEscape(sl.ItemID)})
	}

	// Contributions given and received, per currency.
	sum := func(cs domain.ContributionSum, given bool) sumLine {
		out := sumLine{Count: ni(cs.Count), Href: gl.contributions(given, "")}
		if cs.WithoutAmount > 0 {
			out.WithoutAmount = l.T("geo_without_amount", "Count", ni(cs.WithoutAmount))
		}
		for _, m := range cs.Totals {
			out.Amounts = append(out.Amounts, figure{Label: m.Currency, Value: l.Money(m), Href: gl.contributions(given, m.Currency)})
		}
		return out
	}
	v.GivenSum, v.ReceivedSum = sum(e.Contributions.Given, true), sum(e.Contributions.Received, false)
	for _, cl := range e.Contributions.Lines {
		row := contributionRow{Giver: org(cl.GiverID), Recipient: org(cl.RecipientID), From: l.CountryName(cl.From), To: l.CountryName(cl.To),
			Count: ni(cl.Count), Href: "/contributions?" + url.Values{"giver_id": {cl.GiverID}, "recipient_id": {cl.RecipientID}}.Encode()}
		for _, m := range cl.Totals {
			row.Amounts = append(row.Amounts, l.Money(m))
		}
		if cl.WithoutAmount > 0 {
			row.WithoutAmount = l.T("geo_without_amount", "Count", ni(cl.WithoutAmount))
		}
		v.Contributions = append(v.Contributions, row)
	}

	// The countries at the other end, and the map.
	for _, c := range e.Countries {
		v.Countries = append(v.Countries, countryRow{Code: c.Country, Name: l.CountryName(c.Country), ID: "exchange-" + c.Country,
			Href: "/reports/countries/" + c.Country, TeamsSent: ni(c.TeamsSent), TeamsHosted: ni(c.TeamsHosted),
			Shipments: ni(c.ShipmentsSent + c.ShipmentsReceived), Contributions: ni(c.ContributionsGiven + c.ContributionsReceived),
			Records: ni(c.Records())})
	}
	var flows []chart.Flow
	for _, f := range e.Flows {
		if f.From == f.To || len(flows) == chart.MaxFlows {
			continue
		}
		other := f.From
		if f.From == gl.home {
			other = f.To
		}
		flows = append(flows, chart.Flow{From: f.From, To: f.To, Value: int64(f.Records()), Href: "#exchange-" + other})
	}
	var codes []string
	for _, c := range mapCountries {
		codes = append(codes, c.Code)
	}
	for _, f := range flows {
		codes = append(codes, f.From, f.To)
	}
	if v.Map, err = (chart.Map{Title: l.T("geo_map_title"), Names: countryNames(l, codes...), Countries: mapCountries, Flows: flows,
		Legend: legend, OffMap: l.T("geo_off_map"), Format: n}).SVG(); err != nil {
		return v, err
	}
	return v, nil
}

// timelineLine is an entry of the accreditations timeline.
type timelineLine struct {
	On, Kind, Name, GrantedBy, Href string
}

// partnerGroup is the partner institutions in one country.
type partnerGroup struct {
	Code, Name, Count, ID string
	Partners              []choice
}

// organizationReportPage is the profile of an organization.
type organizationReportPage struct {
	Report      domain.OrganizationReport
	Country     string
	Headline    []figure
	Timeline    []timelineLine
	Partners    []partnerGroup
	PartnerNote string
	JointLabs   []choice
	View        geoView
}

func (ui *UI) organizationReport(w http.ResponseWriter, r *http.Request, me *viewer) error {
	rep, err := ui.Reports.Organization(r.Context(), me.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	l := me.L
	o := rep.Organization
	id := url.PathEscape(o.ID)
	ni := func(x int) string { return l.Number(int64(x)) }
	pg := organizationReportPage{Report: rep, Country: l.CountryName(o.Country)}
	partnersHref := "/partnerships?" + url.Values{"organization_id": {o.ID}, "status": {string(domain.PartnershipActive)}}.Encode()
	labsHref := "/partnerships?" + url.Values{"organization_id": {o.ID}, "status": {string(domain.PartnershipActive)}, "kind": {"joint_institution"}}.Encode()
	pg.Headline = []figure{
		{l.T("field_beds_total"), l.Count(o.BedsTotal), "/organizations/" + id, "figure-beds-total"},
		{l.T("field_beds_in_service"), l.Count(o.BedsInService), "/organizations/" + id, "figure-beds-in-service"},
		{l.T("geo_clinical_departments"), l.Count(o.ClinicalDepartments), "/organizations/" + id, "figure-clinical-departments"},
		{l.T("geo_named_departments"), ni(len(rep.Departments)), "/organizations/" + id + "#departments", "figure-departments"},
		{l.T("geo_partners"), ni(rep.Partners.Current), partnersHref, "figure-partners"},
		{l.T("geo_partner_countries"), ni(rep.Partners.Countries), "#report-partners", "figure-partner-countries"},
		{l.T("geo_joint_labs"), ni(len(rep.JointLabs)), labsHref, "figure-joint-labs"},
	}
	for _, e := range rep.Timeline {
		tl := timelineLine{On: l.PartialDate(e.On), Kind: l.T("geo_timeline_" + e.Kind), Name: e.Name, GrantedBy: e.GrantedBy, Href: "/organizations/" + id}
		if e.OutcomeID != "" {
			tl.Href = "/outcomes/" + url.PathEscape(e.OutcomeID)
		}
		pg.Timeline = append(pg.Timeline, tl)
	}
	groups := map[string]int{}
	for _, c := range rep.Partners.ByCountry {
		groups[c.Key] = len(pg.Partners)
		pg.Partners = append(pg.Partners, partnerGroup{Code: c.Key, Name: l.CountryName(c.Key), Count: l.Number(c.N), ID: "partners-" + c.Key})
	}
	for _, p := range rep.Partners.List {
		if i, ok := groups[p.Country]; ok {
			pg.Partners[i].Partners = append(pg.Partners[i].Partners, choice{p.OrganizationID, p.Name})
		}
	}
	if rep.Partners.Former > 0 {
		pg.PartnerNote = l.T("geo_former_partners", "Count", ni(rep.Partners.Former))
	}
	for _, ps := range rep.JointLabs {
		pg.JointLabs = append(pg.JointLabs, choice{ps.ID, ps.Name})
	}
	var shaded []chart.Country
	for _, c := range rep.Partners.ByCountry {
		shaded = append(shaded, chart.Country{Code: c.Key, Value: c.N, Href: "#partners-" + c.Key})
	}
	if pg.View, err = buildGeoView(l, geoLinks{org: o.ID, home: o.Country}, rep.Exchange, rep.Names, shaded, l.T("geo_map_partners")); err != nil {
		return err
	}
	return ui.render(w, r, me, "report_organization", pg)
}

// countryReportPage is the report of a country.
type countryReportPage struct {
	Report            domain.CountryReport
	Name              string
	Organizations     string
	OrganizationsHref string
	View              geoView
	EventFacts        []figure
	EventsAbroad      []eventLine
}

// eventLine is an event held elsewhere, as the country report lists it.
type eventLine struct {
	Title, Kind, On, Where, Href string
	Host                         choice
}

func (ui *UI) countryReport(w http.ResponseWriter, r *http.Request, me *viewer) error {
	code := r.PathValue("code")
	if up := strings.ToUpper(code); up != code && domain.ValidCountry(up) {
		http.Redirect(w, r, "/reports/countries/"+up, http.StatusMovedPermanently)
		return nil
	}
	rep, err := ui.Reports.Country(r.Context(), me.User, code)
	if err != nil {
		return err
	}
	l := me.L
	var shaded []chart.Country
	for _, c := range rep.Exchange.Countries {
		shaded = append(shaded, chart.Country{Code: c.Country, Value: int64(c.Records()), Href: "#exchange-" + c.Country})
	}
	view, err := buildGeoView(l, geoLinks{country: rep.Country, home: rep.Country}, rep.Exchange, rep.Names, shaded, l.T("geo_map_records"))
	if err != nil {
		return err
	}
	pg := countryReportPage{Report: rep, Name: l.CountryName(rep.Country), Organizations: l.Number(int64(rep.Organizations)),
		OrganizationsHref: "/organizations?" + url.Values{"country": {rep.Country}}.Encode(), View: view}
	ev := rep.Events
	pg.EventFacts = []figure{
		{l.T("geo_events_held"), l.Number(int64(ev.Held)), "/events?" + url.Values{"country": {rep.Country}}.Encode(), "events-held"},
		{l.T("geo_events_abroad"), l.Number(int64(ev.Abroad)), "#events-abroad", "events-abroad-count"},
	}
	for _, e := range ev.AbroadList {
		pg.EventsAbroad = append(pg.EventsAbroad, eventLine{Title: e.Title, Kind: l.T("event_kind_" + string(e.Kind)), On: l.PartialDate(e.StartsOn),
			Where: l.CountryName(e.Country), Href: "/events/" + url.PathEscape(e.ID), Host: choice{e.HostID, rep.Names[e.HostID]}})
	}
	return ui.render(w, r, me, "report_country", pg)
}

// countriesPage is the index of country reports.
type countriesPage struct {
	Countries []countryRow
	Map       template.HTML
}

func (ui *UI) countryReports(w http.ResponseWriter, r *http.Request, me *viewer) error {
	list, err := ui.Reports.Countries(r.Context(), me.User)
	if err != nil {
		return err
	}
	l := me.L
	var pg countriesPage
	var shaded []chart.Country
	for _, c := range list {
		pg.Countries = append(pg.Countries, countryRow{Code: c.Country, Name: l.CountryName(c.Country), Href: "/reports/countries/" + c.Country,
			Records: l.Number(int64(c.Organizations))})
		shaded = append(shaded, chart.Country{Code: c.Country, Value: int64(c.Organizations), Href: "/reports/countries/" + c.Country})
	}
	var codes []string
	for _, c := range list {
		codes = append(codes, c.Country)
	}
	if pg.Map, err = (chart.Map{Title: l.T("geo_countries_map"), Names: countryNames(l, codes...), Countries: shaded,
		Legend: l.T("geo_map_organizations"), OffMap: l.T("geo_off_map"), Format: func(x int64) string { return l.Number(x) }}).SVG(); err != nil {
		return err
	}
	return ui.render(w, r, me, "report_countries", pg)
}
