package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// SessionLifetime is how long a login lasts.
const SessionLifetime = 12 * time.Hour

// tokenPrefix marks aidbridge API tokens so that leaked ones are easy to find.
const tokenPrefix = "abk_"

// Service signs users in and manages their accounts.
type Service struct {
	store *store.Store
	slow  time.Duration // the slowdown of limiter.go; shorter in tests
}

// NewService returns a Service over s. Logins are limited to 5 failures per
// account and 20 per address within 15 minutes, counted in the database
// (limiter.go).
func NewService(s *store.Store) *Service { return &Service{store: s, slow: slowdown} }

// NewSecret returns a random secret with the given prefix and its SHA-256
// hash, the only form in which it is stored.
func NewSecret(prefix string) (secret, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret)
}

// HashSecret returns the hex SHA-256 of a session or token secret. Secrets
// are 256 random bits, so a fast hash is enough.
func HashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// Login checks email and password and starts a session, returning the user
// and the session secret for the cookie. EUNAUTHORIZED for a wrong email or
// password (the same message for both), ETOOMANY after too many failures.
func (s *Service) Login(ctx context.Context, email, password, address string) (domain.User, string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	a, err := s.admit(ctx, email, address)
	if err != nil {
		return domain.User{}, "", err
	}
	u, hash, err := s.store.FindUserByEmail(ctx, email)
	if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
		return u, "", err
	}
	ok := false
	if err == nil {
		ok, err = CheckPassword(ctx, hash, password)
		if err != nil {
			return u, "", err
		}
	} else {
		// Spend the same time on an unknown email as on a known one.
		HashPassword(ctx, password+"0123456789")
	}
	if !ok {
		// The attempt stays counted, as a failure.
		return domain.User{}, "", domain.Fail(domain.EUNAUTHORIZED, domain.MsgWrongLogin)
	}
	if err := s.succeeded(ctx, a); err != nil {
		return u, "", err
	}
	secret, h := NewSecret("")
	if err := s.store.CreateSession(ctx, u.ID, h, time.Now().Add(SessionLifetime)); err != nil {
		return u, "", err
	}
	return u, secret, nil
}

// ChangePassword replaces u's password after checking the current one, and
// ends every other session of u. EINVALID naming current_password when that
// is wrong (the attempt counts against the login limits, ETOOMANY past
// them), or new_password when it is too short or too long.
func (s *Service) ChangePassword(ctx context.Context, u *domain.User, current, next, session, address string) error {
	if err := access.Allow(u, access.ManageOwnAccount, access.Resource{UserID: u.ID}); err != nil {
		return err
	}
	// The new password is checked first: a refusal of it costs no attempt.
	newHash, err := HashPassword(ctx, next)
	if err != nil {
		var p domain.Problems
		for _, f := range domain.ErrorFields(err) {
			p.AddMessage("new_password", domain.Message{ID: f.Code, Args: f.Args})
		}
		return p.Err("password")
	}
	a, err := s.admit(ctx, u.Email, address)
	if err != nil {
		return err
	}
	_, hash, err := s.store.FindUserByEmail(ctx, u.Email)
	if err != nil {
		return err
	}
	ok, err := CheckPassword(ctx, hash, current)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Refuse(domain.EINVALID, "current_password", domain.MsgWrongPassword)
	}
	if err := s.succeeded(ctx, a); err != nil {
		return err
	}
	return s.store.SetPassword(ctx, store.Actor{UserID: u.ID}, u.ID, newHash, HashSecret(session))
}

// LogoutEverywhere ends every session of u but the one with the given
// secret, and returns how many it ended.
func (s *Service) LogoutEverywhere(ctx context.Context, u *domain.User, session string) (int64, error) {
	if err := access.Allow(u, access.ManageOwnAccount, access.Resource{UserID: u.ID}); err != nil {
		return 0, err
	}
	return s.store.DeleteUserSessions(ctx, u.ID, HashSecret(session))
}

// Logout ends the session with the given secret.
func (s *Service) Logout(ctx context.Context, secret string) error {
	return s.store.DeleteSession(ctx, HashSecret(secret))
}

// SessionUser returns the user of a session secret; EUNAUTHORIZED when the
// session is unknown or expired.
func (s *Service) SessionUser(ctx context.Context, secret string) (domain.User, error) {
	if secret == "" {
		return domain.User{}, domain.Errorf(domain.EUNAUTHORIZED, "sign in first")
	}
	return s.store.FindSessionUser(ctx, HashSecret(secret))
}

// TokenUser returns the user of an API token; EUNAUTHORIZED when the token is
// unknown or revoked.
func (s *Service) TokenUser(ctx context.Context, secret string) (domain.User, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return domain.User{}, domain.Errorf(domain.EUNAUTHORIZED, "the bearer token is not an aidbridge API token (they start with %s)", tokenPrefix)
	}
	return s.store.FindTokenUser(ctx, HashSecret(secret))
}

// CreateUser creates a user with a password. When by is nil the call comes
// from the command line, which may do anything; otherwise by must be a site
// administrator, or an admin of every organization the memberships name.
func (s *Service) CreateUser(ctx context.Context, by *domain.User, u *domain.User, password string) error {
	actor := store.Actor{}
	if by != nil {
		actor.UserID = by.ID
		if u.SiteAdmin {
			if err := access.Allow(by, access.CreateSiteAdmin, access.Resource{}); err != nil {
				return err
			}
		}
		if len(u.Memberships) == 0 {
			if err := access.Allow(by, access.CreateLoneUser, access.Resource{}); err != nil {
				return err
			}
		}
		for _, m := range u.Memberships {
			if err := access.Allow(by, access.ManageMembers, access.Resource{OrganizationID: m.OrganizationID}); err != nil {
				return err
			}
		}
	}
	if err := u.Validate(); err != nil {
		return err
	}
	hash, err := HashPassword(ctx, password)
	if err != nil {
		return err
	}
	return s.store.CreateUser(ctx, actor, u, hash)
}

// CreateToken creates an API token for user and returns the secret, shown
// only this once.
func (s *Service) CreateToken(ctx context.Context, by *domain.User, userID, name string) (domain.APIToken, string, error) {
	actor := store.Actor{}
	if by != nil {
		actor.UserID = by.ID
		if err := access.Allow(by, access.ManageOwnTokens, access.Resource{UserID: userID}); err != nil {
			return domain.APIToken{}, "", err
		}
	}
	secret, hash := NewSecret(tokenPrefix)
	t := domain.APIToken{UserID: userID, Name: name, Prefix: secret[:len(tokenPrefix)+6]}
	if err := s.store.CreateAPIToken(ctx, actor, &t, hash); err != nil {
		return t, "", err
	}
	return t, secret, nil
}

// ListTokens returns the API tokens of user userID.
func (s *Service) ListTokens(ctx context.Context, by *domain.User, userID string) ([]domain.APIToken, error) {
	if err := access.Allow(by, access.ManageOwnTokens, access.Resource{UserID: userID}); err != nil {
		return nil, err
	}
	return s.store.ListAPITokens(ctx, userID)
}

// RevokeToken revokes token id of user userID.
func (s *Service) RevokeToken(ctx context.Context, by *domain.User, userID, id string) error {
	if err := access.Allow(by, access.ManageOwnTokens, access.Resource{UserID: userID}); err != nil {
		return err
	}
	return s.store.RevokeAPIToken(ctx, store.Actor{UserID: by.ID}, userID, id)
}

// FindUserByEmail returns the user with the given email.
func (s *Service) FindUserByEmail(ctx context.Context, email string) (domain.User, error) {
	u, _, err := s.store.FindUserByEmail(ctx, email)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return u, domain.Errorf(domain.ENOTFOUND, "no user with email %q", email)
	}
	return u, err
}
