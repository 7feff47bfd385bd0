package web

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/mission"
)

// The pages of applications: those of a mission on its page, grouped by
// stage, the reader's own ("My applications"), one application with its
// steps, and the buttons of each step: screening, decision, withdrawal.

// stepView is a step taken on an application: to which stage, by whom,
// when and why.
type stepView struct {
	Stage domain.ApplicationStage
	Who   string
	At    time.Time
	Note  string
}

// applicationView is an application as the pages show it, with the steps
// the reader may take on it.
type applicationView struct {
	domain.Application
	Slot     string // the specialty of the slot applied for
	Steps    []stepView
	Screen   bool
	Decide   []domain.ApplicationStage // the decisions the reader may take
	CanLead  bool                      // the decision may make the applicant the leader
	Withdraw bool
	Back     string // the page the buttons come back to
}

// stageGroup is the applications of one stage.
type stageGroup struct {
	Stage domain.ApplicationStage
	Count string
	Items []applicationView
}

// groupByStage returns the applications by stage, in the order of the
// selection, leaving out stages without any.
func (me *viewer) groupByStage(apps []applicationView) []stageGroup {
	var out []stageGroup
	for _, st := range domain.ApplicationStages {
		g := stageGroup{Stage: st}
		for _, a := range apps {
			if a.Stage == st {
				g.Items = append(g.Items, a)
			}
		}
		if len(g.Items) > 0 {
			g.Count = me.L.Number(int64(len(g.Items)))
			out = append(out, g)
		}
	}
	return out
}

// applicationViews returns the applications of mission m as the reader
// sees them, their steps named by who took them and the buttons the
// reader may press.
func (ui *UI) applicationViews(r *http.Request, me *viewer, m domain.Mission, apps []domain.Application, back string) ([]applicationView, error) {
	ctx := r.Context()
	// Steps are taken by people of the sending organization: its members
	// name them, for readers who may see its members.
	who := map[string]string{}
	if access.Can(me.User, access.ReadMembers, access.Resource{OrganizationID: m.SendingID}) {
		members, err := ui.Accounts.Members(ctx, me.User, m.SendingID)
		if err != nil {
			return nil, err
		}
		for _, mb := range members {
			who[mb.UserID] = me.L.T("step_who", "Name", mb.Name, "Role", me.L.T("role_"+string(mb.Role)))
		}
	}
	// A team has one leader: once one is selected as leader, the others
	// are selected as members.
	led := slices.ContainsFunc(apps, func(a domain.Application) bool { return a.Leader && a.Stage == domain.StageSelected })
	out := make([]applicationView, len(apps))
	for i, a := range apps {
		user := a.UserID
		v := applicationView{Application: a, Back: back + "#application-" + a.ID,
			Screen:   mission.Can(me.User, domain.StepScreen, m, a, user),
			Withdraw: mission.Can(me.User, domain.StepWithdraw, m, a, user)}
		if s, ok := m.Slot(a.SlotID); ok {
			v.Slot = s.Specialty
		}
		if mission.Can(me.User, domain.StepDecide, m, a, user) {
			v.Decide = a.Stage.Outcomes(domain.StepDecide)
			for _, to := range v.Decide {
				v.CanLead = v.CanLead || (to == domain.StageSelected && !led)
			}
		}
		for _, st := range a.Steps {
			name, ok := who[st.UserID]
			switch {
			case st.UserID == "":
				name = me.L.T("history_system")
			case st.UserID == me.User.ID:
				name = me.L.T("step_by_you")
			case !ok:
				name = me.L.T("step_by_other")
			}
			v.Steps = append(v.Steps, stepView{Stage: st.Stage, Who: name, At: st.At, Note: st.Note})
		}
		out[i] = v
	}
	return out, nil
}

// missionApplications returns every application to m that the reader may
// see.
func (ui *UI) missionApplications(r *http.Request, me *viewer, m domain.Mission) ([]applicationView, error) {
	var all []domain.Application
	cursor := ""
	for range 50 {
		list, next, err := ui.Missions.Applications(r.Context(), me.User, m.ID, "", cursor, domain.MaxPageSize)
		if err != nil {
			return nil, err
		}
		all = append(all, list...)
		if cursor = next; cursor == "" {
			break
		}
	}
	return ui.applicationViews(r, me, m, all, "/missions/"+url.PathEscape(m.ID))
}

// registerView is the registration form on a mission's page: a person of
// the sending organization picked by its admins and coordinators, or the
// reader's own person, and a slot.
type registerView struct {
	Form   *form
	People []choice       // the people to pick from; none when the reader applies
	Self   *domain.Person // the reader's own person, when the reader applies
	Slots  []choice
}

// registerView returns the registration form the reader may use on m, nil
// when there is none, and whether the reader's own person has an open
// application already.
func (ui *UI) registerView(r *http.Request, me *viewer, m domain.Mission, apps []applicationView, typed *form) (*registerView, bool, error) {
	v := &registerView{Form: typed}
	if v.Form == nil {
		v.Form = me.newForm(nil)
	}
	for _, s := range m.Slots {
		v.Slots = append(v.Slots, choice{s.ID, me.L.T("slot_choice", "Specialty", s.Specialty,
			"Open", me.L.Number(int64(s.Open())), "Count", me.L.Number(int64(s.Count)))})
	}
	if access.Can(me.User, access.RegisterApplication, access.Resource{OrganizationID: m.SendingID}) {
		people, _, err := ui.Dir.ListPeople(r.Context(), me.User, domain.PersonFilter{OrganizationID: m.SendingID, Limit: domain.MaxPageSize})
		if err != nil {
			return nil, false, err
		}
		for _, p := range people {
			name := p.Name
			if p.Specialty != "" {
				name = me.L.T("person_choice", "Name", p.Name, "Specialty", p.Specialty)
			}
			v.People = append(v.People, choice{p.ID, name})
		}
		return v, false, nil
	}
	self, err := ui.ownPerson(r, me, m.SendingID)
	if err != nil || self == nil {
		return nil, false, err
	}
	for _, a := range apps {
		if a.PersonID == self.ID && a.Stage != domain.StageWithdrawn {
			return nil, true, nil
		}
	}
	v.Self = self
	return v, false, nil
}

// ownPerson returns the person of organization orgID linked to the reader,
// nil when there is none. Only members of the organization are looked for.
func (ui *UI) ownPerson(r *http.Request, me *viewer, orgID string) (*domain.Person, error) {
	if !me.User.HasRole(orgID, domain.Roles...) {
		return nil, nil
	}
	p, ok, err := ui.Missions.OwnPerson(r.Context(), me.User, orgID)
	if err != nil || !ok {
		return nil, err
	}
	return &p, nil
}

// registerApplication records an application from the form on a mission's
// page, or draws the page again with the refusal next to its field: a
// person on an overlapping mission, a slot whose requirements the person
// does not meet.
func (ui *UI) registerApplication(w http.ResponseWriter, r *http.Request, me *viewer) error {
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	a := domain.Application{MissionID: id, PersonID: f.Get("person_id"), SlotID: f.Get("slot_id"), Note: f.text("note")}
	return submit(w, r, f, submission{
		validate: a.Validate,
		save: func() (string, string, error) {
			err := ui.Missions.Register(r.Context(), me.User, &a)
			return "/missions/" + url.PathEscape(id) + "#application-" + a.ID, me.L.T("flash_registered"), err
		},
		redraw: func(status int) error { return ui.missionPage(w, r, me, status, id, f) },
	})
}

// takeStep returns the handler of a step's buttons on an application: it
// takes the step and goes back to the page the buttons were on.
func (ui *UI) takeStep(step domain.Step) handler {
	return func(w http.ResponseWriter, r *http.Request, me *viewer) error {
		id := r.PathValue("id")
		done := map[domain.Step]string{domain.StepScreen: me.L.T("flash_screened"), domain.StepDecide: me.L.T("flash_decided"),
			domain.StepWithdraw: me.L.T("flash_withdrawn")}[step]
		return act(w, r, me, action{
			do: func(f *form) (string, error) {
				back := "/applications/" + url.PathEscape(id)
				if b := f.Get("back"); b != "" {
					back = safeNext(b)
				}
				d := domain.Decision{ApplicationID: id, To: domain.ApplicationStage(f.Get("outcome")), Note: f.text("note"),
					Leader: f.Get("leader") != "", SlotID: f.Get("slot_id"), Version: f.version()}
				if step == domain.StepWithdraw {
					d.To = domain.StageWithdrawn
				}
				_, err := ui.Missions.Decide(r.Context(), me.User, step, d)
				return back, err
			},
			done: done, refused: me.L.T("step_refused"),
		})
	}
}

// ownApplication is one of the reader's applications with its mission.
type ownApplication struct {
	App     applicationView
	Mission missionRow
}

// applicationsPage is the reader's own applications.
type applicationsPage struct {
	Items       []ownApplication
	Next, First string
}

// ownApplications returns the applications with their missions, each mission
// read once.
func (ui *UI) ownApplications(r *http.Request, me *viewer, apps []domain.Application, back string) ([]ownApplication, error) {
	missions := map[string]missionRow{}
	var out []ownApplication
	for _, a := range apps {
		row, ok := missions[a.MissionID]
		if !ok {
			m, err := ui.Missions.Mission(r.Context(), me.User, a.MissionID)
			if err != nil {
				return nil, err
			}
			rows, err := ui.missionRows(r, me, []domain.Mission{m})
			if err != nil {
				return nil, err
			}
			row, missions[a.MissionID] = rows[0], rows[0]
		}
		views, err := ui.applicationViews(r, me, row.Mission, []domain.Application{a}, back)
		if err != nil {
			return nil, err
		}
		out = append(out, ownApplication{App: views[0], Mission: row})
	}
	return out, nil
}

func (ui *UI) listMyApplications(w http.ResponseWriter, r *http.Request, me *viewer) error {
	apps, next, err := ui.Missions.MyApplications(r.Context(), me.User, r.URL.Query().Get("cursor"), listPageSize)
	if err != nil {
		return err
	}
	pg := applicationsPage{Next: nextLink(r, next), First: firstLink(r)}
	if pg.Items, err = ui.ownApplications(r, me, apps, r.URL.RequestURI()); err != nil {
		return err
	}
	return ui.render(w, r, me, "applications", pg)
}

func (ui *UI) showApplication(w http.ResponseWriter, r *http.Request, me *viewer) error {
	a, _, err := ui.Missions.Application(r.Context(), me.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	items, err := ui.ownApplications(r, me, []domain.Application{a}, "/applications/"+url.PathEscape(a.ID))
	if err != nil {
		return err
	}
	return ui.render(w, r, me, "application", items[0])
}
