package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"aidbridge/internal/domain"
)

// allocationResult is what allocations.result_json holds.
type allocationResult struct {
	Lines        []domain.AllocationLine  `json:"lines"`
	Unmet        []domain.AllocationUnmet `json:"unmet"`
	Allocated    int64                    `json:"allocated"`
	Shortfall    int64                    `json:"shortfall"`
	ShippingCost int64                    `json:"shipping_cost"`
	PledgeIDs    []string                 `json:"pledge_ids,omitempty"`
}

func findAllocation(ctx context.Context, db querier, id string) (domain.Allocation, error) {
	var a domain.Allocation
	var filter, result string
	var committed sql.NullTime
	err := db.QueryRowContext(ctx, `SELECT id, policy, filter_json, result_json, status, created_by, committed_at, created_at, updated_at, version
		FROM allocations WHERE id = $1`, id).Scan(&a.ID, &a.Policy, &filter, &result, &a.Status, &a.CreatedBy, &committed, &a.CreatedAt, &a.UpdatedAt, &a.Version)
	if err == sql.ErrNoRows {
		return a, domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "allocation", "ID", id)
	}
	if err != nil {
		return a, err
	}
	if committed.Valid {
		t := committed.Time.UTC()
		a.CommittedAt = &t
	}
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	if err := json.Unmarshal([]byte(filter), &a.Filter); err != nil {
		return a, err
	}
	var r allocationResult
	if err := json.Unmarshal([]byte(result), &r); err != nil {
		return a, err
	}
	a.Lines, a.Unmet, a.Allocated, a.Shortfall, a.ShippingCost, a.PledgeIDs = r.Lines, r.Unmet, r.Allocated, r.Shortfall, r.ShippingCost, r.PledgeIDs
	return a, nil
}

// FindAllocation returns the allocation proposal with the given id.
func (s *Store) FindAllocation(ctx context.Context, id string) (domain.Allocation, error) {
	var a domain.Allocation
	err := s.read(ctx, func(db querier) error {
		var err error
		a, err = findAllocation(ctx, db, id)
		return err
	})
	return a, err
}

// CreateAllocation stores a proposal.
func (s *Store) CreateAllocation(ctx context.Context, by Actor, a *domain.Allocation) error {
	filter, err := json.Marshal(a.Filter)
	if err != nil {
		return err
	}
	result, err := json.Marshal(allocationResult{a.Lines, a.Unmet, a.Allocated, a.Shortfall, a.ShippingCost, nil})
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		a.ID, a.Status, a.CreatedBy = newID(), "proposed", by.UserID
		a.CreatedAt, a.UpdatedAt, a.Version = s.now(), s.now(), 1
		_, err := tx.ExecContext(ctx, `INSERT INTO allocations (id, item_id, policy, filter_json, result_json, status, created_by, created_at, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, a.ID, a.Filter.ItemID, a.Policy, string(filter), string(result), a.Status,
			a.CreatedBy, a.CreatedAt, a.UpdatedAt, a.Version)
		return err
	})
}

// CommitAllocation turns the lines of a proposal that are not dropped into
// pledges from the donors' stock, all in one transaction: if a need or a
// donor's stock changed since the proposal so that a line no longer fits,
// nothing is pledged and the error (ECONFLICT) names the line. drop holds
// indexes of lines to leave out.
func (s *Store) CommitAllocation(ctx context.Context, by Actor, id string, version int64, drop []int) (domain.Allocation, error) {
	var a domain.Allocation
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		if a, err = findAllocation(ctx, tx, id); err != nil {
			return err
		}
		if err := checkVersion("allocation", id, a.Version, version); err != nil {
			return err
		}
		if a.Status != "proposed" {
			return domain.Fail(domain.ECONFLICT, domain.MsgAllocationDone, "Allocation", id)
		}
		dropped := map[int]bool{}
		for _, i := range drop {
			if i < 0 || i >= len(a.Lines) {
				return invalidField("allocation", "drop_lines", domain.MsgNoSuchLine, "Line", i, "Lines", len(a.Lines))
			}
			dropped[i] = true
		}
		a.PledgeIDs = []string{}
		for i, l := range a.Lines {
			if dropped[i] {
				continue
			}
			p := domain.Pledge{NeedID: l.NeedID, DonorID: l.DonorID, Quantity: l.Quantity, FromStock: true, Note: domain.RefTo(domain.RefAllocation, id)}
			if err := s.createPledge(ctx, tx, by, &p); err != nil {
				if code := domain.ErrorCode(err); code == domain.ECONFLICT || code == domain.EINVALID {
					return domain.Fail(domain.ECONFLICT, domain.MsgLineNoLongerFits, "Line", i+1, "Reason", domain.ReasonOf(err))
				}
				return err
			}
			a.PledgeIDs = append(a.PledgeIDs, p.ID)
		}
		var kept []domain.AllocationLine
		for i, l := range a.Lines {
			if !dropped[i] {
				kept = append(kept, l)
			}
		}
		if len(kept) == 0 {
			return invalidField("allocation", "drop_lines", domain.MsgAllDropped)
		}
		result, err := json.Marshal(allocationResult{a.Lines, a.Unmet, a.Allocated, a.Shortfall, a.ShippingCost, a.PledgeIDs})
		if err != nil {
			return err
		}
		now := s.now()
		res, err := tx.ExecContext(ctx, `UPDATE allocations SET status = 'committed', committed_at = $1, result_json = $2, updated_at = $1,
			version = version + 1 WHERE id = $3 AND version = $4`, now, string(result), id, a.Version)
		if err := checkUpdated(res, err, "allocation", id); err != nil {
			return err
		}
		a.Status, a.CommittedAt, a.UpdatedAt, a.Version = "committed", &now, now, a.Version+1
		return s.audit(ctx, tx, by, "", "allocation", id, "commit", nil, map[string]any{"pledges": a.PledgeIDs, "dropped": drop})
	})
	return a, err
}

// AllocationStock returns, of the given donors, those with some of an item
// available (on hand and not reserved by pledges) and how much, with their
// coordinates: the supply side of a proposal, in one query.
func (s *Store) AllocationStock(ctx context.Context, itemID string, donors []string) ([]domain.Stock, map[string]domain.Place, error) {
	var q query
	q.add("l.item_id = ?", itemID)
	q.add("l.on_hand > l.reserved")
	q.addIn("l.organization_id", unique(donors))
	var out []domain.Stock
	places := map[string]domain.Place{}
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, func(r scanner) (domain.Stock, error) {
			st := domain.Stock{ItemID: itemID}
			var p domain.Place
			err := r.Scan(&st.OrganizationID, &st.OnHand, &st.Reserved, &p.Latitude, &p.Longitude)
			st.Available = st.OnHand - st.Reserved
			places[st.OrganizationID] = p
			return st, err
		}, `SELECT l.organization_id, l.on_hand, l.reserved, o.latitude, o.longitude
			FROM stock_levels l JOIN organizations o ON o.id = l.organization_id`+q.clause()+` ORDER BY l.organization_id`, q.args...)
		return err
	})
	return out, places, err
}

// Places returns the coordinates of the organizations with the given ids, in
// one query; ids that name none are left out.
func (s *Store) Places(ctx context.Context, ids []string) (map[string]domain.Place, error) {
	var q query
	q.addIn("id", unique(ids))
	places := map[string]domain.Place{}
	err := s.read(ctx, func(db querier) error {
		_, err := queryAll(ctx, db, func(r scanner) (struct{}, error) {
			var id string
			var p domain.Place
			err := r.Scan(&id, &p.Latitude, &p.Longitude)
			places[id] = p
			return struct{}{}, err
		}, `SELECT id, latitude, longitude FROM organizations`+q.clause(), q.args...)
		return err
	})
	return places, err
}
