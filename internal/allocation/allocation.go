package allocation

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Urgency is how urgently a need must be met; the tiers of Priority and
// Balanced.
type Urgency string

// The urgencies, most urgent first.
const (
	Critical Urgency = "critical"
	High     Urgency = "high"
	Normal   Urgency = "normal"
)

// Urgencies lists the urgencies most urgent first, the order of the tiers.
var Urgencies = []Urgency{Critical, High, Normal}

// Policy says what an allocation optimizes; see the package documentation.
type Policy string

// The policies. The empty Policy means Priority.
const (
	Priority Policy = "priority"
	Balanced Policy = "balanced"
	Cheapest Policy = "cheapest"
	Value    Policy = "value"
)

// Policies lists the policies Solve accepts.
var Policies = []Policy{Priority, Balanced, Cheapest, Value}

// Reasons a need is left short; see the package documentation.
const (
	ReasonNoStock      = "no_stock"
	ReasonNoLaneInTime = "no_lane_in_time"
	ReasonNotChosen    = "not_chosen"
)

// Model assumptions and input bounds.
const (
	// EarthRadiusKm is the radius of the haversine distance.
	EarthRadiusKm = 6371.0
	// A default lane costs DefaultCostBase plus one per DefaultKmPerCostUnit
	// km (rounded) per unit shipped: cents-like units.
	DefaultCostBase      int64 = 1
	DefaultKmPerCostUnit       = 100.0
	// A default lane takes DefaultDispatchDays plus a day per
	// DefaultKmPerDay km begun.
	DefaultDispatchDays = 1
	DefaultKmPerDay     = 800.0

	// BalanceSteps is the resolution of Balanced: unmet shares are evened
	// out in steps of 1/BalanceSteps.
	BalanceSteps = 20

	// MaxQuantity bounds a need's Quantity and a donor's Available;
	// MaxTotalQuantity bounds their sums.
	MaxQuantity      int64 = 1_000_000_000_000
	MaxTotalQuantity int64 = 100_000_000_000_000_000
	// MaxUnitCost bounds a lane's UnitCost, MaxTransitDays its
	// TransitDays (a century) and MaxWeight a weight.
	MaxUnitCost    int64 = 1_000_000_000
	MaxTransitDays       = 36_525
	MaxWeight      int64 = 1_000_000_000
)

// DefaultWeights are the per-unit values of delivering a unit under Value
// when Request.Weights has no entry for the urgency: a critical unit is worth
// ten high units, a high unit ten normal units, and each is worth more than
// any default lane costs on Earth (at most 201).
var DefaultWeights = map[Urgency]int64{Critical: 100_000, High: 10_000, Normal: 1_000}

// ErrInvalid is wrapped by every error Solve returns for a request it
// refuses; the message names the offending value.
var ErrInvalid = errors.New("invalid allocation request")

// Need is an open need: the units still uncovered, with its urgency, its
// deadline (zero: none) and location (nil: unknown).
type Need struct {
	ID string
	// Requester, when set, is the donor id of the needing organization
	// itself: no lane runs from a donor to its own need.
	Requester string
	Quantity  int64
	Urgency   Urgency
	NeededBy  time.Time
	Lat, Lon  *float64
}

// Supply is one donor's stock of the item, with its location (nil: unknown).
type Supply struct {
	DonorID   string
	Available int64
	Lat, Lon  *float64
}

// Lane is a way to ship from a donor to a need: UnitCost per unit (in any
// fixed unit, e.g. cents) and TransitDays from dispatch to arrival.
type Lane struct {
	DonorID, NeedID string
	UnitCost        int64
	TransitDays     int
}

// Request is one allocation problem. Lanes are the explicit lanes; a (donor,
// need) pair without any gets a default lane from the distance when both
// have coordinates. Weights are read by the Value policy only.
type Request struct {
	Today    time.Time
	Needs    []Need
	Supplies []Supply
	Lanes    []Lane
	Policy   Policy
	Weights  map[Urgency]int64
}

// Line is one shipment of the result: Quantity units from a donor to a need
// over the lane used.
type Line struct {
	NeedID, DonorID string
	Quantity        int64
	UnitCost        int64
	TransitDays     int
}

// Unmet is the part of a need the allocation leaves uncovered, and why.
type Unmet struct {
	NeedID   string
	Quantity int64
	Reason   string
}

// Result is an optimal allocation: Lines sorted by need then donor, Unmet
// sorted by need, the units allocated and left short, the total shipping
// cost (the sum of Quantity·UnitCost over Lines) and the policy applied.
type Result struct {
	Lines        []Line
	Unmet        []Unmet
	Allocated    int64
	Shortfall    int64
	ShippingCost int64
	Policy       Policy
}

// Solve returns an optimal allocation of the supplies to the needs under
// req.Policy. It returns an error wrapping ErrInvalid when the request is
// malformed (negative or too large numbers, empty or duplicate ids, lanes
// naming unknown donors or needs, an unknown urgency or policy, half or out
// of range coordinates, deadlines without Today) or its totals are too large
// to solve exactly.
func Solve(req Request) (Result, error) {
	return solve(&req, options{})
}

// options are knobs for tests.
type options struct {
	noBigM bool // always take the two-solve path instead of one penalized solve
}

func solve(req *Request, opt options) (Result, error) {
	m, err := newModel(req)
	if err != nil {
		return Result{}, err
	}
	var sol *solution
	switch m.policy {
	case Cheapest:
		sol, err = m.solveTiers([][]int{m.positive()}, opt)
	case Priority:
		sol, err = m.solveTiers(m.tiers(), opt)
	case Balanced:
		sol, err = m.solveBalanced()
	case Value:
		sol, err = m.solveValue(opt)
	}
	if err != nil {
		return Result{}, err
	}
	return m.result(sol)
}

// validate checks req and returns the policy to apply.
func validate(req *Request) (Policy, error) {
	policy := req.Policy
	if policy == "" {
		policy = Priority
	}
	if !slices.Contains(Policies, policy) {
		return "", fmt.Errorf("unknown policy %q (want priority, balanced, cheapest or value): %w", req.Policy, ErrInvalid)
	}
	var total int64
	needs := make(map[string]bool, len(req.Needs))
	for i, n := range req.Needs {
		if n.ID == "" {
			return "", fmt.Errorf("need %d: empty id: %w", i, ErrInvalid)
		}
		if err := checkNeed(req, n, needs[n.ID], &total); err != nil {
			return "", fmt.Errorf("need %q: %w", n.ID, err)
		}
		needs[n.ID] = true
	}
	total = 0
	donors := make(map[string]bool, len(req.Supplies))
	for i, s := range req.Supplies {
		if s.DonorID == "" {
			return "", fmt.Errorf("supply %d: empty donor id: %w", i, ErrInvalid)
		}
		err := checkQuantity("available", s.Available, &total)
		if donors[s.DonorID] {
			err = fmt.Errorf("duplicate supply: %w", ErrInvalid)
		}
		if err == nil {
			err = checkPoint(s.Lat, s.Lon)
		}
		if err != nil {
			return "", fmt.Errorf("donor %q: %w", s.DonorID, err)
		}
		donors[s.DonorID] = true
	}
	for i, l := range req.Lanes {
		var err error
		switch {
		case !donors[l.DonorID]:
			err = fmt.Errorf("unknown donor %q: %w", l.DonorID, ErrInvalid)
		case !needs[l.NeedID]:
			err = fmt.Errorf("unknown need %q: %w", l.NeedID, ErrInvalid)
		case l.UnitCost < 0 || l.UnitCost > MaxUnitCost:
			err = fmt.Errorf("unit cost %d outside [0, %d]: %w", l.UnitCost, MaxUnitCost, ErrInvalid)
		case l.TransitDays < 0 || l.TransitDays > MaxTransitDays:
			err = fmt.Errorf("transit days %d outside [0, %d]: %w", l.TransitDays, MaxTransitDays, ErrInvalid)
		}
		if err != nil {
			return "", fmt.Errorf("lane %d (donor %q, need %q): %w", i, l.DonorID, l.NeedID, err)
		}
	}
	for u, w := range req.Weights {
		switch {
		case !slices.Contains(Urgencies, u):
			return "", fmt.Errorf("weight for unknown urgency %q (want critical, high or normal): %w", u, ErrInvalid)
		case w < 0 || w > MaxWeight:
			return "", fmt.Errorf("weight %d for %s outside [0, %d]: %w", w, u, MaxWeight, ErrInvalid)
		}
	}
	return policy, nil
}

// checkNeed checks one need; dup says its id was seen before.
func checkNeed(req *Request, n Need, dup bool, total *int64) error {
	switch {
	case dup:
		return fmt.Errorf("duplicate id: %w", ErrInvalid)
	case !slices.Contains(Urgencies, n.Urgency):
		return fmt.Errorf("unknown urgency %q (want critical, high or normal): %w", n.Urgency, ErrInvalid)
	case !n.NeededBy.IsZero() && req.Today.IsZero():
		return fmt.Errorf("needed_by %s given but today is not: %w", n.NeededBy.Format(time.DateOnly), ErrInvalid)
	}
	if err := checkQuantity("quantity", n.Quantity, total); err != nil {
		return err
	}
	return checkPoint(n.Lat, n.Lon)
}

// checkQuantity checks one quantity and adds it to *total, checking the sum.
func checkQuantity(field string, q int64, total *int64) error {
	if q < 0 || q > MaxQuantity {
		return fmt.Errorf("%s %d outside [0, %d]: %w", field, q, MaxQuantity, ErrInvalid)
	}
	if *total += q; *total > MaxTotalQuantity {
		return fmt.Errorf("total %s %d exceeds %d: %w", field, *total, MaxTotalQuantity, ErrInvalid)
	}
	return nil
}

// checkPoint checks a location: both coordinates or neither, in range.
func checkPoint(lat, lon *float64) error {
	switch {
	case (lat == nil) != (lon == nil):
		return fmt.Errorf("latitude and longitude must be given together: %w", ErrInvalid)
	case lat == nil:
		return nil
	case !(*lat >= -90 && *lat <= 90):
		return fmt.Errorf("latitude %g outside [-90, 90]: %w", *lat, ErrInvalid)
	case !(*lon >= -180 && *lon <= 180):
		return fmt.Errorf("longitude %g outside [-180, 180]: %w", *lon, ErrInvalid)
	}
	return nil
}

// result maps a solution to the Result: lines, unmet with reasons, totals.
func (m *model) result(sol *solution) (Result, error) {
	r := Result{Policy: m.policy}
	delivered := make([]int64, len(m.needs))
	shipped := make([]int64, len(m.supplies))
	var cost acc
	for li, x := range sol.laneFlow {
		if x == 0 {
			continue
		}
		l := m.lanes[li]
		r.Lines = append(r.Lines, Line{
			NeedID:      m.needs[l.need].ID,
			DonorID:     m.supplies[l.donor].DonorID,
			Quantity:    x,
			UnitCost:    l.cost,
			TransitDays: l.days,
		})
		delivered[l.need] += x
		shipped[l.donor] += x
		cost.addMul(x, l.cost)
	}
	c, ok := cost.int64()
	if !ok {
		return Result{}, fmt.Errorf("total shipping cost exceeds int64: %w", ErrInvalid)
	}
	r.ShippingCost = c
	slices.SortFunc(r.Lines, func(a, b Line) int {
		return cmp.Or(cmp.Compare(a.NeedID, b.NeedID), cmp.Compare(a.DonorID, b.DonorID))
	})
	// A need is reachable if a donor with stock has a usable lane to it, and
	// "not chosen" if such a donor has stock left. With no stock at all, no
	// lane matters: every need lacks stock.
	stocked := slices.ContainsFunc(m.supplies, func(s Supply) bool { return s.Available > 0 })
	reachable := make([]bool, len(m.needs))
	spare := make([]bool, len(m.needs))
	for _, l := range m.lanes {
		reachable[l.need] = true
		if shipped[l.donor] < m.supplies[l.donor].Available {
			spare[l.need] = true
		}
	}
	for i, n := range m.needs {
		r.Allocated += delivered[i]
		u := n.Quantity - delivered[i]
		if u == 0 {
			continue
		}
		reason := ReasonNoStock
		switch {
		case !reachable[i] && stocked:
			reason = ReasonNoLaneInTime
		case spare[i]:
			reason = ReasonNotChosen
		}
		r.Unmet = append(r.Unmet, Unmet{NeedID: n.ID, Quantity: u, Reason: reason})
		r.Shortfall += u
	}
	slices.SortFunc(r.Unmet, func(a, b Unmet) int { return cmp.Compare(a.NeedID, b.NeedID) })
	return r, nil
}
