package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"aidbridge/bench/launch"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// boardFilter is one request of the needs board, as the board page's form
// writes it: a status choice ("" for the needs still waiting, "all" for
// every status, or one status), an item, a country, an urgency and an
// organization (the page's links from an organization narrow it so).
type boardFilter struct {
	status, item, country, urgency, org string
}

// boardCase is a filter combination; each request draws its values at
// random.
type boardCase struct {
	name   string
	filter func(rng *rand.Rand, f *fixtures) boardFilter
}

// needStatuses are the status choices of the board page besides "waiting"
// and "all".
var needStatuses = []string{"open", "partially_pledged", "pledged", "partially_delivered", "fulfilled", "cancelled"}

// boardCases are every status choice of the board page (waiting, all, one
// status) with every narrowing it offers, alone and together.
var boardCases = func() []boardCase {
	modes := []struct {
		name string
		draw func(rng *rand.Rand) string
	}{
		{"waiting", func(*rand.Rand) string { return "" }},
		{"all", func(*rand.Rand) string { return "all" }},
		{"status=S", func(rng *rand.Rand) string { return needStatuses[rng.IntN(len(needStatuses))] }},
	}
	item := func(rng *rand.Rand, f *fixtures) string { return f.items[rng.IntN(len(f.items))] }
	country := func(rng *rand.Rand, f *fixtures) string { return f.countries[rng.IntN(len(f.countries))] }
	urgency := func(rng *rand.Rand) string { return string(domain.Urgencies[rng.IntN(len(domain.Urgencies))]) }
	narrow := []struct {
		name string
		set  func(rng *rand.Rand, f *fixtures, b *boardFilter)
	}{
		{"", func(*rand.Rand, *fixtures, *boardFilter) {}},
		{"item=I", func(rng *rand.Rand, f *fixtures, b *boardFilter) { b.item = item(rng, f) }},
		{"country=C", func(rng *rand.Rand, f *fixtures, b *boardFilter) { b.country = country(rng, f) }},
		{"urgency=U", func(rng *rand.Rand, f *fixtures, b *boardFilter) { b.urgency = urgency(rng) }},
		{"item=I&country=C", func(rng *rand.Rand, f *fixtures, b *boardFilter) { b.item, b.country = item(rng, f), country(rng, f) }},
		{"item=I&country=C&urgency=U", func(rng *rand.Rand, f *fixtures, b *boardFilter) {
			b.item, b.country, b.urgency = item(rng, f), country(rng, f), urgency(rng)
		}},
		{"organization=O", func(rng *rand.Rand, f *fixtures, b *boardFilter) { b.org = f.orgs[rng.IntN(len(f.orgs))] }},
	}
	var out []boardCase
	for _, m := range modes {
		for _, n := range narrow {
			name := m.name
			if n.name != "" {
				name += "&" + n.name
			}
			out = append(out, boardCase{name, func(rng *rand.Rand, f *fixtures) boardFilter {
				b := boardFilter{status: m.draw(rng)}
				n.set(rng, f, &b)
				return b
			}})
		}
	}
	return out
}()

// boardLimit is the page size: the board page's, asked of the API too, so
// that both answer the same needs.
const boardLimit = 25

// apiURL is the request of the JSON API for b, from the cursor.
func (b boardFilter) apiURL(base, cursor string) string {
	v := url.Values{"limit": {strconv.Itoa(boardLimit)}}
	switch b.status {
	case "":
		v.Set("open", "true")
	case "all":
	default:
		v.Set("status", b.status)
	}
	b.set(v, cursor)
	return base + "/api/v1/needs?" + v.Encode()
}

// pageURL is the board page's address for b, from the cursor.
func (b boardFilter) pageURL(base, cursor string) string {
	v := url.Values{}
	if b.status != "" {
		v.Set("status", b.status)
	}
	b.set(v, cursor)
	return base + "/needs?" + v.Encode()
}

func (b boardFilter) set(v url.Values, cursor string) {
	for k, x := range map[string]string{"item_id": b.item, "country": b.country, "urgency": b.urgency, "organization_id": b.org, "cursor": cursor} {
		if x != "" {
			v.Set(k, x)
		}
	}
}

// boardKey is a need's place in the board's order.
type boardKey struct {
	rank int
	date string
	id   string
}

func (k boardKey) String() string { return fmt.Sprintf("%d|%s|%s", k.rank, k.date, k.id) }

// boardQuery is one statement with its arguments.
type boardQuery struct {
	sql  string
	args []any
}

// boardSQL returns the SQL and arguments store.ListNeeds runs for b's page
// after the key (the first page when after is nil): one statement for the
// first page, three ranges in turn for a later one. It copies that
// method's query builder: keep the two in step.
func boardSQL(b boardFilter, after *boardKey) []boardQuery {
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
	if b.org != "" {
		add("n.organization_id = ?", b.org)
	}
	if b.country != "" {
		add("n.country = ?", b.country)
	}
	switch b.status {
	case "":
	case "all":
	default:
		add("n.status = ?", b.status)
	}
	if b.urgency != "" {
		add("n.urgency_rank = ?", domain.UrgencyRank(domain.Urgency(b.urgency)))
	}
	if b.status == "" {
		add("n.status IN ('open', 'partially_pledged', 'pledged', 'partially_delivered')")
	}
	const dateKey = "COALESCE(n.needed_by, '9999-12-31')"
	ranges := [][]string{nil}
	var rangeArgs [][]any
	if after != nil {
		ranges = [][]string{
			{"n.urgency_rank = ?", dateKey + " = ?", "n.id > ?"},
			{"n.urgency_rank = ?", dateKey + " > ?"},
			{"n.urgency_rank > ?"},
		}
		rangeArgs = [][]any{{after.rank, after.date, after.id}, {after.rank, after.date}, {after.rank}}
		if b.urgency != "" {
			ranges = ranges[:2]
		}
	}
	var out []boardQuery
	for i, conds := range ranges {
		w, a := slices.Clone(where), slices.Clone(args)
		for j, c := range conds {
			a = append(a, rangeArgs[i][j])
			w = append(w, strings.Replace(c, "?", "$"+strconv.Itoa(len(a)), 1))
		}
		q := `SELECT n.id, n.organization_id, n.item_id, n.quantity, n.urgency, n.needed_by, n.justification, n.shortage, n.status,
	n.pledged, n.received, n.damaged, n.cancelled_at, n.cancel_reason, n.created_at, n.updated_at, n.version FROM needs n`
		if len(w) > 0 {
			q += " WHERE " + strings.Join(w, " AND ")
		}
		order := "n.urgency_rank, " + dateKey + ", n.id"
		if after != nil && i == 0 {
			order = "n.id" // within the cursor's date
		}
		out = append(out, boardQuery{q + " ORDER BY " + order + " LIMIT " + strconv.Itoa(boardLimit+1), a})
	}
	return out
}

// boardRun is the outcome of one filter combination, one page (first or
// later), through one way in (the API or the page).
type boardRun struct {
	dialect, binary, name string
	later, page           bool
	res                   result
	needs                 int           // needs on the checked page
	bare                  time.Duration // median of the SQL alone, run in this process (0: not run)
	plan                  []string
}

// laterPage is a page after the first: the filter, the cursor the page
// before gave, and the key of that page's last need.
type laterPage struct {
	b      boardFilter
	cursor string
	after  boardKey
}

// laterDepth is how many pages the later-page requests follow the cursor:
// they ask for the page after that many.
const laterDepth = 3

// laterPages draws filters of bc and follows each one's cursor through the
// API for laterDepth pages, or as far as it goes; filters with one page
// only are left out.
func laterPages(ctx context.Context, hc *http.Client, base string, f *fixtures, bc boardCase, seed uint64) ([]laterPage, error) {
	rng := rand.New(rand.NewPCG(seed, 7))
	var out []laterPage
	for range 4 {
		b := bc.filter(rng, f)
		cursor := ""
		var last laterPage
		for range laterDepth {
			p, err := apiPage(ctx, hc, b.apiURL(base, cursor), f)
			if err != nil {
				return nil, err
			}
			if p.NextCursor == "" {
				break
			}
			cursor = p.NextCursor
			last = laterPage{b: b, cursor: cursor, after: keyOf(p.Items[len(p.Items)-1])}
		}
		if last.cursor != "" {
			out = append(out, last)
		}
	}
	return out, nil
}

// runBoard loads the board with each filter combination, first page and a
// later one, through the API and through the page: c.boardClients
// closed-loop clients for c.boardDuration after a warm-up, every latency
// recorded. Before that it checks one answer of each against the filter and
// the board's order, and that the page shows the API's needs; after, when
// db is not nil, it runs the same SQL here, timed and under EXPLAIN.
func runBoard(ctx context.Context, c config, d *dataset, db *sql.DB, binary string, app *launch.Process, f *fixtures) ([]boardRun, error) {
	base := app.URL
	hc := client(c.boardClients)
	defer hc.CloseIdleConnections()
	var out []boardRun
	for i, bc := range boardCases {
		if c.boardMatch != nil && !c.boardMatch.MatchString(bc.name) {
			continue
		}
		probe := bc.filter(rand.New(rand.NewPCG(42, uint64(i))), f)
		first := []laterPage{{b: probe}}
		later, err := laterPages(ctx, hc, base, f, bc, uint64(i))
		if err != nil {
			return out, fmt.Errorf("board %s: follow the cursor: %w", bc.name, err)
		}
		for _, pages := range [][]laterPage{first, later} {
			isLater := len(pages) > 0 && pages[0].cursor != ""
			if len(pages) == 0 {
				fmt.Printf("  %-8s board %-44s no filter drawn has a second page\n", d.Dialect, bc.name+":")
				continue
			}
			n, err := checkBoard(ctx, hc, base, f, pages[0])
			if err != nil {
				return out, fmt.Errorf("board %s (later page %v): %w", bc.name, isLater, err)
			}
			var bare time.Duration
			var plan []string
			if db != nil {
				var after *boardKey
				if isLater {
					after = &pages[0].after
				}
				for _, q := range boardSQL(pages[0].b, after) {
					t, err := timeSQL(ctx, db, q.sql, q.args, 5)
					if err != nil {
						return out, fmt.Errorf("board %s: time the SQL: %w", bc.name, err)
					}
					p, err := explain(ctx, db, d.Dialect, q.sql, q.args)
					if err != nil {
						return out, fmt.Errorf("board %s: explain: %w", bc.name, err)
					}
					bare, plan = bare+t, append(plan, p...)
				}
			}
			for _, page := range []bool{false, true} {
				do := func(ctx context.Context, rng *rand.Rand) (int, error) {
					var u string
					if isLater {
						lp := pages[rng.IntN(len(pages))]
						u = lp.b.apiURL(base, lp.cursor)
						if page {
							u = lp.b.pageURL(base, lp.cursor)
						}
					} else if b := bc.filter(rng, f); page {
						u = b.pageURL(base, "")
					} else {
						u = b.apiURL(base, "")
					}
					status, _, err := f.get(ctx, hc, u, page)
					return status, err
				}
				r := measure(ctx, c, app.PID(), c.boardClients, c.boardWarmup, c.boardDuration, uint64(i), http.StatusOK, do)
				way := "API "
				if page {
					way = "page"
				}
				which := "first"
				if isLater {
					which = "later"
				}
				fmt.Printf("  %-8s %-6s board %-44s %s %s %d clients: %5.0f req/s  p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms  errors %d  needs %d  SQL alone %.2f ms; %s %s\n",
					d.Dialect, binary, bc.name+":", which, way, r.workers, r.rps(), ms(pct(r.ok, .5)), ms(pct(r.ok, .99)), ms(pct(r.ok, 1)), r.errors, n, ms(bare), cpuNote(r), r.firstErr)
				out = append(out, boardRun{dialect: string(d.Dialect), binary: binary, name: bc.name, later: isLater, page: page, res: r, needs: n, bare: bare, plan: plan})
			}
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

type boardPage struct {
	Items      []boardNeed `json:"items"`
	NextCursor string      `json:"next_cursor"`
}

func keyOf(n boardNeed) boardKey {
	date := n.NeededBy
	if date == "" {
		date = "9999-12-31"
	}
	return boardKey{domain.UrgencyRank(domain.Urgency(n.Urgency)), date, n.ID}
}

func apiPage(ctx context.Context, hc *http.Client, u string, f *fixtures) (boardPage, error) {
	var p boardPage
	status, body, err := f.get(ctx, hc, u, false)
	if err != nil {
		return p, err
	}
	if status != http.StatusOK {
		return p, fmt.Errorf("%s: status %d: %s", u, status, body)
	}
	return p, json.Unmarshal(body, &p)
}

// needRow finds the needs of the board page's table.
var needRow = regexp.MustCompile(`<tr data-need="([0-9a-z]+)"`)

// checkBoard asks the API for one page and checks that every need on it
// passes the filter, that the page is in the board's order and after the
// cursor's key; then that the board page lists the same needs in the same
// order. It returns how many needs the page holds.
func checkBoard(ctx context.Context, hc *http.Client, base string, f *fixtures, lp laterPage) (int, error) {
	b := lp.b
	p, err := apiPage(ctx, hc, b.apiURL(base, lp.cursor), f)
	if err != nil {
		return 0, err
	}
	if len(p.Items) == 0 || len(p.Items) > boardLimit {
		return 0, fmt.Errorf("the page holds %d needs", len(p.Items))
	}
	waiting := []string{"open", "partially_pledged", "pledged", "partially_delivered"}
	prev := ""
	if lp.cursor != "" {
		prev = lp.after.String()
	}
	var ids []string
	for _, n := range p.Items {
		switch {
		case b.item != "" && n.ItemID != b.item,
			b.country != "" && f.country[n.OrganizationID] != b.country,
			b.org != "" && n.OrganizationID != b.org,
			b.status == "" && !slices.Contains(waiting, n.Status),
			b.status != "" && b.status != "all" && n.Status != b.status,
			b.urgency != "" && n.Urgency != b.urgency:
			return 0, fmt.Errorf("need %s does not pass the filter: %+v", n.ID, n)
		case prev != "" && prev >= keyOf(n).String():
			return 0, fmt.Errorf("need %s is out of the board's order", n.ID)
		}
		prev = keyOf(n).String()
		ids = append(ids, n.ID)
	}
	status, body, err := f.get(ctx, hc, b.pageURL(base, lp.cursor), true)
	if err != nil {
		return 0, err
	}
	if status != http.StatusOK {
		return 0, fmt.Errorf("the page: status %d", status)
	}
	var shown []string
	for _, m := range needRow.FindAllSubmatch(body, -1) {
		shown = append(shown, string(m[1]))
	}
	if !slices.Equal(shown, ids) {
		return 0, fmt.Errorf("the page shows %d needs %v, the API %d %v", len(shown), shown, len(ids), ids)
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
