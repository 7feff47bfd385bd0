package main

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"time"

	"aidbridge/bench/launch"
)

// target is a server under load.
type target struct {
	name  string
	url   string // base URL, http://127.0.0.1:PORT
	token string // bearer token, or "" for none
	pid   int    // its process when not ours, for CPU accounting; 0 when in-process
}

// dbProcs lists the processes of the database server that serve the
// benchmark's database (PostgreSQL backends), or nil.
type dbProcs func() []int

// result is one measured run against a target.
type result struct {
	target   string
	workers  int // closed loop: concurrent clients
	rate     int // open loop: requests offered per second
	elapsed  time.Duration
	lat      []time.Duration // of successful requests, sorted
	errors   int
	firstErr string
	cpu      cpuUse
	busy     int // runs that began while the machine was busy with other work
}

// maxPerWorker bounds the latencies one worker records in a run.
const maxPerWorker = 1 << 20

// load runs workers closed-loop clients with keep-alive against t: warm-up
// first, unrecorded, then dur recorded. Each request asks for a random id.
func load(t target, ids []string, workers int, warmup, dur time.Duration, seed uint64, db dbProcs) result {
	tr := &http.Transport{MaxIdleConns: workers, MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers,
		IdleConnTimeout: 30 * time.Second, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	run := func(d time.Duration, record bool) result {
		res := result{target: t.name, workers: workers}
		lats := make([][]time.Duration, workers)
		errs := make([]int, workers)
		first := make([]string, workers)
		var wg sync.WaitGroup
		before := readCPU(t.pid, db)
		start := time.Now()
		deadline := start.Add(d)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(seed, uint64(w)))
				if record {
					lats[w] = make([]time.Duration, 0, 1<<14)
				}
				for time.Now().Before(deadline) && len(lats[w]) < maxPerWorker {
					id := ids[rng.IntN(len(ids))]
					t0 := time.Now()
					err := get(client, t.url+"/api/v1/organizations/"+id, t.token)
					el := time.Since(t0)
					if err != nil {
						errs[w]++
						if first[w] == "" {
							first[w] = err.Error()
						}
						if errs[w] > 1000 {
							return // something is broken: do not spin
						}
						continue
					}
					if record {
						lats[w] = append(lats[w], el)
					}
				}
			}()
		}
		wg.Wait()
		res.elapsed = time.Since(start)
		res.cpu = readCPU(t.pid, db).since(before)
		for w := range workers {
			res.lat = append(res.lat, lats[w]...)
			res.errors += errs[w]
			if res.firstErr == "" {
				res.firstErr = first[w]
			}
		}
		slices.Sort(res.lat)
		return res
	}
	if warmup > 0 {
		run(warmup, false)
	}
	return run(dur, true)
}

func get(client *http.Client, url, token string) error {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("status %d", resp.StatusCode)
	}
	return err
}

// rps returns successful requests per second.
func (r result) rps() float64 { return float64(len(r.lat)) / r.elapsed.Seconds() }

// pct returns the p-th quantile (0..1) of the latencies, nearest rank.
func (r result) pct(p float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(r.lat)))) - 1
	return r.lat[max(0, min(i, len(r.lat)-1))]
}

// merge joins the runs of one target.
func merge(rs []result) result {
	m := result{target: rs[0].target, workers: rs[0].workers, rate: rs[0].rate}
	for _, r := range rs {
		m.elapsed += r.elapsed
		m.lat = append(m.lat, r.lat...)
		m.errors += r.errors
		if m.firstErr == "" {
			m.firstErr = r.firstErr
		}
		m.cpu = m.cpu.plus(r.cpu)
		m.busy += r.busy
	}
	slices.Sort(m.lat)
	return m
}

// cpuUse is CPU time spent during a run: by the whole machine, by this
// process (load generator, plus the bare handler when it is the target), by
// the target's own process when it has one, and by the database server's
// processes for the benchmark database.
type cpuUse struct {
	machine, self, target, db time.Duration
	wall                      time.Duration
}

type cpuSnapshot struct {
	at                    time.Time
	machine, self, target time.Duration
	db                    map[int]time.Duration
}

func readCPU(pid int, db dbProcs) cpuSnapshot {
	s := cpuSnapshot{at: time.Now(), db: map[int]time.Duration{}}
	if db != nil {
		for _, p := range db() {
			s.db[p] = launch.ProcCPU(p)
		}
	}
	s.self = launch.SelfCPU()
	s.machine = launch.MachineBusy()
	if pid > 0 {
		s.target = launch.ProcCPU(pid)
	}
	return s
}

func (s cpuSnapshot) since(b cpuSnapshot) cpuUse {
	u := cpuUse{machine: s.machine - b.machine, self: s.self - b.self, target: s.target - b.target, wall: s.at.Sub(b.at)}
	for p, t := range s.db {
		u.db += t - b.db[p] // a backend that started during the run counts from zero
	}
	return u
}

func (c cpuUse) plus(o cpuUse) cpuUse {
	return cpuUse{machine: c.machine + o.machine, self: c.self + o.self, target: c.target + o.target, db: c.db + o.db, wall: c.wall + o.wall}
}

// waitQuiet waits, up to limit, for a half second in which the machine is
// less than threshold busy (0..1), so that a run does not start in the middle
// of someone else's build; it returns the last busy fraction seen.
func waitQuiet(limit time.Duration, threshold float64) float64 {
	cores := float64(runtime.NumCPU())
	deadline := time.Now().Add(limit)
	for {
		a := readCPU(0, nil)
		time.Sleep(500 * time.Millisecond)
		u := readCPU(0, nil).since(a)
		busy := float64(u.machine) / (float64(u.wall) * cores)
		if busy < threshold || time.Now().After(deadline) {
			return busy
		}
	}
}

// maxInFlight bounds the requests an open-loop run has outstanding.
const maxInFlight = 256

// loadRate offers rate requests per second to t for dur, after warmup, on a
// fixed schedule whatever the answers' pace (open loop). A request's latency
// runs from when it was due, so time spent waiting for a free client counts
// (no coordinated omission).
func loadRate(t target, ids []string, rate int, warmup, dur time.Duration, seed uint64, db dbProcs) result {
	tr := &http.Transport{MaxIdleConns: maxInFlight, MaxIdleConnsPerHost: maxInFlight, MaxConnsPerHost: maxInFlight,
		IdleConnTimeout: 30 * time.Second, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	run := func(d time.Duration, record bool) result {
		res := result{target: t.name, rate: rate}
		interval := time.Second / time.Duration(rate)
		total := int(d / interval)
		type job struct {
			due time.Time
			id  string
		}
		jobs := make(chan job)
		var mu sync.Mutex
		var wg sync.WaitGroup
		for range maxInFlight {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var lat []time.Duration
				errs, first := 0, ""
				for j := range jobs {
					err := get(client, t.url+"/api/v1/organizations/"+j.id, t.token)
					el := time.Since(j.due)
					if err != nil {
						errs++
						if first == "" {
							first = err.Error()
						}
						continue
					}
					if record {
						lat = append(lat, el)
					}
				}
				mu.Lock()
				res.lat = append(res.lat, lat...)
				res.errors += errs
				if res.firstErr == "" {
					res.firstErr = first
				}
				mu.Unlock()
			}()
		}
		rng := rand.New(rand.NewPCG(seed, uint64(rate)))
		before := readCPU(t.pid, db)
		start := time.Now()
		for i := range total {
			due := start.Add(time.Duration(i) * interval)
			if w := time.Until(due); w > 0 {
				time.Sleep(w)
			}
			jobs <- job{due: due, id: ids[rng.IntN(len(ids))]} // blocks while every client is busy
		}
		close(jobs)
		wg.Wait()
		res.elapsed = time.Since(start)
		res.cpu = readCPU(t.pid, db).since(before)
		slices.Sort(res.lat)
		return res
	}
	if warmup > 0 {
		run(warmup, false)
	}
	return run(dur, true)
}
