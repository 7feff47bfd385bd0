package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"aidbridge/internal/chart"
	"aidbridge/internal/domain"
)

// leadRow is one item and month of the lead-time report: its averages in
// days with one decimal, "" where no need reached the step.
type leadRow struct {
	Month, ItemID, ItemName                                          string
	Needs                                                            int
	PleaToPledge, PledgeToDispatch, DispatchToReceipt, PleaToReceipt string
}

// leadTimesPage is the lead-time report.
type leadTimesPage struct {
	Rows []leadRow
}

// oneDecimal returns days with one decimal, "" when unknown.
func oneDecimal(days *float64) string {
	if days == nil {
		return ""
	}
	return strconv.FormatFloat(*days, 'f', 1, 64)
}

// leadTimeReport shows the average lead times per item and month of the
// plea, as the service reports them.
func (ui *UI) leadTimeReport(w http.ResponseWriter, r *http.Request, me *viewer) error {
	rep, err := ui.Supply.LeadTimeReport(r.Context(), me.User)
	if err != nil {
		return err
	}
	rows := make([]leadRow, len(rep))
	for i, s := range rep {
		rows[i] = leadRowOf(s)
	}
	return ui.render(w, r, me, "lead_times", leadTimesPage{Rows: rows})
}

func leadRowOf(s domain.LeadSummary) leadRow {
	return leadRow{Month: s.Month, ItemID: s.ItemID, ItemName: s.ItemName, Needs: s.Needs,
		PleaToPledge: oneDecimal(s.PleaToPledge), PledgeToDispatch: oneDecimal(s.PledgeToDispatch),
		DispatchToReceipt: oneDecimal(s.DispatchToReceipt), PleaToReceipt: oneDecimal(s.PleaToReceipt)}
}

// The report pages of a partnership and of a program: every figure counted
// from the records, drawn as SVG charts that print, and linked to the list
// of the records behind it.

// figure is one number of a report with the records behind it.
type figure struct {
	Label, Value, Href string
	ID                 string // the element's id, for tests and links
}

// outcomeReport is what the report pages of a partnership and a program
// share: the outcomes, the teams and the commitments, ready to show.
type outcomeReport struct {
	Headline       []figure
	Novelty        template.HTML
	ByYear         template.HTML
	Papers         template.HTML
	PaperFacts     []figure
	Projects       template.HTML
	ProjectFacts   []figure
	Funding        []string // funded amounts, one per currency
	Services       []figure
	Milestones     []milestoneLine
	Teams          template.HTML
	TeamFacts      []figure
	Commitments    template.HTML
	ActivityKinds  template.HTML
	ActivityMonths template.HTML
	ActivityFacts  []figure
	Committed      []commitmentLine
	Unpriced       string
}

// milestoneLine is a milestone as a report lists it.
type milestoneLine struct {
	Title, Kind, On, Grantor, Href string
	Members                        []choice
}

// commitmentLine is what was committed and delivered in one currency.
type commitmentLine struct {
	Currency, Committed, Delivered, Share string
}

// partnershipReportPage is the report of a partnership.
type partnershipReportPage struct {
	Report              domain.PartnershipReport
	Provider, Recipient string
	Indicators          []indicatorLine
	View                outcomeReport
}

// indicatorLine is an indicator as a report shows it: its value against
// its target, and its chart over its periods.
type indicatorLine struct {
	ID, Name, Value, Target string
	Met                     bool
	Chart                   template.HTML
}

// programReportPage is the report of a program.
type programReportPage struct {
	Report   domain.ProgramReport
	Sponsors []choice
	View     outcomeReport
}

// reportLinks makes the links of a report's figures: the list of
// outcomes, missions or commitments of the report's scope with the
// figure's own filters.
type reportLinks struct {
	scope url.Values // partnership_id or program_id
}

func (rl reportLinks) outcomes(pairs ...string) string {
	v := url.Values{}
	for k, x := range rl.scope {
		v[k] = x
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Set(pairs[i], pairs[i+1])
	}
	return "/outcomes?" + v.Encode()
}

func (rl reportLinks) missions() string {
	v := url.Values{"view": {"all"}}
	for k, x := range rl.scope {
		v[k] = x
	}
	return "/missions?" + v.Encode()
}

// buildOutcomeReport turns the figures of a report into what its page
// shows.
func buildOutcomeReport(l *localizer, rl reportLinks, o domain.OutcomeFigures, teams domain.TeamFacts, cf domain.CommitmentFigures,
	af domain.ActivityFigures, names map[string]string, commitmentsHref string) (outcomeReport, error) {
	var rep outcomeReport
	n := func(v int64) string { return l.Number(v) }
	kinds := map[domain.OutcomeKind]int64{domain.OutcomeTechnique: o.Techniques, domain.OutcomeTrainee: o.Trainees,
		domain.OutcomeResearchProject: o.Projects.Total, domain.OutcomePublication: o.Papers.Total, domain.OutcomeMilestone: int64(len(o.Milestones))}
	for _, c := range o.Services {
		kinds[domain.OutcomeService] += c.N
	}
	for _, k := range domain.OutcomeKinds {
		rep.Headline = append(rep.Headline, figure{Label: l.T("report_kind_" + string(k)), Value: n(kinds[k]),
			Href: rl.outcomes("kind", string(k)), ID: "figure-" + string(k)})
	}
	var err error
	novelty := chart.Series{Name: l.T("outcome_kind_technique")}
	var cats []string
	for _, c := range o.ByNovelty {
		cats = append(cats, l.T("novelty_"+c.Key))
		novelty.Values = append(novelty.Values, c.N)
		novelty.Hrefs = append(novelty.Hrefs, rl.outcomes("kind", "technique", "novelty", c.Key))
	}
	if rep.Novelty, err = (chart.Bars{Title: l.T("report_chart_novelty"), Categories: cats, Series: []chart.Series{novelty},
		Horizontal: true, Format: n, Empty: l.T("report_no_techniques")}).SVG(); err != nil {
		return rep, err
	}

	// Outcomes by year, stacked by kind.
	var years []int
	byYear := map[domain.OutcomeKind]map[int]int64{}
	for _, y := range o.ByYear {
		if !slices.Contains(years, y.Year) {
			years = append(years, y.Year)
		}
		k := domain.OutcomeKind(y.Kind)
		if byYear[k] == nil {
			byYear[k] = map[int]int64{}
		}
		byYear[k][y.Year] += y.N
	}
	slices.Sort(years)
	var yearCats []string
	for _, y := range years {
		yearCats = append(yearCats, strconv.Itoa(y))
	}
	var yearSeries []chart.Series
	for _, k := range domain.OutcomeKinds {
		if byYear[k] == nil {
			continue
		}
		s := chart.Series{Name: l.T("outcome_kind_" + string(k))}
		for _, y := range years {
			s.Values = append(s.Values, byYear[k][y])
			s.Hrefs = append(s.Hrefs, rl.outcomes("kind", string(k), "from", strconv.Itoa(y)+"-01-01", "to", strconv.Itoa(y)+"-12-31"))
		}
		yearSeries = append(yearSeries, s)
	}
	if rep.ByYear, err = (chart.Bars{Title: l.T("report_chart_by_year"), Categories: yearCats, Series: yearSeries, Stacked: true,
		Format: n, Empty: l.T("report_no_outcomes")}).SVG(); err != nil {
		return rep, err
	}

	// Papers of the team and of local doctors.
	p := o.Papers
	groups := []struct {
		key   string
		c     domain.PaperCounts
		local string
	}{{"team", p.Team, "no"}, {"local", p.Local, "yes"}}
	var paperSeries []chart.Series
	for _, m := range []struct {
		key   string
		value func(domain.PaperCounts) int64
		extra []string
	}{{"all", func(c domain.PaperCounts) int64 { return c.Total }, nil},
		{"sci", func(c domain.PaperCounts) int64 { return c.SCI }, []string{"sci_indexed", "yes"}},
		{"high", func(c domain.PaperCounts) int64 { return c.HighImpact }, []string{"high_impact", "on"}}} {
		s := chart.Series{Name: l.T("report_papers_" + m.key)}
		for _, g := range groups {
			s.Values = append(s.Values, m.value(g.c))
			s.Hrefs = append(s.Hrefs, rl.outcomes(append([]string{"kind", "publication", "local_first_author", g.local}, m.extra...)...))
		}
		paperSeries = append(paperSeries, s)
	}
	if rep.Papers, err = (chart.Bars{Title: l.T("report_chart_papers"), Categories: []string{l.T("report_papers_by_team"), l.T("report_papers_by_local")},
		Series: paperSeries, Format: n, Empty: l.T("report_no_papers")}).SVG(); err != nil {
		return rep, err
	}
	rep.PaperFacts = []figure{
		{l.T("report_papers_by_team"), l.T("report_papers_of", "Total", n(p.Team.Total), "SCI", n(p.Team.SCI)), rl.outcomes("kind", "publication", "local_first_author", "no"), "papers-team"},
		{l.T("report_papers_by_local"), l.T("report_papers_of_local", "Total", n(p.Local.Total), "SCI", n(p.Local.SCI), "High", n(p.Local.HighImpact)),
			rl.outcomes("kind", "publication", "local_first_author", "yes"), "papers-local"},
	}

	// Research projects by the organization that holds them.
	proj := chart.Series{Name: l.T("outcome_kind_research_project")}
	var leads []string
	for _, c := range o.Projects.ByLead {
		name := names[c.Key]
		if c.Key == "" {
			name = l.T("report_no_lead")
		}
		leads = append(leads, name)
		proj.Values = append(proj.Values, c.N)
		href := rl.outcomes("kind", "research_project")
		if c.Key != "" {
			href = rl.outcomes("kind", "research_project", "lead_id", c.Key)
		}
		proj.Hrefs = append(proj.Hrefs, href)
		rep.ProjectFacts = append(rep.ProjectFacts, figure{Label: name, Value: n(c.N), Href: href, ID: "projects-" + c.Key})
	}
	if rep.Projects, err = (chart.Bars{Title: l.T("report_chart_projects"), Categories: leads, Series: []chart.Series{proj}, Horizontal: true,
		Format: n, Empty: l.T("report_no_projects")}).SVG(); err != nil {
		return rep, err
	}
	rep.ProjectFacts = append(rep.ProjectFacts,
		figure{l.T("funding_funded"), n(o.Projects.Funded), rl.outcomes("kind", "research_project", "funding", "funded"), "projects-funded"},
		figure{l.T("funding_applied"), n(o.Projects.Applied), rl.outcomes("kind", "research_project", "funding", "applied"), "projects-applied"})
	for _, m := range o.Projects.Funding {
		rep.Funding = append(rep.Funding, l.Money(m))
	}

	for _, s := range o.ServiceList {
		rep.Services = append(rep.Services, figure{Label: s.Title, Value: l.T("service_change_" + string(s.Change)), Href: "/outcomes/" + s.ID})
	}
	for _, m := range o.Milestones {
		ml := milestoneLine{Title: m.Title, Kind: l.T("milestone_" + string(m.Milestone)), On: l.PartialDate(m.OccurredOn), Grantor: m.Grantor, Href: "/outcomes/" + m.ID}
		for _, id := range m.MemberIDs {
			ml.Members = append(ml.Members, choice{id, names[id]})
		}
		rep.Milestones = append(rep.Milestones, ml)
	}

	// Teams and person-times by year of departure.
	var teamYears []string
	ts := chart.Series{Name: l.T("report_teams")}
	pt := chart.Series{Name: l.T("report_person_times")}
	for _, y := range teams.ByYear {
		teamYears = append(teamYears, strconv.Itoa(y.Year))
		ts.Values = append(ts.Values, int64(y.Teams))
		pt.Values = append(pt.Values, int64(y.PersonTimes))
	}
	if rep.Teams, err = (chart.Bars{Title: l.T("report_chart_teams"), Categories: teamYears, Series: []chart.Series{ts, pt},
		Format: n, Empty: l.T("report_no_teams")}).SVG(); err != nil {
		return rep, err
	}
	rep.TeamFacts = []figure{{l.T("report_teams"), n(int64(teams.Teams)), rl.missions(), "teams"},
		{l.T("report_person_times"), n(int64(teams.PersonTimes)), rl.missions(), "person-times"}}

	// Commitments against delivery, per currency: the chart shows shares,
	// so that currencies are never drawn on one scale.
	var curs []string
	committed := chart.Series{Name: l.T("report_committed")}
	delivered := chart.Series{Name: l.T("report_delivered")}
	for _, t := range cf.Totals {
		share := ""
		if t.Committed.Minor > 0 {
			share = percent(t.Delivered.Minor*1000/t.Committed.Minor) + "%"
		}
		rep.Committed = append(rep.Committed, commitmentLine{Currency: t.Currency, Committed: l.Money(t.Committed), Delivered: l.Money(t.Delivered), Share: share})
		curs = append(curs, t.Currency)
		committed.Values = append(committed.Values, 1000)
		delivered.Values = append(delivered.Values, t.Delivered.Minor*1000/max(t.Committed.Minor, 1))
		committed.Hrefs = append(committed.Hrefs, commitmentsHref)
		delivered.Hrefs = append(delivered.Hrefs, commitmentsHref)
	}
	permille := func(v int64) string { return percent(v) + "%" }
	if rep.Commitments, err = (chart.Bars{Title: l.T("report_chart_commitments"), Categories: curs, Series: []chart.Series{committed, delivered},
		Horizontal: true, Format: permille, Empty: l.T("report_no_commitments")}).SVG(); err != nil {
		return rep, err
	}
	if err := rep.activities(l, rl, af); err != nil {
		return rep, err
	}
	if cf.Unpriced > 0 {
		rep.Unpriced = l.T("report_unpriced", "Count", n(int64(cf.Unpriced)))
	}
	return rep, nil
}

func (ui *UI) partnershipReport(w http.ResponseWriter, r *http.Request, me *viewer) error {
	rep, err := ui.Reports.Partnership(r.Context(), me.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	ps := rep.Partnership
	rl := reportLinks{scope: url.Values{"partnership_id": {ps.ID}}}
	or, err := buildOutcomeReport(me.L, rl, rep.Outcomes, rep.Teams, rep.Commitments, rep.Activities, rep.Names, "/partnerships/"+url.PathEscape(ps.ID)+"#commitments")
	if err != nil {
		return err
	}
	pg := partnershipReportPage{Report: rep, Provider: rep.Names[ps.ProviderID], Recipient: rep.Names[ps.RecipientID], View: or}
	for _, pr := range rep.Indicators {
		hrefs, err := ui.periodHrefs(r, me, pr.Indicator)
		if err != nil {
			return err
		}
		svg, err := indicatorChart(me.L, pr, hrefs)
		if err != nil {
			return err
		}
		pg.Indicators = append(pg.Indicators, indicatorLine{ID: pr.Indicator.ID, Name: pr.Indicator.Name, Met: pr.Met,
			Value: me.L.Number(pr.Value), Target: me.L.Number(pr.Indicator.Target), Chart: svg})
	}
	return ui.render(w, r, me, "report_partnership", pg)
}

func (ui *UI) programReport(w http.ResponseWriter, r *http.Request, me *viewer) error {
	rep, err := ui.Reports.Program(r.Context(), me.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	rl := reportLinks{scope: url.Values{"program_id": {rep.Program.ID}}}
	or, err := buildOutcomeReport(me.L, rl, rep.Outcomes, rep.Teams, rep.Commitments, rep.Activities, rep.Names, "/programs/"+url.PathEscape(rep.Program.ID))
	if err != nil {
		return err
	}
	pg := programReportPage{Report: rep, View: or}
	for _, id := range rep.Program.SponsorIDs {
		pg.Sponsors = append(pg.Sponsors, choice{id, rep.Names[id]})
	}
	return ui.render(w, r, me, "report_program", pg)
}

// maxMonths is the most months the activities chart draws one by one;
// beyond it, it draws years.
const maxMonths = 24

// activities draws what the teams did: activities and their counts by
// kind, and activities by month (or year, over long spans) and kind.
func (rep *outcomeReport) activities(l *localizer, rl reportLinks, af domain.ActivityFigures) error {
	n := func(v int64) string { return l.Number(v) }
	rep.ActivityFacts = []figure{
		{l.T("report_activities"), n(af.Activities), rl.activities(), "activities-total"},
		{l.T("report_activity_count"), n(af.Count), rl.activities(), "activities-count"},
	}
	acts := chart.Series{Name: l.T("report_activities")}
	people := chart.Series{Name: l.T("report_activity_count")}
	var kinds []string
	for _, k := range af.ByKind {
		kinds = append(kinds, l.T("activity_kind_"+string(k.Kind)))
		acts.Values = append(acts.Values, int64(k.Activities))
		people.Values = append(people.Values, k.Count)
		href := rl.activities("kind", string(k.Kind))
		acts.Hrefs = append(acts.Hrefs, href)
		people.Hrefs = append(people.Hrefs, href)
	}
	var err error
	if rep.ActivityKinds, err = (chart.Bars{Title: l.T("report_chart_activity_kinds"), Categories: kinds, Series: []chart.Series{acts, people},
		Horizontal: true, Format: n, Empty: l.T("report_no_activities")}).SVG(); err != nil {
		return err
	}
	// Months, or years when the months are too many to read.
	key := func(month string) string { return month }
	bounds := func(k string) (string, string) { return k + "-01", k + "-31" }
	var months []string
	for _, t := range af.ByMonth {
		if !slices.Contains(months, t.Month) {
			months = append(months, t.Month)
		}
	}
	if len(months) > maxMonths {
		key = func(month string) string { return month[:4] }
		bounds = func(k string) (string, string) { return k + "-01-01", k + "-12-31" }
	}
	var cats []string
	by := map[domain.ActivityKind]map[string]int64{}
	for _, t := range af.ByMonth {
		k := key(t.Month)
		if !slices.Contains(cats, k) {
			cats = append(cats, k)
		}
		if by[t.Kind] == nil {
			by[t.Kind] = map[string]int64{}
		}
		by[t.Kind][k] += int64(t.Activities)
	}
	var series []chart.Series
	for _, kind := range domain.ActivityKinds {
		if by[kind] == nil {
			continue
		}
		s := chart.Series{Name: l.T("activity_kind_" + string(kind))}
		for _, c := range cats {
			from, to := bounds(c)
			s.Values = append(s.Values, by[kind][c])
			s.Hrefs = append(s.Hrefs, rl.activities("kind", string(kind), "from", from, "to", to))
		}
		series = append(series, s)
	}
	if len(series) > chart.MaxSeries {
		// The kinds beyond the chart's series are drawn as one.
		rest := chart.Series{Name: l.T("report_other_kinds"), Values: make([]int64, len(cats)), Hrefs: make([]string, len(cats))}
		for _, s := range series[chart.MaxSeries-1:] {
			for i, v := range s.Values {
				rest.Values[i] += v
			}
		}
		for i, c := range cats {
			from, to := bounds(c)
			rest.Hrefs[i] = rl.activities("from", from, "to", to)
		}
		series = append(series[:chart.MaxSeries-1], rest)
	}
	rep.ActivityMonths, err = (chart.Bars{Title: l.T("report_chart_activity_months"), Categories: cats, Series: series, Stacked: true,
		Format: n, Empty: l.T("report_no_activities")}).SVG()
	return err
}

func (rl reportLinks) activities(pairs ...string) string {
	v := url.Values{}
	for k, x := range rl.scope {
		v[k] = x
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Set(pairs[i], pairs[i+1])
	}
	return "/activities?" + v.Encode()
}
