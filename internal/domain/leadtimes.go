package domain

import (
	"cmp"
	"slices"
	"time"
)

// LeadSummary is the average lead times, in days, of the needs of one item
// pleaded for in one month (UTC). A step is averaged over the needs that
// reached it; nil when none did.
type LeadSummary struct {
	ItemID            string   `json:"item_id"`
	ItemName          string   `json:"item_name"`
	Month             string   `json:"month"`
	Needs             int      `json:"needs"`
	PleaToPledge      *float64 `json:"plea_to_pledge_days,omitempty"`
	PledgeToDispatch  *float64 `json:"pledge_to_dispatch_days,omitempty"`
	DispatchToReceipt *float64 `json:"dispatch_to_receipt_days,omitempty"`
	PleaToReceipt     *float64 `json:"plea_to_receipt_days,omitempty"`
}

// LeadTimeReport is the lead times of every need and their summary per item
// and month, read together.
type LeadTimeReport struct {
	Needs   []LeadTime
	Summary []LeadSummary
}

// SummarizeLeadTimes averages lead times per item and month of the plea,
// oldest month first and then by item id; names gives the items' names.
// Pledge to dispatch and dispatch to receipt count only the needs that
// reached both ends of the step.
func SummarizeLeadTimes(lts []LeadTime, names map[string]string) []LeadSummary {
	type acc struct {
		s     LeadSummary
		sums  [4]float64
		count [4]int
	}
	groups := map[[2]string]*acc{}
	var order []*acc
	for _, lt := range lts {
		month := lt.PleadedAt.UTC().Format("2006-01")
		key := [2]string{lt.ItemID, month}
		g, ok := groups[key]
		if !ok {
			g = &acc{s: LeadSummary{ItemID: lt.ItemID, ItemName: names[lt.ItemID], Month: month}}
			groups[key] = g
			order = append(order, g)
		}
		g.s.Needs++
		plea := &lt.PleadedAt
		for i, st := range [4][2]*time.Time{{plea, lt.FirstPledge}, {lt.FirstPledge, lt.Dispatched}, {lt.Dispatched, lt.Received}, {plea, lt.Received}} {
			if st[0] == nil || st[1] == nil {
				continue
			}
			g.sums[i] += st[1].Sub(*st[0]).Hours() / 24
			g.count[i]++
		}
	}
	out := make([]LeadSummary, 0, len(order))
	for _, g := range order {
		for i, f := range [4]**float64{&g.s.PleaToPledge, &g.s.PledgeToDispatch, &g.s.DispatchToReceipt, &g.s.PleaToReceipt} {
			if g.count[i] > 0 {
				v := g.sums[i] / float64(g.count[i])
				*f = &v
			}
		}
		out = append(out, g.s)
	}
	slices.SortFunc(out, func(a, b LeadSummary) int {
		return cmp.Or(cmp.Compare(a.Month, b.Month), cmp.Compare(a.ItemID, b.ItemID))
	})
	return out
}
