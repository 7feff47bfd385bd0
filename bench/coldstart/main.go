// Command coldstart measures how long the built aidbridge binary takes from
// exec to its first 200 on /healthz, and how much memory it holds once idle,
// on a new database (migrations included) and on the same database started a
// second time, for SQLite and optionally PostgreSQL.
//
//	go build -o /tmp/aidbridge ./cmd/aidbridge
//	go run ./bench/coldstart -bin /tmp/aidbridge -n 15 -postgres postgres://postgres@127.0.0.1:5432/postgres
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"aidbridge/bench/launch"
)

// sample is one start of the server.
type sample struct {
	ready   time.Duration // exec to first 200 on /healthz
	startup time.Duration // what the program logged as its own startup
	rss     int64         // VmRSS after idling
	peak    int64         // VmHWM after idling
}

func main() {
	bin := flag.String("bin", "", "path of the built aidbridge binary (required)")
	n := flag.Int("n", 10, "starts per case")
	idle := flag.Duration("idle", time.Second, "how long the server idles after /healthz before its memory is read")
	pg := flag.String("postgres", "", "postgres:// URL of a loopback server whose user may create databases; empty: SQLite only")
	timeout := flag.Duration("timeout", 10*time.Second, "longest wait for one start")
	flag.Parse()
	if *bin == "" || *n < 1 || *n > 100 {
		fmt.Fprintln(os.Stderr, "usage: coldstart -bin PATH [-n 1..100] [-idle 1s] [-postgres URL]")
		os.Exit(2)
	}
	if err := run(*bin, *n, *idle, *pg, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "coldstart:", err)
		os.Exit(1)
	}
}

func run(bin string, n int, idle time.Duration, pg string, timeout time.Duration) error {
	results := map[string][]sample{}
	var order []string
	add := func(name string, s sample) {
		if _, ok := results[name]; !ok {
			order = append(order, name)
		}
		results[name] = append(results[name], s)
		if s.rss == 0 {
			fmt.Printf("%-30s %7.1f ms\n", name, ms(s.ready))
			return
		}
		fmt.Printf("%-30s ready %7.1f ms  self-logged %4d ms  VmRSS %5.1f MB  VmHWM %5.1f MB\n", name,
			ms(s.ready), s.startup.Milliseconds(), mb(s.rss), mb(s.peak))
	}

	// Exec alone: runtime and package initialization, no store, no listener.
	for range n {
		start := time.Now()
		if out, err := exec.Command(bin, "version").CombinedOutput(); err != nil {
			return fmt.Errorf("%s version: %v: %s", bin, err, out)
		}
		add("exec `aidbridge version` to exit", sample{ready: time.Since(start)})
	}

	dir, err := os.MkdirTemp("", "aidbridge-coldstart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	for i := range n {
		db := "sqlite:" + filepath.Join(dir, fmt.Sprintf("run%d", i), "aidbridge.db")
		for _, c := range []string{"SQLite, new database", "SQLite, existing database"} {
			s, err := once(bin, db, idle, timeout)
			if err != nil {
				return err
			}
			add(c, s)
		}
	}

	if pg != "" {
		for i := range n {
			name := fmt.Sprintf("bench_cold_%d_%d", os.Getpid(), i)
			url, drop, err := launch.CreatePostgres(context.Background(), pg, name)
			if err != nil {
				return err
			}
			for _, c := range []string{"PostgreSQL, new database", "PostgreSQL, existing database"} {
				s, err := once(bin, url, idle, timeout)
				if err != nil {
					drop()
					return err
				}
				add(c, s)
			}
			if err := drop(); err != nil {
				return err
			}
		}
	}

	fmt.Printf("\n%d starts per case; ready = exec to the end of the first 200 on /healthz; memory read %s after it;\n"+
		"self-logged = the startup duration the server logs (store, migrations, handlers), rounded to the millisecond.\n\n", n, idle)
	fmt.Println("| case | ready median | min | max | self-logged startup median | VmRSS idle median | min | max | VmHWM median |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	for _, name := range order {
		ss := results[name]
		r := stats(ss, func(s sample) float64 { return ms(s.ready) })
		if strings.HasPrefix(name, "exec") {
			fmt.Printf("| %s | %.1f ms | %.1f | %.1f | | | | | |\n", name, r[0], r[1], r[2])
			continue
		}
		st := stats(ss, func(s sample) float64 { return float64(s.startup.Milliseconds()) })
		m := stats(ss, func(s sample) float64 { return mb(s.rss) })
		h := stats(ss, func(s sample) float64 { return mb(s.peak) })
		fmt.Printf("| %s | %.1f ms | %.1f | %.1f | %.0f ms | %.1f MB | %.1f | %.1f | %.1f MB |\n", name, r[0], r[1], r[2], st[0], m[0], m[1], m[2], h[0])
	}
	return nil
}

// once starts the server on db, lets it idle, reads its memory and stops it.
func once(bin, db string, idle, timeout time.Duration) (sample, error) {
	p, err := launch.Start(bin, db, timeout)
	if err != nil {
		return sample{}, err
	}
	time.Sleep(idle)
	rss, peak, err := p.Memory()
	if err != nil {
		p.Stop()
		return sample{}, err
	}
	s := sample{ready: p.Ready, startup: p.Startup(), rss: rss, peak: peak}
	return s, p.Stop()
}

// stats returns the median, minimum and maximum of f over ss.
func stats(ss []sample, f func(sample) float64) [3]float64 {
	v := make([]float64, len(ss))
	for i, s := range ss {
		v[i] = f(s)
	}
	slices.Sort(v)
	med := v[len(v)/2]
	if len(v)%2 == 0 {
		med = (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return [3]float64{med, v[0], v[len(v)-1]}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func mb(b int64) float64 { return float64(b) / (1 << 20) }
