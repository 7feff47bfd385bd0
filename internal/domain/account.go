package domain

import (
	"unicode/utf8"

	"encoding/json"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// Role is what a user may do for one organization.
type Role string

// The roles a user can hold in an organization.
const (
	RoleAdmin       Role = "admin"
	RoleCoordinator Role = "coordinator"
	RoleScreener    Role = "screener"
	RoleReviewer    Role = "reviewer"
	RoleMember      Role = "member"
	RoleViewer      Role = "viewer"
)

// Roles lists every role, most powerful first.
var Roles = []Role{RoleAdmin, RoleCoordinator, RoleScreener, RoleReviewer, RoleMember, RoleViewer}

// ValidRole reports whether r is one of Roles.
func ValidRole(r Role) bool { return oneOf(string(r), Roles) }

// User is someone who logs in. A user acts for the organizations they hold a
// membership in; a site administrator may act everywhere.
type User struct {
	Meta
	Email       string       `json:"email"`
	Name        string       `json:"name"`
	SiteAdmin   bool         `json:"site_admin"`
	Memberships []Membership `json:"memberships"`
}

// Membership is a user's role in one organization; a screener screens one
// department of it.
type Membership struct {
	OrganizationID   string `json:"organization_id"`
	OrganizationName string `json:"organization_name,omitempty"`
	Role             Role   `json:"role"`
	DepartmentID     string `json:"department_id,omitempty"`
}

// HasRole reports whether u holds one of roles in organization orgID.
func (u *User) HasRole(orgID string, roles ...Role) bool {
	if u == nil {
		return false
	}
	for _, m := range u.Memberships {
		if m.OrganizationID != orgID {
			continue
		}
		for _, r := range roles {
			if m.Role == r {
				return true
			}
		}
	}
	return false
}

// HasRoleAnywhere reports whether u holds one of roles in any organization.
func (u *User) HasRoleAnywhere(roles ...Role) bool {
	if u == nil {
		return false
	}
	for _, m := range u.Memberships {
		for _, r := range roles {
			if m.Role == r {
				return true
			}
		}
	}
	return false
}

// AuditEntityTypes lists the kinds of records whose history the audit log
// keeps.
var AuditEntityTypes = []string{"organization", "person", "department", "item", "need", "pledge", "shipment", "user", "api_token", "program", "partnership", "commitment", "mission", "outcome", "contribution", "activity", "event", "indicator"}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// ValidatePassword returns an EINVALID error when password is shorter than
// MinPasswordLength or longer than MaxPassword characters.
func ValidatePassword(password string) error {
	var p Problems
	if utf8.RuneCountInString(password) < MinPasswordLength {
		p.Add("password", MsgPasswordShort, "Min", MinPasswordLength)
	}
	maxLen(&p, "password", password, MaxPassword)
	return p.Err("password")
}

// ValidateTokenName returns an EINVALID error unless name says, in at most
// MaxTokenName characters, what a token is for.
func ValidateTokenName(name string) error {
	var p Problems
	if strings.TrimSpace(name) == "" {
		p.Add("name", MsgTokenName)
	}
	maxLen(&p, "name", name, MaxTokenName)
	return p.Err("token")
}

// Messages of accounts.
var (
	MsgWrongLogin      = msg("wrong_login", "wrong email or password")
	MsgWrongPassword   = msg("wrong_password", "is not your current password")
	MsgPasswordsDiffer = msg("passwords_differ", "is not the same as the new password")
	MsgPasswordShort   = msg("password_short", "must be at least {{.Min}} characters")
	MsgNoSuchUser      = msg("no_such_user", "no user has the email {{.Email}}: create the user first")
	MsgLastAdmin       = msg("last_admin", "this is the organization's last admin: make someone else admin first")
	MsgAlreadyMember   = msg("already_member", "{{.Email}} is already {{.Role}} of this organization")
	MsgNotMember       = msg("not_member", "{{.Email}} is not {{.Role}} of this organization")
)

// Validate returns an EINVALID error naming every field that is wrong.
func (u *User) Validate() error {
	var p Problems
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		p.Add("email", MsgEmail, "Value", u.Email)
	}
	if strings.TrimSpace(u.Name) == "" {
		p.Add("name", MsgRequired)
	}
	maxLen(&p, "name", u.Name, MaxName)
	for i, m := range u.Memberships {
		f := "memberships[" + itoa(i) + "]"
		if m.OrganizationID == "" {
			p.Add(f+".organization_id", MsgRequired)
		}
		if !ValidRole(m.Role) {
			p.Add(f+".role", MsgOneOf, "Allowed", joinKinds(Roles), "Value", m.Role)
		}
		if m.Role == RoleScreener && m.DepartmentID == "" {
			p.Add(f+".department_id", MsgScreenerDepartment)
		}
		if m.Role != RoleScreener && m.DepartmentID != "" {
			p.Add(f+".department_id", MsgOnlyScreenerDepartment)
		}
	}
	return p.Err("user")
}

// APIToken describes a bearer token for scripts. The secret itself is shown
// once, when created, and only its hash is kept.
type APIToken struct {
	ID         string     `json:"id"`
	UserID     string     `json:"user_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// AuditEntry records one change: who made it, for which organization, when,
// to which record, and the fields before and after.
type AuditEntry struct {
	ID             int64          `json:"id"`
	At             time.Time      `json:"at"`
	UserID         string         `json:"user_id,omitempty"`
	UserName       string         `json:"user_name,omitempty"`
	OrganizationID string         `json:"organization_id,omitempty"`
	EntityType     string         `json:"entity_type"`
	EntityID       string         `json:"entity_id"`
	Action         string         `json:"action"`
	Before         map[string]any `json:"before,omitempty"`
	After          map[string]any `json:"after,omitempty"`
}

// Changed returns the names of the fields whose values differ between Before
// and After, in a stable order.
func (a *AuditEntry) Changed() []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string]any{a.Before, a.After} {
		for k := range m {
			if seen[k] {
				continue
			}
			seen[k] = true
			if jsonEqual(a.Before[k], a.After[k]) {
				continue
			}
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func jsonEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
