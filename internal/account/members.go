package account

import (
	"strings"

	"context"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// Members returns the memberships of an organization; only its members and
// site administrators may read them.
func (s *Service) Members(ctx context.Context, by *domain.User, orgID string) ([]domain.Member, error) {
	if err := access.Allow(by, access.ReadMembers, access.Resource{OrganizationID: orgID}); err != nil {
		return nil, err
	}
	if _, err := s.store.FindOrganization(ctx, orgID); err != nil {
		return nil, err
	}
	return s.store.ListMembers(ctx, orgID)
}

// AddMember gives the existing user with the given email a role in the
// organization. ENOTFOUND names the email when there is no such user.
func (s *Service) AddMember(ctx context.Context, by *domain.User, email string, m domain.Membership) error {
	if err := access.Allow(by, access.ManageMembers, access.Resource{OrganizationID: m.OrganizationID}); err != nil {
		return err
	}
	// The organization of the path, and the membership's own fields, are
	// refused by their names before the user's memberships are checked as
	// a whole.
	if _, err := s.store.FindOrganization(ctx, m.OrganizationID); err != nil {
		return err
	}
	var p domain.Problems
	switch {
	case !domain.ValidRole(m.Role):
		p.Add("role", domain.MsgOneOf, "Allowed", strings.Join(roleNames(), ", "), "Value", m.Role)
	case m.Role == domain.RoleScreener && m.DepartmentID == "":
		p.Add("department_id", domain.MsgScreenerDepartment)
	case m.Role != domain.RoleScreener && m.DepartmentID != "":
		p.Add("department_id", domain.MsgOnlyScreenerDepartment)
	case m.DepartmentID != "":
		if d, err := s.store.FindDepartment(ctx, m.DepartmentID); domain.ErrorCode(err) == domain.ENOTFOUND || (err == nil && d.OrganizationID != m.OrganizationID) {
			p.Add("department_id", domain.MsgNotOwnDepartment, "ID", m.DepartmentID)
		} else if err != nil {
			return err
		}
	}
	if err := p.Err("membership"); err != nil {
		return err
	}
	u, err := s.FindUserByEmail(ctx, email)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		p.Add("email", domain.MsgNoSuchUser, "Email", email)
		return p.Err("membership")
	}
	if err != nil {
		return err
	}
	return s.store.AddMembership(ctx, store.Actor{UserID: by.ID}, u.ID, m)
}

// RemoveMember takes a role in the organization away from a user. The last
// admin of an organization can only be removed by a site administrator, so
// that no organization is left without one by accident.
func (s *Service) RemoveMember(ctx context.Context, by *domain.User, userID string, m domain.Membership) error {
	if err := access.Allow(by, access.ManageMembers, access.Resource{OrganizationID: m.OrganizationID}); err != nil {
		return err
	}
	if m.Role == domain.RoleAdmin && !by.SiteAdmin {
		members, err := s.store.ListMembers(ctx, m.OrganizationID)
		if err != nil {
			return err
		}
		admins := 0
		for _, x := range members {
			if x.Role == domain.RoleAdmin {
				admins++
			}
		}
		if admins <= 1 {
			return domain.Fail(domain.ECONFLICT, domain.MsgLastAdmin)
		}
	}
	return s.store.RemoveMembership(ctx, store.Actor{UserID: by.ID}, userID, m)
}

func roleNames() []string {
	out := make([]string, len(domain.Roles))
	for i, r := range domain.Roles {
		out[i] = string(r)
	}
	return out
}
