package store

import (
	"context"
	"database/sql"

	"aidbridge/internal/domain"
)

func findDepartment(ctx context.Context, db querier, id string) (domain.Department, error) {
	var d domain.Department
	err := db.QueryRowContext(ctx, `SELECT id, organization_id, name, created_at, updated_at, version FROM departments WHERE id = $1`, id).
		Scan(&d.ID, &d.OrganizationID, &d.Name, &d.CreatedAt, &d.UpdatedAt, &d.Version)
	if err == sql.ErrNoRows {
		return d, domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "department", "ID", id)
	}
	d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	return d, err
}

// FindDepartment returns the department with the given id; ENOTFOUND when
// there is none.
func (s *Store) FindDepartment(ctx context.Context, id string) (domain.Department, error) {
	var d domain.Department
	err := s.read(ctx, func(db querier) error {
		var err error
		d, err = findDepartment(ctx, db, id)
		return err
	})
	return d, err
}

// CreateDepartment validates d and stores it; ECONFLICT when the organization
// already has a department of that name.
func (s *Store) CreateDepartment(ctx context.Context, by Actor, d *domain.Department) error {
	if err := d.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := findOrganization(ctx, tx, d.OrganizationID); err != nil {
			return err
		}
		d.ID = newID()
		d.CreatedAt, d.UpdatedAt, d.Version = s.now(), s.now(), 1
		if _, err := tx.ExecContext(ctx, `INSERT INTO departments (id, organization_id, name, created_at, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6)`, d.ID, d.OrganizationID, d.Name, d.CreatedAt, d.UpdatedAt, d.Version); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, d.OrganizationID, "department", d.ID, "create", nil, d)
	})
}

// DeleteDepartment deletes a department no person or screener refers to;
// ECONFLICT otherwise.
func (s *Store) DeleteDepartment(ctx context.Context, by Actor, id string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := findDepartment(ctx, tx, id)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM people WHERE department_id = $1) +
			(SELECT COUNT(*) FROM memberships WHERE department_id = $1)`, id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return domain.Fail(domain.ECONFLICT, domain.MsgDepartmentInUse, "Name", before.Name, "Count", n)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM departments WHERE id = $1`, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, before.OrganizationID, "department", id, "delete", before, nil)
	})
}

// ListDepartments returns the departments of an organization by name.
func (s *Store) ListDepartments(ctx context.Context, orgID string) ([]domain.Department, error) {
	out := []domain.Department{}
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, `SELECT id, organization_id, name, created_at, updated_at, version FROM departments
			WHERE organization_id = $1 ORDER BY name, id`, orgID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d domain.Department
			if err := rows.Scan(&d.ID, &d.OrganizationID, &d.Name, &d.CreatedAt, &d.UpdatedAt, &d.Version); err != nil {
				return err
			}
			d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
			out = append(out, d)
		}
		return rows.Err()
	})
	return out, err
}
