package store

import (
	"context"
	"database/sql"
	"slices"
	"sync"
	"time"

	"aidbridge/internal/domain"
)

// TokenCacheTTL is how long a store answers for an API token or a session
// from memory. A change made through this store (a revoked token, a session
// ended, changed memberships) drops what it remembers at once; a change made by another instance on the
// same database is seen here within TokenCacheTTL at worst.
const TokenCacheTTL = 5 * time.Second

// tokenCacheSize bounds the tokens and sessions a store remembers.
const tokenCacheSize = 10000

// tokenCache remembers the users of API tokens and sessions by the hashes of
// their secrets. Every
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

// credentialUserQuery reads the user a credential stands for (an API token
// or a session, both kept by the hash of their secret) with the user's
// memberships in one statement: one row per membership, or one row with NULL
// membership columns for a user without any. The last column is when the
// credential expires, NULL when it does not.
func credentialUserQuery(table, expires, valid string) string {
	return `SELECT u.id, u.email, u.name, u.site_admin, u.created_at, u.updated_at, u.version,
	m.organization_id, o.name, m.role, m.department_id, ` + expires + `
	FROM ` + table + ` t JOIN users u ON u.id = t.user_id
	LEFT JOIN memberships m ON m.user_id = u.id
	LEFT JOIN organizations o ON o.id = m.organization_id
	WHERE t.token_hash = $1 AND ` + valid + `
	ORDER BY o.name, m.role`
}

var (
	tokenUserQuery   = credentialUserQuery("api_tokens", "NULL", "t.revoked_at IS NULL")
	sessionUserQuery = credentialUserQuery("sessions", "t.expires_at", "t.expires_at > $2")
)

// findCredentialUser runs one of the credential queries; missing is the
// error when it finds no user.
func findCredentialUser(ctx context.Context, db querier, missing error, query string, args ...any) (domain.User, sql.NullTime, error) {
	var u domain.User
	var expires sql.NullTime
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return u, expires, err
	}
	defer rows.Close()
	found := false
	u.Memberships = []domain.Membership{}
	for rows.Next() {
		var org, orgName, role, dept sql.NullString
		if err := rows.Scan(&u.ID, &u.Email, &u.Name, &u.SiteAdmin, &u.CreatedAt, &u.UpdatedAt, &u.Version,
			&org, &orgName, &role, &dept, &expires); err != nil {
			return u, expires, err
		}
		found = true
		if org.Valid {
			u.Memberships = append(u.Memberships, domain.Membership{OrganizationID: org.String,
				OrganizationName: orgName.String, Role: domain.Role(role.String), DepartmentID: dept.String})
		}
	}
	if err := rows.Err(); err != nil {
		return u, expires, err
	}
	if !found {
		return domain.User{}, expires, missing
	}
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return u, expires, nil
}

// cachedUser returns the user a credential stands for from the cache, or
// reads it with query and remembers it for TokenCacheTTL, never past the
// credential's own expiry.
func (s *Store) cachedUser(ctx context.Context, key string, missing error, query string, args ...any) (domain.User, error) {
	now := s.now()
	u, ok, gen := s.tokens.get(key, now)
	if ok {
		return u, nil
	}
	var expires sql.NullTime
	err := s.readHot(ctx, func(db querier) error {
		var err error
		u, expires, err = findCredentialUser(ctx, db, missing, query, args...)
		return err
	})
	if err != nil {
		return u, err
	}
	until := now.Add(TokenCacheTTL)
	if expires.Valid && expires.Time.Before(until) {
		until = expires.Time
	}
	s.tokens.put(key, u, gen, now, until)
	return u, nil
}

// FindTokenUser returns the user owning the unrevoked token with the given
// hash, and notes its use; EUNAUTHORIZED when there is none. The user is
// remembered for TokenCacheTTL (see there for what that means for changes).
func (s *Store) FindTokenUser(ctx context.Context, tokenHash string) (domain.User, error) {
	u, err := s.cachedUser(ctx, "token "+tokenHash, domain.Errorf(domain.EUNAUTHORIZED, "the API token is unknown or revoked"),
		tokenUserQuery, tokenHash)
	if err != nil {
		return u, err
	}
	now := s.now()
	// Note the use at most once a minute per instance, so that reads stay
	// reads and SQLite's writer is not taken on every request.
	if last, ok := s.tokenUses.Load(tokenHash); ok && now.Sub(last.(time.Time)) < time.Minute {
		return u, nil
	}
	s.tokenUses.Store(tokenHash, now)
	_, err = s.db.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2 AND (last_used_at IS NULL OR last_used_at < $3)`,
		now, tokenHash, now.Add(-time.Minute))
	return u, s.count(mapError(err))
}
