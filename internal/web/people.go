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

func (ui *UI) listPeople(w http.ResponseWriter, r *http.Request, p *request) error {
	q := r.URL.Query()
	f := store.PersonFilter{Query: q.Get("q"), OrganizationID: q.Get("organization_id"), Specialty: q.Get("specialty"), Cursor: q.Get("cursor"), Limit: 25}
	list, next, err := ui.Dir.ListPeople(ctx(r), p.User, f)
	if err != nil {
		return err
	}
	ids := make([]string, len(list))
	for i, x := range list {
		ids[i] = x.OrganizationID
	}
	names, err := ui.orgNames(r, p, ids)
	if err != nil {
		return err
	}
	return ui.render(w, r, p, "people", map[string]any{"CanCreate": mayCreateSomewhere(p.User) == nil, "Filter": f, "Items": list, "Next": nextLink(r, next), "OrgNames": names,
		"First": firstLink(r)})
}

// orgNames returns the names of organizations by id, for lists that show them.
func (ui *UI) orgNames(r *http.Request, p *request, ids []string) (map[string]string, error) {
	return ui.Dir.OrganizationNames(ctx(r), p.User, ids)
}

func (ui *UI) showPerson(w http.ResponseWriter, r *http.Request, p *request) error {
	person, err := ui.Dir.Person(ctx(r), p.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	org, err := ui.Dir.Organization(ctx(r), p.User, person.OrganizationID)
	if err != nil {
		return err
	}
	dept := ""
	if person.DepartmentID != "" {
		deps, err := ui.Dir.Departments(ctx(r), p.User, person.OrganizationID)
		if err != nil {
			return err
		}
		for _, d := range deps {
			if d.ID == person.DepartmentID {
				dept = d.Name
			}
		}
	}
	history, err := ui.history(r, p, "person", person.ID)
	if err != nil {
		return err
	}
	res := access.Resource{OrganizationID: person.OrganizationID, UserID: person.UserID}
	return ui.render(w, r, p, "person", map[string]any{"Person": person, "Org": org, "Department": dept, "History": history,
		"CanEdit":   access.Can(p.User, access.UpdatePerson, res),
		"CanDelete": access.Can(p.User, access.DeletePerson, res)})
}

func personValues(x domain.Person) url.Values {
	return valuesOf("organization_id", x.OrganizationID, "department_id", x.DepartmentID, "name", x.Name, "title", x.Title,
		"specialty", x.Specialty, "languages", strings.Join(x.Languages, ", "), "birth_date", x.BirthDate.String(),
		"email", x.Email, "phone", x.Phone, "version", strconv.FormatInt(x.Version, 10))
}

func personFromForm(f *form) domain.Person {
	x := domain.Person{OrganizationID: strings.TrimSpace(f.Get("organization_id")), DepartmentID: f.Get("department_id"),
		Name: strings.TrimSpace(f.Get("name")), Title: strings.TrimSpace(f.Get("title")), Specialty: strings.TrimSpace(f.Get("specialty")),
		Email: strings.TrimSpace(f.Get("email")), Phone: strings.TrimSpace(f.Get("phone")), Languages: []string{}}
	for _, l := range strings.Split(f.Get("languages"), ",") {
		if l = strings.TrimSpace(l); l != "" {
			x.Languages = append(x.Languages, l)
		}
	}
	x.BirthDate = f.dateField("birth_date", f.Get("birth_date"))
	return x
}

func (ui *UI) personForm(w http.ResponseWriter, r *http.Request, p *request, status int, f *form, x *domain.Person) error {
	orgID := f.Get("organization_id")
	var deps []domain.Department
	orgName := ""
	if orgID != "" {
		o, err := ui.Dir.Organization(ctx(r), p.User, orgID)
		if err == nil {
			orgName = o.Name
			if deps, err = ui.Dir.Departments(ctx(r), p.User, orgID); err != nil {
				return err
			}
		} else if domain.ErrorCode(err) != domain.ENOTFOUND {
			return err
		}
	}
	// The organizations the user may add people to, for the choice of organization.
	var orgs []domain.Membership
	for _, m := range p.User.Memberships {
		if m.Role == domain.RoleAdmin || m.Role == domain.RoleCoordinator {
			orgs = append(orgs, m)
		}
	}
	personal := x == nil || !x.PersonalHidden
	ui.renderStatus(w, r, p, status, "person_form", map[string]any{"Form": f, "Person": x, "Departments": deps, "OrgName": orgName,
		"Orgs": orgs, "Personal": personal})
	return nil
}

func (ui *UI) newPerson(w http.ResponseWriter, r *http.Request, p *request) error {
	if err := mayCreateSomewhere(p.User); err != nil {
		return err
	}
	f := newForm(url.Values{"organization_id": {r.URL.Query().Get("organization_id")}})
	return ui.personForm(w, r, p, http.StatusOK, f, nil)
}

func (ui *UI) createPerson(w http.ResponseWriter, r *http.Request, p *request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	x := personFromForm(f)
	if !f.Invalid() {
		err = ui.Dir.CreatePerson(ctx(r), p.User, &x)
		if err == nil {
			return redirect(w, r, "/people/"+x.ID, p.L.T("flash_created"))
		}
		if !f.absorb(err, p.L) {
			return err
		}
	}
	return ui.personForm(w, r, p, http.StatusUnprocessableEntity, f, nil)
}

func (ui *UI) editPerson(w http.ResponseWriter, r *http.Request, p *request) error {
	x, err := ui.Dir.Person(ctx(r), p.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := access.Allow(p.User, access.UpdatePerson, access.Resource{OrganizationID: x.OrganizationID, UserID: x.UserID}); err != nil {
		return err
	}
	return ui.personForm(w, r, p, http.StatusOK, newForm(personValues(x)), &x)
}

func (ui *UI) updatePerson(w http.ResponseWriter, r *http.Request, p *request) error {
	cur, err := ui.Dir.Person(ctx(r), p.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	x := personFromForm(f)
	x.ID, x.Version, x.UserID = cur.ID, f.version(), cur.UserID
	if !f.Invalid() {
		err = ui.Dir.UpdatePerson(ctx(r), p.User, &x)
		if err == nil {
			return redirect(w, r, "/people/"+x.ID, p.L.T("flash_saved"))
		}
		if !f.absorb(err, p.L) {
			return err
		}
	}
	return ui.personForm(w, r, p, http.StatusUnprocessableEntity, f, &cur)
}

func (ui *UI) confirmDeletePerson(w http.ResponseWriter, r *http.Request, p *request) error {
	x, err := ui.Dir.Person(ctx(r), p.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := access.Allow(p.User, access.DeletePerson, access.Resource{OrganizationID: x.OrganizationID}); err != nil {
		return err
	}
	return ui.render(w, r, p, "confirm_delete", map[string]any{"Name": x.Name, "Action": "/people/" + x.ID + "/delete",
		"Back": "/people/" + x.ID, "Version": x.Version})
}

func (ui *UI) deletePerson(w http.ResponseWriter, r *http.Request, p *request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	if err := ui.Dir.DeletePerson(ctx(r), p.User, r.PathValue("id"), f.version()); err != nil {
		return err
	}
	return redirect(w, r, "/people", p.L.T("flash_deleted"))
}
