package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
)

// currencies are offered for the shipping cost; any ISO 4217 code is
// accepted by the domain, these are the ones donors here pay in.
var currencies = []string{"USD", "CNY", "EUR", "HKD", "CHF", "MAD", "JPY"}

// shipmentView is a shipment with the names of its parties.
type shipmentView struct {
	domain.Shipment
	DonorName     string
	RecipientName string
	BorneByName   string
	Sent          bool // in a list: sent by the organization listed, not received
}

func (ui *UI) shipmentViews(r *http.Request, me *viewer, list []domain.Shipment, org string) ([]shipmentView, error) {
	var ids []string
	for _, sh := range list {
		ids = append(ids, sh.DonorID, sh.RecipientID, sh.CostBorneBy)
	}
	names, err := ui.orgNames(r, me, ids)
	if err != nil {
		return nil, err
	}
	out := make([]shipmentView, len(list))
	for i, sh := range list {
		out[i] = shipmentView{Shipment: sh, DonorName: names[sh.DonorID], RecipientName: names[sh.RecipientID],
			BorneByName: names[sh.CostBorneBy], Sent: sh.DonorID == org}
	}
	return out, nil
}

// shipmentsPage is an organization's shipments, sent and received.
type shipmentsPage struct {
	Orgs      []choice
	Org       string
	Shipments []shipmentView
	Next      string
	First     string
	CanShip   bool
}

func (ui *UI) listShipments(w http.ResponseWriter, r *http.Request, me *viewer) error {
	orgs, err := ui.orgChoices(r, me, access.ReadShipment)
	if err != nil {
		return err
	}
	org := r.URL.Query().Get("organization_id")
	if org == "" && len(orgs) > 0 {
		org = orgs[0].ID
	}
	data := shipmentsPage{Orgs: orgs, Org: org}
	if org == "" {
		return ui.render(w, r, me, "shipments", data)
	}
	list, err := ui.Supply.Shipments(r.Context(), me.User, org, "")
	if err != nil {
		return err
	}
	shown, next := offsetPage(r, list)
	views, err := ui.shipmentViews(r, me, shown, org)
	if err != nil {
		return err
	}
	if !containsChoice(orgs, org) {
		names, err := ui.orgNames(r, me, []string{org})
		if err != nil {
			return err
		}
		data.Orgs = append([]choice{{org, names[org]}}, orgs...)
	}
	data.Shipments, data.Next, data.First = views, next, firstLink(r)
	data.CanShip = access.Can(me.User, access.ShipPledges, access.Resource{OrganizationID: org})
	return ui.render(w, r, me, "shipments", data)
}

func containsChoice(cs []choice, id string) bool {
	for _, c := range cs {
		if c.ID == id {
			return true
		}
	}
	return false
}

// shipLine is an accepted pledge offered as a line of a new shipment.
type shipLine struct {
	Pledge   domain.Pledge
	Need     needView
	Accepted qty
	Left     qty
	Checked  bool
	Value    string // the quantity typed, or what is left to ship
	Err      string
}

// recipientGroup is the accepted pledges to one recipient: one shipment
// goes to one organization.
type recipientGroup struct {
	ID, Name string
	Lines    []shipLine
}

// shipmentFormPage is the form of a new shipment from a donor to one
// recipient, with the donor's pledges left to ship grouped by recipient.
type shipmentFormPage struct {
	Form       *form
	Donor      choice
	Groups     []*recipientGroup
	Chosen     *recipientGroup
	OneTicked  bool // the form was opened from one pledge, which alone is ticked
	Currencies []string
	Orgs       []choice // who else may have borne the cost
}

// shipmentForm shows the form of a new shipment from donor to one
// recipient; f is the form as submitted, nil for a fresh one, which ticks
// the pledge named by the pledge_id parameter, or else every line.
func (ui *UI) shipmentForm(w http.ResponseWriter, r *http.Request, me *viewer, status int, donor string, f *form) error {
	ship, err := ui.Supply.ToShip(r.Context(), me.User, donor)
	if err != nil {
		return err
	}
	needs := make([]domain.Need, 0, len(ship.Needs))
	for _, n := range ship.Needs {
		needs = append(needs, n)
	}
	views, err := ui.needViews(r, me, nil, needs)
	if err != nil {
		return err
	}
	byNeed := map[string]needView{}
	for _, v := range views {
		byNeed[v.ID] = v
	}
	fresh := f == nil
	q := r.URL.Query()
	one := ""
	if fresh {
		f = me.newForm(url.Values{"donor_id": {donor}, "recipient_id": {q.Get("recipient_id")}})
		if id := q.Get("pledge_id"); slices.ContainsFunc(ship.Pledges, func(pl domain.Pledge) bool { return pl.ID == id }) {
			one = id
		}
	}
	var groups []*recipientGroup
	index := map[string]*recipientGroup{}
	for _, pl := range ship.Pledges {
		nv := byNeed[pl.NeedID]
		g, ok := index[nv.OrganizationID]
		if !ok {
			g = &recipientGroup{ID: nv.OrganizationID, Name: nv.OrgName}
			index[g.ID] = g
			groups = append(groups, g)
		}
		left := pl.LeftToShip()
		l := shipLine{Pledge: pl, Need: nv, Accepted: me.L.Qty(pl.Quantity), Left: me.L.Qty(left)}
		if fresh {
			l.Checked, l.Value = one == "" || one == pl.ID, strconv.FormatInt(left, 10)
			if one == pl.ID {
				f.Values.Set("recipient_id", g.ID)
			}
		} else {
			l.Checked, l.Value, l.Err = contains(f.List("ship"), pl.ID), f.Get("q_"+pl.ID), f.Err("q_"+pl.ID)
		}
		g.Lines = append(g.Lines, l)
	}
	var chosen *recipientGroup
	if g, ok := index[f.Get("recipient_id")]; ok {
		chosen = g
	} else if len(groups) > 0 {
		chosen = groups[0]
		f.Values.Set("recipient_id", chosen.ID)
	}
	names, err := ui.orgNames(r, me, []string{donor})
	if err != nil {
		return err
	}
	orgs, err := ui.orgChoices(r, me, access.ReadDirectory)
	if err != nil {
		return err
	}
	ui.renderStatus(w, r, me, status, "shipment_form", shipmentFormPage{Form: f, Donor: choice{donor, names[donor]},
		Groups: groups, Chosen: chosen, OneTicked: one != "", Currencies: currencies, Orgs: orgs})
	return nil
}

func (ui *UI) newShipment(w http.ResponseWriter, r *http.Request, me *viewer) error {
	donor := r.URL.Query().Get("donor_id")
	if donor == "" {
		orgs, err := ui.orgChoices(r, me, access.ShipPledges)
		if err != nil {
			return err
		}
		if len(orgs) == 0 {
			return access.Somewhere(me.User, access.ShipPledges)
		}
		donor = orgs[0].ID
	}
	if err := access.Allow(me.User, access.ShipPledges, access.Resource{OrganizationID: donor}); err != nil {
		return err
	}
	return ui.shipmentForm(w, r, me, http.StatusOK, donor, nil)
}

func (ui *UI) createShipment(w http.ResponseWriter, r *http.Request, me *viewer) error {
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	donor, recipient := f.Get("donor_id"), f.Get("recipient_id")
	sh := domain.Shipment{DonorID: donor, Carrier: strings.TrimSpace(f.Get("carrier")), TrackingNumber: strings.TrimSpace(f.Get("tracking_number")),
		CustomsReference: strings.TrimSpace(f.Get("customs_reference"))}
	ticked := f.List("ship")
	for _, id := range ticked {
		sh.Lines = append(sh.Lines, domain.ShipmentLine{PledgeID: id, Quantity: f.whole("q_" + id)})
	}
	if amount := strings.TrimSpace(f.Get("cost_amount")); amount != "" {
		m, err := domain.ParseMoney(amount, f.Get("cost_currency"))
		if err != nil {
			f.Errors["shipping_cost"] = me.L.Error(err)
		} else {
			sh.ShippingCost = m
		}
	}
	switch other := f.Get("cost_borne_by_id"); f.Get("cost_borne_by") {
	case "donor":
		sh.CostBorneBy = donor
	case "recipient":
		sh.CostBorneBy = recipient
	case "other", "":
		// Another organization chosen by name is who bore it, even when
		// "another organization" was not picked above.
		sh.CostBorneBy = other
		if other == "" && f.Get("cost_borne_by") == "other" {
			f.Errors["cost_borne_by_id"] = me.L.T("error_borne_by_id")
		}
	}
	return submit(w, r, f, submission{
		validate: sh.Validate,
		save: func() (string, string, error) {
			return "/shipments/" + sh.ID, me.L.T("flash_shipment_recorded"), ui.Supply.Ship(r.Context(), me.User, &sh)
		},
		redraw: func(status int) error { return ui.shipmentForm(w, r, me, status, donor, f) },
		// Errors of a line go to the quantity box of its pledge.
		rename: func(field string) string {
			if i, _, ok := lineField(field); ok && i < len(ticked) {
				return "q_" + ticked[i]
			}
			if field == "cost_borne_by" && sh.CostBorneBy != "" && sh.CostBorneBy != donor && sh.CostBorneBy != recipient {
				return "cost_borne_by_id"
			}
			return ""
		},
	})
}

// lineView is a line of a shipment as its page shows it.
type lineView struct {
	domain.ShipmentLine
	Item                             domain.Item
	QuantityShown, Received, Damaged qty
	ReceivedValue                    string
	DamagedValue                     string
	ReceivedErr, DamageErr           string
}

// shipmentLines dresses a shipment's lines; rf is the receipt form as
// submitted, nil for the defaults (all received, none damaged).
func (ui *UI) shipmentLines(r *http.Request, me *viewer, sh domain.Shipment, rf *form) ([]lineView, error) {
	var ids []string
	for _, l := range sh.Lines {
		ids = append(ids, l.ItemID)
	}
	items, err := ui.itemMap(r, me, nil, ids)
	if err != nil {
		return nil, err
	}
	out := make([]lineView, len(sh.Lines))
	for i, l := range sh.Lines {
		v := lineView{ShipmentLine: l, Item: items[l.ItemID], QuantityShown: me.L.Qty(l.Quantity), Received: me.L.Qty(l.Received), Damaged: me.L.Qty(l.Damaged),
			ReceivedValue: strconv.FormatInt(l.Quantity, 10), DamagedValue: "0"}
		if rf != nil {
			v.ReceivedValue, v.DamagedValue = rf.Get("received_"+l.ID), rf.Get("damaged_"+l.ID)
			v.ReceivedErr, v.DamageErr = rf.Err("received_"+l.ID), rf.Err("damaged_"+l.ID)
		}
		out[i] = v
	}
	return out, nil
}

func (ui *UI) showShipment(w http.ResponseWriter, r *http.Request, me *viewer) error {
	return ui.shipmentPage(w, r, me, http.StatusOK, r.PathValue("id"), nil)
}

// shipmentPage shows a shipment; rf is its receipt form as submitted, when
// it was refused.
func (ui *UI) shipmentPage(w http.ResponseWriter, r *http.Request, me *viewer, status int, id string, rf *form) error {
	sh, err := ui.Supply.Shipment(r.Context(), me.User, id)
	if err != nil {
		return err
	}
	views, err := ui.shipmentViews(r, me, []domain.Shipment{sh}, "")
	if err != nil {
		return err
	}
	lines, err := ui.shipmentLines(r, me, sh, rf)
	if err != nil {
		return err
	}
	history, err := ui.history(r, me, "shipment", id)
	if err != nil {
		return err
	}
	if rf == nil {
		rf = me.newForm(url.Values{})
	}
	ui.markOpened(r, me, "shipment", sh.ID)
	ui.renderStatus(w, r, me, status, "shipment", shipmentPage{Shipment: views[0], Lines: lines, History: history, Receipt: rf,
		CanDispatch: sh.Status == domain.ShipmentPreparing && access.Can(me.User, access.ShipPledges, access.Resource{OrganizationID: sh.DonorID}),
		CanReceive:  sh.Status == domain.ShipmentDispatched && access.Can(me.User, access.ReceiveShipment, access.Resource{OrganizationID: sh.RecipientID}),
	})
	return nil
}

// shipmentPage is a shipment with its lines, the receipt form for the
// recipient and its history.
type shipmentPage struct {
	Shipment    shipmentView
	Lines       []lineView
	History     []domain.AuditEntry
	Receipt     *form
	CanDispatch bool
	CanReceive  bool
}

func (ui *UI) dispatchShipment(w http.ResponseWriter, r *http.Request, me *viewer) error {
	return act(w, r, me, action{done: me.L.T("flash_dispatched"), refused: me.L.T("flash_dispatch_refused"),
		do: func(f *form) (string, error) {
			id := r.PathValue("id")
			_, err := ui.Supply.Dispatch(r.Context(), me.User, id, f.version())
			return "/shipments/" + url.PathEscape(id), err
		}})
}

func (ui *UI) recordReceipt(w http.ResponseWriter, r *http.Request, me *viewer) error {
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	sh, err := ui.Supply.Shipment(r.Context(), me.User, id)
	if err != nil {
		return err
	}
	lines := make([]domain.ReceiptLine, len(sh.Lines))
	for i, l := range sh.Lines {
		lines[i] = domain.ReceiptLine{LineID: l.ID, Received: f.whole("received_" + l.ID), Damaged: f.whole("damaged_" + l.ID)}
	}
	return submit(w, r, f, submission{
		save: func() (string, string, error) {
			_, err := ui.Supply.Receive(r.Context(), me.User, id, lines)
			return "/shipments/" + url.PathEscape(id), me.L.T("flash_receipt_recorded"), err
		},
		redraw: func(status int) error { return ui.shipmentPage(w, r, me, status, id, f) },
		rename: func(field string) string {
			i, rest, ok := lineField(field)
			switch {
			case !ok || i >= len(sh.Lines):
				return ""
			case rest == "damaged":
				return "damaged_" + sh.Lines[i].ID
			}
			return "received_" + sh.Lines[i].ID
		},
	})
}

// ackLine is one line of an acknowledgement, as a sentence.
type ackLine struct {
	Text     string
	Received string // what arrived of it, "" before the receipt
}

func (ui *UI) acknowledgement(w http.ResponseWriter, r *http.Request, me *viewer) error {
	sh, err := ui.Supply.Shipment(r.Context(), me.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	views, err := ui.shipmentViews(r, me, []domain.Shipment{sh}, "")
	if err != nil {
		return err
	}
	lines, err := ui.shipmentLines(r, me, sh, nil)
	if err != nil {
		return err
	}
	ack := make([]ackLine, len(lines))
	for i, l := range lines {
		ack[i].Text = me.L.T("ack_line", "Quantity", l.QuantityShown, "Unit", unitLabel(me.L, l.Item.Unit, l.Quantity), "Item", l.Item.Name)
		if sh.ReceivedAt != nil {
			ack[i].Received = me.L.T("ack_line_received", "Received", l.Received, "Damaged", l.Damaged)
		}
	}
	return ui.render(w, r, me, "acknowledgement", acknowledgementPage{Shipment: views[0], Lines: ack})
}

// acknowledgementPage is the printable acknowledgement of a donation.
type acknowledgementPage struct {
	Shipment shipmentView
	Lines    []ackLine
}

// unitLabel returns a unit for a quantity: in English the plural for more
// than one ("pieces", "boxes"); other languages do not inflect.
func unitLabel(l *localizer, unit string, n int64) string {
	if l.Lang != "en" || n == 1 || unit == "" {
		return unit
	}
	for _, end := range []string{"s", "x", "ch", "sh"} {
		if strings.HasSuffix(unit, end) {
			return unit + "es"
		}
	}
	return unit + "s"
}
