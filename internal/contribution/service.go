// Package contribution is the money and goods organizations give one
// another outside a need, as users see them: any signed-in user reads them
// and their totals; the admins and coordinators of the giver or of the
// recipient record, change and delete them. Every call asks the access
// policy first.
package contribution

import (
	"context"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// Service reads and changes contributions on behalf of a user.
type Service struct {
	store *store.Store
}

// NewService returns a Service over s.
func NewService(s *store.Store) *Service { return &Service{store: s} }

func actor(u *domain.User) store.Actor { return store.Actor{UserID: u.ID} }

func read(u *domain.User) error { return access.Allow(u, access.ReadContributions, access.Resource{}) }

// Resource is what the policy asks of a contribution: its giver and its
// recipient, either of which answers for it.
func Resource(c domain.Contribution) access.Resource {
	return access.Resource{OrganizationID: c.GiverID, OtherID: c.RecipientID}
}

// List returns a page of the contributions f selects, the latest given
// first, and the next cursor.
func (s *Service) List(ctx context.Context, u *domain.User, f domain.ContributionFilter) ([]domain.Contribution, string, error) {
	if err := read(u); err != nil {
		return nil, "", err
	}
	return s.store.ListContributions(ctx, f)
}

// Totals returns what the contributions f selects add up to, one amount
// per currency, ordered by currency code.
func (s *Service) Totals(ctx context.Context, u *domain.User, f domain.ContributionFilter) ([]domain.Money, error) {
	if err := read(u); err != nil {
		return nil, err
	}
	return s.store.ContributionTotals(ctx, f)
}

// Contribution returns one contribution; ENOTFOUND when there is none.
func (s *Service) Contribution(ctx context.Context, u *domain.User, id string) (domain.Contribution, error) {
	if err := read(u); err != nil {
		return domain.Contribution{}, err
	}
	return s.store.FindContribution(ctx, id)
}

// Create records c when u is an admin or coordinator of its giver or of
// its recipient.
func (s *Service) Create(ctx context.Context, u *domain.User, c *domain.Contribution) error {
	if err := access.Allow(u, access.CreateContribution, Resource(*c)); err != nil {
		return err
	}
	return s.store.CreateContribution(ctx, actor(u), c)
}

// Update stores c when u may change the contribution as stored and as it
// will be, so that nobody moves a contribution to parties they do not
// answer for, nor takes it from their own.
func (s *Service) Update(ctx context.Context, u *domain.User, c *domain.Contribution) error {
	cur, err := s.Contribution(ctx, u, c.ID)
	if err != nil {
		return err
	}
	if err := access.Allow(u, access.UpdateContribution, Resource(cur)); err != nil {
		return err
	}
	if err := access.Allow(u, access.UpdateContribution, Resource(*c)); err != nil {
		return err
	}
	return s.store.UpdateContribution(ctx, actor(u), c)
}

// Delete deletes contribution id at version when u may.
func (s *Service) Delete(ctx context.Context, u *domain.User, id string, version int64) error {
	cur, err := s.Contribution(ctx, u, id)
	if err != nil {
		return err
	}
	if err := access.Allow(u, access.DeleteContribution, Resource(cur)); err != nil {
		return err
	}
	return s.store.DeleteContribution(ctx, actor(u), id, version)
}
