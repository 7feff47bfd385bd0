package flow

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestSolve(t *testing.T) {
	tests := []struct {
		name    string
		p       Problem
		want    int64
		wantErr error
		errText string
	}{
		{
			name: "textbook",
			p: Problem{N: 4, Supply: []int64{4, 0, 0, -4}, Arcs: []Arc{
				{0, 1, 0, 4, 2}, {0, 2, 0, 2, 2}, {1, 2, 0, 2, 1}, {1, 3, 0, 3, 3}, {2, 3, 1, 5, 1},
			}},
			want: 14,
		},
		{
			name: "empty",
			p:    Problem{},
			want: 0,
		},
		{
			name: "no arcs balanced zero",
			p:    Problem{N: 3, Supply: []int64{0, 0, 0}},
			want: 0,
		},
		{
			name: "lower bound forces a costly arc",
			p: Problem{N: 2, Supply: []int64{0, 0}, Arcs: []Arc{
				{0, 1, 3, 5, 7}, {1, 0, 0, Inf, 1},
			}},
			want: 24,
		},
		{
			name: "negative cycle with capacity",
			p: Problem{N: 3, Supply: []int64{0, 0, 0}, Arcs: []Arc{
				{0, 1, 0, 4, -3}, {1, 2, 0, Inf, 1}, {2, 0, 0, Inf, 1},
			}},
			want: -4,
		},
		{
			name: "self loop with negative cost saturates",
			p: Problem{N: 1, Supply: []int64{0}, Arcs: []Arc{
				{0, 0, 0, 5, -2},
			}},
			want: -10,
		},
		{
			name: "parallel arcs",
			p: Problem{N: 2, Supply: []int64{5, -5}, Arcs: []Arc{
				{0, 1, 0, 3, 4}, {0, 1, 0, 3, 1}, {0, 1, 0, Inf, 9},
			}},
			want: 3*1 + 2*4,
		},
		{
			name: "infeasible capacity",
			p: Problem{N: 2, Supply: []int64{3, -3}, Arcs: []Arc{
				{0, 1, 0, 2, 2},
			}},
			wantErr: ErrInfeasible,
			errText: "1 units of supply cannot be routed",
		},
		{
			name: "infeasible disconnected",
			p: Problem{N: 3, Supply: []int64{1, 0, -1}, Arcs: []Arc{
				{0, 1, 0, Inf, 2},
			}},
			wantErr: ErrInfeasible,
		},
		{
			name: "infeasible lower bound",
			p: Problem{N: 2, Supply: []int64{0, 0}, Arcs: []Arc{
				{0, 1, 1, 1, 0},
			}},
			wantErr: ErrInfeasible,
		},
		{
			name: "unbounded",
			p: Problem{N: 2, Supply: []int64{0, 0}, Arcs: []Arc{
				{0, 1, 0, Inf, -2}, {1, 0, 0, Inf, 1},
			}},
			wantErr: ErrUnbounded,
		},
		{
			name: "negative uncapacitated cycle but infeasible",
			p: Problem{N: 3, Supply: []int64{1, 0, -1}, Arcs: []Arc{
				{0, 1, 0, Inf, -2}, {1, 0, 0, Inf, 1},
			}},
			wantErr: ErrInfeasible,
		},
		{
			name:    "unbalanced",
			p:       Problem{N: 2, Supply: []int64{2, -1}},
			wantErr: ErrInvalid,
			errText: "supplies sum to 1, want 0",
		},
		{
			name:    "node out of range",
			p:       Problem{N: 2, Supply: []int64{0, 0}, Arcs: []Arc{{0, 2, 0, 1, 1}}},
			wantErr: ErrInvalid,
			errText: "arc 1 (1->3): node out of range [1,2]",
		},
		{
			name:    "capacity below lower bound",
			p:       Problem{N: 2, Supply: []int64{0, 0}, Arcs: []Arc{{0, 1, 4, 3, 1}}},
			wantErr: ErrInvalid,
			errText: "capacity 3 is below lower bound 4",
		},
		{
			name:    "negative lower bound",
			p:       Problem{N: 2, Supply: []int64{0, 0}, Arcs: []Arc{{0, 1, -1, 3, 1}}},
			wantErr: ErrInvalid,
			errText: "lower bound -1 is negative",
		},
		{
			name:    "supplies length",
			p:       Problem{N: 2, Supply: []int64{0}},
			wantErr: ErrInvalid,
		},
		{
			name:    "huge supply",
			p:       Problem{N: 2, Supply: []int64{math.MaxInt64, math.MinInt64 + 1}},
			wantErr: ErrOverflow,
		},
		{
			name: "huge capacities",
			p: Problem{N: 2, Supply: []int64{0, 0}, Arcs: []Arc{
				{0, 1, 0, MaxTotal, 1}, {0, 1, 0, MaxTotal, 1},
			}},
			wantErr: ErrOverflow,
		},
		{
			name:    "huge cost",
			p:       Problem{N: 2, Supply: []int64{0, 0}, Arcs: []Arc{{0, 1, 0, 1, math.MinInt64}}},
			wantErr: ErrOverflow,
		},
		{
			name:    "cost times nodes",
			p:       Problem{N: 2, Supply: []int64{0, 0}, Arcs: []Arc{{0, 1, 0, 1, MaxCostSpan / 2}}},
			wantErr: ErrOverflow,
		},
		{
			name: "large but within bounds",
			p: Problem{N: 2, Supply: []int64{1 << 40, -(1 << 40)}, Arcs: []Arc{
				{0, 1, 0, Inf, 1 << 20},
			}},
			want: 1 << 60,
		},
		{
			name: "optimal cost overflows",
			p: Problem{N: 2, Supply: []int64{1 << 60, -(1 << 60)}, Arcs: []Arc{
				{0, 1, 0, Inf, 1 << 20},
			}},
			wantErr: ErrOverflow,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sol, err := Solve(&tt.p)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Solve() error = %v, want %v", err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.errText) {
					t.Fatalf("Solve() error = %q, want it to contain %q", err, tt.errText)
				}
				return
			}
			if err != nil {
				t.Fatalf("Solve() error = %v", err)
			}
			if sol.Cost != tt.want {
				t.Errorf("Solve() cost = %d, want %d", sol.Cost, tt.want)
			}
			checkSolution(t, &tt.p, sol)
		})
	}
}

func TestSolveNil(t *testing.T) {
	if _, err := Solve(nil); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Solve(nil) error = %v, want ErrInvalid", err)
	}
}

func TestSolveDoesNotModifyProblem(t *testing.T) {
	p := &Problem{N: 3, Supply: []int64{2, 0, -2}, Arcs: []Arc{{0, 1, 1, 3, 1}, {1, 2, 0, Inf, 1}}}
	sol, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	if p.Supply[0] != 2 || p.Arcs[0].Cap != 3 || p.Arcs[1].Cap != Inf {
		t.Fatalf("Solve modified its problem: %+v", p)
	}
	checkSolution(t, p, sol)
}

// genProblem draws a small problem: few nodes, parallel arcs and self loops,
// lower bounds, zero, negative and uncapacitated arcs. Most draws take their
// supplies from a random flow within the bounds, so they are feasible; the
// rest draw supplies freely and are often infeasible.
func genProblem(t *rapid.T) *Problem {
	return genProblemSized(t, 7, 16)
}

// genProblemSized is genProblem with at most maxN nodes and maxM arcs.
func genProblemSized(t *rapid.T, maxN, maxM int) *Problem {
	n := rapid.IntRange(1, maxN).Draw(t, "n")
	m := rapid.IntRange(0, maxM).Draw(t, "m")
	p := &Problem{N: n, Supply: make([]int64, n), Arcs: make([]Arc, m)}
	fromFlow := rapid.IntRange(0, 9).Draw(t, "fromFlow") < 7
	// Some problems are bipartite, arcs from the first k nodes to the rest,
	// like the allocation problems that take the least-cost start.
	k := 0
	if n > 1 && rapid.Bool().Draw(t, "bipartite") {
		k = rapid.IntRange(1, n-1).Draw(t, "sources")
	}
	for i := range p.Arcs {
		var a Arc
		if k > 0 {
			a.From = rapid.IntRange(0, k-1).Draw(t, "source")
			a.To = rapid.IntRange(k, n-1).Draw(t, "sink")
		} else {
			a.From = rapid.IntRange(0, n-1).Draw(t, "from")
			a.To = rapid.IntRange(0, n-1).Draw(t, "to")
		}
		a.Cost = rapid.Int64Range(-6, 10).Draw(t, "cost")
		if rapid.IntRange(0, 2).Draw(t, "hasLower") == 0 {
			a.Lower = rapid.Int64Range(0, 4).Draw(t, "lower")
		}
		if rapid.IntRange(0, 4).Draw(t, "inf") == 0 {
			a.Cap = Inf
		} else {
			a.Cap = a.Lower + rapid.Int64Range(0, 6).Draw(t, "width")
		}
		if a.Cap == Inf && maxN > 10 && a.Cost < 0 {
			a.Cost = -a.Cost // keep larger problems mostly bounded
		}
		p.Arcs[i] = a
		if fromFlow {
			hi := a.Cap
			if hi == Inf {
				hi = a.Lower + 8
			}
			x := rapid.Int64Range(a.Lower, hi).Draw(t, "x")
			p.Supply[a.From] += x
			p.Supply[a.To] -= x
		}
	}
	if !fromFlow {
		var sum int64
		for i := 0; i < n-1; i++ {
			p.Supply[i] = rapid.Int64Range(-8, 8).Draw(t, "supply")
			sum += p.Supply[i]
		}
		p.Supply[n-1] = -sum
	}
	return p
}

// checkAgainstReference is the property: Solve agrees with the reference on
// feasibility, boundedness and the optimal cost, and its solution is a
// feasible flow proven optimal by its potentials.
func checkAgainstReference(t *rapid.T) {
	checkProblem(t, genProblem(t))
}

// checkProblem checks Solve against the reference on p.
func checkProblem(t *rapid.T, p *Problem) {
	wantCost, wantStatus := referenceSolve(p)
	noCrash := rapid.Bool().Draw(t, "noCrash")
	sol, err := solve(p, noCrash)
	got, err2 := statusOf(err)
	if err2 != nil {
		t.Fatal(err2)
	}
	if got != wantStatus {
		t.Fatalf("Solve status %v (err %v), reference %v", got, err, wantStatus)
	}
	if got != refOptimal {
		return
	}
	if sol.Cost != wantCost {
		t.Fatalf("Solve cost %d, reference %d", sol.Cost, wantCost)
	}
	checkSolution(t, p, sol)
}

func TestSolveMatchesReference(t *testing.T) {
	rapid.Check(t, checkAgainstReference)
}

// TestSolveMatchesReferenceMedium uses larger problems, whose spanning trees
// are deep enough to exercise subtree moves and re-rooting.
func TestSolveMatchesReferenceMedium(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		checkProblem(t, genProblemSized(t, 40, 200))
	})
}

func FuzzSolve(f *testing.F) {
	f.Fuzz(rapid.MakeFuzz(checkAgainstReference))
}

// TestLeastCostStart checks the transportation fast path: the same optimum
// with fewer pivots than the artificial start alone.
func TestLeastCostStart(t *testing.T) {
	p := genTransport(rand.New(rand.NewPCG(1, 2)), 50, 1000, 8)
	run := func(noCrash bool) (int, int64) {
		t.Helper()
		net, err := networkOf(p)
		if err != nil {
			t.Fatal(err)
		}
		s := newSimplex(net)
		s.noCrash = noCrash
		sol, err := s.solve()
		if err != nil {
			t.Fatal(err)
		}
		checkSolution(t, p, sol)
		return s.pivots, sol.Cost
	}
	with, cost := run(false)
	without, want := run(true)
	if cost != want {
		t.Fatalf("cost with least-cost start %d, without %d", cost, want)
	}
	if with >= without {
		t.Errorf("pivots with least-cost start %d, without %d: want fewer", with, without)
	}
	t.Logf("pivots: %d with the least-cost start, %d without", with, without)
}

// BenchmarkSolveTransport solves a 500-donor, 10,000-need allocation
// instance; bench/allocation compares whole processes with other solvers.
func BenchmarkSolveTransport(b *testing.B) {
	p := genTransport(rand.New(rand.NewPCG(1, 2)), 500, 10000, 10)
	for b.Loop() {
		if _, err := Solve(p); err != nil {
			b.Fatal(err)
		}
	}
}
