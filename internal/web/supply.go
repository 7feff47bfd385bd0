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
// administrator (or to read the directory) every organization, the first
// 200 by name, after them.
func (ui *UI) orgChoices(r *http.Request, p *request, a access.Action) ([]choice, error) {
	names := map[string]string{}
	for _, m := range p.User.Memberships {
		names[m.OrganizationID] = m.OrganizationName
	}
	var out []choice
	for _, id := range access.Organizations(p.User, a) {
		out = append(out, choice{id, names[id]})
	}
	if p.User.SiteAdmin || a == access.ReadDirectory {
		orgs, _, err := ui.Dir.ListOrganizations(r.Context(), p.User, domain.OrganizationFilter{Limit: domain.MaxPageSize})
		if err != nil {
			return nil, err
		}
		all := make([]choice, len(orgs))
		for i, o := range orgs {
			all[i] = choice{o.ID, o.Name}
		}
		out = mergeChoices(out, all, "")
	}
	return out, nil
}

// mergeChoices returns first followed by those of more it lacks, leaving
// out the organization except (an organization is not its own parent).
func mergeChoices(first, more []choice, except string) []choice {
	seen := map[string]bool{except: true}
	var out []choice
	for _, c := range append(first, more...) {
		if !seen[c.ID] {
			seen[c.ID] = true
			out = append(out, c)
		}
	}
	return out
}

// catalog returns the items offered in selects: the first 200 by name.
func (ui *UI) catalog(r *http.Request, p *request) ([]domain.Item, error) {
	items, _, err := ui.Dir.ListItems(r.Context(), p.User, domain.ItemFilter{Limit: domain.MaxPageSize})
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
		it, err := ui.Dir.Item(r.Context(), p.User, id)
		if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			return nil, err
		}
		m[id] = it
	}
	return m, nil
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
	_, n, err := ui.Supply.Notifications(r.Context(), p.User, 1)
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
	notes, unread, err := ui.Supply.Notifications(r.Context(), p.User, domain.MaxPageSize)
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
	f, err := p.parseForm(r)
	if err != nil {
		return err
	}
	upTo, err := strconv.ParseInt(strings.TrimSpace(f.Get("up_to")), 10, 64)
	if err != nil || upTo < 0 {
		return domain.Errorf(domain.EINVALID, "up_to must be the id of the newest notification read, not %q", f.Get("up_to"))
	}
	if err := ui.Supply.MarkRead(r.Context(), p.User, upTo); err != nil {
		return err
	}
	return redirect(w, r, "/notifications", p.L.T("flash_notifications_read"))
}

// contains reports whether list holds s, for ticked checkboxes.
func contains(list []string, s string) bool { return slices.Contains(list, s) }
