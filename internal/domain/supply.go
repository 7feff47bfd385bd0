package domain

import (
	"strings"
	"time"
)

// MaxQuantity bounds every quantity so that sums of many of them stay far
// from overflowing 64 bits.
const MaxQuantity int64 = 1_000_000_000_000

// Urgency is how urgently a need must be met.
type Urgency string

// The urgencies, most urgent first.
const (
	UrgencyCritical Urgency = "critical"
	UrgencyHigh     Urgency = "high"
	UrgencyNormal   Urgency = "normal"
)

// Urgencies lists every urgency, most urgent first.
var Urgencies = []Urgency{UrgencyCritical, UrgencyHigh, UrgencyNormal}

// NeedStatus is where a need stands. It is derived from what was pledged,
// shipped and received, never typed in.
type NeedStatus string

// The statuses of a need.
const (
	NeedOpen               NeedStatus = "open"
	NeedPartiallyPledged   NeedStatus = "partially_pledged"
	NeedPledged            NeedStatus = "pledged"
	NeedPartiallyDelivered NeedStatus = "partially_delivered"
	NeedFulfilled          NeedStatus = "fulfilled"
	NeedCancelled          NeedStatus = "cancelled"
)

// NeedStatuses lists every need status in the order a need moves through them.
var NeedStatuses = []NeedStatus{NeedOpen, NeedPartiallyPledged, NeedPledged, NeedPartiallyDelivered, NeedFulfilled, NeedCancelled}

// Need is a plea from an organization for a quantity of an item.
type Need struct {
	Meta
	OrganizationID string     `json:"organization_id"`
	ItemID         string     `json:"item_id"`
	Quantity       int64      `json:"quantity"`
	Urgency        Urgency    `json:"urgency"`
	NeededBy       Date       `json:"needed_by,omitzero"`
	Justification  string     `json:"justification,omitempty"`
	Shortage       bool       `json:"shortage"`
	Status         NeedStatus `json:"status"`
	// Pledged is the quantity covered by active pledges; Received and Damaged
	// what arrived against it.
	Pledged      int64      `json:"pledged"`
	Received     int64      `json:"received"`
	Damaged      int64      `json:"damaged"`
	CancelledAt  *time.Time `json:"cancelled_at,omitempty"`
	CancelReason string     `json:"cancel_reason,omitempty"`
}

// WaitingStatuses are the statuses of a need still waiting for pledges or
// deliveries: what the needs board shows unless asked for others.
var WaitingStatuses = []NeedStatus{NeedOpen, NeedPartiallyPledged, NeedPledged, NeedPartiallyDelivered}

// Waiting reports whether a need in status s still waits for pledges or
// deliveries.
func (s NeedStatus) Waiting() bool { return oneOf(string(s), WaitingStatuses) }

// UrgencyRank orders urgencies most urgent first: 0 for critical.
func UrgencyRank(u Urgency) int {
	for i, x := range Urgencies {
		if x == u {
			return i
		}
	}
	return len(Urgencies)
}

// TakesPledges reports whether the need takes pledges: it still waits and
// some of it is uncovered.
func (n *Need) TakesPledges() bool { return n.Status.Waiting() && n.Uncovered() > 0 }

// Changeable returns nil when the need's request (item, quantity, urgency,
// date) may still change, and ECONFLICT once it is cancelled or has any
// pledge: then it is cancelled and posted anew.
func (n *Need) Changeable(pledges int) error {
	if n.CancelledAt != nil {
		return Fail(ECONFLICT, MsgNeedCancelled, "Need", n.ID)
	}
	if pledges > 0 {
		return Fail(ECONFLICT, MsgNeedHasPledges, "Need", n.ID)
	}
	return nil
}

// Overdue reports whether the need still waits on the given day with its
// needed_by date past.
func (n *Need) Overdue(today Date) bool {
	return n.Status.Waiting() && !n.NeededBy.IsZero() && n.NeededBy.Before(today)
}

// Uncovered returns the quantity no active pledge covers yet.
func (n *Need) Uncovered() int64 {
	if n.CancelledAt != nil {
		return 0
	}
	return max(0, n.Quantity-n.Pledged)
}

// DeriveStatus sets Status from the need's figures.
func (n *Need) DeriveStatus() {
	switch {
	case n.CancelledAt != nil:
		n.Status = NeedCancelled
	case n.Received >= n.Quantity:
		n.Status = NeedFulfilled
	case n.Received > 0:
		n.Status = NeedPartiallyDelivered
	case n.Pledged >= n.Quantity:
		n.Status = NeedPledged
	case n.Pledged > 0:
		n.Status = NeedPartiallyPledged
	default:
		n.Status = NeedOpen
	}
}

// Validate returns an EINVALID error naming every field that is wrong.
func (n *Need) Validate() error {
	var p Problems
	if n.OrganizationID == "" {
		p.Add("organization_id", MsgRequired)
	}
	if n.ItemID == "" {
		p.Add("item_id", MsgRequired)
	}
	checkQuantity(&p, "quantity", n.Quantity)
	if !oneOf(string(n.Urgency), Urgencies) {
		p.Add("urgency", MsgOneOf, "Allowed", joinKinds(Urgencies), "Value", n.Urgency)
	}
	maxLen(&p, "justification", n.Justification, MaxText)
	return p.Err("need")
}

func checkQuantity(p *Problems, field string, q int64) {
	switch {
	case q <= 0:
		p.Add(field, MsgPositive, "Value", q)
	case q > MaxQuantity:
		p.Add(field, MsgAtMost, "Max", MaxQuantity, "Value", q)
	}
}

// PledgeStatus is where a pledge stands.
type PledgeStatus string

// The statuses of a pledge.
const (
	PledgeOffered   PledgeStatus = "offered"
	PledgeAccepted  PledgeStatus = "accepted"
	PledgeShipped   PledgeStatus = "shipped"
	PledgeDelivered PledgeStatus = "delivered"
	PledgeDeclined  PledgeStatus = "declined"
	PledgeWithdrawn PledgeStatus = "withdrawn"
)

// PledgeStatuses lists every pledge status, those still active first.
var PledgeStatuses = []PledgeStatus{PledgeOffered, PledgeAccepted, PledgeShipped, PledgeDelivered, PledgeDeclined, PledgeWithdrawn}

// PledgeTransitions says which statuses a pledge may move to from each
// status, and by whose hand: "recipient" is the needing organization,
// "donor" the pledging one, "shipping" the shipment records.
var PledgeTransitions = map[PledgeStatus]map[PledgeStatus]string{
	PledgeOffered:  {PledgeAccepted: "recipient", PledgeDeclined: "recipient", PledgeWithdrawn: "donor"},
	PledgeAccepted: {PledgeShipped: "shipping", PledgeWithdrawn: "donor"},
	PledgeShipped:  {PledgeDelivered: "shipping"},
}

// Active reports whether a pledge in status s still counts against its need.
func (s PledgeStatus) Active() bool {
	return s != PledgeDeclined && s != PledgeWithdrawn
}

// Pledge is a donor organization's offer of a quantity against a need,
// optionally reserved from its stock.
type Pledge struct {
	Meta
	NeedID    string       `json:"need_id"`
	DonorID   string       `json:"donor_id"`
	ItemID    string       `json:"item_id"`
	Quantity  int64        `json:"quantity"`
	FromStock bool         `json:"from_stock"`
	Status    PledgeStatus `json:"status"`
	// Shipped is what of the pledge is on shipments; Received and Damaged
	// what of it arrived in good condition and damaged.
	Shipped   int64      `json:"shipped"`
	Received  int64      `json:"received"`
	Damaged   int64      `json:"damaged"`
	Note      string     `json:"note,omitempty"`
	DecidedAt *time.Time `json:"decided_at,omitempty"`
	Reason    string     `json:"reason,omitempty"`
}

// Validate returns an EINVALID error naming every field that is wrong.
func (pl *Pledge) Validate() error {
	var p Problems
	if pl.NeedID == "" {
		p.Add("need_id", MsgRequired)
	}
	if pl.DonorID == "" {
		p.Add("donor_id", MsgRequired)
	}
	checkQuantity(&p, "quantity", pl.Quantity)
	maxLen(&p, "note", pl.Note, MaxNote)
	return p.Err("pledge")
}

// MovementKind is the kind of a stock movement.
type MovementKind string

// The kinds of stock movements.
const (
	MoveReceipt     MovementKind = "receipt"
	MoveDonationOut MovementKind = "donation_out"
	MoveAdjustment  MovementKind = "adjustment"
	MoveCount       MovementKind = "count"
)

// MovementKinds lists the kinds of stock movements.
var MovementKinds = []MovementKind{MoveReceipt, MoveDonationOut, MoveAdjustment, MoveCount}

// ManualMovementKinds are the movements a coordinator records by hand; the
// others follow from receipts and donations.
var ManualMovementKinds = []MovementKind{MoveAdjustment, MoveCount}

// StockMovement is one entry of an organization's append-only stock ledger.
// Delta changes what is on hand; a count records the quantity found and the
// delta that brought the books to it.
type StockMovement struct {
	ID             int64        `json:"id"`
	At             time.Time    `json:"at"`
	OrganizationID string       `json:"organization_id"`
	ItemID         string       `json:"item_id"`
	Kind           MovementKind `json:"kind"`
	Delta          int64        `json:"delta"`
	Counted        *int64       `json:"counted,omitempty"`
	Reason         string       `json:"reason,omitempty"`
	Reference      string       `json:"reference,omitempty"`
	UserID         string       `json:"user_id,omitempty"`
}

// Stock is what an organization holds of an item: on hand, reserved by
// pledges not yet shipped, and available to pledge.
type Stock struct {
	OrganizationID string `json:"organization_id"`
	ItemID         string `json:"item_id"`
	OnHand         int64  `json:"on_hand"`
	Reserved       int64  `json:"reserved"`
	Available      int64  `json:"available"`
}

// ValidateAdjustment checks a manual stock movement: an adjustment with a
// non-zero delta, or a count of what was found; both need a reason.
func ValidateAdjustment(kind MovementKind, delta int64, counted *int64, reason string) error {
	var p Problems
	switch kind {
	case MoveAdjustment:
		if delta == 0 {
			p.Add("delta", MsgNotZero)
		} else if delta > MaxQuantity || delta < -MaxQuantity {
			p.Add("delta", MsgBetween, "Min", -MaxQuantity, "Max", MaxQuantity, "Value", delta)
		}
	case MoveCount:
		if counted == nil || *counted < 0 || *counted > MaxQuantity {
			p.Add("counted", MsgCounted, "Max", MaxQuantity)
		}
	default:
		p.Add("kind", MsgOneOf, "Allowed", joinKinds(ManualMovementKinds), "Value", kind)
	}
	if strings.TrimSpace(reason) == "" {
		p.Add("reason", MsgStockReason)
	}
	maxLen(&p, "reason", reason, MaxNote)
	return p.Err("stock movement")
}

// Notification tells an organization that its counterpart changed something
// of theirs: a pledge on its need, its pledge accepted, a shipment
// dispatched to it, a receipt recorded. The names are read with it, so that
// its sentence can say who did what with which item.
type Notification struct {
	ID               int64     `json:"id"`
	At               time.Time `json:"at"`
	OrganizationID   string    `json:"organization_id"`
	OrganizationName string    `json:"organization_name"`
	Kind             string    `json:"kind"`
	EntityType       string    `json:"entity_type"`
	EntityID         string    `json:"entity_id"`
	ActorOrgID       string    `json:"actor_organization_id,omitempty"`
	ActorOrgName     string    `json:"actor_organization_name,omitempty"`
	Quantity         int64     `json:"quantity,omitempty"`
	// ItemID, ItemName and ItemUnit are the item of the record: a need's,
	// or a shipment's when it carries one item; ItemKinds counts the items
	// of a shipment (1 for a need), and a shipment of several leaves the
	// item empty.
	ItemID    string `json:"item_id,omitempty"`
	ItemName  string `json:"item_name,omitempty"`
	ItemUnit  string `json:"item_unit,omitempty"`
	ItemKinds int    `json:"item_kinds" doc:"How many items the record is of: more than 1 for a shipment of several, whose item fields are then empty"`
	Unread    bool   `json:"unread"`
}

// The kinds of notifications.
const (
	NotePledgeOffered      = "pledge_offered"
	NotePledgeAccepted     = "pledge_accepted"
	NotePledgeDeclined     = "pledge_declined"
	NotePledgeWithdrawn    = "pledge_withdrawn"
	NoteShipmentDispatched = "shipment_dispatched"
	NoteReceiptRecorded    = "receipt_recorded"
	NoteNeedCancelled      = "need_cancelled"
)

// Messages of supply aid.
var (
	MsgNotZero         = msg("not_zero", "must not be zero")
	MsgCounted         = msg("counted", "must be the quantity found, from 0 to {{.Max}}")
	MsgStockReason     = msg("stock_reason", "is required: say why the books change")
	MsgShipmentNoLines = msg("shipment_no_lines", "a shipment needs at least one line against an accepted pledge")
	MsgPledgeTwice     = msg("pledge_twice", "pledge {{.Pledge}} is already on another line of this shipment")
	MsgCostBorneBy     = msg("cost_borne_by", "say which organization bore the shipping cost")
)

// Refusals of supply aid, said when a change would break an invariant.
var (
	MsgNoSuchOrganization   = msg("no_such_organization", "organization {{.ID}} does not exist")
	MsgNoSuchItem           = msg("no_such_item", "item {{.ID}} is not in the catalog")
	MsgNoSuchPledge         = msg("no_such_pledge", "pledge {{.ID}} does not exist")
	MsgNotOwnDepartment     = msg("not_own_department", "department {{.ID}} is not a department of this organization")
	MsgCancelReason         = msg("cancel_reason", "is required: say why the need is cancelled")
	MsgNeedCancelled        = msg("need_cancelled", "need {{.Need}} is cancelled: it takes no pledges and can no longer change")
	MsgNeedHasPledges       = msg("need_has_pledges", "need {{.Need}} has pledges and can no longer change: cancel it and post a new one")
	MsgNeedShipped          = msg("need_shipped", "need {{.Need}} has {{.Shipped}} shipped pledges and cannot be cancelled")
	MsgOwnNeed              = msg("own_need", "an organization cannot pledge to its own need")
	MsgPledgeTooMuch        = msg("pledge_too_much", "only {{.Left}} of {{.Quantity}} are still uncovered; you offered {{.Offered}}")
	MsgStockShort           = msg("stock_short", "only {{.Available}} available in stock ({{.OnHand}} on hand, {{.Reserved}} reserved); you asked for {{.Asked}}")
	MsgPledgeTransition     = msg("pledge_transition", "pledge {{.Pledge}} is {{.Status}} and cannot become {{.To}}")
	MsgOtherDonorsPledge    = msg("other_donors_pledge", "pledge {{.ID}} is another donor's")
	MsgOtherRecipient       = msg("other_recipient", "pledge {{.ID}} is for another recipient: one shipment goes to one organization")
	MsgShipNotAccepted      = msg("ship_not_accepted", "pledge {{.Pledge}} is {{.Status}}: only accepted pledges can be shipped")
	MsgShipTooMuch          = msg("ship_too_much", "pledge {{.Pledge}} has {{.Left}} of {{.Accepted}} accepted left to ship; the line asks for {{.Asked}}")
	MsgDispatchNotPreparing = msg("dispatch_not_preparing", "shipment {{.Shipment}} is {{.Status}}: only a shipment being prepared can be dispatched")
	MsgReceiveNotDispatched = msg("receive_not_dispatched", "shipment {{.Shipment}} is {{.Status}}: only a dispatched shipment can be received")
	MsgReceiptLineTwice     = msg("receipt_line_twice", "line {{.Line}} is given twice")
	MsgReceiptLineMissing   = msg("receipt_line_missing", "say what arrived of line {{.Line}} (received and damaged, 0 if nothing)")
	MsgReceiptTooMuch       = msg("receipt_too_much", "{{.Received}} received and {{.Damaged}} damaged is more than the {{.Shipped}} shipped")
	MsgReceiptLineUnknown   = msg("receipt_line_unknown", "line {{.Line}} is not on this shipment")
	MsgBelowReserved        = msg("below_reserved", "{{.OnHand}} on hand, {{.Reserved}} reserved by pledges: a change of {{.Delta}} would leave less on hand than is reserved")
	MsgNoSuchLine           = msg("no_such_line", "line {{.Line}} does not exist: the proposal has {{.Lines}} lines")
	MsgAllocationDone       = msg("allocation_done", "allocation {{.Allocation}} is already committed")
	MsgLineNoLongerFits     = msg("line_no_longer_fits", "line {{.Line}} no longer fits, as the needs or the stock changed since the proposal ({{.Reason}}): propose again")
	MsgTooManyNeeds         = msg("too_many_needs", "more than {{.Max}} open needs match: narrow the allocation by country or urgency")
	MsgAllDropped           = msg("all_dropped", "every line is dropped: nothing to commit")
)
