package domain

// What a need's figures count, what is left to ship of a pledge, and the
// rule on needed_by dates that needs today to be known.

// LeftToShip returns what of an accepted pledge is on no shipment yet; a
// pledge in any other status has nothing to ship.
func (pl *Pledge) LeftToShip() int64 {
	if pl.Status != PledgeAccepted {
		return 0
	}
	return max(0, pl.Quantity-pl.Shipped)
}

// NeedTally is what a need's figures add up to, each counting one thing, so
// that the need's line and its table of pledges agree.
type NeedTally struct {
	// Quantity is what the need asks for.
	Quantity int64 `json:"quantity"`
	// Pledged is the quantity of the active pledges (offered, accepted,
	// shipped, delivered): the total of the table of pledges.
	Pledged int64 `json:"pledged_by_active_pledges"`
	// Shipped is what of those pledges is on shipments.
	Shipped int64 `json:"shipped"`
	// Received is what arrived in good condition; Damaged what arrived
	// damaged.
	Received int64 `json:"received_in_good_condition"`
	Damaged  int64 `json:"damaged"`
	// Lost is what of the pledges no longer covers the need as it did not
	// arrive whole (damaged, or missing from a shipment received).
	Lost int64 `json:"not_arrived_whole"`
	// Uncovered is what no active pledge covers: what the need asks for,
	// less what is pledged, plus what did not arrive whole.
	Uncovered int64 `json:"uncovered"`
}

// Tally returns the need's figures from the need and its pledges: pledged
// and shipped are the sums over its active pledges; received, damaged and
// uncovered are the need's own, which the store keeps in the same
// transactions as the pledges'.
func (n *Need) Tally(pledges []Pledge) NeedTally {
	t := NeedTally{Quantity: n.Quantity, Received: n.Received, Damaged: n.Damaged, Uncovered: n.Uncovered()}
	for _, pl := range pledges {
		if pl.NeedID != n.ID || !pl.Status.Active() {
			continue
		}
		t.Pledged += pl.Quantity
		t.Shipped += pl.Shipped
	}
	if n.CancelledAt == nil {
		t.Lost = max(0, t.Pledged-n.Pledged)
	}
	return t
}

// ValidateDates returns an EINVALID error when the need's needed_by is
// before today: a need cannot be posted, or given a new date, that has
// already passed. Validate cannot know the day; the service passes it. A
// need whose date passed later is Overdue, not invalid.
func (n *Need) ValidateDates(today Date) error {
	var p Problems
	if !n.NeededBy.IsZero() && n.NeededBy.Before(today) {
		p.Add("needed_by", MsgNeededByPast, "Date", n.NeededBy.String(), "Today", today.String())
	}
	return p.Err("need")
}

// MsgNeededByPast refuses a needed_by date that has passed.
var MsgNeededByPast = msg("needed_by_past", "must be today ({{.Today}}) or later, not {{.Date}}, which has passed")
