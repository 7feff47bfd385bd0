package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"aidbridge/internal/domain"
)

const personColumns = `p.id, p.organization_id, COALESCE(p.department_id, ''), COALESCE(p.user_id, ''), p.name, p.title, p.title_rank, p.specialty,
	p.languages, p.birth_date, p.email, p.phone, p.created_at, p.updated_at, p.version`

func scanPerson(row scanner) (domain.Person, error) {
	var p domain.Person
	var langs string
	err := row.Scan(&p.ID, &p.OrganizationID, &p.DepartmentID, &p.UserID, &p.Name, &p.Title, &p.TitleRank, &p.Specialty,
		&langs, &p.BirthDate, &p.Email, &p.Phone, &p.CreatedAt, &p.UpdatedAt, &p.Version)
	if err != nil {
		return p, err
	}
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	err = json.Unmarshal([]byte(langs), &p.Languages)
	if p.Languages == nil {
		p.Languages = []string{}
	}
	return p, err
}

// FindPerson returns the person with the given id, personal data included;
// ENOTFOUND when there is none. Callers hide personal data the reader may
// not see.
func (s *Store) FindPerson(ctx context.Context, id string) (domain.Person, error) {
	var p domain.Person
	err := s.read(ctx, func(db querier) error {
		var err error
		p, err = findPerson(ctx, db, id)
		return err
	})
	return p, err
}

func findPerson(ctx context.Context, db querier, id string) (domain.Person, error) {
	p, err := scanPerson(db.QueryRowContext(ctx, `SELECT `+personColumns+` FROM people p WHERE p.id = $1`, id))
	if err == sql.ErrNoRows {
		return p, domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "person", "ID", id)
	}
	return p, err
}

// checkPersonRefs refuses a department of another organization, or one that
// does not exist.
func checkPersonRefs(ctx context.Context, tx *sql.Tx, p *domain.Person) error {
	if _, err := findOrganization(ctx, tx, p.OrganizationID); err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return invalidField("person", "organization_id", domain.MsgNoSuchOrganization, "ID", p.OrganizationID)
		}
		return err
	}
	if p.DepartmentID != "" {
		d, err := findDepartment(ctx, tx, p.DepartmentID)
		if domain.ErrorCode(err) == domain.ENOTFOUND || (err == nil && d.OrganizationID != p.OrganizationID) {
			return invalidField("person", "department_id", domain.MsgNotOwnDepartment, "ID", p.DepartmentID)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// invalidField refuses a record of kind what for one field, with the
// message id and its values as name, value pairs.
func invalidField(what, field string, id domain.MsgID, args ...any) error {
	var p domain.Problems
	p.Add(field, id, args...)
	return p.Err(what)
}

// CreatePerson validates p, stores it with a new id and audits it.
func (s *Store) CreatePerson(ctx context.Context, by Actor, p *domain.Person) error {
	if p.Languages == nil {
		p.Languages = []string{}
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := checkPersonRefs(ctx, tx, p); err != nil {
			return err
		}
		p.ID = newID()
		p.CreatedAt, p.UpdatedAt, p.Version = s.now(), s.now(), 1
		langs, _ := json.Marshal(p.Languages)
		_, err := tx.ExecContext(ctx, `INSERT INTO people (id, organization_id, department_id, user_id, name, title, specialty, languages,
			birth_date, email, phone, created_at, updated_at, version, title_rank) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			p.ID, p.OrganizationID, nullString(p.DepartmentID), nullString(p.UserID), p.Name, p.Title, p.Specialty, string(langs),
			p.BirthDate, p.Email, p.Phone, p.CreatedAt, p.UpdatedAt, p.Version, p.TitleRank)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, by, p.OrganizationID, "person", p.ID, "create", nil, p)
	})
}

// UpdatePerson stores p over the person with p.ID at version p.Version.
// EINVALID, ENOTFOUND, or ECONFLICT when the record changed meanwhile.
func (s *Store) UpdatePerson(ctx context.Context, by Actor, p *domain.Person) error {
	if p.Languages == nil {
		p.Languages = []string{}
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := findPerson(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if err := checkVersion("person", p.ID, before.Version, p.Version); err != nil {
			return err
		}
		if err := checkPersonRefs(ctx, tx, p); err != nil {
			return err
		}
		p.CreatedAt, p.UpdatedAt, p.Version = before.CreatedAt, s.now(), before.Version+1
		langs, _ := json.Marshal(p.Languages)
		res, err := tx.ExecContext(ctx, `UPDATE people SET organization_id = $1, department_id = $2, user_id = $3, name = $4, title = $5,
			specialty = $6, languages = $7, birth_date = $8, email = $9, phone = $10, updated_at = $11, version = $12,
			title_rank = $15 WHERE id = $13 AND version = $14`,
			p.OrganizationID, nullString(p.DepartmentID), nullString(p.UserID), p.Name, p.Title, p.Specialty, string(langs),
			p.BirthDate, p.Email, p.Phone, p.UpdatedAt, p.Version, p.ID, before.Version, p.TitleRank)
		if err := checkUpdated(res, err, "person", p.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, p.OrganizationID, "person", p.ID, "update", before, p)
	})
}

// DeletePerson deletes the person with id at the given version.
func (s *Store) DeletePerson(ctx context.Context, by Actor, id string, version int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := findPerson(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkVersion("person", id, before.Version, version); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM people WHERE id = $1`, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, before.OrganizationID, "person", id, "delete", before, nil)
	})
}

// ListPeople returns a page of people ordered by name and the next cursor.
func (s *Store) ListPeople(ctx context.Context, f domain.PersonFilter) ([]domain.Person, string, error) {
	cur, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	var q query
	if f.Query != "" {
		q.add(`lower(p.name) LIKE ? ESCAPE '\'`, likePattern(f.Query))
	}
	if f.OrganizationID != "" {
		q.add("p.organization_id = ?", f.OrganizationID)
	}
	if f.DepartmentID != "" {
		q.add("p.department_id = ?", f.DepartmentID)
	}
	if f.Specialty != "" {
		q.add(`lower(p.specialty) LIKE ? ESCAPE '\'`, likePattern(f.Specialty))
	}
	q.page("p.name", "p.id", cur)
	limit := clampLimit(f.Limit)
	var out []domain.Person
	err = s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, scanPerson, `SELECT `+personColumns+` FROM people p`+q.clause()+` ORDER BY p.name, p.id LIMIT `+itoa(limit+1), q.args...)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	out, next := pageOf(out, limit, func(x domain.Person) (string, string) { return x.Name, x.ID })
	return out, next, nil
}
