// Package partnership is programs, the partnerships under them and what
// parties commit to a partnership, as users see them: any signed-in user
// reads them; the sponsors of a program change it, the provider of a
// partnership changes that, and the committing party or the provider
// records commitments and their deliveries. Every call asks the access
// policy first.
package partnership

import (
	"context"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// Service reads and changes programs, partnerships and commitments on
// behalf of a user.
type Service struct {
	store *store.Store
}

// NewService returns a Service over s.
func NewService(s *store.Store) *Service { return &Service{store: s} }

func actor(u *domain.User) store.Actor { return store.Actor{UserID: u.ID} }

func read(u *domain.User) error { return access.Allow(u, access.ReadPartnerships, access.Resource{}) }

// ProgramResource is what the policy asks of a program: its sponsors.
func ProgramResource(pr domain.Program) access.Resource {
	return access.Resource{Sponsors: pr.SponsorIDs}
}

// PartnershipResource is what the policy asks of a partnership: its
// provider.
func PartnershipResource(ps domain.Partnership) access.Resource {
	return access.Resource{OrganizationID: ps.ProviderID}
}

// CommitmentResource is what the policy asks of a commitment: its party,
// and the provider of its partnership.
func CommitmentResource(c domain.Commitment, ps domain.Partnership) access.Resource {
	return access.Resource{OrganizationID: c.PartyID, OtherID: ps.ProviderID}
}

// ListPrograms returns a page of programs and the next cursor.
func (s *Service) ListPrograms(ctx context.Context, u *domain.User, f domain.ProgramFilter) ([]domain.Program, string, error) {
	if err := read(u); err != nil {
		return nil, "", err
	}
	return s.store.ListPrograms(ctx, f)
}

// Program returns one program; ENOTFOUND when there is none.
func (s *Service) Program(ctx context.Context, u *domain.User, id string) (domain.Program, error) {
	if err := read(u); err != nil {
		return domain.Program{}, err
	}
	return s.store.FindProgram(ctx, id)
}

// CreateProgram creates pr when u is an admin or coordinator of one of its
// sponsors.
func (s *Service) CreateProgram(ctx context.Context, u *domain.User, pr *domain.Program) error {
	if err := access.Allow(u, access.CreateProgram, ProgramResource(*pr)); err != nil {
		return err
	}
	return s.store.CreateProgram(ctx, actor(u), pr)
}

// UpdateProgram stores pr when u may change the program as stored and as
// it will be, so that nobody hands a program to sponsors they do not
// answer for, nor takes it from their own.
func (s *Service) UpdateProgram(ctx context.Context, u *domain.User, pr *domain.Program) error {
	cur, err := s.Program(ctx, u, pr.ID)
	if err != nil {
		return err
	}
	if err := access.Allow(u, access.UpdateProgram, ProgramResource(cur)); err != nil {
		return err
	}
	if err := access.Allow(u, access.UpdateProgram, ProgramResource(*pr)); err != nil {
		return err
	}
	return s.store.UpdateProgram(ctx, actor(u), pr)
}

// DeleteProgram deletes program id at version when u may.
func (s *Service) DeleteProgram(ctx context.Context, u *domain.User, id string, version int64) error {
	cur, err := s.Program(ctx, u, id)
	if err != nil {
		return err
	}
	if err := access.Allow(u, access.DeleteProgram, ProgramResource(cur)); err != nil {
		return err
	}
	return s.store.DeleteProgram(ctx, actor(u), id, version)
}

// ListPartnerships returns a page of partnerships and the next cursor.
func (s *Service) ListPartnerships(ctx context.Context, u *domain.User, f domain.PartnershipFilter) ([]domain.Partnership, string, error) {
	if err := read(u); err != nil {
		return nil, "", err
	}
	return s.store.ListPartnerships(ctx, f)
}

// Partnership returns one partnership; ENOTFOUND when there is none.
func (s *Service) Partnership(ctx context.Context, u *domain.User, id string) (domain.Partnership, error) {
	if err := read(u); err != nil {
		return domain.Partnership{}, err
	}
	return s.store.FindPartnership(ctx, id)
}

// CreatePartnership creates ps when u is an admin or coordinator of its
// provider.
func (s *Service) CreatePartnership(ctx context.Context, u *domain.User, ps *domain.Partnership) error {
	if err := access.Allow(u, access.CreatePartnership, PartnershipResource(*ps)); err != nil {
		return err
	}
	return s.store.CreatePartnership(ctx, actor(u), ps)
}

// UpdatePartnership stores ps when u may change it; handing it to another
// provider also needs the right to create partnerships for that one.
func (s *Service) UpdatePartnership(ctx context.Context, u *domain.User, ps *domain.Partnership) error {
	cur, err := s.Partnership(ctx, u, ps.ID)
	if err != nil {
		return err
	}
	if err := access.Allow(u, access.UpdatePartnership, PartnershipResource(cur)); err != nil {
		return err
	}
	if ps.ProviderID != cur.ProviderID {
		if err := access.Allow(u, access.CreatePartnership, PartnershipResource(*ps)); err != nil {
			return err
		}
	}
	return s.store.UpdatePartnership(ctx, actor(u), ps)
}

// DeletePartnership deletes partnership id at version when u may.
func (s *Service) DeletePartnership(ctx context.Context, u *domain.User, id string, version int64) error {
	cur, err := s.Partnership(ctx, u, id)
	if err != nil {
		return err
	}
	if err := access.Allow(u, access.DeletePartnership, PartnershipResource(cur)); err != nil {
		return err
	}
	return s.store.DeletePartnership(ctx, actor(u), id, version)
}

// Commitments returns the commitments made to partnership id, each with its
// deliveries; ENOTFOUND when there is no such partnership.
func (s *Service) Commitments(ctx context.Context, u *domain.User, partnershipID string) ([]domain.Commitment, error) {
	if _, err := s.Partnership(ctx, u, partnershipID); err != nil {
		return nil, err
	}
	return s.store.ListCommitments(ctx, partnershipID)
}

// Commitment returns one commitment with its deliveries.
func (s *Service) Commitment(ctx context.Context, u *domain.User, id string) (domain.Commitment, error) {
	if err := read(u); err != nil {
		return domain.Commitment{}, err
	}
	return s.store.FindCommitment(ctx, id)
}

// CreateCommitment records c when u is an admin or coordinator of the
// committing party or of the partnership's provider.
func (s *Service) CreateCommitment(ctx context.Context, u *domain.User, c *domain.Commitment) error {
	ps, err := s.Partnership(ctx, u, c.PartnershipID)
	if err != nil {
		return err
	}
	if err := access.Allow(u, access.CreateCommitment, CommitmentResource(*c, ps)); err != nil {
		return err
	}
	return s.store.CreateCommitment(ctx, actor(u), c)
}

// RecordDelivery adds d to its commitment when u is an admin or
// coordinator of the committing party or of the partnership's provider,
// and returns the commitment as it now stands.
func (s *Service) RecordDelivery(ctx context.Context, u *domain.User, d *domain.Delivery) (domain.Commitment, error) {
	c, err := s.Commitment(ctx, u, d.CommitmentID)
	if err != nil {
		return c, err
	}
	ps, err := s.store.FindPartnership(ctx, c.PartnershipID)
	if err != nil {
		return c, err
	}
	if err := access.Allow(u, access.RecordDelivery, CommitmentResource(c, ps)); err != nil {
		return c, err
	}
	return s.store.RecordDelivery(ctx, actor(u), d)
}
