package domain

import (
	"testing"
	"time"
)

func TestLeftToShip(t *testing.T) {
	tests := []struct {
		status  PledgeStatus
		shipped int64
		want    int64
	}{
		{PledgeAccepted, 0, 1200},
		{PledgeAccepted, 200, 1000},
		{PledgeAccepted, 1200, 0},
		{PledgeOffered, 0, 0},
		{PledgeShipped, 1200, 0},
		{PledgeWithdrawn, 0, 0},
	}
	for _, tt := range tests {
		p := Pledge{Quantity: 1200, Status: tt.status, Shipped: tt.shipped}
		if got := p.LeftToShip(); got != tt.want {
			t.Errorf("%s pledge of 1200 with %d shipped: left %d, want %d", tt.status, tt.shipped, got, tt.want)
		}
	}
}

// TestTally is the damaged case: 1,200 pledged and shipped, 1,150 arrive
// whole and 50 damaged, so the need is covered by 1,150 and 50 are
// uncovered again; a declined pledge counts for nothing.
func TestTally(t *testing.T) {
	cancelled := time.Date(2020, 3, 20, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		need    Need
		pledges []Pledge
		want    NeedTally
	}{
		{
			name: "damaged on arrival",
			need: Need{Meta: Meta{ID: "n"}, Quantity: 1200, Pledged: 1150, Received: 1150, Damaged: 50},
			pledges: []Pledge{
				{NeedID: "n", Quantity: 1200, Status: PledgeDelivered, Shipped: 1200, Received: 1150, Damaged: 50},
				{NeedID: "n", Quantity: 300, Status: PledgeDeclined},
			},
			want: NeedTally{Quantity: 1200, Pledged: 1200, Shipped: 1200, Received: 1150, Damaged: 50, Lost: 50, Uncovered: 50},
		},
		{
			name:    "pledged, nothing shipped",
			need:    Need{Meta: Meta{ID: "n"}, Quantity: 2000, Pledged: 1500},
			pledges: []Pledge{{NeedID: "n", Quantity: 1500, Status: PledgeAccepted}},
			want:    NeedTally{Quantity: 2000, Pledged: 1500, Uncovered: 500},
		},
		{
			name:    "cancelled",
			need:    Need{Meta: Meta{ID: "n"}, Quantity: 100, CancelledAt: &cancelled},
			pledges: []Pledge{{NeedID: "n", Quantity: 100, Status: PledgeDeclined}},
			want:    NeedTally{Quantity: 100},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.need.Tally(tt.pledges); got != tt.want {
				t.Errorf("Tally = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestValidateDates(t *testing.T) {
	today := Date{2026, 3, 15}
	tests := []struct {
		neededBy Date
		invalid  bool
	}{
		{Date{}, false},
		{today, false},
		{Date{2026, 3, 16}, false},
		{Date{2026, 3, 14}, true},
		{Date{2020, 3, 15}, true},
	}
	for _, tt := range tests {
		n := Need{NeededBy: tt.neededBy}
		err := n.ValidateDates(today)
		if got := err != nil; got != tt.invalid {
			t.Errorf("needed_by %q on %s: error %v, want invalid %v", tt.neededBy, today, err, tt.invalid)
			continue
		}
		if err == nil {
			continue
		}
		if f := ErrorFields(err); len(f) != 1 || f[0].Field != "needed_by" || f[0].Code != MsgNeededByPast || ErrorCode(err) != EINVALID {
			t.Errorf("needed_by %q: %v", tt.neededBy, err)
		}
	}
}

func TestParseRef(t *testing.T) {
	tests := []struct {
		in   string
		want Ref
		ok   bool
	}{
		{RefTo(RefShipment, "06h31x"), Ref{RefShipment, "06h31x"}, true},
		{RefTo(RefAllocation, "06h31y"), Ref{RefAllocation, "06h31y"}, true},
		{"shipment 06h31x", Ref{}, false}, // written before the codes
		{"allocation 06h31y", Ref{}, false},
		{"need:06h31z", Ref{}, false},
		{"shipment:", Ref{}, false},
		{"shipment:a b", Ref{}, false},
		{"shipment:../x", Ref{}, false},
		{"bought from the county", Ref{}, false},
		{"", Ref{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseRef(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseRef(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSummarizeLeadTimes(t *testing.T) {
	at := func(day, hour int) *time.Time {
		v := time.Date(2020, 3, day, hour, 0, 0, 0, time.UTC)
		return &v
	}
	lts := []LeadTime{
		{NeedID: "a", ItemID: "n95", PleadedAt: *at(1, 0), FirstPledge: at(2, 0), Dispatched: at(4, 0), Received: at(6, 0)},
		{NeedID: "b", ItemID: "n95", PleadedAt: *at(3, 0), FirstPledge: at(3, 12)},
		{NeedID: "c", ItemID: "gown", PleadedAt: *at(5, 0)},
		{NeedID: "d", ItemID: "n95", PleadedAt: time.Date(2020, 2, 28, 0, 0, 0, 0, time.UTC), Dispatched: at(1, 0)},
	}
	got := SummarizeLeadTimes(lts, map[string]string{"n95": "N95 respirator", "gown": "Protective gown"})
	f := func(v float64) *float64 { return &v }
	want := []LeadSummary{
		{ItemID: "n95", ItemName: "N95 respirator", Month: "2020-02", Needs: 1},
		{ItemID: "gown", ItemName: "Protective gown", Month: "2020-03", Needs: 1},
		{ItemID: "n95", ItemName: "N95 respirator", Month: "2020-03", Needs: 2, PleaToPledge: f(0.75), PledgeToDispatch: f(2),
			DispatchToReceipt: f(2), PleaToReceipt: f(5)},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d: %+v", len(got), len(want), got)
	}
	same := func(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	for i := range want {
		g, w := got[i], want[i]
		if g.ItemID != w.ItemID || g.ItemName != w.ItemName || g.Month != w.Month || g.Needs != w.Needs ||
			!same(g.PleaToPledge, w.PleaToPledge) || !same(g.PledgeToDispatch, w.PledgeToDispatch) ||
			!same(g.DispatchToReceipt, w.DispatchToReceipt) || !same(g.PleaToReceipt, w.PleaToReceipt) {
			t.Errorf("row %d = %+v, want %+v", i, g, w)
		}
	}
}
