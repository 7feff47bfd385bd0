package store

import (
	"time"

	"strconv"

	"context"
	"database/sql"
	"slices"
	"strings"

	"aidbridge/internal/domain"
)

const needColumns = `n.id, n.organization_id, n.item_id, n.quantity, n.urgency, n.needed_by, n.justification, n.shortage, n.status,
	n.pledged, n.received, n.damaged, n.cancelled_at, n.cancel_reason, n.created_at, n.updated_at, n.version`

// needScan is a need being read from a row whose columns are needColumns,
// alone or next to another record's.
type needScan struct {
	n         domain.Need
	cancelled sql.NullTime
}

func (s *needScan) dest() []any {
	n := &s.n
	return []any{&n.ID, &n.OrganizationID, &n.ItemID, &n.Quantity, &n.Urgency, &n.NeededBy, &n.Justification, &n.Shortage, &n.Status,
		&n.Pledged, &n.Received, &n.Damaged, &s.cancelled, &n.CancelReason, &n.CreatedAt, &n.UpdatedAt, &n.Version}
}

func (s *needScan) done() domain.Need {
	n := s.n
	if s.cancelled.Valid {
		t := s.cancelled.Time.UTC()
		n.CancelledAt = &t
	}
	n.CreatedAt, n.UpdatedAt = n.CreatedAt.UTC(), n.UpdatedAt.UTC()
	return n
}

func scanNeed(row scanner) (domain.Need, error) {
	var s needScan
	err := row.Scan(s.dest()...)
	return s.done(), err
}

// needStatusSQL derives a need's status from its figures; it runs after every
// change of them, in the same transaction.
const needStatusSQL = `UPDATE needs SET status = CASE
		WHEN cancelled_at IS NOT NULL THEN 'cancelled'
		WHEN received >= quantity THEN 'fulfilled'
		WHEN received > 0 THEN 'partially_delivered'
		WHEN pledged >= quantity THEN 'pledged'
		WHEN pledged > 0 THEN 'partially_pledged'
		ELSE 'open' END
	WHERE id = $1`

func findNeed(ctx context.Context, db querier, id string) (domain.Need, error) {
	n, err := scanNeed(db.QueryRowContext(ctx, `SELECT `+needColumns+` FROM needs n WHERE n.id = $1`, id))
	if err == sql.ErrNoRows {
		return n, domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "need", "ID", id)
	}
	return n, err
}

// FindNeed returns the need with the given id; ENOTFOUND when there is none.
func (s *Store) FindNeed(ctx context.Context, id string) (domain.Need, error) {
	var n domain.Need
	err := s.read(ctx, func(db querier) error {
		var err error
		n, err = findNeed(ctx, db, id)
		return err
	})
	return n, err
}

func checkNeedRefs(ctx context.Context, tx *sql.Tx, n *domain.Need) error {
	if _, err := findOrganization(ctx, tx, n.OrganizationID); domain.ErrorCode(err) == domain.ENOTFOUND {
		return invalidField("need", "organization_id", domain.MsgNoSuchOrganization, "ID", n.OrganizationID)
	} else if err != nil {
		return err
	}
	if _, err := findItem(ctx, tx, n.ItemID); domain.ErrorCode(err) == domain.ENOTFOUND {
		return invalidField("need", "item_id", domain.MsgNoSuchItem, "ID", n.ItemID)
	} else if err != nil {
		return err
	}
	return nil
}

// CreateNeed validates n and stores it as an open need.
func (s *Store) CreateNeed(ctx context.Context, by Actor, n *domain.Need) error {
	if err := n.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := checkNeedRefs(ctx, tx, n); err != nil {
			return err
		}
		n.ID = newID()
		n.CreatedAt, n.UpdatedAt, n.Version = s.now(), s.now(), 1
		n.Pledged, n.Received, n.Damaged, n.CancelledAt, n.CancelReason = 0, 0, 0, nil, ""
		n.DeriveStatus()
		if _, err := tx.ExecContext(ctx, `INSERT INTO needs (id, organization_id, item_id, quantity, urgency, urgency_rank, needed_by,
			justification, shortage, status, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			n.ID, n.OrganizationID, n.ItemID, n.Quantity, n.Urgency, domain.UrgencyRank(n.Urgency), n.NeededBy, n.Justification, n.Shortage,
			n.Status, n.CreatedAt, n.UpdatedAt, n.Version); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, n.OrganizationID, "need", n.ID, "create", nil, n)
	})
}

// UpdateNeed changes a need while nothing is pledged against it, at version
// n.Version. ECONFLICT once a pledge exists or when the version is stale.
func (s *Store) UpdateNeed(ctx context.Context, by Actor, n *domain.Need) error {
	if err := n.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := findNeed(ctx, tx, n.ID)
		if err != nil {
			return err
		}
		if err := checkVersion("need", n.ID, before.Version, n.Version); err != nil {
			return err
		}
		var pledges int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM pledges WHERE need_id = $1`, n.ID).Scan(&pledges); err != nil {
			return err
		}
		if err := before.Changeable(pledges); err != nil {
			return err
		}
		n.OrganizationID = before.OrganizationID
		if err := checkNeedRefs(ctx, tx, n); err != nil {
			return err
		}
		n.CreatedAt, n.UpdatedAt, n.Version = before.CreatedAt, s.now(), before.Version+1
		n.DeriveStatus()
		res, err := tx.ExecContext(ctx, `UPDATE needs SET item_id = $1, quantity = $2, urgency = $3, urgency_rank = $4, needed_by = $5,
			justification = $6, shortage = $7, status = $8, updated_at = $9, version = $10 WHERE id = $11 AND version = $12 AND pledged = 0`,
			n.ItemID, n.Quantity, n.Urgency, domain.UrgencyRank(n.Urgency), n.NeededBy, n.Justification, n.Shortage, n.Status, n.UpdatedAt,
			n.Version, n.ID, before.Version)
		if err := checkUpdated(res, err, "need", n.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, n.OrganizationID, "need", n.ID, "update", before, n)
	})
}

// CancelNeed cancels a need at the given version with a reason. Pledges not
// yet shipped are declined with the same reason and their reserved stock
// released; a need with shipped pledges cannot be cancelled (ECONFLICT).
func (s *Store) CancelNeed(ctx context.Context, by Actor, id string, version int64, reason string) (domain.Need, error) {
	var n domain.Need
	if strings.TrimSpace(reason) == "" {
		return n, invalidField("need", "reason", domain.MsgCancelReason)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		before, err := findNeed(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkVersion("need", id, before.Version, version); err != nil {
			return err
		}
		if before.CancelledAt != nil {
			return domain.Fail(domain.ECONFLICT, domain.MsgNeedCancelled, "Need", id)
		}
		var shipped int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM pledges WHERE need_id = $1 AND status IN ('shipped', 'delivered')`, id).Scan(&shipped); err != nil {
			return err
		}
		if shipped > 0 {
			return domain.Fail(domain.ECONFLICT, domain.MsgNeedShipped, "Need", id, "Shipped", shipped)
		}
		open, err := findPledges(ctx, tx, `p.need_id = $1 AND p.status IN ('offered', 'accepted')`, id)
		if err != nil {
			return err
		}
		for _, p := range open {
			if err := s.endPledge(ctx, tx, by, p, domain.PledgeDeclined, reason); err != nil {
				return err
			}
		}
		now := s.now()
		res, err := tx.ExecContext(ctx, `UPDATE needs SET cancelled_at = $1, cancel_reason = $2, updated_at = $1, version = version + 1
			WHERE id = $3 AND cancelled_at IS NULL`, now, reason, id)
		if err := checkUpdated(res, err, "need", id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, needStatusSQL, id); err != nil {
			return err
		}
		if n, err = findNeed(ctx, tx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, n.OrganizationID, "need", id, "cancel", before, n)
	})
	return n, err
}

// ListNeeds returns a page of needs, most urgent first and then by needed_by
// (needs without a date last), and the next cursor.
func (s *Store) ListNeeds(ctx context.Context, f domain.NeedFilter) ([]domain.Need, string, error) {
	var q query
	if f.ItemID != "" {
		q.add("n.item_id = ?", f.ItemID)
	}
	if f.OrganizationID != "" {
		q.add("n.organization_id = ?", f.OrganizationID)
	}
	if f.Country != "" {
		q.add("n.country = ?", f.Country)
	}
	if f.Status != "" {
		q.add("n.status = ?", f.Status)
	}
	if f.Urgency != "" {
		// The rank stands for the urgency (the store writes both), and the
		// board's indexes begin with it.
		q.add("n.urgency_rank = ?", domain.UrgencyRank(domain.Urgency(f.Urgency)))
	}
	if f.Open {
		q.add("n.status IN (" + quoted(domain.WaitingStatuses) + ")")
	}
	// The board's order: urgency, then needed_by with undated needs last
	// (a far date stands in for none), then id. Every filter has an index
	// in this order (migrations 00005 and 00017).
	const dateKey = "COALESCE(n.needed_by, '9999-12-31')"
	type keyRange struct {
		conds []cond
		order string
	}
	order := "n.urgency_rank, " + dateKey + ", n.id"
	ranges := []keyRange{{nil, order}} // the first page: from the start
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		rank, date, _ := strings.Cut(c.name, "|")
		r, err := strconv.Atoi(rank)
		if _, derr := time.Parse(time.DateOnly, date); err != nil || r < 0 || r > len(domain.Urgencies) || derr != nil {
			return nil, "", badCursor()
		}
		// After the cursor's key come the rest of its date, the rest of its
		// urgency, then the urgencies after it: three ranges that an index
		// in the board's order seeks to, read in turn until the page is
		// full. (SQLite seeks to a row value only on its first column when
		// the next is an expression, and a million needs hold 100,000 of
		// one urgency without a date.) Within one date the order is the
		// id's alone: so written, SQLite reads it from the index instead of
		// sorting the rest of that date.
		ranges = []keyRange{
			{[]cond{{"n.urgency_rank = ?", r}, {dateKey + " = ?", date}, {"n.id > ?", c.id}}, "n.id"},
			{[]cond{{"n.urgency_rank = ?", r}, {dateKey + " > ?", date}}, order},
			{[]cond{{"n.urgency_rank > ?", r}}, order},
		}
		if f.Urgency != "" {
			ranges = ranges[:2] // no need of that urgency comes after it
		}
	}
	limit := clampLimit(f.Limit)
	var out []domain.Need
	err := s.read(ctx, func(db querier) error {
		for _, kr := range ranges {
			rq := query{where: slices.Clone(q.where), args: slices.Clone(q.args)}
			for _, c := range kr.conds {
				rq.add(c.sql, c.arg)
			}
			more, err := queryAll(ctx, db, scanNeed, `SELECT `+needColumns+` FROM needs n`+rq.clause()+
				` ORDER BY `+kr.order+` LIMIT `+itoa(limit+1-len(out)), rq.args...)
			if err != nil {
				return err
			}
			if out = append(out, more...); len(out) > limit {
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		date := last.NeededBy.String()
		if date == "" {
			date = "9999-12-31"
		}
		next = encodeCursor(itoa(domain.UrgencyRank(last.Urgency))+"|"+date, last.ID)
	}
	return out, next, nil
}

// cond is one condition of a query with its one argument.
type cond struct {
	sql string
	arg any
}

// quoted returns values as a list of SQL string literals, for lists of
// codes that the domain defines (never for input).
func quoted[S ~string](values []S) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = "'" + strings.ReplaceAll(string(v), "'", "''") + "'"
	}
	return strings.Join(parts, ", ")
}

// addIn adds the condition that col is one of values, with one parameter
// per value; no values select nothing.
func (q *query) addIn(col string, values []string) {
	if len(values) == 0 {
		q.where = append(q.where, "1 = 0")
		return
	}
	ph := make([]string, len(values))
	for i, v := range values {
		q.args = append(q.args, v)
		ph[i] = "$" + itoa(len(q.args))
	}
	q.where = append(q.where, col+" IN ("+strings.Join(ph, ", ")+")")
}

// FindNeeds returns the needs with the given ids that exist, in one query,
// in no particular order; ids that name no need are left out.
func (s *Store) FindNeeds(ctx context.Context, ids []string) ([]domain.Need, error) {
	var q query
	q.addIn("n.id", unique(ids))
	var out []domain.Need
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, scanNeed, `SELECT `+needColumns+` FROM needs n`+q.clause(), q.args...)
		return err
	})
	return out, err
}

// unique returns ids without repeats or empty strings, in their first order.
func unique(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	var out []string
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
