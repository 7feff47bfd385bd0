package domain

import "time"

// AllocationPolicies lists how an allocation weighs needs against each other:
// strict urgency tiers, even shares of unmet demand within a tier, or the
// most units at the least shipping cost.
var AllocationPolicies = []string{"priority", "balanced", "cheapest"}

// AllocationFilter says which open needs and which donors' stock an
// allocation considers.
type AllocationFilter struct {
	ItemID    string    `json:"item_id"`
	Countries []string  `json:"countries,omitempty"`
	Urgencies []Urgency `json:"urgencies,omitempty"`
	DonorIDs  []string  `json:"donor_ids,omitempty"`
}

// Validate returns an EINVALID error naming every field of the filter that
// is wrong: countries must be ISO 3166-1 alpha-2 codes, urgencies those of
// the domain, donors ids no longer than the store makes, each list at most
// MaxPageSize long.
func (f *AllocationFilter) Validate() error {
	var p Problems
	for name, n := range map[string]int{"countries": len(f.Countries), "urgencies": len(f.Urgencies), "donor_ids": len(f.DonorIDs)} {
		if n > MaxPageSize {
			p.Add(name, MsgTooMany, "Max", MaxPageSize)
		}
	}
	for i, c := range f.Countries {
		if !ValidCountry(c) {
			p.Add("countries["+itoa(i)+"]", MsgCountry, "Value", truncated(c))
		}
	}
	for i, u := range f.Urgencies {
		if !oneOf(string(u), Urgencies) {
			p.Add("urgencies["+itoa(i)+"]", MsgOneOf, "Allowed", joinKinds(Urgencies), "Value", truncated(string(u)))
		}
	}
	for i, d := range f.DonorIDs {
		if d == "" || len(d) > MaxID {
			p.Add("donor_ids["+itoa(i)+"]", MsgNoSuchOrganization, "ID", truncated(d))
		}
	}
	return p.Err("allocation filter")
}

// truncated returns s cut to a length a message can show.
func truncated(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// AllocationLine proposes that a donor pledge a quantity from its stock to a need.
type AllocationLine struct {
	NeedID      string `json:"need_id"`
	DonorID     string `json:"donor_id"`
	Quantity    int64  `json:"quantity"`
	UnitCost    int64  `json:"unit_cost"`
	TransitDays int    `json:"transit_days"`
}

// AllocationUnmet is what a proposal leaves unmet of a need, and why.
type AllocationUnmet struct {
	NeedID   string `json:"need_id"`
	Quantity int64  `json:"quantity"`
	Reason   string `json:"reason"`
}

// Allocation is a proposed allocation of donors' stock to open needs, kept so
// that a coordinator can review it and commit it as pledges.
type Allocation struct {
	Meta
	Policy       string            `json:"policy"`
	Filter       AllocationFilter  `json:"filter"`
	Lines        []AllocationLine  `json:"lines"`
	Unmet        []AllocationUnmet `json:"unmet"`
	Allocated    int64             `json:"allocated"`
	Shortfall    int64             `json:"shortfall"`
	ShippingCost int64             `json:"shipping_cost" doc:"In the model's cost units"`
	Status       string            `json:"status"`
	CreatedBy    string            `json:"created_by,omitempty"`
	CommittedAt  *time.Time        `json:"committed_at,omitempty"`
	PledgeIDs    []string          `json:"pledge_ids,omitempty"`
}

// Place is where an organization is, when its coordinates are known: what an
// allocation needs of it to estimate transport.
type Place struct {
	Latitude, Longitude *float64
}
