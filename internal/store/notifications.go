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

// notifyUser tells one user what happened, in the transaction of the
// change: a notification about organization org that only that user sees.
func (s *Store) notifyUser(ctx context.Context, tx *sql.Tx, user, org, kind, entityType, entityID string, quantity int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO notifications (at, organization_id, user_id, kind, entity_type, entity_id, actor_org_id, quantity)
		VALUES ($1, $2, $3, $4, $5, $6, '', $7)`, s.now(), org, user, kind, entityType, entityID, quantity)
	return err
}

// recipients returns the condition that a notification n is for the user
// whose id is the first of args (already in args): one to the user's
// organizations for all their members, or one to the user alone. It
// numbers the organizations' parameters after args.
func recipients(orgs []string, args []any) (string, []any) {
	in, args := inList("n.organization_id", orgs, args)
	return "((n.user_id IS NULL AND " + in + ") OR n.user_id = $1)", args
}

// A notification is unread by a user while it is newer than what they marked
// read and they have not opened its record since.

// unreadSQL holds for the notification n that the user whose id is the
// parameter user has not read.
func unreadSQL(user string) string {
	return `n.id > COALESCE((SELECT r.last_read_id FROM notification_reads r WHERE r.user_id = ` + user + `), 0)
		AND NOT EXISTS (SELECT 1 FROM notification_opens op WHERE op.user_id = ` + user + ` AND op.notification_id = n.id)`
}

// inList returns "col IN ($k, ...)" for the values, numbering the
// parameters after those already in args, and the args with the values.
func inList(col string, values []string, args []any) (string, []any) {
	ph := make([]string, len(values))
	for i, v := range values {
		args = append(args, v)
		ph[i] = "$" + itoa(len(args))
	}
	return col + " IN (" + strings.Join(ph, ", ") + ")", args
}

// Shipments carry items on their lines' pledges. These read, for the
// shipment whose id is in col, its items' count, the item when there is one
// (the smallest id otherwise, which the joins leave out), and the quantity
// shipped.
func shipmentItemKindsSQL(col string) string {
	return `(SELECT COUNT(DISTINCT sp.item_id) FROM shipment_lines sl JOIN pledges sp ON sp.id = sl.pledge_id WHERE sl.shipment_id = ` + col + `)`
}

func shipmentItemSQL(col string) string {
	return `(SELECT MIN(sp.item_id) FROM shipment_lines sl JOIN pledges sp ON sp.id = sl.pledge_id WHERE sl.shipment_id = ` + col + `)`
}

func shipmentQuantitySQL(col string) string {
	return `(SELECT CAST(COALESCE(SUM(sl.quantity), 0) AS BIGINT) FROM shipment_lines sl WHERE sl.shipment_id = ` + col + `)`
}

// noteQuery reads notifications with the names their sentences need. base
// selects the notifications n (n.* and the columns unread and total) in
// their order, at most a page of them; the items of their records are looked
// up for those rows only, and the names joined after.
func noteQuery(base string) string {
	return `SELECT x.id, x.at, x.organization_id, COALESCE(o.name, ''), x.kind, x.entity_type, x.entity_id, x.actor_org_id,
		COALESCE(a.name, ''), x.quantity, COALESCE(i.id, ''), COALESCE(i.name, ''), COALESCE(i.unit, ''), x.item_kinds, x.unread, x.total
	FROM (SELECT y.*,
			CASE y.entity_type WHEN 'need' THEN (SELECT nd.item_id FROM needs nd WHERE nd.id = y.entity_id)
				WHEN 'shipment' THEN ` + shipmentItemSQL("y.entity_id") + ` END AS item_id,
			CASE y.entity_type WHEN 'shipment' THEN ` + shipmentItemKindsSQL("y.entity_id") + ` ELSE 1 END AS item_kinds
		FROM (` + base + `) y) x
	LEFT JOIN organizations o ON o.id = x.organization_id
	LEFT JOIN organizations a ON a.id = x.actor_org_id
	LEFT JOIN items i ON i.id = x.item_id AND x.item_kinds = 1
	ORDER BY x.id DESC`
}

// scanNote reads a row of noteQuery and its total.
func scanNote(row scanner) (domain.Notification, int, error) {
	var n domain.Notification
	var unread, total int
	err := row.Scan(&n.ID, &n.At, &n.OrganizationID, &n.OrganizationName, &n.Kind, &n.EntityType, &n.EntityID, &n.ActorOrgID,
		&n.ActorOrgName, &n.Quantity, &n.ItemID, &n.ItemName, &n.ItemUnit, &n.ItemKinds, &unread, &total)
	n.At, n.Unread = n.At.UTC(), unread == 1
	return n, total, err
}

// queryNotes runs noteQuery(base) and returns its notifications and the
// total its base counted.
func queryNotes(ctx context.Context, db querier, base string, args []any) ([]domain.Notification, int, error) {
	total := 0
	out, err := queryAll(ctx, db, func(row scanner) (domain.Notification, error) {
		n, t, err := scanNote(row)
		total = t
		return n, err
	}, noteQuery(base), args...)
	return out, total, err
}

// ListNotifications returns the newest notifications of the given
// organizations, each marked unread unless the user read it, with its
// organizations' names and its item, and the number of unread ones.
func (s *Store) ListNotifications(ctx context.Context, userID string, orgs []string, limit int) ([]domain.Notification, int, error) {
	out := []domain.Notification{}
	unread := 0
	if len(orgs) == 0 {
		return out, 0, nil
	}
	in, args := recipients(orgs, []any{userID})
	base := `SELECT n.*, CASE WHEN ` + unreadSQL("$1") + ` THEN 1 ELSE 0 END AS unread, 0 AS total
		FROM notifications n WHERE ` + in + ` ORDER BY n.id DESC LIMIT ` + itoa(clampLimit(limit))
	err := s.read(ctx, func(db querier) error {
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications n WHERE `+in+` AND `+unreadSQL("$1"), args...).Scan(&unread); err != nil {
			return err
		}
		var err error
		out, _, err = queryNotes(ctx, db, base, args)
		return err
	})
	return out, unread, err
}

// CountUnreadNotifications returns how many notifications of the given
// organizations the user has not read.
func (s *Store) CountUnreadNotifications(ctx context.Context, userID string, orgs []string) (int, error) {
	if len(orgs) == 0 {
		return 0, nil
	}
	in, args := recipients(orgs, []any{userID})
	n := 0
	// readHot: every page counts the unread notifications of its viewer.
	err := s.readHot(ctx, func(db querier) error {
		return db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications n WHERE `+in+` AND `+unreadSQL("$1"), args...).Scan(&n)
	})
	return n, err
}

// UnreadNotifications returns the newest notifications of the given
// organizations that the user has not read, at most limit, and how many
// are unread in all, in one query.
func (s *Store) UnreadNotifications(ctx context.Context, userID string, orgs []string, limit int) ([]domain.Notification, int, error) {
	if len(orgs) == 0 {
		return []domain.Notification{}, 0, nil
	}
	in, args := recipients(orgs, []any{userID})
	base := `SELECT n.*, 1 AS unread, COUNT(*) OVER () AS total FROM notifications n
		WHERE ` + in + ` AND ` + unreadSQL("$1") + ` ORDER BY n.id DESC LIMIT ` + itoa(clampLimit(limit))
	var out []domain.Notification
	total := 0
	err := s.read(ctx, func(db querier) error {
		var err error
		out, total, err = queryNotes(ctx, db, base, args)
		return err
	})
	return out, total, err
}

// MarkNotificationsRead records that the user has read every notification up
// to and including id; what they opened up to there needs no row of its own
// any more.
func (s *Store) MarkNotificationsRead(ctx context.Context, userID string, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO notification_reads (user_id, last_read_id) VALUES ($1, $2)
			ON CONFLICT (user_id) DO UPDATE SET last_read_id = CASE WHEN notification_reads.last_read_id > $2 THEN notification_reads.last_read_id ELSE $2 END`,
			userID, id)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM notification_opens WHERE user_id = $1 AND notification_id <= $2`, userID, id)
		return err
	})
}

// MarkNotificationsOpened records that the user opened the record
// (entityType, entityID): its unread notifications to the given
// organizations become read. Most records opened have none; a read finds
// out first, so that opening a page takes the write lock only when there
// is something to mark.
func (s *Store) MarkNotificationsOpened(ctx context.Context, userID string, orgs []string, entityType, entityID string) error {
	if len(orgs) == 0 {
		return nil
	}
	in, args := recipients(orgs, []any{userID, entityType, entityID})
	where := `n.entity_id = $3 AND n.entity_type = $2 AND ` + in + ` AND ` + unreadSQL("$1")
	var pending bool
	err := s.read(ctx, func(db querier) error {
		return db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM notifications n WHERE `+where+`)`, args...).Scan(&pending)
	})
	if err != nil || !pending {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO notification_opens (user_id, notification_id)
			SELECT $1, n.id FROM notifications n WHERE `+where+` ON CONFLICT DO NOTHING`, args...)
		return err
	})
}
