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
