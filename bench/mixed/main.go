// Command mixed replays a mix of what aidbridge's users do — the needs board
// with each of its filters, through the API and as a page; the pages of a
// need, an organization, a person and a shipment; pledges, their
// acceptance, shipments, dispatches and receipts; the lead-times report;
// allocation proposals — against the built binary over 1,000,000 needs and
// 100,000 people, on SQLite with one instance and on PostgreSQL with one and
// with two instances on the same database.
//
// Each route is first timed alone; a route already over the goal alone is
// named with its figure and left out of the steps (unless -all). The load is
// then open-loop and stepped up in rate until a route's p99 reaches the goal
// (50 ms) or a request fails; for each step it prints what was achieved, p50
// and p99 per route, the errors and the CPU the machine spent, and at the end
// the tables of BENCHMARKS.md.
//
//	go build -o /tmp/aidbridge ./cmd/aidbridge
//	go run ./bench/mixed -bin /tmp/aidbridge -sqlite-db /tmp/mixed.db -postgres-db bench_mixed_data
//
// A database named with -sqlite-db or -postgres-db is seeded on the first
// run and kept for the next ones; without them, new databases are made and
// removed at the end. Everything stays on 127.0.0.1.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"aidbridge/bench/launch"
)

type config struct {
	bin        string
	configs    []setup
	pgAdmin    string
	sqliteDB   string
	postgresDB string
	shape      seedShape
	rates      []float64
	step       time.Duration
	warmup     time.Duration
	goal       time.Duration
	inflight   int
	prime      int
	reports    int
	all        bool
	quiet      time.Duration
}

// setup is one configuration measured: a database and how many instances
// share it.
type setup struct {
	name      string
	dialect   string
	instances int
}

var setups = map[string]setup{
	"sqlite":    {"SQLite, 1 instance", "sqlite", 1},
	"postgres":  {"PostgreSQL, 1 instance", "postgres", 1},
	"postgres2": {"PostgreSQL, 2 instances", "postgres", 2},
}

func main() {
	var c config
	var configs, rates string
	var timeout time.Duration
	flag.StringVar(&c.bin, "bin", "", "path of the built aidbridge binary (required)")
	flag.StringVar(&configs, "configs", "sqlite,postgres,postgres2", "configurations, comma-separated: sqlite, postgres (one instance), postgres2 (two instances)")
	flag.StringVar(&c.pgAdmin, "postgres", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "postgres:// URL of a loopback server whose user may create databases")
	flag.StringVar(&c.sqliteDB, "sqlite-db", "", "SQLite file to seed once and reuse (empty: a new temporary one)")
	flag.StringVar(&c.postgresDB, "postgres-db", "", "PostgreSQL database, named bench_mixed_..., to seed once and reuse (empty: a new temporary one)")
	flag.IntVar(&c.shape.orgs, "orgs", 2000, "organizations (bench/supply's directory)")
	flag.IntVar(&c.shape.items, "items", 20, "catalog items")
	flag.IntVar(&c.shape.needs, "needs", 1000000, "needs")
	flag.IntVar(&c.shape.people, "people", 100000, "people")
	flag.StringVar(&rates, "rates", "10,25,50,100,150,200,300,400,500,600,800,1000", "request rates per second to step through, comma-separated, rising")
	flag.DurationVar(&c.step, "step", 8*time.Second, "measured time per step")
	flag.DurationVar(&c.warmup, "warmup", 2*time.Second, "unrecorded load at the step's rate before each step")
	flag.DurationVar(&c.goal, "goal", 50*time.Millisecond, "the p99 goal per route")
	flag.IntVar(&c.inflight, "inflight", 1000, "requests outstanding at most; a request due beyond waits, its wait counted")
	flag.IntVar(&c.prime, "prime", 40, "pledges taken through the whole flow before the steps")
	flag.IntVar(&c.reports, "reports", 0, "lead-times reports per step, of the API and of the page each (0: only alone, before the steps)")
	flag.DurationVar(&c.quiet, "quiet", 5*time.Second, "before each step, wait up to this long for the machine to be under 25% busy")
	flag.BoolVar(&c.all, "all", false, "keep in the steps the routes that miss the goal alone")
	flag.DurationVar(&timeout, "timeout", 30*time.Minute, "give up after this long, seeding included")
	flag.Parse()
	for _, s := range strings.Split(configs, ",") {
		st, ok := setups[strings.TrimSpace(s)]
		if !ok {
			usage("-configs: unknown configuration %q", s)
		}
		c.configs = append(c.configs, st)
	}
	prev := 0.0
	for _, r := range strings.Split(rates, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(r), 64)
		if err != nil || v < 1 || v > 20000 || v <= prev {
			usage("-rates %q: give rising numbers from 1 to 20000", rates)
		}
		c.rates, prev = append(c.rates, v), v
	}
	switch {
	case c.bin == "":
		usage("-bin is required")
	case c.shape.orgs < 1+hospitalOrgs || c.shape.orgs > 100000 || c.shape.items < 1 || c.shape.items > 1000:
		usage("-orgs from %d to 100000, -items from 1 to 1000", 1+hospitalOrgs)
	case c.shape.needs < 1000 || c.shape.needs > 10000000 || c.shape.people < c.shape.orgs || c.shape.people > 10000000:
		usage("-needs from 1000 to 10000000, -people from -orgs to 10000000")
	case c.step <= 0 || c.step > time.Minute || c.warmup < 0 || c.warmup > time.Minute || c.quiet < 0 || c.quiet > time.Minute:
		usage("-step above 0; -step, -warmup and -quiet at most 1m")
	case c.inflight < 1 || c.inflight > 10000 || c.prime < 1 || c.prime > 10000 || c.reports < 0 || c.reports > 10:
		usage("-inflight from 1 to 10000, -prime from 1 to 10000, -reports from 0 to 10")
	}
	slog.SetLogLoggerLevel(slog.LevelWarn) // the store logs each migration it applies
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	host, _ := os.Hostname()
	fmt.Printf("mixed: %d needs, %d people, %d organizations, %d items; rates %v/s, %s per step after %s warm-up; goal p99 < %s per route;\n"+
		"  %d CPUs, GOMAXPROCS %d, host %s; started %s\n",
		c.shape.needs, c.shape.people, c.shape.orgs, c.shape.items, c.rates, c.step, c.warmup, c.goal,
		runtime.NumCPU(), runtime.GOMAXPROCS(0), host, time.Now().UTC().Format(time.RFC3339))
	datasets := map[string]*dataset{}
	// Removed before the exit, whatever its status: os.Exit runs no defers.
	cleanup := func() {
		for _, d := range datasets {
			if d.kept {
				fmt.Printf("database kept for the next run: %s\n", d.URL)
			} else if err := d.Cleanup(); err != nil {
				fmt.Fprintln(os.Stderr, "mixed:", err)
			}
		}
	}
	var runs []run
	failed := false
	// The reports alone take long: they are timed once per database.
	reportsAlone := map[string]map[int]aloneFigure{}
	for _, st := range c.configs {
		d, ok := datasets[st.dialect]
		if !ok {
			name := c.sqliteDB
			if st.dialect == "postgres" {
				name = c.postgresDB
			}
			var err error
			if d, err = openDataset(ctx, st.dialect, c.pgAdmin, name); err != nil {
				fmt.Fprintf(os.Stderr, "mixed: %s: %v\n", st.name, err)
				failed = true
				continue
			}
			datasets[st.dialect] = d
		}
		r, err := measure(ctx, c, st, d, reportsAlone[st.dialect])
		if _, ok := reportsAlone[st.dialect]; !ok && r.m != nil && r.alone != nil {
			known := map[int]aloneFigure{}
			for ri, rt := range r.m.routes {
				if rt.weight == 0 {
					known[ri] = aloneFigure{r.alone[ri], r.aloneFailed[ri]}
				}
			}
			reportsAlone[st.dialect] = known
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "mixed: %s: %v\n", st.name, err)
			failed = true
		}
		if len(r.steps) > 0 {
			runs = append(runs, r)
		}
	}
	report(c, runs)
	cleanup()
	if failed {
		os.Exit(1)
	}
}

func usage(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "mixed: "+format+"\n", args...)
	flag.Usage()
	os.Exit(2)
}

// run is the outcome of one configuration.
type run struct {
	setup setup
	m     *mix
	steps []stepResult
	busy  []float64       // the machine's busy share before each step
	alone []time.Duration // one request of each route with nothing else running
	// aloneFailed says, by route, why its request alone failed.
	aloneFailed map[int]string
	best        int // the last step within the goal, -1: none
}

// measure seeds or reuses the database, starts the instances, primes the
// flow and steps the load up until it leaves the goal.
func measure(ctx context.Context, c config, st setup, d *dataset, known map[int]aloneFigure) (run, error) {
	r := run{setup: st, best: -1}
	f, err := prepare(ctx, d, c.shape)
	if err != nil {
		return r, err
	}
	var apps []*launch.Process
	defer func() {
		for _, a := range apps {
			if err := a.Stop(); err != nil {
				fmt.Fprintln(os.Stderr, "mixed:", err)
			}
			printErrors(a)
		}
	}()
	var bases []string
	var pids []int
	for range st.instances {
		// The first start on a database seeded by an older store applies the
		// newer migrations over the million needs: give it time.
		a, err := launch.Start(c.bin, d.URL, 15*time.Minute, "--log-level", "warn")
		if err != nil {
			return r, err
		}
		apps = append(apps, a)
		bases, pids = append(bases, a.URL), append(pids, a.PID())
		fmt.Printf("%s: aidbridge pid %d at %s, ready in %s\n", st.name, a.PID(), a.URL, a.Ready.Round(time.Millisecond))
	}
	tr := &http.Transport{MaxIdleConns: c.inflight, MaxIdleConnsPerHost: c.inflight, IdleConnTimeout: 30 * time.Second, DisableCompression: true}
	defer tr.CloseIdleConnections()
	r.m = newMix(f, &http.Client{Transport: tr, Timeout: 2 * time.Minute}, c.reports)
	if err := r.m.prime(ctx, bases[0], c.prime); err != nil {
		return r, fmt.Errorf("prime: %w", err)
	}
	r.alone, r.aloneFailed = r.m.alone(ctx, bases[0], known)
	var slow []string
	for ri, d := range r.alone {
		why, bad := r.aloneFailed[ri]
		if d < c.goal && !bad {
			continue
		}
		if bad {
			slow = append(slow, fmt.Sprintf("%s failed: %s", r.m.routes[ri].name, why))
		} else {
			slow = append(slow, fmt.Sprintf("%s %.0f ms", r.m.routes[ri].name, ms(d)))
		}
		if !c.all {
			r.m.leaveOut(ri)
		}
	}
	what := "left out of the steps"
	if c.all {
		what = "kept in the steps (-all)"
	}
	fmt.Printf("  every route alone (median of 5, reports once per database): over the goal or failed, %s: %s\n", what, orNone(slow))
	for i, rate := range c.rates {
		if ctx.Err() != nil {
			return r, ctx.Err()
		}
		busy := busyBefore(c.quiet)
		s := runStep(ctx, r.m, bases, pids, rate, c.warmup, c.step, c.inflight, uint64(i+1))
		r.steps, r.busy = append(r.steps, s), append(r.busy, busy)
		errors := s.total(func(x routeStats) int { return x.failed })
		var over []string
		for ri, x := range s.routes {
			if len(x.lat) > 0 && pct(x.lat, .99) >= c.goal {
				over = append(over, fmt.Sprintf("%s %.0f ms", r.m.routes[ri].name, ms(pct(x.lat, .99))))
			}
		}
		within := errors == 0 && len(over) == 0
		fmt.Printf("  %-24s %6.0f/s due: %6.0f/s answered, %d errors, %d refused (409), %d skipped, %d in flight at the end; CPU %s, %.0f%% busy before\n",
			st.name, rate, s.throughput(), errors, s.total(func(x routeStats) int { return x.refused }), s.total(func(x routeStats) int { return x.skipped }),
			s.inflight, s.cpu, busy)
		if len(over) > 0 {
			fmt.Printf("      p99 over the goal: %s\n", strings.Join(over, "; "))
		}
		for ri, x := range s.routes {
			if x.failed > 0 {
				fmt.Printf("      %s: %d errors, the first: %s\n", r.m.routes[ri].name, x.failed, x.firstErr)
			}
		}
		if !within {
			break
		}
		r.best = i
	}
	return r, nil
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, "; ")
}

// printErrors prints the first error lines an instance logged, which
// explain its 500s.
func printErrors(a *launch.Process) {
	n := 0
	for _, line := range strings.Split(a.Log(), "\n") {
		if !strings.Contains(line, `"level":"ERROR"`) {
			continue
		}
		if n++; n <= 5 {
			fmt.Printf("aidbridge pid %d logged: %s\n", a.PID(), line)
		}
	}
	if n > 5 {
		fmt.Printf("aidbridge pid %d logged %d error lines in all\n", a.PID(), n)
	}
}
