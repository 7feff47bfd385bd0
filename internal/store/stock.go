package store

import (
	"context"
	"database/sql"

	"aidbridge/internal/domain"
)

func findStock(ctx context.Context, db querier, org, item string) (domain.Stock, error) {
	st := domain.Stock{OrganizationID: org, ItemID: item}
	err := db.QueryRowContext(ctx, `SELECT on_hand, reserved FROM stock_levels WHERE organization_id = $1 AND item_id = $2`, org, item).
		Scan(&st.OnHand, &st.Reserved)
	if err == sql.ErrNoRows {
		err = nil
	}
	st.Available = st.OnHand - st.Reserved
	return st, err
}

// ensureStockRow makes the stock row of (org, item) exist so that
// conditional updates can lock it.
func ensureStockRow(ctx context.Context, tx *sql.Tx, org, item string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO stock_levels (organization_id, item_id) VALUES ($1, $2)
		ON CONFLICT (organization_id, item_id) DO NOTHING`, org, item)
	return err
}

// RecordStock appends a manual movement to an organization's stock ledger:
// an adjustment by delta, or a count of what was found (the books move to it).
// ECONFLICT when the result would be negative or below what pledges reserve.
func (s *Store) RecordStock(ctx context.Context, by Actor, m *domain.StockMovement) error {
	if err := domain.ValidateAdjustment(m.Kind, m.Delta, m.Counted, m.Reason); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := findOrganization(ctx, tx, m.OrganizationID); err != nil {
			return err
		}
		if _, err := findItem(ctx, tx, m.ItemID); domain.ErrorCode(err) == domain.ENOTFOUND {
			return invalidField("stock movement", "item_id", domain.MsgNoSuchItem, "ID", m.ItemID)
		} else if err != nil {
			return err
		}
		if err := ensureStockRow(ctx, tx, m.OrganizationID, m.ItemID); err != nil {
			return err
		}
		// Lock the row and read it: RETURNING gives the value this
		// transaction now holds, on both databases.
		var onHand, reserved int64
		if err := tx.QueryRowContext(ctx, `UPDATE stock_levels SET on_hand = on_hand WHERE organization_id = $1 AND item_id = $2
			RETURNING on_hand, reserved`, m.OrganizationID, m.ItemID).Scan(&onHand, &reserved); err != nil {
			return err
		}
		if m.Kind == domain.MoveCount {
			m.Delta = *m.Counted - onHand
		}
		if onHand+m.Delta < reserved {
			return domain.Fail(domain.ECONFLICT, domain.MsgBelowReserved, "OnHand", onHand, "Reserved", reserved, "Delta", m.Delta)
		}
		return s.appendMovement(ctx, tx, by, m)
	})
}

// appendMovement writes a movement to the ledger and applies it to the stock
// level; the schema refuses a level below zero or below what is reserved.
func (s *Store) appendMovement(ctx context.Context, tx *sql.Tx, by Actor, m *domain.StockMovement) error {
	if err := ensureStockRow(ctx, tx, m.OrganizationID, m.ItemID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE stock_levels SET on_hand = on_hand + $1 WHERE organization_id = $2 AND item_id = $3`,
		m.Delta, m.OrganizationID, m.ItemID); err != nil {
		return err
	}
	m.At, m.UserID = s.now(), by.UserID
	return tx.QueryRowContext(ctx, `INSERT INTO stock_movements (at, organization_id, item_id, kind, delta, counted, reason, reference, user_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		m.At, m.OrganizationID, m.ItemID, m.Kind, m.Delta, m.Counted, m.Reason, m.Reference, m.UserID).Scan(&m.ID)
}

// ListStock returns an organization's stock of every item it has had.
func (s *Store) ListStock(ctx context.Context, org string) ([]domain.Stock, error) {
	out := []domain.Stock{}
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, `SELECT l.item_id, l.on_hand, l.reserved FROM stock_levels l JOIN items i ON i.id = l.item_id
			WHERE l.organization_id = $1 ORDER BY i.name, i.id`, org)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			st := domain.Stock{OrganizationID: org}
			if err := rows.Scan(&st.ItemID, &st.OnHand, &st.Reserved); err != nil {
				return err
			}
			st.Available = st.OnHand - st.Reserved
			out = append(out, st)
		}
		return rows.Err()
	})
	return out, err
}

// ListMovements returns the ledger of one item at one organization, newest
// first, up to limit entries before the entry beforeID (0: the newest).
func (s *Store) ListMovements(ctx context.Context, org, item string, beforeID int64, limit int) ([]domain.StockMovement, int64, error) {
	var q query
	q.add("organization_id = ?", org)
	if item != "" {
		q.add("item_id = ?", item)
	}
	if beforeID > 0 {
		q.add("id < ?", beforeID)
	}
	limit = clampLimit(limit)
	out := []domain.StockMovement{}
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, `SELECT id, at, organization_id, item_id, kind, delta, counted, reason, reference, user_id
			FROM stock_movements`+q.clause()+` ORDER BY id DESC LIMIT `+itoa(limit+1), q.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m domain.StockMovement
			var counted sql.NullInt64
			if err := rows.Scan(&m.ID, &m.At, &m.OrganizationID, &m.ItemID, &m.Kind, &m.Delta, &counted, &m.Reason, &m.Reference, &m.UserID); err != nil {
				return err
			}
			m.At = m.At.UTC()
			m.Counted = nullInt(counted)
			out = append(out, m)
		}
		return rows.Err()
	})
	var next int64
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].ID
	}
	return out, next, err
}

// CheckStockLedger reports stock levels whose on-hand figure differs from the
// sum of their ledger, for tests and for operators checking the books.
func (s *Store) CheckStockLedger(ctx context.Context) ([]string, error) {
	var bad []string
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, `SELECT l.organization_id, l.item_id, l.on_hand, COALESCE(SUM(m.delta), 0)
			FROM stock_levels l LEFT JOIN stock_movements m ON m.organization_id = l.organization_id AND m.item_id = l.item_id
			GROUP BY l.organization_id, l.item_id, l.on_hand`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var org, item string
			var onHand, sum int64
			if err := rows.Scan(&org, &item, &onHand, &sum); err != nil {
				return err
			}
			if onHand != sum {
				bad = append(bad, org+"/"+item+": on hand "+itoa(int(onHand))+", ledger "+itoa(int(sum)))
			}
		}
		return rows.Err()
	})
	return bad, err
}

// StockHolders returns the organizations with stock of the item available.
func (s *Store) StockHolders(ctx context.Context, itemID string) ([]string, error) {
	var out []string
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, func(r scanner) (string, error) {
			var id string
			return id, r.Scan(&id)
		}, `SELECT organization_id FROM stock_levels WHERE item_id = $1 AND on_hand > reserved ORDER BY organization_id`, itemID)
		return err
	})
	return out, err
}
