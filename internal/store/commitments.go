package store

import (
	"context"
	"database/sql"

	"aidbridge/internal/domain"
)

const commitmentColumns = `c.id, c.partnership_id, c.party_id, c.kind, c.amount_minor, c.currency, c.delivered_minor, c.description,
	c.committed_on, c.committed_precision, c.created_at, c.updated_at, c.version`

func scanCommitment(row scanner) (domain.Commitment, error) {
	var c domain.Commitment
	var amount sql.NullInt64
	var currency string
	var delivered int64
	cd, cp := partial{&c.CommittedOn}.targets()
	err := row.Scan(&c.ID, &c.PartnershipID, &c.PartyID, &c.Kind, &amount, &currency, &delivered, &c.Description,
		cd, cp, &c.CreatedAt, &c.UpdatedAt, &c.Version)
	if amount.Valid {
		c.Amount = domain.Money{Minor: amount.Int64, Currency: currency}
		c.Delivered = domain.Money{Minor: delivered, Currency: currency}
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	c.Deliveries = []domain.Delivery{}
	return c, err
}

func amountArgs(m domain.Money) (sql.NullInt64, string) {
	if m.IsZero() {
		return sql.NullInt64{}, ""
	}
	return sql.NullInt64{Int64: m.Minor, Valid: true}, m.Currency
}

func findCommitment(ctx context.Context, db querier, id string) (domain.Commitment, error) {
	c, err := scanCommitment(db.QueryRowContext(ctx, `SELECT `+commitmentColumns+` FROM commitments c WHERE c.id = $1`, id))
	if err == sql.ErrNoRows {
		return c, domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "commitment", "ID", id)
	}
	if err != nil {
		return c, err
	}
	err = withDeliveries(ctx, db, []*domain.Commitment{&c})
	return c, err
}

// withDeliveries reads the deliveries of the commitments, oldest first.
func withDeliveries(ctx context.Context, db querier, list []*domain.Commitment) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[string]*domain.Commitment{}
	ids := make([]string, len(list))
	for i, c := range list {
		byID[c.ID], ids[i] = c, c.ID
	}
	in, args := inList("commitment_id", ids, nil)
	rows, err := queryAll(ctx, db, func(r scanner) (domain.Delivery, error) {
		var d domain.Delivery
		var amount sql.NullInt64
		err := r.Scan(&d.ID, &d.CommitmentID, &d.DeliveredOn.Date, &d.DeliveredOn.Precision, &amount, &d.Description)
		if amount.Valid {
			d.Amount = domain.Money{Minor: amount.Int64}
		}
		return d, err
	}, `SELECT id, commitment_id, delivered_on, delivered_precision, amount_minor, description FROM deliveries WHERE `+in+`
		ORDER BY commitment_id, delivered_on, id`, args...)
	for _, d := range rows {
		c := byID[d.CommitmentID]
		if d.Amount.Minor != 0 {
			d.Amount.Currency = c.Amount.Currency
		}
		c.Deliveries = append(c.Deliveries, d)
	}
	return err
}

// FindCommitment returns the commitment with the given id and its
// deliveries; ENOTFOUND when there is none.
func (s *Store) FindCommitment(ctx context.Context, id string) (domain.Commitment, error) {
	var c domain.Commitment
	err := s.read(ctx, func(db querier) error {
		var err error
		c, err = findCommitment(ctx, db, id)
		return err
	})
	return c, err
}

// ListCommitments returns the commitments made to a partnership, oldest
// first, each with its deliveries.
func (s *Store) ListCommitments(ctx context.Context, partnershipID string) ([]domain.Commitment, error) {
	var out []domain.Commitment
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, scanCommitment, `SELECT `+commitmentColumns+` FROM commitments c WHERE c.partnership_id = $1
			ORDER BY c.created_at, c.id`, partnershipID)
		if err != nil {
			return err
		}
		ptrs := make([]*domain.Commitment, len(out))
		for i := range out {
			ptrs[i] = &out[i]
		}
		return withDeliveries(ctx, db, ptrs)
	})
	return out, err
}

// CreateCommitment validates c, stores it with a new id and nothing
// delivered, and audits it. EINVALID when c is not valid or names a
// partnership or party that does not exist.
func (s *Store) CreateCommitment(ctx context.Context, by Actor, c *domain.Commitment) error {
	c.Delivered, c.Deliveries = domain.Money{}, []domain.Delivery{}
	if err := c.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := findPartnership(ctx, tx, c.PartnershipID); err != nil {
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				return invalidField("commitment", "partnership_id", domain.MsgNotFound, "What", "partnership", "ID", c.PartnershipID)
			}
			return err
		}
		if err := checkOrganizations(ctx, tx, "commitment", "party_id", c.PartyID); err != nil {
			return err
		}
		c.ID = newID()
		c.CreatedAt, c.UpdatedAt, c.Version = s.now(), s.now(), 1
		if !c.Amount.IsZero() {
			c.Delivered = domain.Money{Currency: c.Amount.Currency}
		}
		amount, currency := amountArgs(c.Amount)
		cd, cp := partialArgs(c.CommittedOn)
		if _, err := tx.ExecContext(ctx, `INSERT INTO commitments (id, partnership_id, party_id, kind, amount_minor, currency, delivered_minor,
			description, committed_on, committed_precision, created_at, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9, $10, $11, $12)`,
			c.ID, c.PartnershipID, c.PartyID, c.Kind, amount, currency, c.Description, cd, cp, c.CreatedAt, c.UpdatedAt, c.Version); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, c.PartyID, "commitment", c.ID, "create", nil, c)
	})
}

// RecordDelivery adds d to its commitment's deliveries and returns the
// commitment as it now stands. An amount must be in the commitment's
// currency and may not take what was delivered beyond what was committed:
// the conditional update refuses it with ECONFLICT, atomically on both
// databases. A commitment without an amount takes deliveries described in
// words only.
func (s *Store) RecordDelivery(ctx context.Context, by Actor, d *domain.Delivery) (domain.Commitment, error) {
	var after domain.Commitment
	if err := d.Validate(); err != nil {
		return after, err
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		before, err := findCommitment(ctx, tx, d.CommitmentID)
		if err != nil {
			return err
		}
		if !d.Amount.IsZero() {
			switch {
			case before.Amount.IsZero():
				return invalidField("delivery", "amount", domain.MsgDeliveryNoAmount)
			case d.Amount.Currency != before.Amount.Currency:
				return invalidField("delivery", "amount", domain.MsgDeliveryCurrency, "Currency", before.Amount.Currency, "Value", d.Amount.Currency)
			}
			res, err := tx.ExecContext(ctx, `UPDATE commitments SET delivered_minor = delivered_minor + $1, updated_at = $2, version = version + 1
				WHERE id = $3 AND delivered_minor + $1 <= amount_minor`, d.Amount.Minor, s.now(), d.CommitmentID)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n != 1 {
				var left domain.Money
				if c, err := findCommitment(ctx, tx, d.CommitmentID); err == nil {
					left = c.Left()
				}
				return domain.Refuse(domain.ECONFLICT, "amount", domain.MsgDeliveryTooMuch, "Left", left,
					"Committed", before.Amount, "Amount", d.Amount)
			}
		} else if _, err := tx.ExecContext(ctx, `UPDATE commitments SET updated_at = $1, version = version + 1 WHERE id = $2`, s.now(), d.CommitmentID); err != nil {
			return err
		}
		d.ID = newID()
		amount, _ := amountArgs(d.Amount)
		if _, err := tx.ExecContext(ctx, `INSERT INTO deliveries (id, commitment_id, delivered_on, delivered_precision, amount_minor, description, user_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, d.ID, d.CommitmentID, d.DeliveredOn.Date, d.DeliveredOn.Precision, amount, d.Description, by.UserID, s.now()); err != nil {
			return err
		}
		if after, err = findCommitment(ctx, tx, d.CommitmentID); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, before.PartyID, "commitment", before.ID, "deliver", before, after)
	})
	return after, err
}
