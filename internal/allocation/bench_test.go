package allocation

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// benchRequest is a seeded scarce-stock request: donors and needs at random
// points of a unit square, quantities 1..100, a tenth of the needs critical
// and three tenths high, stock about 70% of demand, k explicit lanes per need
// from distinct random donors (cost 10 + 2000·distance + noise, 1 to 8
// days), three needs in ten with a deadline 2 to 9 days out. With located,
// donors and needs also get coordinates (in a 4,000 km square around China),
// so every pair without an explicit lane gets a default lane.
func benchRequest(donors, needs, k int, located bool) Request {
	rng := rand.New(rand.NewPCG(1, 2))
	type point struct{ x, y float64 }
	at := func() (point, *float64, *float64) {
		p := point{rng.Float64(), rng.Float64()}
		if !located {
			return p, nil, nil
		}
		return p, pt(20 + 20*p.y), pt(100 + 25*p.x)
	}
	req := Request{Today: today}
	dp, np := make([]point, donors), make([]point, needs)
	var demand int64
	for i := range needs {
		var n Need
		np[i], n.Lat, n.Lon = at()
		n.ID = fmt.Sprintf("n%05d", i)
		n.Quantity = 1 + rng.Int64N(100)
		demand += n.Quantity
		switch r := rng.IntN(10); {
		case r == 0:
			n.Urgency = Critical
		case r < 4:
			n.Urgency = High
		default:
			n.Urgency = Normal
		}
		if rng.IntN(10) < 3 {
			n.NeededBy = day(2 + rng.IntN(8))
		}
		req.Needs = append(req.Needs, n)
	}
	for d := range donors {
		var s Supply
		dp[d], s.Lat, s.Lon = at()
		s.DonorID = fmt.Sprintf("d%04d", d)
		s.Available = 1 + rng.Int64N(2*demand*7/10/int64(donors))
		req.Supplies = append(req.Supplies, s)
	}
	for i := range req.Needs {
		for _, d := range rng.Perm(donors)[:k] {
			dist := math.Hypot(dp[d].x-np[i].x, dp[d].y-np[i].y)
			req.Lanes = append(req.Lanes, Lane{
				DonorID:     req.Supplies[d].DonorID,
				NeedID:      req.Needs[i].ID,
				UnitCost:    10 + int64(2000*dist) + rng.Int64N(20),
				TransitDays: 1 + int(5*dist) + rng.IntN(3),
			})
		}
	}
	return req
}

// BenchmarkSolve200x2000 solves 200 donors x 2,000 needs with 10 explicit
// lanes per need under each policy.
func BenchmarkSolve200x2000(b *testing.B) {
	base := benchRequest(200, 2000, 10, false)
	for _, p := range Policies {
		b.Run(string(p), func(b *testing.B) {
			req := base
			req.Policy = p
			var res Result
			for b.Loop() {
				var err error
				if res, err = Solve(req); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(res.Allocated), "units")
			b.ReportMetric(float64(res.ShippingCost), "cost")
		})
	}
}

// BenchmarkSolveDefaultLanes200x2000 is the same request with coordinates
// everywhere: 10 explicit lanes and 190 default lanes per need.
func BenchmarkSolveDefaultLanes200x2000(b *testing.B) {
	base := benchRequest(200, 2000, 10, true)
	for _, p := range Policies {
		b.Run(string(p), func(b *testing.B) {
			req := base
			req.Policy = p
			for b.Loop() {
				if _, err := Solve(req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
