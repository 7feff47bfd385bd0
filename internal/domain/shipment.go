package domain

import (
	"strings"
	"time"
)

// ShipmentStatus is where a shipment stands.
type ShipmentStatus string

// The statuses of a shipment.
const (
	ShipmentPreparing          ShipmentStatus = "preparing"
	ShipmentDispatched         ShipmentStatus = "dispatched"
	ShipmentDelivered          ShipmentStatus = "delivered"
	ShipmentPartiallyDelivered ShipmentStatus = "partially_delivered"
	ShipmentLost               ShipmentStatus = "lost"
	ShipmentCancelled          ShipmentStatus = "cancelled"
)

// ShipmentStatuses lists every shipment status in the order a shipment
// moves through them.
var ShipmentStatuses = []ShipmentStatus{ShipmentPreparing, ShipmentDispatched, ShipmentDelivered, ShipmentPartiallyDelivered,
	ShipmentLost, ShipmentCancelled}

// Shipment carries goods from a donor to a recipient, in lines against
// accepted pledges.
type Shipment struct {
	Meta
	DonorID          string         `json:"donor_id"`
	RecipientID      string         `json:"recipient_id"`
	Carrier          string         `json:"carrier,omitempty"`
	TrackingNumber   string         `json:"tracking_number,omitempty"`
	CustomsReference string         `json:"customs_reference,omitempty"`
	ShippingCost     Money          `json:"shipping_cost,omitzero"`
	CostBorneBy      string         `json:"cost_borne_by,omitempty"`
	Status           ShipmentStatus `json:"status"`
	DispatchedAt     *time.Time     `json:"dispatched_at,omitempty"`
	ReceivedAt       *time.Time     `json:"received_at,omitempty"`
	Lines            []ShipmentLine `json:"lines"`
}

// ShipmentLine is a quantity shipped against one pledge, and what arrived of it.
type ShipmentLine struct {
	ID       string `json:"id"`
	PledgeID string `json:"pledge_id"`
	NeedID   string `json:"need_id"`
	ItemID   string `json:"item_id"`
	Quantity int64  `json:"quantity"`
	Received int64  `json:"received"`
	Damaged  int64  `json:"damaged"`
}

// Validate returns an EINVALID error naming every field that is wrong.
func (s *Shipment) Validate() error {
	var p Problems
	if s.DonorID == "" {
		p.Add("donor_id", MsgRequired)
	}
	if len(s.Lines) == 0 {
		p.Add("lines", MsgShipmentNoLines)
	}
	seen := map[string]bool{}
	for i, l := range s.Lines {
		f := "lines[" + itoa(i) + "]"
		if l.PledgeID == "" {
			p.Add(f+".pledge_id", MsgRequired)
		} else if seen[l.PledgeID] {
			p.Add(f+".pledge_id", MsgPledgeTwice, "Pledge", l.PledgeID)
		}
		seen[l.PledgeID] = true
		checkQuantity(&p, f+".quantity", l.Quantity)
	}
	if !s.ShippingCost.IsZero() {
		if s.ShippingCost.Minor < 0 {
			p.Add("shipping_cost", MsgNotNegative, "Value", s.ShippingCost.Amount())
		}
		if s.CostBorneBy == "" {
			p.Add("cost_borne_by", MsgCostBorneBy)
		}
	}
	for field, v := range map[string]string{"carrier": s.Carrier, "tracking_number": s.TrackingNumber, "customs_reference": s.CustomsReference} {
		maxLen(&p, field, strings.TrimSpace(v), MaxShort)
	}
	return p.Err("shipment")
}

// ReceiptLine is what arrived on one line of a shipment.
type ReceiptLine struct {
	LineID   string `json:"line_id"`
	Received int64  `json:"received"`
	Damaged  int64  `json:"damaged"`
}
