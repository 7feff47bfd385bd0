package store

import (
	"context"
	"database/sql"
	"strings"

	"aidbridge/internal/domain"
)

// notify tells organization org what happened, in the transaction of the change.
func (s *Store) notify(ctx context.Context, tx *sql.Tx, org, kind, entityType, entityID, actorOrg string, quantity int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO notifications (at, organization_id, kind, entity_type, entity_id, actor_org_id, quantity)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, s.now(), org, kind, entityType, entityID, actorOrg, quantity)
	return err
}

// ListNotifications returns the newest notifications of the given
// organizations, each marked unread when newer than what the user last read,
// and the number of unread ones.
func (s *Store) ListNotifications(ctx context.Context, userID string, orgs []string, limit int) ([]domain.Notification, int, error) {
	out := []domain.Notification{}
	unread := 0
	if len(orgs) == 0 {
		return out, 0, nil
	}
	var q query
	ph := make([]string, len(orgs))
	for i, o := range orgs {
		q.args = append(q.args, o)
		ph[i] = "$" + itoa(i+1)
	}
	in := "organization_id IN (" + strings.Join(ph, ", ") + ")"
	err := s.read(ctx, func(tx querier) error {
		var last int64
		err := tx.QueryRowContext(ctx, `SELECT last_read_id FROM notification_reads WHERE user_id = $1`, userID).Scan(&last)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		args := append(append([]any{}, q.args...), last)
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE `+in+` AND id > $`+itoa(len(orgs)+1), args...).Scan(&unread); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, at, organization_id, kind, entity_type, entity_id, actor_org_id, quantity
			FROM notifications WHERE `+in+` ORDER BY id DESC LIMIT `+itoa(clampLimit(limit)), q.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var n domain.Notification
			if err := rows.Scan(&n.ID, &n.At, &n.OrganizationID, &n.Kind, &n.EntityType, &n.EntityID, &n.ActorOrgID, &n.Quantity); err != nil {
				return err
			}
			n.At, n.Unread = n.At.UTC(), n.ID > last
			out = append(out, n)
		}
		return rows.Err()
	})
	return out, unread, err
}

// MarkNotificationsRead records that the user has read every notification up
// to and including id.
func (s *Store) MarkNotificationsRead(ctx context.Context, userID string, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO notification_reads (user_id, last_read_id) VALUES ($1, $2)
			ON CONFLICT (user_id) DO UPDATE SET last_read_id = CASE WHEN notification_reads.last_read_id > $2 THEN notification_reads.last_read_id ELSE $2 END`,
			userID, id)
		return err
	})
}
