// Command supply measures the supply side of the built aidbridge binary on
// SQLite and PostgreSQL, through its JSON API and its pages:
//
//   - pledges per second from 100 concurrent clients (POST
//     /api/v1/needs/{id}/pledges, one unit each) to one hot need, to 1,000
//     distinct needs, and to a need of 1,000 units that runs out, checking
//     afterwards through the API that every need shows as pledged exactly
//     what was answered 201, and for the scarce one that pledged = quantity;
//   - the latency of the needs board over 1,000,000 needs with every filter
//     its page offers (the status choices "waiting", "all" and one status,
//     each alone and with an item, a country, an urgency, an organization,
//     and together), the first page and a page reached by its cursor, through
//     GET /api/v1/needs with a token and through the page GET /needs with a
//     session cookie, against a p99 goal of 50 ms, with the SQL's plans.
//
// With -before, a second binary is measured first on the same data, with
// the schema rolled back to before a migration (-down); -bin then applies it
// again. With -reuse, the seeded databases are kept and used by the next
// run; otherwise they are new and removed at the end.
//
// Organizations, items, the pledge runs' needs and the user with its token
// and session are created through the store; the million board needs are
// bulk-inserted with SQL of our own. Everything stays on 127.0.0.1. Run it
// so:
//
//	go build -o /tmp/aidbridge ./cmd/aidbridge
//	go run ./bench/supply -bin /tmp/aidbridge -db sqlite,postgres
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"aidbridge/bench/launch"
)

type config struct {
	bin            string
	dbs            []string
	pgAdmin        string
	orgs, items    int
	needs          int
	spread         int
	bigQuantity    int64
	scarce         int64
	clients        int
	duration       time.Duration
	warmup         time.Duration
	scarceDuration time.Duration
	boardClients   int
	boardDuration  time.Duration
	boardWarmup    time.Duration
	quiet          time.Duration
	candidate      []string
	goal           time.Duration
	keep           bool
	reuse          string         // a database kept between runs
	before         string         // a binary measured first, on the schema before migration 00017
	down           string         // the migration file whose Down section takes the schema there
	boardMatch     *regexp.Regexp // the board cases measured
	beforeMatch    *regexp.Regexp // the board cases measured with the -before binary
	pledges        bool
}

func main() {
	var c config
	var dbs, try string
	var timeout time.Duration
	flag.StringVar(&c.bin, "bin", "", "path of the built aidbridge binary (required)")
	flag.StringVar(&dbs, "db", "sqlite,postgres", "databases to measure, comma-separated: sqlite, postgres")
	flag.StringVar(&c.pgAdmin, "postgres", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "postgres:// URL of a loopback server whose user may create databases")
	flag.IntVar(&c.orgs, "orgs", 2000, "organizations")
	flag.IntVar(&c.items, "items", 20, "catalog items")
	flag.IntVar(&c.needs, "needs", 1000000, "needs bulk-inserted for the board")
	flag.IntVar(&c.spread, "spread", 1000, "distinct needs the second pledge case spreads over")
	flag.Int64Var(&c.bigQuantity, "quantity", 10000000, "quantity of the needs that must not run out")
	flag.Int64Var(&c.scarce, "scarce", 1000, "quantity of the need that runs out")
	flag.IntVar(&c.clients, "clients", 100, "concurrent pledging clients")
	flag.DurationVar(&c.duration, "duration", 10*time.Second, "measured time per pledge case")
	flag.DurationVar(&c.warmup, "warmup", 2*time.Second, "unrecorded load before each pledge case (not before the scarce one)")
	flag.DurationVar(&c.scarceDuration, "scarce-duration", 4*time.Second, "measured time of the case that runs out")
	flag.IntVar(&c.boardClients, "board-clients", 8, "concurrent board clients")
	flag.DurationVar(&c.boardDuration, "board-duration", 10*time.Second, "measured time per board filter")
	flag.DurationVar(&c.boardWarmup, "board-warmup", time.Second, "unrecorded load before each board filter")
	flag.DurationVar(&c.quiet, "quiet", 10*time.Second, "before each run, wait up to this long for the machine to be under 25% busy (0: do not wait)")
	flag.DurationVar(&c.goal, "goal", 50*time.Millisecond, "the board's p99 goal")
	flag.StringVar(&try, "candidate", "", "SQL statements, separated by ';', run on the benchmark database after the first board runs and the pledges, after which the board is measured again (empty: none)")
	flag.DurationVar(&timeout, "timeout", 15*time.Minute, "give up after this long")
	flag.BoolVar(&c.keep, "keep", false, "keep the databases for a look afterwards (SQLite file, PostgreSQL database); print where they are")
	flag.StringVar(&c.reuse, "reuse", "", "keep the seeded databases between runs under this name: the SQLite file NAME.db, the PostgreSQL database base(NAME); seeded on the first run, reused after")
	flag.StringVar(&c.before, "before", "", "a binary to measure first, on the schema as it was before the migration of -down (rolled back for it); -bin then applies that migration again")
	flag.StringVar(&c.down, "down", "internal/store/migrations/%s/00017_needs_country.sql", "the migration -before rolls back (%s: the dialect)")
	match := flag.String("board", "", "measure only the board cases whose name matches this regular expression")
	beforeMatch := flag.String("before-board", "", "with -before, measure only these board cases with that binary (default: those of -board)")
	flag.BoolVar(&c.pledges, "pledges", true, "run the pledge cases")
	profile := flag.String("cpuprofile", "", "write this process's CPU profile to the file")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			usage("-cpuprofile: %v", err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	c.dbs = strings.Split(dbs, ",")
	if *match != "" {
		var err error
		if c.boardMatch, err = regexp.Compile(*match); err != nil {
			usage("-board: %v", err)
		}
	}
	c.beforeMatch = c.boardMatch
	if *beforeMatch != "" {
		var err error
		if c.beforeMatch, err = regexp.Compile(*beforeMatch); err != nil {
			usage("-before-board: %v", err)
		}
	}
	for _, s := range strings.Split(try, ";") {
		if s = strings.TrimSpace(s); s != "" {
			c.candidate = append(c.candidate, s)
		}
	}
	switch {
	case c.bin == "":
		usage("-bin is required")
	case c.orgs < 10 || c.items < 2 || c.needs < 0 || c.spread < 1:
		usage("-orgs at least 10, -items at least 2, -spread at least 1")
	case c.clients < 1 || c.clients > 1000 || c.boardClients < 1 || c.boardClients > 1000:
		usage("-clients and -board-clients: 1 to 1000")
	case c.duration <= 0 || c.duration > time.Minute || c.boardDuration <= 0 || c.boardDuration > time.Minute || c.scarceDuration <= 0:
		usage("-duration, -board-duration, -scarce-duration: above zero, at most 1m")
	}
	slog.SetLogLoggerLevel(slog.LevelWarn) // the store logs each migration it applies
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	fmt.Printf("supply: %d organizations, %d items, %d board needs; pledges: %d clients, %s after %s warm-up (scarce need: %d units, %s);\n"+
		"board: %d clients, %s after %s warm-up; GOMAXPROCS %d; started %s\n",
		c.orgs, c.items, c.needs, c.clients, c.duration, c.warmup, c.scarce, c.scarceDuration,
		c.boardClients, c.boardDuration, c.boardWarmup, runtime.GOMAXPROCS(0), time.Now().UTC().Format(time.RFC3339))
	var pledges []pledgeRun
	var board []boardRun
	failed := false
	for _, db := range c.dbs {
		p, b, err := measureDB(ctx, c, strings.TrimSpace(db))
		pledges, board = append(pledges, p...), append(board, b...)
		if err != nil {
			fmt.Fprintf(os.Stderr, "supply: %s: %v\n", db, err)
			failed = true
		}
	}
	report(c, pledges, board)
	for _, p := range pledges {
		failed = failed || !p.checkOK
	}
	if failed {
		os.Exit(1)
	}
}

func usage(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "supply: "+format+"\n", args...)
	flag.Usage()
	os.Exit(2)
}

// measureDB prepares a database of the dialect; measures the -before
// binary's board and pledges on the schema before the migration of -down
// when asked; then starts aidbridge on it and runs the board, the pledge
// cases, and the board again with each candidate index.
func measureDB(ctx context.Context, c config, dialect string) ([]pledgeRun, []boardRun, error) {
	d, err := newDataset(ctx, dialect, c)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if c.keep || c.reuse != "" {
			fmt.Printf("%s: database kept: %s\n", dialect, d.URL)
			return
		}
		if err := d.Cleanup(); err != nil {
			fmt.Fprintln(os.Stderr, "supply:", err)
		}
	}()
	f, err := createFixtures(ctx, d, c)
	if err != nil {
		return nil, nil, err
	}
	if f.seeded >= c.needs {
		fmt.Printf("%s: %d board needs of an earlier run reused\n", dialect, f.seeded)
	} else if err := bulkNeeds(ctx, d, f, c.needs); err != nil {
		return nil, nil, err
	}
	db, err := openDataset(d)
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()

	var pledges []pledgeRun
	var board []boardRun
	if c.before != "" {
		if err := rollBack(ctx, db, d, c.down); err != nil {
			return nil, nil, err
		}
		bc := c
		bc.boardMatch = c.beforeMatch
		p, b, err := measureBinary(ctx, bc, d, nil, c.before, "before", f, f.pledge[1])
		pledges, board = append(pledges, p...), append(board, b...)
		if err != nil {
			return pledges, board, err
		}
	}
	p, b, err := measureBinary(ctx, c, d, db, c.bin, "after", f, f.pledge[0])
	return append(pledges, p...), append(board, b...), err
}

// measureBinary starts bin on the dataset and measures the board, the pledge
// cases, and the board again with each candidate index; db, when not nil,
// times and explains the board's SQL.
func measureBinary(ctx context.Context, c config, d *dataset, db *sql.DB, bin, name string, f *fixtures, ns pledgeNeeds) ([]pledgeRun, []boardRun, error) {
	dialect := string(d.Dialect)
	app, err := launch.Start(bin, d.URL, 5*time.Minute, "--log-level", "warn")
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if err := app.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "supply:", err)
		}
	}()
	fmt.Printf("%s: %s: aidbridge pid %d at %s, ready in %s\n", dialect, name, app.PID(), app.URL, app.Ready.Round(time.Millisecond))
	board, err := runBoard(ctx, c, d, db, name, app, f)
	if err != nil {
		return nil, board, err
	}
	var pledges []pledgeRun
	if c.pledges {
		pledges = runPledges(ctx, c, dialect, app, f, ns)
		for i := range pledges {
			pledges[i].binary = name
		}
	}
	if len(c.candidate) > 0 && db != nil {
		if err := applyCandidate(ctx, db, c.candidate); err != nil {
			return pledges, board, err
		}
		more, err := runBoard(ctx, c, d, db, name+", candidate indexes", app, f)
		board = append(board, more...)
		if err != nil {
			return pledges, board, err
		}
	}
	if rss, peak, err := app.Memory(); err == nil {
		fmt.Printf("%s: %s: aidbridge VmRSS %.1f MB, VmHWM %.1f MB after the runs\n", dialect, name, float64(rss)/(1<<20), float64(peak)/(1<<20))
	}
	return pledges, board, nil
}

// rollBack runs the Down section of the migration file (path, with %s for
// the dialect) on the dataset and forgets that it was applied, unless it is
// not; the store applies it again when it next opens the database.
func rollBack(ctx context.Context, db *sql.DB, d *dataset, path string) error {
	path = fmt.Sprintf(path, d.Dialect)
	text, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	version, err := strconv.ParseInt(strings.SplitN(filepath.Base(path), "_", 2)[0], 10, 64)
	if err != nil {
		return fmt.Errorf("%s: no version in the file name", path)
	}
	var applied int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM goose_db_version WHERE version_id = $1", version).Scan(&applied); err != nil {
		return err
	}
	if applied == 0 {
		return nil
	}
	_, down, ok := strings.Cut(string(text), "-- +goose Down")
	if !ok {
		return fmt.Errorf("%s: no Down section", path)
	}
	t0 := time.Now()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, stmt := range strings.Split(down, ";") {
		if stmt = strings.TrimSpace(stmt); stmt != "" {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("%s: %w", stmt, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM goose_db_version WHERE version_id = $1", version); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	fmt.Printf("%s: migration %d rolled back in %s\n", d.Dialect, version, time.Since(t0).Round(time.Millisecond))
	return nil
}

// applyCandidate runs the candidate statements on the benchmark database
// and analyzes it again.
func applyCandidate(ctx context.Context, db *sql.DB, stmts []string) error {
	for _, s := range stmts {
		t0 := time.Now()
		if _, err := db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
		fmt.Printf("  %s: %s\n", time.Since(t0).Round(time.Millisecond), s)
	}
	t0 := time.Now()
	if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		return err
	}
	fmt.Printf("  %s: ANALYZE\n", time.Since(t0).Round(time.Millisecond))
	return nil
}

// cpuNote says how busy the machine was during a run and on what, in
// shares of all its cores, and how busy it was just before.
func cpuNote(r result) string {
	u := r.cpu
	return fmt.Sprintf("%.0f%% (%.0f, %.0f, %.0f, %.0f); %.0f%% before", 100*u.busy(), 100*u.share(u.app), 100*u.share(u.pg),
		100*u.share(u.self), 100*u.other(), 100*r.quiet)
}

// report prints the results as Markdown.
func report(c config, pledges []pledgeRun, board []boardRun) {
	if len(pledges) > 0 {
		fmt.Printf("\n### Pledges: %d clients, one unit per pledge; %s per case after %s warm-up (the scarce case: %s, no warm-up)\n\n",
			c.clients, c.duration, c.warmup, c.scarceDuration)
		fmt.Println("| database | binary | case | created (201) /s | p50 ms | p99 ms | refused (409) | 409 p50 ms | 409 p99 ms | all answers /s | errors | invariant after the run | CPU: machine busy (aidbridge, PostgreSQL, load, other) |")
		fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
		for _, p := range pledges {
			r := p.res
			fmt.Printf("| %s | %s | %s | %.0f | %.2f | %.2f | %d | %.2f | %.2f | %.0f | %d | %s | %s |\n", p.dialect, p.binary, p.name, r.rps(),
				ms(pct(r.ok, .5)), ms(pct(r.ok, .99)), len(r.refused), ms(pct(r.refused, .5)), ms(pct(r.refused, .99)), r.allRPS(), r.errors, p.check, cpuNote(r))
		}
	}
	if len(board) > 0 {
		reportBoard(c, board)
	}
}

// reportBoard prints the board's runs as Markdown: per database, binary and
// filter, p50 / p99 of the first and a later page through the API and the
// page, what the page adds to the API's p50, and the plans.
func reportBoard(c config, board []boardRun) {
	fmt.Printf("\n### Needs board over %d needs, pages of %d: %d clients, %s per run after %s warm-up; goal p99 < %s\n\n",
		c.needs, boardLimit, c.boardClients, c.boardDuration, c.boardWarmup, c.goal)
	fmt.Println("Latencies p50 / p99 in ms; \"page adds\" is the page's p50 minus the API's, first / later page.")
	fmt.Println()
	fmt.Println("| database | binary | filter | API, first | page, first | API, later | page, later | page adds | SQL alone first / later | p99 goal | CPU busy, first page |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|")
	type key struct{ dialect, binary, name string }
	var order []key
	runs := map[key]map[[2]bool]boardRun{}
	for _, b := range board {
		k := key{b.dialect, b.binary, b.name}
		if runs[k] == nil {
			runs[k] = map[[2]bool]boardRun{}
			order = append(order, k)
		}
		runs[k][[2]bool{b.later, b.page}] = b
	}
	for _, k := range order {
		rs := runs[k]
		cell := func(later, page bool) string {
			b, ok := rs[[2]bool{later, page}]
			if !ok {
				return "—"
			}
			return fmt.Sprintf("%.1f / %.1f", ms(pct(b.res.ok, .5)), ms(pct(b.res.ok, .99)))
		}
		adds := func(later bool) string {
			a, okA := rs[[2]bool{later, false}]
			p, okP := rs[[2]bool{later, true}]
			if !okA || !okP {
				return "—"
			}
			return fmt.Sprintf("%.2f", ms(pct(p.res.ok, .5)-pct(a.res.ok, .5)))
		}
		bare := func(later bool) string {
			if b, ok := rs[[2]bool{later, false}]; ok && b.bare > 0 {
				return fmt.Sprintf("%.2f", ms(b.bare))
			}
			return "—"
		}
		goal := "met"
		for _, b := range rs {
			if pct(b.res.ok, .99) >= c.goal || b.res.errors > 0 || len(b.res.ok) == 0 {
				goal = "**missed**"
			}
		}
		cpu := ""
		if b, ok := rs[[2]bool{false, false}]; ok {
			cpu = cpuNote(b.res)
		}
		fmt.Printf("| %s | %s | %s | %s | %s | %s | %s | %s / %s | %s / %s | %s | %s |\n", k.dialect, k.binary, k.name,
			cell(false, false), cell(false, true), cell(true, false), cell(true, true), adds(false), adds(true), bare(false), bare(true), goal, cpu)
	}
	fmt.Println("\n### Plans of the board's SQL (one drawn filter; first page, then a later one)")
	for _, b := range board {
		if b.page || len(b.plan) == 0 {
			continue
		}
		which := "first page"
		if b.later {
			which = "later page"
		}
		fmt.Printf("\n%s, %s, %s, %s:\n\n```\n%s\n```\n", b.dialect, b.binary, b.name, which, strings.Join(b.plan, "\n"))
	}
}
