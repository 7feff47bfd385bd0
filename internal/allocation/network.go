package allocation

import (
	"errors"
	"fmt"
	"math"

	"aidbridge/internal/flow"
)

// How a need takes part in one solve.
type modeKind uint8

const (
	out       modeKind = iota // not in this solve
	fixed                     // must receive exactly amount units; no unmet arc
	capped                    // unmet units come through its group's node, capped by caps[group], free
	penalized                 // unmet units cost cost each
	segmented                 // unmet units cost 2j-1 in the j-th step of BalanceSteps
)

type mode struct {
	kind   modeKind
	amount int64 // fixed
	cost   int64 // penalized
	group  int   // capped
}

// spec is one minimum-cost flow problem over the model.
type spec struct {
	modes     []mode  // per need
	caps      []int64 // per capped group: the most units its needs may leave unmet
	laneScale int64   // a lane costs UnitCost·laneScale per unit; 0: lanes are free
}

// solution is the flow of one solve on every usable lane, and what each need
// in it was left short of.
type solution struct {
	laneFlow []int64 // per m.lanes
	unmet    []int64 // per need
}

// demand returns what need i asks for in a solve under mode md.
func (m *model) demand(i int, md mode) int64 {
	switch md.kind {
	case out:
		return 0
	case fixed:
		return md.amount
	}
	return m.needs[i].Quantity
}

// run builds and solves the network of s. Nodes: the donors with a usable
// lane into the solve, its needs, the unmet node U, the excess node X, a node
// per capped group. Arcs: the lanes, donor -> X and U -> X (free,
// uncapacitated), then the unmet arcs U -> need (or U -> group -> need).
func (m *model) run(s *spec) (*solution, error) {
	const none = -1
	needNode := make([]int, len(m.needs))
	donorNode := make([]int, len(m.supplies))
	for i := range donorNode {
		donorNode[i] = none
	}
	for i := range needNode {
		needNode[i] = none
	}
	n := 0
	var supply []int64
	var stock, fixedDemand, unmetSupply int64
	for _, l := range m.lanes {
		if m.demand(l.need, s.modes[l.need]) > 0 && donorNode[l.donor] == none {
			donorNode[l.donor] = n
			n++
			a := m.supplies[l.donor].Available
			supply = append(supply, a)
			stock += a
		}
	}
	for i, md := range s.modes {
		d := m.demand(i, md)
		if d == 0 {
			continue
		}
		needNode[i] = n
		n++
		supply = append(supply, -d)
		if md.kind == fixed {
			fixedDemand += d
		} else {
			unmetSupply += d
		}
	}
	u, x := n, n+1
	supply = append(supply, unmetSupply, fixedDemand-stock)
	n += 2
	groupNode := make([]int, len(s.caps))
	for g := range s.caps {
		groupNode[g] = n
		n++
		supply = append(supply, 0)
	}

	arcs := make([]flow.Arc, 0, len(m.lanes)+n)
	laneOf := make([]int, 0, len(m.lanes)) // model lane of arc k
	for li, l := range m.lanes {
		if needNode[l.need] == none {
			continue
		}
		arcs = append(arcs, flow.Arc{From: donorNode[l.donor], To: needNode[l.need], Cap: flow.Inf, Cost: l.cost * s.laneScale})
		laneOf = append(laneOf, li)
	}
	for _, node := range donorNode {
		if node != none {
			arcs = append(arcs, flow.Arc{From: node, To: x, Cap: flow.Inf})
		}
	}
	arcs = append(arcs, flow.Arc{From: u, To: x, Cap: flow.Inf})
	for g, c := range s.caps {
		arcs = append(arcs, flow.Arc{From: u, To: groupNode[g], Cap: c})
	}
	for i, md := range s.modes {
		q, node := m.needs[i].Quantity, needNode[i]
		if node == none {
			continue
		}
		switch md.kind {
		case capped:
			arcs = append(arcs, flow.Arc{From: groupNode[md.group], To: node, Cap: q})
		case penalized:
			arcs = append(arcs, flow.Arc{From: u, To: node, Cap: q, Cost: md.cost})
		case segmented:
			for j := int64(1); j <= BalanceSteps; j++ {
				if c := j*q/BalanceSteps - (j-1)*q/BalanceSteps; c > 0 {
					arcs = append(arcs, flow.Arc{From: u, To: node, Cap: c, Cost: 2*j - 1})
				}
			}
		}
	}

	fs, err := flow.Solve(&flow.Problem{N: n, Supply: supply, Arcs: arcs})
	if errors.Is(err, flow.ErrOverflow) {
		return nil, fmt.Errorf("quantities and costs too large to solve exactly (%v): %w", err, ErrInvalid)
	}
	if err != nil {
		// Every network built here is balanced, feasible and bounded.
		return nil, fmt.Errorf("allocation network: %w", err)
	}
	sol := &solution{laneFlow: make([]int64, len(m.lanes)), unmet: make([]int64, len(m.needs))}
	for i, md := range s.modes {
		sol.unmet[i] = m.demand(i, md)
	}
	for k, li := range laneOf {
		sol.laneFlow[li] = fs.Flow[k]
		sol.unmet[m.lanes[li].need] -= fs.Flow[k]
	}
	return sol, nil
}

// solveTiers serves the groups of needs strictly in order: each solve finds
// the most units its group can receive while the groups before it keep
// their totals (their unmet totals capped); the last solve also minimizes
// shipping. Cheapest is a single group, Priority a group per urgency.
func (m *model) solveTiers(groups [][]int, opt options) (*solution, error) {
	s := &spec{modes: make([]mode, len(m.needs))}
	for gi, g := range groups {
		for _, i := range g {
			s.modes[i] = mode{kind: penalized, cost: 1}
		}
		s.laneScale = 0
		if gi == len(groups)-1 && !opt.noBigM {
			if p, ok := m.bigM(s); ok {
				for _, i := range g {
					s.modes[i].cost = p
				}
				s.laneScale = 1
				return m.run(s)
			}
		}
		sol, err := m.run(s)
		if err != nil {
			return nil, err
		}
		var left int64
		for _, i := range g {
			left += sol.unmet[i]
			s.modes[i] = mode{kind: capped, group: len(s.caps)}
		}
		s.caps = append(s.caps, left)
	}
	s.laneScale = 1
	return m.run(s)
}

// bigM returns a penalty per unmet unit of s's penalized needs larger than
// the shipping cost of any allocation of s (min(stock, demand) times the
// dearest lane, plus one), and whether the solve fits the solver's bounds
// with it and with lanes at their UnitCost.
func (m *model) bigM(s *spec) (int64, bool) {
	var stock, demand, unmetMax, cmax int64
	used := make([]bool, len(m.supplies))
	for _, l := range m.lanes {
		if m.demand(l.need, s.modes[l.need]) == 0 {
			continue
		}
		cmax = max(cmax, l.cost)
		if !used[l.donor] {
			used[l.donor] = true
			stock += m.supplies[l.donor].Available
		}
	}
	nodes := int64(len(m.supplies) + len(m.needs) + len(s.caps) + 2)
	for i, md := range s.modes {
		d := m.demand(i, md)
		demand += d
		if md.kind == penalized {
			unmetMax += d
		}
	}
	limit := flow.MaxCostSpan / (nodes + 1)
	b := mulCap(min(stock, demand), cmax, limit)
	if b >= limit {
		return 0, false
	}
	p := b + 1
	if mulCap(p, unmetMax, math.MaxInt64/2) >= math.MaxInt64/2-b {
		return 0, false
	}
	return p, true
}

// solveBalanced balances each urgency tier in turn (free lanes, segmented
// unmet arcs, the tiers before it fixed per need), then ships the per-need
// amounts found at the least cost. (Pricing the lanes in the last tier's
// solve, under steps scaled to dominate, would save the final solve but made
// that solve slower than the two together.)
func (m *model) solveBalanced() (*solution, error) {
	s := &spec{modes: make([]mode, len(m.needs))}
	for _, g := range m.tiers() {
		for _, i := range g {
			s.modes[i] = mode{kind: segmented}
		}
		sol, err := m.run(s)
		if err != nil {
			return nil, err
		}
		for _, i := range g {
			s.modes[i] = mode{kind: fixed, amount: m.needs[i].Quantity - sol.unmet[i]}
		}
	}
	s.laneScale = 1
	return m.run(s)
}

// solveValue maximizes the weights of the units delivered minus shipping in
// one solve: an unmet unit costs its weight. Costs are scaled by T+1, T the
// most units any allocation delivers, and each unmet unit costs one more, so
// that among allocations of equal value the one delivering most wins; when
// the scaled numbers exceed the solver's bounds, ties are left to the solver.
func (m *model) solveValue(opt options) (*solution, error) {
	weight := func(i int) int64 {
		u := m.needs[i].Urgency
		if w, ok := m.weights[u]; ok {
			return w
		}
		return DefaultWeights[u]
	}
	s := &spec{modes: make([]mode, len(m.needs)), laneScale: 1}
	var stock, demand, cmax, wmax int64
	var objective acc // unscaled: shipping bound plus all weights
	used := make([]bool, len(m.supplies))
	for _, l := range m.lanes {
		cmax = max(cmax, l.cost)
		if !used[l.donor] {
			used[l.donor] = true
			stock += m.supplies[l.donor].Available
		}
	}
	for _, i := range m.positive() {
		w := weight(i)
		s.modes[i] = mode{kind: penalized, cost: w}
		wmax = max(wmax, w)
		demand += m.needs[i].Quantity
		objective.addMul(w, m.needs[i].Quantity)
	}
	objective.addMul(min(stock, demand), cmax)
	scale := min(stock, demand) + 1
	nodes := int64(len(m.supplies) + len(m.needs) + 2)
	limit := flow.MaxCostSpan / (nodes + 1)
	total, ok := objective.int64()
	if ok && !opt.noBigM && max(cmax, wmax) < (limit-1)/scale &&
		mulCap(total, scale, math.MaxInt64/2) < math.MaxInt64/2-demand {
		s.laneScale = scale
		for i := range s.modes {
			if s.modes[i].kind == penalized {
				s.modes[i].cost = s.modes[i].cost*scale + 1
			}
		}
	}
	return m.run(s)
}
