package main

import (
	"context"
	"database/sql"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"aidbridge/bench/launch"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// call is one measured operation.
type call struct {
	name string
	do   func(ctx context.Context) error
}

// timing is the durations of a call's runs, sorted, and how busy the
// machine was meanwhile.
type timing struct {
	name string
	runs []time.Duration
	busy float64 // share of all cores busy during the recorded runs, 0..1
}

// measure runs c warm times unrecorded, then n times recorded.
func measure(ctx context.Context, c call, warm, n int) (timing, error) {
	t := timing{name: c.name}
	var busy0 time.Duration
	var start time.Time
	for i := range warm + n {
		if i == warm {
			busy0, start = launch.MachineBusy(), time.Now()
		}
		t0 := time.Now()
		if err := c.do(ctx); err != nil {
			return t, err
		}
		if i >= warm {
			t.runs = append(t.runs, time.Since(t0))
		}
	}
	t.busy = float64(launch.MachineBusy()-busy0) / float64(time.Since(start)*time.Duration(runtime.NumCPU()))
	slices.Sort(t.runs)
	return t, nil
}

// pct returns the p-th quantile (0..1) of the runs, nearest rank.
func (t timing) pct(p float64) time.Duration {
	if len(t.runs) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(t.runs)))) - 1
	return t.runs[max(0, min(i, len(t.runs)-1))]
}

// outcomeColumns are the store's (internal/store/outcomes.go).
const outcomeColumns = `o.id, o.partnership_id, COALESCE(o.mission_id, ''), o.kind, o.title, o.occurred_on, o.occurred_precision, o.department, o.notes,
	o.novelty, o.change, COALESCE(o.mentor_id, ''), o.field, o.funder, o.amount_minor, o.currency, o.funding, COALESCE(o.lead_id, ''),
	o.journal, o.sci_indexed, o.impact_factor_thousandths, o.local_first_author, o.milestone, o.grantor,
	o.created_at, o.updated_at, o.version`

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// aggregate is one of the store's report queries with its arguments.
type aggregate struct {
	name string
	sql  string
	args []any
}

// aggregates returns the SQL the store runs for a report of sc and for
// ActivityTotals, word for word as in internal/store/reports.go,
// activities.go and missions.go (TeamFacts), for EXPLAIN.
func aggregates(dialect store.Dialect, sc store.ReportScope) []aggregate {
	where := func(col string, n int) (string, any) {
		if sc.ProgramID != "" {
			return col + " IN (SELECT id FROM partnerships WHERE program_id = $" + strconv.Itoa(n) + ")", sc.ProgramID
		}
		return col + " = $" + strconv.Itoa(n), sc.PartnershipID
	}
	var out []aggregate
	cond, arg := where("o.partnership_id", 2)
	out = append(out, aggregate{"OutcomeTallies", `SELECT kind, novelty, change, funding, COALESCE(lead_id, ''), sci_indexed, local_first_author, impact_factor_thousandths > $1,
				CAST(SUM(n) AS BIGINT)
			FROM (SELECT o.kind, o.novelty, o.change, o.funding, o.lead_id, o.sci_indexed, o.local_first_author, o.impact_factor_thousandths,
					COUNT(*) AS n
				FROM outcomes o WHERE ` + cond + `
				GROUP BY o.partnership_id, o.kind, o.novelty, o.change, o.funding, o.lead_id, o.sci_indexed, o.local_first_author,
					o.impact_factor_thousandths) t
			GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
			ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`, []any{domain.HighImpactFactor.Thousandths, arg}})
	cond, arg = where("o.partnership_id", 1)
	out = append(out, aggregate{"OutcomesByYear", `SELECT o.kind, substr(CAST(o.occurred_on AS TEXT), 1, 4), COUNT(*) FROM outcomes o WHERE ` + cond + `
			GROUP BY o.kind, substr(CAST(o.occurred_on AS TEXT), 1, 4) ORDER BY 2, 1`, []any{arg}})
	out = append(out, aggregate{"FundedAmounts", `SELECT o.currency, SUM(o.amount_minor) FROM outcomes o WHERE ` + cond + ` AND o.kind = 'research_project' AND o.funding = 'funded'
			AND o.amount_minor IS NOT NULL GROUP BY o.currency ORDER BY o.currency`, []any{arg}})
	cond, arg = where("o.partnership_id", 2)
	for _, kind := range []domain.OutcomeKind{domain.OutcomeService, domain.OutcomeMilestone} {
		out = append(out, aggregate{"ReportOutcomes " + string(kind), `SELECT ` + outcomeColumns + ` FROM outcomes o WHERE o.kind = $1 AND ` + cond + `
			ORDER BY o.occurred_on, o.title, o.id LIMIT ` + strconv.Itoa(domain.MaxReportList), []any{kind, arg}})
	}
	cond, arg = where("c.partnership_id", 1)
	out = append(out, aggregate{"CommitmentFigures", `SELECT c.currency, COUNT(*), SUM(c.amount_minor), SUM(c.delivered_minor) FROM commitments c WHERE ` + cond + `
			GROUP BY c.currency ORDER BY c.currency`, []any{arg}})
	team := "m.partnership_id = $1"
	if sc.ProgramID != "" {
		team = "ps.program_id = $1"
	}
	year := "CAST(substr(m.starts_on, 1, 4) AS INTEGER)"
	size, from := "(SELECT COUNT(*) FROM team_members tm WHERE tm.mission_id = m.id)", ""
	if dialect == store.Postgres {
		year = "CAST(EXTRACT(YEAR FROM m.starts_on) AS INTEGER)"
		size, from = "COALESCE(t.size, 0)", " LEFT JOIN (SELECT mission_id, COUNT(*) AS size FROM team_members GROUP BY mission_id) t ON t.mission_id = m.id"
	}
	out = append(out, aggregate{"TeamFacts", `SELECT x.year, COUNT(*), COALESCE(SUM(x.size), 0) FROM (
				SELECT ` + year + ` AS year, ` + size + ` AS size
				FROM missions m JOIN partnerships ps ON ps.id = m.partnership_id` + from + ` WHERE m.status IN ('deployed', 'returned') AND ` + team + `
			) x GROUP BY x.year ORDER BY x.year`, []any{sc.PartnershipID + sc.ProgramID}})
	if sc.PartnershipID != "" {
		month := "substr(CAST(done_on AS TEXT), 1, 7)"
		totals := `SELECT kind, ` + month + `, COUNT(*), COALESCE(SUM(count), 0) FROM activities WHERE partnership_id = $1 GROUP BY kind, ` + month
		if dialect == store.Postgres {
			totals = `SELECT kind, substr(CAST(done_on AS TEXT), 1, 7), CAST(SUM(n) AS BIGINT), CAST(SUM(c) AS BIGINT) FROM (
			SELECT kind, done_on, COUNT(*) AS n, COALESCE(SUM(count), 0) AS c FROM activities WHERE partnership_id = $1 GROUP BY kind, done_on
		) d GROUP BY kind, substr(CAST(done_on AS TEXT), 1, 7)`
		}
		out = append(out, aggregate{"ActivityTotals", totals, []any{sc.PartnershipID}})
	}
	return out
}

// explain returns the plan of q: EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL,
// EXPLAIN QUERY PLAN on SQLite.
func explain(ctx context.Context, db *sql.DB, dialect store.Dialect, q string, args []any) ([]string, error) {
	var plan []string
	if dialect == store.Postgres {
		rows, err := db.QueryContext(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+q, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				return nil, err
			}
			plan = append(plan, line)
		}
		return plan, rows.Err()
	}
	rows, err := db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	depth := map[int64]int{0: 0}
	for rows.Next() {
		var id, parent, unused int64
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, err
		}
		depth[id] = depth[parent] + 1
		plan = append(plan, strings.Repeat("  ", depth[id]-1)+"|--"+detail)
	}
	return plan, rows.Err()
}
