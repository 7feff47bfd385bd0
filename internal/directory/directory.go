// Package directory is the directory of organizations, their departments and
// people, and the item catalog, as users see it: every call is authorized by
// the access policy, and personal data is hidden from those who may not see it.
package directory

import (
	"context"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// Service reads and changes the directory on behalf of a user.
type Service struct {
	store *store.Store
}

// NewService returns a Service over s.
func NewService(s *store.Store) *Service { return &Service{store: s} }

func actor(u *domain.User) store.Actor { return store.Actor{UserID: u.ID} }

// ListOrganizations returns a page of organizations and the next cursor.
func (s *Service) ListOrganizations(ctx context.Context, u *domain.User, f domain.OrganizationFilter) ([]domain.Organization, string, error) {
	if err := access.Allow(u, access.ReadDirectory, access.Resource{}); err != nil {
		return nil, "", err
	}
	return s.store.ListOrganizations(ctx, f)
}

// Organization returns one organization; ENOTFOUND when there is none.
func (s *Service) Organization(ctx context.Context, u *domain.User, id string) (domain.Organization, error) {
	if err := access.Allow(u, access.ReadDirectory, access.Resource{}); err != nil {
		return domain.Organization{}, err
	}
	return s.store.FindOrganization(ctx, id)
}

// OrganizationDetail returns one organization and its departments, read
// together; ENOTFOUND when there is none.
func (s *Service) OrganizationDetail(ctx context.Context, u *domain.User, id string) (domain.Organization, []domain.Department, error) {
	if err := access.Allow(u, access.ReadDirectory, access.Resource{}); err != nil {
		return domain.Organization{}, nil, err
	}
	return s.store.FindOrganizationDetail(ctx, id)
}

// CreateOrganization creates o when u may.
func (s *Service) CreateOrganization(ctx context.Context, u *domain.User, o *domain.Organization) error {
	if err := access.Allow(u, access.CreateOrganization, access.Resource{ParentID: o.ParentID}); err != nil {
		return err
	}
	return s.store.CreateOrganization(ctx, actor(u), o)
}

// UpdateOrganization stores o when u may change it. Moving it under another
// parent also needs the right to create there.
func (s *Service) UpdateOrganization(ctx context.Context, u *domain.User, o *domain.Organization) error {
	if err := access.Allow(u, access.UpdateOrganization, access.Resource{OrganizationID: o.ID}); err != nil {
		return err
	}
	cur, err := s.store.FindOrganization(ctx, o.ID)
	if err != nil {
		return err
	}
	if o.ParentID != cur.ParentID && o.ParentID != "" {
		if err := access.Allow(u, access.CreateOrganization, access.Resource{ParentID: o.ParentID}); err != nil {
			return err
		}
	}
	return s.store.UpdateOrganization(ctx, actor(u), o)
}

// DeleteOrganization deletes organization id at version when u may.
func (s *Service) DeleteOrganization(ctx context.Context, u *domain.User, id string, version int64) error {
	if err := access.Allow(u, access.DeleteOrganization, access.Resource{OrganizationID: id}); err != nil {
		return err
	}
	return s.store.DeleteOrganization(ctx, actor(u), id, version)
}

// OrganizationNames returns the names of the organizations with the given
// ids, for lists that show them.
func (s *Service) OrganizationNames(ctx context.Context, u *domain.User, ids []string) (map[string]string, error) {
	if err := access.Allow(u, access.ReadDirectory, access.Resource{}); err != nil {
		return nil, err
	}
	return s.store.OrganizationNames(ctx, ids)
}

// PersonNames returns the names of the people with the given ids, for
// records that name them.
func (s *Service) PersonNames(ctx context.Context, u *domain.User, ids []string) (map[string]string, error) {
	if err := access.Allow(u, access.ReadDirectory, access.Resource{}); err != nil {
		return nil, err
	}
	return s.store.PersonNames(ctx, ids)
}

// Departments returns the departments of an organization.
func (s *Service) Departments(ctx context.Context, u *domain.User, orgID string) ([]domain.Department, error) {
	if err := access.Allow(u, access.ReadDirectory, access.Resource{}); err != nil {
		return nil, err
	}
	return s.store.ListDepartments(ctx, orgID)
}

// CreateDepartment adds a department when u may.
func (s *Service) CreateDepartment(ctx context.Context, u *domain.User, d *domain.Department) error {
	if err := access.Allow(u, access.ManageDepartments, access.Resource{OrganizationID: d.OrganizationID}); err != nil {
		return err
	}
	return s.store.CreateDepartment(ctx, actor(u), d)
}

// DeleteDepartment deletes a department when u may, and returns it as it
// was.
func (s *Service) DeleteDepartment(ctx context.Context, u *domain.User, id string) (domain.Department, error) {
	d, err := s.store.FindDepartment(ctx, id)
	if err != nil {
		return d, err
	}
	if err := access.Allow(u, access.ManageDepartments, access.Resource{OrganizationID: d.OrganizationID}); err != nil {
		return d, err
	}
	return d, s.store.DeleteDepartment(ctx, actor(u), id)
}

// hidePersonal blanks the personal fields of p unless u may see them.
func hidePersonal(u *domain.User, p *domain.Person) {
	if access.Can(u, access.ReadPersonalData, access.Resource{OrganizationID: p.OrganizationID, UserID: p.UserID}) {
		return
	}
	p.BirthDate, p.Email, p.Phone = domain.Date{}, "", ""
	p.PersonalHidden = true
}

// ListPeople returns a page of people, personal data hidden where u may not
// see it, and the next cursor.
func (s *Service) ListPeople(ctx context.Context, u *domain.User, f domain.PersonFilter) ([]domain.Person, string, error) {
	if err := access.Allow(u, access.ReadDirectory, access.Resource{}); err != nil {
		return nil, "", err
	}
	list, next, err := s.store.ListPeople(ctx, f)
	for i := range list {
		hidePersonal(u, &list[i])
	}
	return list, next, err
}

// Person returns one person, personal data hidden where u may not see it.
func (s *Service) Person(ctx context.Context, u *domain.User, id string) (domain.Person, error) {
	if err := access.Allow(u, access.ReadDirectory, access.Resource{}); err != nil {
		return domain.Person{}, err
	}
	p, err := s.store.FindPerson(ctx, id)
	if err == nil {
		hidePersonal(u, &p)
	}
	return p, err
}

// CreatePerson adds a person when u may.
func (s *Service) CreatePerson(ctx context.Context, u *domain.User, p *domain.Person) error {
	if err := access.Allow(u, access.CreatePerson, access.Resource{OrganizationID: p.OrganizationID}); err != nil {
		return err
	}
	if p.UserID != "" {
		if err := access.Allow(u, access.LinkPersonToUser, access.Resource{}); err != nil {
			return err
		}
	}
	return s.store.CreatePerson(ctx, actor(u), p)
}

// UpdatePerson stores p when u may change the person. Personal fields that u
// may not see keep their stored values, and only a site administrator may
// link the person to another account.
func (s *Service) UpdatePerson(ctx context.Context, u *domain.User, p *domain.Person) error {
	cur, err := s.store.FindPerson(ctx, p.ID)
	if err != nil {
		return err
	}
	if err := access.Allow(u, access.UpdatePerson, access.Resource{OrganizationID: cur.OrganizationID, UserID: cur.UserID}); err != nil {
		return err
	}
	if p.OrganizationID != cur.OrganizationID {
		if err := access.Allow(u, access.CreatePerson, access.Resource{OrganizationID: p.OrganizationID}); err != nil {
			return err
		}
	}
	if p.UserID != cur.UserID {
		if err := access.Allow(u, access.LinkPersonToUser, access.Resource{}); err != nil {
			return err
		}
	}
	if !access.Can(u, access.ReadPersonalData, access.Resource{OrganizationID: cur.OrganizationID, UserID: cur.UserID}) {
		p.BirthDate, p.Email, p.Phone = cur.BirthDate, cur.Email, cur.Phone
	}
	err = s.store.UpdatePerson(ctx, actor(u), p)
	if err == nil {
		hidePersonal(u, p)
	}
	return err
}

// DeletePerson deletes a person when u may.
func (s *Service) DeletePerson(ctx context.Context, u *domain.User, id string, version int64) error {
	cur, err := s.store.FindPerson(ctx, id)
	if err != nil {
		return err
	}
	if err := access.Allow(u, access.DeletePerson, access.Resource{OrganizationID: cur.OrganizationID}); err != nil {
		return err
	}
	return s.store.DeletePerson(ctx, actor(u), id, version)
}

// ListItems returns a page of catalog items and the next cursor.
func (s *Service) ListItems(ctx context.Context, u *domain.User, f domain.ItemFilter) ([]domain.Item, string, error) {
	if err := access.Allow(u, access.ReadDirectory, access.Resource{}); err != nil {
		return nil, "", err
	}
	return s.store.ListItems(ctx, f)
}

// Item returns one catalog item.
func (s *Service) Item(ctx context.Context, u *domain.User, id string) (domain.Item, error) {
	if err := access.Allow(u, access.ReadDirectory, access.Resource{}); err != nil {
		return domain.Item{}, err
	}
	return s.store.FindItem(ctx, id)
}

// CreateItem adds an item to the catalog when u may.
func (s *Service) CreateItem(ctx context.Context, u *domain.User, it *domain.Item) error {
	if err := access.Allow(u, access.CreateItem, access.Resource{}); err != nil {
		return err
	}
	return s.store.CreateItem(ctx, actor(u), it)
}

// UpdateItem changes a catalog item when u may.
func (s *Service) UpdateItem(ctx context.Context, u *domain.User, it *domain.Item) error {
	if err := access.Allow(u, access.UpdateItem, access.Resource{}); err != nil {
		return err
	}
	return s.store.UpdateItem(ctx, actor(u), it)
}

// DeleteItem removes a catalog item when u may.
func (s *Service) DeleteItem(ctx context.Context, u *domain.User, id string, version int64) error {
	if err := access.Allow(u, access.DeleteItem, access.Resource{}); err != nil {
		return err
	}
	return s.store.DeleteItem(ctx, actor(u), id, version)
}
