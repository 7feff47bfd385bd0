package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

func (ui *UI) listOrganizations(w http.ResponseWriter, r *http.Request, p *request) error {
	q := r.URL.Query()
	f := store.OrganizationFilter{Query: q.Get("q"), Kind: q.Get("kind"), Country: strings.ToUpper(q.Get("country")), Cursor: q.Get("cursor"), Limit: 25}
	list, next, err := ui.Dir.ListOrganizations(ctx(r), p.User, f)
	if err != nil {
		return err
	}
	return ui.render(w, r, p, "organizations", map[string]any{
		"Filter": f, "Items": list, "Next": nextLink(r, next), "Kinds": domain.OrgKinds,
		"CanCreate": mayCreateSomewhere(p.User) == nil,
		"First":     firstLink(r),
	})
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

func (ui *UI) showOrganization(w http.ResponseWriter, r *http.Request, p *request) error {
	id := r.PathValue("id")
	o, err := ui.Dir.Organization(ctx(r), p.User, id)
	if err != nil {
		return err
	}
	deps, err := ui.Dir.Departments(ctx(r), p.User, id)
	if err != nil {
		return err
	}
	people, morePeople, err := ui.Dir.ListPeople(ctx(r), p.User, store.PersonFilter{OrganizationID: id, Limit: 50})
	if err != nil {
		return err
	}
	children, _, err := ui.Dir.ListOrganizations(ctx(r), p.User, store.OrganizationFilter{ParentID: id, Limit: 200})
	if err != nil {
		return err
	}
	var parent *domain.Organization
	if o.ParentID != "" {
		if po, err := ui.Dir.Organization(ctx(r), p.User, o.ParentID); err == nil {
			parent = &po
		}
	}
	history, err := ui.history(r, p, "organization", id)
	if err != nil {
		return err
	}
	res := access.Resource{OrganizationID: id}
	var members []store.Member
	if access.Can(p.User, access.ReadMembers, res) {
		if members, err = ui.Accounts.Members(ctx(r), p.User, id); err != nil {
			return err
		}
	}
	return ui.render(w, r, p, "organization", map[string]any{
		"Members": members, "CanMembers": access.Can(p.User, access.ReadMembers, res), "Roles": domain.Roles,
		"CanManage": access.Can(p.User, access.ManageMembers, res),
		"Org":       o, "Parent": parent, "Departments": deps, "People": people, "MorePeople": morePeople != "", "Children": children,
		"History":   history,
		"CanEdit":   access.Can(p.User, access.UpdateOrganization, res),
		"CanDelete": access.Can(p.User, access.DeleteOrganization, res),
		"CanDepts":  access.Can(p.User, access.ManageDepartments, res),
		"CanPeople": access.Can(p.User, access.CreatePerson, res),
		"DeptForm":  newForm(url.Values{}),
	})
}

// history returns the audit entries of a record for its History section,
// or none when the reader may not read them.
func (ui *UI) history(r *http.Request, p *request, entityType, id string) ([]domain.AuditEntry, error) {
	entries, _, err := ui.Dir.History(ctx(r), p.User, store.AuditFilter{EntityType: entityType, EntityID: id, Limit: 50})
	if domain.ErrorCode(err) == domain.EFORBIDDEN {
		return nil, nil
	}
	return entries, err
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
func orgFromForm(f *form) domain.Organization {
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
		a.GrantedOn = f.dateField("accreditations["+strconv.Itoa(len(o.Accreditations))+"].granted_on", on)
		o.Accreditations = append(o.Accreditations, a)
	}
	return o
}

func (ui *UI) orgForm(w http.ResponseWriter, r *http.Request, p *request, status int, f *form, o *domain.Organization) error {
	ui.renderStatus(w, r, p, status, "organization_form", map[string]any{
		"Form": f, "Org": o, "Kinds": domain.OrgKinds, "Relations": domain.ParentRelations, "AccKinds": domain.AccreditationKinds,
	})
	return nil
}

// mayCreateSomewhere refuses users who may create records in no
// organization at all, before they fill in a form in vain.
func mayCreateSomewhere(u *domain.User) error {
	if u.SiteAdmin || u.HasRoleAnywhere(domain.RoleAdmin, domain.RoleCoordinator) {
		return nil
	}
	return domain.Errorf(domain.EFORBIDDEN, "only the admins and coordinators of an organization may add to the directory")
}

func (ui *UI) newOrganization(w http.ResponseWriter, r *http.Request, p *request) error {
	if err := mayCreateSomewhere(p.User); err != nil {
		return err
	}
	f := newForm(url.Values{"kind": {"hospital"}, "parent_id": {r.URL.Query().Get("parent_id")}})
	return ui.orgForm(w, r, p, http.StatusOK, f, nil)
}

func (ui *UI) createOrganization(w http.ResponseWriter, r *http.Request, p *request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	o := orgFromForm(f)
	if !f.Invalid() {
		err = ui.Dir.CreateOrganization(ctx(r), p.User, &o)
		if err == nil {
			return redirect(w, r, "/organizations/"+o.ID, p.L.T("flash_created"))
		}
		if !f.absorb(err, p.L) {
			return err
		}
	}
	return ui.orgForm(w, r, p, http.StatusUnprocessableEntity, f, nil)
}

func (ui *UI) editOrganization(w http.ResponseWriter, r *http.Request, p *request) error {
	o, err := ui.Dir.Organization(ctx(r), p.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := access.Allow(p.User, access.UpdateOrganization, access.Resource{OrganizationID: o.ID}); err != nil {
		return err
	}
	return ui.orgForm(w, r, p, http.StatusOK, newForm(orgValues(o)), &o)
}

func (ui *UI) updateOrganization(w http.ResponseWriter, r *http.Request, p *request) error {
	cur, err := ui.Dir.Organization(ctx(r), p.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	o := orgFromForm(f)
	o.ID, o.Version = cur.ID, f.version()
	if !f.Invalid() {
		err = ui.Dir.UpdateOrganization(ctx(r), p.User, &o)
		if err == nil {
			return redirect(w, r, "/organizations/"+o.ID, p.L.T("flash_saved"))
		}
		if !f.absorb(err, p.L) {
			return err
		}
	}
	return ui.orgForm(w, r, p, http.StatusUnprocessableEntity, f, &cur)
}

func (ui *UI) confirmDeleteOrganization(w http.ResponseWriter, r *http.Request, p *request) error {
	o, err := ui.Dir.Organization(ctx(r), p.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := access.Allow(p.User, access.DeleteOrganization, access.Resource{OrganizationID: o.ID}); err != nil {
		return err
	}
	return ui.render(w, r, p, "confirm_delete", map[string]any{"Name": o.Name, "Action": "/organizations/" + o.ID + "/delete",
		"Back": "/organizations/" + o.ID, "Version": o.Version})
}

func (ui *UI) deleteOrganization(w http.ResponseWriter, r *http.Request, p *request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := ui.Dir.DeleteOrganization(ctx(r), p.User, id, f.version()); err != nil {
		return err
	}
	return redirect(w, r, "/organizations", p.L.T("flash_deleted"))
}

func (ui *UI) createDepartment(w http.ResponseWriter, r *http.Request, p *request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	d := domain.Department{OrganizationID: r.PathValue("id"), Name: strings.TrimSpace(f.Get("name"))}
	if err := ui.Dir.CreateDepartment(ctx(r), p.User, &d); err != nil {
		if domain.ErrorCode(err) == domain.EINVALID || domain.ErrorCode(err) == domain.ECONFLICT {
			return redirect(w, r, "/organizations/"+d.OrganizationID+"#departments", p.L.T("flash_department_refused")+": "+refusal(err))
		}
		return err
	}
	return redirect(w, r, "/organizations/"+d.OrganizationID+"#departments", p.L.T("flash_created"))
}

func (ui *UI) deleteDepartment(w http.ResponseWriter, r *http.Request, p *request) error {
	id := r.PathValue("id")
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	org := f.Get("organization_id")
	if err := ui.Dir.DeleteDepartment(ctx(r), p.User, id); err != nil {
		if domain.ErrorCode(err) == domain.ECONFLICT {
			return redirect(w, r, "/organizations/"+url.PathEscape(org)+"#departments", domain.ErrorMessage(err))
		}
		return err
	}
	return redirect(w, r, "/organizations/"+url.PathEscape(org)+"#departments", p.L.T("flash_deleted"))
}

func (ui *UI) addMember(w http.ResponseWriter, r *http.Request, p *request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	org := r.PathValue("id")
	m := domain.Membership{OrganizationID: org, Role: domain.Role(f.Get("role")), DepartmentID: f.Get("department_id")}
	if m.Role != domain.RoleScreener {
		m.DepartmentID = ""
	}
	back := "/organizations/" + url.PathEscape(org) + "#members"
	if err := ui.Accounts.AddMember(ctx(r), p.User, strings.TrimSpace(f.Get("email")), m); err != nil {
		if code := domain.ErrorCode(err); code == domain.EINVALID || code == domain.ECONFLICT {
			return redirect(w, r, back, p.L.T("flash_member_refused")+": "+refusal(err))
		}
		return err
	}
	return redirect(w, r, back, p.L.T("flash_member_added"))
}

func (ui *UI) removeMember(w http.ResponseWriter, r *http.Request, p *request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	org := r.PathValue("id")
	m := domain.Membership{OrganizationID: org, Role: domain.Role(f.Get("role")), DepartmentID: f.Get("department_id")}
	back := "/organizations/" + url.PathEscape(org) + "#members"
	if err := ui.Accounts.RemoveMember(ctx(r), p.User, f.Get("user_id"), m); err != nil {
		if domain.ErrorCode(err) == domain.ECONFLICT {
			return redirect(w, r, back, refusal(err))
		}
		return err
	}
	return redirect(w, r, back, p.L.T("flash_member_removed"))
}

// refusal is the message of a refused change, with its field errors.
func refusal(err error) string {
	msg := domain.ErrorMessage(err)
	for _, f := range domain.ErrorFields(err) {
		msg += "; " + f.Field + " " + f.Message
	}
	return msg
}
