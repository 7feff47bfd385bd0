package store

import (
	"context"
	"database/sql"
	"strconv"

	"aidbridge/internal/domain"
)

// ReportScope is what a report is about: one partnership, or every
// partnership of a program. Exactly one is set.
type ReportScope struct {
	PartnershipID string
	ProgramID     string
}

// where returns the condition selecting the scope's rows of a table whose
// partnership column is col, with its argument as $n.
func (sc ReportScope) where(col string, n int) (string, any) {
	if sc.ProgramID != "" {
		return col + " IN (SELECT id FROM partnerships WHERE program_id = $" + itoa(n) + ")", sc.ProgramID
	}
	return col + " = $" + itoa(n), sc.PartnershipID
}

// OutcomeTallies counts the scope's outcomes, grouped by what reports tell
// apart, in one aggregate query. The inner grouping follows the columns of
// the index on outcomes' figures, in its order, so that the database
// counts as it reads the index and sorts only the groups.
func (s *Store) OutcomeTallies(ctx context.Context, sc ReportScope) ([]domain.OutcomeTally, error) {
	cond, arg := sc.where("o.partnership_id", 2)
	var out []domain.OutcomeTally
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, func(r scanner) (domain.OutcomeTally, error) {
			var t domain.OutcomeTally
			return t, r.Scan(&t.Kind, &t.Novelty, &t.Change, &t.Funding, &t.LeadID, &t.SCI, &t.LocalFirst, &t.HighImpact, &t.N)
		}, `SELECT kind, novelty, change, funding, COALESCE(lead_id, ''), sci_indexed, local_first_author, impact_factor_thousandths > $1,
				CAST(SUM(n) AS BIGINT)
			FROM (SELECT o.kind, o.novelty, o.change, o.funding, o.lead_id, o.sci_indexed, o.local_first_author, o.impact_factor_thousandths,
					COUNT(*) AS n
				FROM outcomes o WHERE `+cond+`
				GROUP BY o.partnership_id, o.kind, o.novelty, o.change, o.funding, o.lead_id, o.sci_indexed, o.local_first_author,
					o.impact_factor_thousandths) t
			GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
			ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`, domain.HighImpactFactor.Thousandths, arg)
		return err
	})
	return out, err
}

// OutcomesByYear counts the scope's outcomes by kind and year.
func (s *Store) OutcomesByYear(ctx context.Context, sc ReportScope) ([]domain.YearCount, error) {
	cond, arg := sc.where("o.partnership_id", 1)
	var out []domain.YearCount
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, func(r scanner) (domain.YearCount, error) {
			var y domain.YearCount
			var year string
			if err := r.Scan(&y.Kind, &year, &y.N); err != nil {
				return y, err
			}
			y.Year, _ = strconv.Atoi(year)
			return y, nil
		}, `SELECT o.kind, substr(CAST(o.occurred_on AS TEXT), 1, 4), COUNT(*) FROM outcomes o WHERE `+cond+`
			GROUP BY o.kind, substr(CAST(o.occurred_on AS TEXT), 1, 4) ORDER BY 2, 1`, arg)
		return err
	})
	return out, err
}

// FundedAmounts returns the amounts of the scope's funded research
// projects, one sum per currency, by currency.
func (s *Store) FundedAmounts(ctx context.Context, sc ReportScope) ([]domain.Money, error) {
	cond, arg := sc.where("o.partnership_id", 1)
	var out []domain.Money
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, func(r scanner) (domain.Money, error) {
			var m domain.Money
			return m, r.Scan(&m.Currency, &m.Minor)
		}, `SELECT o.currency, SUM(o.amount_minor) FROM outcomes o WHERE `+cond+` AND o.kind = 'research_project' AND o.funding = 'funded'
			AND o.amount_minor IS NOT NULL GROUP BY o.currency ORDER BY o.currency`, arg)
		return err
	})
	return out, err
}

// ReportOutcomes returns the scope's outcomes of a kind, oldest first, the
// first domain.MaxReportList, for the lists a report names.
func (s *Store) ReportOutcomes(ctx context.Context, sc ReportScope, kind domain.OutcomeKind) ([]domain.Outcome, error) {
	cond, arg := sc.where("o.partnership_id", 2)
	var out []domain.Outcome
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, scanOutcome, `SELECT `+outcomeColumns+` FROM outcomes o WHERE o.kind = $1 AND `+cond+`
			ORDER BY o.occurred_on, o.title, o.id LIMIT `+itoa(domain.MaxReportList), kind, arg)
		if err != nil {
			return err
		}
		ptrs := make([]*domain.Outcome, len(out))
		for i := range out {
			ptrs[i] = &out[i]
		}
		return withOutcomeLists(ctx, db, ptrs)
	})
	return out, err
}

// CommitmentFigures counts the commitments made in the scope and adds up,
// per currency, what was committed and delivered.
func (s *Store) CommitmentFigures(ctx context.Context, sc ReportScope) (domain.CommitmentFigures, error) {
	cond, arg := sc.where("c.partnership_id", 1)
	f := domain.CommitmentFigures{Totals: []domain.CurrencyTotal{}}
	err := s.read(ctx, func(db querier) error {
		rows, err := queryAll(ctx, db, func(r scanner) (domain.CurrencyTotal, error) {
			var t domain.CurrencyTotal
			var n int
			var committed, delivered sql.NullInt64
			err := r.Scan(&t.Currency, &n, &committed, &delivered)
			t.Committed = domain.Money{Minor: committed.Int64, Currency: t.Currency}
			t.Delivered = domain.Money{Minor: delivered.Int64, Currency: t.Currency}
			f.Count += n
			if t.Currency == "" {
				f.Unpriced = n
			}
			return t, err
		}, `SELECT c.currency, COUNT(*), SUM(c.amount_minor), SUM(c.delivered_minor) FROM commitments c WHERE `+cond+`
			GROUP BY c.currency ORDER BY c.currency`, arg)
		for _, t := range rows {
			if t.Currency != "" {
				f.Totals = append(f.Totals, t)
			}
		}
		return err
	})
	return f, err
}
