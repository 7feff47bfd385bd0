package store

import (
	"context"
	"database/sql"

	"aidbridge/internal/domain"
)

const partnershipColumns = `ps.id, ps.program_id, ps.name, ps.provider_id, ps.recipient_id, ps.status, ps.goals,
	ps.starts_on, ps.starts_precision, ps.ends_on, ps.ends_precision, ps.created_at, ps.updated_at, ps.version`

func scanPartnership(row scanner) (domain.Partnership, error) {
	var ps domain.Partnership
	sd, sp := partial{&ps.StartsOn}.targets()
	ed, ep := partial{&ps.EndsOn}.targets()
	err := row.Scan(&ps.ID, &ps.ProgramID, &ps.Name, &ps.ProviderID, &ps.RecipientID, &ps.Status, &ps.Goals,
		sd, sp, ed, ep, &ps.CreatedAt, &ps.UpdatedAt, &ps.Version)
	ps.CreatedAt, ps.UpdatedAt = ps.CreatedAt.UTC(), ps.UpdatedAt.UTC()
	ps.Participants = []domain.Participant{}
	return ps, err
}

func findPartnership(ctx context.Context, db querier, id string) (domain.Partnership, error) {
	ps, err := scanPartnership(db.QueryRowContext(ctx, `SELECT `+partnershipColumns+` FROM partnerships ps WHERE ps.id = $1`, id))
	if err == sql.ErrNoRows {
		return ps, domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "partnership", "ID", id)
	}
	if err != nil {
		return ps, err
	}
	err = withParticipants(ctx, db, []*domain.Partnership{&ps})
	return ps, err
}

// withParticipants reads the participating organizations of the
// partnerships with their roles, in the order they were given.
func withParticipants(ctx context.Context, db querier, list []*domain.Partnership) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[string]*domain.Partnership{}
	ids := make([]string, len(list))
	for i, ps := range list {
		byID[ps.ID], ids[i] = ps, ps.ID
	}
	in, args := inList("partnership_id", ids, nil)
	rows, err := queryAll(ctx, db, func(r scanner) ([3]string, error) {
		var p [3]string
		return p, r.Scan(&p[0], &p[1], &p[2])
	}, `SELECT partnership_id, organization_id, role FROM partnership_participants WHERE `+in+` ORDER BY partnership_id, position`, args...)
	for _, p := range rows {
		ps := byID[p[0]]
		n := len(ps.Participants)
		if n == 0 || ps.Participants[n-1].OrganizationID != p[1] {
			ps.Participants = append(ps.Participants, domain.Participant{OrganizationID: p[1]})
			n++
		}
		ps.Participants[n-1].Roles = append(ps.Participants[n-1].Roles, domain.ParticipantRole(p[2]))
	}
	return err
}

func writeParticipants(ctx context.Context, tx *sql.Tx, ps *domain.Partnership) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM partnership_participants WHERE partnership_id = $1`, ps.ID); err != nil {
		return err
	}
	pos := 0
	for _, pt := range ps.Participants {
		for _, r := range pt.Roles {
			if _, err := tx.ExecContext(ctx, `INSERT INTO partnership_participants (partnership_id, organization_id, role, position)
				VALUES ($1, $2, $3, $4)`, ps.ID, pt.OrganizationID, r, pos); err != nil {
				return err
			}
			pos++
		}
	}
	return nil
}

// checkPartnershipRefs refuses a program or organizations that do not exist.
func checkPartnershipRefs(ctx context.Context, tx *sql.Tx, ps *domain.Partnership) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM programs WHERE id = $1`, ps.ProgramID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return invalidField("partnership", "program_id", domain.MsgNoSuchProgram, "ID", ps.ProgramID)
	}
	if err := checkOrganizations(ctx, tx, "partnership", "provider_id", ps.ProviderID); err != nil {
		return err
	}
	if err := checkOrganizations(ctx, tx, "partnership", "recipient_id", ps.RecipientID); err != nil {
		return err
	}
	for i, pt := range ps.Participants {
		if err := checkOrganizations(ctx, tx, "partnership", "participants["+itoa(i)+"].organization_id", pt.OrganizationID); err != nil {
			return err
		}
	}
	return nil
}

// FindPartnership returns the partnership with the given id and its
// participants; ENOTFOUND when there is none.
func (s *Store) FindPartnership(ctx context.Context, id string) (domain.Partnership, error) {
	var ps domain.Partnership
	err := s.read(ctx, func(db querier) error {
		var err error
		ps, err = findPartnership(ctx, db, id)
		return err
	})
	return ps, err
}

// CreatePartnership validates ps, stores it with a new id and audits it. A
// new partnership may start in any status. EINVALID when ps is not valid
// or names a program or organization that does not exist.
func (s *Store) CreatePartnership(ctx context.Context, by Actor, ps *domain.Partnership) error {
	if ps.Participants == nil {
		ps.Participants = []domain.Participant{}
	}
	if err := ps.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := checkPartnershipRefs(ctx, tx, ps); err != nil {
			return err
		}
		ps.ID = newID()
		ps.CreatedAt, ps.UpdatedAt, ps.Version = s.now(), s.now(), 1
		sd, sp := partialArgs(ps.StartsOn)
		ed, ep := partialArgs(ps.EndsOn)
		if _, err := tx.ExecContext(ctx, `INSERT INTO partnerships (id, program_id, name, provider_id, recipient_id, status, goals,
			starts_on, starts_precision, ends_on, ends_precision, created_at, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			ps.ID, ps.ProgramID, ps.Name, ps.ProviderID, ps.RecipientID, ps.Status, ps.Goals, sd, sp, ed, ep,
			ps.CreatedAt, ps.UpdatedAt, ps.Version); err != nil {
			return err
		}
		if err := writeParticipants(ctx, tx, ps); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, ps.ProviderID, "partnership", ps.ID, "create", nil, ps)
	})
}

// UpdatePartnership stores ps over the partnership with ps.ID at version
// ps.Version. ECONFLICT when the version is stale or the status may not
// move from the stored one to the new one (domain.PartnershipTransitions).
func (s *Store) UpdatePartnership(ctx context.Context, by Actor, ps *domain.Partnership) error {
	if ps.Participants == nil {
		ps.Participants = []domain.Participant{}
	}
	if err := ps.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := findPartnership(ctx, tx, ps.ID)
		if err != nil {
			return err
		}
		if err := checkVersion("partnership", ps.ID, before.Version, ps.Version); err != nil {
			return err
		}
		if err := before.Status.Transition(ps.ID, ps.Status); err != nil {
			return err
		}
		if err := checkPartnershipRefs(ctx, tx, ps); err != nil {
			return err
		}
		ps.CreatedAt, ps.UpdatedAt, ps.Version = before.CreatedAt, s.now(), before.Version+1
		sd, sp := partialArgs(ps.StartsOn)
		ed, ep := partialArgs(ps.EndsOn)
		res, err := tx.ExecContext(ctx, `UPDATE partnerships SET program_id = $1, name = $2, provider_id = $3, recipient_id = $4, status = $5,
			goals = $6, starts_on = $7, starts_precision = $8, ends_on = $9, ends_precision = $10, updated_at = $11, version = $12
			WHERE id = $13 AND version = $14`,
			ps.ProgramID, ps.Name, ps.ProviderID, ps.RecipientID, ps.Status, ps.Goals, sd, sp, ed, ep, ps.UpdatedAt, ps.Version, ps.ID, before.Version)
		if err := checkUpdated(res, err, "partnership", ps.ID); err != nil {
			return err
		}
		if err := writeParticipants(ctx, tx, ps); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, ps.ProviderID, "partnership", ps.ID, "update", before, ps)
	})
}

// DeletePartnership removes the partnership with id at version; ECONFLICT
// when it is stale or commitments are made to it.
func (s *Store) DeletePartnership(ctx context.Context, by Actor, id string, version int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := findPartnership(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkVersion("partnership", id, before.Version, version); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM commitments WHERE partnership_id = $1`, id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return domain.Fail(domain.ECONFLICT, domain.MsgPartnershipInUse, "Name", before.Name, "Count", n)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM partnerships WHERE id = $1`, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, before.ProviderID, "partnership", id, "delete", before, nil)
	})
}

// ListPartnerships returns a page of partnerships ordered by name and the
// next cursor.
func (s *Store) ListPartnerships(ctx context.Context, f domain.PartnershipFilter) ([]domain.Partnership, string, error) {
	cur, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	var q query
	if f.Query != "" {
		q.add(`lower(ps.name) LIKE ? ESCAPE '\'`, likePattern(f.Query))
	}
	if f.ProgramID != "" {
		q.add("ps.program_id = ?", f.ProgramID)
	}
	if f.OrganizationID != "" {
		q.add(`(ps.provider_id = ? OR ps.recipient_id = ? OR EXISTS (SELECT 1 FROM partnership_participants pp
			WHERE pp.partnership_id = ps.id AND pp.organization_id = ?))`, f.OrganizationID, f.OrganizationID, f.OrganizationID)
	}
	if f.Status != "" {
		q.add("ps.status = ?", f.Status)
	}
	if f.Kind != "" {
		q.add("EXISTS (SELECT 1 FROM programs pr WHERE pr.id = ps.program_id AND pr.kind = ?)", f.Kind)
	}
	q.page("ps.name", "ps.id", cur)
	limit := clampLimit(f.Limit)
	var out []domain.Partnership
	err = s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, scanPartnership, `SELECT `+partnershipColumns+` FROM partnerships ps`+q.clause()+` ORDER BY ps.name, ps.id LIMIT `+itoa(limit+1), q.args...)
		if err != nil {
			return err
		}
		ptrs := make([]*domain.Partnership, len(out))
		for i := range out {
			ptrs[i] = &out[i]
		}
		return withParticipants(ctx, db, ptrs)
	})
	if err != nil {
		return nil, "", err
	}
	out, next := pageOf(out, limit, func(x domain.Partnership) (string, string) { return x.Name, x.ID })
	return out, next, nil
}
