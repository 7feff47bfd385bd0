package allocation

import (
	"math"
	"math/bits"
	"slices"
	"time"
)

// model is a validated request with its usable lanes.
type model struct {
	policy   Policy
	weights  map[Urgency]int64
	needs    []Need
	tier     []int // per need: index of its urgency in Urgencies
	supplies []Supply
	lanes    []lane // usable lanes from donors with stock, by need then donor index
}

// lane is the usable lane of one (donor, need) pair, by index.
type lane struct {
	donor, need int
	cost        int64
	days        int
}

// newModel validates req and finds the usable lanes: per (donor, need) pair
// the cheapest explicit lane that arrives in time, else the default lane if
// both ends have coordinates and it arrives in time. Donors without stock,
// needs without quantity and a donor's own needs get none.
func newModel(req *Request) (*model, error) {
	policy, err := validate(req)
	if err != nil {
		return nil, err
	}
	m := &model{
		policy:   policy,
		weights:  req.Weights,
		needs:    req.Needs,
		tier:     make([]int, len(req.Needs)),
		supplies: req.Supplies,
	}
	needIdx := make(map[string]int, len(req.Needs))
	for i, n := range req.Needs {
		needIdx[n.ID] = i
		m.tier[i] = slices.Index(Urgencies, n.Urgency)
	}
	donorIdx := make(map[string]int, len(req.Supplies))
	for i, s := range req.Supplies {
		donorIdx[s.DonorID] = i
	}
	today := civil(req.Today)
	deadline := make([]time.Time, len(req.Needs)) // zero: none
	for i, n := range req.Needs {
		if !n.NeededBy.IsZero() {
			deadline[i] = civil(n.NeededBy)
		}
	}
	inTime := func(need, days int) bool {
		return deadline[need].IsZero() || !today.AddDate(0, 0, days).After(deadline[need])
	}

	// Explicit lanes: the best usable one per pair; explicit marks pairs that
	// have any, usable or not, so they get no default lane.
	type pair struct{ donor, need int }
	best := make(map[pair]int, len(req.Lanes)) // index into m.lanes
	explicit := make(map[pair]bool, len(req.Lanes))
	for _, l := range req.Lanes {
		p := pair{donorIdx[l.DonorID], needIdx[l.NeedID]}
		explicit[p] = true
		if l.DonorID == req.Needs[p.need].Requester || req.Supplies[p.donor].Available == 0 || req.Needs[p.need].Quantity == 0 || !inTime(p.need, l.TransitDays) {
			continue
		}
		c := lane{donor: p.donor, need: p.need, cost: l.UnitCost, days: l.TransitDays}
		if j, ok := best[p]; !ok {
			best[p] = len(m.lanes)
			m.lanes = append(m.lanes, c)
		} else if o := m.lanes[j]; c.cost < o.cost || (c.cost == o.cost && c.days < o.days) {
			m.lanes[j] = c
		}
	}
	for d, s := range req.Supplies {
		if s.Available == 0 || s.Lat == nil {
			continue
		}
		for i, n := range req.Needs {
			if n.Quantity == 0 || n.Lat == nil || explicit[pair{d, i}] || n.Requester == s.DonorID {
				continue
			}
			cost, days := DefaultLane(HaversineKm(*s.Lat, *s.Lon, *n.Lat, *n.Lon))
			if inTime(i, days) {
				m.lanes = append(m.lanes, lane{donor: d, need: i, cost: cost, days: days})
			}
		}
	}
	slices.SortFunc(m.lanes, func(a, b lane) int {
		if a.need != b.need {
			return a.need - b.need
		}
		return a.donor - b.donor
	})
	return m, nil
}

// civil returns t's calendar date (in t's own location) as midnight UTC.
func civil(t time.Time) time.Time {
	y, mo, d := t.Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}

// HaversineKm returns the great-circle distance in km between two points
// given in degrees, on a sphere of radius EarthRadiusKm.
func HaversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(min(1, a)))
}

// DefaultLane returns the unit cost and transit days of the default lane
// over km kilometres: DefaultCostBase + round(km/DefaultKmPerCostUnit) and
// DefaultDispatchDays + ceil(km/DefaultKmPerDay).
func DefaultLane(km float64) (unitCost int64, transitDays int) {
	return DefaultCostBase + int64(math.Round(km/DefaultKmPerCostUnit)),
		DefaultDispatchDays + int(math.Ceil(km/DefaultKmPerDay))
}

// tiers returns the indices of the needs with a positive quantity, grouped
// by urgency, most urgent first, omitting empty groups.
func (m *model) tiers() [][]int {
	groups := make([][]int, len(Urgencies))
	for i, n := range m.needs {
		if n.Quantity > 0 {
			groups[m.tier[i]] = append(groups[m.tier[i]], i)
		}
	}
	return slices.DeleteFunc(groups, func(g []int) bool { return len(g) == 0 })
}

// positive returns the indices of the needs with a positive quantity.
func (m *model) positive() []int {
	var all []int
	for i, n := range m.needs {
		if n.Quantity > 0 {
			all = append(all, i)
		}
	}
	return all
}

// acc is an unsigned 128-bit sum of products of non-negative int64s.
type acc struct{ hi, lo uint64 }

func (z *acc) addMul(a, b int64) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	var c uint64
	z.lo, c = bits.Add64(z.lo, lo, 0)
	z.hi += hi + c
}

// int64 returns z and whether it fits in an int64.
func (z acc) int64() (int64, bool) {
	return int64(z.lo), z.hi == 0 && z.lo <= math.MaxInt64
}

// mulCap returns a·b for non-negative a and b, or limit when the product
// exceeds limit.
func mulCap(a, b, limit int64) int64 {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi != 0 || lo > uint64(limit) {
		return limit
	}
	return int64(lo)
}
