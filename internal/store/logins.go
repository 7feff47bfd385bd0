package store

import (
	"context"
	"database/sql"
	"slices"
	"time"
)

// LoginCount is what one key of a login attempt counts: the attempt's id,
// how many attempts the key holds within the window with this one, and when
// the oldest of them was.
type LoginCount struct {
	ID     int64
	N      int
	Oldest time.Time
}

// AddLoginAttempts records one login attempt under each key and counts, in
// the same transaction, the attempts each key holds since the given time.
// The keys are locked first, in order (on PostgreSQL with a transaction
// lock; SQLite has one writer), so that the counts are exact under a burst
// and across instances: the n-th attempt to arrive counts n.
func (s *Store) AddLoginAttempts(ctx context.Context, keys []string, at, since time.Time) ([]LoginCount, error) {
	counts := make([]LoginCount, len(keys))
	err := s.write(ctx, func(tx *sql.Tx) error {
		if s.dialect == Postgres {
			locks := slices.Sorted(slices.Values(keys))
			for _, k := range locks {
				if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, k); err != nil {
					return err
				}
			}
		}
		for i, k := range keys {
			c := &counts[i]
			if err := tx.QueryRowContext(ctx, `INSERT INTO login_attempts (key, at) VALUES ($1, $2) RETURNING id`, k, at.UTC()).Scan(&c.ID); err != nil {
				return err
			}
			var oldest nullTime
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), MIN(at) FROM login_attempts WHERE key = $1 AND at > $2`, k, since.UTC()).Scan(&c.N, &oldest); err != nil {
				return err
			}
			if t := oldest.ptr(); t != nil {
				c.Oldest = *t
			}
		}
		return nil
	})
	return counts, err
}

// ForgetLoginAttempts removes the attempts with the given ids, and every
// attempt under the given keys; a successful login forgets its own attempt
// and the account's failures.
func (s *Store) ForgetLoginAttempts(ctx context.Context, ids []int64, keys []string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `DELETE FROM login_attempts WHERE id = $1`, id); err != nil {
				return err
			}
		}
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `DELETE FROM login_attempts WHERE key = $1`, k); err != nil {
				return err
			}
		}
		return nil
	})
}

// PruneLoginAttempts removes attempts older than before, which no limit
// counts any more.
func (s *Store) PruneLoginAttempts(ctx context.Context, before time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM login_attempts WHERE at <= $1`, before.UTC())
		return err
	})
}
