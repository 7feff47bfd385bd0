package main

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"aidbridge/internal/domain"
)

// Who may act on missions and applications, as the matrix reads the
// policy: the sending organization's reviewers decide; the screener of the
// applicant's department screens; the sending organization's admins and
// coordinators run missions and act for applicants. The applicant's own
// rights (a person linked to the user) are not a subject of the matrix:
// the mission tests cover them.
var (
	reviewersInside  = who{siteAdmin: true, inside: []domain.Role{domain.RoleReviewer}}
	screenersOwn     = who{siteAdmin: true, ownDepartment: []domain.Role{domain.RoleScreener}}
	applicationSeers = who{siteAdmin: true, inside: []domain.Role{domain.RoleAdmin, domain.RoleCoordinator, domain.RoleReviewer},
		ownDepartment: []domain.Role{domain.RoleScreener}}
)

// missionRows are the matrix rows of missions, their teams and the
// applications to them. The missions are SCMC's, sent to Seattle
// Children's; the applicants are people of SCMC's department A.
func missionRows() []row {
	mission := func(suffix string) func(f *fixture) string {
		return func(f *fixture) string { return "/api/v1/missions/" + f.newMission().ID + suffix }
	}
	application := func(stage domain.ApplicationStage, suffix string) func(f *fixture) string {
		return func(f *fixture) string { return "/api/v1/applications/" + f.newApplication(stage) + suffix }
	}
	missionBody := func(f *fixture) map[string]any {
		return map[string]any{"partnership_id": f.newPartnership(f.scmc, f.seattle), "sequence": 1, "sending_id": f.scmc, "host_id": f.seattle,
			"starts_on": "2030-01-01", "ends_on": "2030-06-30", "status": "recruiting",
			"slots": []map[string]any{{"specialty": "Matrix", "count": 2}}, "version": 1}
	}
	page := func(suffix string) func(f *fixture) string {
		return func(f *fixture) string { return "/missions/" + f.newMission().ID + suffix }
	}
	missionForm := func(f *fixture, m *domain.Mission) url.Values {
		v := url.Values{"partnership_id": {f.newPartnership(f.scmc, f.seattle)}, "sequence": {"1"}, "sending_id": {f.scmc}, "host_id": {f.seattle},
			"starts_on": {"2030-01-01"}, "ends_on": {"2030-06-30"}, "slot_specialty": {"Matrix"}, "slot_count": {"2"}}
		if m != nil {
			v.Set("partnership_id", m.PartnershipID)
			v.Set("version", strconv.FormatInt(m.Version, 10))
			v.Set("slot_id", m.Slots[0].ID)
			v.Set("slot_count", "150")
		}
		return v
	}
	step := func(stage domain.ApplicationStage, path string, v url.Values) func(f *fixture) request {
		return func(f *fixture) request {
			id := f.newApplication(stage)
			a, _ := f.m.Store.FindApplication(context.Background(), id)
			form := url.Values{"version": {strconv.FormatInt(a.Version, 10)}}
			for k, x := range v {
				form[k] = x
			}
			return request{"/applications/" + id + "/" + path, form}
		}
	}
	return []row{
		{action: "read missions", who: anyone,
			api:  calls(get("GET /api/v1/missions", at("/api/v1/missions?forming=true"))),
			page: calls(get("GET /missions", at("/missions?view=all")))},
		{action: "read a mission", who: anyone,
			api:  calls(get("GET /api/v1/missions/{id}", mission(""))),
			page: calls(get("GET /missions/{id}", page("")))},
		{action: "open the form of a new mission", who: editorsAny,
			api:  none("the API takes a new mission's body at once, without a form"),
			page: calls(get("GET /missions/new", at("/missions/new")))},
		{action: "open a mission SCMC sends", who: editorsInside,
			api: calls(send("POST /api/v1/missions", http.StatusCreated, func(f *fixture) request {
				return request{"/api/v1/missions", missionBody(f)}
			})),
			page: calls(send("POST /missions", http.StatusSeeOther, func(f *fixture) request { return request{"/missions", missionForm(f, nil)} }))},
		{action: "change a mission SCMC sends", who: editorsInside,
			api: calls(send("PUT /api/v1/missions/{id}", http.StatusOK, func(f *fixture) request {
				m := f.newMission()
				b := missionBody(f)
				b["partnership_id"], b["sequence"] = m.PartnershipID, m.Sequence
				b["slots"] = []map[string]any{{"id": m.Slots[0].ID, "specialty": "Matrix", "count": 150}}
				return request{"/api/v1/missions/" + m.ID, b}
			})),
			page: calls(get("GET /missions/{id}/edit", page("/edit")),
				send("POST /missions/{id}", http.StatusSeeOther, func(f *fixture) request {
					m := f.newMission()
					return request{"/missions/" + m.ID, missionForm(f, &m)}
				}))},
		{action: "delete a mission SCMC sends", who: editorsInside,
			api: calls(send("DELETE /api/v1/missions/{id}", http.StatusNoContent, func(f *fixture) request {
				return request{path: "/api/v1/missions/" + f.newMission().ID + "?version=1"}
			})),
			page: calls(get("GET /missions/{id}/delete", page("/delete")),
				send("POST /missions/{id}/delete", http.StatusSeeOther, func(f *fixture) request {
					return request{"/missions/" + f.newMission().ID + "/delete", url.Values{"version": {"1"}}}
				}))},
		{action: "change where a mission SCMC sends stands", who: editorsInside,
			api: calls(send("POST /api/v1/missions/{id}/status", http.StatusOK, func(f *fixture) request {
				return request{"/api/v1/missions/" + f.newMission().ID + "/status", map[string]any{"status": "draft", "version": 1}}
			})),
			page: calls(send("POST /missions/{id}/status", http.StatusSeeOther, func(f *fixture) request {
				return request{"/missions/" + f.newMission().ID + "/status", url.Values{"to": {"draft"}, "version": {"1"}}}
			}))},
		{action: "read a mission's team", who: anyone,
			api:  calls(get("GET /api/v1/missions/{id}/team", mission("/team"))),
			page: none("a mission's page shows its team (the row to read a mission)")},
		{action: "make a team member of a mission SCMC sends the leader", who: reviewersInside,
			api: calls(send("PUT /api/v1/missions/{id}/leader", http.StatusNoContent, func(f *fixture) request {
				a, _ := f.m.Store.FindApplication(context.Background(), f.newApplication(domain.StageSelected))
				return request{"/api/v1/missions/" + a.MissionID + "/leader", map[string]any{"person_id": a.PersonID}}
			})),
			page: calls(send("POST /missions/{id}/leader", http.StatusSeeOther, func(f *fixture) request {
				a, _ := f.m.Store.FindApplication(context.Background(), f.newApplication(domain.StageSelected))
				return request{"/missions/" + a.MissionID + "/leader", url.Values{"person_id": {a.PersonID}}}
			}))},
		{action: "suggest a roster for a mission SCMC sends", who: who{siteAdmin: true, inside: []domain.Role{domain.RoleAdmin, domain.RoleCoordinator, domain.RoleReviewer}},
			api:  calls(get("GET /api/v1/missions/{id}/roster", mission("/roster"))),
			page: calls(get("GET /missions/{id}/roster", page("/roster")))},
		{action: "list the applications to a mission (each reader sees those they may)", who: anyone,
			api:  calls(get("GET /api/v1/missions/{id}/applications", mission("/applications?stage=registered"))),
			page: none("a mission's page lists the applications its reader may see (the row to read a mission)")},
		{action: "apply for a person of SCMC", who: editorsInside,
			api: calls(send("POST /api/v1/missions/{id}/applications", http.StatusCreated, func(f *fixture) request {
				m := f.newMission()
				return request{"/api/v1/missions/" + m.ID + "/applications", map[string]any{"slot_id": m.Slots[0].ID, "person_id": f.newApplicant()}}
			})),
			page: calls(send("POST /missions/{id}/applications", http.StatusSeeOther, func(f *fixture) request {
				m := f.newMission()
				return request{"/missions/" + m.ID + "/applications", url.Values{"slot_id": {m.Slots[0].ID}, "person_id": {f.newApplicant()}}}
			}))},
		{action: "list one's own applications", who: anyone,
			api:  calls(get("GET /api/v1/applications", at("/api/v1/applications"))),
			page: calls(get("GET /applications", at("/applications")))},
		{action: "read an application from SCMC's department A", who: applicationSeers,
			api:  calls(get("GET /api/v1/applications/{id}", application(domain.StageRegistered, ""))),
			page: calls(get("GET /applications/{id}", func(f *fixture) string { return "/applications/" + f.newApplication(domain.StageRegistered) }))},
		{action: "screen an application from SCMC's department A", who: screenersOwn,
			api: calls(send("POST /api/v1/applications/{id}/screening", http.StatusOK, func(f *fixture) request {
				return request{application(domain.StageRegistered, "/screening")(f), map[string]any{"outcome": "passed", "note": "fit", "version": 1}}
			})),
			page: calls(send("POST /applications/{id}/screening", http.StatusSeeOther, step(domain.StageRegistered, "screening", url.Values{"outcome": {"passed"}})))},
		{action: "decide on a screened application to a mission SCMC sends", who: reviewersInside,
			api: calls(send("POST /api/v1/applications/{id}/decision", http.StatusOK, func(f *fixture) request {
				return request{application(domain.StagePassed, "/decision")(f), map[string]any{"outcome": "reserve", "version": 2}}
			})),
			page: calls(send("POST /applications/{id}/decision", http.StatusSeeOther, step(domain.StagePassed, "decision", url.Values{"outcome": {"reserve"}})))},
		{action: "withdraw an application to a mission SCMC sends", who: editorsInside,
			api: calls(send("POST /api/v1/applications/{id}/withdrawal", http.StatusOK, func(f *fixture) request {
				return request{application(domain.StageRegistered, "/withdrawal")(f), map[string]any{"note": "changed plans", "version": 1}}
			})),
			page: calls(send("POST /applications/{id}/withdrawal", http.StatusSeeOther, step(domain.StageRegistered, "withdrawal", nil)))},
		{action: "read a person's mission history", who: anyone,
			api:  calls(get("GET /api/v1/people/{id}/missions", func(f *fixture) string { return "/api/v1/people/" + f.person + "/missions" })),
			page: none("a person's page shows their missions (a row of the directory)")},
		{action: "count the teams of a program", who: anyone,
			api:  calls(get("GET /api/v1/programs/{id}/teams", func(f *fixture) string { return "/api/v1/programs/" + f.newProgram(f.hope) + "/teams" })),
			page: none("a program's page shows its teams (the row to read a program)")},
		{action: "count the teams of a partnership", who: anyone,
			api: calls(get("GET /api/v1/partnerships/{id}/teams", func(f *fixture) string {
				return "/api/v1/partnerships/" + f.newPartnership(f.scmc, f.seattle) + "/teams"
			})),
			page: none("a partnership's page shows its teams (the row to read a partnership)")},
	}
}

// newMission opens a recruiting mission of SCMC to Seattle Children's
// under a new partnership, with one slot of 200 places for specialty
// "Matrix" that asks for nothing else.
func (f *fixture) newMission() domain.Mission {
	m := domain.Mission{PartnershipID: f.newPartnership(f.scmc, f.seattle), Sequence: 1, SendingID: f.scmc, HostID: f.seattle,
		StartsOn: domain.Date{Year: 2030, Month: 1, Day: 1}, EndsOn: domain.Date{Year: 2030, Month: 6, Day: 30}, Status: domain.MissionRecruiting,
		Slots: []domain.Slot{{Specialty: "Matrix", Count: 200, Languages: []string{}}}}
	if err := f.m.Store.CreateMission(context.Background(), system, &m); err != nil {
		f.m.t.Fatal(err)
	}
	return m
}

// newApplicant creates a person of SCMC's department A who fits the
// matrix's slots.
func (f *fixture) newApplicant() string {
	p := domain.Person{OrganizationID: f.scmc, DepartmentID: f.departments["A"], Name: f.unique("Matrix Applicant"), Specialty: "Matrix"}
	if err := f.m.Store.CreatePerson(context.Background(), system, &p); err != nil {
		f.m.t.Fatal(err)
	}
	return p.ID
}

// newApplication registers a new applicant for a new mission and takes the
// application to stage: registered, passed or selected.
func (f *fixture) newApplication(stage domain.ApplicationStage) string {
	ctx := context.Background()
	m := f.newMission()
	a := domain.Application{MissionID: m.ID, SlotID: m.Slots[0].ID, PersonID: f.newApplicant()}
	if err := f.m.Store.Register(ctx, system, &a); err != nil {
		f.m.t.Fatal(err)
	}
	for _, to := range map[domain.ApplicationStage][]domain.ApplicationStage{
		domain.StagePassed:   {domain.StagePassed},
		domain.StageSelected: {domain.StagePassed, domain.StageSelected},
	}[stage] {
		if _, err := f.m.Store.Decide(ctx, system, domain.Decision{ApplicationID: a.ID, To: to}); err != nil {
			f.m.t.Fatal(err)
		}
	}
	return a.ID
}
