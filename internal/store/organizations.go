package store

import (
	"context"
	"database/sql"
	"strings"

	"aidbridge/internal/domain"
)

const orgColumns = `o.id, o.name, o.kind, o.country, o.subdivision, o.city, COALESCE(o.parent_id, ''), o.parent_relation,
	o.beds_total, o.beds_in_service, o.clinical_departments, o.website, o.latitude, o.longitude, o.created_at, o.updated_at, o.version`

func scanOrganization(row scanner) (domain.Organization, error) {
	var o domain.Organization
	var bt, bs, cd sql.NullInt64
	var lat, lon sql.NullFloat64
	err := row.Scan(&o.ID, &o.Name, &o.Kind, &o.Country, &o.Subdivision, &o.City, &o.ParentID, &o.ParentRelation,
		&bt, &bs, &cd, &o.Website, &lat, &lon, &o.CreatedAt, &o.UpdatedAt, &o.Version)
	if lat.Valid && lon.Valid {
		o.Latitude, o.Longitude = &lat.Float64, &lon.Float64
	}
	o.BedsTotal, o.BedsInService, o.ClinicalDepartments = nullInt(bt), nullInt(bs), nullInt(cd)
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return o, err
}

func nullInt(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// FindOrganization returns the organization with the given id, with its
// accreditations; ENOTFOUND when there is none.
func (s *Store) FindOrganization(ctx context.Context, id string) (domain.Organization, error) {
	var o domain.Organization
	err := s.readHot(ctx, func(db querier) error {
		var err error
		o, err = findOrganization(ctx, db, id)
		return err
	})
	return o, err
}

// FindOrganizationDetail returns the organization with the given id, with
// its accreditations, and its departments by name, read in one statement;
// ENOTFOUND when there is none.
func (s *Store) FindOrganizationDetail(ctx context.Context, id string) (domain.Organization, []domain.Department, error) {
	var o domain.Organization
	var deps []domain.Department
	err := s.readHot(ctx, func(db querier) error {
		var err error
		o, deps, err = readOrganization(ctx, db, orgDetailQuery, id)
		return err
	})
	return o, deps, err
}

func findOrganization(ctx context.Context, db querier, id string) (domain.Organization, error) {
	o, _, err := readOrganization(ctx, db, orgQuery, id)
	return o, err
}

// The statements of readOrganization: the organization's row (part 0), then
// its accreditations (part 1) and, in orgDetailQuery, its departments (part
// 2), in one column layout. An accreditation fills kind, name, city with
// granted_by, beds_total with its position, granted_on and
// granted_precision; a department fills id, name, parent_id with its
// organization, created_at, updated_at and version. The organization's row
// comes first so that its columns give the others their types.
//
// The id is compared as CAST($1 AS TEXT) rather than $1: once ANALYZE has
// written sqlite_stat4, SQLite compiles a prepared statement again whenever
// a new value is bound to a parameter it compares with an indexed column
// bare, which would undo the preparing; a cast hides the value from the
// planner, which needs none to look up one organization.
const (
	orgPart = `SELECT 0 AS part, ` + orgColumns + `, NULL AS granted_on, NULL AS granted_precision
	FROM organizations o WHERE o.id = CAST($1 AS TEXT)`
	accreditationPart = `SELECT 1, NULL, a.name, a.kind, NULL, NULL, a.granted_by, NULL, NULL, a.position,
		NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, a.granted_on, a.granted_precision
	FROM accreditations a WHERE a.organization_id = CAST($1 AS TEXT)`
	departmentPart = `SELECT 2, d.id, d.name, NULL, NULL, NULL, NULL, d.organization_id, NULL, NULL,
		NULL, NULL, NULL, NULL, NULL, d.created_at, d.updated_at, d.version, NULL, NULL
	FROM departments d WHERE d.organization_id = CAST($1 AS TEXT)`
	// Accreditations by granted_on and position, departments by name and id.
	orgOrder       = ` ORDER BY part, granted_on, beds_total, name, id`
	orgQuery       = orgPart + ` UNION ALL ` + accreditationPart + orgOrder
	orgDetailQuery = orgPart + ` UNION ALL ` + accreditationPart + ` UNION ALL ` + departmentPart + orgOrder
)

// readOrganization runs query, orgQuery or orgDetailQuery, for the
// organization id and returns the organization with its accreditations and
// the departments the query read (none for orgQuery).
func readOrganization(ctx context.Context, db querier, query, id string) (domain.Organization, []domain.Department, error) {
	var o domain.Organization
	rows, err := db.QueryContext(ctx, query, id)
	if err != nil {
		return o, nil, err
	}
	defer rows.Close()
	found := false
	o.Accreditations = []domain.Accreditation{}
	deps := []domain.Department{}
	for rows.Next() {
		var part int
		var oid, name, kind, country, subdivision, city, parentID, relation, website, precision sql.NullString
		var bt, bs, cd, version sql.NullInt64
		var lat, lon sql.NullFloat64
		var created, updated sql.NullTime
		var granted domain.Date
		if err := rows.Scan(&part, &oid, &name, &kind, &country, &subdivision, &city, &parentID, &relation,
			&bt, &bs, &cd, &website, &lat, &lon, &created, &updated, &version, &granted, &precision); err != nil {
			return o, nil, err
		}
		switch part {
		case 0:
			found = true
			o.ID, o.Name, o.Kind, o.Country, o.Subdivision, o.City = oid.String, name.String, domain.OrgKind(kind.String), country.String, subdivision.String, city.String
			o.ParentID, o.ParentRelation, o.Website, o.Version = parentID.String, relation.String, website.String, version.Int64
			if lat.Valid && lon.Valid {
				o.Latitude, o.Longitude = &lat.Float64, &lon.Float64
			}
			o.BedsTotal, o.BedsInService, o.ClinicalDepartments = nullInt(bt), nullInt(bs), nullInt(cd)
			o.CreatedAt, o.UpdatedAt = created.Time.UTC(), updated.Time.UTC()
		case 1:
			o.Accreditations = append(o.Accreditations, domain.Accreditation{Kind: kind.String, Name: name.String, GrantedBy: city.String,
				GrantedOn: domain.PartialDate{Date: granted, Precision: domain.DatePrecision(precision.String)}})
		case 2:
			deps = append(deps, domain.Department{Meta: domain.Meta{ID: oid.String, CreatedAt: created.Time.UTC(), UpdatedAt: updated.Time.UTC(), Version: version.Int64},
				OrganizationID: parentID.String, Name: name.String})
		}
	}
	if err := rows.Err(); err != nil {
		return o, nil, err
	}
	if !found {
		return o, nil, domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "organization", "ID", id)
	}
	return o, deps, nil
}

func writeAccreditations(ctx context.Context, tx *sql.Tx, o *domain.Organization) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM accreditations WHERE organization_id = $1`, o.ID); err != nil {
		return err
	}
	for i, a := range o.Accreditations {
		if _, err := tx.ExecContext(ctx, `INSERT INTO accreditations (organization_id, position, kind, name, granted_by, granted_on, granted_precision)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, o.ID, i, a.Kind, a.Name, a.GrantedBy, a.GrantedOn.Date, a.GrantedOn.Precision); err != nil {
			return err
		}
	}
	return nil
}

// checkParent refuses a parent that does not exist or whose chain of parents
// leads back to the organization itself.
func checkParent(ctx context.Context, tx *sql.Tx, o *domain.Organization) error {
	seen := map[string]bool{o.ID: true}
	for id := o.ParentID; id != ""; {
		if seen[id] {
			return invalidField("organization", "parent_id", domain.MsgParentCycle)
		}
		seen[id] = true
		var next string
		err := tx.QueryRowContext(ctx, `SELECT COALESCE(parent_id, '') FROM organizations WHERE id = $1`, id).Scan(&next)
		if err == sql.ErrNoRows {
			return invalidField("organization", "parent_id", domain.MsgNoSuchOrganization, "ID", id)
		}
		if err != nil {
			return err
		}
		id = next
	}
	return nil
}

// CreateOrganization validates o, stores it with a new id and records the
// creation in the audit log. EINVALID when o is not valid.
func (s *Store) CreateOrganization(ctx context.Context, by Actor, o *domain.Organization) error {
	if o.Accreditations == nil {
		o.Accreditations = []domain.Accreditation{}
	}
	if err := o.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		o.ID = newID()
		o.CreatedAt, o.UpdatedAt, o.Version = s.now(), s.now(), 1
		if err := checkParent(ctx, tx, o); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO organizations (id, name, kind, country, subdivision, city, parent_id, parent_relation,
			beds_total, beds_in_service, clinical_departments, website, latitude, longitude, created_at, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
			o.ID, o.Name, o.Kind, o.Country, o.Subdivision, o.City, nullString(o.ParentID), o.ParentRelation,
			o.BedsTotal, o.BedsInService, o.ClinicalDepartments, o.Website, o.Latitude, o.Longitude, o.CreatedAt, o.UpdatedAt, o.Version)
		if err != nil {
			return err
		}
		if err := writeAccreditations(ctx, tx, o); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, o.ID, "organization", o.ID, "create", nil, o)
	})
}

// UpdateOrganization stores o over the organization with o.ID, provided
// o.Version is the version stored; the version is then incremented.
// EINVALID, ENOTFOUND, or ECONFLICT when the record changed meanwhile.
func (s *Store) UpdateOrganization(ctx context.Context, by Actor, o *domain.Organization) error {
	if o.Accreditations == nil {
		o.Accreditations = []domain.Accreditation{}
	}
	if err := o.Validate(); err != nil {
		return err
	}
	// The users of tokens carry the names of their organizations.
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		before, err := findOrganization(ctx, tx, o.ID)
		if err != nil {
			return err
		}
		if err := checkVersion("organization", o.ID, before.Version, o.Version); err != nil {
			return err
		}
		if err := checkParent(ctx, tx, o); err != nil {
			return err
		}
		o.CreatedAt, o.UpdatedAt, o.Version = before.CreatedAt, s.now(), before.Version+1
		res, err := tx.ExecContext(ctx, `UPDATE organizations SET name = $1, kind = $2, country = $3, subdivision = $4, city = $5,
			parent_id = $6, parent_relation = $7, beds_total = $8, beds_in_service = $9, clinical_departments = $10, website = $11,
			latitude = $12, longitude = $13, updated_at = $14, version = $15 WHERE id = $16 AND version = $17`,
			o.Name, o.Kind, o.Country, o.Subdivision, o.City, nullString(o.ParentID), o.ParentRelation, o.BedsTotal, o.BedsInService,
			o.ClinicalDepartments, o.Website, o.Latitude, o.Longitude, o.UpdatedAt, o.Version, o.ID, before.Version)
		if err := checkUpdated(res, err, "organization", o.ID); err != nil {
			return err
		}
		if err := writeAccreditations(ctx, tx, o); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, o.ID, "organization", o.ID, "update", before, o)
	})
}

// DeleteOrganization deletes the organization with id at the given version.
// ECONFLICT when the version is stale or when people, departments, members or
// other organizations still depend on it.
func (s *Store) DeleteOrganization(ctx context.Context, by Actor, id string, version int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := findOrganization(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkVersion("organization", id, before.Version, version); err != nil {
			return err
		}
		for _, dep := range []struct {
			table, col string
			what       domain.MsgID
		}{
			{"organizations", "parent_id", domain.MsgDependentBranches},
			{"departments", "organization_id", domain.MsgDependentDepartments},
			{"people", "organization_id", domain.MsgDependentPeople},
			{"memberships", "organization_id", domain.MsgDependentMembers},
		} {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+dep.table+` WHERE `+dep.col+` = $1`, id).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return domain.Fail(domain.ECONFLICT, dep.what, "Name", before.Name, "Count", n)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM organizations WHERE id = $1`, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, id, "organization", id, "delete", before, nil)
	})
}

// ListOrganizations returns a page of organizations ordered by name (without
// their accreditations), and the
// cursor of the next page ("" on the last page). EINVALID for a bad cursor.
func (s *Store) ListOrganizations(ctx context.Context, f domain.OrganizationFilter) ([]domain.Organization, string, error) {
	cur, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	var q query
	if f.Query != "" {
		q.add(`lower(o.name) LIKE ? ESCAPE '\'`, likePattern(f.Query))
	}
	if f.Kind != "" {
		q.add("o.kind = ?", f.Kind)
	}
	if f.Country != "" {
		q.add("o.country = ?", f.Country)
	}
	if f.ParentID != "" {
		q.add("o.parent_id = ?", f.ParentID)
	}
	q.page("o.name", "o.id", cur)
	limit := clampLimit(f.Limit)
	var out []domain.Organization
	err = s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, scanOrganization, `SELECT `+orgColumns+` FROM organizations o`+q.clause()+` ORDER BY o.name, o.id LIMIT `+itoa(limit+1), q.args...)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	out, next := pageOf(out, limit, func(x domain.Organization) (string, string) { return x.Name, x.ID })
	return out, next, nil
}

// OrganizationNames returns the names of the organizations with the given
// ids, in one query; ids that name no organization are left out.
func (s *Store) OrganizationNames(ctx context.Context, ids []string) (map[string]string, error) {
	return s.names(ctx, "organizations", ids)
}

// PersonNames returns the names of the people with the given ids, in one
// query; ids that name nobody are left out.
func (s *Store) PersonNames(ctx context.Context, ids []string) (map[string]string, error) {
	return s.names(ctx, "people", ids)
}

// names returns the names of the rows of table with the given ids.
func (s *Store) names(ctx context.Context, table string, ids []string) (map[string]string, error) {
	names := map[string]string{}
	var q query
	var ph []string
	seen := map[string]bool{}
	for _, id := range ids {
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		q.args = append(q.args, id)
		ph = append(ph, "$"+itoa(len(q.args)))
	}
	if len(ph) == 0 {
		return names, nil
	}
	err := s.read(ctx, func(db querier) error {
		pairs, err := queryAll(ctx, db, func(r scanner) ([2]string, error) {
			var p [2]string
			return p, r.Scan(&p[0], &p[1])
		}, `SELECT id, name FROM `+table+` WHERE id IN (`+strings.Join(ph, ", ")+`)`, q.args...)
		for _, p := range pairs {
			names[p[0]] = p[1]
		}
		return err
	})
	return names, err
}

func checkVersion(what, id string, stored, given int64) error {
	if given != stored {
		return domain.Fail(domain.ECONFLICT, domain.MsgStale, "What", what, "ID", id, "Read", given, "Now", stored)
	}
	return nil
}

func checkUpdated(res sql.Result, err error, what, id string) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return domain.Fail(domain.ECONFLICT, domain.MsgChangedWhileSaving, "What", what, "ID", id)
	}
	return nil
}
