// Package workqueue is what waits for a user: per kind of record, the
// records that one of the user's organizations is to act on (offers to
// decide, pledges to ship, shipments to dispatch and to receive, needs past
// their date, notifications to read), each section one query. A capability
// adds its section with one more entry in sections.
package workqueue

import (
	"context"
	"time"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// section is one section of the work queue: which of the user's
// organizations it covers (those for which the user may do action), and the
// store query that lists what waits for them.
type section struct {
	kind   domain.WorkKind
	action access.Action
	list   func(*store.Store, context.Context, store.WorkQuery) ([]domain.WorkEntry, int, error)
}

// sections are the work queue, in the order it is shown.
var sections = []section{
	{domain.WorkOffersToDecide, access.DecidePledge, (*store.Store).OffersToDecide},
	{domain.WorkPledgesToShip, access.ShipPledges, (*store.Store).PledgesToShip},
	{domain.WorkShipmentsToDispatch, access.ShipPledges, (*store.Store).ShipmentsToDispatch},
	{domain.WorkShipmentsToReceive, access.ReceiveShipment, (*store.Store).ShipmentsToReceive},
	{domain.WorkOverdueNeeds, access.PostNeed, (*store.Store).OverdueNeeds},
	{domain.WorkUnreadNotifications, access.ReadDirectory, (*store.Store).UnreadWork},
}

// Service gathers the work queue of a user.
type Service struct {
	store *store.Store
	now   func() time.Time
}

// NewService returns a Service over s.
func NewService(s *store.Store) *Service { return &Service{store: s, now: time.Now} }

// Queue returns the work queue of u: the sections that cover at least one
// of u's organizations, each with how many records wait and the first
// domain.WorkSectionLimit of them. A user without memberships (a site
// administrator may have none) gets no sections. EUNAUTHORIZED when nobody
// is signed in.
func (s *Service) Queue(ctx context.Context, u *domain.User) ([]domain.WorkSection, error) {
	if err := access.Allow(u, access.ReadDirectory, access.Resource{}); err != nil {
		return nil, err
	}
	today := domain.DateOf(s.now().UTC())
	out := []domain.WorkSection{}
	for _, sec := range sections {
		orgs := access.Organizations(u, sec.action)
		if len(orgs) == 0 {
			continue
		}
		entries, count, err := sec.list(s.store, ctx, store.WorkQuery{UserID: u.ID, Organizations: orgs, Today: today, Limit: domain.WorkSectionLimit})
		if err != nil {
			return nil, err
		}
		if entries == nil {
			entries = []domain.WorkEntry{}
		}
		out = append(out, domain.WorkSection{Kind: sec.kind, OrganizationIDs: orgs, Count: count, Entries: entries})
	}
	return out, nil
}
