package web

import (
	"net/http"
	"net/url"
	"time"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
)

// The home page is the user's work queue: section by section, what waits
// for one of their organizations (internal/workqueue gathers it), then their
// memberships. A new section of the queue needs its entry in workSpecs.

// link is a link with its text.
type link struct{ Href, Text string }

// workLine is one entry of a section as shown: a sentence linking to the
// record, and what else a reader wants to know of it.
type workLine struct {
	Text string
	Link string
	Meta []string // for which of the user's organizations, since when, by when
}

// workView is one section of the work queue as shown.
type workView struct {
	Kind  domain.WorkKind
	Title string
	Count int64
	Lines []workLine
	Empty string // what to do while nothing waits
	Act   link   // where to do it, if anywhere
	All   []link // the pages that list the whole section, when it lists only the first
}

// workSpec is how the home page shows one section of the work queue.
type workSpec struct {
	// words returns the section's heading and what its empty state tells
	// the user to do.
	words func(l *localizer) (title, empty string)
	// act returns the page where the empty state's advice is followed,
	// the zero link for none.
	act func(l *localizer, u *domain.User) link
	// line says one entry and links it to its record.
	line func(l *localizer, e domain.WorkEntry) workLine
	// all returns the page that lists the section's records of org, ""
	// when there is none.
	all func(org string) string
}

// day writes an instant's calendar day, as the supply pages date things.
func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

func needLink(id string) string     { return "/needs/" + url.PathEscape(id) }
func shipmentLink(id string) string { return "/shipments/" + url.PathEscape(id) }
func orgNeeds(org string) string    { return "/needs?" + url.Values{"organization_id": {org}}.Encode() }
func orgShipments(org string) string {
	return "/shipments?" + url.Values{"organization_id": {org}}.Encode()
}

func noAct(*localizer, *domain.User) link { return link{} }

// entryAmount says what an entry is of: its quantity of its item.
func entryAmount(l *localizer, e domain.WorkEntry) string {
	return amount(l, e.Quantity, e.ItemUnit, e.ItemName, e.ItemKinds)
}

// workSpecs says, per section of the work queue, how the home page shows it.
var workSpecs = map[domain.WorkKind]workSpec{
	domain.WorkOffersToDecide: {
		words: func(l *localizer) (string, string) { return l.T("work_offers_title"), l.T("work_offers_empty") },
		act: func(l *localizer, u *domain.User) link {
			if access.Somewhere(u, access.PostNeed) != nil {
				return link{}
			}
			return link{"/needs/new", l.T("work_offers_act")}
		},
		line: func(l *localizer, e domain.WorkEntry) workLine {
			return workLine{Text: l.T("work_offer", "Org", e.CounterpartName, "What", entryAmount(l, e)), Link: needLink(e.NeedID) + "#pledges",
				Meta: []string{l.T("work_offered_on", "Date", day(e.Since))}}
		},
		all: orgNeeds,
	},
	domain.WorkPledgesToShip: {
		words: func(l *localizer) (string, string) { return l.T("work_to_ship_title"), l.T("work_to_ship_empty") },
		act:   func(l *localizer, _ *domain.User) link { return link{"/needs", l.T("work_to_ship_act")} },
		line: func(l *localizer, e domain.WorkEntry) workLine {
			v := workLine{Text: l.T("work_to_ship", "What", entryAmount(l, e), "Org", e.CounterpartName),
				Link: "/shipments/new?" + url.Values{"donor_id": {e.OrganizationID}, "recipient_id": {e.CounterpartID}}.Encode()}
			if !e.NeededBy.IsZero() {
				v.Meta = append(v.Meta, l.T("work_needed_by", "Date", e.NeededBy.String()))
			}
			return v
		},
		all: func(org string) string { return "/shipments/new?" + url.Values{"donor_id": {org}}.Encode() },
	},
	domain.WorkShipmentsToDispatch: {
		words: func(l *localizer) (string, string) {
			return l.T("work_to_dispatch_title"), l.T("work_to_dispatch_empty")
		},
		act: noAct,
		line: func(l *localizer, e domain.WorkEntry) workLine {
			return workLine{Text: l.T("work_to_dispatch", "What", entryAmount(l, e), "Org", e.CounterpartName), Link: shipmentLink(e.RecordID),
				Meta: []string{l.T("work_prepared_on", "Date", day(e.Since))}}
		},
		all: orgShipments,
	},
	domain.WorkShipmentsToReceive: {
		words: func(l *localizer) (string, string) { return l.T("work_to_receive_title"), l.T("work_to_receive_empty") },
		act:   noAct,
		line: func(l *localizer, e domain.WorkEntry) workLine {
			return workLine{Text: l.T("work_to_receive", "What", entryAmount(l, e), "Org", e.CounterpartName), Link: shipmentLink(e.RecordID),
				Meta: []string{l.T("work_dispatched_on", "Date", day(e.Since))}}
		},
		all: orgShipments,
	},
	domain.WorkOverdueNeeds: {
		words: func(l *localizer) (string, string) { return l.T("work_overdue_title"), l.T("work_overdue_empty") },
		act:   noAct,
		line: func(l *localizer, e domain.WorkEntry) workLine {
			return workLine{Text: l.T("work_overdue", "What", entryAmount(l, e)), Link: needLink(e.RecordID),
				Meta: []string{l.T("work_needed_by", "Date", e.NeededBy.String()), l.T("need_status_" + e.Status)}}
		},
		all: orgNeeds,
	},
	domain.WorkUnreadNotifications: {
		words: func(l *localizer) (string, string) { return l.T("work_unread_title"), l.T("work_unread_empty") },
		act:   func(l *localizer, _ *domain.User) link { return link{"/notifications", l.T("work_unread_act")} },
		line: func(l *localizer, e domain.WorkEntry) workLine {
			n := *e.Notification
			return workLine{Text: noteText(l, n), Link: noteLink(n), Meta: []string{day(n.At)}}
		},
		all: func(string) string { return "/notifications" },
	},
}

// membershipView is one of the user's memberships, with the organization's
// stock page when the user may read it.
type membershipView struct {
	domain.Membership
	Stock string
}

// homePage is the start page: the work queue, or why there is none, and the
// user's memberships.
type homePage struct {
	Sections []workView
	// Outside is set for a user of no organization: nothing can wait for
	// them, and the page says why instead of showing empty sections.
	Outside     bool
	Memberships []membershipView
}

func (ui *UI) home(w http.ResponseWriter, r *http.Request, me *viewer) error {
	u := me.User
	pg := homePage{Outside: len(access.Organizations(u, access.ReadDirectory)) == 0}
	for _, m := range u.Memberships {
		v := membershipView{Membership: m}
		if access.Can(u, access.ReadStock, access.Resource{OrganizationID: m.OrganizationID}) {
			v.Stock = stockLink(m.OrganizationID)
		}
		pg.Memberships = append(pg.Memberships, v)
	}
	if pg.Outside {
		return ui.render(w, r, me, "home", pg)
	}
	sections, err := ui.Work.Queue(r.Context(), u)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, m := range u.Memberships {
		names[m.OrganizationID] = m.OrganizationName
	}
	for _, sec := range sections {
		spec, ok := workSpecs[sec.Kind]
		if !ok {
			return domain.Errorf(domain.EINTERNAL, "the home page has no words for the work queue's section %q", sec.Kind)
		}
		v := workView{Kind: sec.Kind, Count: int64(sec.Count), Act: spec.act(me.L, u)}
		v.Title, v.Empty = spec.words(me.L)
		for _, e := range sec.Entries {
			line := spec.line(me.L, e)
			if len(sec.OrganizationIDs) > 1 {
				line.Meta = append([]string{me.L.T("work_for", "Org", e.OrganizationName)}, line.Meta...)
			}
			v.Lines = append(v.Lines, line)
		}
		if sec.Count > len(sec.Entries) {
			v.All = seeAll(me.L, spec, sec, names)
		}
		pg.Sections = append(pg.Sections, v)
	}
	return ui.render(w, r, me, "home", pg)
}

// seeAll returns the links to the pages that list the whole of a section:
// one for all the user's organizations where one page lists them all, else
// one per organization.
func seeAll(l *localizer, spec workSpec, sec domain.WorkSection, names map[string]string) []link {
	var out []link
	seen := map[string]bool{}
	for _, org := range sec.OrganizationIDs {
		href := spec.all(org)
		if href == "" || seen[href] {
			continue
		}
		seen[href] = true
		out = append(out, link{href, l.T("work_see_all_of", "Org", names[org])})
	}
	if len(out) == 1 {
		out[0].Text = l.T("work_see_all", "Count", l.Number(int64(sec.Count)))
	}
	return out
}

// stockLink returns the stock page of an organization.
func stockLink(org string) string { return "/organizations/" + url.PathEscape(org) + "/stock" }

// StockLink returns the stock page the navigation links to: that of the
// first of the user's organizations whose stock they may read (the home
// page lists the others with the memberships), "" for a user who may read
// none.
func (pg page) StockLink() string {
	if orgs := access.Organizations(pg.User, access.ReadStock); len(orgs) > 0 {
		return stockLink(orgs[0])
	}
	return ""
}

// CanAllocate reports whether the navigation offers allocation proposals:
// to users who may pledge for one of their organizations, as the proposal
// pages require.
func (pg page) CanAllocate() bool { return access.Somewhere(pg.User, access.PledgeToNeed) == nil }
