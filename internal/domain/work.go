package domain

import "time"

// WorkKind names a section of a user's work queue: one kind of record that
// waits for one of the user's organizations to act on it.
type WorkKind string

// The sections of the work queue, in the order the home page shows them.
const (
	// WorkOffersToDecide are pledges offered to needs of the user's
	// organizations, waiting to be accepted or declined.
	WorkOffersToDecide WorkKind = "offers_to_decide"
	// WorkPledgesToShip are accepted pledges of the user's organizations
	// as donors with a quantity not yet on a shipment.
	WorkPledgesToShip WorkKind = "pledges_to_ship"
	// WorkShipmentsToDispatch are shipments the user's organizations
	// prepared and have not dispatched.
	WorkShipmentsToDispatch WorkKind = "shipments_to_dispatch"
	// WorkShipmentsToReceive are shipments dispatched to the user's
	// organizations whose receipt is not recorded.
	WorkShipmentsToReceive WorkKind = "shipments_to_receive"
	// WorkOverdueNeeds are needs of the user's organizations still
	// waiting after their needed_by date (Need.Overdue).
	WorkOverdueNeeds WorkKind = "overdue_needs"
	// WorkUnreadNotifications are the user's unread notifications.
	WorkUnreadNotifications WorkKind = "unread_notifications"
)

// WorkSectionLimit is how many entries a section of the work queue lists;
// its Count says how many wait in all.
const WorkSectionLimit = 10

// WorkSection is one section of a work queue: how many records wait, the
// first of them (at most WorkSectionLimit), and the user's organizations
// it covers.
type WorkSection struct {
	Kind            WorkKind    `json:"kind" doc:"The section: offers_to_decide, pledges_to_ship, shipments_to_dispatch, shipments_to_receive, overdue_needs or unread_notifications"`
	OrganizationIDs []string    `json:"organization_ids" doc:"Your organizations the section covers: those for which you may act on its records"`
	Count           int         `json:"count" doc:"How many records wait in all"`
	Entries         []WorkEntry `json:"entries" doc:"The first of them, at most ten, the most pressing first"`
}

// WorkEntry is one record waiting in a work queue, with the names a line
// about it needs.
type WorkEntry struct {
	// RecordType and RecordID name the record to open: a pledge (on the
	// page of its need), a shipment or a need.
	RecordType string `json:"record_type" doc:"pledge, shipment, need or notification"`
	RecordID   string `json:"record_id"`
	NeedID     string `json:"need_id,omitempty"`
	// OrganizationID is the user's organization the record waits for;
	// CounterpartID the other party (a donor, a recipient), if any.
	OrganizationID   string `json:"organization_id" doc:"Your organization the record waits for"`
	OrganizationName string `json:"organization_name"`
	CounterpartID    string `json:"counterpart_id,omitempty" doc:"The other party: the donor of an offer, the recipient of a pledge to ship"`
	CounterpartName  string `json:"counterpart_name,omitempty"`
	// ItemID, ItemName and ItemUnit are the record's item; a shipment of
	// several items (ItemKinds > 1) leaves them empty.
	ItemID    string `json:"item_id,omitempty"`
	ItemName  string `json:"item_name,omitempty"`
	ItemUnit  string `json:"item_unit,omitempty"`
	ItemKinds int    `json:"item_kinds" doc:"How many items the record is of: more than 1 for a shipment of several, whose item fields are then empty"`
	// Quantity is what waits: offered, left to ship, shipped, or still to
	// arrive of a need.
	Quantity int64     `json:"quantity" doc:"Offered (an offer), left to ship (an accepted pledge), on the shipment, or still to arrive (a need)"`
	Status   string    `json:"status,omitempty"`
	NeededBy Date      `json:"needed_by,omitzero"`
	Since    time.Time `json:"since" doc:"Since when it waits: offered, accepted, prepared, dispatched, posted or notified"`
	// Notification is the notification itself, in the section of unread
	// notifications.
	Notification *Notification `json:"notification,omitempty" doc:"In unread_notifications: the notification"`
}
