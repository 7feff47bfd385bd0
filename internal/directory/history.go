package directory

import (
	"strings"

	"context"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
)

// personalFields are the fields of a person that audit entries hide from
// readers who may not see personal data.
var personalFields = []string{"birth_date", "email", "phone"}

// History returns audit entries, newest first, and the id to page from. It
// needs an entity (type and id) or an organization to read of, except for a
// site administrator, who may read the whole log.
func (s *Service) History(ctx context.Context, u *domain.User, f domain.AuditFilter) ([]domain.AuditEntry, int64, error) {
	res, err := s.auditResource(ctx, u, f)
	if err != nil {
		return nil, 0, err
	}
	if err := access.Allow(u, access.ReadAudit, res); err != nil {
		return nil, 0, err
	}
	entries, next, err := s.store.ListAudit(ctx, f)
	for i := range entries {
		e := &entries[i]
		switch e.EntityType {
		case "person":
			if !access.Can(u, access.ReadPersonalData, access.Resource{OrganizationID: e.OrganizationID, UserID: personUser(e)}) {
				for _, k := range personalFields {
					redact(e.Before, k)
					redact(e.After, k)
				}
			}
		case "user":
			redactUser(u, e)
		}
	}
	return entries, next, err
}

func personUser(e *domain.AuditEntry) string {
	for _, m := range []map[string]any{e.After, e.Before} {
		if id, ok := m["user_id"].(string); ok {
			return id
		}
	}
	return ""
}

// redactUser leaves in a user's audit entry only what the reader may see
// of the user now: the memberships in organizations whose members the
// reader may see, and the email only for the user, a site administrator
// and the admins of the organization the entry belongs to.
func redactUser(u *domain.User, e *domain.AuditEntry) {
	self := u != nil && u.ID == e.EntityID
	for _, m := range []map[string]any{e.Before, e.After} {
		if !self && !access.Can(u, access.ManageMembers, access.Resource{OrganizationID: e.OrganizationID}) {
			redact(m, "email")
		}
		list, ok := m["memberships"].([]any)
		if !ok || self {
			continue
		}
		kept := []any{}
		for _, x := range list {
			if mm, ok := x.(map[string]any); ok {
				if org, _ := mm["organization_id"].(string); access.Can(u, access.ReadMembers, access.Resource{OrganizationID: org}) {
					kept = append(kept, mm)
				}
			}
		}
		m["memberships"] = kept
	}
}

func redact(m map[string]any, k string) {
	if _, ok := m[k]; ok {
		m[k] = "(hidden)"
	}
}

// auditResource finds what the audit entries asked for belong to.
func (s *Service) auditResource(ctx context.Context, u *domain.User, f domain.AuditFilter) (access.Resource, error) {
	if f.EntityID == "" {
		if f.OrganizationID != "" {
			return access.Resource{OrganizationID: f.OrganizationID}, nil
		}
		if u != nil && u.SiteAdmin {
			return access.Resource{}, nil
		}
		var p domain.Problems
		p.Add("entity_id", domain.MsgHistoryOf)
		return access.Resource{}, p.Err("history request")
	}
	switch f.EntityType {
	case "organization":
		return access.Resource{OrganizationID: f.EntityID}, nil
	case "person":
		p, err := s.store.FindPerson(ctx, f.EntityID)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			// A deleted person: its entries name the organization.
			entries, _, err := s.store.ListAudit(ctx, domain.AuditFilter{EntityType: "person", EntityID: f.EntityID, Limit: 1})
			if err != nil || len(entries) == 0 {
				return access.Resource{}, domain.Errorf(domain.ENOTFOUND, "no history for person %q", f.EntityID)
			}
			return access.Resource{OrganizationID: entries[0].OrganizationID}, nil
		}
		return access.Resource{OrganizationID: p.OrganizationID, UserID: p.UserID}, err
	case "department":
		d, err := s.store.FindDepartment(ctx, f.EntityID)
		return access.Resource{OrganizationID: d.OrganizationID}, err
	case "item", "program", "partnership", "commitment", "mission", "outcome", "contribution", "activity", "event", "indicator":
		// Read by any signed-in user, and so is their history.
		return access.Resource{}, nil
	case "need":
		n, err := s.store.FindNeed(ctx, f.EntityID)
		return access.Resource{OrganizationID: n.OrganizationID}, err
	case "pledge":
		p, err := s.store.FindPledge(ctx, f.EntityID)
		if err != nil {
			return access.Resource{}, err
		}
		n, err := s.store.FindNeed(ctx, p.NeedID)
		return access.Resource{OrganizationID: p.DonorID, OtherID: n.OrganizationID}, err
	case "shipment":
		sh, err := s.store.FindShipment(ctx, f.EntityID)
		return access.Resource{OrganizationID: sh.DonorID, OtherID: sh.RecipientID}, err
	case "user":
		// A user's own history, or a site administrator's reading.
		return access.Resource{UserID: f.EntityID, OrganizationID: "-"}, nil
	case "api_token":
		return access.Resource{OrganizationID: "-"}, nil
	}
	var p domain.Problems
	p.Add("entity_type", domain.MsgOneOf, "Allowed", strings.Join(domain.AuditEntityTypes, ", "), "Value", f.EntityType)
	return access.Resource{}, p.Err("history request")
}
