package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"
)

// A route of the mix is one kind of request a user makes: its share of all
// requests, the status that counts as success, and how to build and send it.

// answer is what one request came to.
type answer int

const (
	answered answer = iota // the status wanted
	refused                // 409 where the need may be exhausted
	skipped                // nothing was ready for it: no request sent
	failed                 // any other status, or no answer
)

// route is one kind of request in the mix.
type route struct {
	name   string
	weight int // share of the drawn requests
	// perStep, when above 0, takes the route out of the draw: it is due so
	// many times in each measured step, evenly spread, whatever the rate.
	perStep int
	// do sends one request to base and reports what it came to, with an
	// error that says why when it failed.
	do func(m *mix, ctx context.Context, base string, rng *rand.Rand) (answer, error)
}

// mix is the routes and what their requests draw from and hand on: the
// pledges the hospital has to accept, the accepted pledges the donor has to
// ship, the shipments to dispatch and to receive.
type mix struct {
	f       *fixtures
	hc      *http.Client
	reports int // lead-times reports per step, of each kind
	routes  []route
	total   int    // sum of the weights of the routes in the steps
	full    int    // sum of all the weights
	out     []bool // routes left out of the steps: they missed the goal alone

	toAccept   chan pledgeRef
	toShip     chan pledgeRef
	toDispatch chan shipmentRef
	toReceive  chan shipmentRef

	mu        sync.Mutex
	shipments []string // shipments made, for their pages (the last ones)
	cursors   []string // second pages of the board
}

type pledgeRef struct {
	id  string
	qty int64
}

type shipmentRef struct {
	id, line string
	version  int64
	qty      int64
}

// queueDepth bounds each hand-over queue; a request that would overflow
// one keeps its record off it.
const queueDepth = 100000

func newMix(f *fixtures, hc *http.Client, reports int) *mix {
	m := &mix{f: f, hc: hc, reports: reports, toAccept: make(chan pledgeRef, queueDepth), toShip: make(chan pledgeRef, queueDepth),
		toDispatch: make(chan shipmentRef, queueDepth), toReceive: make(chan shipmentRef, queueDepth)}
	m.routes = m.define()
	for _, r := range m.routes {
		m.full += r.weight
	}
	m.total, m.out = m.full, make([]bool, len(m.routes))
	return m
}

// leaveOut takes route ri out of the steps.
func (m *mix) leaveOut(ri int) {
	if !m.out[ri] {
		m.out[ri] = true
		m.total -= m.routes[ri].weight
	}
}

// pick draws a route by weight.
func (m *mix) pick(rng *rand.Rand) int {
	n := rng.IntN(m.total)
	for i, r := range m.routes {
		if m.out[i] {
			continue
		}
		if n -= r.weight; n < 0 {
			return i
		}
	}
	return len(m.routes) - 1
}

func anyOf[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// boardLimit is the page size the API board asks for (the web page shows 25).
const boardLimit = 50

// define returns the mix. The weights add up to 200.
func (m *mix) define() []route {
	f := m.f
	donor, hospital, admin := &f.donorU, &f.hospitalU, &f.adminU
	board := func(name string, weight int, u *user, params func(rng *rand.Rand) url.Values) route {
		return route{name, weight, 0, func(m *mix, ctx context.Context, base string, rng *rand.Rand) (answer, error) {
			v := params(rng)
			v.Set("limit", strconv.Itoa(boardLimit))
			return m.get(ctx, base+"/api/v1/needs?"+v.Encode(), u, nil)
		}}
	}
	page := func(name string, weight int, u *user, path func(rng *rand.Rand) string) route {
		return route{name, weight, 0, func(m *mix, ctx context.Context, base string, rng *rand.Rand) (answer, error) {
			return m.page(ctx, base+path(rng), u)
		}}
	}
	api := func(name string, weight int, u *user, path func(rng *rand.Rand) string) route {
		return route{name, weight, 0, func(m *mix, ctx context.Context, base string, rng *rand.Rand) (answer, error) {
			return m.get(ctx, base+path(rng), u, nil)
		}}
	}
	item := func(rng *rand.Rand) string { return anyOf(rng, f.items) }
	country := func(rng *rand.Rand) string { return anyOf(rng, f.countries) }
	v := func(kv ...string) url.Values {
		out := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	return []route{
		// The needs board through the API, with each of its filters.
		board("API board open", 12, donor, func(*rand.Rand) url.Values { return v("open", "true") }),
		board("API board open, item", 10, donor, func(rng *rand.Rand) url.Values { return v("open", "true", "item_id", item(rng)) }),
		board("API board open, item, country", 6, donor, func(rng *rand.Rand) url.Values {
			return v("open", "true", "item_id", item(rng), "country", country(rng))
		}),
		board("API board open, country", 4, admin, func(rng *rand.Rand) url.Values { return v("open", "true", "country", country(rng)) }),
		board("API board open, item, urgency", 6, donor, func(rng *rand.Rand) url.Values {
			return v("open", "true", "item_id", item(rng), "urgency", "critical")
		}),
		board("API board open, urgency", 4, admin, func(*rand.Rand) url.Values { return v("open", "true", "urgency", "critical") }),
		board("API board item, status", 4, donor, func(rng *rand.Rand) url.Values {
			return v("item_id", item(rng), "status", "partially_pledged")
		}),
		board("API board status", 4, admin, func(*rand.Rand) url.Values { return v("status", "partially_pledged") }),
		board("API board organization", 6, hospital, func(rng *rand.Rand) url.Values {
			return v("organization_id", anyOf(rng, f.hospitals))
		}),
		{"API board next page", 6, 0, func(m *mix, ctx context.Context, base string, rng *rand.Rand) (answer, error) {
			m.mu.Lock()
			c := anyOf(rng, m.cursors)
			m.mu.Unlock()
			return m.get(ctx, base+"/api/v1/needs?"+c, donor, nil)
		}},
		// The needs board page, by filter.
		page("page /needs (open)", 6, donor, func(*rand.Rand) string { return "/needs" }),
		page("page /needs item", 5, donor, func(rng *rand.Rand) string { return "/needs?item_id=" + item(rng) }),
		page("page /needs item, country", 3, donor, func(rng *rand.Rand) string {
			return "/needs?" + v("item_id", item(rng), "country", country(rng)).Encode()
		}),
		page("page /needs urgency, status", 3, admin, func(*rand.Rand) string { return "/needs?urgency=high&status=partially_pledged" }),
		page("page /needs organization", 3, hospital, func(rng *rand.Rand) string { return "/needs?organization_id=" + anyOf(rng, f.hospitals) }),
		// Record pages.
		api("API need", 12, donor, func(rng *rand.Rand) string { return "/api/v1/needs/" + anyOf(rng, f.needs) }),
		page("page need", 8, donor, func(rng *rand.Rand) string { return "/needs/" + anyOf(rng, f.needs) }),
		api("API organization", 8, admin, func(rng *rand.Rand) string { return "/api/v1/organizations/" + anyOf(rng, f.dir.Orgs) }),
		page("page organization", 5, admin, func(rng *rand.Rand) string { return "/organizations/" + anyOf(rng, f.dir.Orgs) }),
		api("API person", 6, admin, func(rng *rand.Rand) string { return "/api/v1/people/" + anyOf(rng, f.people) }),
		page("page person", 4, hospital, func(rng *rand.Rand) string { return "/people/" + anyOf(rng, f.staff) }),
		api("API people of an organization", 4, hospital, func(rng *rand.Rand) string {
			return "/api/v1/people?organization_id=" + anyOf(rng, f.hospitals)
		}),
		{"API shipment", 5, 0, func(m *mix, ctx context.Context, base string, rng *rand.Rand) (answer, error) {
			id, ok := m.shipment(rng)
			if !ok {
				return skipped, nil
			}
			return m.get(ctx, base+"/api/v1/shipments/"+id, donor, nil)
		}},
		{"page shipment", 3, 0, func(m *mix, ctx context.Context, base string, rng *rand.Rand) (answer, error) {
			id, ok := m.shipment(rng)
			if !ok {
				return skipped, nil
			}
			return m.page(ctx, base+"/shipments/"+id, hospital)
		}},
		// The supply flow: pledge, accept, ship, dispatch, receive. Each
		// step is a little more frequent than the next, so that the next
		// rarely finds nothing to take on.
		{"POST pledge", 14, 0, (*mix).pledge},
		{"POST accept pledge", 13, 0, (*mix).accept},
		{"POST shipment", 12, 0, (*mix).ship},
		{"POST dispatch", 11, 0, (*mix).dispatch},
		{"POST receipt", 10, 0, (*mix).receive},
		// Reports and allocation.
		// The lead-times report reads every need: it is asked for so many
		// times per step (-reports), as the page and through the API, rather
		// than by share; by default not at all, and alone before the steps.
		m.fixed(api("API lead-times report", 0, admin, func(*rand.Rand) string { return "/api/v1/reports/lead-times" })),
		m.fixed(page("page lead-times report", 0, admin, func(*rand.Rand) string { return "/reports/lead-times" })),
		{"POST allocation proposal", 3, 0, (*mix).propose},
	}
}

// aloneFigure is a route's latency alone, and why it failed if it did.
type aloneFigure struct {
	d      time.Duration
	failed string
}

// fixed takes r out of the draw: it is due m.reports times per step.
func (m *mix) fixed(r route) route {
	r.perStep = m.reports
	return r
}

func (m *mix) shipment(rng *rand.Rand) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.shipments) == 0 {
		return "", false
	}
	return anyOf(rng, m.shipments), true
}

// keptShipments is how many of the latest shipments the pages draw from.
const keptShipments = 5000

func (m *mix) madeShipment(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.shipments) >= keptShipments {
		m.shipments = m.shipments[1:]
	}
	m.shipments = append(m.shipments, id)
}

func (m *mix) pledge(ctx context.Context, base string, rng *rand.Rand) (answer, error) {
	need := anyOf(rng, m.f.targets)
	qty := 1 + rng.Int64N(20)
	var p struct {
		ID       string `json:"id"`
		Quantity int64  `json:"quantity"`
	}
	a, err := m.send(ctx, http.MethodPost, base+"/api/v1/needs/"+need+"/pledges", &m.f.donorU,
		map[string]any{"donor_id": m.f.donor, "quantity": qty}, http.StatusCreated, true, &p)
	if a == answered {
		offer(m.toAccept, pledgeRef{p.ID, p.Quantity})
	}
	return a, err
}

func (m *mix) accept(ctx context.Context, base string, _ *rand.Rand) (answer, error) {
	p, ok := take(m.toAccept)
	if !ok {
		return skipped, nil
	}
	a, err := m.send(ctx, http.MethodPost, base+"/api/v1/pledges/"+p.id+"/accept", &m.f.hospitalU, nil, http.StatusOK, false, nil)
	if a == answered {
		offer(m.toShip, p)
	}
	return a, err
}

func (m *mix) ship(ctx context.Context, base string, _ *rand.Rand) (answer, error) {
	p, ok := take(m.toShip)
	if !ok {
		return skipped, nil
	}
	var sh shipmentBody
	a, err := m.send(ctx, http.MethodPost, base+"/api/v1/shipments", &m.f.donorU, map[string]any{
		"donor_id": m.f.donor, "carrier": "Bench Freight", "tracking_number": "BF" + p.id[len(p.id)-8:],
		"lines": []map[string]any{{"pledge_id": p.id, "quantity": p.qty}},
	}, http.StatusCreated, false, &sh)
	if a == answered {
		if len(sh.Lines) != 1 {
			return failed, fmt.Errorf("POST shipment: %d lines in the answer", len(sh.Lines))
		}
		m.madeShipment(sh.ID)
		offer(m.toDispatch, shipmentRef{sh.ID, sh.Lines[0].ID, sh.Version, p.qty})
	}
	return a, err
}

type shipmentBody struct {
	ID      string `json:"id"`
	Version int64  `json:"version"`
	Lines   []struct {
		ID string `json:"id"`
	} `json:"lines"`
}

func (m *mix) dispatch(ctx context.Context, base string, _ *rand.Rand) (answer, error) {
	s, ok := take(m.toDispatch)
	if !ok {
		return skipped, nil
	}
	var sh shipmentBody
	a, err := m.send(ctx, http.MethodPost, base+"/api/v1/shipments/"+s.id+"/dispatch", &m.f.donorU,
		map[string]any{"version": s.version}, http.StatusOK, false, &sh)
	if a == answered {
		s.version = sh.Version
		offer(m.toReceive, s)
	}
	return a, err
}

func (m *mix) receive(ctx context.Context, base string, rng *rand.Rand) (answer, error) {
	s, ok := take(m.toReceive)
	if !ok {
		return skipped, nil
	}
	damaged := int64(0)
	if rng.IntN(10) == 0 {
		damaged = 1 // now and then one unit arrives broken
	}
	return m.send(ctx, http.MethodPost, base+"/api/v1/shipments/"+s.id+"/receipt", &m.f.hospitalU,
		map[string]any{"lines": []map[string]any{{"line_id": s.line, "received": s.qty - damaged, "damaged": damaged}}}, http.StatusOK, false, nil)
}

func (m *mix) propose(ctx context.Context, base string, rng *rand.Rand) (answer, error) {
	body := map[string]any{"item_id": anyOf(rng, m.f.items), "countries": []string{anyOf(rng, m.f.countries)}, "urgencies": []string{"critical"}}
	return m.send(ctx, http.MethodPost, base+"/api/v1/allocations", &m.f.donorU, body, http.StatusCreated, false, nil)
}

func offer[T any](ch chan T, x T) {
	select {
	case ch <- x:
	default:
	}
}

func take[T any](ch chan T) (T, bool) {
	select {
	case x := <-ch:
		return x, true
	default:
		var zero T
		return zero, false
	}
}

// get sends an API GET with u's token and wants 200.
func (m *mix) get(ctx context.Context, u string, who *user, out any) (answer, error) {
	return m.send(ctx, http.MethodGet, u, who, nil, http.StatusOK, false, out)
}

// send sends one API request with who's token and a JSON body (nil: none),
// reads the whole answer and decodes it into out (nil: not at all). A 409
// counts as refused when refusable.
func (m *mix) send(ctx context.Context, method, u string, who *user, body any, want int, refusable bool, out any) (answer, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return failed, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return failed, err
	}
	req.Header.Set("Authorization", "Bearer "+who.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return m.do(req, want, refusable, out)
}

// page gets a web page with who's session cookie and wants 200.
func (m *mix) page(ctx context.Context, u string, who *user) (answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return failed, err
	}
	req.AddCookie(&http.Cookie{Name: "aidbridge_session", Value: who.session})
	return m.do(req, http.StatusOK, false, nil)
}

func (m *mix) do(req *http.Request, want int, refusable bool, out any) (answer, error) {
	resp, err := m.hc.Do(req)
	if err != nil {
		return failed, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	switch {
	case err != nil:
		return failed, err
	case resp.StatusCode == want:
		if out != nil {
			if err := json.Unmarshal(b, out); err != nil {
				return failed, fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err)
			}
		}
		return answered, nil
	case refusable && resp.StatusCode == http.StatusConflict:
		return refused, nil
	}
	if len(b) > 300 {
		b = b[:300]
	}
	return failed, fmt.Errorf("%s %s: status %d: %s", req.Method, req.URL.Path, resp.StatusCode, b)
}

// prime makes the board's second-page cursors and runs n pledges through
// the whole flow one after the other, so that the shipment pages have
// shipments and every step of the flow is checked before the load.
func (m *mix) prime(ctx context.Context, base string, n int) error {
	rng := rand.New(rand.NewPCG(99, 1))
	for _, it := range m.f.items {
		for _, q := range []url.Values{{"open": {"true"}, "item_id": {it}}, {"open": {"true"}, "item_id": {it}, "urgency": {"critical"}}} {
			q.Set("limit", strconv.Itoa(boardLimit))
			var pg struct {
				NextCursor string `json:"next_cursor"`
			}
			if a, err := m.get(ctx, base+"/api/v1/needs?"+q.Encode(), &m.f.donorU, &pg); a != answered {
				return fmt.Errorf("board for the cursors: %v", err)
			}
			if pg.NextCursor != "" {
				q.Set("cursor", pg.NextCursor)
				m.cursors = append(m.cursors, q.Encode())
			}
		}
	}
	if len(m.cursors) == 0 {
		return fmt.Errorf("the board has no second page")
	}
	done := 0
	for tries := 0; done < n && tries < 2*n; tries++ {
		a, err := m.pledge(ctx, base, rng)
		if a == refused {
			continue
		}
		if a != answered {
			return fmt.Errorf("flow: pledge: %v", err)
		}
		for i, step := range []func(context.Context, string, *rand.Rand) (answer, error){m.accept, m.ship, m.dispatch, m.receive} {
			if a, err := step(ctx, base, rng); a != answered {
				return fmt.Errorf("flow step %d after the pledge: %v", i+1, err)
			}
		}
		done++
	}
	// Leave a few records waiting at each step of the flow.
	for i, step := range []func(context.Context, string, *rand.Rand) (answer, error){m.pledge, m.accept, m.ship, m.dispatch} {
		for range 5 * (4 - i) {
			if a, err := step(ctx, base, rng); a == failed {
				return fmt.Errorf("flow: step %d: %v", i+1, err)
			}
		}
	}
	fmt.Printf("  flow primed with %d shipments received and 5 records waiting at each step\n", done)
	return nil
}

// alone sends requests of each route to base, one after the other with
// nothing else running: five of each, one of a report, none of the routes
// in known, whose figures it copies. It returns the median latency of each
// route and, by route, why a request failed.
func (m *mix) alone(ctx context.Context, base string, known map[int]aloneFigure) ([]time.Duration, map[int]string) {
	rng := rand.New(rand.NewPCG(98, 1))
	out, failures := make([]time.Duration, len(m.routes)), map[int]string{}
	for i, r := range m.routes {
		if k, ok := known[i]; ok {
			out[i] = k.d
			if k.failed != "" {
				failures[i] = k.failed
			}
			continue
		}
		n := 5
		if r.weight == 0 {
			n = 1
		}
		var ds []time.Duration
		for range n {
			t0 := time.Now()
			a, err := r.do(m, ctx, base, rng)
			ds = append(ds, time.Since(t0))
			if a == failed || a == skipped {
				failures[i] = fmt.Sprintf("%v", err)
			}
		}
		slices.Sort(ds)
		out[i] = ds[len(ds)/2]
	}
	return out, failures
}
