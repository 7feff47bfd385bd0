package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
)

// organizationsPage is the directory's list of organizations.
type organizationsPage struct {
	Filter      domain.OrganizationFilter
	Items       []domain.Organization
	Next, First string
	Kinds       []domain.OrgKind
	CanCreate   bool
}

func (ui *UI) listOrganizations(w http.ResponseWriter, r *http.Request, me *viewer) error {
	q := r.URL.Query()
	f := domain.OrganizationFilter{Query: q.Get("q"), Kind: q.Get("kind"), Country: strings.ToUpper(q.Get("country")), Cursor: q.Get("cursor"), Limit: listPageSize}
	list, next, err := ui.Dir.ListOrganizations(r.Context(), me.User, f)
	if err != nil {
		return err
	}
	return ui.render(w, r, me, "organizations", organizationsPage{Filter: f, Items: list, Next: nextLink(r, next), First: firstLink(r),
		Kinds: domain.OrgKinds, CanCreate: access.Somewhere(me.User, access.CreateOrganization) == nil})
}

// nextLink returns the URL of the next page, "" on the last.
func nextLink(r *http.Request, cursor string) string {
	if cursor == "" {
		return ""
	}
	q := r.URL.Query()
	q.Set("cursor", cursor)
	return r.URL.Path + "?" + q.Encode()
}

// firstLink returns the URL of the first page when on a later one, else "".
func firstLink(r *http.Request) string {
	q := r.URL.Query()
	if q.Get("cursor") == "" {
		return ""
	}
	q.Del("cursor")
	return r.URL.Path + "?" + q.Encode()
}

// organizationPage is an organization with its departments, people,
// branches, members and history.
type organizationPage struct {
	Org                                                                      domain.Organization
	Parent                                                                   *domain.Organization
	Departments                                                              []domain.Department
	People                                                                   []domain.Person
	MorePeople                                                               bool
	Children                                                                 []domain.Organization
	Members                                                                  []domain.Member
	Roles                                                                    []domain.Role
	History                                                                  []domain.AuditEntry
	DeptForm                                                                 *form
	CanMembers, CanManage, CanEdit, CanDelete, CanDepts, CanPeople, CanStock bool
}

func (ui *UI) showOrganization(w http.ResponseWriter, r *http.Request, me *viewer) error {
	id := r.PathValue("id")
	o, err := ui.Dir.Organization(r.Context(), me.User, id)
	if err != nil {
		return err
	}
	res := access.Resource{OrganizationID: id}
	pg := organizationPage{Org: o, Roles: domain.Roles, DeptForm: me.newForm(nil),
		CanMembers: access.Can(me.User, access.ReadMembers, res),
		CanManage:  access.Can(me.User, access.ManageMembers, res),
		CanEdit:    access.Can(me.User, access.UpdateOrganization, res),
		CanDelete:  access.Can(me.User, access.DeleteOrganization, res),
		CanDepts:   access.Can(me.User, access.ManageDepartments, res),
		CanPeople:  access.Can(me.User, access.CreatePerson, res),
		CanStock:   access.Can(me.User, access.ReadStock, res),
	}
	if pg.Departments, err = ui.Dir.Departments(r.Context(), me.User, id); err != nil {
		return err
	}
	var more string
	if pg.People, more, err = ui.Dir.ListPeople(r.Context(), me.User, domain.PersonFilter{OrganizationID: id, Limit: 50}); err != nil {
		return err
	}
	pg.MorePeople = more != ""
	if pg.Children, _, err = ui.Dir.ListOrganizations(r.Context(), me.User, domain.OrganizationFilter{ParentID: id, Limit: domain.MaxPageSize}); err != nil {
		return err
	}
	if o.ParentID != "" {
		if po, err := ui.Dir.Organization(r.Context(), me.User, o.ParentID); err == nil {
			pg.Parent = &po
		}
	}
	if pg.History, err = ui.history(r, me, "organization", id); err != nil {
		return err
	}
	if pg.CanMembers {
		if pg.Members, err = ui.Accounts.Members(r.Context(), me.User, id); err != nil {
			return err
		}
	}
	return ui.render(w, r, me, "organization", pg)
}

// history returns the audit entries of a record for its History section,
// or none when the reader may not read them.
func (ui *UI) history(r *http.Request, me *viewer, entityType, id string) ([]domain.AuditEntry, error) {
	entries, _, err := ui.Dir.History(r.Context(), me.User, domain.AuditFilter{EntityType: entityType, EntityID: id, Limit: 50})
	if domain.ErrorCode(err) == domain.EFORBIDDEN {
		return nil, nil
	}
	return entries, err
}

// organizationPages are the forms of organizations. A new organization is
// placed under a parent where the user is an admin or coordinator (anywhere,
// for a site administrator).
func (ui *UI) organizationPages() recordPages[domain.Organization] {
	return recordPages[domain.Organization]{ui: ui, base: "/organizations",
		create: access.CreateOrganization, change: access.UpdateOrganization, remove: access.DeleteOrganization,
		resource: func(o domain.Organization) access.Resource { return access.Resource{OrganizationID: o.ID} },
		find:     ui.Dir.Organization,
		meta:     func(o domain.Organization) (string, int64, string) { return o.ID, o.Version, o.Name },
		values:   orgValues,
		blank: func(r *http.Request) url.Values {
			return url.Values{"kind": {"hospital"}, "parent_id": {r.URL.Query().Get("parent_id")}}
		},
		read:     orgFromForm,
		validate: (*domain.Organization).Validate,
		insert:   ui.Dir.CreateOrganization,
		update:   ui.Dir.UpdateOrganization,
		delete:   ui.Dir.DeleteOrganization,
		form:     ui.orgForm,
	}
}

func orgValues(o domain.Organization) url.Values {
	v := valuesOf("name", o.Name, "kind", string(o.Kind), "country", o.Country, "subdivision", o.Subdivision, "city", o.City,
		"parent_id", o.ParentID, "parent_relation", o.ParentRelation, "beds_total", int64String(o.BedsTotal),
		"beds_in_service", int64String(o.BedsInService), "clinical_departments", int64String(o.ClinicalDepartments),
		"website", o.Website, "latitude", float64String(o.Latitude), "longitude", float64String(o.Longitude),
		"version", strconv.FormatInt(o.Version, 10))
	for _, a := range o.Accreditations {
		v.Add("acc_kind", a.Kind)
		v.Add("acc_name", a.Name)
		v.Add("acc_by", a.GrantedBy)
		v.Add("acc_on", a.GrantedOn.String())
	}
	return v
}

// orgFromForm reads an organization from a submitted form; errors of
// parsing go on the form.
func orgFromForm(f *form, cur *domain.Organization) domain.Organization {
	o := domain.Organization{
		Name: strings.TrimSpace(f.Get("name")), Kind: domain.OrgKind(f.Get("kind")), Country: strings.ToUpper(strings.TrimSpace(f.Get("country"))),
		Subdivision: strings.ToUpper(strings.TrimSpace(f.Get("subdivision"))), City: strings.TrimSpace(f.Get("city")),
		ParentID: strings.TrimSpace(f.Get("parent_id")), ParentRelation: f.Get("parent_relation"),
		BedsTotal: f.int64Field("beds_total"), BedsInService: f.int64Field("beds_in_service"),
		ClinicalDepartments: f.int64Field("clinical_departments"), Website: strings.TrimSpace(f.Get("website")),
		Latitude: f.floatField("latitude"), Longitude: f.floatField("longitude"),
		Accreditations: []domain.Accreditation{},
	}
	// Repeated rows; a row left blank is no accreditation.
	for i := range f.List("acc_name") {
		a := domain.Accreditation{Kind: f.At("acc_kind", i), Name: strings.TrimSpace(f.At("acc_name", i)), GrantedBy: strings.TrimSpace(f.At("acc_by", i))}
		on := f.At("acc_on", i)
		if a.Name == "" && a.GrantedBy == "" && strings.TrimSpace(on) == "" {
			continue
		}
		a.GrantedOn = f.partialDateField("accreditations["+strconv.Itoa(len(o.Accreditations))+"].granted_on", on)
		o.Accreditations = append(o.Accreditations, a)
	}
	if cur != nil {
		o.ID, o.Version = cur.ID, f.version()
	}
	return o
}

// organizationFormPage is the form of a new organization (Org nil) or of
// an organization's change.
type organizationFormPage struct {
	Form           *form
	Org            *domain.Organization
	Parents        []choice
	ParentRequired bool
	Kinds          []domain.OrgKind
	Relations      []string
	AccKinds       []string
}

// orgForm shows the organization form. A new organization is placed under
// a parent the user may add to; only a site administrator may leave it
// without one.
func (ui *UI) orgForm(w http.ResponseWriter, r *http.Request, me *viewer, status int, f *form, o *domain.Organization) error {
	parents, err := ui.orgChoices(r, me, access.CreateOrganization)
	if err != nil {
		return err
	}
	if o != nil {
		// Any organization may be the parent of an existing one, as far as
		// the user can read the directory: offer the current parent too.
		all, err := ui.orgChoices(r, me, access.ReadDirectory)
		if err != nil {
			return err
		}
		parents = mergeChoices(parents, all, o.ID)
	}
	ui.renderStatus(w, r, me, status, "organization_form", organizationFormPage{
		Form: f, Org: o, Parents: parents, ParentRequired: o == nil && !access.Everywhere(me.User, access.CreateOrganization),
		Kinds: domain.OrgKinds, Relations: domain.ParentRelations, AccKinds: domain.AccreditationKinds,
	})
	return nil
}

func (ui *UI) createDepartment(w http.ResponseWriter, r *http.Request, me *viewer) error {
	org := r.PathValue("id")
	return act(w, r, me, action{done: me.L.T("flash_created"), refused: me.L.T("flash_department_refused"),
		do: func(f *form) (string, error) {
			d := domain.Department{OrganizationID: org, Name: f.text("name")}
			return "/organizations/" + url.PathEscape(org) + "#departments", ui.Dir.CreateDepartment(r.Context(), me.User, &d)
		}})
}

func (ui *UI) deleteDepartment(w http.ResponseWriter, r *http.Request, me *viewer) error {
	return act(w, r, me, action{done: me.L.T("flash_deleted"),
		do: func(f *form) (string, error) {
			// Back to the department's own organization, whatever the form says.
			d, err := ui.Dir.DeleteDepartment(r.Context(), me.User, r.PathValue("id"))
			back := "/organizations/" + url.PathEscape(d.OrganizationID) + "#departments"
			if d.OrganizationID == "" {
				back = "/organizations"
			}
			return back, err
		}})
}

// membership reads the membership a member form names in the organization
// of the path; only a screener has a department.
func membership(r *http.Request, f *form) domain.Membership {
	m := domain.Membership{OrganizationID: r.PathValue("id"), Role: domain.Role(f.Get("role")), DepartmentID: f.Get("department_id")}
	if m.Role != domain.RoleScreener {
		m.DepartmentID = ""
	}
	return m
}

func (ui *UI) addMember(w http.ResponseWriter, r *http.Request, me *viewer) error {
	return act(w, r, me, action{done: me.L.T("flash_member_added"), refused: me.L.T("flash_member_refused"),
		do: func(f *form) (string, error) {
			m := membership(r, f)
			return "/organizations/" + url.PathEscape(m.OrganizationID) + "#members", ui.Accounts.AddMember(r.Context(), me.User, f.text("email"), m)
		}})
}

func (ui *UI) removeMember(w http.ResponseWriter, r *http.Request, me *viewer) error {
	return act(w, r, me, action{done: me.L.T("flash_member_removed"),
		do: func(f *form) (string, error) {
			m := membership(r, f)
			return "/organizations/" + url.PathEscape(m.OrganizationID) + "#members", ui.Accounts.RemoveMember(r.Context(), me.User, f.Get("user_id"), m)
		}})
}
