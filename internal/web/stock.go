package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
)

// stockView is an organization's stock of one item as shown.
type stockView struct {
	Item                        domain.Item
	OnHand, Reserved, Available qty
}

// movementView is an entry of the stock ledger as shown: its reason in the
// reader's language when the system wrote it as a code, and its reference
// as a link to the record when it is one.
type movementView struct {
	domain.StockMovement
	Item       domain.Item
	Change     string
	Counted    string
	ReasonText string
	Ref        *refLink
}

// refLink is a reference to a record, as a link named in the reader's
// language.
type refLink struct {
	Text string
	Href string
}

// referenceLink returns the link of a reference the system wrote
// (domain.RefTo), nil for anything else, which is shown as it is.
func referenceLink(l *localizer, code string) *refLink {
	ref, ok := domain.ParseRef(code)
	if !ok {
		return nil
	}
	switch ref.Kind {
	case domain.RefShipment:
		return &refLink{Text: l.T("ref_shipment"), Href: "/shipments/" + url.PathEscape(ref.ID)}
	case domain.RefAllocation:
		return &refLink{Text: l.T("ref_allocation"), Href: "/allocations/" + url.PathEscape(ref.ID)}
	}
	return nil
}

// reasonText returns a movement's reason in the reader's language when the
// system wrote it as a code, else as it was typed.
func reasonText(l *localizer, reason string) string {
	switch reason {
	case domain.ReasonOpeningStock:
		return l.T("movement_reason_opening_stock")
	}
	return reason
}

// stockPage is an organization's stock, its ledger and the adjustment form.
type stockPage struct {
	Org        domain.Organization
	Stock      []stockView
	Ledger     []movementView
	Next       string
	First      string
	Items      []domain.Item
	ItemFilter string
	Form       *form
	Kinds      []domain.MovementKind
	CanAdjust  bool
}

func (ui *UI) showStock(w http.ResponseWriter, r *http.Request, me *viewer) error {
	return ui.stockPage(w, r, me, http.StatusOK, nil)
}

// stockPage shows an organization's stock and ledger; f is the adjustment
// form as submitted, when it was refused.
func (ui *UI) stockPage(w http.ResponseWriter, r *http.Request, me *viewer, status int, f *form) error {
	id := r.PathValue("id")
	stock, err := ui.Supply.Stock(r.Context(), me.User, id)
	if err != nil {
		return err
	}
	org, err := ui.Dir.Organization(r.Context(), me.User, id)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	itemFilter := q.Get("item_id")
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	moves, next, err := ui.Supply.Movements(r.Context(), me.User, id, itemFilter, max(0, before), 25)
	if err != nil {
		return err
	}
	catalog, err := ui.catalog(r, me)
	if err != nil {
		return err
	}
	var ids []string
	for _, s := range stock {
		ids = append(ids, s.ItemID)
	}
	for _, m := range moves {
		ids = append(ids, m.ItemID)
	}
	items, err := ui.itemMap(r, me, catalog, ids)
	if err != nil {
		return err
	}
	rows := make([]stockView, len(stock))
	for i, s := range stock {
		rows[i] = stockView{Item: items[s.ItemID], OnHand: me.L.Qty(s.OnHand), Reserved: me.L.Qty(s.Reserved), Available: me.L.Qty(s.Available)}
	}
	ledger := make([]movementView, len(moves))
	for i, m := range moves {
		v := movementView{StockMovement: m, Item: items[m.ItemID], Change: me.L.Qty(m.Delta).Signed(), ReasonText: reasonText(me.L, m.Reason),
			Ref: referenceLink(me.L, m.Reference)}
		if m.Counted != nil {
			v.Counted = me.L.Qty(*m.Counted).String()
		}
		ledger[i] = v
	}
	nextURL, firstURL := "", ""
	if next > 0 {
		nq := r.URL.Query()
		nq.Set("before", strconv.FormatInt(next, 10))
		nextURL = r.URL.Path + "?" + nq.Encode()
	}
	if before > 0 {
		fq := r.URL.Query()
		fq.Del("before")
		firstURL = r.URL.Path + "?" + fq.Encode()
	}
	if f == nil {
		f = me.newForm(valuesOf("kind", string(domain.MoveAdjustment), "item_id", itemFilter))
	}
	ui.renderStatus(w, r, me, status, "stock", stockPage{Org: org, Stock: rows, Ledger: ledger, Next: nextURL, First: firstURL,
		Items: catalog, ItemFilter: itemFilter, Form: f, Kinds: domain.ManualMovementKinds,
		CanAdjust: access.Can(me.User, access.AdjustStock, access.Resource{OrganizationID: id}),
	})
	return nil
}

func (ui *UI) adjustStock(w http.ResponseWriter, r *http.Request, me *viewer) error {
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	m := domain.StockMovement{OrganizationID: id, ItemID: f.Get("item_id"), Kind: domain.MovementKind(f.Get("kind")),
		Reason: strings.TrimSpace(f.Get("reason"))}
	switch m.Kind {
	case domain.MoveAdjustment:
		m.Delta = f.whole("delta")
	case domain.MoveCount:
		c := f.whole("counted")
		m.Counted = &c
	}
	if m.ItemID == "" {
		f.fail("item_id", domain.MsgRequired)
	}
	return submit(w, r, f, submission{
		validate: func() error { return domain.ValidateAdjustment(m.Kind, m.Delta, m.Counted, m.Reason) },
		save: func() (string, string, error) {
			return "/organizations/" + url.PathEscape(id) + "/stock", me.L.T("flash_stock_recorded"), ui.Supply.AdjustStock(r.Context(), me.User, &m)
		},
		redraw: func(status int) error { return ui.stockPage(w, r, me, status, f) },
	})
}
