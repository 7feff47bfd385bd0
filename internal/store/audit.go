package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"aidbridge/internal/domain"
)

// Actor says who makes a change; audit entries name them.
type Actor struct {
	UserID string
}

// audit records a change in the same transaction as the change. before and
// after are records (or nil) and are kept as JSON objects.
func (s *Store) audit(ctx context.Context, tx *sql.Tx, by Actor, orgID, entityType, entityID, action string, before, after any) error {
	b, err := auditJSON(before)
	if err != nil {
		return err
	}
	a, err := auditJSON(after)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (at, user_id, organization_id, entity_type, entity_id, action, before_json, after_json)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, s.now(), by.UserID, orgID, entityType, entityID, action, b, a)
	return err
}

// auditJSON encodes a record without its meta fields, which change on every
// write and say nothing of the change itself.
func auditJSON(v any) (sql.NullString, error) {
	if v == nil {
		return sql.NullString{}, nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return sql.NullString{}, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return sql.NullString{}, err
	}
	for _, k := range []string{"id", "created_at", "updated_at", "version", "personal_hidden"} {
		delete(m, k)
	}
	raw, err = json.Marshal(m)
	return sql.NullString{String: string(raw), Valid: true}, err
}

// ListAudit returns audit entries, newest first, and the id to pass as
// BeforeID for the next page (0 when there is none).
func (s *Store) ListAudit(ctx context.Context, f domain.AuditFilter) ([]domain.AuditEntry, int64, error) {
	var qb query
	if f.EntityType != "" {
		qb.add("a.entity_type = ?", f.EntityType)
	}
	if f.EntityID != "" {
		qb.add("a.entity_id = ?", f.EntityID)
	}
	if f.OrganizationID != "" {
		qb.add("a.organization_id = ?", f.OrganizationID)
	}
	if f.BeforeID > 0 {
		qb.add("a.id < ?", f.BeforeID)
	}
	limit := clampLimit(f.Limit)
	q := `SELECT a.id, a.at, a.user_id, COALESCE(u.name, ''), a.organization_id, a.entity_type, a.entity_id, a.action,
		a.before_json, a.after_json
		FROM audit_log a LEFT JOIN users u ON u.id = a.user_id`
	q += qb.clause()
	q += " ORDER BY a.id DESC LIMIT " + itoa(limit+1)
	var out []domain.AuditEntry
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, q, qb.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e domain.AuditEntry
			var before, after sql.NullString
			if err := rows.Scan(&e.ID, &e.At, &e.UserID, &e.UserName, &e.OrganizationID, &e.EntityType, &e.EntityID, &e.Action, &before, &after); err != nil {
				return err
			}
			if err := unmarshalNull(before, &e.Before); err != nil {
				return err
			}
			if err := unmarshalNull(after, &e.After); err != nil {
				return err
			}
			e.At = e.At.UTC()
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, err
	}
	var next int64
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].ID
	}
	return out, next, nil
}

func unmarshalNull(s sql.NullString, v any) error {
	if !s.Valid {
		return nil
	}
	return json.Unmarshal([]byte(s.String), v)
}
