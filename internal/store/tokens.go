package store

import (
	"context"
	"database/sql"
	"slices"
	"sync"
	"time"

	"aidbridge/internal/domain"
)

// TokenCacheTTL is how long a store answers for an API token from memory.
// A change made through this store (a revoked token, changed memberships)
// drops what it remembers at once; a change made by another instance on the
// same database is seen here within TokenCacheTTL at worst.
const TokenCacheTTL = 5 * time.Second

// tokenCacheSize bounds the tokens a store remembers.
const tokenCacheSize = 10000

// tokenCache remembers the users of API tokens by the tokens' hashes. Every
// change that can affect a token's user forgets everything and moves to a
// new generation; a read that began in an older generation is not kept, so
// that a user read before a change cannot be remembered after it.
type tokenCache struct {
	mu      sync.Mutex
	max     int
	gen     uint64
	entries map[string]tokenEntry
}

type tokenEntry struct {
	user  domain.User
	until time.Time
}

func newTokenCache(max int) tokenCache {
	return tokenCache{max: max, entries: map[string]tokenEntry{}}
}

// get returns the remembered user of the token with hash, if it is still
// fresh at now, and the generation to pass to put after reading it.
func (c *tokenCache) get(hash string, now time.Time) (domain.User, bool, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if !ok || !now.Before(e.until) {
		return domain.User{}, false, c.gen
	}
	return cloneUser(e.user), true, c.gen
}

// put remembers u as the user of the token with hash until until, unless
// something changed since generation gen was handed out.
func (c *tokenCache) put(hash string, u domain.User, gen uint64, now, until time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if _, ok := c.entries[hash]; !ok && len(c.entries) >= c.max {
		for h, e := range c.entries {
			if !now.Before(e.until) {
				delete(c.entries, h)
			}
		}
		for h := range c.entries {
			if len(c.entries) < c.max {
				break
			}
			delete(c.entries, h)
		}
	}
	c.entries[hash] = tokenEntry{user: cloneUser(u), until: until}
}

// forget drops every remembered token and starts a new generation.
func (c *tokenCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
}

// cloneUser copies u so that callers cannot change what the cache holds.
func cloneUser(u domain.User) domain.User {
	u.Memberships = slices.Clone(u.Memberships)
	return u
}

// writeAccess runs fn as write does, then forgets the remembered users of
// tokens: for writes that can change what a token lets its user do. It
// forgets after the commit, so that no read can remember the state before.
func (s *Store) writeAccess(ctx context.Context, fn func(tx *sql.Tx) error) error {
	defer s.tokens.forget()
	return s.write(ctx, fn)
}

// tokenUserQuery reads the user of an unrevoked token with the user's
// memberships in one statement: one row per membership, or one row with
// NULL membership columns for a user without any.
const tokenUserQuery = `SELECT u.id, u.email, u.name, u.site_admin, u.created_at, u.updated_at, u.version,
	m.organization_id, o.name, m.role, m.department_id
	FROM api_tokens t JOIN users u ON u.id = t.user_id
	LEFT JOIN memberships m ON m.user_id = u.id
	LEFT JOIN organizations o ON o.id = m.organization_id
	WHERE t.token_hash = $1 AND t.revoked_at IS NULL
	ORDER BY o.name, m.role`

// findTokenUser reads the user of the unrevoked token with hash;
// EUNAUTHORIZED when there is none.
func findTokenUser(ctx context.Context, db querier, tokenHash string) (domain.User, error) {
	var u domain.User
	rows, err := db.QueryContext(ctx, tokenUserQuery, tokenHash)
	if err != nil {
		return u, err
	}
	defer rows.Close()
	found := false
	u.Memberships = []domain.Membership{}
	for rows.Next() {
		var org, orgName, role, dept sql.NullString
		if err := rows.Scan(&u.ID, &u.Email, &u.Name, &u.SiteAdmin, &u.CreatedAt, &u.UpdatedAt, &u.Version,
			&org, &orgName, &role, &dept); err != nil {
			return u, err
		}
		found = true
		if org.Valid {
			u.Memberships = append(u.Memberships, domain.Membership{OrganizationID: org.String,
				OrganizationName: orgName.String, Role: domain.Role(role.String), DepartmentID: dept.String})
		}
	}
	if err := rows.Err(); err != nil {
		return u, err
	}
	if !found {
		return domain.User{}, domain.Errorf(domain.EUNAUTHORIZED, "the API token is unknown or revoked")
	}
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return u, nil
}

// FindTokenUser returns the user owning the unrevoked token with the given
// hash, and notes its use; EUNAUTHORIZED when there is none. The user is
// remembered for TokenCacheTTL (see there for what that means for changes).
func (s *Store) FindTokenUser(ctx context.Context, tokenHash string) (domain.User, error) {
	now := s.now()
	u, ok, gen := s.tokens.get(tokenHash, now)
	if !ok {
		err := s.readHot(ctx, func(db querier) error {
			var err error
			u, err = findTokenUser(ctx, db, tokenHash)
			return err
		})
		if err != nil {
			return u, err
		}
		s.tokens.put(tokenHash, u, gen, now, now.Add(TokenCacheTTL))
	}
	// Note the use at most once a minute per instance, so that reads stay
	// reads and SQLite's writer is not taken on every request.
	if last, ok := s.tokenUses.Load(tokenHash); ok && now.Sub(last.(time.Time)) < time.Minute {
		return u, nil
	}
	s.tokenUses.Store(tokenHash, now)
	_, err := s.db.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2 AND (last_used_at IS NULL OR last_used_at < $3)`,
		now, tokenHash, now.Add(-time.Minute))
	return u, s.count(mapError(err))
}
