package store

import (
	"context"
	"database/sql"

	"aidbridge/internal/domain"
)

const outcomeColumns = `o.id, o.partnership_id, COALESCE(o.mission_id, ''), o.kind, o.title, o.occurred_on, o.occurred_precision, o.department, o.notes,
	o.novelty, o.change, COALESCE(o.mentor_id, ''), o.field, o.funder, o.amount_minor, o.currency, o.funding, COALESCE(o.lead_id, ''),
	o.journal, o.sci_indexed, o.impact_factor_thousandths, o.local_first_author, o.milestone, o.grantor,
	o.created_at, o.updated_at, o.version`

func scanOutcome(row scanner) (domain.Outcome, error) {
	var o domain.Outcome
	var amount sql.NullInt64
	var currency string
	od, op := partial{&o.OccurredOn}.targets()
	err := row.Scan(&o.ID, &o.PartnershipID, &o.MissionID, &o.Kind, &o.Title, od, op, &o.Department, &o.Notes,
		&o.Novelty, &o.Change, &o.MentorID, &o.Field, &o.Funder, &amount, &currency, &o.Funding, &o.LeadID,
		&o.Journal, &o.SCIIndexed, &o.ImpactFactor.Thousandths, &o.LocalFirstAuthor, &o.Milestone, &o.Grantor,
		&o.CreatedAt, &o.UpdatedAt, &o.Version)
	if amount.Valid {
		o.Amount = domain.Money{Minor: amount.Int64, Currency: currency}
	}
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	o.PersonIDs, o.MemberIDs = []string{}, []string{}
	return o, err
}

func findOutcome(ctx context.Context, db querier, id string) (domain.Outcome, error) {
	o, err := scanOutcome(db.QueryRowContext(ctx, `SELECT `+outcomeColumns+` FROM outcomes o WHERE o.id = $1`, id))
	if err == sql.ErrNoRows {
		return o, domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "outcome", "ID", id)
	}
	if err != nil {
		return o, err
	}
	return o, withOutcomeLists(ctx, db, []*domain.Outcome{&o})
}

// withOutcomeLists reads the people and the member organizations of the
// outcomes, in the order they were given.
func withOutcomeLists(ctx context.Context, db querier, list []*domain.Outcome) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[string]*domain.Outcome{}
	ids := make([]string, len(list))
	for i, o := range list {
		byID[o.ID], ids[i] = o, o.ID
	}
	pair := func(r scanner) ([2]string, error) {
		var p [2]string
		return p, r.Scan(&p[0], &p[1])
	}
	in, args := inList("outcome_id", ids, nil)
	people, err := queryAll(ctx, db, pair, `SELECT outcome_id, person_id FROM outcome_people WHERE `+in+` ORDER BY outcome_id, position`, args...)
	if err != nil {
		return err
	}
	for _, p := range people {
		o := byID[p[0]]
		o.PersonIDs = append(o.PersonIDs, p[1])
	}
	members, err := queryAll(ctx, db, pair, `SELECT outcome_id, organization_id FROM outcome_members WHERE `+in+` ORDER BY outcome_id, position`, args...)
	for _, p := range members {
		o := byID[p[0]]
		o.MemberIDs = append(o.MemberIDs, p[1])
	}
	return err
}

// FindOutcome returns the outcome with the given id; ENOTFOUND when there
// is none.
func (s *Store) FindOutcome(ctx context.Context, id string) (domain.Outcome, error) {
	var o domain.Outcome
	err := s.read(ctx, func(db querier) error {
		var err error
		o, err = findOutcome(ctx, db, id)
		return err
	})
	return o, err
}

// checkOutcomeRefs refuses, on the field that names it, a partnership,
// mission, person or organization that does not exist, a mission of
// another partnership, and team members who were not on the mission's
// team.
func checkOutcomeRefs(ctx context.Context, tx *sql.Tx, o *domain.Outcome) error {
	if _, err := findPartnership(ctx, tx, o.PartnershipID); err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return invalidField("outcome", "partnership_id", domain.MsgNotFound, "What", "partnership", "ID", o.PartnershipID)
		}
		return err
	}
	var m domain.Mission
	if o.MissionID != "" {
		var err error
		if m, err = findMission(ctx, tx, o.MissionID); err != nil {
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				return invalidField("outcome", "mission_id", domain.MsgNotFound, "What", "mission", "ID", o.MissionID)
			}
			return err
		}
		if m.PartnershipID != o.PartnershipID {
			return invalidField("outcome", "mission_id", domain.MsgMissionElsewhere, "Mission", m.Sequence)
		}
	}
	for _, id := range o.PersonIDs {
		p, err := findPerson(ctx, tx, id)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return invalidField("outcome", "person_ids", domain.MsgNotFound, "What", "person", "ID", id)
		}
		if err != nil {
			return err
		}
		if o.MissionID == "" {
			continue
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM team_members WHERE mission_id = $1 AND person_id = $2`, o.MissionID, id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return invalidField("outcome", "person_ids", domain.MsgNotOnTeamOf, "Name", p.Name, "Mission", m.Sequence)
		}
	}
	if o.MentorID != "" {
		if _, err := findPerson(ctx, tx, o.MentorID); domain.ErrorCode(err) == domain.ENOTFOUND {
			return invalidField("outcome", "mentor_id", domain.MsgNotFound, "What", "person", "ID", o.MentorID)
		} else if err != nil {
			return err
		}
	}
	if err := checkOrganizations(ctx, tx, "outcome", "lead_id", o.LeadID); err != nil {
		return err
	}
	return checkOrganizations(ctx, tx, "outcome", "member_ids", o.MemberIDs...)
}

func writeOutcomeLists(ctx context.Context, tx *sql.Tx, o *domain.Outcome) error {
	for _, q := range []string{`DELETE FROM outcome_people WHERE outcome_id = $1`, `DELETE FROM outcome_members WHERE outcome_id = $1`} {
		if _, err := tx.ExecContext(ctx, q, o.ID); err != nil {
			return err
		}
	}
	for i, id := range o.PersonIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO outcome_people (outcome_id, person_id, position) VALUES ($1, $2, $3)`, o.ID, id, i); err != nil {
			return err
		}
	}
	for i, id := range o.MemberIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO outcome_members (outcome_id, organization_id, position) VALUES ($1, $2, $3)`, o.ID, id, i); err != nil {
			return err
		}
	}
	return nil
}

// outcomeArgs are the values of an outcome's columns after its id, in the
// order of INSERT and UPDATE below.
func outcomeArgs(o *domain.Outcome) []any {
	od, op := partialArgs(o.OccurredOn)
	amount, currency := amountArgs(o.Amount)
	return []any{o.PartnershipID, nullString(o.MissionID), o.Kind, o.Title, od, op, o.Department, o.Notes,
		o.Novelty, o.Change, nullString(o.MentorID), o.Field, o.Funder, amount, currency, o.Funding, nullString(o.LeadID),
		o.Journal, o.SCIIndexed, o.ImpactFactor.Thousandths, o.LocalFirstAuthor, o.Milestone, o.Grantor}
}

// CreateOutcome validates o, stores it with a new id and audits it under
// the partnership's provider. EINVALID when o is not valid or names a
// record that does not exist, a mission of another partnership, or people
// who were not on the mission's team.
func (s *Store) CreateOutcome(ctx context.Context, by Actor, o *domain.Outcome) error {
	o.Normalize()
	if err := o.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := checkOutcomeRefs(ctx, tx, o); err != nil {
			return err
		}
		ps, err := findPartnership(ctx, tx, o.PartnershipID)
		if err != nil {
			return err
		}
		o.ID = newID()
		o.CreatedAt, o.UpdatedAt, o.Version = s.now(), s.now(), 1
		args := append([]any{o.ID}, outcomeArgs(o)...)
		args = append(args, o.CreatedAt, o.UpdatedAt, o.Version)
		if _, err := tx.ExecContext(ctx, `INSERT INTO outcomes (id, partnership_id, mission_id, kind, title, occurred_on, occurred_precision, department, notes,
			novelty, change, mentor_id, field, funder, amount_minor, currency, funding, lead_id,
			journal, sci_indexed, impact_factor_thousandths, local_first_author, milestone, grantor, created_at, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27)`,
			args...); err != nil {
			return err
		}
		if err := writeOutcomeLists(ctx, tx, o); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, ps.ProviderID, "outcome", o.ID, "create", nil, o)
	})
}

// UpdateOutcome stores o at its version; ECONFLICT when it is stale, and
// EINVALID as CreateOutcome.
func (s *Store) UpdateOutcome(ctx context.Context, by Actor, o *domain.Outcome) error {
	o.Normalize()
	if err := o.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := findOutcome(ctx, tx, o.ID)
		if err != nil {
			return err
		}
		if err := checkVersion("outcome", o.ID, before.Version, o.Version); err != nil {
			return err
		}
		if err := checkOutcomeRefs(ctx, tx, o); err != nil {
			return err
		}
		ps, err := findPartnership(ctx, tx, o.PartnershipID)
		if err != nil {
			return err
		}
		o.CreatedAt, o.UpdatedAt, o.Version = before.CreatedAt, s.now(), before.Version+1
		args := append(outcomeArgs(o), o.UpdatedAt, o.Version, o.ID, before.Version)
		res, err := tx.ExecContext(ctx, `UPDATE outcomes SET partnership_id = $1, mission_id = $2, kind = $3, title = $4, occurred_on = $5,
			occurred_precision = $6, department = $7, notes = $8, novelty = $9, change = $10, mentor_id = $11, field = $12, funder = $13,
			amount_minor = $14, currency = $15, funding = $16, lead_id = $17, journal = $18, sci_indexed = $19, impact_factor_thousandths = $20,
			local_first_author = $21, milestone = $22, grantor = $23, updated_at = $24, version = $25
			WHERE id = $26 AND version = $27`, args...)
		if err := checkUpdated(res, err, "outcome", o.ID); err != nil {
			return err
		}
		if err := writeOutcomeLists(ctx, tx, o); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, ps.ProviderID, "outcome", o.ID, "update", before, o)
	})
}

// DeleteOutcome removes the outcome with id at version; ECONFLICT when it
// is stale.
func (s *Store) DeleteOutcome(ctx context.Context, by Actor, id string, version int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := findOutcome(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkVersion("outcome", id, before.Version, version); err != nil {
			return err
		}
		ps, err := findPartnership(ctx, tx, before.PartnershipID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM outcomes WHERE id = $1`, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, ps.ProviderID, "outcome", id, "delete", before, nil)
	})
}

// ListOutcomes returns a page of outcomes, latest first, and the next
// cursor.
func (s *Store) ListOutcomes(ctx context.Context, f domain.OutcomeFilter) ([]domain.Outcome, string, error) {
	cur, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	var q query
	if f.PartnershipID != "" {
		q.add("o.partnership_id = ?", f.PartnershipID)
	}
	if f.ProgramID != "" {
		q.add("EXISTS (SELECT 1 FROM partnerships ps WHERE ps.id = o.partnership_id AND ps.program_id = ?)", f.ProgramID)
	}
	if f.MissionID != "" {
		q.add("o.mission_id = ?", f.MissionID)
	}
	if f.PersonID != "" {
		q.add("EXISTS (SELECT 1 FROM outcome_people op WHERE op.outcome_id = o.id AND op.person_id = ?)", f.PersonID)
	}
	if f.Kind != "" {
		q.add("o.kind = ?", f.Kind)
	}
	if f.Novelty != "" {
		q.add("o.novelty = ?", f.Novelty)
	}
	for _, c := range []struct{ col, v string }{{"o.change", f.Change}, {"o.funding", f.Funding}, {"o.lead_id", f.LeadID}, {"o.milestone", f.Milestone}} {
		if c.v != "" {
			q.add(c.col+" = ?", c.v)
		}
	}
	for _, c := range []struct{ col, v string }{{"o.sci_indexed", f.SCI}, {"o.local_first_author", f.LocalFirst}} {
		if c.v == "yes" || c.v == "no" {
			q.add(c.col+" = ?", c.v == "yes")
		}
	}
	if f.HighImpact {
		q.add("o.impact_factor_thousandths > ?", domain.HighImpactFactor.Thousandths)
	}
	if f.Query != "" {
		q.add(`lower(o.title) LIKE ? ESCAPE '\'`, likePattern(f.Query))
	}
	if !f.From.IsZero() {
		q.add("o.occurred_on >= ?", f.From)
	}
	if !f.To.IsZero() {
		q.add("o.occurred_on <= ?", f.To)
	}
	key := `CAST(o.occurred_on AS TEXT)`
	if cur.id != "" {
		q.add("("+key+" < ? OR ("+key+" = ? AND o.id < ?))", cur.name, cur.name, cur.id)
	}
	limit := clampLimit(f.Limit)
	var out []domain.Outcome
	err = s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, scanOutcome, `SELECT `+outcomeColumns+` FROM outcomes o`+q.clause()+
			` ORDER BY `+key+` DESC, o.id DESC LIMIT `+itoa(limit+1), q.args...)
		if err != nil {
			return err
		}
		ptrs := make([]*domain.Outcome, len(out))
		for i := range out {
			ptrs[i] = &out[i]
		}
		return withOutcomeLists(ctx, db, ptrs)
	})
	if err != nil {
		return nil, "", err
	}
	out, next := pageOf(out, limit, func(o domain.Outcome) (string, string) { return o.OccurredOn.Date.String(), o.ID })
	return out, next, nil
}
