package allocation

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

var today = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

func day(n int) time.Time { return today.AddDate(0, 0, n) }

func pt(v float64) *float64 { return &v }

// n95 is one donor's 2,000 N95 masks for an ICU (critical), an emergency
// room (high) and a clinic (normal) that together ask for 3,000.
func n95(policy Policy) Request {
	return Request{
		Today: today,
		Needs: []Need{
			{ID: "icu", Quantity: 1200, Urgency: Critical},
			{ID: "er", Quantity: 1000, Urgency: High},
			{ID: "clinic", Quantity: 800, Urgency: Normal},
		},
		Supplies: []Supply{{DonorID: "d", Available: 2000}},
		Lanes: []Lane{
			{DonorID: "d", NeedID: "icu", UnitCost: 50, TransitDays: 2},
			{DonorID: "d", NeedID: "er", UnitCost: 10, TransitDays: 2},
			{DonorID: "d", NeedID: "clinic", UnitCost: 5, TransitDays: 2},
		},
		Policy: policy,
	}
}

func TestSolve(t *testing.T) {
	withWeights := n95(Value)
	withWeights.Weights = map[Urgency]int64{Critical: 40}
	tests := []struct {
		name string
		req  Request
		want Result
	}{
		{
			name: "n95 priority: critical first, then high",
			req:  n95(Priority),
			want: Result{
				Lines: []Line{
					{NeedID: "er", DonorID: "d", Quantity: 800, UnitCost: 10, TransitDays: 2},
					{NeedID: "icu", DonorID: "d", Quantity: 1200, UnitCost: 50, TransitDays: 2},
				},
				Unmet: []Unmet{
					{NeedID: "clinic", Quantity: 800, Reason: ReasonNoStock},
					{NeedID: "er", Quantity: 200, Reason: ReasonNoStock},
				},
				Allocated: 2000, Shortfall: 1000, ShippingCost: 68_000, Policy: Priority,
			},
		},
		{
			name: "n95 empty policy is priority",
			req:  n95(""),
			want: Result{
				Lines: []Line{
					{NeedID: "er", DonorID: "d", Quantity: 800, UnitCost: 10, TransitDays: 2},
					{NeedID: "icu", DonorID: "d", Quantity: 1200, UnitCost: 50, TransitDays: 2},
				},
				Unmet: []Unmet{
					{NeedID: "clinic", Quantity: 800, Reason: ReasonNoStock},
					{NeedID: "er", Quantity: 200, Reason: ReasonNoStock},
				},
				Allocated: 2000, Shortfall: 1000, ShippingCost: 68_000, Policy: Priority,
			},
		},
		{
			name: "n95 cheapest: all 2,000 over the cheapest lanes",
			req:  n95(Cheapest),
			want: Result{
				Lines: []Line{
					{NeedID: "clinic", DonorID: "d", Quantity: 800, UnitCost: 5, TransitDays: 2},
					{NeedID: "er", DonorID: "d", Quantity: 1000, UnitCost: 10, TransitDays: 2},
					{NeedID: "icu", DonorID: "d", Quantity: 200, UnitCost: 50, TransitDays: 2},
				},
				Unmet:     []Unmet{{NeedID: "icu", Quantity: 1000, Reason: ReasonNoStock}},
				Allocated: 2000, Shortfall: 1000, ShippingCost: 24_000, Policy: Cheapest,
			},
		},
		{
			name: "n95 balanced: one need per tier, as priority",
			req:  n95(Balanced),
			want: Result{
				Lines: []Line{
					{NeedID: "er", DonorID: "d", Quantity: 800, UnitCost: 10, TransitDays: 2},
					{NeedID: "icu", DonorID: "d", Quantity: 1200, UnitCost: 50, TransitDays: 2},
				},
				Unmet: []Unmet{
					{NeedID: "clinic", Quantity: 800, Reason: ReasonNoStock},
					{NeedID: "er", Quantity: 200, Reason: ReasonNoStock},
				},
				Allocated: 2000, Shortfall: 1000, ShippingCost: 68_000, Policy: Balanced,
			},
		},
		{
			name: "n95 value with default weights: as priority",
			req:  n95(Value),
			want: Result{
				Lines: []Line{
					{NeedID: "er", DonorID: "d", Quantity: 800, UnitCost: 10, TransitDays: 2},
					{NeedID: "icu", DonorID: "d", Quantity: 1200, UnitCost: 50, TransitDays: 2},
				},
				Unmet: []Unmet{
					{NeedID: "clinic", Quantity: 800, Reason: ReasonNoStock},
					{NeedID: "er", Quantity: 200, Reason: ReasonNoStock},
				},
				Allocated: 2000, Shortfall: 1000, ShippingCost: 68_000, Policy: Value,
			},
		},
		{
			name: "n95 value: a critical unit worth 40 is not worth a lane at 50",
			req:  withWeights,
			want: Result{
				Lines: []Line{
					{NeedID: "clinic", DonorID: "d", Quantity: 800, UnitCost: 5, TransitDays: 2},
					{NeedID: "er", DonorID: "d", Quantity: 1000, UnitCost: 10, TransitDays: 2},
				},
				Unmet:     []Unmet{{NeedID: "icu", Quantity: 1200, Reason: ReasonNotChosen}},
				Allocated: 1800, Shortfall: 1200, ShippingCost: 14_000, Policy: Value,
			},
		},
		{
			name: "value: a weight equal to the lane cost delivers",
			req: Request{
				Needs:    []Need{{ID: "n", Quantity: 5, Urgency: Normal}},
				Supplies: []Supply{{DonorID: "d", Available: 9}},
				Lanes:    []Lane{{DonorID: "d", NeedID: "n", UnitCost: 7}},
				Policy:   Value,
				Weights:  map[Urgency]int64{Normal: 7},
			},
			want: Result{
				Lines:     []Line{{NeedID: "n", DonorID: "d", Quantity: 5, UnitCost: 7}},
				Allocated: 5, ShippingCost: 35, Policy: Value,
			},
		},
		{
			name: "priority reassigns donors: the critical need takes the dearer donor so high is served too",
			req: Request{
				Needs: []Need{
					{ID: "c", Quantity: 10, Urgency: Critical},
					{ID: "h", Quantity: 10, Urgency: High},
				},
				Supplies: []Supply{{DonorID: "a", Available: 10}, {DonorID: "b", Available: 10}},
				Lanes: []Lane{
					{DonorID: "a", NeedID: "c", UnitCost: 1},
					{DonorID: "a", NeedID: "h", UnitCost: 1},
					{DonorID: "b", NeedID: "c", UnitCost: 2},
				},
				Policy: Priority,
			},
			want: Result{
				Lines: []Line{
					{NeedID: "c", DonorID: "b", Quantity: 10, UnitCost: 2},
					{NeedID: "h", DonorID: "a", Quantity: 10, UnitCost: 1},
				},
				Allocated: 20, ShippingCost: 30, Policy: Priority,
			},
		},
		{
			name: "balanced: equal unmet shares in a tier",
			req: Request{
				Needs: []Need{
					{ID: "a", Quantity: 100, Urgency: Critical},
					{ID: "b", Quantity: 300, Urgency: Critical},
				},
				Supplies: []Supply{{DonorID: "d", Available: 200}},
				Lanes: []Lane{
					{DonorID: "d", NeedID: "a", UnitCost: 1},
					{DonorID: "d", NeedID: "b", UnitCost: 9},
				},
				Policy: Balanced,
			},
			want: Result{
				Lines: []Line{
					{NeedID: "a", DonorID: "d", Quantity: 50, UnitCost: 1},
					{NeedID: "b", DonorID: "d", Quantity: 150, UnitCost: 9},
				},
				Unmet: []Unmet{
					{NeedID: "a", Quantity: 50, Reason: ReasonNoStock},
					{NeedID: "b", Quantity: 150, Reason: ReasonNoStock},
				},
				Allocated: 200, Shortfall: 200, ShippingCost: 1400, Policy: Balanced,
			},
		},
		{
			name: "priority on the same tier: the cheaper need first",
			req: Request{
				Needs: []Need{
					{ID: "a", Quantity: 100, Urgency: Critical},
					{ID: "b", Quantity: 300, Urgency: Critical},
				},
				Supplies: []Supply{{DonorID: "d", Available: 200}},
				Lanes: []Lane{
					{DonorID: "d", NeedID: "a", UnitCost: 1},
					{DonorID: "d", NeedID: "b", UnitCost: 9},
				},
				Policy: Priority,
			},
			want: Result{
				Lines: []Line{
					{NeedID: "a", DonorID: "d", Quantity: 100, UnitCost: 1},
					{NeedID: "b", DonorID: "d", Quantity: 100, UnitCost: 9},
				},
				Unmet:     []Unmet{{NeedID: "b", Quantity: 200, Reason: ReasonNoStock}},
				Allocated: 200, Shortfall: 200, ShippingCost: 1000, Policy: Priority,
			},
		},
		{
			name: "balanced: a need only a small donor reaches does not hold the others back",
			req: Request{
				Needs: []Need{
					{ID: "a", Quantity: 100, Urgency: High},
					{ID: "b", Quantity: 100, Urgency: High},
					{ID: "c", Quantity: 100, Urgency: High},
				},
				Supplies: []Supply{{DonorID: "small", Available: 10}, {DonorID: "big", Available: 100}},
				Lanes: []Lane{
					{DonorID: "small", NeedID: "a", UnitCost: 5},
					{DonorID: "small", NeedID: "b", UnitCost: 1},
					{DonorID: "big", NeedID: "b", UnitCost: 1},
					{DonorID: "big", NeedID: "c", UnitCost: 1},
				},
				Policy: Balanced,
			},
			want: Result{
				Lines: []Line{
					{NeedID: "a", DonorID: "small", Quantity: 10, UnitCost: 5},
					{NeedID: "b", DonorID: "big", Quantity: 50, UnitCost: 1},
					{NeedID: "c", DonorID: "big", Quantity: 50, UnitCost: 1},
				},
				Unmet: []Unmet{
					{NeedID: "a", Quantity: 90, Reason: ReasonNoStock},
					{NeedID: "b", Quantity: 50, Reason: ReasonNoStock},
					{NeedID: "c", Quantity: 50, Reason: ReasonNoStock},
				},
				Allocated: 110, Shortfall: 190, ShippingCost: 150, Policy: Balanced,
			},
		},
		{
			name: "deadlines: arriving on the day fits, a day later does not; time of day is ignored",
			req: Request{
				Today: today.Add(23 * time.Hour),
				Needs: []Need{
					{ID: "on-time", Quantity: 5, Urgency: Normal, NeededBy: day(2)},
					{ID: "too-late", Quantity: 5, Urgency: Critical, NeededBy: day(2).Add(20 * time.Hour)},
				},
				Supplies: []Supply{{DonorID: "d", Available: 100}},
				Lanes: []Lane{
					{DonorID: "d", NeedID: "on-time", UnitCost: 3, TransitDays: 2},
					{DonorID: "d", NeedID: "too-late", UnitCost: 1, TransitDays: 3},
				},
				Policy: Priority,
			},
			want: Result{
				Lines:     []Line{{NeedID: "on-time", DonorID: "d", Quantity: 5, UnitCost: 3, TransitDays: 2}},
				Unmet:     []Unmet{{NeedID: "too-late", Quantity: 5, Reason: ReasonNoLaneInTime}},
				Allocated: 5, Shortfall: 5, ShippingCost: 15, Policy: Priority,
			},
		},
		{
			name: "several lanes for a pair: the cheapest that arrives in time",
			req: Request{
				Today:    today,
				Needs:    []Need{{ID: "n", Quantity: 4, Urgency: High, NeededBy: day(5)}},
				Supplies: []Supply{{DonorID: "d", Available: 4}},
				Lanes: []Lane{
					{DonorID: "d", NeedID: "n", UnitCost: 2, TransitDays: 10}, // sea: too slow
					{DonorID: "d", NeedID: "n", UnitCost: 9, TransitDays: 1},  // air
					{DonorID: "d", NeedID: "n", UnitCost: 6, TransitDays: 4},  // road
					{DonorID: "d", NeedID: "n", UnitCost: 6, TransitDays: 3},  // road, faster
				},
				Policy: Cheapest,
			},
			want: Result{
				Lines:     []Line{{NeedID: "n", DonorID: "d", Quantity: 4, UnitCost: 6, TransitDays: 3}},
				Allocated: 4, ShippingCost: 24, Policy: Cheapest,
			},
		},
		{
			name: "default lanes from coordinates; an explicit lane, even too slow, replaces the default",
			req: Request{
				Today: today,
				Needs: []Need{
					{ID: "kunming", Quantity: 10, Urgency: Critical, NeededBy: day(4), Lat: pt(25.0389), Lon: pt(102.7183)},
					{ID: "explicit", Quantity: 10, Urgency: Critical, NeededBy: day(4), Lat: pt(25.0389), Lon: pt(102.7183)},
					{ID: "nowhere", Quantity: 10, Urgency: Critical},
				},
				Supplies: []Supply{{DonorID: "shanghai", Available: 100, Lat: pt(31.2304), Lon: pt(121.4737)}},
				Lanes:    []Lane{{DonorID: "shanghai", NeedID: "explicit", UnitCost: 1, TransitDays: 5}},
				Policy:   Priority,
			},
			want: Result{
				// 1,960 km: 1 + round(19.6) = 21 per unit, 1 + ceil(2.45) = 4 days.
				Lines: []Line{{NeedID: "kunming", DonorID: "shanghai", Quantity: 10, UnitCost: 21, TransitDays: 4}},
				Unmet: []Unmet{
					{NeedID: "explicit", Quantity: 10, Reason: ReasonNoLaneInTime},
					{NeedID: "nowhere", Quantity: 10, Reason: ReasonNoLaneInTime},
				},
				Allocated: 10, Shortfall: 20, ShippingCost: 210, Policy: Priority,
			},
		},
		{
			name: "zero quantities and an empty donor",
			req: Request{
				Needs:    []Need{{ID: "n", Quantity: 0, Urgency: Normal}, {ID: "m", Quantity: 3, Urgency: Normal}},
				Supplies: []Supply{{DonorID: "d", Available: 0}},
				Lanes:    []Lane{{DonorID: "d", NeedID: "n", UnitCost: 1}, {DonorID: "d", NeedID: "m", UnitCost: 1}},
				Policy:   Cheapest,
			},
			want: Result{
				Unmet:     []Unmet{{NeedID: "m", Quantity: 3, Reason: ReasonNoStock}},
				Shortfall: 3, Policy: Cheapest,
			},
		},
		{
			name: "no donor at all: the needs lack stock, not a lane",
			req: Request{
				Today: today,
				Needs: []Need{{ID: "far", Quantity: 5, Urgency: High, NeededBy: day(1), Lat: pt(25.0389), Lon: pt(102.7183)}, {ID: "nowhere", Quantity: 2, Urgency: Normal}},
			},
			want: Result{
				Unmet: []Unmet{
					{NeedID: "far", Quantity: 5, Reason: ReasonNoStock},
					{NeedID: "nowhere", Quantity: 2, Reason: ReasonNoStock},
				},
				Shortfall: 7, Policy: Priority,
			},
		},
		{
			name: "nothing to allocate",
			req:  Request{Policy: Balanced},
			want: Result{Policy: Balanced},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, opt := range []options{{}, {noBigM: true}} {
				got, err := solve(&tt.req, opt)
				if err != nil {
					t.Fatalf("solve(%+v): %v", opt, err)
				}
				if tt.req.Policy == Value && opt.noBigM {
					continue // ties may go either way without the scaling
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("solve(%+v):\n got %+v\nwant %+v", opt, got, tt.want)
				}
			}
		})
	}
}

func TestSolveInvalid(t *testing.T) {
	valid := func() Request {
		return Request{
			Today:    today,
			Needs:    []Need{{ID: "n1", Quantity: 5, Urgency: High, NeededBy: day(3)}},
			Supplies: []Supply{{DonorID: "d1", Available: 5}},
			Lanes:    []Lane{{DonorID: "d1", NeedID: "n1", UnitCost: 1, TransitDays: 1}},
		}
	}
	if _, err := Solve(valid()); err != nil {
		t.Fatalf("valid request: %v", err)
	}
	tests := []struct {
		name   string
		change func(*Request)
		want   string // in the message
	}{
		{"unknown policy", func(r *Request) { r.Policy = "fastest" }, `"fastest"`},
		{"negative quantity", func(r *Request) { r.Needs[0].Quantity = -5 }, "quantity -5"},
		{"quantity too large", func(r *Request) { r.Needs[0].Quantity = MaxQuantity + 1 }, "quantity 1000000000001"},
		{"empty need id", func(r *Request) { r.Needs[0].ID = "" }, "need 0: empty id"},
		{"duplicate need", func(r *Request) { r.Needs = append(r.Needs, r.Needs[0]) }, `need "n1": duplicate`},
		{"unknown urgency", func(r *Request) { r.Needs[0].Urgency = "urgent" }, `"urgent"`},
		{"deadline without today", func(r *Request) { r.Today = time.Time{} }, "2025-03-04"},
		{"negative available", func(r *Request) { r.Supplies[0].Available = -1 }, "available -1"},
		{"empty donor id", func(r *Request) { r.Supplies[0].DonorID = "" }, "supply 0: empty donor id"},
		{"duplicate donor", func(r *Request) { r.Supplies = append(r.Supplies, r.Supplies[0]) }, `donor "d1": duplicate`},
		{"half a location", func(r *Request) { r.Supplies[0].Lat = pt(10) }, "latitude and longitude"},
		{"latitude out of range", func(r *Request) { r.Needs[0].Lat, r.Needs[0].Lon = pt(91), pt(0) }, "latitude 91"},
		{"longitude not a number", func(r *Request) { r.Needs[0].Lat, r.Needs[0].Lon = pt(0), pt(math.NaN()) }, "longitude NaN"},
		{"unknown donor in lane", func(r *Request) { r.Lanes[0].DonorID = "d9" }, `unknown donor "d9"`},
		{"unknown need in lane", func(r *Request) { r.Lanes[0].NeedID = "n9" }, `unknown need "n9"`},
		{"negative unit cost", func(r *Request) { r.Lanes[0].UnitCost = -3 }, "unit cost -3"},
		{"negative transit", func(r *Request) { r.Lanes[0].TransitDays = -1 }, "transit days -1"},
		{"weight of unknown urgency", func(r *Request) { r.Weights = map[Urgency]int64{"low": 1} }, `"low"`},
		{"negative weight", func(r *Request) { r.Weights = map[Urgency]int64{Normal: -2} }, "weight -2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := valid()
			tt.change(&req)
			_, err := Solve(req)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Solve: %v, want ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Solve: %q does not contain %q", err, tt.want)
			}
		})
	}
}

// TestLargeNumbers takes the path without the one-solve penalty (it would
// exceed the solver's bounds) and refuses a total shipping cost beyond int64.
func TestLargeNumbers(t *testing.T) {
	req := Request{
		Needs: []Need{
			{ID: "a", Quantity: 1_000_000_000, Urgency: Critical},
			{ID: "b", Quantity: 1_000_000_000, Urgency: Normal},
		},
		Supplies: []Supply{{DonorID: "d", Available: 1_500_000_000}, {DonorID: "e", Available: 1}},
		Lanes: []Lane{
			{DonorID: "d", NeedID: "a", UnitCost: MaxUnitCost},
			{DonorID: "d", NeedID: "b", UnitCost: 1},
			{DonorID: "e", NeedID: "b", UnitCost: 1},
		},
	}
	m, err := newModel(&req)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.bigM(&spec{modes: []mode{{kind: penalized}, {kind: penalized}}}); ok {
		t.Fatal("bigM fits; the test no longer covers the two-solve path")
	}
	for _, tt := range []struct {
		policy    Policy
		allocated int64
		cost      int64
	}{
		{Cheapest, 1_500_000_001, 999_999_999 + 500_000_001*MaxUnitCost + 1},
		{Priority, 1_500_000_001, 500_000_001 + 1_000_000_000*MaxUnitCost},
		{Balanced, 1_500_000_001, 500_000_001 + 1_000_000_000*MaxUnitCost},
	} {
		req.Policy = tt.policy
		got, err := Solve(req)
		if err != nil {
			t.Fatalf("%s: %v", tt.policy, err)
		}
		if got.Allocated != tt.allocated || got.ShippingCost != tt.cost {
			t.Errorf("%s: allocated %d at %d, want %d at %d", tt.policy, got.Allocated, got.ShippingCost, tt.allocated, tt.cost)
		}
	}
	req.Needs[0].Quantity = 100_000_000_000
	req.Supplies[0].Available = 100_000_000_000
	req.Policy = Priority
	if _, err := Solve(req); !errors.Is(err, ErrInvalid) {
		t.Errorf("shipping cost beyond int64: %v, want ErrInvalid", err)
	}
}

func TestDefaultLane(t *testing.T) {
	tests := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		km                     float64
		cost                   int64
		days                   int
	}{
		{"same place", 31.2304, 121.4737, 31.2304, 121.4737, 0, 1, 1},
		{"shanghai to kunming", 31.2304, 121.4737, 25.0389, 102.7183, 1960.44, 21, 4},
		{"antipodes on the equator", 0, 0, 0, 180, 20015.09, 201, 27},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			km := HaversineKm(tt.lat1, tt.lon1, tt.lat2, tt.lon2)
			if math.Abs(km-tt.km) > 0.01 {
				t.Errorf("HaversineKm = %.2f, want %.2f", km, tt.km)
			}
			if cost, days := DefaultLane(km); cost != tt.cost || days != tt.days {
				t.Errorf("DefaultLane(%.2f) = %d, %d; want %d, %d", km, cost, days, tt.cost, tt.days)
			}
		})
	}
}

// TestOwnNeed checks that a donor's stock never goes to its own need.
func TestOwnNeed(t *testing.T) {
	lat, lon := 31.2, 121.5
	req := Request{Policy: Cheapest, Supplies: []Supply{{DonorID: "scmc", Available: 10, Lat: &lat, Lon: &lon}},
		Needs: []Need{{ID: "own", Requester: "scmc", Quantity: 5, Urgency: Critical, Lat: &lat, Lon: &lon},
			{ID: "other", Requester: "seattle", Quantity: 5, Urgency: Normal, Lat: &lat, Lon: &lon}},
		Lanes: []Lane{{DonorID: "scmc", NeedID: "own", UnitCost: 1, TransitDays: 1}}}
	res, err := Solve(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Lines) != 1 || res.Lines[0].NeedID != "other" || res.Allocated != 5 {
		t.Errorf("lines %+v", res.Lines)
	}
	if len(res.Unmet) != 1 || res.Unmet[0].NeedID != "own" || res.Unmet[0].Reason != ReasonNoLaneInTime {
		t.Errorf("unmet %+v", res.Unmet)
	}
}
