package report

import (
	"context"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// exchange returns what the scope sent and received: teams, supplies and
// contributions, with the countries at the other end.
func (s *Service) exchange(ctx context.Context, g store.GeoScope) (domain.Exchange, error) {
	teams, err := s.store.TeamTallies(ctx, g)
	if err != nil {
		return domain.Exchange{}, err
	}
	supplies, err := s.store.SupplyTallies(ctx, g)
	if err != nil {
		return domain.Exchange{}, err
	}
	shipments, err := s.store.ShipmentTallies(ctx, g)
	if err != nil {
		return domain.Exchange{}, err
	}
	contributions, err := s.store.ContributionTallies(ctx, g)
	if err != nil {
		return domain.Exchange{}, err
	}
	return domain.Exchanges(teams, supplies, shipments, contributions)
}

// exchangeNames returns the names of the organizations an exchange names,
// with those of ids.
func (s *Service) exchangeNames(ctx context.Context, e domain.Exchange, ids ...string) (map[string]string, error) {
	for _, l := range e.Teams.Lines {
		ids = append(ids, l.SendingID, l.HostID)
	}
	for _, l := range e.Supplies.Lines {
		ids = append(ids, l.DonorID, l.RecipientID)
	}
	for _, l := range e.Contributions.Lines {
		ids = append(ids, l.GiverID, l.RecipientID)
	}
	return s.store.OrganizationNames(ctx, ids)
}

// Organization returns the profile of organization id; ENOTFOUND when
// there is none.
func (s *Service) Organization(ctx context.Context, u *domain.User, id string) (domain.OrganizationReport, error) {
	var r domain.OrganizationReport
	if err := access.Allow(u, access.ReadReports, access.Resource{}); err != nil {
		return r, err
	}
	o, err := s.store.FindOrganization(ctx, id)
	if err != nil {
		return r, err
	}
	r.Organization = o
	if r.Departments, err = s.store.ListDepartments(ctx, id); err != nil {
		return r, err
	}
	if r.Departments == nil {
		r.Departments = []domain.Department{}
	}
	milestones, err := s.store.AccreditationMilestones(ctx, id)
	if err != nil {
		return r, err
	}
	r.Timeline = domain.Timeline(o.Accreditations, milestones)
	tallies, err := s.store.PartnerTallies(ctx, id)
	if err != nil {
		return r, err
	}
	partners, err := s.store.CurrentPartners(ctx, id)
	if err != nil {
		return r, err
	}
	r.Partners = domain.PartnerCounts(tallies, partners)
	if r.JointLabs, _, err = s.store.ListPartnerships(ctx, domain.PartnershipFilter{OrganizationID: id, Kind: JointLabProgramKind,
		Status: string(domain.PartnershipActive), Limit: domain.MaxPageSize}); err != nil {
		return r, err
	}
	if r.JointLabs == nil {
		r.JointLabs = []domain.Partnership{}
	}
	if r.Exchange, err = s.exchange(ctx, store.GeoScope{OrganizationID: id}); err != nil {
		return r, err
	}
	ids := []string{id}
	for _, ps := range r.JointLabs {
		ids = append(ids, ps.ProviderID, ps.RecipientID)
	}
	r.Names, err = s.exchangeNames(ctx, r.Exchange, ids...)
	return r, err
}

// JointLabProgramKind is the kind of program whose partnerships are joint
// laboratories, centers and bases: an organization's joint laboratories
// are the active partnerships of such programs it takes part in.
const JointLabProgramKind = "joint_institution"
