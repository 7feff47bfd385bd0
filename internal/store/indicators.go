package store

import (
	"context"
	"database/sql"

	"aidbridge/internal/domain"
)

const indicatorColumns = `i.id, i.partnership_id, i.name, i.rule, i.novelty, i.activity_kind, i.period, i.starts_on, i.ends_on,
	i.baseline, i.target, i.notes, i.created_at, i.updated_at, i.version`

func scanIndicator(row scanner) (domain.Indicator, error) {
	var in domain.Indicator
	err := row.Scan(&in.ID, &in.PartnershipID, &in.Name, &in.Rule, &in.Novelty, &in.ActivityKind, &in.Period, &in.StartsOn, &in.EndsOn,
		&in.Baseline, &in.Target, &in.Notes, &in.CreatedAt, &in.UpdatedAt, &in.Version)
	in.CreatedAt, in.UpdatedAt = in.CreatedAt.UTC(), in.UpdatedAt.UTC()
	in.Entries = []domain.IndicatorEntry{}
	return in, err
}

func findIndicator(ctx context.Context, db querier, id string) (domain.Indicator, error) {
	in, err := scanIndicator(db.QueryRowContext(ctx, `SELECT `+indicatorColumns+` FROM indicators i WHERE i.id = $1`, id))
	if err == sql.ErrNoRows {
		return in, domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "indicator", "ID", id)
	}
	if err != nil {
		return in, err
	}
	return in, withEntries(ctx, db, []*domain.Indicator{&in})
}

// withEntries reads the values entered by hand for the indicators, in the
// order of their periods.
func withEntries(ctx context.Context, db querier, list []*domain.Indicator) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[string]*domain.Indicator{}
	ids := make([]string, len(list))
	for i, in := range list {
		byID[in.ID], ids[i] = in, in.ID
	}
	type row struct {
		indicator string
		e         domain.IndicatorEntry
	}
	in, args := inList("indicator_id", ids, nil)
	rows, err := queryAll(ctx, db, func(r scanner) (row, error) {
		var x row
		err := r.Scan(&x.indicator, &x.e.Period, &x.e.Value, &x.e.UserID, &x.e.EnteredAt)
		x.e.EnteredAt = x.e.EnteredAt.UTC()
		return x, err
	}, `SELECT indicator_id, period, value, user_id, entered_at FROM indicator_entries WHERE `+in+` ORDER BY indicator_id, period`, args...)
	for _, x := range rows {
		ind := byID[x.indicator]
		ind.Entries = append(ind.Entries, x.e)
	}
	return err
}

// FindIndicator returns the indicator with the given id and its entries;
// ENOTFOUND when there is none.
func (s *Store) FindIndicator(ctx context.Context, id string) (domain.Indicator, error) {
	var in domain.Indicator
	err := s.read(ctx, func(db querier) error {
		var err error
		in, err = findIndicator(ctx, db, id)
		return err
	})
	return in, err
}

// indicatorPartnership returns the partnership of in, taking its row for
// the rest of the transaction so that its indicators are counted one
// change at a time; EINVALID on partnership_id when there is none.
func indicatorPartnership(ctx context.Context, tx *sql.Tx, in *domain.Indicator) (domain.Partnership, error) {
	ps, err := findPartnership(ctx, tx, in.PartnershipID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return ps, invalidField("indicator", "partnership_id", domain.MsgNotFound, "What", "partnership", "ID", in.PartnershipID)
	}
	if err != nil {
		return ps, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE partnerships SET id = id WHERE id = $1`, ps.ID)
	return ps, err
}

// roomForIndicator refuses with ECONFLICT one more indicator of a
// partnership that has MaxIndicators.
func roomForIndicator(ctx context.Context, tx *sql.Tx, partnershipID string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM indicators WHERE partnership_id = $1`, partnershipID).Scan(&n); err != nil {
		return err
	}
	if n >= domain.MaxIndicators {
		return domain.Refuse(domain.ECONFLICT, "partnership_id", domain.MsgTooManyIndicators, "Max", domain.MaxIndicators)
	}
	return nil
}

// CreateIndicator validates in, stores it with a new id and audits it
// under the partnership's provider. EINVALID when in is not valid or its
// partnership does not exist; ECONFLICT when the partnership has as many
// indicators as it may.
func (s *Store) CreateIndicator(ctx context.Context, by Actor, in *domain.Indicator) error {
	in.Normalize()
	in.Entries = []domain.IndicatorEntry{}
	if err := in.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		ps, err := indicatorPartnership(ctx, tx, in)
		if err != nil {
			return err
		}
		if err := roomForIndicator(ctx, tx, ps.ID); err != nil {
			return err
		}
		in.ID = newID()
		in.CreatedAt, in.UpdatedAt, in.Version = s.now(), s.now(), 1
		if _, err := tx.ExecContext(ctx, `INSERT INTO indicators (id, partnership_id, name, rule, novelty, activity_kind, period, starts_on, ends_on,
			baseline, target, notes, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			in.ID, in.PartnershipID, in.Name, in.Rule, in.Novelty, in.ActivityKind, in.Period, in.StartsOn, in.EndsOn,
			in.Baseline, in.Target, in.Notes, in.CreatedAt, in.UpdatedAt, in.Version); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, ps.ProviderID, "indicator", in.ID, "create", nil, in)
	})
}

// UpdateIndicator stores in at its version; ECONFLICT when it is stale,
// and EINVALID or ECONFLICT as CreateIndicator when it moves to another
// partnership. The values entered by hand stay; those of periods the
// indicator no longer covers are dropped, and a rule other than entered
// drops them all.
func (s *Store) UpdateIndicator(ctx context.Context, by Actor, in *domain.Indicator) error {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := findIndicator(ctx, tx, in.ID)
		if err != nil {
			return err
		}
		if err := checkVersion("indicator", in.ID, before.Version, in.Version); err != nil {
			return err
		}
		ps, err := indicatorPartnership(ctx, tx, in)
		if err != nil {
			return err
		}
		if in.PartnershipID != before.PartnershipID {
			if err := roomForIndicator(ctx, tx, ps.ID); err != nil {
				return err
			}
		}
		in.CreatedAt, in.UpdatedAt, in.Version = before.CreatedAt, s.now(), before.Version+1
		res, err := tx.ExecContext(ctx, `UPDATE indicators SET partnership_id = $1, name = $2, rule = $3, novelty = $4, activity_kind = $5,
			period = $6, starts_on = $7, ends_on = $8, baseline = $9, target = $10, notes = $11, updated_at = $12, version = $13
			WHERE id = $14 AND version = $15`,
			in.PartnershipID, in.Name, in.Rule, in.Novelty, in.ActivityKind, in.Period, in.StartsOn, in.EndsOn, in.Baseline, in.Target, in.Notes,
			in.UpdatedAt, in.Version, in.ID, before.Version)
		if err := checkUpdated(res, err, "indicator", in.ID); err != nil {
			return err
		}
		keep := map[string]bool{}
		if in.Rule == domain.RuleEntered {
			for _, p := range domain.Periods(in.StartsOn, in.EndsOn, in.Period) {
				keep[p] = true
			}
		}
		in.Entries = []domain.IndicatorEntry{}
		for _, e := range before.Entries {
			if keep[e.Period] {
				in.Entries = append(in.Entries, e)
				continue
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM indicator_entries WHERE indicator_id = $1 AND period = $2`, in.ID, e.Period); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, by, ps.ProviderID, "indicator", in.ID, "update", before, in)
	})
}

// DeleteIndicator removes the indicator with id and its entries at
// version; ECONFLICT when it is stale.
func (s *Store) DeleteIndicator(ctx context.Context, by Actor, id string, version int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := findIndicator(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkVersion("indicator", id, before.Version, version); err != nil {
			return err
		}
		ps, err := findPartnership(ctx, tx, before.PartnershipID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM indicators WHERE id = $1 AND version = $2`, id, version)
		if err := checkUpdated(res, err, "indicator", id); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, ps.ProviderID, "indicator", id, "delete", before, nil)
	})
}

// ListIndicators returns a page of indicators by name, with their
// entries, and the next cursor.
func (s *Store) ListIndicators(ctx context.Context, f domain.IndicatorFilter) ([]domain.Indicator, string, error) {
	cur, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	var q query
	if f.PartnershipID != "" {
		q.add("i.partnership_id = ?", f.PartnershipID)
	}
	if cur.id != "" {
		q.add("(i.name > ? OR (i.name = ? AND i.id > ?))", cur.name, cur.name, cur.id)
	}
	limit := clampLimit(f.Limit)
	var out []domain.Indicator
	err = s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, scanIndicator, `SELECT `+indicatorColumns+` FROM indicators i`+q.clause()+
			` ORDER BY i.name, i.id LIMIT `+itoa(limit+1), q.args...)
		if err != nil {
			return err
		}
		ptrs := make([]*domain.Indicator, len(out))
		for i := range out {
			ptrs[i] = &out[i]
		}
		return withEntries(ctx, db, ptrs)
	})
	if err != nil {
		return nil, "", err
	}
	out, next := pageOf(out, limit, func(in domain.Indicator) (string, string) { return in.Name, in.ID })
	return out, next, nil
}

// EnterIndicatorValue stores value as what period brought to the
// indicator with indicatorID, over any value entered for it before, with
// who entered it and when, and audits the change. ECONFLICT when the
// indicator's values come from the records; EINVALID naming period or
// value when the period is not one of the indicator's or the value is out
// of bounds; ENOTFOUND when there is no such indicator.
func (s *Store) EnterIndicatorValue(ctx context.Context, by Actor, indicatorID, period string, value int64) (domain.Indicator, error) {
	var in domain.Indicator
	err := s.write(ctx, func(tx *sql.Tx) error {
		// The indicator's row is taken first, so that entries and changes
		// of the indicator are made one at a time.
		res, err := tx.ExecContext(ctx, `UPDATE indicators SET id = id WHERE id = $1`, indicatorID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "indicator", "ID", indicatorID)
		}
		before, err := findIndicator(ctx, tx, indicatorID)
		if err != nil {
			return err
		}
		if err := before.CheckEntry(period, value); err != nil {
			return err
		}
		ps, err := findPartnership(ctx, tx, before.PartnershipID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO indicator_entries (indicator_id, period, value, user_id, entered_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (indicator_id, period) DO UPDATE SET value = excluded.value, user_id = excluded.user_id, entered_at = excluded.entered_at`,
			indicatorID, period, value, by.UserID, s.now()); err != nil {
			return err
		}
		if in, err = findIndicator(ctx, tx, indicatorID); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, ps.ProviderID, "indicator", indicatorID, "enter", before, in)
	})
	return in, err
}

// periodKey returns the SQL that writes the period of the date in column
// col as Periods writes it: "2015" for a year, "2015-Q2" for a quarter.
// Both databases write a date as YYYY-MM-DD when it is cast to text, and
// divide integers to an integer.
func periodKey(col string, period domain.IndicatorPeriod) string {
	year := "substr(CAST(" + col + " AS TEXT), 1, 4)"
	if period == domain.PeriodQuarter {
		return year + " || '-Q' || CAST((CAST(substr(CAST(" + col + " AS TEXT), 6, 2) AS INTEGER) + 2) / 3 AS TEXT)"
	}
	return year
}

// IndicatorActuals returns the value of every period of in, 0 where
// nothing counts: for a rule that derives them, counted or summed by the
// database over the partnership's records dated from in's first day to its
// last, both included; for the entered rule, the values entered.
func (s *Store) IndicatorActuals(ctx context.Context, in domain.Indicator) (map[string]int64, error) {
	out := map[string]int64{}
	for _, p := range domain.Periods(in.StartsOn, in.EndsOn, in.Period) {
		out[p] = 0
	}
	if in.Rule == domain.RuleEntered {
		for _, e := range in.Entries {
			if _, ok := out[e.Period]; ok {
				out[e.Period] = e.Value
			}
		}
		return out, nil
	}
	var q query
	var table, key, value string
	if in.Rule == domain.RuleActivities {
		table, key, value = "activities", periodKey("done_on", in.Period), "COALESCE(SUM(count), 0)"
		q.add("partnership_id = ?", in.PartnershipID)
		q.add("kind = ?", in.ActivityKind)
		q.add("done_on >= ?", in.StartsOn)
		q.add("done_on <= ?", in.EndsOn)
	} else {
		table, key, value = "outcomes", periodKey("occurred_on", in.Period), "COUNT(*)"
		q.add("partnership_id = ?", in.PartnershipID)
		q.add("kind = ?", in.Rule.OutcomeKind())
		q.add("occurred_on >= ?", in.StartsOn)
		q.add("occurred_on <= ?", in.EndsOn)
		switch in.Rule {
		case domain.RuleTechniques:
			if in.Novelty != "" {
				q.add("novelty = ?", in.Novelty)
			}
		case domain.RuleResearchProjects:
			q.add("funding = ?", "funded")
		case domain.RuleSCIPublications:
			q.add("sci_indexed = ?", true)
		}
	}
	type row struct {
		period string
		value  int64
	}
	var rows []row
	err := s.read(ctx, func(db querier) error {
		var err error
		rows, err = queryAll(ctx, db, func(r scanner) (row, error) {
			var x row
			return x, r.Scan(&x.period, &x.value)
		}, `SELECT `+key+`, `+value+` FROM `+table+q.clause()+` GROUP BY `+key+` ORDER BY 1`, q.args...)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, x := range rows {
		if _, ok := out[x.period]; ok {
			out[x.period] = x.value
		}
	}
	return out, nil
}

// IndicatorProgress returns in with its value in every period, what was
// reached and whether that meets its target.
func (s *Store) IndicatorProgress(ctx context.Context, in domain.Indicator) (domain.IndicatorProgress, error) {
	actuals, err := s.IndicatorActuals(ctx, in)
	if err != nil {
		return domain.IndicatorProgress{}, err
	}
	return domain.Progress(in, actuals), nil
}
