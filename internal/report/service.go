// Package report counts what partnerships and programs left behind and
// what they took, from the records, for the report pages and the API. Any
// signed-in user reads reports; the figures are aggregates computed by the
// database, never stored.
package report

import (
	"context"
	"errors"
	"sync"

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

// together runs the report's queries side by side, each on its own
// connection, and returns the first error: a report's aggregates do not
// depend on each other, and its time is then that of the longest.
func together(fns ...func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() { errs[i] = fn() })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// figures are the parts every report of a scope shares.
type figures struct {
	outcomes    domain.OutcomeFigures
	teams       domain.TeamFacts
	commitments domain.CommitmentFigures
	activities  domain.ActivityFigures
}

// scopeFigures counts the outcomes, teams, commitments and field work of a
// scope; teams names the scope as the missions' filter does.
func (s *Service) scopeFigures(ctx context.Context, sc store.ReportScope, teams domain.MissionFilter) (figures, error) {
	var f figures
	var tallies []domain.OutcomeTally
	var totals []domain.ActivityTotal
	var funding []domain.Money
	err := together(
		func() (err error) { tallies, err = s.store.OutcomeTallies(ctx, sc); return err },
		func() (err error) { funding, err = s.store.FundedAmounts(ctx, sc); return err },
		func() (err error) {
			f.outcomes.ServiceList, err = s.store.ReportOutcomes(ctx, sc, domain.OutcomeService)
			return err
		},
		func() (err error) {
			f.outcomes.Milestones, err = s.store.ReportOutcomes(ctx, sc, domain.OutcomeMilestone)
			return err
		},
		func() (err error) { f.outcomes.ByYear, err = s.store.OutcomesByYear(ctx, sc); return err },
		func() (err error) { f.teams, err = s.store.TeamFacts(ctx, teams); return err },
		func() (err error) { f.commitments, err = s.store.CommitmentFigures(ctx, sc); return err },
		func() (err error) { totals, err = s.store.ScopeActivityTotals(ctx, sc); return err },
	)
	if err != nil {
		return f, err
	}
	counted := domain.Figures(tallies)
	counted.ServiceList, counted.Milestones, counted.ByYear, counted.Projects.Funding = f.outcomes.ServiceList, f.outcomes.Milestones, f.outcomes.ByYear, funding
	f.outcomes = counted
	f.activities = domain.ActivityFiguresOf(totals)
	return f, nil
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
	var f figures
	var indicators []domain.Indicator
	err = together(
		func() (err error) {
			f, err = s.scopeFigures(ctx, store.ReportScope{PartnershipID: id}, domain.MissionFilter{PartnershipID: id})
			return err
		},
		func() (err error) {
			indicators, _, err = s.store.ListIndicators(ctx, domain.IndicatorFilter{PartnershipID: id, Limit: domain.MaxIndicators})
			return err
		},
	)
	if err != nil {
		return r, err
	}
	r.Outcomes, r.Teams, r.Commitments, r.Activities = f.outcomes, f.teams, f.commitments, f.activities
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
	var f figures
	err = together(
		func() (err error) {
			r.Partnerships, _, err = s.store.ListPartnerships(ctx, domain.PartnershipFilter{ProgramID: id, Limit: domain.MaxPageSize})
			return err
		},
		func() (err error) {
			f, err = s.scopeFigures(ctx, store.ReportScope{ProgramID: id}, domain.MissionFilter{ProgramID: id})
			return err
		},
	)
	if err != nil {
		return r, err
	}
	r.Outcomes, r.Teams, r.Commitments, r.Activities = f.outcomes, f.teams, f.commitments, f.activities
	ids := append([]string{}, pr.SponsorIDs...)
	for _, ps := range r.Partnerships {
		ids = append(ids, ps.ProviderID, ps.RecipientID)
	}
	r.Names, err = s.names(ctx, r.Outcomes, ids...)
	return r, err
}
