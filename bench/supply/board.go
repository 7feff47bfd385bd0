package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"aidbridge/bench/launch"
	"aidbridge/internal/store"
)

// boardFilter is one request of the needs board's first page.
type boardFilter struct {
	item, country, status, urgency string
	open                           bool
}

// boardCase is a filter combination; each request draws its item and
// country at random.
type boardCase struct {
	name   string
	filter func(rng *rand.Rand, f *fixtures) boardFilter
}

var boardCases = []boardCase{
	{"open=true", func(*rand.Rand, *fixtures) boardFilter { return boardFilter{open: true} }},
	{"open=true&item_id=I", func(rng *rand.Rand, f *fixtures) boardFilter {
		return boardFilter{open: true, item: f.items[rng.IntN(len(f.items))]}
	}},
	{"open=true&item_id=I&country=C", func(rng *rand.Rand, f *fixtures) boardFilter {
		return boardFilter{open: true, item: f.items[rng.IntN(len(f.items))], country: f.countries[rng.IntN(len(f.countries))]}
	}},
	{"open=true&item_id=I&urgency=critical", func(rng *rand.Rand, f *fixtures) boardFilter {
		return boardFilter{open: true, item: f.items[rng.IntN(len(f.items))], urgency: "critical"}
	}},
	{"open=true&item_id=I&status=partially_pledged", func(rng *rand.Rand, f *fixtures) boardFilter {
		return boardFilter{open: true, item: f.items[rng.IntN(len(f.items))], status: "partially_pledged"}
	}},
	{"status=partially_pledged", func(*rand.Rand, *fixtures) boardFilter { return boardFilter{status: "partially_pledged"} }},
}

// boardLimit is the page size asked for.
const boardLimit = 50

func (b boardFilter) url(base string) string {
	v := url.Values{"limit": {strconv.Itoa(boardLimit)}}
	if b.open {
		v.Set("open", "true")
	}
	for k, x := range map[string]string{"item_id": b.item, "country": b.country, "status": b.status, "urgency": b.urgency} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return base + "/api/v1/needs?" + v.Encode()
}

// boardSQL returns the SQL and arguments store.ListNeeds runs for b's first
// page. It copies that method's query builder: keep the two in step.
func boardSQL(b boardFilter) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, vals ...any) {
		for _, v := range vals {
			args = append(args, v)
			cond = strings.Replace(cond, "?", "$"+strconv.Itoa(len(args)), 1)
		}
		where = append(where, cond)
	}
	if b.item != "" {
		add("n.item_id = ?", b.item)
	}
	if b.country != "" {
		add("n.organization_id IN (SELECT id FROM organizations WHERE country = ?)", b.country)
	}
	if b.status != "" {
		add("n.status = ?", b.status)
	}
	if b.urgency != "" {
		add("n.urgency = ?", b.urgency)
	}
	if b.open {
		add("n.status IN ('open', 'partially_pledged', 'pledged', 'partially_delivered')")
	}
	q := `SELECT n.id, n.organization_id, n.item_id, n.quantity, n.urgency, n.needed_by, n.justification, n.shortage, n.status,
	n.pledged, n.received, n.damaged, n.cancelled_at, n.cancel_reason, n.created_at, n.updated_at, n.version FROM needs n`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return q + " ORDER BY n.urgency_rank, COALESCE(n.needed_by, '9999-12-31'), n.id LIMIT " + strconv.Itoa(boardLimit+1), args
}

// boardRun is the outcome of one filter combination.
type boardRun struct {
	dialect, schema, name string
	res                   result
	page                  int           // needs on the checked first page
	bare                  time.Duration // median of the SQL alone, run in this process
	plan                  []string
}

// runBoard loads the board's first page with each filter combination:
// c.boardClients closed-loop clients for c.boardDuration after a warm-up,
// every latency recorded. Before that it checks one answer against the
// filter and the board's order; after, it runs the same SQL here, timed and
// under EXPLAIN.
func runBoard(ctx context.Context, c config, d *dataset, db *sql.DB, schema string, app *launch.Process, f *fixtures) ([]boardRun, error) {
	base := app.URL
	hc := client(c.boardClients)
	defer hc.CloseIdleConnections()
	var out []boardRun
	for i, bc := range boardCases {
		probe := bc.filter(rand.New(rand.NewPCG(42, uint64(i))), f)
		page, err := checkPage(ctx, hc, base, f, probe)
		if err != nil {
			return out, fmt.Errorf("board %s: %w", bc.name, err)
		}
		do := func(ctx context.Context, rng *rand.Rand) (int, error) {
			status, _, err := call(ctx, hc, http.MethodGet, bc.filter(rng, f).url(base), f.token, nil)
			return status, err
		}
		rs := []result{measure(ctx, c, app.PID(), c.boardClients, c.boardWarmup, c.boardDuration, uint64(i), http.StatusOK, do)}
		if c.boardSingle > 0 {
			rs = append(rs, measure(ctx, c, app.PID(), 1, 0, c.boardSingle, 100+uint64(i), http.StatusOK, do))
		}
		q, args := boardSQL(probe)
		bare, err := timeSQL(ctx, db, q, args, 5)
		if err != nil {
			return out, fmt.Errorf("board %s: time the SQL: %w", bc.name, err)
		}
		plan, err := explain(ctx, db, d.Dialect, q, args)
		if err != nil {
			return out, fmt.Errorf("board %s: explain: %w", bc.name, err)
		}
		for _, r := range rs {
			fmt.Printf("  %-8s board %-46s %d clients: %6.0f req/s  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  errors %d  page %d  SQL alone %.2f ms; %s %s\n",
				d.Dialect, bc.name+":", r.workers, r.rps(), ms(pct(r.ok, .5)), ms(pct(r.ok, .99)), ms(pct(r.ok, 1)), r.errors, page, ms(bare), cpuNote(r), r.firstErr)
			out = append(out, boardRun{dialect: string(d.Dialect), schema: schema, name: bc.name, res: r, page: page, bare: bare, plan: plan})
		}
	}
	return out, nil
}

// boardNeed is what the board tells of a need.
type boardNeed struct {
	ID             string `json:"id"`
	OrganizationID string `json:"organization_id"`
	ItemID         string `json:"item_id"`
	Urgency        string `json:"urgency"`
	NeededBy       string `json:"needed_by"`
	Status         string `json:"status"`
}

// checkPage asks for one first page and checks that every need on it passes
// the filter and that the page is in the board's order: urgency, needed_by
// with undated needs last, id. It returns how many needs the page holds.
func checkPage(ctx context.Context, hc *http.Client, base string, f *fixtures, b boardFilter) (int, error) {
	status, body, err := call(ctx, hc, http.MethodGet, b.url(base), f.token, nil)
	if err != nil {
		return 0, err
	}
	if status != http.StatusOK {
		return 0, fmt.Errorf("status %d: %s", status, body)
	}
	var p struct {
		Items []boardNeed `json:"items"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return 0, err
	}
	if len(p.Items) == 0 || len(p.Items) > boardLimit {
		return 0, fmt.Errorf("the first page holds %d needs", len(p.Items))
	}
	open := []string{"open", "partially_pledged", "pledged", "partially_delivered"}
	key := func(n boardNeed) string {
		date := n.NeededBy
		if date == "" {
			date = "9999-12-31"
		}
		rank := slices.IndexFunc(urgencies, func(w weighted) bool { return w.name == n.Urgency })
		return strconv.Itoa(rank) + "|" + date + "|" + n.ID
	}
	for i, n := range p.Items {
		switch {
		case b.item != "" && n.ItemID != b.item,
			b.country != "" && f.country[n.OrganizationID] != b.country,
			b.status != "" && n.Status != b.status,
			b.urgency != "" && n.Urgency != b.urgency,
			b.open && !slices.Contains(open, n.Status):
			return 0, fmt.Errorf("need %s does not pass the filter: %+v", n.ID, n)
		case i > 0 && key(p.Items[i-1]) >= key(n):
			return 0, fmt.Errorf("needs %s and %s are out of the board's order", p.Items[i-1].ID, n.ID)
		}
	}
	return len(p.Items), nil
}

// timeSQL runs q n times in this process, reading every row, and returns
// the median duration.
func timeSQL(ctx context.Context, db *sql.DB, q string, args []any, n int) (time.Duration, error) {
	var ds []time.Duration
	for range n {
		t0 := time.Now()
		rows, err := db.QueryContext(ctx, q, args...)
		if err != nil {
			return 0, err
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		for i := range vals {
			vals[i] = new(any)
		}
		for rows.Next() {
			if err := rows.Scan(vals...); err != nil {
				rows.Close()
				return 0, err
			}
		}
		if err := rows.Close(); err != nil {
			return 0, err
		}
		ds = append(ds, time.Since(t0))
	}
	slices.Sort(ds)
	return ds[len(ds)/2], nil
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
