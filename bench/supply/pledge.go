package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"aidbridge/bench/launch"
)

// pledgeRun is the outcome of one pledge case: the measured run and what the
// need figures said afterwards.
type pledgeRun struct {
	dialect, binary, name string
	res                   result
	created               int64  // 201s over warm-up and run, what the needs must show as pledged
	check                 string // the invariant check, "ok: ..." or what is wrong
	checkOK               bool
}

// needView is what GET /api/v1/needs/{id} tells of a need.
type needView struct {
	ID       string `json:"id"`
	Quantity int64  `json:"quantity"`
	Pledged  int64  `json:"pledged"`
	Status   string `json:"status"`
	Pledges  []struct {
		Quantity int64  `json:"quantity"`
		Status   string `json:"status"`
	} `json:"pledges"`
}

func readNeed(ctx context.Context, c *http.Client, base, token, id string) (needView, error) {
	var n needView
	status, b, err := call(ctx, c, http.MethodGet, base+"/api/v1/needs/"+id, token, nil)
	if err != nil {
		return n, err
	}
	if status != http.StatusOK {
		return n, fmt.Errorf("GET need %s: status %d: %s", id, status, b)
	}
	return n, json.Unmarshal(b, &n)
}

// runPledges pledges one unit at a time from the donor with c.clients
// clients: to one hot need, to needs drawn at random from the spread, and to
// the scarce need until it runs out and beyond. After each case it reads the
// needs back through the API and checks that what they show as pledged is
// exactly what was answered 201, and equals the sum of their pledges.
func runPledges(ctx context.Context, c config, dialect string, app *launch.Process, f *fixtures, ns pledgeNeeds) []pledgeRun {
	base := app.URL
	hc := client(c.clients)
	defer hc.CloseIdleConnections()
	body := []byte(`{"donor_id":"` + f.donor + `","quantity":1}`)
	cases := []struct {
		name    string
		needs   []string
		warmup  time.Duration
		dur     time.Duration
		scarce  bool
		seedOff uint64
	}{
		{"one hot need", []string{ns.hot}, c.warmup, c.duration, false, 1},
		{fmt.Sprintf("%d distinct needs", len(ns.spread)), ns.spread, c.warmup, c.duration, false, 2},
		{fmt.Sprintf("one need of %d units, runs out", c.scarce), []string{ns.scarce}, 0, c.scarceDuration, true, 3},
	}
	var out []pledgeRun
	for _, pc := range cases {
		var created atomic.Int64
		do := func(ctx context.Context, rng *rand.Rand) (int, error) {
			id := pc.needs[rng.IntN(len(pc.needs))]
			status, _, err := call(ctx, hc, http.MethodPost, base+"/api/v1/needs/"+id+"/pledges", f.token, body)
			if err == nil && status == http.StatusCreated {
				created.Add(1)
			}
			return status, err
		}
		r := measure(ctx, c, app.PID(), c.clients, pc.warmup, pc.dur, pc.seedOff, http.StatusCreated, do)
		run := pledgeRun{dialect: dialect, name: pc.name, res: r, created: created.Load()}
		run.check, run.checkOK = checkPledged(ctx, hc, base, f.token, pc.needs, run.created, len(r.refused), pc.scarce, c.scarce)
		if r.errors > 0 {
			run.checkOK = false
		}
		fmt.Printf("  %-8s pledges, %-34s %7.0f created/s  p50 %7.2f ms  p99 %7.2f ms  409: %6d (p50 %6.2f ms, p99 %6.2f ms)  errors %d %s\n    %s; %s\n",
			dialect, pc.name+":", r.rps(), ms(pct(r.ok, .5)), ms(pct(r.ok, .99)), len(r.refused), ms(pct(r.refused, .5)), ms(pct(r.refused, .99)),
			r.errors, r.firstErr, run.check, cpuNote(r))
		out = append(out, run)
	}
	return out
}

// checkPledged reads the needs back and compares their pledged figures with
// the 201s answered and with the sum of their pledges; for the scarce need,
// once pledges were refused, it also checks that pledged equals the quantity
// exactly and that the need shows as pledged.
func checkPledged(ctx context.Context, hc *http.Client, base, token string, ids []string, created int64, refused int, scarce bool, quantity int64) (string, bool) {
	var pledged, count int64
	var problems []string
	for _, id := range ids {
		n, err := readNeed(ctx, hc, base, token, id)
		if err != nil {
			return "check failed: " + err.Error(), false
		}
		pledged += n.Pledged
		var own int64
		for _, p := range n.Pledges {
			if p.Status == "offered" || p.Status == "accepted" {
				own += p.Quantity
			}
		}
		count += int64(len(n.Pledges))
		if own != n.Pledged {
			problems = append(problems, fmt.Sprintf("need %s shows %d pledged but its pledges add up to %d", id, n.Pledged, own))
		}
		if n.Pledged > n.Quantity {
			problems = append(problems, fmt.Sprintf("need %s is over-pledged: %d of %d", id, n.Pledged, n.Quantity))
		}
		if scarce && refused == 0 && n.Pledged < quantity {
			return fmt.Sprintf("the need did not run out (%d of %d pledged = %d answered 201): lengthen -scarce-duration", n.Pledged, quantity, created), false
		}
		if scarce {
			if n.Pledged != quantity || n.Quantity != quantity || n.Status != "pledged" {
				problems = append(problems, fmt.Sprintf("scarce need %s: pledged %d, quantity %d, status %s; want %d, %d, pledged",
					id, n.Pledged, n.Quantity, n.Status, quantity, quantity))
			}
		}
	}
	if pledged != created {
		problems = append(problems, fmt.Sprintf("the needs show %d pledged but %d pledges were answered 201", pledged, created))
	}
	if len(problems) > 0 {
		if len(problems) > 5 {
			problems = append(problems[:5], fmt.Sprintf("and %d more", len(problems)-5))
		}
		return "INVARIANT BROKEN: " + strings.Join(problems, "; "), false
	}
	what := fmt.Sprintf("ok: %d pledged = %d answered 201 = sum of %d pledges", pledged, created, count)
	if scarce {
		what = fmt.Sprintf("ok: pledged = quantity = %d = answered 201 = sum of %d pledges; status pledged", quantity, count)
	}
	return what, true
}
