package store

import (
	"context"
	"database/sql"
	"math/big"

	"aidbridge/internal/domain"
)

const contributionColumns = `c.id, c.giver_id, c.recipient_id, c.kind, c.amount_minor, c.currency, c.description, c.quantity, c.unit,
	c.given_on, c.given_precision, c.partnership_id, c.program_id, c.notes, c.created_at, c.updated_at, c.version`

func scanContribution(row scanner) (domain.Contribution, error) {
	var c domain.Contribution
	var amount, quantity sql.NullInt64
	var currency string
	var partnership, program sql.NullString
	gd, gp := partial{&c.GivenOn}.targets()
	err := row.Scan(&c.ID, &c.GiverID, &c.RecipientID, &c.Kind, &amount, &currency, &c.Description, &quantity, &c.Unit,
		gd, gp, &partnership, &program, &c.Notes, &c.CreatedAt, &c.UpdatedAt, &c.Version)
	if amount.Valid {
		c.Amount = domain.Money{Minor: amount.Int64, Currency: currency}
	}
	if quantity.Valid {
		c.Quantity = &quantity.Int64
	}
	c.PartnershipID, c.ProgramID = partnership.String, program.String
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return c, err
}

func findContribution(ctx context.Context, db querier, id string) (domain.Contribution, error) {
	c, err := scanContribution(db.QueryRowContext(ctx, `SELECT `+contributionColumns+` FROM contributions c WHERE c.id = $1`, id))
	if err == sql.ErrNoRows {
		return c, domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "contribution", "ID", id)
	}
	return c, err
}

// nullText is NULL for "", for optional references.
func nullText(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// nullCount is NULL for no quantity.
func nullCount(n *int64) sql.NullInt64 {
	if n == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: *n, Valid: true}
}

// checkContributionRefs refuses organizations, a partnership or a program
// that do not exist, and a partnership under another program than the one
// named. A partnership named without a program brings its own, so that the
// contribution counts for the program too.
func checkContributionRefs(ctx context.Context, tx *sql.Tx, c *domain.Contribution) error {
	if err := checkOrganizations(ctx, tx, "contribution", "giver_id", c.GiverID); err != nil {
		return err
	}
	if err := checkOrganizations(ctx, tx, "contribution", "recipient_id", c.RecipientID); err != nil {
		return err
	}
	if c.PartnershipID != "" {
		ps, err := findPartnership(ctx, tx, c.PartnershipID)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return invalidField("contribution", "partnership_id", domain.MsgNoSuchPartnership, "ID", c.PartnershipID)
		}
		if err != nil {
			return err
		}
		switch c.ProgramID {
		case "":
			c.ProgramID = ps.ProgramID
		case ps.ProgramID:
		default:
			return invalidField("contribution", "program_id", domain.MsgPartnershipProgram, "Partnership", ps.Name, "Program", ps.ProgramID)
		}
	}
	if c.ProgramID != "" {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM programs WHERE id = $1`, c.ProgramID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return invalidField("contribution", "program_id", domain.MsgNoSuchProgram, "ID", c.ProgramID)
		}
	}
	return nil
}

// FindContribution returns the contribution with the given id; ENOTFOUND
// when there is none.
func (s *Store) FindContribution(ctx context.Context, id string) (domain.Contribution, error) {
	var c domain.Contribution
	err := s.read(ctx, func(db querier) error {
		var err error
		c, err = findContribution(ctx, db, id)
		return err
	})
	return c, err
}

// CreateContribution validates c, stores it with a new id and audits it
// under the giver. EINVALID when c is not valid or names an organization,
// partnership or program that does not exist, or a partnership of another
// program.
func (s *Store) CreateContribution(ctx context.Context, by Actor, c *domain.Contribution) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := checkContributionRefs(ctx, tx, c); err != nil {
			return err
		}
		c.ID = newID()
		c.CreatedAt, c.UpdatedAt, c.Version = s.now(), s.now(), 1
		amount, currency := amountArgs(c.Amount)
		gd, gp := partialArgs(c.GivenOn)
		if _, err := tx.ExecContext(ctx, `INSERT INTO contributions (id, giver_id, recipient_id, kind, amount_minor, currency, description,
			quantity, unit, given_on, given_precision, partnership_id, program_id, notes, created_at, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
			c.ID, c.GiverID, c.RecipientID, c.Kind, amount, currency, c.Description, nullCount(c.Quantity), c.Unit, gd, gp,
			nullText(c.PartnershipID), nullText(c.ProgramID), c.Notes, c.CreatedAt, c.UpdatedAt, c.Version); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, c.GiverID, "contribution", c.ID, "create", nil, c)
	})
}

// UpdateContribution stores c over the contribution with c.ID at version
// c.Version and audits the change. ECONFLICT when the version is stale;
// EINVALID as for CreateContribution.
func (s *Store) UpdateContribution(ctx context.Context, by Actor, c *domain.Contribution) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := findContribution(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if err := checkVersion("contribution", c.ID, before.Version, c.Version); err != nil {
			return err
		}
		if err := checkContributionRefs(ctx, tx, c); err != nil {
			return err
		}
		c.CreatedAt, c.UpdatedAt, c.Version = before.CreatedAt, s.now(), before.Version+1
		amount, currency := amountArgs(c.Amount)
		gd, gp := partialArgs(c.GivenOn)
		res, err := tx.ExecContext(ctx, `UPDATE contributions SET giver_id = $1, recipient_id = $2, kind = $3, amount_minor = $4, currency = $5,
			description = $6, quantity = $7, unit = $8, given_on = $9, given_precision = $10, partnership_id = $11, program_id = $12,
			notes = $13, updated_at = $14, version = $15 WHERE id = $16 AND version = $17`,
			c.GiverID, c.RecipientID, c.Kind, amount, currency, c.Description, nullCount(c.Quantity), c.Unit, gd, gp,
			nullText(c.PartnershipID), nullText(c.ProgramID), c.Notes, c.UpdatedAt, c.Version, c.ID, before.Version)
		if err := checkUpdated(res, err, "contribution", c.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, c.GiverID, "contribution", c.ID, "update", before, c)
	})
}

// DeleteContribution removes the contribution with id at version and
// audits it; ECONFLICT when the version is stale.
func (s *Store) DeleteContribution(ctx context.Context, by Actor, id string, version int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := findContribution(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkVersion("contribution", id, before.Version, version); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM contributions WHERE id = $1 AND version = $2`, id, version)
		if err := checkUpdated(res, err, "contribution", id); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, before.GiverID, "contribution", id, "delete", before, nil)
	})
}

// contributionQuery is the selection of f, without paging.
func contributionQuery(f domain.ContributionFilter) query {
	var q query
	if f.OrganizationID != "" {
		q.add("(c.giver_id = ? OR c.recipient_id = ?)", f.OrganizationID, f.OrganizationID)
	}
	if f.GiverID != "" {
		q.add("c.giver_id = ?", f.GiverID)
	}
	if f.RecipientID != "" {
		q.add("c.recipient_id = ?", f.RecipientID)
	}
	if f.PartnershipID != "" {
		q.add("c.partnership_id = ?", f.PartnershipID)
	}
	if f.ProgramID != "" {
		q.add("c.program_id = ?", f.ProgramID)
	}
	if f.Country != "" {
		q.add("(c.giver_id IN (SELECT id FROM organizations WHERE country = ?) OR c.recipient_id IN (SELECT id FROM organizations WHERE country = ?))",
			f.Country, f.Country)
	}
	if f.Kind != "" {
		q.add("c.kind = ?", f.Kind)
	}
	if f.Currency != "" {
		q.add("c.currency = ?", f.Currency)
	}
	return q
}

// ListContributions returns a page of the contributions f selects, the
// latest given first, and the next cursor. EINVALID for a cursor the
// server did not give out.
func (s *Store) ListContributions(ctx context.Context, f domain.ContributionFilter) ([]domain.Contribution, string, error) {
	cur, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	q := contributionQuery(f)
	if cur.id != "" {
		on, err := domain.ParseDate(cur.name)
		if err != nil {
			return nil, "", badCursor()
		}
		q.add("(c.given_on < ? OR (c.given_on = ? AND c.id < ?))", on, on, cur.id)
	}
	limit := clampLimit(f.Limit)
	var out []domain.Contribution
	err = s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, scanContribution, `SELECT `+contributionColumns+` FROM contributions c`+q.clause()+
			` ORDER BY c.given_on DESC, c.id DESC LIMIT `+itoa(limit+1), q.args...)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	out, next := pageOf(out, limit, func(c domain.Contribution) (string, string) { return c.GivenOn.Date.String(), c.ID })
	return out, next, nil
}

// totalSplit divides amounts for summing in SQL: each database sums the
// high and the low parts apart, neither near 64 bits for any number of
// contributions within domain.MaxAmountMinor, and Go puts them together
// exactly.
const totalSplit = 1_000_000_000

// ContributionTotals returns what the contributions f selects add up to,
// one sum per currency, never one across currencies, ordered by currency
// code; contributions without an amount count in none. The cursor and
// limit of f are ignored. EINVALID when a sum would not fit in 64 bits of
// minor units.
func (s *Store) ContributionTotals(ctx context.Context, f domain.ContributionFilter) ([]domain.Money, error) {
	q := contributionQuery(f)
	q.add("c.amount_minor IS NOT NULL")
	type part struct {
		currency  string
		high, low int64
	}
	var parts []part
	err := s.read(ctx, func(db querier) error {
		var err error
		parts, err = queryAll(ctx, db, func(r scanner) (part, error) {
			var p part
			return p, r.Scan(&p.currency, &p.high, &p.low)
		}, `SELECT c.currency, CAST(SUM(c.amount_minor / `+itoa(totalSplit)+`) AS BIGINT), CAST(SUM(c.amount_minor % `+itoa(totalSplit)+`) AS BIGINT)
			FROM contributions c`+q.clause()+` GROUP BY c.currency ORDER BY c.currency`, q.args...)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]domain.Money, 0, len(parts))
	for _, p := range parts {
		n := new(big.Int).Mul(big.NewInt(p.high), big.NewInt(totalSplit))
		n.Add(n, big.NewInt(p.low))
		if !n.IsInt64() {
			return nil, domain.Fail(domain.EINVALID, domain.MsgTotalTooLarge, "Currency", p.currency)
		}
		out = append(out, domain.Money{Minor: n.Int64(), Currency: p.currency})
	}
	domain.SortByCurrency(out)
	return out, nil
}
