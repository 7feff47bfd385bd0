package flow

// An independent reference for small problems: successive shortest paths with
// Bellman-Ford, after saturating negative-cost arcs. Slow and simple on
// purpose; it shares no code with the network simplex.

import (
	"errors"
	"fmt"
	"math"
)

type refStatus int

const (
	refOptimal refStatus = iota
	refInfeasible
	refUnbounded
	refInvalid
)

func (s refStatus) String() string {
	return [...]string{"optimal", "infeasible", "unbounded", "invalid"}[s]
}

// referenceSolve returns the optimal cost of p and its status. It assumes the
// numbers are small (no overflow care).
func referenceSolve(p *Problem) (int64, refStatus) {
	n := p.N
	var sum int64
	for _, b := range p.Supply {
		sum += b
	}
	if sum != 0 {
		return 0, refInvalid
	}
	for _, a := range p.Arcs {
		if a.Lower < 0 || (a.Cap != Inf && a.Cap < a.Lower) {
			return 0, refInvalid
		}
	}
	// A bound no basic flow exceeds, used as the capacity of uncapacitated
	// arcs.
	big := int64(1)
	for _, b := range p.Supply {
		big += max(b, -b)
	}
	for _, a := range p.Arcs {
		big += a.Lower
		if a.Cap != Inf {
			big += a.Cap
		}
	}

	// Residual graph over nodes 0..n-1, super source n, super sink n+1.
	type edge struct {
		to   int
		cap  int64
		cost int64
		rev  int // index of the reverse edge in g[to]
	}
	g := make([][]edge, n+2)
	addEdge := func(u, v int, c, cost int64) (int, int) {
		g[u] = append(g[u], edge{v, c, cost, len(g[v])})
		g[v] = append(g[v], edge{u, 0, -cost, len(g[u]) - 1})
		return u, len(g[u]) - 1
	}
	b := make([]int64, n)
	copy(b, p.Supply)
	var cost int64
	type ref struct{ u, i int }
	for _, a := range p.Arcs {
		c := a.Cap
		if c == Inf {
			c = big
		}
		b[a.From] -= a.Lower
		b[a.To] += a.Lower
		cost += a.Cost * a.Lower
		c -= a.Lower
		if a.Cost < 0 {
			// Saturate: the residual keeps only the reverse, of positive cost.
			b[a.From] -= c
			b[a.To] += c
			cost += a.Cost * c
			addEdge(a.To, a.From, c, -a.Cost)
		} else {
			addEdge(a.From, a.To, c, a.Cost)
		}
	}
	S, T := n, n+1
	var need int64
	for i, x := range b {
		if x > 0 {
			addEdge(S, i, x, 0)
			need += x
		} else if x < 0 {
			addEdge(i, T, -x, 0)
		}
	}
	for need > 0 {
		dist := make([]int64, n+2)
		for i := range dist {
			dist[i] = math.MaxInt64
		}
		prev := make([]ref, n+2)
		dist[S] = 0
		for round := 0; round < n+2; round++ {
			changed := false
			for u := range g {
				if dist[u] == math.MaxInt64 {
					continue
				}
				for i, e := range g[u] {
					if e.cap > 0 && dist[u]+e.cost < dist[e.to] {
						dist[e.to] = dist[u] + e.cost
						prev[e.to] = ref{u, i}
						changed = true
					}
				}
			}
			if !changed {
				break
			}
		}
		if dist[T] == math.MaxInt64 {
			return 0, refInfeasible
		}
		push := need
		for v := T; v != S; v = prev[v].u {
			push = min(push, g[prev[v].u][prev[v].i].cap)
		}
		for v := T; v != S; v = prev[v].u {
			e := &g[prev[v].u][prev[v].i]
			e.cap -= push
			g[v][e.rev].cap += push
		}
		need -= push
		cost += push * dist[T]
	}

	// Feasible: unbounded iff the uncapacitated arcs contain a negative
	// cycle (Floyd-Warshall on their costs).
	const unset = math.MaxInt64 / 4
	d := make([][]int64, n)
	for i := range d {
		d[i] = make([]int64, n)
		for j := range d[i] {
			d[i][j] = unset
		}
	}
	for _, a := range p.Arcs {
		if a.Cap == Inf {
			d[a.From][a.To] = min(d[a.From][a.To], a.Cost)
		}
	}
	for k := 0; k < n; k++ {
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				if d[i][k] < unset && d[k][j] < unset && d[i][k]+d[k][j] < d[i][j] {
					d[i][j] = d[i][k] + d[k][j]
				}
			}
		}
	}
	for i := 0; i < n; i++ {
		if d[i][i] < 0 {
			return 0, refUnbounded
		}
	}
	return cost, refOptimal
}

// fataler is what checkSolution needs of *testing.T and *rapid.T.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

// checkSolution fails t unless sol is a feasible flow of p with cost
// sol.Cost that the potentials prove optimal (complementary slackness).
func checkSolution(t fataler, p *Problem, sol *Solution) {
	t.Helper()
	if len(sol.Flow) != len(p.Arcs) || len(sol.Potential) != p.N {
		t.Fatalf("solution has %d flows and %d potentials, want %d and %d", len(sol.Flow), len(sol.Potential), len(p.Arcs), p.N)
	}
	net := make([]int64, p.N)
	var cost int64
	for i, a := range p.Arcs {
		x := sol.Flow[i]
		if x < a.Lower || (a.Cap != Inf && x > a.Cap) {
			t.Fatalf("arc %d %+v: flow %d outside its bounds", i, a, x)
		}
		net[a.From] += x
		net[a.To] -= x
		cost += a.Cost * x
		rc := a.Cost - sol.Potential[a.From] + sol.Potential[a.To]
		atLower, atUpper := x == a.Lower, a.Cap != Inf && x == a.Cap
		switch {
		case atLower && atUpper:
		case atLower && rc < 0:
			t.Fatalf("arc %d %+v at its lower bound has reduced cost %d < 0", i, a, rc)
		case atUpper && rc > 0:
			t.Fatalf("arc %d %+v at its capacity has reduced cost %d > 0", i, a, rc)
		case !atLower && !atUpper && rc != 0:
			t.Fatalf("arc %d %+v with flow %d strictly inside its bounds has reduced cost %d", i, a, x, rc)
		}
	}
	for i := range net {
		if net[i] != p.Supply[i] {
			t.Fatalf("node %d: net outflow %d, supply %d", i, net[i], p.Supply[i])
		}
	}
	if cost != sol.Cost {
		t.Fatalf("flows cost %d, solution says %d", cost, sol.Cost)
	}
}

// statusOf maps an error of Solve to a reference status.
func statusOf(err error) (refStatus, error) {
	switch {
	case err == nil:
		return refOptimal, nil
	case errors.Is(err, ErrInfeasible):
		return refInfeasible, nil
	case errors.Is(err, ErrUnbounded):
		return refUnbounded, nil
	case errors.Is(err, ErrInvalid):
		return refInvalid, nil
	}
	return 0, fmt.Errorf("unexpected error: %w", err)
}
