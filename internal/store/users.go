package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"aidbridge/internal/domain"
)

func findUser(ctx context.Context, db querier, where string, args ...any) (domain.User, string, error) {
	var u domain.User
	var hash string
	err := db.QueryRowContext(ctx, `SELECT id, email, name, password_hash, site_admin, created_at, updated_at, version
		FROM users WHERE `+where, args...).Scan(&u.ID, &u.Email, &u.Name, &hash, &u.SiteAdmin, &u.CreatedAt, &u.UpdatedAt, &u.Version)
	if err == sql.ErrNoRows {
		return u, "", domain.Errorf(domain.ENOTFOUND, "user not found")
	}
	if err != nil {
		return u, "", err
	}
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	u.Memberships, err = findMemberships(ctx, db, u.ID)
	return u, hash, err
}

func findMemberships(ctx context.Context, db querier, userID string) ([]domain.Membership, error) {
	rows, err := db.QueryContext(ctx, `SELECT m.organization_id, o.name, m.role, m.department_id FROM memberships m
		JOIN organizations o ON o.id = m.organization_id WHERE m.user_id = $1 ORDER BY o.name, m.role`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Membership{}
	for rows.Next() {
		var m domain.Membership
		if err := rows.Scan(&m.OrganizationID, &m.OrganizationName, &m.Role, &m.DepartmentID); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// FindUser returns the user with the given id and memberships.
func (s *Store) FindUser(ctx context.Context, id string) (domain.User, error) {
	var u domain.User
	err := s.read(ctx, func(db querier) error {
		var err error
		u, _, err = findUser(ctx, db, "id = $1", id)
		return err
	})
	return u, err
}

// FindUserByEmail returns the user with the given email (any case) and the
// stored password hash; ENOTFOUND when there is none.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (domain.User, string, error) {
	var u domain.User
	var hash string
	err := s.read(ctx, func(db querier) error {
		var err error
		u, hash, err = findUser(ctx, db, "email = $1", strings.ToLower(email))
		return err
	})
	return u, hash, err
}

// CreateUser stores a new user with the given password hash and memberships.
// ECONFLICT when the email is taken; EINVALID when a membership names an
// organization or department that does not exist.
func (s *Store) CreateUser(ctx context.Context, by Actor, u *domain.User, passwordHash string) error {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	if u.Memberships == nil {
		u.Memberships = []domain.Membership{}
	}
	if err := u.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		u.ID = newID()
		u.CreatedAt, u.UpdatedAt, u.Version = s.now(), s.now(), 1
		if _, err := tx.ExecContext(ctx, `INSERT INTO users (id, email, name, password_hash, site_admin, created_at, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, u.ID, u.Email, u.Name, passwordHash, u.SiteAdmin, u.CreatedAt, u.UpdatedAt, u.Version); err != nil {
			return err
		}
		if err := writeMemberships(ctx, tx, u); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, "", "user", u.ID, "create", nil, u)
	})
}

// SetMemberships replaces the memberships of the user with u.ID by
// u.Memberships, at version u.Version.
func (s *Store) SetMemberships(ctx context.Context, by Actor, u *domain.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		before, _, err := findUser(ctx, tx, "id = $1", u.ID)
		if err != nil {
			return err
		}
		if err := checkVersion("user", u.ID, before.Version, u.Version); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM memberships WHERE user_id = $1`, u.ID); err != nil {
			return err
		}
		if err := writeMemberships(ctx, tx, u); err != nil {
			return err
		}
		u.UpdatedAt, u.Version = s.now(), before.Version+1
		res, err := tx.ExecContext(ctx, `UPDATE users SET updated_at = $1, version = $2 WHERE id = $3 AND version = $4`,
			u.UpdatedAt, u.Version, u.ID, before.Version)
		if err := checkUpdated(res, err, "user", u.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, "", "user", u.ID, "update", before, u)
	})
}

func writeMemberships(ctx context.Context, tx *sql.Tx, u *domain.User) error {
	for i, m := range u.Memberships {
		field := "memberships[" + itoa(i) + "]"
		o, err := findOrganization(ctx, tx, m.OrganizationID)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return invalidField("user", field+".organization_id", domain.MsgNoSuchOrganization, "ID", m.OrganizationID)
		}
		if err != nil {
			return err
		}
		u.Memberships[i].OrganizationName = o.Name
		if m.DepartmentID != "" {
			d, err := findDepartment(ctx, tx, m.DepartmentID)
			if domain.ErrorCode(err) == domain.ENOTFOUND || (err == nil && d.OrganizationID != m.OrganizationID) {
				return invalidField("user", field+".department_id", domain.MsgNotOwnDepartment, "ID", m.DepartmentID)
			}
			if err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (user_id, organization_id, role, department_id) VALUES ($1, $2, $3, $4)`,
			u.ID, m.OrganizationID, m.Role, m.DepartmentID); err != nil {
			return err
		}
	}
	return nil
}

// SetPassword replaces the password hash of the user with id and ends all
// of the user's sessions but the one with keepSession's hash ("" for none),
// in the same transaction: whoever knew the old password is out.
func (s *Store) SetPassword(ctx context.Context, by Actor, id, passwordHash, keepSession string) error {
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2, version = version + 1 WHERE id = $3`, passwordHash, s.now(), id)
		if err := checkUpdated(res, err, "user", id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, id, keepSession); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, "", "user", id, "password", nil, map[string]any{"password": "changed"})
	})
}

// DeleteUserSessions ends every session of the user with id but the one
// with keepSession's hash ("" for none), and returns how many it ended.
func (s *Store) DeleteUserSessions(ctx context.Context, id, keepSession string) (int64, error) {
	var n int64
	err := s.writeAccess(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, id, keepSession)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// CountUsers returns how many users there are.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.read(ctx, func(db querier) error {
		return db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	})
	return n, err
}

// CreateSession records a login session by the hash of its secret.
func (s *Store) CreateSession(ctx context.Context, userID, tokenHash string, expires time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			tokenHash, userID, s.now(), expires.UTC())
		return err
	})
}

// FindSessionUser returns the user of the unexpired session with the given
// hash; EUNAUTHORIZED when there is none. Like a token's, the user is
// remembered for TokenCacheTTL at most, and never past the session's end.
func (s *Store) FindSessionUser(ctx context.Context, tokenHash string) (domain.User, error) {
	return s.cachedUser(ctx, "session "+tokenHash, domain.Errorf(domain.EUNAUTHORIZED, "your session has ended: log in again"),
		sessionUserQuery, tokenHash, s.now())
}

// DeleteSession ends the session with the given hash, and any expired ones.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1 OR expires_at <= $2`, tokenHash, s.now())
		return err
	})
}

// CreateAPIToken records a token by the hash of its secret.
func (s *Store) CreateAPIToken(ctx context.Context, by Actor, t *domain.APIToken, tokenHash string) error {
	if err := domain.ValidateTokenName(t.Name); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		t.ID = newID()
		t.CreatedAt = s.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (id, user_id, name, prefix, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			t.ID, t.UserID, t.Name, t.Prefix, tokenHash, t.CreatedAt); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, "", "api_token", t.ID, "create", nil, t)
	})
}

// ListAPITokens returns the tokens of a user, newest first.
func (s *Store) ListAPITokens(ctx context.Context, userID string) ([]domain.APIToken, error) {
	out := []domain.APIToken{}
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, `SELECT id, user_id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens
			WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, userID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var t domain.APIToken
			var used, revoked sql.NullTime
			if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.CreatedAt, &used, &revoked); err != nil {
				return err
			}
			t.CreatedAt = t.CreatedAt.UTC()
			if used.Valid {
				v := used.Time.UTC()
				t.LastUsedAt = &v
			}
			if revoked.Valid {
				v := revoked.Time.UTC()
				t.RevokedAt = &v
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	return out, err
}

// RevokeAPIToken revokes the token id of user userID; ENOTFOUND when the user
// has no such unrevoked token.
func (s *Store) RevokeAPIToken(ctx context.Context, by Actor, userID, id string) error {
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL`, s.now(), id, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.Errorf(domain.ENOTFOUND, "token %q not found or already revoked", id)
		}
		return s.audit(ctx, tx, by, "", "api_token", id, "revoke", nil, nil)
	})
}

// ListMembers returns the memberships of an organization, by user name.
func (s *Store) ListMembers(ctx context.Context, orgID string) ([]domain.Member, error) {
	out := []domain.Member{}
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, `SELECT u.id, u.name, u.email, m.role, m.department_id FROM memberships m
			JOIN users u ON u.id = m.user_id WHERE m.organization_id = $1 ORDER BY u.name, u.id, m.role`, orgID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m domain.Member
			if err := rows.Scan(&m.UserID, &m.Name, &m.Email, &m.Role, &m.DepartmentID); err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	return out, err
}

// AddMembership gives the user with userID the membership m. ECONFLICT when
// the user already holds it; EINVALID when it names a department of another
// organization.
func (s *Store) AddMembership(ctx context.Context, by Actor, userID string, m domain.Membership) error {
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		u, _, err := findUser(ctx, tx, "id = $1", userID)
		if err != nil {
			return err
		}
		for _, have := range u.Memberships {
			if have.OrganizationID == m.OrganizationID && have.Role == m.Role && have.DepartmentID == m.DepartmentID {
				return domain.Fail(domain.ECONFLICT, domain.MsgAlreadyMember, "Email", u.Email, "Role", m.Role)
			}
		}
		after := u
		after.Memberships = append(append([]domain.Membership{}, u.Memberships...), m)
		if err := after.Validate(); err != nil {
			return err
		}
		single := domain.User{Meta: u.Meta, Memberships: []domain.Membership{m}}
		if err := writeMemberships(ctx, tx, &single); err != nil {
			return err
		}
		after.Memberships[len(after.Memberships)-1] = single.Memberships[0]
		if _, err := tx.ExecContext(ctx, `UPDATE users SET updated_at = $1, version = version + 1 WHERE id = $2`, s.now(), u.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, m.OrganizationID, "user", u.ID, "update", u, after)
	})
}

// RemoveMembership takes the membership m away from the user with userID;
// ENOTFOUND when the user does not hold it.
func (s *Store) RemoveMembership(ctx context.Context, by Actor, userID string, m domain.Membership) error {
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		u, _, err := findUser(ctx, tx, "id = $1", userID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM memberships WHERE user_id = $1 AND organization_id = $2 AND role = $3 AND department_id = $4`,
			userID, m.OrganizationID, m.Role, m.DepartmentID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.Fail(domain.ENOTFOUND, domain.MsgNotMember, "Email", u.Email, "Role", m.Role)
		}
		after := u
		after.Memberships = nil
		for _, have := range u.Memberships {
			if have.OrganizationID != m.OrganizationID || have.Role != m.Role || have.DepartmentID != m.DepartmentID {
				after.Memberships = append(after.Memberships, have)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET updated_at = $1, version = version + 1 WHERE id = $2`, s.now(), u.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, m.OrganizationID, "user", u.ID, "update", u, after)
	})
}
