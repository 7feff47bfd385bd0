package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"time"

	"aidbridge/bench/launch"
)

// The load is open-loop: requests are due at a fixed rate whatever the
// server does, each one's latency counts from when it was due, so a backlog
// shows as latency instead of as a slower sender. Routes are drawn by weight;
// requests go to the instances in turn.

// routeStats is what one route's requests came to in a step.
type routeStats struct {
	lat      []time.Duration // of answered and refused requests, sorted
	answered int
	refused  int // 409: the need could not take the pledge
	skipped  int // nothing ready for it; not sent
	failed   int
	firstErr string
}

// stepResult is one step of the load.
type stepResult struct {
	rate     float64 // requests due per second
	dur      time.Duration
	routes   []routeStats
	cpu      cpuUse
	inflight int // requests outstanding when the last one of the step was due
}

func (s stepResult) sent() int {
	n := 0
	for _, r := range s.routes {
		n += r.answered + r.refused + r.failed
	}
	return n
}

// throughput is the answers per second of the measured window, refusals
// and errors included.
func (s stepResult) throughput() float64 { return float64(s.sent()) / s.dur.Seconds() }

func (s stepResult) total(f func(routeStats) int) int {
	n := 0
	for _, r := range s.routes {
		n += f(r)
	}
	return n
}

// worst returns the route with the highest p99.
func (s stepResult) worst() (int, time.Duration) {
	w, p := -1, time.Duration(0)
	for i, r := range s.routes {
		if len(r.lat) == 0 {
			continue
		}
		if q := pct(r.lat, .99); q > p {
			w, p = i, q
		}
	}
	return w, p
}

// runStep sends requests due at rate for warmup+dur to the instances at
// bases, with at most inflight outstanding, and records those due after the
// warm-up.
func runStep(ctx context.Context, m *mix, bases []string, apps []int, rate float64, warmup, dur time.Duration, inflight int, seed uint64) stepResult {
	res := stepResult{rate: rate, dur: dur, routes: make([]routeStats, len(m.routes))}
	var mu sync.Mutex
	record := func(ri int, a answer, lat time.Duration, err error) {
		mu.Lock()
		defer mu.Unlock()
		r := &res.routes[ri]
		switch a {
		case answered:
			r.answered++
			r.lat = append(r.lat, lat)
		case refused:
			r.refused++
			r.lat = append(r.lat, lat)
		case skipped:
			r.skipped++
		case failed:
			r.failed++
			if r.firstErr == "" && err != nil {
				r.firstErr = err.Error()
			}
		}
	}
	interval := time.Duration(float64(time.Second) / rate)
	rng := rand.New(rand.NewPCG(seed, 0))
	sem := make(chan struct{}, inflight)
	var wg sync.WaitGroup
	start := time.Now()
	from, end := start.Add(warmup), start.Add(warmup+dur)
	// The routes due so many times per step, spread over the measured
	// window so that they do not meet.
	var fixed []int
	for ri, r := range m.routes {
		if r.perStep > 0 && !m.out[ri] {
			fixed = append(fixed, ri)
		}
	}
	for k, ri := range fixed {
		n := m.routes[ri].perStep
		for j := range n {
			due := from.Add(time.Duration((float64(j) + float64(k+1)/float64(len(fixed)+1)) * float64(dur) / float64(n)))
			reqSeed := rng.Uint64()
			wg.Add(1)
			go func() {
				defer wg.Done()
				time.Sleep(time.Until(due))
				a, err := m.routes[ri].do(m, ctx, bases[j%len(bases)], rand.New(rand.NewPCG(reqSeed, uint64(ri))))
				record(ri, a, time.Since(due), err)
			}()
		}
	}
	var before cpuSample
	sampled := false
	for i := 0; ctx.Err() == nil; i++ {
		due := start.Add(time.Duration(i) * interval)
		if !due.Before(end) {
			break
		}
		if !sampled && !due.Before(from) {
			before, sampled = sampleCPU(apps), true
		}
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		ri, base, reqSeed := m.pick(rng), bases[i%len(bases)], rng.Uint64()
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			a, err := m.routes[ri].do(m, ctx, base, rand.New(rand.NewPCG(reqSeed, uint64(ri))))
			if !due.Before(from) {
				record(ri, a, time.Since(due), err)
			}
		}()
	}
	res.inflight = len(sem)
	after := sampleCPU(apps)
	wg.Wait()
	if sampled {
		res.cpu = after.since(before)
	}
	for i := range res.routes {
		slices.Sort(res.routes[i].lat)
	}
	return res
}

// pct returns the p-th quantile (0..1) of sorted latencies.
func pct(lat []time.Duration, p float64) time.Duration { return launch.Quantile(lat, p) }

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// cpuSample is cumulative CPU time at one moment: the machine's busy time,
// this process's, the aidbridge instances' and every PostgreSQL process's.
type cpuSample struct {
	at                     time.Time
	machine, self, app, pg time.Duration
}

// cpuUse is the CPU spent between two samples.
type cpuUse struct {
	wall, machine, self, app, pg time.Duration
}

func sampleCPU(apps []int) cpuSample {
	s := cpuSample{at: time.Now(), self: launch.SelfCPU(), machine: launch.MachineBusy()}
	for _, pid := range apps {
		s.app += launch.ProcCPU(pid)
	}
	s.pg = launch.PostgresCPU()
	return s
}

func (s cpuSample) since(b cpuSample) cpuUse {
	// A PostgreSQL backend that ended takes its time along.
	return cpuUse{wall: s.at.Sub(b.at), machine: s.machine - b.machine, self: s.self - b.self, app: s.app - b.app, pg: max(0, s.pg-b.pg)}
}

// share returns d as a percentage of all the machine's cores over the wall
// time.
func (u cpuUse) share(d time.Duration) float64 {
	if u.wall <= 0 {
		return 0
	}
	return 100 * float64(d) / (float64(u.wall) * float64(runtime.NumCPU()))
}

// String gives the machine's busy share and, in brackets, that of
// aidbridge, PostgreSQL, this load generator and everything else.
func (u cpuUse) String() string {
	return fmt.Sprintf("%.0f%% (%.0f, %.0f, %.0f, %.0f)", u.share(u.machine), u.share(u.app), u.share(u.pg), u.share(u.self),
		u.share(max(0, u.machine-u.app-u.pg-u.self)))
}

// busyBefore waits, up to limit, for a half second in which the machine is
// less than 25% busy, and returns the busy share of the last half second.
func busyBefore(limit time.Duration) float64 {
	deadline := time.Now().Add(limit)
	for {
		a := sampleCPU(nil)
		time.Sleep(500 * time.Millisecond)
		u := sampleCPU(nil).since(a)
		if busy := u.share(u.machine); busy < 25 || !time.Now().Before(deadline) {
			return busy
		}
	}
}
