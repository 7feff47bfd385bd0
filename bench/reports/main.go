// Command reports measures the partnership and program reports over a
// million activity rows and a hundred thousand outcomes, on SQLite and
// PostgreSQL, against a goal of 300 ms each: report.Service.Partnership of
// the partnership that holds the largest share and of a small one,
// report.Service.Program of the program with the most partnerships, and
// store.ActivityTotals of the big partnership and of every partnership of
// the big program; then each aggregate query of the reports on its own. With
// -explain it prints the plan of each.
//
//	go run ./bench/reports -db sqlite
//	go run ./bench/reports -db postgres -explain
//
// The database is new, created through store.Open so that the migrations
// run, filled with seeded rows by SQL of our own (COPY on PostgreSQL), and
// removed at the end. Everything stays on 127.0.0.1.
package main

import (
	"bufio"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"aidbridge/internal/domain"
	"aidbridge/internal/report"
	"aidbridge/internal/store"
)

type config struct {
	dbs      []string
	pgAdmin  string
	shape    shape
	runs     int
	warm     int
	explain  bool
	analyze  bool
	goal     time.Duration
	keep     bool
	parts    bool
	deadline time.Duration
}

func main() {
	var c config
	var dbs string
	flag.StringVar(&dbs, "db", "sqlite", "databases to measure, comma-separated: sqlite, postgres")
	flag.StringVar(&c.pgAdmin, "postgres", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "postgres:// URL of a loopback server whose user may create databases")
	flag.IntVar(&c.shape.programs, "programs", 4, "programs")
	flag.IntVar(&c.shape.partnerships, "partnerships", 200, "partnerships")
	flag.IntVar(&c.shape.bigProgram, "big-program", 120, "partnerships of the big program, the big partnership among them")
	flag.IntVar(&c.shape.missions, "missions", 10, "missions of each partnership but the big one")
	flag.IntVar(&c.shape.bigMissions, "big-missions", 60, "missions of the big partnership")
	flag.IntVar(&c.shape.activities, "activities", 1000000, "activities in all")
	flag.IntVar(&c.shape.bigActivities, "big-activities", 300000, "of which the big partnership's, about")
	flag.IntVar(&c.shape.outcomes, "outcomes", 100000, "outcomes in all")
	flag.IntVar(&c.shape.bigOutcomes, "big-outcomes", 30000, "of which the big partnership's, about")
	flag.Uint64Var(&c.shape.seed, "seed", 1, "seed of the generated rows")
	flag.IntVar(&c.runs, "runs", 30, "measured runs of each call")
	flag.IntVar(&c.warm, "warmup", 3, "unrecorded runs of each call before")
	flag.BoolVar(&c.explain, "explain", false, "print the plan of each aggregate query (EXPLAIN QUERY PLAN; EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL)")
	flag.BoolVar(&c.analyze, "analyze", false, "run ANALYZE on SQLite after loading (PostgreSQL always gets VACUUM (ANALYZE), as autovacuum would do)")
	flag.BoolVar(&c.parts, "parts", true, "also time each aggregate query of the reports on its own")
	flag.DurationVar(&c.goal, "goal", 300*time.Millisecond, "the goal for each call's p95")
	flag.BoolVar(&c.keep, "keep", false, "keep the database for a look afterwards and print where it is")
	flag.DurationVar(&c.deadline, "timeout", 20*time.Minute, "give up after this long")
	flag.Parse()
	c.dbs = strings.Split(dbs, ",")
	sh := c.shape
	switch {
	case sh.programs < 2 || sh.partnerships < 3 || sh.bigProgram < 1 || sh.bigProgram >= sh.partnerships:
		usage("-programs at least 2, -partnerships at least 3, -big-program between 1 and -partnerships")
	case sh.missions < 1 || sh.bigMissions < 1 || sh.missions > 1000 || sh.bigMissions > 1000:
		usage("-missions and -big-missions: 1 to 1000")
	case sh.activities < 1 || sh.outcomes < 1 || sh.bigActivities > sh.activities || sh.bigOutcomes > sh.outcomes || sh.activities > 20000000 || sh.outcomes > 2000000:
		usage("-activities 1 to 20,000,000 and -outcomes 1 to 2,000,000, the big shares no more than those")
	case c.runs < 1 || c.runs > 1000 || c.warm < 0 || c.warm > 100:
		usage("-runs 1 to 1000, -warmup 0 to 100")
	}
	slog.SetLogLoggerLevel(slog.LevelWarn) // the store logs each migration it applies
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, c.deadline)
	defer cancel()

	fmt.Printf("command: %s\n", strings.Join(os.Args, " "))
	fmt.Printf("machine: %s, %d cores, %s %s/%s\n", cpuModel(), runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Printf("date: %s\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	var all []result
	for _, name := range c.dbs {
		r, err := measureDB(ctx, c, strings.TrimSpace(name))
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			os.Exit(1)
		}
		all = append(all, r...)
	}
	fmt.Println()
	fmt.Printf("| database | call | rows in scope | p50 ms | p95 ms | max ms | goal (p95 < %s) | machine busy |\n", c.goal)
	fmt.Println("|---|---|---|---|---|---|---|---|")
	for _, r := range all {
		met := "met"
		if r.t.pct(0.95) >= c.goal {
			met = "**not met**"
		}
		if r.part {
			met = "(part)"
		}
		fmt.Printf("| %s | %s | %s | %.1f | %.1f | %.1f | %s | %.0f%% |\n", r.db, r.t.name, r.scope, ms(r.t.pct(0.5)), ms(r.t.pct(0.95)), ms(r.t.pct(1)), met, 100*r.t.busy)
	}
}

func usage(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "reports: "+format+"\n", args...)
	flag.Usage()
	os.Exit(2)
}

// result is one call's timing on one database.
type result struct {
	db    string
	t     timing
	scope string // how many activities and outcomes the call reads
	part  bool   // one aggregate query of a report, not a call of its own
}

func measureDB(ctx context.Context, c config, dialect string) ([]result, error) {
	d, err := newDataset(ctx, dialect, c.pgAdmin)
	if err != nil {
		return nil, err
	}
	defer func() {
		if c.keep {
			fmt.Printf("%s: kept at %s\n", d.Dialect, d.URL)
			return
		}
		if err := d.Cleanup(); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", d.Dialect, err)
		}
	}()
	start := time.Now()
	s, err := store.Open(ctx, d.URL) // applies the migrations
	if err != nil {
		return nil, err
	}
	defer s.Close()
	w, err := fill(ctx, d, c.shape)
	if err != nil {
		return nil, err
	}
	loaded := time.Since(start)
	db, err := sql.Open(d.Driver, d.DSN)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var after string
	switch {
	case d.Dialect == store.Postgres:
		if _, err := db.ExecContext(ctx, "VACUUM (ANALYZE)"); err != nil {
			return nil, fmt.Errorf("vacuum: %w", err)
		}
		after = ", VACUUM (ANALYZE) "
		var v string
		if err := db.QueryRowContext(ctx, "SHOW server_version").Scan(&v); err == nil {
			fmt.Printf("postgres: server %s\n", v)
		}
	case c.analyze:
		if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
			return nil, fmt.Errorf("analyze: %w", err)
		}
		after = ", ANALYZE "
	}
	if after != "" {
		after += time.Since(start.Add(loaded)).Round(time.Millisecond).String()
	}
	fmt.Printf("%s: loaded in %s%s: %s\n", d.Dialect, loaded.Round(time.Millisecond), after, countsLine(w.counts))

	// What each scope holds, to read the figures by.
	scope := map[string]string{}
	for _, sc := range []struct{ key, cond, arg string }{
		{"big", "partnership_id = $1", w.big}, {"small", "partnership_id = $1", w.small},
		{"program", "partnership_id IN (SELECT id FROM partnerships WHERE program_id = $1)", w.bigProgram},
	} {
		var a, o int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM activities WHERE "+sc.cond, sc.arg).Scan(&a); err != nil {
			return nil, err
		}
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM outcomes WHERE "+sc.cond, sc.arg).Scan(&o); err != nil {
			return nil, err
		}
		scope[sc.key] = fmt.Sprintf("%d activities, %d outcomes", a, o)
	}
	var programPartnerships []string
	for _, p := range w.partnerships {
		if p.program == 0 {
			programPartnerships = append(programPartnerships, p.id)
		}
	}
	scope["each"] = fmt.Sprintf("%d calls, %s", len(programPartnerships), scope["program"])
	for _, k := range []string{"big", "small", "program"} {
		fmt.Printf("%s: %s scope: %s\n", d.Dialect, k, scope[k])
	}

	reports := report.NewService(s)
	u := &domain.User{Meta: domain.Meta{ID: "bench-reader"}, Name: "Bench Reader"}
	calls := []struct {
		call
		scope string
	}{
		{call{"Partnership report, big partnership", func(ctx context.Context) error {
			_, err := reports.Partnership(ctx, u, w.big)
			return err
		}}, "big"},
		{call{"Partnership report, small partnership", func(ctx context.Context) error {
			_, err := reports.Partnership(ctx, u, w.small)
			return err
		}}, "small"},
		{call{"Program report, big program", func(ctx context.Context) error {
			_, err := reports.Program(ctx, u, w.bigProgram)
			return err
		}}, "program"},
		{call{"ActivityTotals, big partnership", func(ctx context.Context) error {
			_, err := s.ActivityTotals(ctx, w.big, domain.Date{}, domain.Date{})
			return err
		}}, "big"},
		{call{"ActivityTotals, small partnership", func(ctx context.Context) error {
			_, err := s.ActivityTotals(ctx, w.small, domain.Date{}, domain.Date{})
			return err
		}}, "small"},
		{call{"ActivityTotals, each partnership of the big program", func(ctx context.Context) error {
			for _, id := range programPartnerships {
				if _, err := s.ActivityTotals(ctx, id, domain.Date{}, domain.Date{}); err != nil {
					return err
				}
			}
			return nil
		}}, "each"},
	}
	var out []result
	for _, cl := range calls {
		t, err := measure(ctx, cl.call, c.warm, c.runs)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", cl.name, err)
		}
		fmt.Printf("%s: %-55s p50 %7.1f ms  p95 %7.1f ms  max %7.1f ms  machine %3.0f%% busy\n", d.Dialect, cl.name, ms(t.pct(0.5)), ms(t.pct(0.95)), ms(t.pct(1)), 100*t.busy)
		out = append(out, result{db: string(d.Dialect), t: t, scope: scope[cl.scope]})
	}

	scopes := []struct {
		name, key string
		sc        store.ReportScope
	}{
		{"big partnership", "big", store.ReportScope{PartnershipID: w.big}},
		{"big program", "program", store.ReportScope{ProgramID: w.bigProgram}},
	}
	for _, sc := range scopes {
		for _, a := range aggregates(d.Dialect, sc.sc) {
			if c.parts {
				t, err := measure(ctx, call{a.name + ", " + sc.name, func(ctx context.Context) error { return drain(ctx, db, a.sql, a.args) }}, c.warm, c.runs)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", a.name, err)
				}
				out = append(out, result{db: string(d.Dialect), t: t, scope: scope[sc.key], part: true})
			}
			if c.explain {
				plan, err := explain(ctx, db, d.Dialect, a.sql, a.args)
				if err != nil {
					return nil, fmt.Errorf("explain %s: %w", a.name, err)
				}
				fmt.Printf("\n%s: plan of %s, %s:\n  %s\n", d.Dialect, a.name, sc.name, strings.Join(plan, "\n  "))
			}
		}
	}
	return out, nil
}

// drain runs q and reads every row.
func drain(ctx context.Context, db *sql.DB, q string, args []any) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	for i := range vals {
		vals[i] = new(any)
	}
	for rows.Next() {
		if err := rows.Scan(vals...); err != nil {
			return err
		}
	}
	return rows.Err()
}

func countsLine(counts map[string]int) string {
	var parts []string
	for _, t := range []string{"organizations", "people", "programs", "partnerships", "commitments", "missions", "team_members", "activities", "outcomes"} {
		parts = append(parts, fmt.Sprintf("%d %s", counts[t], t))
	}
	return strings.Join(parts, ", ")
}

// cpuModel returns the model name /proc/cpuinfo gives, or "unknown CPU".
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}
