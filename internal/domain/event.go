package domain

import (
	"strings"
	"time"
)

// EventKind is the kind of an event.
type EventKind string

// The kinds of events.
const (
	EventMeeting    EventKind = "meeting"
	EventConference EventKind = "conference"
	EventVisit      EventKind = "visit"
	EventTraining   EventKind = "training"
	EventCeremony   EventKind = "ceremony"
	EventFellowship EventKind = "fellowship"
)

// EventKinds lists every event kind, in the order forms offer them.
var EventKinds = []EventKind{EventMeeting, EventConference, EventVisit, EventTraining, EventCeremony, EventFellowship}

// Virtualizable reports whether an event of kind k can be held online: a
// visit and a fellowship are a journey.
func (k EventKind) Virtualizable() bool { return k != EventVisit && k != EventFellowship }

// ActionStatus is where an action item stands.
type ActionStatus string

// The statuses of an action item.
const (
	ActionOpen    ActionStatus = "open"
	ActionDone    ActionStatus = "done"
	ActionDropped ActionStatus = "dropped"
)

// ActionStatuses lists the statuses of an action item.
var ActionStatuses = []ActionStatus{ActionOpen, ActionDone, ActionDropped}

// Attendee is someone at an event: a name as the account gives it, the
// person's record where there is one, the organization they came for and
// their role there ("Vice President", "moderator").
type Attendee struct {
	Name           string `json:"name"`
	PersonID       string `json:"person_id,omitempty"`
	OrganizationID string `json:"organization_id"`
	Role           string `json:"role,omitempty"`
}

// ActionItem is what an event left someone to do: an owner organization,
// optionally the person in it who answers for it, a due date and where it
// stands, with when that last changed.
type ActionItem struct {
	ID            string       `json:"id"`
	Title         string       `json:"title"`
	OwnerID       string       `json:"owner_id"`
	OwnerPersonID string       `json:"owner_person_id,omitempty"`
	Due           Date         `json:"due"`
	Status        ActionStatus `json:"status"`
	// StatusChangedAt is when the status was last set; zero on an item
	// not stored yet.
	StatusChangedAt time.Time `json:"status_changed_at,omitzero"`
	// OwnerUserID is the account linked to the owner person, if any: the
	// policy lets that user change the item's status. Not sent.
	OwnerUserID string `json:"-"`
}

// Overdue reports whether the item is open past its due date.
func (a ActionItem) Overdue(today Date) bool {
	return a.Status == ActionOpen && !a.Due.IsZero() && a.Due.Before(today)
}

// Event is a meeting, conference, visit, training, ceremony or fellowship:
// the CMF and SCMC meeting of 2023-05-18 with its attendees, topics and
// action items; over 40 virtual conferences reaching more than 100
// countries; Project HOPE's first visit in 1988; a doctor's year of study
// abroad. Its dates are dates of history, known to the year where the
// accounts give only a year.
type Event struct {
	Meta
	Kind           EventKind   `json:"kind"`
	Title          string      `json:"title"`
	StartsOn       PartialDate `json:"starts_on"`
	EndsOn         PartialDate `json:"ends_on,omitzero"`
	HostID         string      `json:"host_id"`
	PartnershipID  string      `json:"partnership_id,omitempty"`
	ProgramID      string      `json:"program_id,omitempty"`
	ParticipantIDs []string    `json:"participant_ids"`
	Virtual        bool        `json:"virtual"`
	// Country is where the event took place, ISO 3166-1 alpha-2; the store
	// takes the host's when none is given.
	Country string `json:"country"`
	// Sessions is, for a conference, how many sessions it had (1 unless
	// said); 0 for other kinds.
	Sessions int `json:"sessions,omitempty"`
	// CountriesReached is, for a conference, how many countries took part:
	// a count, as accounts give it ("more than 100 countries").
	CountriesReached int          `json:"countries_reached,omitempty"`
	Description      string       `json:"description,omitempty"`
	Attendees        []Attendee   `json:"attendees"`
	Topics           []string     `json:"topics"`
	Decisions        []string     `json:"decisions"`
	ActionItems      []ActionItem `json:"action_items"`
	// PersonID is, for a fellowship, the person who studies abroad;
	// Institution the institution they study at.
	PersonID    string `json:"person_id,omitempty"`
	Institution string `json:"institution,omitempty"`
}

// ActionItem returns the event's action item with the given id.
func (e *Event) ActionItem(id string) (ActionItem, bool) {
	for _, a := range e.ActionItems {
		if a.ID == id {
			return a, true
		}
	}
	return ActionItem{}, false
}

// Validate returns an EINVALID error naming every field that is wrong.
func (e *Event) Validate() error {
	var p Problems
	if !oneOf(string(e.Kind), EventKinds) {
		p.Add("kind", MsgOneOf, "Allowed", joinKinds(EventKinds), "Value", e.Kind)
	}
	required(&p, "title", e.Title, MaxShort)
	if e.StartsOn.IsZero() {
		p.Add("starts_on", MsgRequired)
	}
	period(&p, e.StartsOn, e.EndsOn)
	if e.HostID == "" {
		p.Add("host_id", MsgRequired)
	}
	if e.Country != "" && !ValidCountry(e.Country) {
		p.Add("country", MsgCountry, "Value", e.Country)
	}
	if e.Virtual && e.Kind != "" && !e.Kind.Virtualizable() {
		p.Add("virtual", MsgNotVirtual, "Kind", e.Kind)
	}
	if len(e.ParticipantIDs) > MaxParticipants {
		p.Add("participant_ids", MsgTooMany, "Max", MaxParticipants)
	}
	for i, id := range e.ParticipantIDs {
		f := "participant_ids[" + itoa(i) + "]"
		switch {
		case id == "":
			p.Add(f, MsgRequired)
		case id == e.HostID:
			p.Add(f, MsgHostParticipant)
		}
	}
	distinctOrgs(&p, "participant_ids", e.ParticipantIDs)
	if e.Kind == EventConference {
		if e.Sessions < 1 || e.Sessions > MaxSessions {
			p.Add("sessions", MsgBetween, "Min", 1, "Max", MaxSessions, "Value", e.Sessions)
		}
		if e.CountriesReached < 0 || e.CountriesReached > MaxCountriesReached {
			p.Add("countries_reached", MsgBetween, "Min", 0, "Max", MaxCountriesReached, "Value", e.CountriesReached)
		}
	} else {
		if e.Sessions != 0 {
			p.Add("sessions", MsgConferenceOnly)
		}
		if e.CountriesReached != 0 {
			p.Add("countries_reached", MsgConferenceOnly)
		}
	}
	if e.Kind == EventFellowship {
		if e.PersonID == "" {
			p.Add("person_id", MsgFellowRequired)
		}
		maxLen(&p, "institution", e.Institution, MaxName)
	} else {
		if e.PersonID != "" {
			p.Add("person_id", MsgFellowshipOnly)
		}
		if e.Institution != "" {
			p.Add("institution", MsgFellowshipOnly)
		}
	}
	maxLen(&p, "description", e.Description, MaxText)
	if len(e.Attendees) > MaxAttendees {
		p.Add("attendees", MsgTooMany, "Max", MaxAttendees)
	}
	for i, a := range e.Attendees {
		f := "attendees[" + itoa(i) + "]"
		required(&p, f+".name", a.Name, MaxName)
		if a.OrganizationID == "" {
			p.Add(f+".organization_id", MsgRequired)
		}
		maxLen(&p, f+".role", a.Role, MaxShort)
	}
	if len(e.Topics) > MaxTopics {
		p.Add("topics", MsgTooMany, "Max", MaxTopics)
	}
	for i, t := range e.Topics {
		required(&p, "topics["+itoa(i)+"]", t, MaxShort)
	}
	if len(e.Decisions) > MaxDecisions {
		p.Add("decisions", MsgTooMany, "Max", MaxDecisions)
	}
	for i, d := range e.Decisions {
		required(&p, "decisions["+itoa(i)+"]", d, MaxNote)
	}
	if len(e.ActionItems) > MaxActionItems {
		p.Add("action_items", MsgTooMany, "Max", MaxActionItems)
	}
	for i, a := range e.ActionItems {
		f := "action_items[" + itoa(i) + "]"
		required(&p, f+".title", a.Title, MaxShort)
		if a.OwnerID == "" {
			p.Add(f+".owner_id", MsgRequired)
		}
		if a.Due.IsZero() {
			p.Add(f+".due", MsgRequired)
		}
		if !oneOf(string(a.Status), ActionStatuses) {
			p.Add(f+".status", MsgOneOf, "Allowed", joinKinds(ActionStatuses), "Value", a.Status)
		}
	}
	return p.Err("event")
}

// ActionMove is a change of an action item's status by its owner or the
// event's host, at the version of the event read.
type ActionMove struct {
	EventID string
	ItemID  string
	To      ActionStatus
	Version int64
}

// Validate returns an EINVALID error naming the status when it is not one.
func (m *ActionMove) Validate() error {
	var p Problems
	if !oneOf(string(m.To), ActionStatuses) {
		p.Add("status", MsgOneOf, "Allowed", joinKinds(ActionStatuses), "Value", m.To)
	}
	return p.Err("action item")
}

// EventFilter selects events. Zero fields select everything.
type EventFilter struct {
	Query          string // part of the title, any case
	Kind           string
	OrganizationID string // the host or a participant
	PartnershipID  string
	ProgramID      string
	Country        string
	From, To       Date // events starting on or after From, on or before To
	Cursor         string
	Limit          int
}

// Validate returns an EINVALID error naming a filter that cannot select
// anything: a kind or country that is none, a period that ends before it
// starts.
func (f *EventFilter) Validate() error {
	var p Problems
	if f.Kind != "" && !oneOf(f.Kind, EventKinds) {
		p.Add("kind", MsgOneOf, "Allowed", joinKinds(EventKinds), "Value", f.Kind)
	}
	if f.Country != "" && !ValidCountry(strings.ToUpper(f.Country)) {
		p.Add("country", MsgCountry, "Value", f.Country)
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		p.Add("to", MsgEndsBeforeStarts, "Starts", f.From.String())
	}
	return p.Err("filter")
}

// NoteActionOverdue is the notification the owner of an action item gets,
// once per due date, when the item is still open after it.
const NoteActionOverdue = "action_overdue"

// Messages of events.
var (
	MsgNotVirtual       = msg("not_virtual", "a {{.Kind}} is a journey: it cannot be virtual")
	MsgHostParticipant  = msg("host_participant", "the host takes part already: name only the other organizations")
	MsgConferenceOnly   = msg("conference_only", "only a conference counts sessions and countries reached")
	MsgFellowRequired   = msg("fellow_required", "is required: name the person who studies abroad")
	MsgFellowshipOnly   = msg("fellowship_only", "only a fellowship names a person studying and an institution")
	MsgNoSuchPerson     = msg("no_such_person", "person {{.ID}} does not exist")
	MsgNoSuchActionItem = msg("no_such_action_item", "the event has no action item {{.ID}}")
	MsgOwnerPersonOrg   = msg("owner_person_org", "the person belongs to another organization than the item's owner")
)
