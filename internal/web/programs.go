package web

import (
	"net/http"
	"net/url"
	"strconv"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/partnership"
)

// The pages of programs; the partnerships under them are in partnerships.go.

// programsPage is the list of programs.
type programsPage struct {
	Filter      domain.ProgramFilter
	Items       []domain.Program
	OrgNames    map[string]string
	Orgs        []choice
	Kinds       []domain.ProgramKind
	Next, First string
	CanCreate   bool
}

func (ui *UI) listPrograms(w http.ResponseWriter, r *http.Request, me *viewer) error {
	q := r.URL.Query()
	f := domain.ProgramFilter{Query: q.Get("q"), Kind: q.Get("kind"), OrganizationID: q.Get("organization_id"), Cursor: q.Get("cursor"), Limit: listPageSize}
	list, next, err := ui.Partners.ListPrograms(r.Context(), me.User, f)
	if err != nil {
		return err
	}
	var ids []string
	for _, p := range list {
		ids = append(ids, p.SponsorIDs...)
	}
	names, err := ui.orgNames(r, me, ids)
	if err != nil {
		return err
	}
	orgs, err := ui.orgChoices(r, me, access.ReadDirectory)
	if err != nil {
		return err
	}
	return ui.render(w, r, me, "programs", programsPage{Filter: f, Items: list, OrgNames: names, Orgs: orgs, Kinds: domain.ProgramKinds,
		Next: nextLink(r, next), First: firstLink(r), CanCreate: access.Somewhere(me.User, access.CreateProgram) == nil})
}

// programPage is one program with its partnerships and history.
type programPage struct {
	Program                       domain.Program
	Partnerships                  []domain.Partnership
	OrgNames                      map[string]string
	Next, First                   string
	Facts                         teamFacts
	Timeline                      *rotationChart // nil without missions
	History                       []domain.AuditEntry
	CanEdit, CanDelete, CanCreate bool
}

func (ui *UI) showProgram(w http.ResponseWriter, r *http.Request, me *viewer) error {
	pr, err := ui.Partners.Program(r.Context(), me.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	list, next, err := ui.Partners.ListPartnerships(r.Context(), me.User, domain.PartnershipFilter{ProgramID: pr.ID,
		Cursor: r.URL.Query().Get("cursor"), Limit: listPageSize})
	if err != nil {
		return err
	}
	ids := append([]string{}, pr.SponsorIDs...)
	for _, ps := range list {
		ids = append(ids, ps.ProviderID, ps.RecipientID)
	}
	names, err := ui.orgNames(r, me, ids)
	if err != nil {
		return err
	}
	history, err := ui.history(r, me, "program", pr.ID)
	if err != nil {
		return err
	}
	facts, err := ui.teamFacts(r, me, domain.MissionFilter{ProgramID: pr.ID})
	if err != nil {
		return err
	}
	missions, err := ui.allMissions(r, me, domain.MissionFilter{ProgramID: pr.ID})
	if err != nil {
		return err
	}
	res := partnership.ProgramResource(pr)
	return ui.render(w, r, me, "program", programPage{Program: pr, Partnerships: list, OrgNames: names, History: history, Facts: facts,
		Timeline: rotationTimeline(me.L, missions),
		Next:     nextLink(r, next), First: firstLink(r),
		CanEdit:   access.Can(me.User, access.UpdateProgram, res),
		CanDelete: access.Can(me.User, access.DeleteProgram, res),
		CanCreate: access.Somewhere(me.User, access.CreatePartnership) == nil})
}

// programFormPage is the form of a new program (Program nil) or of a
// program's change.
type programFormPage struct {
	Form     *form
	Program  *domain.Program
	Kinds    []domain.ProgramKind
	Orgs     []choice
	Sponsors []int // the rows of sponsors to show
}

// programPages are the forms of programs. A program's sponsors are picked
// by name from the directory; the policy wants one of them to be the
// user's.
func (ui *UI) programPages() recordPages[domain.Program] {
	return recordPages[domain.Program]{ui: ui, base: "/programs",
		create: access.CreateProgram, change: access.UpdateProgram, remove: access.DeleteProgram,
		resource: partnership.ProgramResource,
		find:     ui.Partners.Program,
		meta:     func(p domain.Program) (string, int64, string) { return p.ID, p.Version, p.Name },
		values: func(p domain.Program) url.Values {
			v := valuesOf("name", p.Name, "kind", string(p.Kind), "description", p.Description,
				"starts_on", p.StartsOn.String(), "ends_on", p.EndsOn.String(), "version", strconv.FormatInt(p.Version, 10))
			v["sponsor_ids"] = append([]string{}, p.SponsorIDs...)
			return v
		},
		blank: func(*http.Request) url.Values { return url.Values{"kind": {string(domain.ProgramKinds[0])}} },
		read: func(f *form, cur *domain.Program) domain.Program {
			p := domain.Program{Name: f.text("name"), Kind: domain.ProgramKind(f.Get("kind")), Description: f.text("description"),
				StartsOn: f.partialDateField("starts_on", f.Get("starts_on")), EndsOn: f.partialDateField("ends_on", f.Get("ends_on")),
				SponsorIDs: []string{}}
			for _, id := range f.List("sponsor_ids") {
				if id != "" {
					p.SponsorIDs = append(p.SponsorIDs, id)
				}
			}
			if cur != nil {
				p.ID, p.Version = cur.ID, f.version()
			}
			return p
		},
		validate: (*domain.Program).Validate,
		insert:   ui.Partners.CreateProgram,
		update:   ui.Partners.UpdateProgram,
		delete:   ui.Partners.DeleteProgram,
		form: func(w http.ResponseWriter, r *http.Request, me *viewer, status int, f *form, cur *domain.Program) error {
			orgs, err := ui.orgChoices(r, me, access.ReadDirectory)
			if err != nil {
				return err
			}
			ui.renderStatus(w, r, me, status, "program_form", programFormPage{Form: f, Program: cur, Kinds: domain.ProgramKinds,
				Orgs: orgs, Sponsors: f.Rows("sponsor_ids", 2)})
			return nil
		},
	}
}
