package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
)

// The notifications: the count in the navigation, their page, marking them
// read, and the sentences they are told in (which the home page shares).

// unreadCount returns how many notifications the user has not read, for
// the navigation; a failure to count is logged and shows no count.
func (ui *UI) unreadCount(r *http.Request, me *viewer) int {
	if me.User == nil || ui.Notify == nil {
		return 0
	}
	n, err := ui.Notify.Unread(r.Context(), me.User)
	if err != nil {
		ui.Log.Error("count unread notifications", "user", me.User.ID, "err", err)
		return 0
	}
	return n
}

// markOpened marks the user's unread notifications of a record read as its
// page opens (entityType "need" or "shipment", as notifications name
// them). The record's page calls it before it renders, so that the count in
// the navigation already leaves them out; a failure is logged and does not
// keep the page from showing.
func (ui *UI) markOpened(r *http.Request, me *viewer, entityType, id string) {
	if me.User == nil || ui.Notify == nil {
		return
	}
	if err := ui.Notify.MarkOpened(r.Context(), me.User, entityType, id); err != nil {
		ui.Log.Error("mark notifications opened", "user", me.User.ID, "entity_type", entityType, "entity_id", id, "err", err)
	}
}

// noteView is a notification as a sentence with a link.
type noteView struct {
	domain.Notification
	Text    string
	Link    string
	ForName string // the organization notified, when the user has several
}

// notificationsPage is the list of notifications.
type notificationsPage struct {
	Notes  []noteView
	Unread int
	Newest int64 // the newest notification's id, up to which "mark all read" marks
	Next   string
	First  string
}

func (ui *UI) listNotifications(w http.ResponseWriter, r *http.Request, me *viewer) error {
	notes, unread, err := ui.Notify.Notifications(r.Context(), me.User, domain.MaxPageSize)
	if err != nil {
		return err
	}
	var newest int64
	if len(notes) > 0 {
		newest = notes[0].ID
	}
	shown, next := offsetPage(r, notes)
	several := len(access.Organizations(me.User, access.ReadDirectory)) > 1
	views := make([]noteView, len(shown))
	for i, n := range shown {
		views[i] = noteView{Notification: n, Text: noteText(me.L, n), Link: noteLink(n)}
		if several {
			views[i].ForName = n.OrganizationName
		}
	}
	return ui.render(w, r, me, "notifications", notificationsPage{Notes: views, Unread: unread, Newest: newest, Next: next, First: firstLink(r)})
}

// noteLink returns the page of the record a notification is about, "" for
// a kind of record without one.
func noteLink(n domain.Notification) string {
	switch n.EntityType {
	case "need":
		return "/needs/" + url.PathEscape(n.EntityID)
	case "shipment":
		return "/shipments/" + url.PathEscape(n.EntityID)
	case "mission":
		return "/missions/" + url.PathEscape(n.EntityID)
	case "event":
		return "/events/" + url.PathEscape(n.EntityID)
	}
	return ""
}

// amount says a quantity of an item in the reader's language ("2,000
// pieces of N95 respirator"); a shipment of several items is said by their
// number, and an amount without an item by its number alone.
func amount(l *localizer, quantity int64, unit, item string, kinds int) string {
	switch {
	case kinds > 1:
		return l.T("amount_items", "Count", l.Number(int64(kinds)))
	case item == "":
		return l.Number(quantity)
	}
	return l.T("amount_of_item", "Quantity", l.Number(quantity), "Unit", unitLabel(l, unit, quantity), "Item", item)
}

// noteText says what a notification tells, in the reader's language, naming
// who did it and which item.
func noteText(l *localizer, n domain.Notification) string {
	what := amount(l, n.Quantity, n.ItemUnit, n.ItemName, n.ItemKinds)
	org := n.ActorOrgName
	switch n.Kind {
	case domain.NotePledgeOffered:
		return l.T("note_pledge_offered", "Org", org, "What", what)
	case domain.NotePledgeAccepted:
		return l.T("note_pledge_accepted", "What", what)
	case domain.NotePledgeDeclined:
		return l.T("note_pledge_declined", "Org", org, "What", what)
	case domain.NotePledgeWithdrawn:
		return l.T("note_pledge_withdrawn", "Org", org, "What", what)
	case domain.NoteShipmentDispatched:
		return l.T("note_shipment_dispatched", "Org", org, "What", what)
	case domain.NoteReceiptRecorded:
		return l.T("note_receipt_recorded", "Org", org, "What", what)
	case domain.NoteNeedCancelled:
		return l.T("note_need_cancelled", "Org", org, "Item", n.ItemName)
	case domain.NoteFormingDeadline:
		return l.T("note_mission_forming", "Places", l.Number(n.Quantity), "Days", l.Number(domain.FormingWarningDays))
	case domain.NoteActionOverdue:
		return l.T("note_action_overdue", "Days", l.Number(n.Quantity))
	}
	return l.T("note_other", "Kind", n.Kind)
}

func (ui *UI) markNotificationsRead(w http.ResponseWriter, r *http.Request, me *viewer) error {
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	upTo, err := strconv.ParseInt(strings.TrimSpace(f.Get("up_to")), 10, 64)
	if err != nil || upTo < 0 {
		return domain.Errorf(domain.EINVALID, "up_to must be the id of the newest notification read, not %q", f.Get("up_to"))
	}
	if err := ui.Notify.MarkRead(r.Context(), me.User, upTo); err != nil {
		return err
	}
	return redirect(w, r, "/notifications", me.L.T("flash_notifications_read"))
}
