package domain

import (
	"cmp"
	"slices"
	"time"
)

// LeadSummary is the average lead times, in days, of the needs of one item
// pleaded for in one month (UTC). A step is averaged over the needs that
// reached both of its ends; nil when none did.
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

// LeadStep is how many needs reached both ends of a lead-time step and the
// milliseconds they took in all.
type LeadStep struct {
	Needs  int64
	Millis int64
}

// LeadSums is the four steps of a LeadSummary, in its order: plea to first
// pledge, first pledge to first dispatch, first dispatch to first receipt,
// plea to first receipt.
type LeadSums [4]LeadStep

// Add counts one need's lead times.
func (s *LeadSums) Add(lt LeadTime) {
	plea := &lt.PleadedAt
	for i, st := range [4][2]*time.Time{{plea, lt.FirstPledge}, {lt.FirstPledge, lt.Dispatched}, {lt.Dispatched, lt.Received}, {plea, lt.Received}} {
		if st[0] != nil && st[1] != nil {
			s[i].Needs++
			s[i].Millis += st[1].Sub(*st[0]).Round(time.Millisecond).Milliseconds()
		}
	}
}

// Days returns the average days of each step, nil for a step no need reached.
func (s LeadSums) Days() (toPledge, toDispatch, toReceipt, pleaToReceipt *float64) {
	var out [4]*float64
	for i, st := range s {
		if st.Needs > 0 {
			v := float64(st.Millis) / float64(st.Needs) / float64(24*time.Hour/time.Millisecond)
			out[i] = &v
		}
	}
	return out[0], out[1], out[2], out[3]
}

// SummarizeLeadTimes averages lead times per item and month of the plea,
// oldest month first and then by item id; names gives the items' names. It
// is the rule the database's sums per item and month follow (the store's
// tests hold them to it), written over a list of needs.
func SummarizeLeadTimes(lts []LeadTime, names map[string]string) []LeadSummary {
	type group struct {
		s    LeadSummary
		sums LeadSums
	}
	groups := map[[2]string]*group{}
	for _, lt := range lts {
		month := lt.PleadedAt.UTC().Format("2006-01")
		key := [2]string{month, lt.ItemID}
		g, ok := groups[key]
		if !ok {
			g = &group{s: LeadSummary{ItemID: lt.ItemID, ItemName: names[lt.ItemID], Month: month}}
			groups[key] = g
		}
		g.s.Needs++
		g.sums.Add(lt)
	}
	out := make([]LeadSummary, 0, len(groups))
	for _, g := range groups {
		g.s.PleaToPledge, g.s.PledgeToDispatch, g.s.DispatchToReceipt, g.s.PleaToReceipt = g.sums.Days()
		out = append(out, g.s)
	}
	slices.SortFunc(out, func(a, b LeadSummary) int {
		return cmp.Or(cmp.Compare(a.Month, b.Month), cmp.Compare(a.ItemID, b.ItemID))
	})
	return out
}
