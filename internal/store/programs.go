package store

import (
	"context"
	"database/sql"

	"aidbridge/internal/domain"
)

// partial reads a date of history from a date column and its precision
// column, NULL and "" when unknown.
type partial struct {
	d *domain.PartialDate
}

func (p partial) targets() (any, any) { return &p.d.Date, &p.d.Precision }

// partialArgs returns the values of a date of history's two columns.
func partialArgs(d domain.PartialDate) (domain.Date, string) {
	if d.IsZero() {
		return domain.Date{}, ""
	}
	return d.Date, string(d.Precision)
}

const programColumns = `p.id, p.name, p.kind, p.description, p.starts_on, p.starts_precision, p.ends_on, p.ends_precision,
	p.created_at, p.updated_at, p.version`

func scanProgram(row scanner) (domain.Program, error) {
	var pr domain.Program
	sd, sp := partial{&pr.StartsOn}.targets()
	ed, ep := partial{&pr.EndsOn}.targets()
	err := row.Scan(&pr.ID, &pr.Name, &pr.Kind, &pr.Description, sd, sp, ed, ep, &pr.CreatedAt, &pr.UpdatedAt, &pr.Version)
	pr.CreatedAt, pr.UpdatedAt = pr.CreatedAt.UTC(), pr.UpdatedAt.UTC()
	pr.SponsorIDs = []string{}
	return pr, err
}

func findProgram(ctx context.Context, db querier, id string) (domain.Program, error) {
	pr, err := scanProgram(db.QueryRowContext(ctx, `SELECT `+programColumns+` FROM programs p WHERE p.id = $1`, id))
	if err == sql.ErrNoRows {
		return pr, domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "program", "ID", id)
	}
	if err != nil {
		return pr, err
	}
	err = withSponsors(ctx, db, []*domain.Program{&pr})
	return pr, err
}

// withSponsors reads the sponsors of the programs, in their order.
func withSponsors(ctx context.Context, db querier, list []*domain.Program) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[string]*domain.Program{}
	ids := make([]string, len(list))
	for i, pr := range list {
		byID[pr.ID], ids[i] = pr, pr.ID
	}
	in, args := inList("program_id", ids, nil)
	pairs, err := queryAll(ctx, db, func(r scanner) ([2]string, error) {
		var p [2]string
		return p, r.Scan(&p[0], &p[1])
	}, `SELECT program_id, organization_id FROM program_sponsors WHERE `+in+` ORDER BY program_id, position`, args...)
	for _, p := range pairs {
		pr := byID[p[0]]
		pr.SponsorIDs = append(pr.SponsorIDs, p[1])
	}
	return err
}

// checkOrganizations refuses, on field, organizations that do not exist.
func checkOrganizations(ctx context.Context, tx *sql.Tx, what, field string, ids ...string) error {
	for _, id := range ids {
		if id == "" {
			continue
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM organizations WHERE id = $1`, id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return invalidField(what, field, domain.MsgNoSuchOrganization, "ID", id)
		}
	}
	return nil
}

func writeSponsors(ctx context.Context, tx *sql.Tx, pr *domain.Program) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM program_sponsors WHERE program_id = $1`, pr.ID); err != nil {
		return err
	}
	for i, id := range pr.SponsorIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO program_sponsors (program_id, organization_id, position) VALUES ($1, $2, $3)`, pr.ID, id, i); err != nil {
			return err
		}
	}
	return nil
}

// FindProgram returns the program with the given id and its sponsors;
// ENOTFOUND when there is none.
func (s *Store) FindProgram(ctx context.Context, id string) (domain.Program, error) {
	var pr domain.Program
	err := s.read(ctx, func(db querier) error {
		var err error
		pr, err = findProgram(ctx, db, id)
		return err
	})
	return pr, err
}

// CreateProgram validates pr, stores it with a new id and audits it.
// EINVALID when pr is not valid or names a sponsor that does not exist.
func (s *Store) CreateProgram(ctx context.Context, by Actor, pr *domain.Program) error {
	if err := pr.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := checkOrganizations(ctx, tx, "program", "sponsor_ids", pr.SponsorIDs...); err != nil {
			return err
		}
		pr.ID = newID()
		pr.CreatedAt, pr.UpdatedAt, pr.Version = s.now(), s.now(), 1
		sd, sp := partialArgs(pr.StartsOn)
		ed, ep := partialArgs(pr.EndsOn)
		if _, err := tx.ExecContext(ctx, `INSERT INTO programs (id, name, kind, description, starts_on, starts_precision, ends_on, ends_precision,
			created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			pr.ID, pr.Name, pr.Kind, pr.Description, sd, sp, ed, ep, pr.CreatedAt, pr.UpdatedAt, pr.Version); err != nil {
			return err
		}
		if err := writeSponsors(ctx, tx, pr); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, firstOf(pr.SponsorIDs), "program", pr.ID, "create", nil, pr)
	})
}

func firstOf(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// UpdateProgram stores pr over the program with pr.ID at version
// pr.Version; ECONFLICT when the version is stale.
func (s *Store) UpdateProgram(ctx context.Context, by Actor, pr *domain.Program) error {
	if err := pr.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := findProgram(ctx, tx, pr.ID)
		if err != nil {
			return err
		}
		if err := checkVersion("program", pr.ID, before.Version, pr.Version); err != nil {
			return err
		}
		if err := checkOrganizations(ctx, tx, "program", "sponsor_ids", pr.SponsorIDs...); err != nil {
			return err
		}
		pr.CreatedAt, pr.UpdatedAt, pr.Version = before.CreatedAt, s.now(), before.Version+1
		sd, sp := partialArgs(pr.StartsOn)
		ed, ep := partialArgs(pr.EndsOn)
		res, err := tx.ExecContext(ctx, `UPDATE programs SET name = $1, kind = $2, description = $3, starts_on = $4, starts_precision = $5,
			ends_on = $6, ends_precision = $7, updated_at = $8, version = $9 WHERE id = $10 AND version = $11`,
			pr.Name, pr.Kind, pr.Description, sd, sp, ed, ep, pr.UpdatedAt, pr.Version, pr.ID, before.Version)
		if err := checkUpdated(res, err, "program", pr.ID); err != nil {
			return err
		}
		if err := writeSponsors(ctx, tx, pr); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, firstOf(pr.SponsorIDs), "program", pr.ID, "update", before, pr)
	})
}

// DeleteProgram removes the program with id at version; ECONFLICT when it
// is stale or partnerships belong to the program.
func (s *Store) DeleteProgram(ctx context.Context, by Actor, id string, version int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := findProgram(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkVersion("program", id, before.Version, version); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM partnerships WHERE program_id = $1`, id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return domain.Fail(domain.ECONFLICT, domain.MsgProgramInUse, "Name", before.Name, "Count", n)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM programs WHERE id = $1`, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, firstOf(before.SponsorIDs), "program", id, "delete", before, nil)
	})
}

// ListPrograms returns a page of programs ordered by name and the next
// cursor.
func (s *Store) ListPrograms(ctx context.Context, f domain.ProgramFilter) ([]domain.Program, string, error) {
	cur, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	var q query
	if f.Query != "" {
		q.add(`lower(p.name) LIKE ? ESCAPE '\'`, likePattern(f.Query))
	}
	if f.Kind != "" {
		q.add("p.kind = ?", f.Kind)
	}
	if f.OrganizationID != "" {
		q.add("EXISTS (SELECT 1 FROM program_sponsors s WHERE s.program_id = p.id AND s.organization_id = ?)", f.OrganizationID)
	}
	q.page("p.name", "p.id", cur)
	limit := clampLimit(f.Limit)
	var out []domain.Program
	err = s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, scanProgram, `SELECT `+programColumns+` FROM programs p`+q.clause()+` ORDER BY p.name, p.id LIMIT `+itoa(limit+1), q.args...)
		if err != nil {
			return err
		}
		ptrs := make([]*domain.Program, len(out))
		for i := range out {
			ptrs[i] = &out[i]
		}
		return withSponsors(ctx, db, ptrs)
	})
	if err != nil {
		return nil, "", err
	}
	out, next := pageOf(out, limit, func(x domain.Program) (string, string) { return x.Name, x.ID })
	return out, next, nil
}
