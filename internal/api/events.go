package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"aidbridge/internal/domain"
)

// AttendeeBody is someone at an event as a client sends them.
type AttendeeBody struct {
	Name           string `json:"name" minLength:"1" limit:"name"`
	PersonID       string `json:"person_id,omitempty" doc:"The person's record, where there is one"`
	OrganizationID string `json:"organization_id" minLength:"1" doc:"The organization the attendee came for"`
	Role           string `json:"role,omitempty" limit:"short" doc:"Their role, such as Vice President"`
}

// ActionItemBody is an action item as a client sends it.
type ActionItemBody struct {
	ID            string                       `json:"id,omitempty" doc:"On update: the id of an item kept; an item without an id is added, a stored item left out is removed"`
	Title         string                       `json:"title" minLength:"1" limit:"short"`
	OwnerID       string                       `json:"owner_id" minLength:"1" doc:"The organization that owns the item; its admins and coordinators may mark it done or dropped"`
	OwnerPersonID string                       `json:"owner_person_id,omitempty" doc:"The person of the owner organization who answers for it; told when it is overdue, through their account"`
	Due           domain.Date                  `json:"due"`
	Status        oneOfOrEmpty[actionStatuses] `json:"status,omitempty" doc:"open (the default), done or dropped"`
}

// EventBody is what a client sends to record or change an event.
type EventBody struct {
	Kind             oneOf[eventKinds]  `json:"kind"`
	Title            string             `json:"title" minLength:"1" limit:"short"`
	StartsOn         domain.PartialDate `json:"starts_on" doc:"A year, month or day: 1988 for Project HOPE's first visit"`
	EndsOn           domain.PartialDate `json:"ends_on,omitzero"`
	HostID           string             `json:"host_id" minLength:"1" doc:"The host organization; its admins and coordinators change the event"`
	PartnershipID    string             `json:"partnership_id,omitempty"`
	ProgramID        string             `json:"program_id,omitempty"`
	ParticipantIDs   []string           `json:"participant_ids,omitempty" limit:"participants" doc:"The other organizations taking part, not the host"`
	Virtual          bool               `json:"virtual,omitempty" doc:"Held online; not for a visit or a fellowship"`
	Country          string             `json:"country,omitempty" doc:"Where it took place, ISO 3166-1 alpha-2; the host's country when left out"`
	Sessions         int                `json:"sessions,omitempty" minimum:"0" limit:"sessions" doc:"For a conference: how many sessions (1 when left out); only conferences"`
	CountriesReached int                `json:"countries_reached,omitempty" minimum:"0" limit:"countries_reached" doc:"For a conference: how many countries took part; only conferences"`
	Description      string             `json:"description,omitempty" limit:"text"`
	Attendees        []AttendeeBody     `json:"attendees,omitempty" limit:"attendees"`
	Topics           []string           `json:"topics,omitempty" limit:"topics" itemLimit:"short"`
	Decisions        []string           `json:"decisions,omitempty" limit:"decisions" itemLimit:"note"`
	ActionItems      []ActionItemBody   `json:"action_items,omitempty" limit:"action_items"`
	PersonID         string             `json:"person_id,omitempty" doc:"For a fellowship (and required there): the person who studies abroad"`
	Institution      string             `json:"institution,omitempty" limit:"name" doc:"For a fellowship: the institution abroad"`
	Versioned
}

func (b EventBody) record() domain.Event {
	e := domain.Event{Kind: domain.EventKind(b.Kind), Title: b.Title, StartsOn: b.StartsOn, EndsOn: b.EndsOn, HostID: b.HostID,
		PartnershipID: b.PartnershipID, ProgramID: b.ProgramID, ParticipantIDs: b.ParticipantIDs, Virtual: b.Virtual,
		Country: b.Country, Sessions: b.Sessions, CountriesReached: b.CountriesReached, Description: b.Description,
		Topics: b.Topics, Decisions: b.Decisions, PersonID: b.PersonID, Institution: b.Institution,
		Attendees: []domain.Attendee{}, ActionItems: []domain.ActionItem{}}
	for _, a := range b.Attendees {
		e.Attendees = append(e.Attendees, domain.Attendee{Name: a.Name, PersonID: a.PersonID, OrganizationID: a.OrganizationID, Role: a.Role})
	}
	for _, a := range b.ActionItems {
		e.ActionItems = append(e.ActionItems, domain.ActionItem{ID: a.ID, Title: a.Title, OwnerID: a.OwnerID, OwnerPersonID: a.OwnerPersonID,
			Due: a.Due, Status: domain.ActionStatus(a.Status)})
	}
	return e
}

// ActionStatusBody is a change of where an action item stands.
type ActionStatusBody struct {
	Status oneOf[actionStatuses] `json:"status"`
	Versioned
}

func (s *Server) registerEvents(a huma.API) {
	tags := []string{"Events"}
	huma.Register(a, huma.Operation{OperationID: "list-events", Method: http.MethodGet, Path: "/api/v1/events",
		Summary: "List events", Description: "Latest start first.", Tags: tags},
		func(ctx context.Context, in *struct {
			ListInput
			Kind           oneOfOrEmpty[eventKinds] `query:"kind"`
			OrganizationID string                   `query:"organization_id" doc:"Events this organization hosts or takes part in"`
			PartnershipID  string                   `query:"partnership_id"`
			ProgramID      string                   `query:"program_id"`
			Country        string                   `query:"country" doc:"ISO 3166-1 alpha-2 of where the event took place"`
			From           string                   `query:"from" doc:"Events starting on or after this day, YYYY-MM-DD"`
			To             string                   `query:"to" doc:"Events starting on or before this day, YYYY-MM-DD"`
		}) (*Page[domain.Event], error) {
			var p domain.Problems
			from, to := dateParam(&p, "from", in.From), dateParam(&p, "to", in.To)
			if err := p.Err("filter"); err != nil {
				return nil, err
			}
			list, next, err := s.Events.ListEvents(ctx, user(ctx), domain.EventFilter{Query: in.Q, Kind: string(in.Kind),
				OrganizationID: in.OrganizationID, PartnershipID: in.PartnershipID, ProgramID: in.ProgramID, Country: in.Country,
				From: from, To: to, Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			return page(list, next), nil
		})
	registerRecords(a, records[domain.Event, EventBody]{name: "event", plural: "events", title: "an event", tags: tags,
		updateDoc: "The host's admins and coordinators change an event. Action items are kept by id, added without one, removed when left out.",
		meta:      func(e *domain.Event) (*string, *int64) { return &e.ID, &e.Version },
		get:       s.Events.Event,
		create:    s.Events.CreateEvent,
		update:    s.Events.UpdateEvent,
		delete:    s.Events.DeleteEvent,
	})
	huma.Register(a, huma.Operation{OperationID: "move-action-item", Method: http.MethodPost, Path: "/api/v1/events/{id}/action-items/{item}/status",
		Summary: "Change where an action item stands", Tags: tags,
		Description: "By an admin or coordinator of the host or of the item's owner organization, or by the owner person. " +
			"Takes the event's version and returns the event as it now stands."},
		func(ctx context.Context, in *struct {
			ID   string `path:"id"`
			Item string `path:"item"`
			VersionInput
			Body ActionStatusBody
		}) (*One[domain.Event], error) {
			v, err := versionOf(in.Body.Version, in.IfMatch)
			if err != nil {
				return nil, err
			}
			e, err := s.Events.MoveActionItem(ctx, user(ctx), domain.ActionMove{EventID: in.ID, ItemID: in.Item, To: domain.ActionStatus(in.Body.Status), Version: v})
			if err != nil {
				return nil, err
			}
			return one(e, e.Version), nil
		})
}

// dateParam reads a day given in a query, noting on p under field when it
// is not one.
func dateParam(p *domain.Problems, field, v string) domain.Date {
	d, err := domain.ParseDate(v)
	var e *domain.Error
	if errors.As(err, &e) {
		p.AddMessage(field, e.Msg)
	}
	return d
}
