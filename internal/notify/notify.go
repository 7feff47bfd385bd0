// Package notify is what users are told of the changes their counterparts
// make: the notifications to their organizations, which of them they have
// read, and marking them read, all at once or by opening the record one
// links to. Supply aid notifies today; missions and events will too.
package notify

import (
	"context"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// Service reads and marks the notifications of a user.
type Service struct {
	store *store.Store
}

// NewService returns a Service over s.
func NewService(s *store.Store) *Service { return &Service{store: s} }

// organizations returns the organizations whose notifications u reads:
// those of u's memberships.
func organizations(u *domain.User) []string { return access.Organizations(u, access.ReadDirectory) }

// Notifications returns the user's newest notifications across their
// organizations, at most limit, with the names their sentences need, and
// how many are unread. EUNAUTHORIZED when nobody is signed in.
func (s *Service) Notifications(ctx context.Context, u *domain.User, limit int) ([]domain.Notification, int, error) {
	if err := access.Allow(u, access.ReadDirectory, access.Resource{}); err != nil {
		return nil, 0, err
	}
	return s.store.ListNotifications(ctx, u.ID, organizations(u), limit)
}

// Unread returns how many of the user's notifications are unread.
// EUNAUTHORIZED when nobody is signed in.
func (s *Service) Unread(ctx context.Context, u *domain.User) (int, error) {
	if err := access.Allow(u, access.ReadDirectory, access.Resource{}); err != nil {
		return 0, err
	}
	return s.store.CountUnreadNotifications(ctx, u.ID, organizations(u))
}

// MarkRead marks the user's notifications read up to and including id.
// EUNAUTHORIZED when nobody is signed in.
func (s *Service) MarkRead(ctx context.Context, u *domain.User, id int64) error {
	if err := access.Allow(u, access.ReadDirectory, access.Resource{}); err != nil {
		return err
	}
	return s.store.MarkNotificationsRead(ctx, u.ID, id)
}

// MarkOpened marks read the user's unread notifications of one record, as
// its page opens: entityType is the kind of record a notification links to
// ("need" or "shipment") and entityID its id. Opening a record with no
// unread notifications changes nothing. EUNAUTHORIZED when nobody is signed
// in.
func (s *Service) MarkOpened(ctx context.Context, u *domain.User, entityType, entityID string) error {
	if err := access.Allow(u, access.ReadDirectory, access.Resource{}); err != nil {
		return err
	}
	return s.store.MarkNotificationsOpened(ctx, u.ID, organizations(u), entityType, entityID)
}
