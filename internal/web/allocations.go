package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/problem"
	"aidbridge/internal/supply"
)

// The allocation pages: a form that proposes how the donors' stock of an
// item is best split among the open needs for it, the proposal with its
// lines, what it leaves unmet and a chart, and its commit as pledges.

// allocationLine is a line of a proposal as its page shows it. Index is its
// place in the stored proposal, which the commit form sends back for the
// lines kept.
type allocationLine struct {
	domain.AllocationLine
	Index         int
	Need          needBrief
	DonorName     string
	QuantityShown qty
	UnitCost      qty
	Keep          bool
	Pledged       bool // committed as a pledge (lines and pledges pair by need and donor)
}

// needBrief is what the allocation pages show of a need.
type needBrief struct {
	ID       string
	OrgID    string
	OrgName  string
	Urgency  domain.Urgency
	Quantity qty
}

// unmetView is what a proposal leaves unmet of a need.
type unmetView struct {
	domain.AllocationUnmet
	Need          needBrief
	QuantityShown qty
}

// allocationPledge is a pledge a committed proposal made.
type allocationPledge struct {
	domain.Pledge
	Need          needBrief
	DonorName     string
	QuantityShown qty
}

// chartBar is one need of the chart: its label above a bar of the units
// allocated followed by those left unmet.
type chartBar struct {
	NeedID       string
	Label        string
	LabelY, BarY int
	AllocW       int
	UnmetX       int
	UnmetW       int
	ValueX       int
	ValueY       int
	Value        string
}

// allocationChart is the proposal's chart, drawn by the template as inline
// SVG in a fixed coordinate space that CSS scales down.
type allocationChart struct {
	Width, Height int
	Summary       string
	Bars          []chartBar
	Shown, Count  int
}

// Chart geometry, in SVG user units.
const (
	chartWidth    = 760
	chartBarMax   = 500 // the width of the longest bar
	chartLeft     = 4
	chartTop      = 34 // below the legend
	chartRowH     = 46
	chartBarH     = 18
	chartMaxNeeds = 40
)

// urgencyName returns the name of an urgency in the reader's language.
func urgencyName(l *localizer, u domain.Urgency) string {
	id := "urgency_" + string(u)
	return l.T(id)
}

// pledgeOrgs returns the organizations the user may pledge the stock of,
// offered as donors on the form: their own, even for a site administrator.
func pledgeOrgs(u *domain.User) []choice {
	var out []choice
	seen := map[string]bool{}
	for _, m := range u.Memberships {
		if seen[m.OrganizationID] || !access.Can(u, access.PledgeToNeed, access.Resource{OrganizationID: m.OrganizationID}) {
			continue
		}
		seen[m.OrganizationID] = true
		out = append(out, choice{m.OrganizationID, m.OrganizationName})
	}
	return out
}

// allocationNewPage is the proposal form.
type allocationNewPage struct {
	Form      *form
	Items     []domain.Item
	Donors    []choice
	Policies  []string
	Urgencies []domain.Urgency
	AnyDonor  bool // the user may pledge the stock of every organization
}

// allocationForm shows the proposal form.
func (ui *UI) allocationForm(w http.ResponseWriter, r *http.Request, me *viewer, status int, f *form) error {
	items, err := ui.catalog(r, me)
	if err != nil {
		return err
	}
	if f.Get("policy") == "" {
		f.Values.Set("policy", domain.AllocationPolicies[0])
	}
	ui.renderStatus(w, r, me, status, "allocation_new", allocationNewPage{Form: f, Items: items, Donors: pledgeOrgs(me.User),
		Policies: domain.AllocationPolicies, Urgencies: domain.Urgencies, AnyDonor: access.Everywhere(me.User, access.PledgeToNeed)})
	return nil
}

func (ui *UI) newAllocation(w http.ResponseWriter, r *http.Request, me *viewer) error {
	if err := access.Somewhere(me.User, access.PledgeToNeed); err != nil {
		return err
	}
	q := r.URL.Query()
	f := me.newForm(url.Values{"item_id": {q.Get("item_id")}, "policy": {q.Get("policy")}, "countries": {q.Get("countries")},
		"urgency": q["urgency"], "donor_id": q["donor_id"]})
	return ui.allocationForm(w, r, me, http.StatusOK, f)
}

// againLink returns the form's address filled in with a proposal's item,
// policy and filter, to propose again.
func againLink(a domain.Allocation) string {
	q := url.Values{"item_id": {a.Filter.ItemID}, "policy": {a.Policy}}
	if len(a.Filter.Countries) > 0 {
		q.Set("countries", strings.Join(a.Filter.Countries, ", "))
	}
	for _, u := range a.Filter.Urgencies {
		q.Add("urgency", string(u))
	}
	for _, d := range a.Filter.DonorIDs {
		q.Add("donor_id", d)
	}
	return "/allocations/new?" + q.Encode()
}

// Ticked reports whether value is among the values of a repeated field,
// for checkboxes.
func (f *form) Ticked(name, value string) bool { return slices.Contains(f.Values[name], value) }

// countryCodes reads comma-separated ISO 3166-1 alpha-2 codes, noting an
// error on the form for anything else.
func (f *form) countryCodes(name string, l *localizer) []string {
	var out []string
	for _, c := range strings.FieldsFunc(f.Get(name), func(r rune) bool {
		return r == ',' || r == ';' || r == '，' || r == '、' || r == ' ' || r == '\t'
	}) {
		code := strings.ToUpper(c)
		if len(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' {
			f.Errors[name] = l.T("error_country_code", "Value", c)
			return nil
		}
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	return out
}

func (ui *UI) createAllocation(w http.ResponseWriter, r *http.Request, me *viewer) error {
	if err := access.Somewhere(me.User, access.PledgeToNeed); err != nil {
		return err
	}
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	filter := domain.AllocationFilter{ItemID: f.Get("item_id"), Countries: f.countryCodes("countries", me.L)}
	if filter.ItemID == "" {
		f.fail("item_id", domain.MsgRequired)
	}
	for _, u := range f.List("urgency") {
		if !slices.Contains(domain.Urgencies, domain.Urgency(u)) {
			f.Errors["urgency"] = me.L.T("error_urgency_value", "Value", u)
			break
		}
		if !slices.Contains(filter.Urgencies, domain.Urgency(u)) {
			filter.Urgencies = append(filter.Urgencies, domain.Urgency(u))
		}
	}
	mine := pledgeOrgs(me.User)
	for _, d := range f.List("donor_id") {
		if !access.Everywhere(me.User, access.PledgeToNeed) && !slices.ContainsFunc(mine, func(c choice) bool { return c.ID == d }) {
			f.Errors["donor_id"] = me.L.T("error_donor_choice")
			break
		}
		if !slices.Contains(filter.DonorIDs, d) {
			filter.DonorIDs = append(filter.DonorIDs, d)
		}
	}
	status := http.StatusUnprocessableEntity
	if !f.Invalid() {
		a, err := ui.Supply.Propose(r.Context(), me.User, filter, f.Get("policy"))
		if err == nil {
			// Nothing to untick in a proposal without lines: the page says why.
			flash := me.L.T("flash_allocation_proposed")
			if len(a.Lines) == 0 {
				flash = me.L.T("flash_allocation_proposed_empty")
			}
			return redirect(w, r, "/allocations/"+url.PathEscape(a.ID), flash)
		}
		if !f.absorb(err) {
			return err
		}
		status = problem.Status(err)
	}
	return ui.allocationForm(w, r, me, status, f)
}

func (ui *UI) showAllocation(w http.ResponseWriter, r *http.Request, me *viewer) error {
	d, err := ui.Supply.AllocationDetail(r.Context(), me.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	return ui.allocationPage(w, r, me, http.StatusOK, d, nil)
}

// refusedCommit is a commit form that was refused: the lines it kept, what
// to tell, and for a conflict the service's account of what changed.
type refusedCommit struct {
	Form     *form
	Kept     map[int]bool
	Conflict bool
	Detail   string
}

// allocationPage is a proposal: its summary, chart, lines (with the commit
// form while it is proposed), the pledges its commit made and what it
// leaves unmet.
type allocationPage struct {
	A         domain.Allocation
	Item      domain.Item
	Lines     []allocationLine
	Unmet     []unmetView
	Pledges   []allocationPledge
	Form      *form
	Conflict  bool
	Detail    string
	Figures   allocationFigures
	Committed bool
	CanCommit bool
	Countries string
	Urgencies string
	Donors    string
	Chart     allocationChart
	Empty     string
	Again     string
}

// allocationFigures are a proposal's totals as shown.
type allocationFigures struct {
	Allocated, Shortfall, Cost qty
}

// allocationPage shows a proposal with its needs and pledges, with the
// commit form as refused when rc is not nil.
func (ui *UI) allocationPage(w http.ResponseWriter, r *http.Request, me *viewer, status int, d supply.AllocationDetail, rc *refusedCommit) error {
	a := d.Allocation
	item, err := ui.Dir.Item(r.Context(), me.User, a.Filter.ItemID)
	if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
		return err
	}
	if item.Name == "" {
		item.Name = a.Filter.ItemID
	}
	needs, pledges := d.Needs, d.Pledges
	orgIDs := append([]string(nil), a.Filter.DonorIDs...)
	for _, n := range needs {
		orgIDs = append(orgIDs, n.OrganizationID)
	}
	for _, l := range a.Lines {
		orgIDs = append(orgIDs, l.DonorID)
	}
	names, err := ui.orgNames(r, me, orgIDs)
	if err != nil {
		return err
	}
	brief := func(id string) needBrief {
		n, ok := needs[id]
		if !ok {
			return needBrief{ID: id, OrgName: id}
		}
		return needBrief{ID: id, OrgID: n.OrganizationID, OrgName: names[n.OrganizationID], Urgency: n.Urgency, Quantity: me.L.Qty(n.Quantity)}
	}

	pledged := map[[2]string]bool{}
	for _, pl := range pledges {
		pledged[[2]string{pl.NeedID, pl.DonorID}] = true
	}
	lines := make([]allocationLine, len(a.Lines))
	for i, l := range a.Lines {
		lines[i] = allocationLine{AllocationLine: l, Index: i, Need: brief(l.NeedID), DonorName: names[l.DonorID], QuantityShown: me.L.Qty(l.Quantity),
			UnitCost: me.L.Qty(l.UnitCost), Keep: rc == nil || rc.Kept[i], Pledged: pledged[[2]string{l.NeedID, l.DonorID}]}
	}
	slices.SortStableFunc(lines, func(x, y allocationLine) int {
		return cmp.Compare(domain.UrgencyRank(x.Need.Urgency), domain.UrgencyRank(y.Need.Urgency))
	})
	unmet := make([]unmetView, len(a.Unmet))
	for i, u := range a.Unmet {
		unmet[i] = unmetView{AllocationUnmet: u, Need: brief(u.NeedID), QuantityShown: me.L.Qty(u.Quantity)}
	}
	slices.SortStableFunc(unmet, func(x, y unmetView) int {
		return cmp.Compare(domain.UrgencyRank(x.Need.Urgency), domain.UrgencyRank(y.Need.Urgency))
	})
	pledgeViews := make([]allocationPledge, len(pledges))
	for i, pl := range pledges {
		pledgeViews[i] = allocationPledge{Pledge: pl, Need: brief(pl.NeedID), DonorName: names[pl.DonorID], QuantityShown: me.L.Qty(pl.Quantity)}
	}

	var donorNames []string
	for _, d := range a.Filter.DonorIDs {
		donorNames = append(donorNames, cmp.Or(names[d], d))
	}
	var urgencies []string
	for _, u := range a.Filter.Urgencies {
		urgencies = append(urgencies, urgencyName(me.L, u))
	}
	empty := ""
	if len(a.Lines) == 0 {
		empty = ui.emptyReason(r, me, a, item.Name)
	}
	if rc == nil {
		rc = &refusedCommit{Form: me.newForm(url.Values{})}
	}
	ui.renderStatus(w, r, me, status, "allocation", allocationPage{
		A: a, Item: item, Lines: lines, Unmet: unmet, Pledges: pledgeViews, Form: rc.Form, Conflict: rc.Conflict, Detail: rc.Detail,
		Figures:   allocationFigures{Allocated: me.L.Qty(a.Allocated), Shortfall: me.L.Qty(a.Shortfall), Cost: me.L.Qty(a.ShippingCost)},
		Committed: a.Status == "committed", CanCommit: a.Status == "proposed" && !rc.Conflict,
		Countries: strings.Join(a.Filter.Countries, ", "), Urgencies: strings.Join(urgencies, me.L.T("list_separator")),
		Donors: strings.Join(donorNames, me.L.T("list_separator")),
		Chart:  buildChart(me.L, lines, unmet), Empty: empty, Again: againLink(a),
	})
	return nil
}

// emptyReason says why a proposal has no line: no open need matched, or the
// donors have no stock available, or what they have cannot arrive in time.
func (ui *UI) emptyReason(r *http.Request, me *viewer, a domain.Allocation, item string) string {
	if len(a.Unmet) == 0 {
		return me.L.T("allocation_empty_no_needs", "Item", item)
	}
	donors := a.Filter.DonorIDs
	if len(donors) == 0 && !access.Everywhere(me.User, access.PledgeToNeed) {
		for _, c := range pledgeOrgs(me.User) {
			donors = append(donors, c.ID)
		}
	}
	if len(donors) == 0 {
		return me.L.T("allocation_empty_unknown", "Item", item)
	}
	for _, d := range donors {
		st, err := ui.Supply.Stock(r.Context(), me.User, d)
		if err != nil {
			return me.L.T("allocation_empty_unknown", "Item", item)
		}
		for _, s := range st {
			if s.ItemID == a.Filter.ItemID && s.Available > 0 {
				return me.L.T("allocation_empty_no_lane", "Item", item)
			}
		}
	}
	return me.L.T("allocation_empty_no_stock", "Item", item)
}

// buildChart lays out one bar per need, most urgent first: the units
// allocated, then those left unmet, scaled to the largest need.
func buildChart(l *localizer, lines []allocationLine, unmet []unmetView) allocationChart {
	type row struct {
		need             needBrief
		allocated, unmet int64
	}
	var rows []*row
	byNeed := map[string]*row{}
	get := func(n needBrief) *row {
		if r, ok := byNeed[n.ID]; ok {
			return r
		}
		r := &row{need: n}
		byNeed[n.ID] = r
		rows = append(rows, r)
		return r
	}
	for _, ln := range lines {
		get(ln.Need).allocated += ln.Quantity
	}
	for _, u := range unmet {
		get(u.Need).unmet += u.Quantity
	}
	slices.SortStableFunc(rows, func(x, y *row) int {
		return cmp.Compare(domain.UrgencyRank(x.need.Urgency), domain.UrgencyRank(y.need.Urgency))
	})
	c := allocationChart{Width: chartWidth, Count: len(rows)}
	var most int64 = 1
	for _, r := range rows {
		most = max(most, r.allocated+r.unmet)
	}
	var summary []string
	for i, r := range rows {
		urgency := urgencyName(l, r.need.Urgency)
		value := l.T("chart_bar_value", "Allocated", l.Qty(r.allocated), "Unmet", l.Qty(r.unmet))
		summary = append(summary, l.T("chart_summary_row", "Org", r.need.OrgName, "Urgency", urgency, "Value", value))
		if i >= chartMaxNeeds {
			continue
		}
		width := func(n int64) int {
			if n <= 0 {
				return 0
			}
			return max(2, int(n*chartBarMax/most))
		}
		y := chartTop + i*chartRowH
		b := chartBar{NeedID: r.need.ID, Label: r.need.OrgName + " · " + urgency, LabelY: y + 14, BarY: y + 20, AllocW: width(r.allocated), Value: value}
		b.UnmetX = chartLeft + b.AllocW
		b.UnmetW = width(r.unmet)
		b.ValueX = b.UnmetX + b.UnmetW + 8
		b.ValueY = b.BarY + chartBarH - 4
		c.Bars = append(c.Bars, b)
	}
	c.Shown = len(c.Bars)
	c.Height = chartTop + c.Shown*chartRowH + 4
	c.Summary = l.T("chart_summary", "Count", len(rows), "Rows", strings.Join(summary, l.T("chart_separator")))
	return c
}

func (ui *UI) commitAllocation(w http.ResponseWriter, r *http.Request, me *viewer) error {
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	d, err := ui.Supply.AllocationDetail(r.Context(), me.User, id)
	if err != nil {
		return err
	}
	a := d.Allocation
	kept := map[int]bool{}
	for _, s := range f.List("keep") {
		i, err := strconv.Atoi(s)
		if err != nil || i < 0 || i >= len(a.Lines) {
			return domain.Errorf(domain.EINVALID, "keep must name lines 0 to %d of the proposal, not %q", len(a.Lines)-1, s)
		}
		kept[i] = true
	}
	var drop []int
	for i := range a.Lines {
		if !kept[i] {
			drop = append(drop, i)
		}
	}
	rc := &refusedCommit{Form: f, Kept: kept}
	if a.Status == "proposed" && len(a.Lines) > 0 && len(kept) == 0 {
		f.Error = me.L.T("allocation_keep_one")
		return ui.allocationPage(w, r, me, http.StatusUnprocessableEntity, d, rc)
	}
	_, err = ui.Supply.Commit(r.Context(), me.User, id, f.version(), drop)
	if err == nil {
		return redirect(w, r, "/allocations/"+url.PathEscape(id), me.L.T("flash_allocation_committed", "Count", len(kept)))
	}
	switch domain.ErrorCode(err) {
	case domain.ECONFLICT:
		f.Error, rc.Conflict, rc.Detail = me.L.T("allocation_conflict"), true, me.L.Error(err)
	case domain.EINVALID:
		f.Error = me.L.Refusal(err)
	default:
		return err
	}
	// Show the proposal as it now stands: committed meanwhile, perhaps.
	if cur, cerr := ui.Supply.AllocationDetail(r.Context(), me.User, id); cerr == nil {
		d = cur
	}
	return ui.allocationPage(w, r, me, problem.Status(err), d, rc)
}
