package flow

import (
	"math/rand/v2"
	"testing"

	"pgregory.net/rapid"
)

// genAssignment draws an assignment problem of up to maxRows persons and as
// many tasks: a few arcs per person, parallel arcs, negative costs,
// capacities above 1, and often no perfect assignment at all.
func genAssignment(t *rapid.T, maxRows int) *Problem {
	k := rapid.IntRange(1, maxRows).Draw(t, "rows")
	p := &Problem{N: 2 * k, Supply: make([]int64, 2*k)}
	for i := 0; i < k; i++ {
		p.Supply[i], p.Supply[k+i] = 1, -1
	}
	perm := rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "seed"), 1)).Perm(k)
	covered := rapid.IntRange(0, 3).Draw(t, "covered") > 0 // a perfect assignment exists
	for i := 0; i < k; i++ {
		if covered {
			p.Arcs = append(p.Arcs, Arc{From: i, To: k + perm[i], Cap: 1, Cost: rapid.Int64Range(-5, 30).Draw(t, "cost")})
		}
		for j := rapid.IntRange(0, 4).Draw(t, "arcs"); j > 0; j-- {
			p.Arcs = append(p.Arcs, Arc{
				From: i, To: k + rapid.IntRange(0, k-1).Draw(t, "task"),
				Cap:  rapid.SampledFrom([]int64{1, 1, 1, 2, Inf}).Draw(t, "cap"),
				Cost: rapid.Int64Range(-5, 30).Draw(t, "cost"),
			})
		}
	}
	rng := rand.New(rand.NewPCG(uint64(len(p.Arcs)), 2))
	rng.Shuffle(len(p.Arcs), func(i, j int) { p.Arcs[i], p.Arcs[j] = p.Arcs[j], p.Arcs[i] })
	return p
}

// TestAssignmentMatchesReference checks the augmenting-path method on
// assignment problems against the reference and the network simplex.
func TestAssignmentMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genAssignment(t, 12)
		net, err := networkOf(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Arcs) > 0 && assignmentOf(net) == nil {
			t.Fatalf("not taken for an assignment problem: %+v", p)
		}
		checkProblem(t, p)
		agreeWithSimplex(t, p, func(t *rapid.T, p *Problem, sol *Solution) { checkSolution(t, p, sol) })
	})
}

// TestAssignmentLarger checks larger random assignment problems, where the
// row reduction and long augmenting paths both have work to do, against the
// network simplex.
func TestAssignmentLarger(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewPCG(seed, 3))
		k := 50 + rng.IntN(300)
		p := &Problem{N: 2 * k, Supply: make([]int64, 2*k)}
		for i := 0; i < k; i++ {
			p.Supply[i], p.Supply[k+i] = 1, -1
		}
		perm := rng.Perm(k)
		costs := int64(1 + rng.IntN(1000))
		for i := 0; i < k; i++ {
			p.Arcs = append(p.Arcs, Arc{From: i, To: k + perm[i], Cap: 1, Cost: rng.Int64N(costs)})
			for j := rng.IntN(8); j > 0; j-- {
				p.Arcs = append(p.Arcs, Arc{From: i, To: k + rng.IntN(k), Cap: 1, Cost: rng.Int64N(costs) - costs/4})
			}
		}
		sol, err := Solve(p)
		if err != nil {
			t.Fatal(err)
		}
		checkSolution(t, p, sol)
		want, err := solve(p, true)
		if err != nil {
			t.Fatal(err)
		}
		if sol.Cost != want.Cost {
			t.Fatalf("seed %d: cost %d, simplex %d", seed, sol.Cost, want.Cost)
		}
	}
}

// TestAssignmentLargeCosts checks assignment problems whose costs reach the
// documented bound, (N+1)·max|cost| <= MaxCostSpan, where the duals move the
// most, against the network simplex.
func TestAssignmentLargeCosts(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genAssignment(t, 8)
		limit := MaxCostSpan / int64(p.N+1)
		for i := range p.Arcs {
			p.Arcs[i].Cost = rapid.Int64Range(-limit, limit).Draw(t, "big")
		}
		agreeWithSimplex(t, p, checkBigSolution)
	})
}

// agreeWithSimplex fails t unless Solve and the network simplex alone agree
// on p, both failing or both finding the same cost, and Solve's solution
// passes check.
func agreeWithSimplex(t *rapid.T, p *Problem, check func(*rapid.T, *Problem, *Solution)) {
	sol, err := Solve(p)
	want, err2 := solve(p, true)
	if (err == nil) != (err2 == nil) {
		t.Fatalf("Solve error %v, simplex error %v", err, err2)
	}
	if err == nil {
		check(t, p, sol)
		if sol.Cost != want.Cost {
			t.Fatalf("Solve cost %d, simplex %d", sol.Cost, want.Cost)
		}
	}
}

// checkBigSolution is checkSolution's optimality test for costs whose sum
// may leave int64: flows within bounds, balance, and complementary
// slackness of the potentials.
func checkBigSolution(t *rapid.T, p *Problem, sol *Solution) {
	net := make([]int64, p.N)
	for i, a := range p.Arcs {
		x := sol.Flow[i]
		if x < a.Lower || (a.Cap != Inf && x > a.Cap) {
			t.Fatalf("arc %d: flow %d outside its bounds", i, x)
		}
		net[a.From] += x
		net[a.To] -= x
		rc := a.Cost - sol.Potential[a.From] + sol.Potential[a.To]
		if (x == a.Lower && rc < 0) || (x > a.Lower && x != a.Cap && rc != 0) || (x == a.Cap && x > a.Lower && rc > 0) {
			t.Fatalf("arc %d with flow %d has reduced cost %d", i, x, rc)
		}
	}
	for i := range net {
		if net[i] != p.Supply[i] {
			t.Fatalf("node %d: net outflow %d, supply %d", i, net[i], p.Supply[i])
		}
	}
}
