package supply

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"aidbridge/internal/access"
	"aidbridge/internal/allocation"
	"aidbridge/internal/domain"
)

// maxAllocationNeeds bounds how many open needs one proposal considers.
const maxAllocationNeeds = 5000

// Propose computes the optimal allocation of the donors' available stock of
// an item to the open needs the filter selects, and stores it as a proposal.
// The donors are the organizations for which u may pledge (every organization
// holding stock, for a site administrator), narrowed by f.DonorIDs.
func (s *Service) Propose(ctx context.Context, u *domain.User, f domain.AllocationFilter, policy string) (domain.Allocation, error) {
	var a domain.Allocation
	if err := access.Allow(u, access.ReadDirectory, access.Resource{}); err != nil {
		return a, err
	}
	if err := f.Validate(); err != nil {
		return a, err
	}
	if !slices.Contains(domain.AllocationPolicies, policy) {
		var p domain.Problems
		p.Add("policy", domain.MsgOneOf, "Allowed", strings.Join(domain.AllocationPolicies, ", "), "Value", policy)
		return a, p.Err("allocation")
	}
	if _, err := s.store.FindItem(ctx, f.ItemID); domain.ErrorCode(err) == domain.ENOTFOUND {
		var p domain.Problems
		p.Add("item_id", domain.MsgNoSuchItem, "ID", f.ItemID)
		return a, p.Err("allocation")
	} else if err != nil {
		return a, err
	}
	donors, err := s.allocationDonors(ctx, u, f)
	if err != nil {
		return a, err
	}
	needs, err := s.openNeeds(ctx, f)
	if err != nil {
		return a, err
	}
	req := allocation.Request{Today: time.Now().UTC(), Policy: allocation.Policy(policy)}
	stock, places, err := s.store.AllocationStock(ctx, f.ItemID, donors)
	if err != nil {
		return a, err
	}
	for _, x := range stock {
		p := places[x.OrganizationID]
		req.Supplies = append(req.Supplies, allocation.Supply{DonorID: x.OrganizationID, Available: x.Available, Lat: p.Latitude, Lon: p.Longitude})
	}
	requesters := make([]string, len(needs))
	for i, n := range needs {
		requesters[i] = n.OrganizationID
	}
	if places, err = s.store.Places(ctx, requesters); err != nil {
		return a, err
	}
	for _, n := range needs {
		p := places[n.OrganizationID]
		an := allocation.Need{ID: n.ID, Requester: n.OrganizationID, Quantity: n.Uncovered(), Urgency: allocation.Urgency(n.Urgency), Lat: p.Latitude, Lon: p.Longitude}
		if !n.NeededBy.IsZero() {
			an.NeededBy = n.NeededBy.Time()
		}
		req.Needs = append(req.Needs, an)
	}
	a.Policy, a.Filter = policy, f
	a.Lines, a.Unmet = []domain.AllocationLine{}, []domain.AllocationUnmet{}
	if len(req.Needs) > 0 {
		res, err := allocation.Solve(req)
		if errors.Is(err, allocation.ErrInvalid) {
			return a, domain.Errorf(domain.EINVALID, "the allocation cannot be computed: %v", err)
		} else if err != nil {
			return a, err
		}
		for _, l := range res.Lines {
			a.Lines = append(a.Lines, domain.AllocationLine{NeedID: l.NeedID, DonorID: l.DonorID, Quantity: l.Quantity, UnitCost: l.UnitCost, TransitDays: l.TransitDays})
		}
		for _, m := range res.Unmet {
			a.Unmet = append(a.Unmet, domain.AllocationUnmet{NeedID: m.NeedID, Quantity: m.Quantity, Reason: m.Reason})
		}
		a.Allocated, a.Shortfall, a.ShippingCost = res.Allocated, res.Shortfall, res.ShippingCost
	}
	if err := s.store.CreateAllocation(ctx, actor(u), &a); err != nil {
		return a, err
	}
	return a, nil
}

// allocationDonors returns the organizations whose stock a proposal of u may
// use: those u may pledge for (all, for a site administrator), narrowed to
// f.DonorIDs when given.
func (s *Service) allocationDonors(ctx context.Context, u *domain.User, f domain.AllocationFilter) ([]string, error) {
	var mine []string
	if access.Everywhere(u, access.PledgeToNeed) {
		list, err := s.store.StockHolders(ctx, f.ItemID)
		if err != nil {
			return nil, err
		}
		mine = list
	} else {
		mine = access.Organizations(u, access.PledgeToNeed)
	}
	if err := access.Somewhere(u, access.PledgeToNeed); err != nil {
		return nil, err
	}
	if len(f.DonorIDs) == 0 {
		return mine, nil
	}
	var out []string
	for _, d := range f.DonorIDs {
		if err := access.Allow(u, access.PledgeToNeed, access.Resource{OrganizationID: d}); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// openNeeds returns the needs of the item still uncovered, in the countries
// and urgencies the filter names (all when empty): per country and urgency,
// most urgent first, each an index range of the board's.
func (s *Service) openNeeds(ctx context.Context, f domain.AllocationFilter) ([]domain.Need, error) {
	countries := f.Countries
	if len(countries) == 0 {
		countries = []string{""}
	}
	urgencies := slices.Clone(f.Urgencies)
	slices.SortFunc(urgencies, func(a, b domain.Urgency) int { return domain.UrgencyRank(a) - domain.UrgencyRank(b) })
	urgencies = slices.Compact(urgencies)
	if len(urgencies) == 0 {
		urgencies = []domain.Urgency{""}
	}
	var out []domain.Need
	for _, c := range countries {
		for _, u := range urgencies {
			cursor := ""
			for {
				page, next, err := s.store.ListNeeds(ctx, domain.NeedFilter{ItemID: f.ItemID, Country: c, Urgency: string(u), Open: true,
					Cursor: cursor, Limit: domain.MaxPageSize})
				if err != nil {
					return nil, err
				}
				for _, n := range page {
					if n.Uncovered() > 0 {
						out = append(out, n)
					}
				}
				if len(out) > maxAllocationNeeds {
					return nil, domain.Fail(domain.EINVALID, domain.MsgTooManyNeeds, "Max", maxAllocationNeeds)
				}
				if next == "" {
					break
				}
				cursor = next
			}
		}
	}
	return out, nil
}

// Allocation returns a stored proposal to the user who made it, or to a site
// administrator: it shows the donors' stock.
func (s *Service) Allocation(ctx context.Context, u *domain.User, id string) (domain.Allocation, error) {
	if err := access.Allow(u, access.ReadDirectory, access.Resource{}); err != nil {
		return domain.Allocation{}, err
	}
	a, err := s.store.FindAllocation(ctx, id)
	if err != nil {
		return a, err
	}
	if err := access.Allow(u, access.ReadAllocation, access.Resource{UserID: a.CreatedBy}); err != nil {
		return domain.Allocation{}, err
	}
	return a, nil
}

// Commit turns a proposal into pledges, leaving out the lines in drop. u must
// be allowed to pledge for every donor of the lines kept.
func (s *Service) Commit(ctx context.Context, u *domain.User, id string, version int64, drop []int) (domain.Allocation, error) {
	a, err := s.Allocation(ctx, u, id)
	if err != nil {
		return a, err
	}
	for i, l := range a.Lines {
		if slices.Contains(drop, i) {
			continue
		}
		if err := access.Allow(u, access.PledgeToNeed, access.Resource{OrganizationID: l.DonorID}); err != nil {
			return a, err
		}
	}
	return s.store.CommitAllocation(ctx, actor(u), id, version, drop)
}
