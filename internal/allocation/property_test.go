package allocation

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// genRequest draws a small request: up to 4 donors and 5 needs, explicit
// lanes (0 to 2 per pair, some too slow), locations in a 3,000 km region for
// default lanes, deadlines up to 6 days out, any policy and sometimes
// weights.
func genRequest(t *rapid.T) Request {
	point := func(label string) (*float64, *float64) {
		if !rapid.Bool().Draw(t, label+" located") {
			return nil, nil
		}
		return pt(rapid.Float64Range(20, 40).Draw(t, label+" lat")), pt(rapid.Float64Range(100, 125).Draw(t, label+" lon"))
	}
	req := Request{Today: today, Policy: rapid.SampledFrom(Policies).Draw(t, "policy")}
	for i := range rapid.IntRange(1, 5).Draw(t, "needs") {
		n := Need{
			ID:       fmt.Sprintf("n%d", i),
			Quantity: rapid.Int64Range(0, 6).Draw(t, "quantity"),
			Urgency:  rapid.SampledFrom(Urgencies).Draw(t, "urgency"),
		}
		if rapid.Bool().Draw(t, "deadline") {
			n.NeededBy = day(rapid.IntRange(0, 6).Draw(t, "needed by"))
		}
		n.Lat, n.Lon = point("need")
		req.Needs = append(req.Needs, n)
	}
	for d := range rapid.IntRange(1, 4).Draw(t, "donors") {
		s := Supply{DonorID: fmt.Sprintf("d%d", d), Available: rapid.Int64Range(0, 10).Draw(t, "available")}
		s.Lat, s.Lon = point("donor")
		req.Supplies = append(req.Supplies, s)
		for _, n := range req.Needs {
			for range rapid.IntRange(0, 2).Draw(t, "lanes") {
				req.Lanes = append(req.Lanes, Lane{
					DonorID:     s.DonorID,
					NeedID:      n.ID,
					UnitCost:    rapid.Int64Range(0, 20).Draw(t, "unit cost"),
					TransitDays: rapid.IntRange(0, 6).Draw(t, "transit days"),
				})
			}
		}
	}
	if rapid.Bool().Draw(t, "weighted") {
		req.Weights = map[Urgency]int64{}
		for _, u := range Urgencies {
			if rapid.Bool().Draw(t, "weight given") {
				req.Weights[u] = rapid.Int64Range(0, 25).Draw(t, "weight")
			}
		}
	}
	return req
}

func TestSolveProperties(t *testing.T) {
	rapid.Check(t, checkRequest)
}

// FuzzSolve runs the same checks on inputs from go test -fuzz.
func FuzzSolve(f *testing.F) {
	f.Fuzz(rapid.MakeFuzz(checkRequest))
}

// checkRequest solves a generated request and checks the result against
// the references.
func checkRequest(t *rapid.T) {
	req := genRequest(t)
	res, err := Solve(req)
	if err != nil {
		t.Fatalf("Solve: %v", err)
	}
	if res.Policy != req.Policy {
		t.Fatalf("policy %q, want %q", res.Policy, req.Policy)
	}
	usable := refUsable(&req)
	delivered, _ := checkConsistent(t, &req, res, usable)

	needIdx := map[string]int{}
	for i, n := range req.Needs {
		needIdx[n.ID] = i
	}
	tier := func(i int) int { return slices.Index(Urgencies, req.Needs[i].Urgency) }
	quantities := func(maxTier int) []int64 {
		w := make([]int64, len(req.Needs))
		for i, n := range req.Needs {
			if tier(i) <= maxTier {
				w[i] = n.Quantity
			}
		}
		return w
	}
	tierTotals := func(x []int64) []int64 {
		tot := make([]int64, len(Urgencies))
		for i, v := range x {
			tot[tier(i)] += v
		}
		return tot
	}
	weights := func(w map[Urgency]int64) []int64 {
		v := make([]int64, len(req.Needs))
		for i, n := range req.Needs {
			v[i] = w[n.Urgency]
		}
		return v
	}
	tiered := weights(map[Urgency]int64{Critical: 1e12, High: 1e8, Normal: 1e4})
	flat := weights(map[Urgency]int64{Critical: 1e9, High: 1e9, Normal: 1e9})

	switch req.Policy {
	case Cheapest:
		if mf := refMaxFlow(&req, usable, quantities(len(Urgencies))); res.Allocated != mf {
			t.Fatalf("allocated %d, want the maximum flow %d", res.Allocated, mf)
		}
		if _, cost := refMinCost(&req, usable, quantities(len(Urgencies)), flat); res.ShippingCost != cost {
			t.Fatalf("shipping cost %d, want the least %d", res.ShippingCost, cost)
		}
	case Priority, Balanced:
		// Tier by tier the most units: the prefix sums are maximum flows.
		var sum int64
		got := tierTotals(delivered)
		for k := range Urgencies {
			sum += got[k]
			if mf := refMaxFlow(&req, usable, quantities(k)); sum != mf {
				t.Fatalf("units to tiers up to %s: %d, want the maximum flow %d", Urgencies[k], sum, mf)
			}
		}
		// No unit left unmet while a donor that reaches it ships to a lower tier.
		for _, l := range res.Lines {
			d, k := slices.IndexFunc(req.Supplies, func(s Supply) bool { return s.DonorID == l.DonorID }), needIdx[l.NeedID]
			for i, n := range req.Needs {
				if _, ok := usable[refPair{d, i}]; ok && tier(i) < tier(k) && delivered[i] < n.Quantity {
					t.Fatalf("donor %s ships %d to %s (%s) while %s (%s) lacks %d and is reachable",
						l.DonorID, l.Quantity, l.NeedID, req.Needs[k].Urgency, n.ID, n.Urgency, n.Quantity-delivered[i])
				}
			}
		}
		if req.Policy == Priority {
			want, cost := refMinCost(&req, usable, quantities(len(Urgencies)), tiered)
			if !slices.Equal(got, tierTotals(want)) || res.ShippingCost != cost {
				t.Fatalf("tier totals %v at %d, want %v at %d", got, res.ShippingCost, tierTotals(want), cost)
			}
		} else {
			checkBalanced(t, &req, res, usable, delivered)
			// The cheapest shipping of exactly these per-need amounts.
			want, cost := refMinCost(&req, usable, delivered, flat)
			if !slices.Equal(want, delivered) || res.ShippingCost != cost {
				t.Fatalf("shipping %v at %d, want it at the least cost %d", delivered, res.ShippingCost, cost)
			}
		}
	case Value:
		w := map[Urgency]int64{}
		for _, u := range Urgencies {
			w[u] = DefaultWeights[u]
			if v, ok := req.Weights[u]; ok {
				w[u] = v
			}
		}
		value := weights(w)
		want, cost := refMinCost(&req, usable, quantities(len(Urgencies)), value)
		net := func(x []int64, cost int64) int64 {
			for i, v := range x {
				cost -= v * value[i]
			}
			return cost
		}
		var units int64
		for _, v := range want {
			units += v
		}
		if net(delivered, res.ShippingCost) != net(want, cost) || res.Allocated != units {
			t.Fatalf("%d units, shipping minus value %d; want %d units, %d",
				res.Allocated, net(delivered, res.ShippingCost), units, net(want, cost))
		}
	}

	// The solve without the one-solve penalty finds an optimum as good.
	if req.Policy == Cheapest || req.Policy == Priority {
		alt, err := solve(&req, options{noBigM: true})
		if err != nil {
			t.Fatalf("solve without big M: %v", err)
		}
		altDelivered, _ := checkConsistent(t, &req, alt, usable)
		a, b := tierTotals(altDelivered), tierTotals(delivered)
		if req.Policy == Cheapest { // the tiers are one
			a, b = []int64{alt.Allocated}, []int64{res.Allocated}
		}
		if !slices.Equal(a, b) || alt.ShippingCost != res.ShippingCost {
			t.Fatalf("without big M: %v units at %d, with: %v at %d", a, alt.ShippingCost, b, res.ShippingCost)
		}
	}
}

// checkConsistent checks what holds under every policy and returns the units
// delivered per need and shipped per donor.
func checkConsistent(t *rapid.T, req *Request, res Result, usable map[refPair]refLane) (delivered, shipped []int64) {
	delivered = make([]int64, len(req.Needs))
	shipped = make([]int64, len(req.Supplies))
	needIdx, donorIdx := map[string]int{}, map[string]int{}
	for i, n := range req.Needs {
		needIdx[n.ID] = i
	}
	for d, s := range req.Supplies {
		donorIdx[s.DonorID] = d
	}
	var allocated, cost int64
	for k, l := range res.Lines {
		i, iok := needIdx[l.NeedID]
		d, dok := donorIdx[l.DonorID]
		if !iok || !dok || l.Quantity <= 0 {
			t.Fatalf("line %d %+v: unknown need or donor, or no quantity", k, l)
		}
		if k > 0 {
			p := res.Lines[k-1]
			if p.NeedID > l.NeedID || (p.NeedID == l.NeedID && p.DonorID >= l.DonorID) {
				t.Fatalf("lines %d and %d not sorted by need then donor, or a pair twice", k-1, k)
			}
		}
		lane, ok := usable[refPair{d, i}]
		if !ok || lane.cost != l.UnitCost || lane.days != l.TransitDays {
			t.Fatalf("line %+v: the usable lane of the pair is %+v (usable: %v)", l, lane, ok)
		}
		delivered[i] += l.Quantity
		shipped[d] += l.Quantity
		allocated += l.Quantity
		cost += l.Quantity * l.UnitCost
	}
	for d, s := range req.Supplies {
		if shipped[d] > s.Available {
			t.Fatalf("donor %s ships %d of %d", s.DonorID, shipped[d], s.Available)
		}
	}
	var total, shortfall int64
	unmet := map[string]Unmet{}
	for k, u := range res.Unmet {
		if k > 0 && res.Unmet[k-1].NeedID >= u.NeedID {
			t.Fatalf("unmet %d and %d not sorted by need", k-1, k)
		}
		unmet[u.NeedID] = u
		shortfall += u.Quantity
	}
	for i, n := range req.Needs {
		total += n.Quantity
		if delivered[i] > n.Quantity {
			t.Fatalf("need %s receives %d of %d", n.ID, delivered[i], n.Quantity)
		}
		u, listed := unmet[n.ID]
		if short := n.Quantity - delivered[i]; short != u.Quantity || listed != (short > 0) {
			t.Fatalf("need %s: %d of %d delivered, unmet entry %+v", n.ID, delivered[i], n.Quantity, u)
		}
		if !listed {
			continue
		}
		reachable, spare, stocked := false, false, false
		for _, s := range req.Supplies {
			stocked = stocked || s.Available > 0
		}
		for d, s := range req.Supplies {
			if _, ok := usable[refPair{d, i}]; ok {
				reachable = true
				spare = spare || shipped[d] < s.Available
			}
		}
		want := ReasonNoStock
		switch {
		case !reachable && stocked:
			want = ReasonNoLaneInTime
		case spare:
			want = ReasonNotChosen
		}
		if u.Reason != want {
			t.Fatalf("need %s under %s: reason %q, want %q", n.ID, req.Policy, u.Reason, want)
		}
		if want == ReasonNotChosen && req.Policy != Value {
			t.Fatalf("need %s under %s lacks %d while a donor that reaches it has stock left", n.ID, req.Policy, u.Quantity)
		}
	}
	if res.Allocated != allocated || res.Shortfall != shortfall || allocated+shortfall != total || res.ShippingCost != cost {
		t.Fatalf("totals: allocated %d (lines %d), shortfall %d (unmet %d), need %d, cost %d (lines %d)",
			res.Allocated, allocated, res.Shortfall, shortfall, total, res.ShippingCost, cost)
	}
	return delivered, shipped
}

// phi is the balancing cost of u unmet units of a need of quantity q.
func phi(u, q int64) int64 {
	var c int64
	for v := int64(1); v <= u; v++ {
		c += 2*((v*BalanceSteps+q-1)/q) - 1
	}
	return c
}

// checkBalanced checks that every tier's per-need amounts minimize the sum
// of phi over the tier given the tiers above, by brute force over the
// tier's feasible amounts when there are few, and checks the exchange
// condition of the package documentation.
func checkBalanced(t *rapid.T, req *Request, res Result, usable map[refPair]refLane, delivered []int64) {
	tier := func(i int) int { return slices.Index(Urgencies, req.Needs[i].Urgency) }
	for k := range Urgencies {
		var members []int
		combos := 1
		for i, n := range req.Needs {
			if tier(i) == k && n.Quantity > 0 {
				members = append(members, i)
				combos *= int(n.Quantity + 1)
			}
		}
		if len(members) == 0 || combos > 3000 {
			continue
		}
		var got int64
		for _, i := range members {
			got += phi(req.Needs[i].Quantity-delivered[i], req.Needs[i].Quantity)
		}
		want := make([]int64, len(req.Needs))
		var fixedSum int64
		for i := range req.Needs {
			if tier(i) < k {
				want[i] = delivered[i]
				fixedSum += delivered[i]
			}
		}
		best := int64(math.MaxInt64)
		var walk func(j int, sum, cost int64)
		walk = func(j int, sum, cost int64) {
			if j == len(members) {
				if cost < best && refMaxFlow(req, usable, want) == fixedSum+sum {
					best = cost
				}
				return
			}
			i, q := members[j], req.Needs[members[j]].Quantity
			for x := int64(0); x <= q; x++ {
				want[i] = x
				walk(j+1, sum+x, cost+phi(q-x, q))
			}
			want[i] = 0
		}
		walk(0, 0, 0)
		if got != best {
			t.Fatalf("tier %s: balancing cost %d, the best is %d", Urgencies[k], got, best)
		}
	}
	// Exchange: a donor ships to need k and reaches need i of the same tier
	// that lacks units; moving one of those units from k to i must not make
	// the shares more even: i's unmet share, in steps rounded up, is at most
	// k's after the move.
	step := func(u, q int64) int64 { return (u*BalanceSteps + q - 1) / q }
	for _, l := range res.Lines {
		d := slices.IndexFunc(req.Supplies, func(s Supply) bool { return s.DonorID == l.DonorID })
		k := slices.IndexFunc(req.Needs, func(n Need) bool { return n.ID == l.NeedID })
		uk, qk := req.Needs[k].Quantity-delivered[k], req.Needs[k].Quantity
		for i, ni := range req.Needs {
			ui := ni.Quantity - delivered[i]
			if _, ok := usable[refPair{d, i}]; !ok || i == k || tier(i) != tier(k) || ui == 0 {
				continue
			}
			if step(ui, ni.Quantity) > step(uk+1, qk) {
				t.Fatalf("donor %s ships to %s (unmet %d of %d) but %s lacks %d of %d",
					l.DonorID, l.NeedID, uk, qk, ni.ID, ui, ni.Quantity)
			}
		}
	}
}
