package flow

// Assignment problems: every node a source or a sink of one unit, every arc
// from a source to a sink. The network simplex is slow on them, its bases
// being highly degenerate (n/2 units over n-1 tree arcs); successive shortest
// augmenting paths, as in Jonker and Volgenant's method (Computing 38, 1987)
// for sparse problems, solve them directly: a dual start by column reduction
// and augmenting row reduction, then for each unassigned source a Dijkstra
// search over reduced costs, stopped at the first free sink it settles, after
// which the duals of the settled nodes move so that the path is tight and
// every reduced cost stays nonnegative.
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
	// The arcs grouped by row: row r's are the slots first[r]..first[r+1]-1,
	// slot k being arc arcs[k] to column col[k] at cost cst[k].
	first   []int32
	arcs    []int32
	col     []int32
	cst     []int64
	u, v    []int64 // duals
	rowSlot []int32 // per row: the slot that assigns it, or -1
	colRow  []int32 // per column: the row assigned to it, or -1

	// Dijkstra's state, per column, reset only where a search touched it.
	dist     []int64
	predSlot []int32 // the slot over which the column was reached
	heap     []int32 // columns, a binary heap on dist
	pos      []int32 // per column: its place in heap, -1 if absent, -2 if settled
	touched  []int32
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
	a.arcs, a.col, a.cst = make([]int32, m), make([]int32, m), make([]int64, m)
	fill := make([]int32, nr)
	copy(fill, a.first[:nr])
	for e := 0; e < m; e++ {
		k := fill[a.index[net.src[e]]]
		fill[a.index[net.src[e]]]++
		a.arcs[k], a.col[k], a.cst[k] = int32(e), a.index[net.tgt[e]], net.cost[e]
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
	col, cst := a.col, a.cst
	const unset = math.MaxInt64
	a.u = make([]int64, nr)
	a.v = make([]int64, nr)
	a.rowSlot = make([]int32, nr)
	a.colRow = make([]int32, nr)
	a.dist = make([]int64, nr)
	a.predSlot = make([]int32, nr)
	a.pos = make([]int32, nr)
	u, v, rowSlot, colRow := a.u, a.v, a.rowSlot, a.colRow

	// Column reduction: v[c] is the cheapest arc into c.
	for c := range v {
		v[c] = unset
		colRow[c] = -1
		rowSlot[c] = -1
		a.pos[c] = -1
		a.dist[c] = unset
	}
	for k, c := range col {
		v[c] = min(v[c], cst[k])
	}
	for c := range v {
		if v[c] == unset {
			return nil // a column no arc reaches
		}
	}
	// Column c goes to the row of its cheapest arc, if that row is free.
	for r := 0; r < nr; r++ {
		if a.first[r] == a.first[r+1] {
			return nil // a row with no arc
		}
		for k := a.first[r]; k < a.first[r+1]; k++ {
			if c := col[k]; cst[k] == v[c] && colRow[c] < 0 {
				colRow[c], rowSlot[r] = int32(r), k
				break
			}
		}
	}
	a.reduceRows()
	// Row duals: the least reduced cost of each row, which is that of its
	// arc for an assigned row.
	for r := 0; r < nr; r++ {
		best := int64(unset)
		for k := a.first[r]; k < a.first[r+1]; k++ {
			best = min(best, cst[k]-v[col[k]])
		}
		u[r] = best
	}
	for r := 0; r < nr; r++ {
		if rowSlot[r] < 0 && !a.augment(int32(r)) {
			return nil
		}
	}

	sol := &Solution{Flow: net.lower, Potential: make([]int64, net.n)}
	var acc int128
	for _, k := range rowSlot {
		sol.Flow[a.arcs[k]] = 1
		acc.addMul(cst[k], 1)
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
// the duals stay feasible whenever it stops. A row that lowered a dual
// displaces the holder, which bids at once; on a tie the displaced row waits
// for the next pass. It makes up to eight passes over the free rows (on
// bench/allocation's assignment instances, eight leave a quarter fewer rows
// to the searches than two) and stops early after 8 bids per row, or before
// a dual would leave the range that keeps the later searches within int64.
func (a *assignment) reduceRows() {
	col, cst := a.col, a.cst
	v, rowSlot, colRow := a.v, a.rowSlot, a.colRow
	nr := len(a.rows)
	var cmax int64
	for _, c := range cst {
		cmax = max(cmax, c, -c)
	}
	floor := -2 * int64(a.net.n+1) * cmax
	free := make([]int32, 0, nr)
	for r := 0; r < nr; r++ {
		if rowSlot[r] < 0 {
			free = append(free, int32(r))
		}
	}
	budget := 8 * nr
	for pass := 0; pass < 8 && len(free) > 0; pass++ {
		next := free[:0:0]
		for i := 0; i < len(free); i++ {
			r := free[i]
			for budget > 0 {
				budget--
				u1, u2 := int64(math.MaxInt64), int64(math.MaxInt64)
				k1, k2 := int32(-1), int32(-1)
				for k := a.first[r]; k < a.first[r+1]; k++ {
					if rc := cst[k] - v[col[k]]; rc < u2 {
						if rc < u1 {
							u2, k2 = u1, k1
							u1, k1 = rc, k
						} else {
							u2, k2 = rc, k
						}
					}
				}
				if k2 < 0 {
					u2, k2 = u1, k1
				}
				c := col[k1]
				strict := u1 < u2
				if strict {
					if v[c]-(u2-u1) < floor {
						budget = 0
						break
					}
					v[c] -= u2 - u1
				} else if colRow[c] >= 0 {
					k1, c = k2, col[k2]
				}
				owner := colRow[c]
				if owner >= 0 {
					rowSlot[owner] = -1
				}
				colRow[c], rowSlot[r] = r, k1
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
				if rowSlot[r] < 0 {
					next = append(next, r)
				}
				next = append(next, free[i+1:]...)
				break
			}
		}
		free = next
	}
}

// augment assigns row r0 by a shortest augmenting path and updates the duals;
// it returns false if no path reaches a free column.
func (a *assignment) augment(r0 int32) bool {
	col, cst := a.col, a.cst
	u, v, dist, predSlot, pos, colRow := a.u, a.v, a.dist, a.predSlot, a.pos, a.colRow
	a.heap = a.heap[:0]
	a.touched = a.touched[:0]

	// scan relaxes the arcs of row r, reached at distance d.
	scan := func(r int32, d int64) {
		d -= u[r]
		for k := a.first[r]; k < a.first[r+1]; k++ {
			c := col[k]
			if pos[c] == -2 {
				continue
			}
			if nd := d + cst[k] - v[c]; nd < dist[c] {
				if dist[c] == math.MaxInt64 {
					a.touched = append(a.touched, c)
				}
				dist[c], predSlot[c] = nd, k
				a.push(c)
			}
		}
	}
	scan(r0, 0)
	free, total := int32(-1), int64(0)
	for len(a.heap) > 0 {
		c := a.pop()
		pos[c] = -2
		if colRow[c] < 0 {
			free, total = c, dist[c]
			break
		}
		scan(colRow[c], dist[c])
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
			u[colRow[c]] += delta
		}
	}
	// Flip the path; each column's predecessor row is the row whose slot
	// reached it.
	for c := free; ; {
		k := predSlot[c]
		r := a.rowOf(k)
		prev := a.rowSlot[r]
		a.rowSlot[r], colRow[c] = k, r
		if r == r0 {
			break
		}
		c = col[prev]
	}
	a.reset()
	return true
}

// rowOf returns the row of slot k.
func (a *assignment) rowOf(k int32) int32 {
	return a.index[a.net.src[a.arcs[k]]]
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
	i := int(a.pos[c])
	if i < 0 {
		i = len(a.heap)
		a.heap = append(a.heap, c)
	}
	h, dist, d := a.heap, a.dist, a.dist[c]
	for ; i > 0 && dist[h[(i-1)/2]] > d; i = (i - 1) / 2 {
		a.place(i, h[(i-1)/2])
	}
	a.place(i, c)
}

// pop removes and returns the column of least distance.
func (a *assignment) pop() int32 {
	top, last := a.heap[0], a.heap[len(a.heap)-1]
	a.heap = a.heap[:len(a.heap)-1]
	h, dist := a.heap, a.dist
	if len(h) == 0 {
		return top
	}
	i, d := 0, dist[last]
	for {
		l := 2*i + 1
		if r := l + 1; r < len(h) && dist[h[r]] < dist[h[l]] {
			l = r
		}
		if l >= len(h) || dist[h[l]] >= d {
			break
		}
		a.place(i, h[l])
		i = l
	}
	a.place(i, last)
	return top
}

// place puts column c at index i of the heap.
func (a *assignment) place(i int, c int32) {
	a.heap[i] = c
	a.pos[c] = int32(i)
}
