package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"aidbridge/internal/domain"
)

const shipmentColumns = `s.id, s.donor_id, s.recipient_id, s.carrier, s.tracking_number, s.customs_reference, s.shipping_cost_minor,
	s.shipping_currency, COALESCE(s.cost_borne_by, ''), s.status, s.dispatched_at, s.received_at, s.created_at, s.updated_at, s.version`

func scanShipment(row scanner) (domain.Shipment, error) {
	var sh domain.Shipment
	var cost sql.NullInt64
	var dispatched, received sql.NullTime
	err := row.Scan(&sh.ID, &sh.DonorID, &sh.RecipientID, &sh.Carrier, &sh.TrackingNumber, &sh.CustomsReference, &cost,
		&sh.ShippingCost.Currency, &sh.CostBorneBy, &sh.Status, &dispatched, &received, &sh.CreatedAt, &sh.UpdatedAt, &sh.Version)
	sh.ShippingCost.Minor = cost.Int64
	if !cost.Valid {
		sh.ShippingCost = domain.Money{}
	}
	if dispatched.Valid {
		t := dispatched.Time.UTC()
		sh.DispatchedAt = &t
	}
	if received.Valid {
		t := received.Time.UTC()
		sh.ReceivedAt = &t
	}
	sh.CreatedAt, sh.UpdatedAt = sh.CreatedAt.UTC(), sh.UpdatedAt.UTC()
	return sh, err
}

func findShipment(ctx context.Context, db querier, id string) (domain.Shipment, error) {
	sh, err := scanShipment(db.QueryRowContext(ctx, `SELECT `+shipmentColumns+` FROM shipments s WHERE s.id = $1`, id))
	if err == sql.ErrNoRows {
		return sh, domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "shipment", "ID", id)
	}
	if err != nil {
		return sh, err
	}
	rows, err := db.QueryContext(ctx, `SELECT l.id, l.pledge_id, p.need_id, p.item_id, l.quantity, l.received, l.damaged
		FROM shipment_lines l JOIN pledges p ON p.id = l.pledge_id WHERE l.shipment_id = $1 ORDER BY l.position`, id)
	if err != nil {
		return sh, err
	}
	defer rows.Close()
	sh.Lines = []domain.ShipmentLine{}
	for rows.Next() {
		var l domain.ShipmentLine
		if err := rows.Scan(&l.ID, &l.PledgeID, &l.NeedID, &l.ItemID, &l.Quantity, &l.Received, &l.Damaged); err != nil {
			return sh, err
		}
		sh.Lines = append(sh.Lines, l)
	}
	return sh, rows.Err()
}

// FindShipment returns the shipment with the given id and its lines.
func (s *Store) FindShipment(ctx context.Context, id string) (domain.Shipment, error) {
	var sh domain.Shipment
	err := s.read(ctx, func(db querier) error {
		var err error
		sh, err = findShipment(ctx, db, id)
		return err
	})
	return sh, err
}

// CreateShipment prepares a shipment with lines against accepted pledges of
// one donor to one recipient. Each line raises its pledge's shipped quantity
// only while it stays within what was accepted; a line against a pledge that
// is not accepted, or beyond it, is refused with ECONFLICT and nothing is
// written.
func (s *Store) CreateShipment(ctx context.Context, by Actor, sh *domain.Shipment) error {
	if err := sh.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		now := s.now()
		sh.ID = newID()
		sh.Status = domain.ShipmentPreparing
		sh.CreatedAt, sh.UpdatedAt, sh.Version = now, now, 1
		sh.DispatchedAt, sh.ReceivedAt = nil, nil
		sh.RecipientID = ""
		if _, err := findOrganization(ctx, tx, sh.DonorID); domain.ErrorCode(err) == domain.ENOTFOUND {
			return invalidField("shipment", "donor_id", domain.MsgNoSuchOrganization, "ID", sh.DonorID)
		} else if err != nil {
			return err
		}
		for i := range sh.Lines {
			l := &sh.Lines[i]
			field := fmt.Sprintf("lines[%d].pledge_id", i)
			p, err := findPledge(ctx, tx, l.PledgeID)
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				return invalidField("shipment", field, domain.MsgNoSuchPledge, "ID", l.PledgeID)
			} else if err != nil {
				return err
			}
			if p.DonorID != sh.DonorID {
				return invalidField("shipment", field, domain.MsgOtherDonorsPledge, "ID", p.ID)
			}
			n, err := findNeed(ctx, tx, p.NeedID)
			if err != nil {
				return err
			}
			if sh.RecipientID == "" {
				sh.RecipientID = n.OrganizationID
			} else if sh.RecipientID != n.OrganizationID {
				return invalidField("shipment", field, domain.MsgOtherRecipient, "ID", p.ID)
			}
			res, err := tx.ExecContext(ctx, `UPDATE pledges SET shipped = shipped + $1, updated_at = $2, version = version + 1
				WHERE id = $3 AND status = 'accepted' AND shipped + $1 <= quantity`, l.Quantity, now, p.ID)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k != 1 {
				cur, err := findPledge(ctx, tx, p.ID)
				if err != nil {
					return err
				}
				if cur.Status != domain.PledgeAccepted {
					return domain.Refuse(domain.ECONFLICT, field, domain.MsgShipNotAccepted, "Pledge", p.ID, "Status", cur.Status)
				}
				var shipped int64
				tx.QueryRowContext(ctx, `SELECT shipped FROM pledges WHERE id = $1`, p.ID).Scan(&shipped)
				return domain.Refuse(domain.ECONFLICT, field, domain.MsgShipTooMuch, "Pledge", p.ID, "Left", cur.Quantity-shipped, "Accepted", cur.Quantity, "Asked", l.Quantity)
			}
			l.ID, l.NeedID, l.ItemID, l.Received, l.Damaged = newID(), p.NeedID, p.ItemID, 0, 0
		}
		var cost sql.NullInt64
		if !sh.ShippingCost.IsZero() {
			cost = sql.NullInt64{Int64: sh.ShippingCost.Minor, Valid: true}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO shipments (id, donor_id, recipient_id, carrier, tracking_number, customs_reference,
			shipping_cost_minor, shipping_currency, cost_borne_by, status, created_at, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			sh.ID, sh.DonorID, sh.RecipientID, sh.Carrier, sh.TrackingNumber, sh.CustomsReference, cost, sh.ShippingCost.Currency,
			nullString(sh.CostBorneBy), sh.Status, sh.CreatedAt, sh.UpdatedAt, sh.Version); err != nil {
			return err
		}
		for i, l := range sh.Lines {
			if _, err := tx.ExecContext(ctx, `INSERT INTO shipment_lines (id, shipment_id, position, pledge_id, quantity) VALUES ($1, $2, $3, $4, $5)`,
				l.ID, sh.ID, i, l.PledgeID, l.Quantity); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, by, sh.DonorID, "shipment", sh.ID, "create", nil, sh)
	})
}

// DispatchShipment sends a prepared shipment at the given version: stock
// reserved for its pledges leaves the donor's books as donations out, and a
// pledge whose whole quantity is dispatched becomes shipped.
func (s *Store) DispatchShipment(ctx context.Context, by Actor, id string, version int64) (domain.Shipment, error) {
	var sh domain.Shipment
	err := s.write(ctx, func(tx *sql.Tx) error {
		before, err := findShipment(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkVersion("shipment", id, before.Version, version); err != nil {
			return err
		}
		now := s.now()
		res, err := tx.ExecContext(ctx, `UPDATE shipments SET status = 'dispatched', dispatched_at = $1, updated_at = $1, version = version + 1
			WHERE id = $2 AND status = 'preparing'`, now, id)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return domain.Fail(domain.ECONFLICT, domain.MsgDispatchNotPreparing, "Shipment", id, "Status", before.Status)
		}
		for _, l := range before.Lines {
			p, err := findPledge(ctx, tx, l.PledgeID)
			if err != nil {
				return err
			}
			if p.FromStock {
				res, err := tx.ExecContext(ctx, `UPDATE stock_levels SET reserved = reserved - $1 WHERE organization_id = $2 AND item_id = $3 AND reserved >= $1`,
					l.Quantity, p.DonorID, p.ItemID)
				if err != nil {
					return err
				}
				if k, _ := res.RowsAffected(); k != 1 {
					return fmt.Errorf("dispatch shipment %s: the books reserve less than pledge %s holds", id, p.ID)
				}
				m := domain.StockMovement{OrganizationID: p.DonorID, ItemID: p.ItemID, Kind: domain.MoveDonationOut, Delta: -l.Quantity,
					Reference: domain.RefTo(domain.RefShipment, id)}
				if err := s.appendMovement(ctx, tx, by, &m); err != nil {
					return err
				}
			}
			var undispatched int64
			if err := tx.QueryRowContext(ctx, `SELECT p.quantity - COALESCE((SELECT SUM(l.quantity) FROM shipment_lines l JOIN shipments s ON s.id = l.shipment_id
				WHERE l.pledge_id = p.id AND s.status NOT IN ('preparing', 'cancelled')), 0) FROM pledges p WHERE p.id = $1`, p.ID).Scan(&undispatched); err != nil {
				return err
			}
			if undispatched == 0 && p.Status == domain.PledgeAccepted {
				if _, err := tx.ExecContext(ctx, `UPDATE pledges SET status = 'shipped', updated_at = $1, version = version + 1 WHERE id = $2`, now, p.ID); err != nil {
					return err
				}
			}
		}
		if sh, err = findShipment(ctx, tx, id); err != nil {
			return err
		}
		var total int64
		for _, l := range sh.Lines {
			total += l.Quantity
		}
		if err := s.notify(ctx, tx, sh.RecipientID, domain.NoteShipmentDispatched, "shipment", id, sh.DonorID, total); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, sh.DonorID, "shipment", id, "dispatch", before, sh)
	})
	return sh, err
}

// RecordReceipt records what arrived of a dispatched shipment, line by
// line: received units enter the recipient's stock and count towards the
// need; damaged and missing units no longer cover it, so that another
// pledge may. Received plus damaged never exceeds what was shipped
// (EINVALID), and a shipment is received once (ECONFLICT).
func (s *Store) RecordReceipt(ctx context.Context, by Actor, id string, lines []domain.ReceiptLine) (domain.Shipment, error) {
	var sh domain.Shipment
	err := s.write(ctx, func(tx *sql.Tx) error {
		before, err := findShipment(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Status != domain.ShipmentDispatched {
			return domain.Fail(domain.ECONFLICT, domain.MsgReceiveNotDispatched, "Shipment", id, "Status", before.Status)
		}
		given := map[string]domain.ReceiptLine{}
		var p domain.Problems
		for i, rl := range lines {
			f := fmt.Sprintf("lines[%d]", i)
			if _, dup := given[rl.LineID]; dup {
				p.Add(f+".line_id", domain.MsgReceiptLineTwice, "Line", rl.LineID)
			}
			given[rl.LineID] = rl
			if rl.Received < 0 {
				p.Add(f+".received", domain.MsgNotNegative, "Value", rl.Received)
			}
			if rl.Damaged < 0 {
				p.Add(f+".damaged", domain.MsgNotNegative, "Value", rl.Damaged)
			}
		}
		known := map[string]bool{}
		for i, l := range before.Lines {
			known[l.ID] = true
			rl, ok := given[l.ID]
			if !ok {
				p.Add(fmt.Sprintf("lines[%d]", i), domain.MsgReceiptLineMissing, "Line", l.ID)
				continue
			}
			if rl.Received+rl.Damaged > l.Quantity {
				p.Add(fmt.Sprintf("lines[%d].received", i), domain.MsgReceiptTooMuch, "Received", rl.Received, "Damaged", rl.Damaged, "Shipped", l.Quantity)
			}
		}
		for id := range given {
			if !known[id] {
				p.Add("lines", domain.MsgReceiptLineUnknown, "Line", id)
			}
		}
		if err := p.Err("receipt"); err != nil {
			return err
		}
		now := s.now()
		complete := true
		for _, l := range before.Lines {
			rl := given[l.ID]
			if rl.Received != l.Quantity {
				complete = false
			}
			if _, err := tx.ExecContext(ctx, `UPDATE shipment_lines SET received = $1, damaged = $2 WHERE id = $3`, rl.Received, rl.Damaged, l.ID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE pledges SET received = received + $1, damaged = damaged + $2, updated_at = $3, version = version + 1
				WHERE id = $4`, rl.Received, rl.Damaged, now, l.PledgeID); err != nil {
				return err
			}
			// Units that did not arrive whole no longer cover the need.
			if _, err := tx.ExecContext(ctx, `UPDATE needs SET received = received + $1, damaged = damaged + $2, pledged = pledged - $3,
				updated_at = $4, version = version + 1 WHERE id = $5`, rl.Received, rl.Damaged, l.Quantity-rl.Received, now, l.NeedID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, needStatusSQL, l.NeedID); err != nil {
				return err
			}
			if rl.Received > 0 {
				m := domain.StockMovement{OrganizationID: before.RecipientID, ItemID: l.ItemID, Kind: domain.MoveReceipt, Delta: rl.Received,
					Reference: domain.RefTo(domain.RefShipment, id)}
				if err := s.appendMovement(ctx, tx, by, &m); err != nil {
					return err
				}
			}
			// A shipped pledge with nothing left on the way is delivered.
			if _, err := tx.ExecContext(ctx, `UPDATE pledges SET status = 'delivered' WHERE id = $1 AND status = 'shipped' AND NOT EXISTS (
				SELECT 1 FROM shipment_lines l JOIN shipments s ON s.id = l.shipment_id
				WHERE l.pledge_id = $1 AND s.status IN ('preparing', 'dispatched') AND s.id <> $2)`, l.PledgeID, id); err != nil {
				return err
			}
		}
		status := domain.ShipmentDelivered
		if !complete {
			status = domain.ShipmentPartiallyDelivered
		}
		if _, err := tx.ExecContext(ctx, `UPDATE shipments SET status = $1, received_at = $2, updated_at = $2, version = version + 1 WHERE id = $3`,
			status, now, id); err != nil {
			return err
		}
		if sh, err = findShipment(ctx, tx, id); err != nil {
			return err
		}
		var total int64
		for _, l := range sh.Lines {
			total += l.Received
		}
		if err := s.notify(ctx, tx, sh.DonorID, domain.NoteReceiptRecorded, "shipment", id, sh.RecipientID, total); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, sh.RecipientID, "shipment", id, "receipt", before, sh)
	})
	return sh, err
}

// ListShipments returns shipments, newest first, without their lines.
func (s *Store) ListShipments(ctx context.Context, f domain.ShipmentFilter) ([]domain.Shipment, error) {
	var q query
	if f.OrganizationID != "" {
		q.add("(s.donor_id = ? OR s.recipient_id = ?)", f.OrganizationID, f.OrganizationID)
	}
	if f.Status != "" {
		q.add("s.status = ?", f.Status)
	}
	var out []domain.Shipment
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, scanShipment, `SELECT `+shipmentColumns+` FROM shipments s`+q.clause()+
			` ORDER BY s.created_at DESC, s.id DESC LIMIT `+itoa(clampLimit(f.Limit)), q.args...)
		return err
	})
	return out, err
}

// LeadTimes returns the lead times of the needs with the given ids, or of
// every need pleaded for since the given time when ids is empty, oldest plea
// first. A need's first pledge, dispatch and receipt are kept on it by the
// database (migration 00019).
func (s *Store) LeadTimes(ctx context.Context, ids []string, since time.Time) ([]domain.LeadTime, error) {
	var q query
	if len(ids) > 0 {
		q.addIn("n.id", unique(ids))
	} else {
		q.add("n.created_at >= ?", since)
	}
	out := []domain.LeadTime{}
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, `SELECT n.id, n.item_id, n.created_at, n.first_pledge_at, n.first_dispatch_at, n.first_receipt_at
			FROM needs n`+q.clause()+` ORDER BY n.created_at, n.id`, q.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var lt domain.LeadTime
			var pledged, dispatched, received nullTime
			if err := rows.Scan(&lt.NeedID, &lt.ItemID, &lt.PleadedAt, &pledged, &dispatched, &received); err != nil {
				return err
			}
			lt.PleadedAt = lt.PleadedAt.UTC()
			lt.FirstPledge, lt.Dispatched, lt.Received = pledged.ptr(), dispatched.ptr(), received.ptr()
			out = append(out, lt)
		}
		return rows.Err()
	})
	return out, err
}

// LeadTimeReport returns the average lead times per item and month of the
// plea, oldest month first and then by item id, from the sums the database
// keeps per item and month (migration 00019): a few rows whatever the
// number of needs.
func (s *Store) LeadTimeReport(ctx context.Context) ([]domain.LeadSummary, error) {
	var out []domain.LeadSummary
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, func(row scanner) (domain.LeadSummary, error) {
			var l domain.LeadSummary
			var steps domain.LeadSums
			err := row.Scan(&l.Month, &l.ItemID, &l.ItemName, &l.Needs,
				&steps[0].Needs, &steps[0].Millis, &steps[1].Needs, &steps[1].Millis,
				&steps[2].Needs, &steps[2].Millis, &steps[3].Needs, &steps[3].Millis)
			l.PleaToPledge, l.PledgeToDispatch, l.DispatchToReceipt, l.PleaToReceipt = steps.Days()
			return l, err
		}, `SELECT m.month, m.item_id, COALESCE(i.name, ''), m.needs, m.to_pledge_needs, m.to_pledge_ms,
			m.to_dispatch_needs, m.to_dispatch_ms, m.to_receipt_needs, m.to_receipt_ms, m.plea_to_receipt_needs, m.plea_to_receipt_ms
			FROM lead_time_months m LEFT JOIN items i ON i.id = m.item_id WHERE m.needs > 0 ORDER BY m.month, m.item_id`)
		return err
	})
	return out, err
}

// nullTime reads a timestamp that an aggregate may return as NULL, as text
// (SQLite gives aggregates no declared type) or as a time.
type nullTime struct {
	t     time.Time
	valid bool
}

func (n *nullTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		n.valid = false
		return nil
	case time.Time:
		n.t, n.valid = v.UTC(), true
		return nil
	case string:
		for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999"} {
			if t, err := time.Parse(layout, v); err == nil {
				n.t, n.valid = t.UTC(), true
				return nil
			}
		}
		return fmt.Errorf("cannot read time %q", v)
	case []byte:
		return n.Scan(string(v))
	}
	return fmt.Errorf("cannot read a time from %T", src)
}

func (n nullTime) ptr() *time.Time {
	if !n.valid {
		return nil
	}
	t := n.t
	return &t
}
