package store

import (
	"context"
	"database/sql"
	"time"
)

// AddLoginAttempts records one login attempt under each key, committed at
// once, and returns their ids. Counting after the commit (LoginAttempts)
// makes the limits exact under a burst: the n-th attempt to commit sees at
// least n, on both databases and across instances.
func (s *Store) AddLoginAttempts(ctx context.Context, keys []string, at time.Time) ([]int64, error) {
	ids := make([]int64, 0, len(keys))
	err := s.write(ctx, func(tx *sql.Tx) error {
		ids = ids[:0]
		for _, k := range keys {
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO login_attempts (key, at) VALUES ($1, $2) RETURNING id`, k, at.UTC()).Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	return ids, err
}

// LoginAttempts returns how many attempts key holds since the given time and
// when the oldest of them was (the zero time when there is none).
func (s *Store) LoginAttempts(ctx context.Context, key string, since time.Time) (int, time.Time, error) {
	var n int
	var oldest nullTime
	err := s.read(ctx, func(db querier) error {
		return db.QueryRowContext(ctx, `SELECT COUNT(*), MIN(at) FROM login_attempts WHERE key = $1 AND at > $2`, key, since.UTC()).Scan(&n, &oldest)
	})
	if t := oldest.ptr(); t != nil {
		return n, *t, err
	}
	return n, time.Time{}, err
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
