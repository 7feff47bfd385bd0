package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"

	"aidbridge/bench/launch"
)

// client is an HTTP client for workers concurrent callers with keep-alive.
func client(workers int) *http.Client {
	tr := &http.Transport{MaxIdleConns: workers, MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers,
		IdleConnTimeout: 30 * time.Second, DisableCompression: true}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// call sends one request with the bearer token and reads the whole answer.
func call(ctx context.Context, c *http.Client, method, url, token string, body []byte) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return send(c, req)
}

// get asks for a page of the site with the fixtures' session cookie
// (page), or for an API answer with their token.
func (f *fixtures) get(ctx context.Context, c *http.Client, url string, page bool) (int, []byte, error) {
	if !page {
		return call(ctx, c, http.MethodGet, url, f.token, nil)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, nil, err
	}
	req.AddCookie(&http.Cookie{Name: "aidbridge_session", Value: f.session})
	return send(c, req)
}

// send sends req and reads the whole answer.
func send(c *http.Client, req *http.Request) (int, []byte, error) {
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// result is one measured run: latencies of the answers with the expected
// status and of refusals (409), and everything else as errors.
type result struct {
	workers  int
	elapsed  time.Duration
	ok       []time.Duration // sorted
	refused  []time.Duration // 409, sorted
	errors   int
	firstErr string
	quiet    float64 // the machine's busy fraction just before the run
	cpu      cpuUse  // CPU spent during the run
}

// request is one call of a worker: it returns the status the server
// answered, or an error when there was no answer.
type request func(ctx context.Context, rng *rand.Rand) (int, error)

// closedLoop runs workers clients, each sending its next request as soon as
// the previous one is answered, until dur has passed; the run ends when the
// last request sent is answered. Answers with status want count as
// ok, 409 as refused, anything else as an error.
func closedLoop(ctx context.Context, workers int, dur time.Duration, seed uint64, want int, do request) result {
	type local struct {
		ok, refused []time.Duration
		errors      int
		first       string
	}
	per := make([]local, workers)
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(dur)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(w)))
			l := &per[w]
			l.ok = make([]time.Duration, 0, 1<<12)
			// A request sent before the deadline runs to its end: the
			// pledge checks count every 201.
			for ctx.Err() == nil && time.Now().Before(deadline) {
				t0 := time.Now()
				status, err := do(ctx, rng)
				el := time.Since(t0)
				switch {
				case err == nil && status == want:
					l.ok = append(l.ok, el)
				case err == nil && status == http.StatusConflict:
					l.refused = append(l.refused, el)
				default:
					if err == nil {
						err = fmt.Errorf("status %d", status)
					}
					l.errors++
					if l.first == "" {
						l.first = err.Error()
					}
					if l.errors > 1000 {
						return // something is broken: do not spin
					}
				}
			}
		}()
	}
	wg.Wait()
	r := result{workers: workers, elapsed: time.Since(start)}
	for _, l := range per {
		r.ok = append(r.ok, l.ok...)
		r.refused = append(r.refused, l.refused...)
		r.errors += l.errors
		if r.firstErr == "" {
			r.firstErr = l.first
		}
	}
	slices.Sort(r.ok)
	slices.Sort(r.refused)
	return r
}

// measure waits for a quiet machine (up to c.quiet), runs an unrecorded
// warm-up, then the recorded run, and notes the CPU spent meanwhile by the
// machine, this process, aidbridge (process app) and PostgreSQL.
func measure(ctx context.Context, c config, app, workers int, warmup, dur time.Duration, seed uint64, want int, do request) result {
	quiet := 0.0
	if c.quiet > 0 {
		quiet = waitQuiet(c.quiet, 0.25)
	}
	if warmup > 0 {
		closedLoop(ctx, workers, warmup, seed+1000, want, do)
	}
	before := sampleCPU(app)
	r := closedLoop(ctx, workers, dur, seed, want, do)
	r.cpu, r.quiet = sampleCPU(app).since(before), quiet
	return r
}

// rps returns answers with the expected status per second.
func (r result) rps() float64 { return float64(len(r.ok)) / r.elapsed.Seconds() }

// allRPS returns every answer per second, refusals and errors included.
func (r result) allRPS() float64 {
	return float64(len(r.ok)+len(r.refused)+r.errors) / r.elapsed.Seconds()
}

// pct returns the p-th quantile (0..1) of sorted latencies (bench/launch).
func pct(lat []time.Duration, p float64) time.Duration { return launch.Quantile(lat, p) }

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
