package supply

import (
	"context"
	"time"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
)

// What the supply pages and the API read together: the day the rules are
// checked on, what a donor has left to ship, a proposal with its needs and
// pledges, and the lead-time report. Each is one query of the store.

// Today returns the calendar day (UTC) on which needs are checked: a date
// before it has passed.
func (s *Service) Today() domain.Date { return domain.DateOf(time.Now().UTC()) }

// ValidateNeed returns every field error of a need as posted (cur nil) or as
// a change of cur: those of Validate, and a needed_by that has passed when
// the need is new or its date changes (a need keeps a date that passed after
// it was posted, and is overdue). EINVALID.
func (s *Service) ValidateNeed(n, cur *domain.Need) error {
	problems := domain.Problems(domain.ErrorFields(n.Validate()))
	if cur == nil || cur.NeededBy != n.NeededBy {
		problems = append(problems, domain.ErrorFields(n.ValidateDates(s.Today()))...)
	}
	return problems.Err("need")
}

// Shippable is what a donor organization may put on a new shipment: its
// accepted pledges with something left to ship (Pledge.LeftToShip), and the
// needs they are for, by id.
type Shippable struct {
	Pledges []domain.Pledge
	Needs   map[string]domain.Need
}

// ToShip returns what the donor organization has left to ship, for its
// members; EFORBIDDEN for others.
func (s *Service) ToShip(ctx context.Context, u *domain.User, donorID string) (Shippable, error) {
	if err := access.Allow(u, access.ReadStock, access.Resource{OrganizationID: donorID}); err != nil {
		return Shippable{}, err
	}
	pledges, needs, err := s.store.ListPledgesToShip(ctx, donorID)
	if err != nil {
		return Shippable{}, err
	}
	out := Shippable{Pledges: pledges, Needs: make(map[string]domain.Need, len(needs))}
	for _, n := range needs {
		out.Needs[n.ID] = n
	}
	return out, nil
}

// AllocationDetail is a proposal with the needs of its lines and of what it
// leaves unmet (by id; a need deleted since is missing), and the pledges its
// commit made.
type AllocationDetail struct {
	domain.Allocation
	Needs   map[string]domain.Need
	Pledges []domain.Pledge
}

// AllocationDetail returns a stored proposal with its needs and pledges, to
// those Allocation shows it to.
func (s *Service) AllocationDetail(ctx context.Context, u *domain.User, id string) (AllocationDetail, error) {
	a, err := s.Allocation(ctx, u, id)
	if err != nil {
		return AllocationDetail{}, err
	}
	ids := make([]string, 0, len(a.Lines)+len(a.Unmet))
	for _, l := range a.Lines {
		ids = append(ids, l.NeedID)
	}
	for _, m := range a.Unmet {
		ids = append(ids, m.NeedID)
	}
	needs, err := s.store.FindNeeds(ctx, ids)
	if err != nil {
		return AllocationDetail{}, err
	}
	d := AllocationDetail{Allocation: a, Needs: make(map[string]domain.Need, len(needs)), Pledges: []domain.Pledge{}}
	for _, n := range needs {
		d.Needs[n.ID] = n
	}
	if len(a.PledgeIDs) > 0 {
		if d.Pledges, err = s.store.FindPledges(ctx, a.PledgeIDs); err != nil {
			return AllocationDetail{}, err
		}
	}
	return d, nil
}

// LeadTimeReport returns the average lead times of the needs per item and
// month of the plea.
func (s *Service) LeadTimeReport(ctx context.Context, u *domain.User) ([]domain.LeadSummary, error) {
	if err := access.Allow(u, access.ReadDirectory, access.Resource{}); err != nil {
		return nil, err
	}
	return s.store.LeadTimeReport(ctx)
}
