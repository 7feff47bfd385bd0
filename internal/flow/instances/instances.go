// Package instances makes seeded minimum-cost flow instances in DIMACS format
// for benchmarks and cross-checks with other solvers (bench/allocation/gen
// and internal/flow's tests). Each family is always feasible, so every exact
// solver must find the same optimum:
//
//   - netgen: a random transshipment network in the manner of Klingman, Napier
//     and Stutz's NETGEN (1974): a twentieth of the nodes are sources and a
//     twentieth sinks; a skeleton of chains from each source through
//     transshipment nodes to sinks carries the supply (so the instance is
//     feasible), and the remaining arcs join random nodes, with costs
//     1..10,000 and capacities 100..1,000.
//   - grid: a GRIDGEN-like grid of rows x columns nodes with arcs between
//     neighbours in both directions, further arcs between random nodes of
//     nearby columns, a super source feeding the first column and a super sink
//     draining the last; every arc carries at least 100, so rows·100 units,
//     the demand, always fit along the rows.
//   - assign: an assignment problem, nodes/2 persons (supply 1) and nodes/2
//     tasks (demand 1), each person with arcs/(nodes/2) arcs of capacity 1 to
//     distinct tasks, one of them along a random permutation so that a
//     perfect assignment exists; costs 1..1,000.
//   - lowneg: the netgen network where a quarter of the skeleton arcs have a
//     lower bound (at most the flow the skeleton itself routes over them, so
//     the instance stays feasible), every cost is shifted by the difference of
//     random potentials of its ends (cost + p(u) - p(v), p in 0..5,000), which
//     makes about a tenth of the costs negative without changing the cost of
//     any cycle, and one arc in a hundred gets a truly negative cost
//     (-200..-1) with a capacity of 1..20, so that there are negative cycles,
//     bounded by capacities.
package instances

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
)

// arcWriter writes DIMACS lines with strconv, without fmt's cost per line.
type arcWriter struct {
	w   *bufio.Writer
	buf []byte
}

func (a *arcWriter) node(id int, b int64) {
	a.buf = append(a.buf[:0], "n "...)
	a.buf = strconv.AppendInt(a.buf, int64(id), 10)
	a.buf = append(a.buf, ' ')
	a.buf = strconv.AppendInt(a.buf, b, 10)
	a.buf = append(a.buf, '\n')
	a.w.Write(a.buf)
}

func (a *arcWriter) arc(u, v int, lo, cp, cost int64) {
	a.buf = append(a.buf[:0], "a "...)
	a.buf = strconv.AppendInt(a.buf, int64(u), 10)
	a.buf = append(a.buf, ' ')
	a.buf = strconv.AppendInt(a.buf, int64(v), 10)
	a.buf = append(a.buf, ' ')
	a.buf = strconv.AppendInt(a.buf, lo, 10)
	a.buf = append(a.buf, ' ')
	a.buf = strconv.AppendInt(a.buf, cp, 10)
	a.buf = append(a.buf, ' ')
	a.buf = strconv.AppendInt(a.buf, cost, 10)
	a.buf = append(a.buf, '\n')
	a.w.Write(a.buf)
}

// dimacsArc is one arc to be written, with 1-based node ids.
type dimacsArc struct {
	u, v         int32
	lo, cp, cost int64
}

// writeProblem writes a whole problem: the comment, the problem line, the
// nonzero supplies and the arcs.
func writeProblem(w *bufio.Writer, comment string, supply []int64, arcs []dimacsArc) error {
	fmt.Fprintf(w, "c %s\n", comment)
	fmt.Fprintf(w, "p min %d %d\n", len(supply), len(arcs))
	aw := &arcWriter{w: w}
	for i, b := range supply {
		if b != 0 {
			aw.node(i+1, b)
		}
	}
	for _, a := range arcs {
		aw.arc(int(a.u), int(a.v), a.lo, a.cp, a.cost)
	}
	return w.Flush()
}

// Families lists the families Write makes.
var Families = []string{"netgen", "grid", "assign", "lowneg"}

// Write writes an instance of family with about n nodes and m arcs, made
// from seed, in DIMACS format. It returns an error for an unknown family,
// sizes the family cannot make, or the first write error.
func Write(w *bufio.Writer, family string, n, m int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 0x6169646272696467)) // "aidbridg"
	var supply []int64
	var arcs []dimacsArc
	var err error
	switch family {
	case "netgen":
		supply, arcs, err = netgen(rng, n, m, false)
	case "lowneg":
		supply, arcs, err = netgen(rng, n, m, true)
	case "grid":
		supply, arcs, err = grid(rng, n, m)
	case "assign":
		supply, arcs, err = assign(rng, n, m)
	default:
		return fmt.Errorf("unknown family %q (%v)", family, Families)
	}
	if err != nil {
		return err
	}
	return writeProblem(w, fmt.Sprintf("aidbridge %s instance: %d nodes, %d arcs, seed %d", family, len(supply), len(arcs), seed), supply, arcs)
}

// netgen returns a NETGEN-like transshipment network of n nodes and m arcs;
// with lowneg it adds lower bounds and negative costs as described above.
func netgen(rng *rand.Rand, n, m int, lowneg bool) ([]int64, []dimacsArc, error) {
	sources, sinks := max(1, n/20), max(1, n/20)
	if sources+sinks > n || m < n {
		return nil, nil, fmt.Errorf("netgen needs at least 2 nodes and as many arcs as nodes (got %d nodes, %d arcs)", n, m)
	}
	supply := make([]int64, n)
	arcs := make([]dimacsArc, 0, m)
	// Nodes 1..sources are sources, the next sinks are sinks, the rest
	// transshipment nodes, visited in random order by the skeleton.
	trans := rng.Perm(n - sources - sinks)
	chains := max(sources, sinks)
	per := len(trans) / chains
	for c := 0; c < chains; c++ {
		s, t := 1+c%sources, 1+sources+c%sinks
		x := 1 + rng.Int64N(1000) // the units this chain carries
		supply[s-1] += x
		supply[t-1] -= x
		prev := s
		hops := trans[c*per : (c+1)*per]
		if c == chains-1 {
			hops = trans[c*per:]
		}
		for _, h := range append(hops, -1) {
			next := t
			if h >= 0 {
				next = 1 + sources + sinks + h
			}
			a := dimacsArc{u: int32(prev), v: int32(next), cp: x + rng.Int64N(1000), cost: 1 + rng.Int64N(10000)}
			if lowneg && rng.IntN(4) == 0 {
				a.lo = rng.Int64N(x + 1)
			}
			arcs = append(arcs, a)
			prev = next
		}
	}
	for len(arcs) < m {
		a := dimacsArc{u: int32(1 + rng.IntN(n)), v: int32(1 + rng.IntN(n)), cp: 100 + rng.Int64N(901), cost: 1 + rng.Int64N(10000)}
		if lowneg && rng.IntN(100) == 0 {
			a.cp, a.cost = 1+rng.Int64N(20), -1-rng.Int64N(200)
		}
		arcs = append(arcs, a)
	}
	if lowneg {
		p := make([]int64, n+1)
		for i := range p {
			p[i] = rng.Int64N(5001)
		}
		for i := range arcs {
			arcs[i].cost += p[arcs[i].u] - p[arcs[i].v]
		}
	}
	if len(arcs) > m {
		return nil, nil, fmt.Errorf("netgen: the skeleton alone has %d arcs, more than %d", len(arcs), m)
	}
	rng.Shuffle(len(arcs), func(i, j int) { arcs[i], arcs[j] = arcs[j], arcs[i] })
	return supply, arcs, nil
}

// grid returns a GRIDGEN-like grid network of about n nodes and m arcs.
func grid(rng *rand.Rand, n, m int) ([]int64, []dimacsArc, error) {
	rows := 1
	for (rows+1)*(rows+1)*4 <= n { // columns = 4 rows: a wide grid
		rows++
	}
	cols := (n - 2) / rows
	if rows < 1 || cols < 2 {
		return nil, nil, fmt.Errorf("grid needs at least 4 nodes (got %d)", n)
	}
	nodes := rows*cols + 2
	src, sink := nodes-1, nodes
	id := func(r, c int) int32 { return int32(1 + r*cols + c) }
	arcs := make([]dimacsArc, 0, m)
	add := func(u, v int32) {
		arcs = append(arcs, dimacsArc{u: u, v: v, cp: 100 + rng.Int64N(901), cost: 1 + rng.Int64N(10000)})
	}
	for r := 0; r < rows; r++ {
		arcs = append(arcs, dimacsArc{u: int32(src), v: id(r, 0), cp: 1000, cost: 0})
		arcs = append(arcs, dimacsArc{u: id(r, cols-1), v: int32(sink), cp: 1000, cost: 0})
		for c := 0; c < cols; c++ {
			if c+1 < cols {
				add(id(r, c), id(r, c+1))
				add(id(r, c+1), id(r, c))
			}
			if r+1 < rows {
				add(id(r, c), id(r+1, c))
				add(id(r+1, c), id(r, c))
			}
		}
	}
	if len(arcs) > m {
		return nil, nil, fmt.Errorf("grid: %d arcs are too few for a %dx%d grid", m, rows, cols)
	}
	for len(arcs) < m {
		r1, c1 := rng.IntN(rows), rng.IntN(cols)
		r2, c2 := rng.IntN(rows), min(cols-1, max(0, c1+rng.IntN(11)-5))
		add(id(r1, c1), id(r2, c2))
	}
	supply := make([]int64, nodes)
	supply[src-1], supply[sink-1] = int64(rows)*100, -int64(rows)*100
	return supply, arcs, nil
}

// assign returns an assignment problem of n nodes (n/2 persons, n/2 tasks)
// and about m arcs.
func assign(rng *rand.Rand, n, m int) ([]int64, []dimacsArc, error) {
	p := n / 2
	k := m / max(p, 1)
	if p < 1 || k < 1 || k > p {
		return nil, nil, fmt.Errorf("assign needs 2 <= nodes and nodes/2 <= arcs <= nodes²/4 (got %d, %d)", n, m)
	}
	supply := make([]int64, 2*p)
	for i := 0; i < p; i++ {
		supply[i], supply[p+i] = 1, -1
	}
	perm := rng.Perm(p)
	arcs := make([]dimacsArc, 0, p*k)
	picked := make([]int, 0, k)
	for i := 0; i < p; i++ {
		// The permutation's task goes in at a random place among the others.
		picked = append(picked[:0], perm[i])
		for len(picked) < k {
			if t := rng.IntN(p); !slices.Contains(picked, t) {
				picked = append(picked, t)
			}
		}
		j := rng.IntN(k)
		picked[0], picked[j] = picked[j], picked[0]
		for _, t := range picked {
			arcs = append(arcs, dimacsArc{u: int32(i + 1), v: int32(p + t + 1), cp: 1, cost: 1 + rng.Int64N(1000)})
		}
	}
	return supply, arcs, nil
}
