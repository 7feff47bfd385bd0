// Package report counts what partnerships and programs left behind and
// what they took, from the records, for the report pages and the API. Any
// signed-in user reads reports; the figures are aggregates computed by the
// database, never stored.
package report

import (
	"context"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// Service builds reports on behalf of a user.
type Service struct {
	store *store.Store
}

// NewService returns a Service over s.
func NewService(s *store.Store) *Service { return &Service{store: s} }

// outcomes returns the outcome figures of a scope.
func (s *Service) outcomes(ctx context.Context, sc store.ReportScope) (domain.OutcomeFigures, error) {
	tallies, err := s.store.OutcomeTallies(ctx, sc)
	if err != nil {
		return domain.OutcomeFigures{}, err
	}
	f := domain.Figures(tallies)
	if f.Projects.Funding, err = s.store.FundedAmounts(ctx, sc); err != nil {
		return f, err
	}
	if f.ServiceList, err = s.store.ReportOutcomes(ctx, sc, domain.OutcomeService); err != nil {
		return f, err
	}
	if f.Milestones, err = s.store.ReportOutcomes(ctx, sc, domain.OutcomeMilestone); err != nil {
		return f, err
	}
	f.ByYear, err = s.store.OutcomesByYear(ctx, sc)
	return f, err
}

// names returns the names of the organizations a report names.
func (s *Service) names(ctx context.Context, f domain.OutcomeFigures, ids ...string) (map[string]string, error) {
	for _, c := range f.Projects.ByLead {
		ids = append(ids, c.Key)
	}
	for _, m := range f.Milestones {
		ids = append(ids, m.MemberIDs...)
	}
	return s.store.OrganizationNames(ctx, ids)
}

// Partnership returns the report of partnership id; ENOTFOUND when there
// is none.
func (s *Service) Partnership(ctx context.Context, u *domain.User, id string) (domain.PartnershipReport, error) {
	var r domain.PartnershipReport
	if err := access.Allow(u, access.ReadReports, access.Resource{}); err != nil {
		return r, err
	}
	ps, err := s.store.FindPartnership(ctx, id)
	if err != nil {
		return r, err
	}
	pr, err := s.store.FindProgram(ctx, ps.ProgramID)
	if err != nil {
		return r, err
	}
	r.Partnership, r.ProgramName = ps, pr.Name
	sc := store.ReportScope{PartnershipID: id}
	if r.Outcomes, err = s.outcomes(ctx, sc); err != nil {
		return r, err
	}
	if r.Teams, err = s.store.TeamFacts(ctx, domain.MissionFilter{PartnershipID: id}); err != nil {
		return r, err
	}
	if r.Commitments, err = s.store.CommitmentFigures(ctx, sc); err != nil {
		return r, err
	}
	totals, err := s.store.ScopeActivityTotals(ctx, sc)
	if err != nil {
		return r, err
	}
	r.Activities = domain.ActivityFiguresOf(totals)
	indicators, _, err := s.store.ListIndicators(ctx, domain.IndicatorFilter{PartnershipID: id, Limit: domain.MaxIndicators})
	if err != nil {
		return r, err
	}
	r.Indicators = []domain.IndicatorProgress{}
	for _, in := range indicators {
		pr, err := s.store.IndicatorProgress(ctx, in)
		if err != nil {
			return r, err
		}
		r.Indicators = append(r.Indicators, pr)
	}
	r.Names, err = s.names(ctx, r.Outcomes, ps.ProviderID, ps.RecipientID)
	return r, err
}

// Program returns the report of program id, summed over its partnerships;
// ENOTFOUND when there is none.
func (s *Service) Program(ctx context.Context, u *domain.User, id string) (domain.ProgramReport, error) {
	var r domain.ProgramReport
	if err := access.Allow(u, access.ReadReports, access.Resource{}); err != nil {
		return r, err
	}
	pr, err := s.store.FindProgram(ctx, id)
	if err != nil {
		return r, err
	}
	r.Program = pr
	if r.Partnerships, _, err = s.store.ListPartnerships(ctx, domain.PartnershipFilter{ProgramID: id, Limit: domain.MaxPageSize}); err != nil {
		return r, err
	}
	sc := store.ReportScope{ProgramID: id}
	if r.Outcomes, err = s.outcomes(ctx, sc); err != nil {
		return r, err
	}
	if r.Teams, err = s.store.TeamFacts(ctx, domain.MissionFilter{ProgramID: id}); err != nil {
		return r, err
	}
	if r.Commitments, err = s.store.CommitmentFigures(ctx, sc); err != nil {
		return r, err
	}
	totals, err := s.store.ScopeActivityTotals(ctx, sc)
	if err != nil {
		return r, err
	}
	r.Activities = domain.ActivityFiguresOf(totals)
	ids := append([]string{}, pr.SponsorIDs...)
	for _, ps := range r.Partnerships {
		ids = append(ids, ps.ProviderID, ps.RecipientID)
	}
	r.Names, err = s.names(ctx, r.Outcomes, ids...)
	return r, err
}
