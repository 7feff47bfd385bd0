package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
)

// peoplePage is the directory's list of people.
type peoplePage struct {
	Filter      domain.PersonFilter
	Items       []domain.Person
	OrgNames    map[string]string
	Next, First string
	CanCreate   bool
}

func (ui *UI) listPeople(w http.ResponseWriter, r *http.Request, me *viewer) error {
	q := r.URL.Query()
	f := domain.PersonFilter{Query: q.Get("q"), OrganizationID: q.Get("organization_id"), Specialty: q.Get("specialty"), Cursor: q.Get("cursor"), Limit: listPageSize}
	list, next, err := ui.Dir.ListPeople(r.Context(), me.User, f)
	if err != nil {
		return err
	}
	ids := make([]string, len(list))
	for i, person := range list {
		ids[i] = person.OrganizationID
	}
	names, err := ui.orgNames(r, me, ids)
	if err != nil {
		return err
	}
	return ui.render(w, r, me, "people", peoplePage{Filter: f, Items: list, OrgNames: names, Next: nextLink(r, next), First: firstLink(r),
		CanCreate: access.Somewhere(me.User, access.CreatePerson) == nil})
}

// orgNames returns the names of organizations by id, for lists that show them.
func (ui *UI) orgNames(r *http.Request, me *viewer, ids []string) (map[string]string, error) {
	return ui.Dir.OrganizationNames(r.Context(), me.User, ids)
}

// personPage is one person with their organization, department, the
// missions they were on and history.
type personPage struct {
	Person             domain.Person
	Org                domain.Organization
	Department         string
	Missions           []personMission
	DaysServed         string // on missions that left, in all
	History            []domain.AuditEntry
	CanEdit, CanDelete bool
}

// personMission is a mission a person was on, with their role and the
// days it lasts.
type personMission struct {
	missionRow
	Role domain.TeamRole
	Days string
}

func (ui *UI) showPerson(w http.ResponseWriter, r *http.Request, me *viewer) error {
	person, err := ui.Dir.Person(r.Context(), me.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	org, err := ui.Dir.Organization(r.Context(), me.User, person.OrganizationID)
	if err != nil {
		return err
	}
	dept := ""
	if person.DepartmentID != "" {
		deps, err := ui.Dir.Departments(r.Context(), me.User, person.OrganizationID)
		if err != nil {
			return err
		}
		for _, d := range deps {
			if d.ID == person.DepartmentID {
				dept = d.Name
			}
		}
	}
	history, err := ui.history(r, me, "person", person.ID)
	if err != nil {
		return err
	}
	served, err := ui.Missions.PersonHistory(r.Context(), me.User, person.ID)
	if err != nil {
		return err
	}
	rows, err := ui.missionRows(r, me, served.Missions)
	if err != nil {
		return err
	}
	res := access.Resource{OrganizationID: person.OrganizationID, UserID: person.UserID}
	pg := personPage{Person: person, Org: org, Department: dept, History: history, DaysServed: me.L.Number(int64(served.Total)),
		CanEdit:   access.Can(me.User, access.UpdatePerson, res),
		CanDelete: access.Can(me.User, access.DeletePerson, res)}
	for i, row := range rows {
		pg.Missions = append(pg.Missions, personMission{missionRow: row, Role: served.Roles[i], Days: me.L.Number(int64(served.Days[i]))})
	}
	return ui.render(w, r, me, "person", pg)
}

// personPages are the forms of people: their organization's admins and
// coordinators add, change and delete them, and a person changes their
// own record.
func (ui *UI) personPages() recordPages[domain.Person] {
	return recordPages[domain.Person]{ui: ui, base: "/people",
		create: access.CreatePerson, change: access.UpdatePerson, remove: access.DeletePerson,
		resource: func(person domain.Person) access.Resource {
			return access.Resource{OrganizationID: person.OrganizationID, UserID: person.UserID}
		},
		find: ui.Dir.Person,
		meta: func(person domain.Person) (string, int64, string) { return person.ID, person.Version, person.Name },
		values: func(person domain.Person) url.Values {
			return valuesOf("organization_id", person.OrganizationID, "department_id", person.DepartmentID, "name", person.Name, "title", person.Title,
				"title_rank", string(person.TitleRank), "specialty", person.Specialty, "languages", strings.Join(person.Languages, ", "), "birth_date", person.BirthDate.String(),
				"email", person.Email, "phone", person.Phone, "version", strconv.FormatInt(person.Version, 10))
		},
		blank: func(r *http.Request) url.Values {
			return url.Values{"organization_id": {r.URL.Query().Get("organization_id")}}
		},
		read: func(f *form, cur *domain.Person) domain.Person {
			person := domain.Person{OrganizationID: f.text("organization_id"), DepartmentID: f.Get("department_id"),
				Name: f.text("name"), Title: f.text("title"), TitleRank: domain.TitleRank(f.Get("title_rank")), Specialty: f.text("specialty"),
				Email: f.text("email"), Phone: f.text("phone"), Languages: []string{}}
			for _, l := range strings.Split(f.Get("languages"), ",") {
				if l = strings.TrimSpace(l); l != "" {
					person.Languages = append(person.Languages, l)
				}
			}
			person.BirthDate = f.dateField("birth_date", f.Get("birth_date"))
			if cur != nil {
				person.ID, person.Version, person.UserID = cur.ID, f.version(), cur.UserID
			}
			return person
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
	Ranks       []domain.TitleRank
	Personal    bool // whether the reader may see and change personal data
}

func (ui *UI) personForm(w http.ResponseWriter, r *http.Request, me *viewer, status int, f *form, person *domain.Person) error {
	pg := personFormPage{Form: f, Person: person, Ranks: domain.TitleRanks, Personal: person == nil || !person.PersonalHidden}
	var err error
	if pg.Orgs, err = ui.orgChoices(r, me, access.CreatePerson); err != nil {
		return err
	}
	if person != nil {
		// The person's own organization is offered even to a person who
		// edits themselves and may add nobody anywhere.
		names, err := ui.orgNames(r, me, []string{person.OrganizationID})
		if err != nil {
			return err
		}
		pg.Orgs = mergeChoices([]choice{{person.OrganizationID, names[person.OrganizationID]}}, pg.Orgs, "")
	}
	if orgID := f.Get("organization_id"); orgID != "" {
		pg.Departments, err = ui.Dir.Departments(r.Context(), me.User, orgID)
		if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			return err
		}
	}
	ui.renderStatus(w, r, me, status, "person_form", pg)
	return nil
}
