package web

import (
	"html"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
)

// needView is a need as the pages show it: with its organization's name,
// its item, what it asks for and what is still uncovered with thousands
// separators, and whether its date has passed while it waits.
type needView struct {
	domain.Need
	OrgName string
	Item    domain.Item
	Figures needFigures
	Overdue bool
}

// TakesPledges reports whether the need takes pledges, for the templates.
func (v needView) TakesPledges() bool { return v.Need.TakesPledges() }

// needFigures are what a need asks for and what no active pledge covers, as
// shown.
type needFigures struct {
	Quantity, Uncovered qty
}

// needViews dresses needs for a page; known are items already read.
func (ui *UI) needViews(r *http.Request, me *viewer, known []domain.Item, needs []domain.Need) ([]needView, error) {
	var orgIDs, itemIDs []string
	for _, n := range needs {
		orgIDs, itemIDs = append(orgIDs, n.OrganizationID), append(itemIDs, n.ItemID)
	}
	names, err := ui.orgNames(r, me, orgIDs)
	if err != nil {
		return nil, err
	}
	items, err := ui.itemMap(r, me, known, itemIDs)
	if err != nil {
		return nil, err
	}
	today := ui.Supply.Today()
	out := make([]needView, len(needs))
	for i, n := range needs {
		out[i] = needView{Need: n, OrgName: names[n.OrganizationID], Item: items[n.ItemID],
			Figures: needFigures{Quantity: me.L.Qty(n.Quantity), Uncovered: me.L.Qty(n.Uncovered())}, Overdue: n.Overdue(today)}
	}
	return out, nil
}

// needsPage is the needs board; its choices come with their words already
// translated, and its rows written (boardRows).
type needsPage struct {
	Filter    domain.NeedFilter
	Status    string // the status filter as chosen: "" for those waiting, AllStatus for all
	AllStatus string
	Statuses  []option
	Urgencies []option
	Items     []option
	Needs     []needView
	Rows      template.HTML // the rows of Needs
	Next      string
	First     string
	OrgName   string // the organization the board is narrowed to
	ClearOrg  string // the board without that narrowing
	Filtered  bool
	CanPost   bool
}

// option is one choice of a filter's list, as shown.
type option struct {
	Value, Label string
	Selected     bool
}

// boardRows writes the board's rows. The board is the most read page and
// lists 25 needs: as a template, their fifteen escaped values a row took
// more time than every query of the page together, so the rows are written
// here, each value escaped for the text or quoted attribute it goes in.
func boardRows(l *localizer, views []needView) template.HTML {
	shortage := ` <span class="badge" title="` + html.EscapeString(l.T("field_shortage")) + `">` + html.EscapeString(l.T("shortage_short")) + `</span>`
	overdue := ` <span class="badge overdue">` + html.EscapeString(l.T("need_overdue")) + `</span>`
	var b strings.Builder
	for _, v := range views {
		id, esc := url.PathEscape(v.ID), html.EscapeString
		b.WriteString(`<tr data-need="` + esc(v.ID) + `"`)
		if v.Overdue {
			b.WriteString(` class="overdue"`)
		}
		b.WriteString(">\n    <td><span class=\"badge urgency-" + esc(string(v.Urgency)) + `">` + esc(l.T("urgency_"+string(v.Urgency))) + `</span>`)
		if v.Shortage {
			b.WriteString(shortage)
		}
		if v.Overdue {
			b.WriteString(overdue)
		}
		due := "—"
		if !v.NeededBy.IsZero() {
			due = v.NeededBy.String()
		}
		b.WriteString("</td>\n    <td><a href=\"/organizations/" + esc(url.PathEscape(v.OrganizationID)) + `">` + esc(v.OrgName) + "</a></td>\n" +
			`    <td><a class="need-link" href="/needs/` + esc(id) + `">` + esc(v.Item.Name) + `</a> <span class="unit">(` + esc(v.Item.Unit) + ")</span></td>\n" +
			`    <td class="num">` + esc(v.Figures.Quantity.String()) + "</td>\n" +
			`    <td class="num uncovered">` + esc(v.Figures.Uncovered.String()) + "</td>\n" +
			`    <td class="needed-by">` + esc(due) + "</td>\n" +
			`    <td><span class="badge status-` + esc(string(v.Status)) + `">` + esc(l.T("need_status_"+string(v.Status))) + "</span></td>\n  </tr>")
	}
	return template.HTML(b.String())
}

// boardOptions returns the board's choices of status, urgency and item,
// with the chosen ones marked.
func boardOptions(l *localizer, f domain.NeedFilter, status string, items []domain.Item) (statuses, urgencies, itemOpts []option) {
	for _, st := range domain.NeedStatuses {
		statuses = append(statuses, option{string(st), l.T("need_status_" + string(st)), string(st) == status})
	}
	for _, u := range domain.Urgencies {
		urgencies = append(urgencies, option{string(u), l.T("urgency_" + string(u)), string(u) == f.Urgency})
	}
	for _, it := range items {
		itemOpts = append(itemOpts, option{it.ID, it.Name, it.ID == f.ItemID})
	}
	return statuses, urgencies, itemOpts
}

// allStatuses is the board's status filter that shows needs in every
// status; the default shows those still waiting.
const allStatuses = "all"

func (ui *UI) listNeeds(w http.ResponseWriter, r *http.Request, me *viewer) error {
	q := r.URL.Query()
	status := q.Get("status")
	f := domain.NeedFilter{ItemID: q.Get("item_id"), OrganizationID: q.Get("organization_id"), Country: strings.ToUpper(strings.TrimSpace(q.Get("country"))),
		Urgency: q.Get("urgency"), Cursor: q.Get("cursor"), Limit: 25}
	switch status {
	case "":
		f.Open = true
	case allStatuses:
	default:
		f.Status = status
	}
	list, next, err := ui.Supply.Needs(r.Context(), me.User, f)
	if err != nil {
		return err
	}
	items, err := ui.catalog(r, me)
	if err != nil {
		return err
	}
	views, err := ui.needViews(r, me, items, list)
	if err != nil {
		return err
	}
	orgName := ""
	if f.OrganizationID != "" {
		names, err := ui.orgNames(r, me, []string{f.OrganizationID})
		if err != nil {
			return err
		}
		orgName = names[f.OrganizationID]
	}
	clearOrg := ""
	if f.OrganizationID != "" {
		cq := r.URL.Query()
		cq.Del("organization_id")
		cq.Del("cursor")
		clearOrg = "/needs?" + cq.Encode()
	}
	statuses, urgencies, itemOpts := boardOptions(me.L, f, status, items)
	return ui.render(w, r, me, "needs", needsPage{
		Filter: f, Status: status, AllStatus: allStatuses, Statuses: statuses, Urgencies: urgencies, Items: itemOpts,
		Needs: views, Rows: boardRows(me.L, views),
		Next: nextLink(r, next), First: firstLink(r), OrgName: orgName, ClearOrg: clearOrg,
		Filtered: f.ItemID != "" || f.OrganizationID != "" || f.Country != "" || f.Urgency != "" || status != "",
		CanPost:  access.Somewhere(me.User, access.PostNeed) == nil,
	})
}

// needFromForm reads a need from its form; what cannot be read goes on the
// form as errors.
func needFromForm(f *form) domain.Need {
	n := domain.Need{OrganizationID: f.text("organization_id"), ItemID: f.Get("item_id"),
		Urgency: domain.Urgency(f.Get("urgency")), Justification: f.text("justification"), Shortage: f.Get("shortage") != ""}
	n.Quantity = f.whole("quantity")
	n.NeededBy = f.dateField("needed_by", f.Get("needed_by"))
	return n
}

func needValues(n domain.Need) url.Values {
	v := valuesOf("organization_id", n.OrganizationID, "item_id", n.ItemID, "quantity", strconv.FormatInt(n.Quantity, 10),
		"urgency", string(n.Urgency), "needed_by", n.NeededBy.String(), "justification", n.Justification,
		"version", strconv.FormatInt(n.Version, 10))
	if n.Shortage {
		v.Set("shortage", "on")
	}
	return v
}

// needFormPage is the form of a new need (Need nil) or of a need's change.
type needFormPage struct {
	Form      *form
	Need      *needView
	Orgs      []choice
	Items     []domain.Item
	Urgencies []domain.Urgency
	Today     domain.Date // the earliest needed_by a new need may ask for
}

// needForm shows the form of a new need (cur nil) or of a need's change.
func (ui *UI) needForm(w http.ResponseWriter, r *http.Request, me *viewer, status int, f *form, cur *needView) error {
	items, err := ui.catalog(r, me)
	if err != nil {
		return err
	}
	var orgs []choice
	if cur == nil {
		if orgs, err = ui.orgChoices(r, me, access.PostNeed); err != nil {
			return err
		}
	}
	ui.renderStatus(w, r, me, status, "need_form", needFormPage{Form: f, Need: cur, Orgs: orgs, Items: items, Urgencies: domain.Urgencies,
		Today: ui.Supply.Today()})
	return nil
}

func (ui *UI) newNeed(w http.ResponseWriter, r *http.Request, me *viewer) error {
	if err := access.Somewhere(me.User, access.PostNeed); err != nil {
		return err
	}
	q := r.URL.Query()
	f := me.newForm(url.Values{"organization_id": {q.Get("organization_id")}, "item_id": {q.Get("item_id")}, "urgency": {string(domain.UrgencyHigh)}})
	return ui.needForm(w, r, me, http.StatusOK, f, nil)
}

func (ui *UI) createNeed(w http.ResponseWriter, r *http.Request, me *viewer) error {
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	n := needFromForm(f)
	return submit(w, r, f, submission{
		validate: func() error { return ui.Supply.ValidateNeed(&n, nil) },
		save: func() (string, string, error) {
			return "/needs/" + n.ID, me.L.T("flash_need_posted"), ui.Supply.PostNeed(r.Context(), me.User, &n)
		},
		redraw: func(status int) error { return ui.needForm(w, r, me, status, f, nil) },
	})
}

// editableNeed returns a need for its edit or cancel page, refusing those
// who may not change it.
func (ui *UI) editableNeed(r *http.Request, me *viewer) (needView, error) {
	n, _, err := ui.Supply.Need(r.Context(), me.User, r.PathValue("id"))
	if err != nil {
		return needView{}, err
	}
	if err := access.Allow(me.User, access.PostNeed, access.Resource{OrganizationID: n.OrganizationID}); err != nil {
		return needView{}, err
	}
	views, err := ui.needViews(r, me, nil, []domain.Need{n})
	if err != nil {
		return needView{}, err
	}
	return views[0], nil
}

func (ui *UI) editNeed(w http.ResponseWriter, r *http.Request, me *viewer) error {
	v, err := ui.editableNeed(r, me)
	if err != nil {
		return err
	}
	return ui.needForm(w, r, me, http.StatusOK, me.newForm(needValues(v.Need)), &v)
}

func (ui *UI) updateNeed(w http.ResponseWriter, r *http.Request, me *viewer) error {
	cur, err := ui.editableNeed(r, me)
	if err != nil {
		return err
	}
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	n := needFromForm(f)
	n.ID, n.OrganizationID, n.Version = cur.ID, cur.OrganizationID, f.version()
	return submit(w, r, f, submission{
		validate: func() error { return ui.Supply.ValidateNeed(&n, &cur.Need) },
		save: func() (string, string, error) {
			return "/needs/" + n.ID, me.L.T("flash_saved"), ui.Supply.UpdateNeed(r.Context(), me.User, &n)
		},
		redraw: func(status int) error { return ui.needForm(w, r, me, status, f, &cur) },
	})
}

// needCancelPage asks why a need is cancelled before it is.
type needCancelPage struct {
	Need needView
	Form *form
}

func (ui *UI) confirmCancelNeed(w http.ResponseWriter, r *http.Request, me *viewer) error {
	v, err := ui.editableNeed(r, me)
	if err != nil {
		return err
	}
	f := me.newForm(valuesOf("version", strconv.FormatInt(v.Version, 10)))
	return ui.render(w, r, me, "need_cancel", needCancelPage{Need: v, Form: f})
}

func (ui *UI) cancelNeed(w http.ResponseWriter, r *http.Request, me *viewer) error {
	v, err := ui.editableNeed(r, me)
	if err != nil {
		return err
	}
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	return submit(w, r, f, submission{
		save: func() (string, string, error) {
			_, err := ui.Supply.CancelNeed(r.Context(), me.User, v.ID, f.version(), f.text("reason"))
			return "/needs/" + url.PathEscape(v.ID), me.L.T("flash_need_cancelled"), err
		},
		redraw: func(status int) error {
			ui.renderStatus(w, r, me, status, "need_cancel", needCancelPage{Need: v, Form: f})
			return nil
		},
	})
}

// pledgeView is a pledge on its need's page: its figures, its note (or the
// record it came from), and what the reader may do with it. ShipLink, when
// set, opens the shipment form with this pledge ticked.
type pledgeView struct {
	domain.Pledge
	DonorName                           string
	QuantityShown                       qty
	Shipped, Received, Damaged, LeftQty qty
	NoteRef                             *refLink
	ShipLink                            string
	CanDecide                           bool
	CanWithdraw                         bool
}

// tallyView is a need's figures as its page shows them, each saying what it
// counts (domain.NeedTally).
type tallyView struct {
	Quantity, Pledged, Shipped, Received, Damaged, Lost, Uncovered qty
}

func tallyOf(l *localizer, t domain.NeedTally) tallyView {
	return tallyView{Quantity: l.Qty(t.Quantity), Pledged: l.Qty(t.Pledged), Shipped: l.Qty(t.Shipped), Received: l.Qty(t.Received),
		Damaged: l.Qty(t.Damaged), Lost: l.Qty(t.Lost), Uncovered: l.Qty(t.Uncovered)}
}

// needPage is a need with its figures, pledges, lead times and history.
type needPage struct {
	Need       needView
	Tally      tallyView
	Pledges    []pledgeView
	Lead       []leadStep
	LeadTotal  string
	History    []domain.AuditEntry
	Donors     []choice
	PledgeForm *form
	CanEdit    bool
	CanCancel  bool
	CanHistory bool
}

// shipLink returns the address of the shipment form with one pledge ticked.
func shipLink(pl domain.Pledge, recipient string) string {
	q := url.Values{"donor_id": {pl.DonorID}, "recipient_id": {recipient}, "pledge_id": {pl.ID}}
	return "/shipments/new?" + q.Encode()
}

// leadStep is one step of a need's way from plea to receipt.
type leadStep struct {
	Label string
	At    *time.Time
	Days  string // days since the step before, "" when either is unknown
}

// leadSteps returns the steps of a need's lead time and the days from plea
// to receipt ("" until received).
func leadSteps(l *localizer, n domain.Need, lts []domain.LeadTime) ([]leadStep, string) {
	plea := n.CreatedAt
	var lt domain.LeadTime
	if len(lts) > 0 {
		lt = lts[0]
		plea = lt.PleadedAt
	}
	steps := []leadStep{
		{Label: l.T("lead_plea"), At: &plea},
		{Label: l.T("lead_first_pledge"), At: lt.FirstPledge},
		{Label: l.T("lead_first_dispatch"), At: lt.Dispatched},
		{Label: l.T("lead_first_receipt"), At: lt.Received},
	}
	for i := 1; i < len(steps); i++ {
		steps[i].Days = days(steps[i-1].At, steps[i].At)
	}
	return steps, days(&plea, lt.Received)
}

// days returns the days from one time to another with one decimal, "" when
// either is unknown.
func days(from, to *time.Time) string {
	if from == nil || to == nil {
		return ""
	}
	return strconv.FormatFloat(to.Sub(*from).Hours()/24, 'f', 1, 64)
}

func (ui *UI) showNeed(w http.ResponseWriter, r *http.Request, me *viewer) error {
	return ui.needPage(w, r, me, http.StatusOK, r.PathValue("id"), nil)
}

// needPage shows a need with its pledges, lead times and history; pf is the
// pledge form as submitted, when it was refused.
func (ui *UI) needPage(w http.ResponseWriter, r *http.Request, me *viewer, status int, id string, pf *form) error {
	n, pledges, err := ui.Supply.Need(r.Context(), me.User, id)
	if err != nil {
		return err
	}
	views, err := ui.needViews(r, me, nil, []domain.Need{n})
	if err != nil {
		return err
	}
	v := views[0]
	var donorIDs []string
	for _, pl := range pledges {
		donorIDs = append(donorIDs, pl.DonorID)
	}
	names, err := ui.orgNames(r, me, donorIDs)
	if err != nil {
		return err
	}
	res := access.Resource{OrganizationID: n.OrganizationID}
	canDecide := access.Can(me.User, access.DecidePledge, res)
	rows := make([]pledgeView, len(pledges))
	for i, pl := range pledges {
		donor := access.Resource{OrganizationID: pl.DonorID}
		rows[i] = pledgeView{Pledge: pl, DonorName: names[pl.DonorID], QuantityShown: me.L.Qty(pl.Quantity),
			Shipped: me.L.Qty(pl.Shipped), Received: me.L.Qty(pl.Received), Damaged: me.L.Qty(pl.Damaged), LeftQty: me.L.Qty(pl.LeftToShip()),
			NoteRef:   referenceLink(me.L, pl.Note),
			CanDecide: canDecide && pl.Status == domain.PledgeOffered,
			CanWithdraw: (pl.Status == domain.PledgeOffered || pl.Status == domain.PledgeAccepted) &&
				access.Can(me.User, access.WithdrawPledge, donor),
		}
		if pl.LeftToShip() > 0 && access.Can(me.User, access.ShipPledges, donor) {
			rows[i].ShipLink = shipLink(pl, n.OrganizationID)
		}
	}
	lts, err := ui.Supply.LeadTimes(r.Context(), me.User, []string{id})
	if err != nil {
		return err
	}
	steps, total := leadSteps(me.L, n, lts)
	history, err := ui.history(r, me, "need", id)
	if err != nil {
		return err
	}
	var donors []choice
	if v.TakesPledges() {
		all, err := ui.orgChoices(r, me, access.PledgeToNeed)
		if err != nil {
			return err
		}
		for _, c := range all {
			if c.ID != n.OrganizationID {
				donors = append(donors, c)
			}
		}
	}
	if pf == nil {
		pf = me.newForm(url.Values{})
		if len(donors) > 0 {
			pf.Values.Set("donor_id", donors[0].ID)
		}
	}
	canPost := access.Can(me.User, access.PostNeed, res)
	ended := n.Status == domain.NeedCancelled || n.Status == domain.NeedFulfilled
	ui.markOpened(r, me, "need", n.ID)
	ui.renderStatus(w, r, me, status, "need", needPage{
		Need: v, Tally: tallyOf(me.L, n.Tally(pledges)), Pledges: rows, Lead: steps, LeadTotal: total, History: history,
		Donors: donors, PledgeForm: pf,
		CanEdit:    canPost && n.Changeable(len(pledges)) == nil,
		CanCancel:  canPost && !ended,
		CanHistory: access.Can(me.User, access.ReadAudit, res),
	})
	return nil
}

func (ui *UI) createPledge(w http.ResponseWriter, r *http.Request, me *viewer) error {
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	pl := domain.Pledge{NeedID: id, DonorID: f.Get("donor_id"), FromStock: f.Get("from_stock") != "", Note: f.text("note")}
	pl.Quantity = f.whole("quantity")
	return submit(w, r, f, submission{
		validate: pl.Validate,
		save: func() (string, string, error) {
			return "/needs/" + url.PathEscape(id) + "#pledges", me.L.T("flash_pledged", "Quantity", me.L.Number(pl.Quantity)),
				ui.Supply.Pledge(r.Context(), me.User, &pl)
		},
		redraw: func(status int) error { return ui.needPage(w, r, me, status, id, f) },
	})
}

// pledgeAction accepts, declines or withdraws a pledge and goes back to its
// need: with flash when done, with the reason of a refusal when refused.
func (ui *UI) pledgeAction(w http.ResponseWriter, r *http.Request, me *viewer, flash string,
	do func(id, reason string) (domain.Pledge, error)) error {
	return act(w, r, me, action{done: flash, refused: me.L.T("flash_pledge_refused"),
		do: func(f *form) (string, error) {
			pl, err := do(r.PathValue("id"), f.text("reason"))
			back := "/needs"
			if n := f.Get("need_id"); n != "" {
				back = "/needs/" + url.PathEscape(n) + "#pledges"
			} else if pl.NeedID != "" {
				back = "/needs/" + url.PathEscape(pl.NeedID) + "#pledges"
			}
			return back, err
		}})
}

func (ui *UI) acceptPledge(w http.ResponseWriter, r *http.Request, me *viewer) error {
	return ui.pledgeAction(w, r, me, me.L.T("flash_pledge_accepted"), func(id, _ string) (domain.Pledge, error) {
		return ui.Supply.Accept(r.Context(), me.User, id)
	})
}

func (ui *UI) declinePledge(w http.ResponseWriter, r *http.Request, me *viewer) error {
	return ui.pledgeAction(w, r, me, me.L.T("flash_pledge_declined"), func(id, reason string) (domain.Pledge, error) {
		return ui.Supply.Decline(r.Context(), me.User, id, reason)
	})
}

func (ui *UI) withdrawPledge(w http.ResponseWriter, r *http.Request, me *viewer) error {
	return ui.pledgeAction(w, r, me, me.L.T("flash_pledge_withdrawn"), func(id, reason string) (domain.Pledge, error) {
		return ui.Supply.Withdraw(r.Context(), me.User, id, reason)
	})
}
