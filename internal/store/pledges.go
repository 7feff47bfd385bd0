package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"aidbridge/internal/domain"
)

const pledgeColumns = `p.id, p.need_id, p.donor_id, p.item_id, p.quantity, p.from_stock, p.status, p.shipped, p.received, p.damaged,
	p.note, p.reason, p.decided_at, p.created_at, p.updated_at, p.version`

// pledgeScan is a pledge being read from a row whose columns are
// pledgeColumns, alone or followed by another record's.
type pledgeScan struct {
	p       domain.Pledge
	decided sql.NullTime
}

func (s *pledgeScan) dest() []any {
	p := &s.p
	return []any{&p.ID, &p.NeedID, &p.DonorID, &p.ItemID, &p.Quantity, &p.FromStock, &p.Status, &p.Shipped, &p.Received, &p.Damaged,
		&p.Note, &p.Reason, &s.decided, &p.CreatedAt, &p.UpdatedAt, &p.Version}
}

func (s *pledgeScan) done() domain.Pledge {
	p := s.p
	if s.decided.Valid {
		t := s.decided.Time.UTC()
		p.DecidedAt = &t
	}
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return p
}

func scanPledge(row scanner) (domain.Pledge, error) {
	var s pledgeScan
	err := row.Scan(s.dest()...)
	return s.done(), err
}

func findPledge(ctx context.Context, db querier, id string) (domain.Pledge, error) {
	p, err := scanPledge(db.QueryRowContext(ctx, `SELECT `+pledgeColumns+` FROM pledges p WHERE p.id = $1`, id))
	if err == sql.ErrNoRows {
		return p, domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "pledge", "ID", id)
	}
	return p, err
}

func findPledges(ctx context.Context, db querier, where string, args ...any) ([]domain.Pledge, error) {
	return queryAll(ctx, db, scanPledge, `SELECT `+pledgeColumns+` FROM pledges p WHERE `+where+` ORDER BY p.created_at, p.id`, args...)
}

// FindPledge returns the pledge with the given id; ENOTFOUND when there is none.
func (s *Store) FindPledge(ctx context.Context, id string) (domain.Pledge, error) {
	var p domain.Pledge
	err := s.read(ctx, func(db querier) error {
		var err error
		p, err = findPledge(ctx, db, id)
		return err
	})
	return p, err
}

// ListPledges returns the pledges against a need, oldest first.
func (s *Store) ListPledges(ctx context.Context, needID string) ([]domain.Pledge, error) {
	var out []domain.Pledge
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = findPledges(ctx, db, "p.need_id = $1", needID)
		return err
	})
	return out, err
}

// CreatePledge records a donor's offer against a need. In the same
// transaction it raises the need's pledged quantity and, for a pledge from
// stock, the donor's reserved stock, each only if the invariant still holds:
// active pledges never exceed the need, reserved stock never exceeds what is
// on hand. A refusal is ECONFLICT saying what is left; nothing is written.
func (s *Store) CreatePledge(ctx context.Context, by Actor, p *domain.Pledge) error {
	return s.write(ctx, func(tx *sql.Tx) error { return s.createPledge(ctx, tx, by, p) })
}

// createPledge is CreatePledge inside a transaction of the caller's, so that
// an allocation can pledge many lines at once.
func (s *Store) createPledge(ctx context.Context, tx *sql.Tx, by Actor, p *domain.Pledge) error {
	if err := p.Validate(); err != nil {
		return err
	}
	n, err := findNeed(ctx, tx, p.NeedID)
	if err != nil {
		return err
	}
	if n.CancelledAt != nil {
		return domain.Fail(domain.ECONFLICT, domain.MsgNeedCancelled, "Need", n.ID)
	}
	if n.OrganizationID == p.DonorID {
		return invalidField("pledge", "donor_id", domain.MsgOwnNeed)
	}
	if _, err := findOrganization(ctx, tx, p.DonorID); domain.ErrorCode(err) == domain.ENOTFOUND {
		return invalidField("pledge", "donor_id", domain.MsgNoSuchOrganization, "ID", p.DonorID)
	} else if err != nil {
		return err
	}
	p.ItemID = n.ItemID
	now := s.now()
	res, err := tx.ExecContext(ctx, `UPDATE needs SET pledged = pledged + $1, updated_at = $2, version = version + 1
		WHERE id = $3 AND cancelled_at IS NULL AND pledged + $1 <= quantity`, p.Quantity, now, n.ID)
	if err != nil {
		return err
	}
	if k, _ := res.RowsAffected(); k != 1 {
		cur, err := findNeed(ctx, tx, n.ID)
		if err != nil {
			return err
		}
		return domain.Refuse(domain.ECONFLICT, "quantity", domain.MsgPledgeTooMuch, "Need", n.ID, "Left", cur.Uncovered(), "Quantity", cur.Quantity, "Offered", p.Quantity)
	}
	if _, err := tx.ExecContext(ctx, needStatusSQL, n.ID); err != nil {
		return err
	}
	if p.FromStock {
		if err := s.reserve(ctx, tx, p.DonorID, p.ItemID, p.Quantity); err != nil {
			return err
		}
	}
	p.ID = newID()
	p.Status = domain.PledgeOffered
	p.CreatedAt, p.UpdatedAt, p.Version = now, now, 1
	p.DecidedAt, p.Reason = nil, ""
	p.Shipped, p.Received, p.Damaged = 0, 0, 0
	if _, err := tx.ExecContext(ctx, `INSERT INTO pledges (id, need_id, donor_id, item_id, quantity, from_stock, status, note,
		created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		p.ID, p.NeedID, p.DonorID, p.ItemID, p.Quantity, p.FromStock, p.Status, p.Note, p.CreatedAt, p.UpdatedAt, p.Version); err != nil {
		return err
	}
	if err := s.notify(ctx, tx, n.OrganizationID, domain.NotePledgeOffered, "need", n.ID, p.DonorID, p.Quantity); err != nil {
		return err
	}
	return s.audit(ctx, tx, by, p.DonorID, "pledge", p.ID, "create", nil, p)
}

// reserve sets aside quantity of the organization's stock, refusing with
// ECONFLICT when less is available.
func (s *Store) reserve(ctx context.Context, tx *sql.Tx, org, item string, quantity int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE stock_levels SET reserved = reserved + $1
		WHERE organization_id = $2 AND item_id = $3 AND on_hand - reserved >= $1`, quantity, org, item)
	if err != nil {
		return err
	}
	if k, _ := res.RowsAffected(); k == 1 {
		return nil
	}
	st, err := findStock(ctx, tx, org, item)
	if err != nil {
		return err
	}
	return domain.Refuse(domain.ECONFLICT, "from_stock", domain.MsgStockShort, "Available", st.Available, "OnHand", st.OnHand, "Reserved", st.Reserved, "Asked", quantity)
}

// AcceptPledge marks an offered pledge accepted by the needing organization.
// ECONFLICT when it is no longer offered.
func (s *Store) AcceptPledge(ctx context.Context, by Actor, id string) (domain.Pledge, error) {
	return s.movePledge(ctx, by, id, domain.PledgeAccepted, "")
}

// DeclinePledge declines an offered pledge, releasing what it held.
func (s *Store) DeclinePledge(ctx context.Context, by Actor, id, reason string) (domain.Pledge, error) {
	return s.movePledge(ctx, by, id, domain.PledgeDeclined, reason)
}

// WithdrawPledge withdraws a pledge not yet shipped, releasing what it held.
func (s *Store) WithdrawPledge(ctx context.Context, by Actor, id, reason string) (domain.Pledge, error) {
	return s.movePledge(ctx, by, id, domain.PledgeWithdrawn, reason)
}

func (s *Store) movePledge(ctx context.Context, by Actor, id string, to domain.PledgeStatus, reason string) (domain.Pledge, error) {
	var p domain.Pledge
	err := s.write(ctx, func(tx *sql.Tx) error {
		cur, err := findPledge(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, ok := domain.PledgeTransitions[cur.Status][to]; !ok {
			return domain.Fail(domain.ECONFLICT, domain.MsgPledgeTransition, "Pledge", id, "Status", cur.Status, "To", to)
		}
		if to.Active() {
			now := s.now()
			res, err := tx.ExecContext(ctx, `UPDATE pledges SET status = $1, decided_at = $2, updated_at = $2, version = version + 1
				WHERE id = $3 AND status = $4`, to, now, id, cur.Status)
			if err := checkUpdated(res, err, "pledge", id); err != nil {
				return err
			}
			if p, err = findPledge(ctx, tx, id); err != nil {
				return err
			}
			if err := s.notify(ctx, tx, p.DonorID, domain.NotePledgeAccepted, "need", p.NeedID, "", p.Quantity); err != nil {
				return err
			}
			return s.audit(ctx, tx, by, p.DonorID, "pledge", id, string(to), cur, p)
		}
		if err := s.endPledge(ctx, tx, by, cur, to, reason); err != nil {
			return err
		}
		p, err = findPledge(ctx, tx, id)
		return err
	})
	return p, err
}

// endPledge declines or withdraws pledge p: it stops counting against its
// need, and its reserved stock is released.
func (s *Store) endPledge(ctx context.Context, tx *sql.Tx, by Actor, p domain.Pledge, to domain.PledgeStatus, reason string) error {
	now := s.now()
	res, err := tx.ExecContext(ctx, `UPDATE pledges SET status = $1, reason = $2, decided_at = $3, updated_at = $3, version = version + 1
		WHERE id = $4 AND status = $5`, to, reason, now, p.ID, p.Status)
	if err := checkUpdated(res, err, "pledge", p.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE needs SET pledged = pledged - $1, updated_at = $2, version = version + 1 WHERE id = $3`,
		p.Quantity, now, p.NeedID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, needStatusSQL, p.NeedID); err != nil {
		return err
	}
	if p.FromStock {
		res, err := tx.ExecContext(ctx, `UPDATE stock_levels SET reserved = reserved - $1 WHERE organization_id = $2 AND item_id = $3 AND reserved >= $1`,
			p.Quantity, p.DonorID, p.ItemID)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return fmt.Errorf("release reservation of pledge %s: the books reserve less than it holds", p.ID)
		}
	}
	// The other party hears of it: the donor of a decline, the needing
	// organization of a withdrawal.
	n, err := findNeed(ctx, tx, p.NeedID)
	if err != nil {
		return err
	}
	if to == domain.PledgeDeclined {
		err = s.notify(ctx, tx, p.DonorID, domain.NotePledgeDeclined, "need", p.NeedID, n.OrganizationID, p.Quantity)
	} else {
		err = s.notify(ctx, tx, n.OrganizationID, domain.NotePledgeWithdrawn, "need", p.NeedID, p.DonorID, p.Quantity)
	}
	if err != nil {
		return err
	}
	after := p
	after.Status, after.Reason = to, reason
	return s.audit(ctx, tx, by, p.DonorID, "pledge", p.ID, string(to), p, after)
}

// ListDonorPledges returns the pledges of a donor organization, newest first,
// optionally in one status.
func (s *Store) ListDonorPledges(ctx context.Context, donorID, status string, limit int) ([]domain.Pledge, error) {
	where, args := "p.donor_id = $1", []any{donorID}
	if status != "" {
		where, args = where+" AND p.status = $2", append(args, status)
	}
	var out []domain.Pledge
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, scanPledge, `SELECT `+pledgeColumns+` FROM pledges p WHERE `+where+
			` ORDER BY p.created_at DESC, p.id DESC LIMIT `+itoa(clampLimit(limit)), args...)
		return err
	})
	return out, err
}

// FindPledges returns the pledges with the given ids that exist, oldest
// first, in one query.
func (s *Store) FindPledges(ctx context.Context, ids []string) ([]domain.Pledge, error) {
	var q query
	q.addIn("p.id", unique(ids))
	var out []domain.Pledge
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = findPledges(ctx, db, strings.Join(q.where, " AND "), q.args...)
		return err
	})
	return out, err
}

// ListPledgesToShip returns the accepted pledges of a donor organization
// with something left to ship, each with its need, in one query: the needs
// most urgent first, then by needed_by (undated last), then the oldest
// pledge first. What is left is what CreateShipment still accepts on a line
// (quantity less shipped).
func (s *Store) ListPledgesToShip(ctx context.Context, donorID string) ([]domain.Pledge, []domain.Need, error) {
	var pledges []domain.Pledge
	var needs []domain.Need
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, `SELECT `+pledgeColumns+`, `+needColumns+` FROM pledges p JOIN needs n ON n.id = p.need_id
			WHERE p.donor_id = $1 AND p.status = 'accepted' AND p.shipped < p.quantity
			ORDER BY n.urgency_rank, COALESCE(n.needed_by, '9999-12-31'), n.id, p.created_at, p.id`, donorID)
		if err != nil {
			return err
		}
		defer rows.Close()
		seen := map[string]bool{}
		for rows.Next() {
			var ps pledgeScan
			var ns needScan
			if err := rows.Scan(append(ps.dest(), ns.dest()...)...); err != nil {
				return err
			}
			pledges = append(pledges, ps.done())
			if n := ns.done(); !seen[n.ID] {
				seen[n.ID] = true
				needs = append(needs, n)
			}
		}
		return rows.Err()
	})
	return pledges, needs, err
}
