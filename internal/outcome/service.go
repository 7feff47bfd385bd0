// Package outcome is what partnerships leave behind, as users see it: the
// outcomes recorded against a partnership and the indicators it is
// measured by. Any signed-in user reads them; the admins and coordinators
// of the partnership's provider or recipient record and change them. Every
// call asks the access policy first.
package outcome

import (
	"context"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// Service reads and changes outcomes and indicators on behalf of a user.
type Service struct {
	store *store.Store
}

// NewService returns a Service over s.
func NewService(s *store.Store) *Service { return &Service{store: s} }

func actor(u *domain.User) store.Actor { return store.Actor{UserID: u.ID} }

func read(u *domain.User) error { return access.Allow(u, access.ReadOutcomes, access.Resource{}) }

// PartnershipResource is what the policy asks of a record of a
// partnership: its provider and its recipient.
func PartnershipResource(ps domain.Partnership) access.Resource {
	return access.Resource{OrganizationID: ps.ProviderID, OtherID: ps.RecipientID}
}

// resource returns the policy's resource for a record of partnership id;
// EINVALID naming partnership_id when there is no such partnership, so
// that a new record names the field that is wrong.
func (s *Service) resource(ctx context.Context, partnershipID string) (access.Resource, error) {
	ps, err := s.store.FindPartnership(ctx, partnershipID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		var p domain.Problems
		p.Add("partnership_id", domain.MsgNotFound, "What", "partnership", "ID", partnershipID)
		return access.Resource{}, p.Err("outcome")
	}
	return PartnershipResource(ps), err
}

// outcomeResource returns the policy's resource for o: the parties of its
// partnership and, when it names a mission, the accounts of the mission's
// team, whose members record what their team brought.
func (s *Service) outcomeResource(ctx context.Context, o domain.Outcome) (access.Resource, error) {
	r, err := s.resource(ctx, o.PartnershipID)
	if err != nil || o.MissionID == "" {
		return r, err
	}
	r.TeamUserIDs, err = s.store.TeamUsers(ctx, o.MissionID)
	return r, err
}

// ListOutcomes returns a page of outcomes, latest first, and the next
// cursor.
func (s *Service) ListOutcomes(ctx context.Context, u *domain.User, f domain.OutcomeFilter) ([]domain.Outcome, string, error) {
	if err := read(u); err != nil {
		return nil, "", err
	}
	return s.store.ListOutcomes(ctx, f)
}

// Outcome returns one outcome; ENOTFOUND when there is none.
func (s *Service) Outcome(ctx context.Context, u *domain.User, id string) (domain.Outcome, error) {
	if err := read(u); err != nil {
		return domain.Outcome{}, err
	}
	return s.store.FindOutcome(ctx, id)
}

// OutcomeResource is what the policy asks of an outcome: the parties of its
// partnership.
func (s *Service) OutcomeResource(ctx context.Context, o domain.Outcome) (access.Resource, error) {
	return s.outcomeResource(ctx, o)
}

// CreateOutcome records o when u may record outcomes of its partnership.
func (s *Service) CreateOutcome(ctx context.Context, u *domain.User, o *domain.Outcome) error {
	if err := read(u); err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return err
	}
	r, err := s.outcomeResource(ctx, *o)
	if err != nil {
		return err
	}
	if err := access.Allow(u, access.RecordOutcome, r); err != nil {
		return err
	}
	return s.store.CreateOutcome(ctx, actor(u), o)
}

// UpdateOutcome stores o when u may change the outcome as stored and, when
// it moves to another partnership or mission, record outcomes there.
func (s *Service) UpdateOutcome(ctx context.Context, u *domain.User, o *domain.Outcome) error {
	cur, err := s.Outcome(ctx, u, o.ID)
	if err != nil {
		return err
	}
	r, err := s.outcomeResource(ctx, cur)
	if err != nil {
		return err
	}
	if err := access.Allow(u, access.UpdateOutcome, r); err != nil {
		return err
	}
	if o.PartnershipID != cur.PartnershipID || o.MissionID != cur.MissionID {
		if err := o.Validate(); err != nil {
			return err
		}
		to, err := s.outcomeResource(ctx, *o)
		if err != nil {
			return err
		}
		if err := access.Allow(u, access.RecordOutcome, to); err != nil {
			return err
		}
	}
	return s.store.UpdateOutcome(ctx, actor(u), o)
}

// DeleteOutcome deletes outcome id at version when u may.
func (s *Service) DeleteOutcome(ctx context.Context, u *domain.User, id string, version int64) error {
	cur, err := s.Outcome(ctx, u, id)
	if err != nil {
		return err
	}
	r, err := s.outcomeResource(ctx, cur)
	if err != nil {
		return err
	}
	if err := access.Allow(u, access.DeleteOutcome, r); err != nil {
		return err
	}
	return s.store.DeleteOutcome(ctx, actor(u), id, version)
}
