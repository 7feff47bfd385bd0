// Package event is meetings, conferences, visits, trainings, ceremonies and
// fellowships as users see them: any signed-in user reads them; the host's
// admins and coordinators record and change them; the owner of an action
// item (its organization's admins and coordinators, or the owner person)
// marks it done or dropped without changing the rest. Every call asks the
// access policy first.
package event

import (
	"context"
	"time"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// Service reads and changes events on behalf of a user.
type Service struct {
	store *store.Store
	now   func() time.Time
}

// NewService returns a Service over s.
func NewService(s *store.Store) *Service { return &Service{store: s, now: time.Now} }

func actor(u *domain.User) store.Actor { return store.Actor{UserID: u.ID} }

func read(u *domain.User) error { return access.Allow(u, access.ReadEvents, access.Resource{}) }

// Today is the date overdue action items are counted from, in UTC.
func (s *Service) Today() domain.Date { return domain.DateOf(s.now().UTC()) }

// EventResource is what the policy asks of an event: its host.
func EventResource(e domain.Event) access.Resource {
	return access.Resource{OrganizationID: e.HostID}
}

// ActionItemResource is what the policy asks of an action item: the
// event's host, the item's owner organization and the owner person's
// account.
func ActionItemResource(e domain.Event, a domain.ActionItem) access.Resource {
	return access.Resource{OrganizationID: e.HostID, OtherID: a.OwnerID, UserID: a.OwnerUserID}
}

// ListEvents returns a page of events, latest first, and the next cursor.
func (s *Service) ListEvents(ctx context.Context, u *domain.User, f domain.EventFilter) ([]domain.Event, string, error) {
	if err := read(u); err != nil {
		return nil, "", err
	}
	return s.store.ListEvents(ctx, f)
}

// Event returns one event with all it holds; ENOTFOUND when there is none.
func (s *Service) Event(ctx context.Context, u *domain.User, id string) (domain.Event, error) {
	if err := read(u); err != nil {
		return domain.Event{}, err
	}
	return s.store.FindEvent(ctx, id)
}

// CreateEvent records e when u is an admin or coordinator of its host.
func (s *Service) CreateEvent(ctx context.Context, u *domain.User, e *domain.Event) error {
	if err := access.Allow(u, access.CreateEvent, EventResource(*e)); err != nil {
		return err
	}
	return s.store.CreateEvent(ctx, actor(u), e)
}

// UpdateEvent stores e when u may change the event as stored and as it
// will be, so that nobody hands an event to a host they do not answer for.
func (s *Service) UpdateEvent(ctx context.Context, u *domain.User, e *domain.Event) error {
	cur, err := s.Event(ctx, u, e.ID)
	if err != nil {
		return err
	}
	if err := access.Allow(u, access.UpdateEvent, EventResource(cur)); err != nil {
		return err
	}
	if err := access.Allow(u, access.UpdateEvent, EventResource(*e)); err != nil {
		return err
	}
	return s.store.UpdateEvent(ctx, actor(u), e)
}

// DeleteEvent deletes event id at version when u may.
func (s *Service) DeleteEvent(ctx context.Context, u *domain.User, id string, version int64) error {
	cur, err := s.Event(ctx, u, id)
	if err != nil {
		return err
	}
	if err := access.Allow(u, access.DeleteEvent, EventResource(cur)); err != nil {
		return err
	}
	return s.store.DeleteEvent(ctx, actor(u), id, version)
}

// MoveActionItem sets where one action item stands, when u may (the
// host's or the owner organization's admins and coordinators, or the owner
// person), and returns the event as it now stands. ENOTFOUND for an item
// the event does not have.
func (s *Service) MoveActionItem(ctx context.Context, u *domain.User, mv domain.ActionMove) (domain.Event, error) {
	cur, err := s.Event(ctx, u, mv.EventID)
	if err != nil {
		return cur, err
	}
	item, ok := cur.ActionItem(mv.ItemID)
	if !ok {
		return cur, domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "action item", "ID", mv.ItemID)
	}
	if err := access.Allow(u, access.UpdateActionItem, ActionItemResource(cur, item)); err != nil {
		return cur, err
	}
	return s.store.MoveActionItem(ctx, actor(u), mv)
}

// NoteOverdue tells the owners of open action items past their due date,
// once per due date; the server runs it on a timer, as the system.
func (s *Service) NoteOverdue(ctx context.Context) (int, error) {
	return s.store.NoteOverdueActionItems(ctx, s.Today())
}
