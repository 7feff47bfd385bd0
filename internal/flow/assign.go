package flow

// Assignment problems: every node a source or a sink of one unit, every arc
// from a source to a sink. The network simplex is slow on them, its bases
// being highly degenerate (n/2 units over n-1 tree arcs); successive shortest
// augmenting paths, as in Jonker and Volgenant's method (Computing 38, 1987)
// for sparse problems, solve them directly: a dual start by column and row
// reduction, then for each unassigned source a Dijkstra search over reduced
// costs, stopped at the first free sink it settles, after which the duals of
// the settled nodes move so that the path is tight and every reduced cost
// stays nonnegative.
//
// Sources are "rows", sinks "columns". With row duals u and column duals v,
// an arc r -> c has reduced cost c(r,c) - u[r] - v[c] >= 0, and 0 when it
// carries the row's unit: the Solution's potentials are u for rows and -v
// for columns.

import (
	"math"
)

// assignment is an assignment problem set up for augmenting paths.
type assignment struct {
	net        *network
	rows, cols []int32 // node of each row / column
	index      []int32 // per node: its row or column number
	first      []int32 // per row, len rows+1: its arcs are arcs[first[r]:first[r+1]]
	arcs       []int32 // arc indices grouped by row
	u, v       []int64 // duals
	colArc     []int32 // per column: the arc that assigns it, or -1
	rowArc     []int32 // per row: the arc that assigns it, or -1

	// Dijkstra's state, per column, reset only where a search touched it.
	dist    []int64
	predArc []int32 // the arc over which the column was reached
	heap    []int32 // columns, a binary heap on dist
	pos     []int32 // per column: its place in heap, -1 if absent, -2 if settled
	touched []int32
}

// assignmentOf returns net as an assignment problem, or nil if it is not
// one: some supply other than ±1, an arc not from a source to a sink, a
// lower bound, a capacity below 1, or costs beyond the solver's bounds
// (which the simplex then reports).
func assignmentOf(net *network) *assignment {
	n, m := net.n, len(net.src)
	if n == 0 || m == 0 || n+1 > math.MaxInt32 {
		return nil
	}
	a := &assignment{net: net, index: make([]int32, n)}
	for i, b := range net.supply {
		switch b {
		case 1:
			a.index[i] = int32(len(a.rows))
			a.rows = append(a.rows, int32(i))
		case -1:
			a.index[i] = int32(len(a.cols))
			a.cols = append(a.cols, int32(i))
		default:
			return nil
		}
	}
	if len(a.rows) != len(a.cols) {
		return nil
	}
	var cmax int64
	for e := 0; e < m; e++ {
		s, t := net.src[e], net.tgt[e]
		if net.supply[s] != 1 || net.supply[t] != -1 || net.lower[e] != 0 || net.cap[e] < 1 {
			return nil
		}
		c := net.cost[e]
		if c < -MaxCostSpan || c > MaxCostSpan {
			return nil
		}
		cmax = max(cmax, c, -c)
	}
	if cmax > 0 && int64(n+1) > MaxCostSpan/cmax {
		return nil
	}
	// Arcs grouped by row, by a counting sort that keeps their order.
	nr := len(a.rows)
	a.first = make([]int32, nr+1)
	for e := 0; e < m; e++ {
		a.first[a.index[net.src[e]]+1]++
	}
	for r := 0; r < nr; r++ {
		a.first[r+1] += a.first[r]
	}
	a.arcs = make([]int32, m)
	fill := make([]int32, nr)
	copy(fill, a.first[:nr])
	for e := 0; e < m; e++ {
		r := a.index[net.src[e]]
		a.arcs[fill[r]] = int32(e)
		fill[r]++
	}
	return a
}

// solve finds an optimal assignment. It returns nil if there is none (some
// rows cannot all be assigned), leaving net unchanged for the simplex to
// report why; otherwise the solution, which takes over net.lower (all zero)
// as its flows.
func (a *assignment) solve() *Solution {
	net := a.net
	nr := len(a.rows)
	cost, tgt := net.cost, net.tgt
	const unset = math.MaxInt64
	a.u = make([]int64, nr)
	a.v = make([]int64, nr)
	a.colArc = make([]int32, nr)
	a.rowArc = make([]int32, nr)
	a.dist = make([]int64, nr)
	a.predArc = make([]int32, nr)
	a.pos = make([]int32, nr)
	u, v, colArc, rowArc := a.u, a.v, a.colArc, a.rowArc

	// Column reduction: v[c] is the cheapest arc into c.
	for c := range v {
		v[c] = unset
		colArc[c] = -1
		a.pos[c] = -1
		a.dist[c] = unset
	}
	for _, e := range a.arcs {
		c := a.index[tgt[e]]
		if cost[e] < v[c] {
			v[c] = cost[e]
		}
	}
	for c := range v {
		if v[c] == unset {
			return nil // a column no arc reaches
		}
	}
	// Column c goes to the row of its cheapest arc, if that row is free.
	for r := range rowArc {
		rowArc[r] = -1
	}
	for r := 0; r < nr; r++ {
		if a.first[r] == a.first[r+1] {
			return nil // a row with no arc
		}
	}
	for _, e := range a.arcs {
		r, c := a.index[net.src[e]], a.index[tgt[e]]
		if cost[e] == v[c] && colArc[c] < 0 && rowArc[r] < 0 {
			colArc[c], rowArc[r] = e, e
		}
	}
	a.reduceRows()
	// Row duals: the least reduced cost of each row, which is that of its
	// arc for an assigned row.
	for r := 0; r < nr; r++ {
		best := int64(unset)
		for _, e := range a.arcs[a.first[r]:a.first[r+1]] {
			best = min(best, cost[e]-v[a.index[tgt[e]]])
		}
		u[r] = best
	}
	for r := 0; r < nr; r++ {
		if rowArc[r] < 0 && !a.augment(int32(r)) {
			return nil
		}
	}

	sol := &Solution{Flow: net.lower, Potential: make([]int64, net.n)}
	var acc int128
	for _, e := range rowArc {
		sol.Flow[e] = 1
		acc.addMul(cost[e], 1)
	}
	for r, node := range a.rows {
		sol.Potential[node] = u[r]
	}
	for c, node := range a.cols {
		sol.Potential[node] = -v[c]
	}
	sol.Cost, _ = acc.int64() // n·cmax is within MaxCostSpan
	return sol
}

// reduceRows is Jonker and Volgenant's augmenting row reduction, an auction
// without a minimum increment: a free row takes the column of its least
// reduced cost c - v, lowering that column's dual v so that the column costs
// it as much as its second best, and the row that held the column, if any,
// becomes free. Every assigned row keeps a column of least reduced cost, so
// the duals stay feasible whenever it stops. It makes two passes over the
// free rows and stops early after 4 bids per row, or before a dual would
// leave the range that keeps the later searches within int64.
func (a *assignment) reduceRows() {
	net := a.net
	cost, src, tgt := net.cost, net.src, net.tgt
	v, colArc, rowArc := a.v, a.colArc, a.rowArc
	nr := len(a.rows)
	var cmax int64
	for _, c := range cost[:len(net.src)] {
		cmax = max(cmax, c, -c)
	}
	floor := -2 * int64(net.n+1) * cmax
	free := make([]int32, 0, nr)
	for r := 0; r < nr; r++ {
		if rowArc[r] < 0 {
			free = append(free, int32(r))
		}
	}
	budget := 4 * nr
	for pass := 0; pass < 2 && len(free) > 0; pass++ {
		next := free[:0:0]
		for k := 0; k < len(free); k++ {
			r := free[k]
			for budget > 0 {
				budget--
				u1, u2 := int64(math.MaxInt64), int64(math.MaxInt64)
				e1, e2 := int32(-1), int32(-1)
				for _, e := range a.arcs[a.first[r]:a.first[r+1]] {
					rc := cost[e] - v[a.index[tgt[e]]]
					if rc < u2 {
						if rc < u1 {
							u2, e2 = u1, e1
							u1, e1 = rc, e
						} else {
							u2, e2 = rc, e
						}
					}
				}
				if e2 < 0 {
					u2, e2 = u1, e1
				}
				c := a.index[tgt[e1]]
				strict := u1 < u2
				if strict {
					if v[c]-(u2-u1) < floor {
						budget = 0
						break
					}
					v[c] -= u2 - u1
				} else if colArc[c] >= 0 {
					e1, c = e2, a.index[tgt[e2]]
				}
				owner := int32(-1)
				if old := colArc[c]; old >= 0 {
					owner = a.index[src[old]]
					rowArc[owner] = -1
				}
				colArc[c], rowArc[r] = e1, e1
				if owner < 0 {
					break
				}
				if !strict {
					next = append(next, owner)
					break
				}
				r = owner // the evicted row bids at once
			}
			if budget == 0 {
				// Out of bids: the rows not yet seen stay free.
				if rowArc[r] < 0 {
					next = append(next, r)
				}
				next = append(next, free[k+1:]...)
				break
			}
		}
		free = next
	}
}

// augment assigns row r0 by a shortest augmenting path and updates the duals;
// it returns false if no path reaches a free column.
func (a *assignment) augment(r0 int32) bool {
	net := a.net
	cost, src, tgt := net.cost, net.src, net.tgt
	u, v, dist, predArc, pos := a.u, a.v, a.dist, a.predArc, a.pos
	a.heap = a.heap[:0]
	a.touched = a.touched[:0]

	// scan relaxes the arcs of row r, reached at distance d.
	scan := func(r int32, d int64) {
		ur := u[r]
		for _, e := range a.arcs[a.first[r]:a.first[r+1]] {
			c := a.index[tgt[e]]
			if pos[c] == -2 {
				continue
			}
			nd := d + cost[e] - ur - v[c]
			if nd < dist[c] {
				if dist[c] == math.MaxInt64 {
					a.touched = append(a.touched, c)
				}
				dist[c], predArc[c] = nd, e
				a.push(c)
			}
		}
	}
	scan(r0, 0)
	free, total := int32(-1), int64(0)
	for len(a.heap) > 0 {
		c := a.pop()
		pos[c] = -2
		if a.colArc[c] < 0 {
			free, total = c, dist[c]
			break
		}
		scan(a.index[src[a.colArc[c]]], dist[c])
	}
	if free < 0 {
		a.reset()
		return false
	}
	// Duals of the settled part: every settled column c and its row move by
	// total - dist[c], the start row by total.
	u[r0] += total
	for _, c := range a.touched {
		if pos[c] == -2 && c != free {
			delta := total - dist[c]
			v[c] -= delta
			u[a.index[src[a.colArc[c]]]] += delta
		}
	}
	// Flip the path.
	for c := free; ; {
		e := predArc[c]
		r := a.index[src[e]]
		prev := a.rowArc[r]
		a.rowArc[r], a.colArc[c] = e, e
		if r == r0 {
			break
		}
		c = a.index[tgt[prev]]
	}
	a.reset()
	return true
}

// reset clears the search state of the columns the last search touched.
func (a *assignment) reset() {
	for _, c := range a.touched {
		a.dist[c] = math.MaxInt64
		a.pos[c] = -1
	}
}

// push inserts column c into the heap or moves it up after its distance fell.
func (a *assignment) push(c int32) {
	h, pos, dist := a.heap, a.pos, a.dist
	i := int(pos[c])
	if i < 0 {
		i = len(h)
		h = append(h, c)
		a.heap = h
	}
	d := dist[c]
	for i > 0 {
		p := (i - 1) / 2
		if dist[h[p]] <= d {
			break
		}
		h[i] = h[p]
		pos[h[i]] = int32(i)
		i = p
	}
	h[i] = c
	pos[c] = int32(i)
}

// pop removes and returns the column of least distance.
func (a *assignment) pop() int32 {
	h, pos, dist := a.heap, a.pos, a.dist
	top := h[0]
	last := h[len(h)-1]
	h = h[:len(h)-1]
	a.heap = h
	if len(h) > 0 {
		d := dist[last]
		i := 0
		for {
			l := 2*i + 1
			if l >= len(h) {
				break
			}
			if r := l + 1; r < len(h) && dist[h[r]] < dist[h[l]] {
				l = r
			}
			if dist[h[l]] >= d {
				break
			}
			h[i] = h[l]
			pos[h[i]] = int32(i)
			i = l
		}
		h[i] = last
		pos[last] = int32(i)
	}
	return top
}
