package allocation

// Independent references for small requests: the usable lanes worked out
// again from the documented rules, Edmonds-Karp maximum flow, and successive
// shortest paths (Bellman-Ford) for minimum cost. Slow and simple on purpose;
// they share no code with the package or with internal/flow.

import (
	"math"
)

// refLane is the lane a (donor, need) pair is served by.
type refLane struct {
	cost int64
	days int
}

type refPair struct{ donor, need int }

// refUsable returns the usable lane of every pair whose donor has stock and
// whose need has a quantity. Requests from the generator use midnight UTC
// dates, so Today + days <= NeededBy is a plain time comparison.
func refUsable(req *Request) map[refPair]refLane {
	fits := func(n Need, days int) bool {
		return n.NeededBy.IsZero() || !req.Today.AddDate(0, 0, days).After(n.NeededBy)
	}
	out := map[refPair]refLane{}
	for d, s := range req.Supplies {
		for i, n := range req.Needs {
			if s.Available == 0 || n.Quantity == 0 {
				continue
			}
			any := false
			var best *refLane
			for _, l := range req.Lanes {
				if l.DonorID != s.DonorID || l.NeedID != n.ID {
					continue
				}
				any = true
				if fits(n, l.TransitDays) && (best == nil || l.UnitCost < best.cost || (l.UnitCost == best.cost && l.TransitDays < best.days)) {
					best = &refLane{l.UnitCost, l.TransitDays}
				}
			}
			if !any && s.Lat != nil && n.Lat != nil {
				// Haversine, written out again.
				φ1, φ2 := *s.Lat*math.Pi/180, *n.Lat*math.Pi/180
				Δφ, Δλ := φ2-φ1, (*n.Lon-*s.Lon)*math.Pi/180
				h := math.Pow(math.Sin(Δφ/2), 2) + math.Cos(φ1)*math.Cos(φ2)*math.Pow(math.Sin(Δλ/2), 2)
				km := 2 * 6371 * math.Asin(math.Sqrt(h))
				l := refLane{1 + int64(math.Round(km/100)), 1 + int(math.Ceil(km/800))}
				if fits(n, l.days) {
					best = &l
				}
			}
			if best != nil {
				out[refPair{d, i}] = *best
			}
		}
	}
	return out
}

// refMaxFlow returns the most units the donors can ship to the needs over
// the pairs given, need i receiving at most want[i] (Edmonds-Karp).
func refMaxFlow(req *Request, pairs map[refPair]refLane, want []int64) int64 {
	nd, nn := len(req.Supplies), len(req.Needs)
	n := nd + nn + 2
	s, t := n-2, n-1
	c := make([][]int64, n)
	for i := range c {
		c[i] = make([]int64, n)
	}
	for d, sp := range req.Supplies {
		c[s][d] = sp.Available
	}
	for p := range pairs {
		c[p.donor][nd+p.need] = math.MaxInt32
	}
	for i := range req.Needs {
		c[nd+i][t] = want[i]
	}
	var total int64
	for {
		prev := make([]int, n)
		for i := range prev {
			prev[i] = -1
		}
		prev[s] = s
		queue := []int{s}
		for len(queue) > 0 && prev[t] < 0 {
			v := queue[0]
			queue = queue[1:]
			for w := 0; w < n; w++ {
				if prev[w] < 0 && c[v][w] > 0 {
					prev[w] = v
					queue = append(queue, w)
				}
			}
		}
		if prev[t] < 0 {
			return total
		}
		aug := int64(math.MaxInt64)
		for w := t; w != s; w = prev[w] {
			aug = min(aug, c[prev[w]][w])
		}
		for w := t; w != s; w = prev[w] {
			c[prev[w]][w] -= aug
			c[w][prev[w]] += aug
		}
		total += aug
	}
}

// refMinCost returns a flow from the donors to the needs over pairs, need i
// receiving at most want[i] and earning value[i] per unit, that minimizes
// shipping minus earnings, delivering the most units among such flows; it
// returns the units delivered per need and the shipping cost (successive
// shortest paths with Bellman-Ford, augmenting while a path does not lose).
func refMinCost(req *Request, pairs map[refPair]refLane, want, value []int64) ([]int64, int64) {
	nd, nn := len(req.Supplies), len(req.Needs)
	n := nd + nn + 2
	s, t := n-2, n-1
	type edge struct {
		to, rev   int
		cap, cost int64
	}
	g := make([][]edge, n)
	add := func(a, b int, cp, cost int64) {
		g[a] = append(g[a], edge{b, len(g[b]), cp, cost})
		g[b] = append(g[b], edge{a, len(g[a]) - 1, 0, -cost})
	}
	for d, sp := range req.Supplies {
		add(s, d, sp.Available, 0)
	}
	for p, l := range pairs {
		add(p.donor, nd+p.need, math.MaxInt32, l.cost)
	}
	for i := range req.Needs {
		add(nd+i, t, want[i], -value[i])
	}
	for {
		const inf = math.MaxInt64 / 4
		dist := make([]int64, n)
		prevNode, prevEdge := make([]int, n), make([]int, n)
		for i := range dist {
			dist[i] = inf
		}
		dist[s] = 0
		for range n {
			changed := false
			for v := range n {
				if dist[v] == inf {
					continue
				}
				for k, e := range g[v] {
					if e.cap > 0 && dist[v]+e.cost < dist[e.to] {
						dist[e.to] = dist[v] + e.cost
						prevNode[e.to], prevEdge[e.to] = v, k
						changed = true
					}
				}
			}
			if !changed {
				break
			}
		}
		if dist[t] == inf || dist[t] > 0 {
			break
		}
		aug := int64(math.MaxInt64)
		for v := t; v != s; v = prevNode[v] {
			aug = min(aug, g[prevNode[v]][prevEdge[v]].cap)
		}
		for v := t; v != s; v = prevNode[v] {
			e := &g[prevNode[v]][prevEdge[v]]
			e.cap -= aug
			g[v][e.rev].cap += aug
		}
	}
	delivered := make([]int64, nn)
	var cost int64
	for d := range nd {
		for _, e := range g[d] {
			if e.to >= nd && e.to < nd+nn {
				x := g[e.to][e.rev].cap // flow on a forward lane edge
				cost += x * e.cost
				delivered[e.to-nd] += x
			}
		}
	}
	return delivered, cost
}
