package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// The supply pages: the needs board and needs (needs.go), shipments and
// their acknowledgements (shipments.go), stock (stock.go), and here what they
// share and the notifications.

// qty is a quantity as the pages show it, with thousands separators
// ("2,000"); templates print it through String.
type qty int64

// String returns the quantity with a comma every three digits.
func (q qty) String() string {
	s := strconv.FormatInt(int64(q), 10)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Signed returns the quantity with its sign, for ledger changes: "+2,000".
func (q qty) Signed() string {
	if q > 0 {
		return "+" + q.String()
	}
	return q.String()
}

// choice is an organization offered in a select.
type choice struct{ ID, Name string }

// orgChoices returns the organizations the user may do a for: those of
// their memberships that the policy lets through, and for a site
// administrator every organization (the first 200 by name) after them.
func (ui *UI) orgChoices(r *http.Request, p *request, a access.Action) ([]choice, error) {
	var out []choice
	seen := map[string]bool{}
	for _, m := range p.User.Memberships {
		if seen[m.OrganizationID] || !access.Can(p.User, a, access.Resource{OrganizationID: m.OrganizationID}) {
			continue
		}
		seen[m.OrganizationID] = true
		out = append(out, choice{m.OrganizationID, m.OrganizationName})
	}
	if p.User.SiteAdmin {
		orgs, _, err := ui.Dir.ListOrganizations(ctx(r), p.User, store.OrganizationFilter{Limit: store.MaxLimit})
		if err != nil {
			return nil, err
		}
		for _, o := range orgs {
			if !seen[o.ID] {
				seen[o.ID] = true
				out = append(out, choice{o.ID, o.Name})
			}
		}
	}
	return out, nil
}

// maySomewhere reports whether the user may do a for at least one of their
// organizations, to show a button only to those who can use it.
func maySomewhere(u *domain.User, a access.Action) bool {
	if u.SiteAdmin {
		return true
	}
	for _, m := range u.Memberships {
		if access.Can(u, a, access.Resource{OrganizationID: m.OrganizationID}) {
			return true
		}
	}
	return false
}

// catalog returns the items offered in selects: the first 200 by name.
func (ui *UI) catalog(r *http.Request, p *request) ([]domain.Item, error) {
	items, _, err := ui.Dir.ListItems(ctx(r), p.User, store.ItemFilter{Limit: store.MaxLimit})
	return items, err
}

// itemMap returns the items with the given ids, looking up those not among
// known one by one.
func (ui *UI) itemMap(r *http.Request, p *request, known []domain.Item, ids []string) (map[string]domain.Item, error) {
	m := map[string]domain.Item{}
	for _, it := range known {
		m[it.ID] = it
	}
	for _, id := range ids {
		if _, ok := m[id]; ok || id == "" {
			continue
		}
		it, err := ui.Dir.Item(ctx(r), p.User, id)
		if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			return nil, err
		}
		m[id] = it
	}
	return m, nil
}

// whole reads a required whole number, exactly: "1,500", "2.5" and numbers
// beyond 64 bits are errors named on the field. Whether the number is in
// range is the domain's to say.
func (f *form) whole(name string, l *localizer) int64 {
	s := strings.TrimSpace(f.Get(name))
	if s == "" {
		f.Errors[name] = l.T("error_required")
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f.Errors[name] = l.T("error_whole_number", "Value", s)
		return 0
	}
	return n
}

// also adds the field errors of err to the form for the fields that have
// none yet, so that a form refused for what could not be read also names
// what else is wrong.
func (f *form) also(err error, l *localizer) {
	for _, fe := range domain.ErrorFields(err) {
		if _, ok := f.Errors[fe.Field]; ok {
			continue
		}
		msg := fe.Message
		if msg == "is required" {
			msg = l.T("error_required")
		}
		f.Errors[fe.Field] = msg
	}
}

// relabel moves the errors of "lines[i]..." fields to the names the page
// gives them, name(i, rest) where rest is what follows "lines[i]".
func (f *form) relabel(name func(i int, rest string) string) {
	for k, msg := range f.Errors {
		rest, ok := strings.CutPrefix(k, "lines[")
		if !ok {
			continue
		}
		num, rest, ok := strings.Cut(rest, "]")
		i, err := strconv.Atoi(num)
		if !ok || err != nil {
			continue
		}
		if to := name(i, strings.TrimPrefix(rest, ".")); to != "" {
			delete(f.Errors, k)
			f.Errors[to] = msg
		}
	}
}

// formStatus is the status of a page that shows a refused form again.
func formStatus(err error) int {
	if domain.ErrorCode(err) == domain.ECONFLICT {
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}

// offsetPage returns the part of a list a page shows, 25 entries from the
// offset in the cursor parameter, and the link to the next part.
func offsetPage[T any](r *http.Request, list []T) ([]T, string) {
	const size = 25
	from, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
	from = max(0, min(from, len(list)))
	to := min(from+size, len(list))
	next := ""
	if to < len(list) {
		next = nextLink(r, strconv.Itoa(to))
	}
	return list[from:to], next
}

// unreadCount returns how many notifications the user has not read, for
// the navigation; a failure to count is logged and shows no count.
func (ui *UI) unreadCount(r *http.Request, p *request) int {
	if p.User == nil || ui.Supply == nil {
		return 0
	}
	_, n, err := ui.Supply.Notifications(ctx(r), p.User, 1)
	if err != nil {
		ui.Log.Error("count unread notifications", "user", p.User.ID, "err", err)
		return 0
	}
	return n
}

// noteView is a notification as a sentence with a link.
type noteView struct {
	domain.Notification
	Text    string
	Link    string
	ForName string // the organization notified, when the user has several
}

func (ui *UI) listNotifications(w http.ResponseWriter, r *http.Request, p *request) error {
	notes, unread, err := ui.Supply.Notifications(ctx(r), p.User, store.MaxLimit)
	if err != nil {
		return err
	}
	var newest int64
	if len(notes) > 0 {
		newest = notes[0].ID
	}
	shown, next := offsetPage(r, notes)
	var ids []string
	for _, n := range shown {
		ids = append(ids, n.ActorOrgID, n.OrganizationID)
	}
	names, err := ui.orgNames(r, p, ids)
	if err != nil {
		return err
	}
	orgs := map[string]bool{}
	for _, m := range p.User.Memberships {
		orgs[m.OrganizationID] = true
	}
	views := make([]noteView, len(shown))
	for i, n := range shown {
		v := noteView{Notification: n, Text: noteText(p.L, n, names[n.ActorOrgID])}
		switch n.EntityType {
		case "need":
			v.Link = "/needs/" + url.PathEscape(n.EntityID)
		case "shipment":
			v.Link = "/shipments/" + url.PathEscape(n.EntityID)
		}
		if len(orgs) > 1 {
			v.ForName = names[n.OrganizationID]
		}
		views[i] = v
	}
	return ui.render(w, r, p, "notifications", map[string]any{"Notes": views, "Unread": unread, "Newest": newest,
		"Next": next, "First": firstLink(r)})
}

// noteText says what a notification tells, in the reader's language.
func noteText(l *localizer, n domain.Notification, actor string) string {
	q := qty(n.Quantity)
	switch n.Kind {
	case domain.NotePledgeOffered:
		return l.T("note_pledge_offered", "Org", actor, "Quantity", q)
	case domain.NotePledgeAccepted:
		return l.T("note_pledge_accepted", "Quantity", q)
	case domain.NotePledgeDeclined:
		return l.T("note_pledge_declined", "Org", actor, "Quantity", q)
	case domain.NotePledgeWithdrawn:
		return l.T("note_pledge_withdrawn", "Org", actor, "Quantity", q)
	case domain.NoteShipmentDispatched:
		return l.T("note_shipment_dispatched", "Org", actor, "Quantity", q)
	case domain.NoteReceiptRecorded:
		return l.T("note_receipt_recorded", "Org", actor, "Quantity", q)
	case domain.NoteNeedCancelled:
		return l.T("note_need_cancelled", "Org", actor)
	}
	return l.T("note_other", "Kind", n.Kind)
}

func (ui *UI) markNotificationsRead(w http.ResponseWriter, r *http.Request, p *request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	upTo, err := strconv.ParseInt(strings.TrimSpace(f.Get("up_to")), 10, 64)
	if err != nil || upTo < 0 {
		return domain.Errorf(domain.EINVALID, "up_to must be the id of the newest notification read, not %q", f.Get("up_to"))
	}
	if err := ui.Supply.MarkRead(ctx(r), p.User, upTo); err != nil {
		return err
	}
	return redirect(w, r, "/notifications", p.L.T("flash_notifications_read"))
}

// contains reports whether list holds s, for ticked checkboxes.
func contains(list []string, s string) bool { return slices.Contains(list, s) }
