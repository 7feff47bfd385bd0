package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/event"
)

// The pages of events: the list with its filters, an event with its
// attendees, topics, decisions and action items (with the buttons that
// mark an item done or dropped), and its form with rows of attendees and
// action items.

// eventRow is an event as lists show it, with the names of what it refers
// to.
type eventRow struct {
	domain.Event
	Host    string
	When    string // "2023-05-18", "1988", "2020 – 2021"
	Overdue int    // open action items past their due date
	// ItemsText and OverdueText say the number of action items and of
	// those overdue, "" for none.
	ItemsText, OverdueText string
}

// when writes an event's dates as precisely as they are known.
func (me *viewer) when(e domain.Event) string {
	if e.EndsOn.IsZero() || e.EndsOn == e.StartsOn {
		return me.L.PartialDate(e.StartsOn)
	}
	return me.L.T("period", "Starts", me.L.PartialDate(e.StartsOn), "Ends", me.L.PartialDate(e.EndsOn))
}

// eventRows returns the rows of events with their hosts' names.
func (ui *UI) eventRows(r *http.Request, me *viewer, list []domain.Event) ([]eventRow, error) {
	ids := make([]string, len(list))
	for i, e := range list {
		ids[i] = e.HostID
	}
	names, err := ui.orgNames(r, me, ids)
	if err != nil {
		return nil, err
	}
	today := ui.Events.Today()
	out := make([]eventRow, len(list))
	for i, e := range list {
		out[i] = eventRow{Event: e, Host: names[e.HostID], When: me.when(e)}
		for _, a := range e.ActionItems {
			if a.Overdue(today) {
				out[i].Overdue++
			}
		}
		if n := len(e.ActionItems); n > 0 {
			out[i].ItemsText = me.L.Number(int64(n))
		}
		if out[i].Overdue > 0 {
			out[i].OverdueText = me.L.T("action_items_overdue", "Count", me.L.Number(int64(out[i].Overdue)))
		}
	}
	return out, nil
}

// eventsFilter is the list's filter as typed, for the form to show again.
type eventsFilter struct {
	Q, Kind, OrganizationID, PartnershipID, ProgramID, Country, From, To string
}

// eventsPage is the list of events, latest first, by filters.
type eventsPage struct {
	Filter       eventsFilter
	Filtered     bool
	Items        []eventRow
	Kinds        []domain.EventKind
	Orgs         []choice
	Partnerships []choice
	Programs     []choice
	Next, First  string
	CanCreate    bool
	Error        string // a filter that could not be read
}

func (ui *UI) listEvents(w http.ResponseWriter, r *http.Request, me *viewer) error {
	q := r.URL.Query()
	ff := eventsFilter{Q: strings.TrimSpace(q.Get("q")), Kind: q.Get("kind"), OrganizationID: q.Get("organization_id"),
		PartnershipID: q.Get("partnership_id"), ProgramID: q.Get("program_id"), Country: strings.TrimSpace(q.Get("country")),
		From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	pg := eventsPage{Filter: ff, Kinds: domain.EventKinds, CanCreate: access.Somewhere(me.User, access.CreateEvent) == nil,
		Filtered: ff != eventsFilter{}}
	f := domain.EventFilter{Query: ff.Q, Kind: ff.Kind, OrganizationID: ff.OrganizationID, PartnershipID: ff.PartnershipID,
		ProgramID: ff.ProgramID, Country: ff.Country, Cursor: q.Get("cursor"), Limit: listPageSize}
	var err error
	var p domain.Problems
	for _, d := range []struct {
		field, value string
		to           *domain.Date
	}{{"from", ff.From, &f.From}, {"to", ff.To, &f.To}} {
		if *d.to, err = domain.ParseDate(d.value); err != nil {
			p.Add(d.field, domain.MsgDate, "Value", d.value)
		}
	}
	if err := p.Err("filter"); err != nil {
		return err
	}
	list, next, err := ui.Events.ListEvents(r.Context(), me.User, f)
	if err != nil {
		return err
	}
	if pg.Items, err = ui.eventRows(r, me, list); err != nil {
		return err
	}
	if pg.Orgs, err = ui.orgChoices(r, me, access.ReadDirectory); err != nil {
		return err
	}
	if pg.Partnerships, err = ui.partnershipChoices(r, me); err != nil {
		return err
	}
	if pg.Programs, _, err = ui.programChoices(r, me); err != nil {
		return err
	}
	pg.Next, pg.First = nextLink(r, next), firstLink(r)
	return ui.render(w, r, me, "events", pg)
}

// attendeeView is an attendee with the name of their organization.
type attendeeView struct {
	domain.Attendee
	Organization string
}

// actionItemView is an action item as the event's page shows it: its
// owner by name, whether it is overdue, and the statuses the reader may
// set it to.
type actionItemView struct {
	domain.ActionItem
	Owner, OwnerPerson string
	Overdue            bool
	Moves              []domain.ActionStatus
}

// eventPage is one event with all it holds.
type eventPage struct {
	Event              eventRow
	Participants       []choice
	Attendees          []attendeeView
	Items              []actionItemView
	Partnership        string
	Program            string
	Person             string // the person of a fellowship
	Sessions           string // of a conference, in the reader's digits
	CountriesReached   string
	CanEdit, CanDelete bool
	History            []domain.AuditEntry
}

func (ui *UI) showEvent(w http.ResponseWriter, r *http.Request, me *viewer) error {
	ctx := r.Context()
	e, err := ui.Events.Event(ctx, me.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	rows, err := ui.eventRows(r, me, []domain.Event{e})
	if err != nil {
		return err
	}
	res := event.EventResource(e)
	pg := eventPage{Event: rows[0], CanEdit: access.Can(me.User, access.UpdateEvent, res), CanDelete: access.Can(me.User, access.DeleteEvent, res)}
	ids := slices.Clone(e.ParticipantIDs)
	personIDs := []string{e.PersonID}
	for _, a := range e.Attendees {
		ids = append(ids, a.OrganizationID)
	}
	for _, a := range e.ActionItems {
		ids = append(ids, a.OwnerID)
		personIDs = append(personIDs, a.OwnerPersonID)
	}
	names, err := ui.orgNames(r, me, ids)
	if err != nil {
		return err
	}
	people, err := ui.personNames(r, me, personIDs)
	if err != nil {
		return err
	}
	for _, id := range e.ParticipantIDs {
		pg.Participants = append(pg.Participants, choice{id, names[id]})
	}
	for _, a := range e.Attendees {
		pg.Attendees = append(pg.Attendees, attendeeView{Attendee: a, Organization: names[a.OrganizationID]})
	}
	today := ui.Events.Today()
	for _, a := range e.ActionItems {
		v := actionItemView{ActionItem: a, Owner: names[a.OwnerID], OwnerPerson: people[a.OwnerPersonID], Overdue: a.Overdue(today)}
		if access.Can(me.User, access.UpdateActionItem, event.ActionItemResource(e, a)) {
			for _, st := range domain.ActionStatuses {
				if st != a.Status {
					v.Moves = append(v.Moves, st)
				}
			}
		}
		pg.Items = append(pg.Items, v)
	}
	pg.Person = people[e.PersonID]
	pg.Sessions, pg.CountriesReached = me.L.Number(int64(e.Sessions)), me.L.Number(int64(e.CountriesReached))
	if e.PartnershipID != "" {
		ps, err := ui.Partners.Partnership(ctx, me.User, e.PartnershipID)
		if err != nil {
			return err
		}
		pg.Partnership = ps.Name
	}
	if e.ProgramID != "" {
		pr, err := ui.Partners.Program(ctx, me.User, e.ProgramID)
		if err != nil {
			return err
		}
		pg.Program = pr.Name
	}
	if pg.History, err = ui.history(r, me, "event", e.ID); err != nil {
		return err
	}
	ui.markOpened(r, me, "event", e.ID)
	return ui.render(w, r, me, "event", pg)
}

// personNames returns the names of the people with the given ids; ids
// that are empty are left out.
func (ui *UI) personNames(r *http.Request, me *viewer, ids []string) (map[string]string, error) {
	out := map[string]string{}
	for _, id := range ids {
		if _, done := out[id]; done || id == "" {
			continue
		}
		p, err := ui.Dir.Person(r.Context(), me.User, id)
		if err != nil {
			return nil, err
		}
		out[id] = p.Name
	}
	return out, nil
}

// moveActionItem sets where an action item stands, from its buttons.
func (ui *UI) moveActionItem(w http.ResponseWriter, r *http.Request, me *viewer) error {
	id := r.PathValue("id")
	return act(w, r, me, action{
		do: func(f *form) (string, error) {
			_, err := ui.Events.MoveActionItem(r.Context(), me.User, domain.ActionMove{EventID: id, ItemID: r.PathValue("item"),
				To: domain.ActionStatus(f.Get("status")), Version: f.version()})
			return "/events/" + url.PathEscape(id) + "#action-items", err
		},
		done: me.L.T("flash_action_item_moved"), refused: me.L.T("action_item_refused"),
	})
}

// eventFormPage is the form of a new event (Event nil) or of an event's
// change.
type eventFormPage struct {
	Form         *form
	Event        *domain.Event
	Kinds        []domain.EventKind
	Statuses     []domain.ActionStatus
	Hosts        []choice
	Orgs         []choice
	People       []choice
	Partnerships []choice
	Programs     []choice
	Attendees    []int
	Items        []int
}

// The inputs of a row of attendees and of action items, by the field of
// the record each is read into.
var (
	attendeeFields = map[string]string{"name": "att_name", "person_id": "att_person_id", "organization_id": "att_org_id", "role": "att_role"}
	itemFields     = map[string]string{"title": "item_title", "owner_id": "item_owner_id", "owner_person_id": "item_owner_person_id",
		"due": "item_due", "status": "item_status", "id": "item_title"}
)

// filledRows returns, for a form's repeated rows, the index each has in
// the record read from it (-1 for a row left blank), so that errors go
// back to the row they are about.
func filledRows(f *form, inputs map[string]string, count string) []int {
	out := make([]int, len(f.List(count)))
	n := 0
	for i := range out {
		out[i] = -1
		if !blankRow(f, inputs, i) {
			out[i] = n
			n++
		}
	}
	return out
}

// blankRow reports whether row i of a repeated group was left empty; a
// status chosen alone does not fill a row.
func blankRow(f *form, inputs map[string]string, i int) bool {
	for field, name := range inputs {
		if field != "status" && strings.TrimSpace(f.At(name, i)) != "" {
			return false
		}
	}
	return true
}

// lines splits a text typed one entry a line, leaving out empty lines.
func lines(s string) []string {
	out := []string{}
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// eventValues returns the change form of an event as stored.
func eventValues(e domain.Event) url.Values {
	v := valuesOf("kind", string(e.Kind), "title", e.Title, "starts_on", e.StartsOn.String(), "ends_on", e.EndsOn.String(),
		"host_id", e.HostID, "partnership_id", e.PartnershipID, "program_id", e.ProgramID, "country", e.Country,
		"description", e.Description, "person_id", e.PersonID, "institution", e.Institution,
		"topics", strings.Join(e.Topics, "\n"), "decisions", strings.Join(e.Decisions, "\n"),
		"version", strconv.FormatInt(e.Version, 10))
	if e.Virtual {
		v.Set("virtual", "on")
	}
	if e.Kind == domain.EventConference {
		v.Set("sessions", strconv.Itoa(e.Sessions))
		v.Set("countries_reached", strconv.Itoa(e.CountriesReached))
	}
	v["participant_id"] = slices.Clone(e.ParticipantIDs)
	for _, a := range e.Attendees {
		v.Add("att_name", a.Name)
		v.Add("att_person_id", a.PersonID)
		v.Add("att_org_id", a.OrganizationID)
		v.Add("att_role", a.Role)
	}
	for _, a := range e.ActionItems {
		v.Add("item_id", a.ID)
		v.Add("item_title", a.Title)
		v.Add("item_owner_id", a.OwnerID)
		v.Add("item_owner_person_id", a.OwnerPersonID)
		v.Add("item_due", a.Due.String())
		v.Add("item_status", string(a.Status))
	}
	return v
}

// eventFromForm reads an event as typed; cur is nil for a new one.
func eventFromForm(f *form, cur *domain.Event) domain.Event {
	e := domain.Event{Kind: domain.EventKind(f.Get("kind")), Title: f.text("title"),
		StartsOn: f.partialDateField("starts_on", f.Get("starts_on")), EndsOn: f.partialDateField("ends_on", f.Get("ends_on")),
		HostID: f.Get("host_id"), PartnershipID: f.Get("partnership_id"), ProgramID: f.Get("program_id"),
		Virtual: f.Get("virtual") != "", Country: strings.ToUpper(f.text("country")), Description: f.text("description"),
		PersonID: f.Get("person_id"), Institution: f.text("institution"),
		Topics: lines(f.Get("topics")), Decisions: lines(f.Get("decisions")),
		ParticipantIDs: []string{}, Attendees: []domain.Attendee{}, ActionItems: []domain.ActionItem{}}
	if n := f.int64Field("sessions"); n != nil {
		e.Sessions = int(min(max(*n, -1), domain.MaxSessions+1))
	}
	if n := f.int64Field("countries_reached"); n != nil {
		e.CountriesReached = int(min(max(*n, -1), domain.MaxCountriesReached+1))
	}
	if e.Kind == domain.EventConference && e.Sessions == 0 {
		e.Sessions = 1
	}
	for _, id := range f.List("participant_id") {
		if id != "" && !slices.Contains(e.ParticipantIDs, id) {
			e.ParticipantIDs = append(e.ParticipantIDs, id)
		}
	}
	for i := range f.List("att_name") {
		if blankRow(f, attendeeFields, i) {
			continue
		}
		e.Attendees = append(e.Attendees, domain.Attendee{Name: strings.TrimSpace(f.At("att_name", i)), PersonID: f.At("att_person_id", i),
			OrganizationID: f.At("att_org_id", i), Role: strings.TrimSpace(f.At("att_role", i))})
	}
	for i := range f.List("item_title") {
		if blankRow(f, itemFields, i) {
			continue
		}
		status := domain.ActionStatus(f.At("item_status", i))
		if status == "" {
			status = domain.ActionOpen
		}
		e.ActionItems = append(e.ActionItems, domain.ActionItem{ID: f.At("item_id", i), Title: strings.TrimSpace(f.At("item_title", i)),
			OwnerID: f.At("item_owner_id", i), OwnerPersonID: f.At("item_owner_person_id", i),
			Due: f.dateField("item_due_"+strconv.Itoa(i), f.At("item_due", i)), Status: status})
	}
	if cur != nil {
		e.ID, e.Version = cur.ID, f.version()
	}
	return e
}

// eventPages are the forms of events. The host is one of the user's
// organizations (any, for a site administrator); attendees and action
// items are rows, two blank ones to fill; topics and decisions are typed
// one a line. A new event may start from a partnership, a program or an
// organization (?partnership_id=, ?program_id=, ?host_id=).
func (ui *UI) eventPages() recordPages[domain.Event] {
	return recordPages[domain.Event]{ui: ui, base: "/events",
		create: access.CreateEvent, change: access.UpdateEvent, remove: access.DeleteEvent,
		resource: event.EventResource,
		find:     ui.Events.Event,
		meta:     func(e domain.Event) (string, int64, string) { return e.ID, e.Version, e.Title },
		values:   eventValues,
		blank: func(r *http.Request) url.Values {
			q := r.URL.Query()
			return url.Values{"kind": {string(domain.EventMeeting)}, "partnership_id": {q.Get("partnership_id")},
				"program_id": {q.Get("program_id")}, "host_id": {q.Get("host_id")}}
		},
		read:     eventFromForm,
		validate: (*domain.Event).Validate,
		insert:   ui.Events.CreateEvent,
		update:   ui.Events.UpdateEvent,
		delete:   ui.Events.DeleteEvent,
		form:     ui.eventForm,
	}
}

// eventForm draws the form of an event with its errors on their rows.
func (ui *UI) eventForm(w http.ResponseWriter, r *http.Request, me *viewer, status int, f *form, cur *domain.Event) error {
	attRows, itemRows := filledRows(f, attendeeFields, "att_name"), filledRows(f, itemFields, "item_title")
	f.rename(func(field string) string {
		for _, g := range []struct {
			list, input string
			rows        []int
			inputs      map[string]string
		}{{"attendees", "attendees", attRows, attendeeFields}, {"action_items", "action_items", itemRows, itemFields}} {
			if row, tail, ok := rowOf(field, g.list, g.rows); ok {
				if name, ok := g.inputs[tail]; ok {
					return name + "_" + strconv.Itoa(row)
				}
				return g.input
			}
			if strings.HasPrefix(field, g.list+"[") {
				return g.input
			}
		}
		for _, list := range []string{"topics", "decisions", "participant_ids"} {
			if strings.HasPrefix(field, list+"[") {
				return list
			}
		}
		return ""
	})
	pg := eventFormPage{Form: f, Event: cur, Kinds: domain.EventKinds, Statuses: domain.ActionStatuses}
	var err error
	if pg.Hosts, err = ui.orgChoices(r, me, access.CreateEvent); err != nil {
		return err
	}
	if id := f.Get("host_id"); id != "" {
		names, err := ui.orgNames(r, me, []string{id})
		if err != nil {
			return err
		}
		if name, ok := names[id]; ok {
			pg.Hosts = mergeChoices([]choice{{id, name}}, pg.Hosts, "")
		}
	}
	if pg.Orgs, err = ui.orgChoices(r, me, access.ReadDirectory); err != nil {
		return err
	}
	if pg.Partnerships, err = ui.partnershipChoices(r, me); err != nil {
		return err
	}
	if pg.Programs, _, err = ui.programChoices(r, me); err != nil {
		return err
	}
	people, _, err := ui.Dir.ListPeople(r.Context(), me.User, domain.PersonFilter{Limit: domain.MaxPageSize})
	if err != nil {
		return err
	}
	for _, p := range people {
		pg.People = append(pg.People, choice{p.ID, p.Name})
	}
	pg.Attendees, pg.Items = f.Rows("att_name", 2), f.Rows("item_title", 2)
	ui.renderStatus(w, r, me, status, "event_form", pg)
	return nil
}

// Chosen reports whether value is one of the values of a repeated field,
// for a select of several.
func (f *form) Chosen(name, value string) bool { return slices.Contains(f.List(name), value) }
