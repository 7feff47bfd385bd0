// Command orgget measures GET /api/v1/organizations/{id} of the built
// aidbridge binary over 100,000 organizations, on SQLite and PostgreSQL, side
// by side with a bare net/http handler that runs the same SQL in this
// process. The load generator is in this process too, with keep-alive
// connections asking for random ids: closed-loop clients, the targets
// measured alternately, then fixed open-loop rates. BENCHMARKS.md has the
// figures and how to read them.
//
//	go build -o /tmp/aidbridge ./cmd/aidbridge
//	go run ./bench/orgget -bin /tmp/aidbridge -db sqlite,postgres
//
// Everything stays on 127.0.0.1; the databases are new and removed at the end.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"time"

	"aidbridge/bench/launch"
	"aidbridge/internal/store"
)

type config struct {
	bin      string
	dbs      []string
	pgAdmin  string
	orgs     int
	workers  []int
	duration time.Duration
	warmup   time.Duration
	rates    []int
	rounds   int
	bareTx   bool
	bareIdle int
	quiet    time.Duration
}

func main() {
	var c config
	var dbs, workers, rates string
	flag.StringVar(&c.bin, "bin", "", "path of the built aidbridge binary (required)")
	flag.StringVar(&dbs, "db", "sqlite,postgres", "databases to measure, comma-separated: sqlite, postgres")
	flag.StringVar(&c.pgAdmin, "postgres", "postgres://postgres@127.0.0.1:5432/postgres", "postgres:// URL of a loopback server whose user may create databases")
	flag.IntVar(&c.orgs, "orgs", 100000, "organizations in the database (1,000 to 1,000,000)")
	flag.StringVar(&workers, "workers", "32,64", "concurrent clients, comma-separated (1 to 256 each)")
	flag.StringVar(&rates, "rates", "500,1000", "open-loop rates in requests per second, comma-separated (10 to 20000 each; empty: none)")
	flag.DurationVar(&c.duration, "duration", 8*time.Second, "measured time per run (at most 60s)")
	flag.DurationVar(&c.warmup, "warmup", 2*time.Second, "unrecorded load before each run")
	flag.IntVar(&c.rounds, "rounds", 2, "runs per target and worker count, alternating bare and app (1 to 5)")
	flag.DurationVar(&c.quiet, "quiet", 30*time.Second, "before each run, wait up to this long for the machine to be under 20% busy (0: do not wait)")
	flag.BoolVar(&c.bareTx, "bare-tx", false, "run the bare handler's two queries in a read transaction, as the store does")
	flag.IntVar(&c.bareIdle, "bare-idle", 0, "idle connections the bare handler's pool keeps (0: all it may open; 2 is database/sql's default, which the store's SQLite read pool has)")
	flag.Parse()
	c.dbs = strings.Split(dbs, ",")
	for _, w := range strings.Split(workers, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(w))
		if err != nil || n < 1 || n > 256 {
			usage("-workers %q: give numbers from 1 to 256", workers)
		}
		c.workers = append(c.workers, n)
	}
	for _, r := range strings.Split(rates, ",") {
		if strings.TrimSpace(r) == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(r))
		if err != nil || n < 10 || n > 20000 {
			usage("-rates %q: give numbers from 10 to 20000", rates)
		}
		c.rates = append(c.rates, n)
	}
	switch {
	case c.bin == "":
		usage("-bin is required")
	case c.orgs < 1000 || c.orgs > 1000000:
		usage("-orgs %d: give 1,000 to 1,000,000", c.orgs)
	case c.duration <= 0 || c.duration > time.Minute || c.warmup < 0 || c.warmup > time.Minute:
		usage("-duration and -warmup: at most 1m each")
	case c.rounds < 1 || c.rounds > 5:
		usage("-rounds %d: give 1 to 5", c.rounds)
	}
	slog.SetLogLoggerLevel(slog.LevelWarn) // the store logs each migration it applies
	fmt.Printf("orgget: %d organizations, workers %v, rates %v, %s per run after %s warm-up, %d rounds, GOMAXPROCS %d, bare-tx %v, bare-idle %d\n",
		c.orgs, c.workers, c.rates, c.duration, c.warmup, c.rounds, runtime.GOMAXPROCS(0), c.bareTx, c.bareIdle)
	failed := false
	for _, db := range c.dbs {
		if err := measure(context.Background(), c, strings.TrimSpace(db)); err != nil {
			fmt.Fprintf(os.Stderr, "orgget: %s: %v\n", db, err)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}

// quietBusy is the share of the machine's CPU that other work may use when a
// run begins.
const quietBusy = 0.2

func usage(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "orgget: "+format+"\n", args...)
	flag.Usage()
	os.Exit(2)
}

// measure prepares a database of the dialect, starts both targets over it,
// loads them and prints the results.
func measure(ctx context.Context, c config, dialect string) error {
	d, err := prepare(ctx, dialect, c.pgAdmin, c.orgs)
	if err != nil {
		return err
	}
	defer func() {
		if err := d.cleanup(); err != nil {
			fmt.Fprintln(os.Stderr, "orgget:", err)
		}
	}()

	app, err := launch.Start(c.bin, d.url, 30*time.Second)
	if err != nil {
		return err
	}
	defer app.Stop()
	db, err := openBare(d, c.bareIdle)
	if err != nil {
		return err
	}
	defer db.Close()
	bareURL, stopBare, err := serveBare(db, c.bareTx)
	if err != nil {
		return err
	}
	defer stopBare()
	fmt.Printf("%s: app pid %d at %s (ready in %s), bare handler at %s\n", dialect, app.PID(), app.URL, app.Ready.Round(time.Millisecond), bareURL)

	targets := []target{
		{name: "bare net/http", url: bareURL},
		{name: "aidbridge", url: app.URL, token: d.token, pid: app.PID()},
	}
	if err := compare(targets, d.ids[0], d.token); err != nil {
		return err
	}
	var backends dbProcs
	if d.dialect == store.Postgres {
		backends = func() []int {
			var pids []int
			rows, err := db.Query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)
			if err != nil {
				return nil
			}
			defer rows.Close()
			for rows.Next() {
				var p int
				if rows.Scan(&p) == nil {
					pids = append(pids, p)
				}
			}
			return pids
		}
	}

	quiet := func() float64 {
		if c.quiet <= 0 {
			return 0
		}
		return waitQuiet(c.quiet, quietBusy)
	}
	var closed, open [][]result // per worker count or rate: bare, app
	for _, w := range c.workers {
		runs := make([][]result, len(targets))
		for round := range c.rounds {
			for i, t := range targets {
				busy := quiet()
				r := load(t, d.ids, w, c.warmup, c.duration, uint64(round*1000+w), backends)
				if busy >= quietBusy {
					r.busy = 1
				}
				fmt.Printf("  %-8s %-13s workers %4d round %d: %6.0f req/s  p50 %6.2f ms  p99 %6.2f ms  p99.9 %6.2f ms  errors %d  (machine %2.0f%% busy before) %s\n",
					dialect, t.name, w, round+1, r.rps(), ms(r.pct(.5)), ms(r.pct(.99)), ms(r.pct(.999)), r.errors, 100*busy, r.firstErr)
				runs[i] = append(runs[i], r)
			}
		}
		closed = append(closed, []result{merge(runs[0]), merge(runs[1])})
	}
	for _, rate := range c.rates {
		var rs []result
		for _, t := range targets {
			busy := quiet()
			r := loadRate(t, d.ids, rate, c.warmup, c.duration, uint64(rate), backends)
			if busy >= quietBusy {
				r.busy = 1
			}
			fmt.Printf("  %-8s %-13s rate %6d/s: %6.0f req/s  p50 %6.2f ms  p99 %6.2f ms  p99.9 %6.2f ms  errors %d  (machine %2.0f%% busy before) %s\n",
				dialect, t.name, rate, r.rps(), ms(r.pct(.5)), ms(r.pct(.99)), ms(r.pct(.999)), r.errors, 100*busy, r.firstErr)
			rs = append(rs, r)
		}
		open = append(open, rs)
	}
	st := db.Stats()
	fmt.Printf("%s: bare handler pool: %d open, %d waits (%s), %d closed as surplus idle\n", dialect, st.OpenConnections,
		st.WaitCount, st.WaitDuration.Round(time.Millisecond), st.MaxIdleClosed)
	if rss, peak, err := app.Memory(); err == nil {
		fmt.Printf("%s: aidbridge VmRSS %.1f MB, VmHWM %.1f MB after the runs\n", dialect, float64(rss)/(1<<20), float64(peak)/(1<<20))
	}
	report(dialect, c, closed, open)
	printErrors(app.Log())
	return nil
}

// printErrors prints the first error lines aidbridge logged, which explain
// its 500s.
func printErrors(log string) {
	n := 0
	for _, line := range strings.Split(log, "\n") {
		if !strings.Contains(line, `"level":"ERROR"`) {
			continue
		}
		if n++; n <= 5 {
			fmt.Println("aidbridge logged:", line)
		}
	}
	if n > 5 {
		fmt.Printf("aidbridge logged %d error lines in all\n", n)
	}
}

// compare fetches one organization from both targets and checks that they
// answer with the same record.
func compare(targets []target, id, token string) error {
	var bodies []map[string]any
	for _, t := range targets {
		req, _ := http.NewRequest(http.MethodGet, t.url+"/api/v1/organizations/"+id, nil)
		if t.token != "" {
			req.Header.Set("Authorization", "Bearer "+t.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s answered %d: %s", t.name, resp.StatusCode, b)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("%s answered no JSON object: %w", t.name, err)
		}
		fmt.Printf("  %s answers %d bytes\n", t.name, len(b))
		bodies = append(bodies, m)
	}
	for _, k := range []string{"id", "name", "kind", "country", "beds_total", "latitude", "longitude", "created_at", "updated_at", "version", "accreditations"} {
		if !reflect.DeepEqual(bodies[0][k], bodies[1][k]) {
			return fmt.Errorf("the targets disagree on %s: %v and %v", k, bodies[0][k], bodies[1][k])
		}
	}
	return nil
}

// report prints the results as Markdown.
func report(dialect string, c config, closed, open [][]result) {
	if len(closed) > 0 {
		fmt.Printf("\n%s, %d organizations, closed loop: %d × %s per target and worker count, alternating; latencies in ms:\n\n", dialect, c.orgs, c.rounds, c.duration)
		table("workers", closed, func(r result) int { return r.workers }, true)
	}
	if len(open) > 0 {
		fmt.Printf("\n%s, %d organizations, open loop: %s per target and rate; latencies in ms from when each request was due:\n\n", dialect, c.orgs, c.duration)
		table("offered/s", open, func(r result) int { return r.rate }, false)
	}
	fmt.Println()
}

// table prints one Markdown table of results, bare then aidbridge for each
// load. The machine's busy share and the CPU of other processes come from
// /proc/stat, whose tick sampling undercounts short bursts on a mostly idle
// machine, so they are printed only for saturating (closed-loop) loads;
// "other" is then mostly kernel time for loopback packets (softirq) and
// whatever else runs on the machine.
func table(load string, all [][]result, key func(result) int, saturated bool) {
	head := "| target | " + load + " | req/s | p50 | p90 | p99 | p99.9 | max | errors | CPU µs/req: aidbridge process | this process | database server |"
	rule := "|---|---|---|---|---|---|---|---|---|---|---|---|"
	if saturated {
		head += " other | machine busy |"
		rule += "---|---|"
	}
	fmt.Println(head)
	fmt.Println(rule)
	cores := float64(runtime.NumCPU())
	for _, rs := range all {
		for _, r := range rs {
			n := float64(max(1, len(r.lat)+r.errors))
			us := func(d time.Duration) string { return fmt.Sprintf("%.0f", float64(d)/float64(time.Microsecond)/n) }
			tgt, dbs := "–", "–"
			if r.cpu.target > 0 {
				tgt = us(r.cpu.target)
			}
			if r.cpu.db > 0 {
				dbs = us(r.cpu.db)
			}
			fmt.Printf("| %s | %d | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %d | %s | %s | %s |",
				r.target, key(r), r.rps(), ms(r.pct(.5)), ms(r.pct(.9)), ms(r.pct(.99)), ms(r.pct(.999)), ms(r.pct(1)),
				r.errors, tgt, us(r.cpu.self), dbs)
			if saturated {
				fmt.Printf(" %s | %.0f%% |", us(max(0, r.cpu.machine-r.cpu.self-r.cpu.target-r.cpu.db)),
					100*float64(r.cpu.machine)/(float64(r.cpu.wall)*cores))
			}
			fmt.Println()
		}
		fmt.Printf("| **aidbridge / bare** | %d | **%.0f%%** |%s\n", key(rs[1]), 100*rs[1].rps()/rs[0].rps(), strings.Repeat(" |", strings.Count(rule, "|")-4))
	}
	busy := 0
	for _, rs := range all {
		for _, r := range rs {
			busy += r.busy
		}
	}
	if busy > 0 {
		fmt.Printf("\nWARNING: %d runs began while other work kept the machine over %.0f%% busy: their figures are disturbed.\n", busy, 100*quietBusy)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
