package store

import (
	"context"
	"database/sql"
	"strconv"

	"aidbridge/internal/domain"
)

// The work queue: per kind of record that waits for a user's organizations,
// one query that returns the first entries and how many wait in all.

// WorkQuery selects the entries of one section of a user's work queue.
type WorkQuery struct {
	UserID        string
	Organizations []string    // the user's organizations the section covers
	Today         domain.Date // for what is overdue
	Limit         int         // entries to return; domain.WorkSectionLimit when 0
}

func (q WorkQuery) limit() string {
	if q.Limit <= 0 {
		return itoa(domain.WorkSectionLimit)
	}
	return itoa(clampLimit(q.Limit))
}

// workEntries runs the query of one section. inner selects the section's
// records with the columns record_type, record_id, need_id, org_id,
// counterpart_id, item_id, item_kinds, quantity, status, needed_by, since,
// pos (the entry's place) and total (COUNT(*) OVER ()), at most a page of
// them; the names of the organizations and of the item are joined for
// those rows.
func (s *Store) workEntries(ctx context.Context, inner string, args []any) ([]domain.WorkEntry, int, error) {
	q := `SELECT x.record_type, x.record_id, x.need_id, x.org_id, COALESCE(o.name, ''), x.counterpart_id, COALESCE(c.name, ''),
		COALESCE(i.id, ''), COALESCE(i.name, ''), COALESCE(i.unit, ''), x.item_kinds, x.quantity, x.status, x.needed_by, x.since, x.total
	FROM (` + inner + `) x
	LEFT JOIN organizations o ON o.id = x.org_id
	LEFT JOIN organizations c ON c.id = x.counterpart_id
	LEFT JOIN items i ON i.id = x.item_id AND x.item_kinds = 1
	ORDER BY x.pos`
	total := 0
	var out []domain.WorkEntry
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, func(row scanner) (domain.WorkEntry, error) {
			var e domain.WorkEntry
			var since sql.NullTime
			err := row.Scan(&e.RecordType, &e.RecordID, &e.NeedID, &e.OrganizationID, &e.OrganizationName, &e.CounterpartID, &e.CounterpartName,
				&e.ItemID, &e.ItemName, &e.ItemUnit, &e.ItemKinds, &e.Quantity, &e.Status, &e.NeededBy, &since, &total)
			e.Since = since.Time.UTC()
			return e, err
		}, q, args...)
		return err
	})
	return out, total, err
}

func literal[S ~string](v S) string { return quoted([]S{v}) }

// OffersToDecide returns the pledges offered to needs of the organizations,
// most urgent need first, then oldest offer, and how many there are.
func (s *Store) OffersToDecide(ctx context.Context, q WorkQuery) ([]domain.WorkEntry, int, error) {
	if len(q.Organizations) == 0 {
		return []domain.WorkEntry{}, 0, nil
	}
	in, args := inList("n.organization_id", q.Organizations, nil)
	return s.workEntries(ctx, `SELECT 'pledge' AS record_type, p.id AS record_id, p.need_id AS need_id, n.organization_id AS org_id,
			p.donor_id AS counterpart_id, p.item_id AS item_id, 1 AS item_kinds, p.quantity AS quantity, p.status AS status,
			n.needed_by AS needed_by, p.created_at AS since,
			ROW_NUMBER() OVER (ORDER BY n.urgency_rank, p.created_at, p.id) AS pos, COUNT(*) OVER () AS total
		FROM pledges p JOIN needs n ON n.id = p.need_id
		WHERE p.status = `+literal(domain.PledgeOffered)+` AND `+in+`
		ORDER BY pos LIMIT `+q.limit(), args)
}

// PledgesToShip returns the accepted pledges of the organizations as donors
// with a quantity not yet on a shipment (that quantity is the entry's),
// most urgent need first, then the earliest needed, and how many there are.
func (s *Store) PledgesToShip(ctx context.Context, q WorkQuery) ([]domain.WorkEntry, int, error) {
	if len(q.Organizations) == 0 {
		return []domain.WorkEntry{}, 0, nil
	}
	in, args := inList("p.donor_id", q.Organizations, nil)
	return s.workEntries(ctx, `SELECT 'pledge' AS record_type, p.id AS record_id, p.need_id AS need_id, p.donor_id AS org_id,
			n.organization_id AS counterpart_id, p.item_id AS item_id, 1 AS item_kinds, p.quantity - p.shipped AS quantity,
			p.status AS status, n.needed_by AS needed_by, p.decided_at AS since,
			ROW_NUMBER() OVER (ORDER BY n.urgency_rank, COALESCE(n.needed_by, '9999-12-31'), p.id) AS pos, COUNT(*) OVER () AS total
		FROM pledges p JOIN needs n ON n.id = p.need_id
		WHERE p.status = `+literal(domain.PledgeAccepted)+` AND p.shipped < p.quantity AND `+in+`
		ORDER BY pos LIMIT `+q.limit(), args)
}

// shipmentsWaiting returns the shipments in status whose party side (donor_id
// or recipient_id) is one of the organizations, oldest since first.
func (s *Store) shipmentsWaiting(ctx context.Context, q WorkQuery, status domain.ShipmentStatus, side, other, since string) ([]domain.WorkEntry, int, error) {
	if len(q.Organizations) == 0 {
		return []domain.WorkEntry{}, 0, nil
	}
	in, args := inList("s."+side, q.Organizations, nil)
	return s.workEntries(ctx, `SELECT 'shipment' AS record_type, s.id AS record_id, '' AS need_id, s.`+side+` AS org_id,
			s.`+other+` AS counterpart_id, `+shipmentItemSQL("s.id")+` AS item_id, `+shipmentItemKindsSQL("s.id")+` AS item_kinds,
			`+shipmentQuantitySQL("s.id")+` AS quantity, s.status AS status, NULL AS needed_by, s.`+since+` AS since,
			ROW_NUMBER() OVER (ORDER BY s.`+since+`, s.id) AS pos, COUNT(*) OVER () AS total
		FROM shipments s
		WHERE s.status = `+literal(status)+` AND `+in+`
		ORDER BY pos LIMIT `+q.limit(), args)
}

// ShipmentsToDispatch returns the shipments the organizations prepared and
// have not dispatched, oldest first, and how many there are.
func (s *Store) ShipmentsToDispatch(ctx context.Context, q WorkQuery) ([]domain.WorkEntry, int, error) {
	return s.shipmentsWaiting(ctx, q, domain.ShipmentPreparing, "donor_id", "recipient_id", "created_at")
}

// ShipmentsToReceive returns the shipments dispatched to the organizations
// whose receipt is not recorded, the longest on the way first, and how many
// there are.
func (s *Store) ShipmentsToReceive(ctx context.Context, q WorkQuery) ([]domain.WorkEntry, int, error) {
	return s.shipmentsWaiting(ctx, q, domain.ShipmentDispatched, "recipient_id", "donor_id", "dispatched_at")
}

// OverdueNeeds returns the needs of the organizations that still wait after
// their needed_by date (as domain.Need.Overdue says for q.Today), the
// longest overdue first, with the quantity still to arrive, and how many
// there are.
func (s *Store) OverdueNeeds(ctx context.Context, q WorkQuery) ([]domain.WorkEntry, int, error) {
	if len(q.Organizations) == 0 {
		return []domain.WorkEntry{}, 0, nil
	}
	in, args := inList("n.organization_id", q.Organizations, []any{q.Today})
	return s.workEntries(ctx, `SELECT 'need' AS record_type, n.id AS record_id, n.id AS need_id, n.organization_id AS org_id,
			'' AS counterpart_id, n.item_id AS item_id, 1 AS item_kinds, n.quantity - n.received AS quantity, n.status AS status,
			n.needed_by AS needed_by, n.created_at AS since,
			ROW_NUMBER() OVER (ORDER BY n.needed_by, n.urgency_rank, n.id) AS pos, COUNT(*) OVER () AS total
		FROM needs n
		WHERE n.status IN (`+quoted(domain.WaitingStatuses)+`) AND n.needed_by < $1 AND `+in+`
		ORDER BY pos LIMIT `+q.limit(), args)
}

// UnreadWork returns the user's newest unread notifications to the
// organizations as work entries, each with its notification, and how many
// are unread.
func (s *Store) UnreadWork(ctx context.Context, q WorkQuery) ([]domain.WorkEntry, int, error) {
	limit := domain.WorkSectionLimit
	if q.Limit > 0 {
		limit = q.Limit
	}
	notes, total, err := s.UnreadNotifications(ctx, q.UserID, q.Organizations, limit)
	if err != nil {
		return nil, 0, err
	}
	out := make([]domain.WorkEntry, len(notes))
	for i := range notes {
		n := notes[i]
		out[i] = domain.WorkEntry{RecordType: "notification", RecordID: strconv.FormatInt(n.ID, 10),
			OrganizationID: n.OrganizationID, OrganizationName: n.OrganizationName, CounterpartID: n.ActorOrgID, CounterpartName: n.ActorOrgName,
			ItemID: n.ItemID, ItemName: n.ItemName, ItemUnit: n.ItemUnit, ItemKinds: n.ItemKinds, Quantity: n.Quantity,
			Since: n.At, Notification: &n}
		if n.EntityType == "need" {
			out[i].NeedID = n.EntityID
		}
	}
	return out, total, nil
}
