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

// personPages are the forms of people: their organization's admins and
// coordinators add, change and delete them, and a person changes their
// own record.
func (ui *UI) personPages() recordPages[domain.Person] {
	return recordPages[domain.Person]{ui: ui, base: "/people",
		create: access.CreatePerson, change: access.UpdatePerson, remove: access.DeletePerson,
		resource: func(x domain.Person) access.Resource {
			return access.Resource{OrganizationID: x.OrganizationID, UserID: x.UserID}
		},
		find: ui.Dir.Person,
		meta: func(x domain.Person) (string, int64, string) { return x.ID, x.Version, x.Name },
		values: func(x domain.Person) url.Values {
			return valuesOf("organization_id", x.OrganizationID, "department_id", x.DepartmentID, "name", x.Name, "title", x.Title,
				"specialty", x.Specialty, "languages", strings.Join(x.Languages, ", "), "birth_date", x.BirthDate.String(),
				"email", x.Email, "phone", x.Phone, "version", strconv.FormatInt(x.Version, 10))
		},
		blank: func(r *http.Request) url.Values {
			return url.Values{"organization_id": {r.URL.Query().Get("organization_id")}}
		},
		read: func(f *form, cur *domain.Person) domain.Person {
			x := domain.Person{OrganizationID: f.text("organization_id"), DepartmentID: f.Get("department_id"),
				Name: f.text("name"), Title: f.text("title"), Specialty: f.text("specialty"),
				Email: f.text("email"), Phone: f.text("phone"), Languages: []string{}}
			for _, l := range strings.Split(f.Get("languages"), ",") {
				if l = strings.TrimSpace(l); l != "" {
					x.Languages = append(x.Languages, l)
				}
			}
			x.BirthDate = f.dateField("birth_date", f.Get("birth_date"))
			if cur != nil {
				x.ID, x.Version, x.UserID = cur.ID, f.version(), cur.UserID
			}
			return x
		},
		validate: (*domain.Person).Validate,
		insert:   ui.Dir.CreatePerson,
		update:   ui.Dir.UpdatePerson,
		delete:   ui.Dir.DeletePerson,
		form:     ui.personForm,
	}
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
