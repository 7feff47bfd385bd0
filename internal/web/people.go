package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
)

func (ui *UI) listPeople(w http.ResponseWriter, r *http.Request, p *request) error {
	q := r.URL.Query()
	f := domain.PersonFilter{Query: q.Get("q"), OrganizationID: q.Get("organization_id"), Specialty: q.Get("specialty"), Cursor: q.Get("cursor"), Limit: 25}
	list, next, err := ui.Dir.ListPeople(r.Context(), p.User, f)
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
	return ui.render(w, r, p, "people", map[string]any{"CanCreate": access.Somewhere(p.User, access.CreatePerson) == nil, "Filter": f, "Items": list, "Next": nextLink(r, next), "OrgNames": names,
		"First": firstLink(r)})
}

// orgNames returns the names of organizations by id, for lists that show them.
func (ui *UI) orgNames(r *http.Request, p *request, ids []string) (map[string]string, error) {
	return ui.Dir.OrganizationNames(r.Context(), p.User, ids)
}

func (ui *UI) showPerson(w http.ResponseWriter, r *http.Request, p *request) error {
	person, err := ui.Dir.Person(r.Context(), p.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	org, err := ui.Dir.Organization(r.Context(), p.User, person.OrganizationID)
	if err != nil {
		return err
	}
	dept := ""
	if person.DepartmentID != "" {
		deps, err := ui.Dir.Departments(r.Context(), p.User, person.OrganizationID)
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

// personFormPage is the form of a new person (Person nil) or of a person's
// change.
type personFormPage struct {
	Form        *form
	Person      *domain.Person
	Orgs        []choice
	Departments []domain.Department
	Personal    bool // whether the reader may see and change personal data
}

func (ui *UI) personForm(w http.ResponseWriter, r *http.Request, p *request, status int, f *form, x *domain.Person) error {
	pg := personFormPage{Form: f, Person: x, Personal: x == nil || !x.PersonalHidden}
	var err error
	if pg.Orgs, err = ui.orgChoices(r, p, access.CreatePerson); err != nil {
		return err
	}
	if x != nil {
		// The person's own organization is offered even to a person who
		// edits themselves and may add nobody anywhere.
		names, err := ui.orgNames(r, p, []string{x.OrganizationID})
		if err != nil {
			return err
		}
		pg.Orgs = mergeChoices([]choice{{x.OrganizationID, names[x.OrganizationID]}}, pg.Orgs, "")
	}
	if orgID := f.Get("organization_id"); orgID != "" {
		pg.Departments, err = ui.Dir.Departments(r.Context(), p.User, orgID)
		if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			return err
		}
	}
	ui.renderStatus(w, r, p, status, "person_form", pg)
	return nil
}

func (ui *UI) newPerson(w http.ResponseWriter, r *http.Request, p *request) error {
	if err := access.Somewhere(p.User, access.CreatePerson); err != nil {
		return err
	}
	f := p.newForm(url.Values{"organization_id": {r.URL.Query().Get("organization_id")}})
	return ui.personForm(w, r, p, http.StatusOK, f, nil)
}

func (ui *UI) createPerson(w http.ResponseWriter, r *http.Request, p *request) error {
	f, err := p.parseForm(r)
	if err != nil {
		return err
	}
	x := personFromForm(f)
	return submit(w, r, f, submission{
		validate: x.Validate,
		save: func() (string, string, error) {
			return "/people/" + x.ID, p.L.T("flash_created"), ui.Dir.CreatePerson(r.Context(), p.User, &x)
		},
		redraw: func(status int) error { return ui.personForm(w, r, p, status, f, nil) },
	})
}

// changeablePerson returns the person of the path for their edit and
// delete pages, refusing those who may not do a to them.
func (ui *UI) changeablePerson(r *http.Request, p *request, a access.Action) (domain.Person, error) {
	x, err := ui.Dir.Person(r.Context(), p.User, r.PathValue("id"))
	if err != nil {
		return x, err
	}
	return x, access.Allow(p.User, a, access.Resource{OrganizationID: x.OrganizationID, UserID: x.UserID})
}

func (ui *UI) editPerson(w http.ResponseWriter, r *http.Request, p *request) error {
	x, err := ui.changeablePerson(r, p, access.UpdatePerson)
	if err != nil {
		return err
	}
	return ui.personForm(w, r, p, http.StatusOK, p.newForm(personValues(x)), &x)
}

func (ui *UI) updatePerson(w http.ResponseWriter, r *http.Request, p *request) error {
	cur, err := ui.changeablePerson(r, p, access.UpdatePerson)
	if err != nil {
		return err
	}
	f, err := p.parseForm(r)
	if err != nil {
		return err
	}
	x := personFromForm(f)
	x.ID, x.Version, x.UserID = cur.ID, f.version(), cur.UserID
	return submit(w, r, f, submission{
		validate: x.Validate,
		save: func() (string, string, error) {
			return "/people/" + x.ID, p.L.T("flash_saved"), ui.Dir.UpdatePerson(r.Context(), p.User, &x)
		},
		redraw: func(status int) error { return ui.personForm(w, r, p, status, f, &cur) },
	})
}

func (ui *UI) confirmDeletePerson(w http.ResponseWriter, r *http.Request, p *request) error {
	x, err := ui.changeablePerson(r, p, access.DeletePerson)
	if err != nil {
		return err
	}
	return ui.confirmDelete(w, r, p, x.Name, "/people/"+x.ID, x.Version)
}

func (ui *UI) deletePerson(w http.ResponseWriter, r *http.Request, p *request) error {
	return ui.deleteRecord(w, r, p, "/people", func(version int64) error {
		return ui.Dir.DeletePerson(r.Context(), p.User, r.PathValue("id"), version)
	})
}
