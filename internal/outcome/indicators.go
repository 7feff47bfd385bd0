package outcome

import (
	"context"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
)

// ListIndicators returns the indicators of a partnership, by name, each
// with its value in every period and whether it meets its target.
// ENOTFOUND when there is no such partnership.
func (s *Service) ListIndicators(ctx context.Context, u *domain.User, partnershipID string) ([]domain.IndicatorProgress, error) {
	if err := read(u); err != nil {
		return nil, err
	}
	if _, err := s.store.FindPartnership(ctx, partnershipID); err != nil {
		return nil, err
	}
	list, _, err := s.store.ListIndicators(ctx, domain.IndicatorFilter{PartnershipID: partnershipID, Limit: domain.MaxIndicators})
	if err != nil {
		return nil, err
	}
	return s.progress(ctx, list)
}

// PageIndicators returns a page of indicators of every partnership, or of
// the one f names, by name, with their progress, and the next cursor.
func (s *Service) PageIndicators(ctx context.Context, u *domain.User, f domain.IndicatorFilter) ([]domain.IndicatorProgress, string, error) {
	if err := read(u); err != nil {
		return nil, "", err
	}
	list, next, err := s.store.ListIndicators(ctx, f)
	if err != nil {
		return nil, "", err
	}
	out, err := s.progress(ctx, list)
	return out, next, err
}

func (s *Service) progress(ctx context.Context, list []domain.Indicator) ([]domain.IndicatorProgress, error) {
	out := make([]domain.IndicatorProgress, 0, len(list))
	for _, in := range list {
		pr, err := s.store.IndicatorProgress(ctx, in)
		if err != nil {
			return nil, err
		}
		out = append(out, pr)
	}
	return out, nil
}

// Indicator returns one indicator with its entries; ENOTFOUND when there
// is none.
func (s *Service) Indicator(ctx context.Context, u *domain.User, id string) (domain.Indicator, error) {
	if err := read(u); err != nil {
		return domain.Indicator{}, err
	}
	return s.store.FindIndicator(ctx, id)
}

// IndicatorProgress returns one indicator with its value in every period
// and whether it meets its target; ENOTFOUND when there is none.
func (s *Service) IndicatorProgress(ctx context.Context, u *domain.User, id string) (domain.IndicatorProgress, error) {
	in, err := s.Indicator(ctx, u, id)
	if err != nil {
		return domain.IndicatorProgress{}, err
	}
	return s.store.IndicatorProgress(ctx, in)
}

// IndicatorResource is what the policy asks of an indicator: the parties
// of its partnership. EINVALID naming partnership_id when there is no such
// partnership.
func (s *Service) IndicatorResource(ctx context.Context, in domain.Indicator) (access.Resource, error) {
	r, err := s.resource(ctx, in.PartnershipID)
	if domain.ErrorCode(err) == domain.EINVALID {
		var p domain.Problems
		p.Add("partnership_id", domain.MsgNotFound, "What", "partnership", "ID", in.PartnershipID)
		return r, p.Err("indicator")
	}
	return r, err
}

// manage returns nil when u may set the indicators of in's partnership.
func (s *Service) manage(ctx context.Context, u *domain.User, in domain.Indicator) error {
	r, err := s.IndicatorResource(ctx, in)
	if err != nil {
		return err
	}
	return access.Allow(u, access.ManageIndicator, r)
}

// CreateIndicator records in when u may set the indicators of its
// partnership.
func (s *Service) CreateIndicator(ctx context.Context, u *domain.User, in *domain.Indicator) error {
	if err := read(u); err != nil {
		return err
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return err
	}
	if err := s.manage(ctx, u, *in); err != nil {
		return err
	}
	return s.store.CreateIndicator(ctx, actor(u), in)
}

// UpdateIndicator stores in when u may set the indicators of its
// partnership as stored and, when it moves to another, of that one too.
func (s *Service) UpdateIndicator(ctx context.Context, u *domain.User, in *domain.Indicator) error {
	cur, err := s.Indicator(ctx, u, in.ID)
	if err != nil {
		return err
	}
	if err := s.manage(ctx, u, cur); err != nil {
		return err
	}
	if in.PartnershipID != cur.PartnershipID {
		in.Normalize()
		if err := in.Validate(); err != nil {
			return err
		}
		if err := s.manage(ctx, u, *in); err != nil {
			return err
		}
	}
	return s.store.UpdateIndicator(ctx, actor(u), in)
}

// DeleteIndicator deletes indicator id at version when u may.
func (s *Service) DeleteIndicator(ctx context.Context, u *domain.User, id string, version int64) error {
	cur, err := s.Indicator(ctx, u, id)
	if err != nil {
		return err
	}
	if err := s.manage(ctx, u, cur); err != nil {
		return err
	}
	return s.store.DeleteIndicator(ctx, actor(u), id, version)
}

// EnterValue stores value as what period brought to indicator id, when u
// may set the indicators of its partnership, and returns the indicator
// with its progress. ECONFLICT when its values come from the records;
// EINVALID naming period or value as the store says.
func (s *Service) EnterValue(ctx context.Context, u *domain.User, id, period string, value int64) (domain.IndicatorProgress, error) {
	cur, err := s.Indicator(ctx, u, id)
	if err != nil {
		return domain.IndicatorProgress{}, err
	}
	if err := s.manage(ctx, u, cur); err != nil {
		return domain.IndicatorProgress{}, err
	}
	in, err := s.store.EnterIndicatorValue(ctx, actor(u), id, period, value)
	if err != nil {
		return domain.IndicatorProgress{}, err
	}
	return s.store.IndicatorProgress(ctx, in)
}
