// Package flow is aidbridge's allocation engine: an exact minimum-cost flow
// solver (the primal network simplex method) and the DIMACS format used to
// exchange problems with other solvers.
//
// The package imports nothing else of aidbridge, so it can be tested and
// benchmarked on its own; callers build a Problem from needs, stock and lanes
// and map the Solution back.
//
// # The problem
//
// Nodes are numbered 0..N-1. Supply[i] > 0 makes node i a source of that many
// units, Supply[i] < 0 a sink; the supplies must sum to zero (DIMACS requires
// balance too; add a slack node to model "at most"). Each arc carries an
// integer flow x with Lower <= x <= Cap at Cost per unit; Cap == Inf means
// uncapacitated. A solution minimizes the sum of Cost*x subject to flow
// conservation: for every node, outflow - inflow = Supply.
//
// # Numeric bounds
//
// All quantities are int64. Solve refuses with ErrOverflow, before solving,
// a problem where the sum of |Supply| plus the finite capacities (the lower
// bound for uncapacitated arcs) exceeds MaxTotal = 2^61, or where
// (N+1)·max|Cost| exceeds MaxCostSpan = 2^60: within these bounds no flow,
// potential or reduced cost computed by the solver can overflow. The optimal
// cost is summed exactly (in 128 bits) and ErrOverflow is returned if it does
// not fit in an int64.
//
// # The method
//
// Solve is the primal network simplex method (Ahuja, Magnanti and Orlin,
// Network Flows, 1993, chapter 11) on strongly feasible spanning trees
// (Cunningham 1976), which cannot cycle, started from an artificial root with
// big-M arcs and priced by Grigoriadis's block search. When at least half of
// the arcs go from a supply node to a demand node, as in aidbridge's
// allocations (a transportation problem), it first runs the least-cost method
// as ordinary pivots: those arcs, cheapest first, which cuts the pivots about
// sixfold; blocks are then sqrt(arcs) arcs, and 3·sqrt(arcs) on other
// networks, where that was measured faster.
//
// An assignment problem (every supply 1 or -1, every arc from a supply node to
// a demand node, no lower bounds), such as a roster, is solved instead by
// shortest augmenting paths after Jonker and Volgenant's row reductions
// (assign.go): on such highly degenerate problems the simplex spends most of
// its pivots moving nothing. If it has no perfect assignment, the simplex
// solves it and reports why.
package flow

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// Inf is the capacity of an uncapacitated arc.
const Inf int64 = math.MaxInt64

// Bounds on the input that keep every intermediate value inside int64; see the
// package documentation.
const (
	// MaxTotal bounds the sum of |Supply| and of the arcs' finite
	// capacities (lower bounds for uncapacitated arcs).
	MaxTotal int64 = 1 << 61
	// MaxCostSpan bounds (N+1) times the largest |Cost|.
	MaxCostSpan int64 = 1 << 60
)

// Errors returned by Solve and SolveDIMACS; test for them with errors.Is. The
// returned errors wrap these with the value that caused them.
var (
	// ErrInvalid reports a malformed problem: a node out of range, a negative
	// lower bound, a capacity below the lower bound, unbalanced supplies, or
	// (from the DIMACS reader) a syntax error.
	ErrInvalid = errors.New("invalid flow problem")
	// ErrOverflow reports a problem whose numbers exceed the documented bounds.
	ErrOverflow = errors.New("numbers too large for int64")
	// ErrInfeasible reports that the supplies cannot be routed within the
	// arcs' bounds.
	ErrInfeasible = errors.New("infeasible")
	// ErrUnbounded reports a feasible problem with a cycle of uncapacitated
	// arcs of negative total cost, along which the cost decreases without
	// bound.
	ErrUnbounded = errors.New("unbounded")
)

// Arc is a directed arc From -> To (node indices) whose flow must lie in
// [Lower, Cap] and costs Cost per unit. Lower must be >= 0 (as in DIMACS);
// Cap == Inf means uncapacitated. Costs may be negative.
type Arc struct {
	From, To int
	Lower    int64
	Cap      int64
	Cost     int64
}

// Problem is a minimum-cost flow problem on nodes 0..N-1. Errors about it
// name nodes and arcs from 1, as DIMACS numbers them: node 0 is "node 1",
// Arcs[0] is "arc 1".
type Problem struct {
	N      int
	Supply []int64 // len N; > 0 supply, < 0 demand; must sum to 0
	Arcs   []Arc
}

// Solution is an optimal flow with its cost and a dual certificate.
//
// Potential is an optimal dual solution: with the reduced cost
// rc = Cost - Potential[From] + Potential[To], every arc with rc > 0 carries
// its lower bound, every arc with rc < 0 its capacity, and every arc strictly
// between its bounds has rc == 0. Potentials are unique only up to a constant
// per connected component.
type Solution struct {
	Cost      int64
	Flow      []int64 // per arc, in the order of Problem.Arcs
	Potential []int64 // per node
}

// Solve returns an optimal solution of p. It returns an error wrapping
// ErrInvalid for a malformed problem, ErrOverflow for numbers beyond the
// documented bounds, ErrInfeasible when the supplies cannot be routed, and
// ErrUnbounded when the problem is feasible but its cost has no lower bound.
// Solve does not modify p.
func Solve(p *Problem) (*Solution, error) {
	net, err := networkOf(p)
	if err != nil {
		return nil, err
	}
	return solveNetwork(net)
}

// solveNetwork solves net, taking over its slices: an assignment problem by
// augmenting paths, anything else (or an assignment problem without a
// perfect assignment, which the simplex then reports) by the network simplex.
func solveNetwork(net *network) (*Solution, error) {
	if a := assignmentOf(net); a != nil {
		if sol := a.solve(); sol != nil {
			return sol, nil
		}
	}
	return newSimplex(net).solve()
}

// solve is Solve by the network simplex alone, optionally without the
// least-cost start: the tests compare it with the other methods.
func solve(p *Problem, noCrash bool) (*Solution, error) {
	net, err := networkOf(p)
	if err != nil {
		return nil, err
	}
	s := newSimplex(net)
	s.noCrash = noCrash
	return s.solve()
}

// networkOf copies p into the solver's flat form, checking node indices; the
// solver checks the rest.
func networkOf(p *Problem) (*network, error) {
	if p == nil {
		return nil, fmt.Errorf("nil problem: %w", ErrInvalid)
	}
	if p.N < 0 || p.N > math.MaxInt32-1 {
		return nil, fmt.Errorf("node count %d out of range: %w", p.N, ErrInvalid)
	}
	if len(p.Supply) != p.N {
		return nil, fmt.Errorf("%d supplies for %d nodes: %w", len(p.Supply), p.N, ErrInvalid)
	}
	if len(p.Arcs) > math.MaxInt32-p.N-1 {
		return nil, fmt.Errorf("arc count %d out of range: %w", len(p.Arcs), ErrInvalid)
	}
	m := len(p.Arcs)
	net := &network{
		n:      p.N,
		supply: slices.Clone(p.Supply),
		src:    make([]int32, m, m+p.N),
		tgt:    make([]int32, m, m+p.N),
		lower:  make([]int64, m),
		cap:    make([]int64, m, m+p.N),
		cost:   make([]int64, m, m+p.N),
	}
	for i, a := range p.Arcs {
		if a.From < 0 || a.From >= p.N || a.To < 0 || a.To >= p.N {
			return nil, fmt.Errorf("arc %d (%d->%d): node out of range [1,%d]: %w", i+1, a.From+1, a.To+1, p.N, ErrInvalid)
		}
		net.src[i], net.tgt[i] = int32(a.From), int32(a.To)
		net.lower[i], net.cap[i], net.cost[i] = a.Lower, a.Cap, a.Cost
	}
	return net, nil
}

// checkArc returns an error wrapping ErrInvalid or ErrOverflow if an arc's
// bounds are unusable; i is the arc's index for the message.
func checkArc(i int, from, to int32, lower, cp, cost int64) error {
	switch {
	case lower < 0:
		return fmt.Errorf("arc %d (%d->%d): lower bound %d is negative: %w", i+1, from+1, to+1, lower, ErrInvalid)
	case cp != Inf && cp < lower:
		return fmt.Errorf("arc %d (%d->%d): capacity %d is below lower bound %d: %w", i+1, from+1, to+1, cp, lower, ErrInvalid)
	case cost < -MaxCostSpan || cost > MaxCostSpan:
		return fmt.Errorf("arc %d (%d->%d): cost %d exceeds %d: %w", i+1, from+1, to+1, cost, MaxCostSpan, ErrOverflow)
	}
	return nil
}

// int128 is a signed 128-bit accumulator for the total cost.
type int128 struct {
	hi int64
	lo uint64
}

// addMul adds a*b to z.
func (z *int128) addMul(a, b int64) {
	neg := (a < 0) != (b < 0)
	ua, ub := uint64(a), uint64(b)
	if a < 0 {
		ua = -ua
	}
	if b < 0 {
		ub = -ub
	}
	hi, lo := bits.Mul64(ua, ub)
	if neg {
		// two's complement of (hi, lo)
		lo = ^lo + 1
		hi = ^hi
		if lo == 0 {
			hi++
		}
	}
	var carry uint64
	z.lo, carry = bits.Add64(z.lo, lo, 0)
	z.hi = int64(uint64(z.hi) + hi + carry)
}

// int64 returns z and whether it fits in an int64.
func (z int128) int64() (int64, bool) {
	v := int64(z.lo)
	if (v < 0 && z.hi == -1) || (v >= 0 && z.hi == 0) {
		return v, true
	}
	return 0, false
}
