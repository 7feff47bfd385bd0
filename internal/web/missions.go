package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/mission"
)

// The pages of missions: the teams being formed and all missions, a
// mission with its slots, team and applications, its form, and the buttons
// that move it on and name its leader. The applications and their steps are
// in applications.go.

// deadlineView is a formation deadline as the pages say it: the days left,
// or how long ago it passed, flagged.
type deadlineView struct {
	Date    domain.Date
	Shown   bool // the mission is being formed and has a deadline
	Days    int  // left; negative once passed
	Overdue bool
	Text    string
}

// deadline returns the formation deadline of m as of today.
func (me *viewer) deadline(m domain.Mission, today domain.Date) deadlineView {
	d := deadlineView{Date: m.FormationDeadline}
	days, ok := m.DaysLeft(today)
	if !ok {
		return d
	}
	d.Shown, d.Days, d.Overdue = true, days, days < 0
	switch {
	case days > 1:
		d.Text = me.L.T("deadline_days_left", "Days", me.L.Number(int64(days)))
	case days == 1:
		d.Text = me.L.T("deadline_day_left")
	case days == 0:
		d.Text = me.L.T("deadline_today")
	case days == -1:
		d.Text = me.L.T("deadline_day_overdue")
	default:
		d.Text = me.L.T("deadline_days_overdue", "Days", me.L.Number(int64(-days)))
	}
	return d
}

// fillView is how many places of a team, or of a slot, are filled.
type fillView struct {
	Filled, Total int
	Text          string // "2 of 6 places filled"
	Short         string // "2 / 6", for tables
}

func (me *viewer) fill(filled, total int) fillView {
	f, t := me.L.Number(int64(filled)), me.L.Number(int64(total))
	return fillView{Filled: filled, Total: total, Text: me.L.T("fill_of", "Filled", f, "Total", t), Short: f + " / " + t}
}

// missionRow is a mission as lists show it, with the names of what it
// refers to.
type missionRow struct {
	domain.Mission
	Name                  string // "Team 5"
	Partnership           string
	Sending, Host, Period string
	Deadline              deadlineView
	Fill                  fillView
}

// missionName returns what the pages call a mission: its number.
func (me *viewer) missionName(m domain.Mission) string {
	return me.L.T("mission_name", "Sequence", me.L.Number(int64(m.Sequence)))
}

// missionRows returns the rows of missions, with the names of their
// partnerships and organizations.
func (ui *UI) missionRows(r *http.Request, me *viewer, list []domain.Mission) ([]missionRow, error) {
	var ids []string
	partnerships := map[string]string{}
	for _, m := range list {
		ids = append(ids, m.SendingID, m.HostID)
		if _, ok := partnerships[m.PartnershipID]; !ok {
			ps, err := ui.Partners.Partnership(r.Context(), me.User, m.PartnershipID)
			if err != nil {
				return nil, err
			}
			partnerships[m.PartnershipID] = ps.Name
		}
	}
	names, err := ui.orgNames(r, me, ids)
	if err != nil {
		return nil, err
	}
	today := ui.Missions.Today()
	out := make([]missionRow, len(list))
	for i, m := range list {
		filled, total := m.Places()
		out[i] = missionRow{Mission: m, Name: me.missionName(m), Partnership: partnerships[m.PartnershipID],
			Sending: names[m.SendingID], Host: names[m.HostID], Period: me.period(m),
			Deadline: me.deadline(m, today), Fill: me.fill(filled, total)}
	}
	return out, nil
}

// period writes a mission's dates: "2026-03-01 – 2026-08-31".
func (me *viewer) period(m domain.Mission) string {
	return me.L.T("period", "Starts", m.StartsOn.String(), "Ends", m.EndsOn.String())
}

// missionsPage is the list of missions: those being formed, soonest
// deadline first, or all of them by filters.
type missionsPage struct {
	All          bool // the view of all missions, else of those being formed
	Filter       domain.MissionFilter
	Filtered     bool
	Items        []missionRow
	Partnerships []choice
	Orgs         []choice
	Statuses     []domain.MissionStatus
	Next, First  string
	CanCreate    bool
}

// partnershipChoices returns the partnerships, the first 200 by name, to
// pick from.
func (ui *UI) partnershipChoices(r *http.Request, me *viewer) ([]choice, error) {
	list, _, err := ui.Partners.ListPartnerships(r.Context(), me.User, domain.PartnershipFilter{Limit: domain.MaxPageSize})
	if err != nil {
		return nil, err
	}
	out := make([]choice, len(list))
	for i, ps := range list {
		out[i] = choice{ps.ID, ps.Name}
	}
	return out, nil
}

func (ui *UI) listMissions(w http.ResponseWriter, r *http.Request, me *viewer) error {
	q := r.URL.Query()
	pg := missionsPage{All: q.Get("view") == "all", Statuses: domain.MissionStatuses,
		CanCreate: access.Somewhere(me.User, access.CreateMission) == nil}
	f := domain.MissionFilter{Forming: true, Cursor: q.Get("cursor"), Limit: listPageSize}
	if pg.All {
		f = domain.MissionFilter{PartnershipID: q.Get("partnership_id"), OrganizationID: q.Get("organization_id"),
			Status: q.Get("status"), Cursor: q.Get("cursor"), Limit: listPageSize}
		pg.Filtered = f.PartnershipID != "" || f.OrganizationID != "" || f.Status != ""
	}
	pg.Filter = f
	list, next, err := ui.Missions.ListMissions(r.Context(), me.User, f)
	if err != nil {
		return err
	}
	if pg.Items, err = ui.missionRows(r, me, list); err != nil {
		return err
	}
	if pg.All {
		if pg.Partnerships, err = ui.partnershipChoices(r, me); err != nil {
			return err
		}
		if pg.Orgs, err = ui.orgChoices(r, me, access.ReadDirectory); err != nil {
			return err
		}
	}
	pg.Next, pg.First = nextLink(r, next), firstLink(r)
	return ui.render(w, r, me, "missions", pg)
}

// slotView is a slot of a mission as its page shows it, with what each of
// its places asks for in words.
type slotView struct {
	domain.Slot
	Fill         fillView
	Requirements string
}

// requirements says what a slot asks of each person on it, "" when it
// asks nothing beyond the specialty.
func (me *viewer) requirements(s domain.Slot) string {
	var out []string
	if len(s.Languages) > 0 {
		out = append(out, me.L.T("slot_languages", "Languages", me.L.LanguageNames(s.Languages)))
	}
	if s.MinTitle != "" {
		out = append(out, me.L.T("slot_min_title", "Title", me.L.T("title_rank_"+string(s.MinTitle))))
	}
	if s.MaxAge > 0 {
		out = append(out, me.L.T("slot_max_age", "Age", me.L.Number(int64(s.MaxAge))))
	}
	if len(out) == 0 {
		return ""
	}
	return me.L.T("slot_requirements", "List", strings.Join(out, me.L.T("list_separator")))
}

// moveView is a status a mission may move to from where it stands, as a
// button, with the reason it asks for.
type moveView struct {
	To       domain.MissionStatus
	Reason   bool // the move asks why: a team formed short-staffed, a cancellation
	Required bool
	Hint     string
}

// teamView is a mission's team with its facts as the page says them.
type teamView struct {
	domain.Team
	AverageAge  string // "38.5", empty when no birth date is known
	Size        string // the members
	Aged        string // of how many members the average is
	Specialties string
	Births      bool // whether the reader sees any member's birth date
	CanLead     bool // whether the reader may name the leader
}

// missionPage is one mission with its slots, team and the applications the
// reader may see.
type missionPage struct {
	Mission            missionRow
	Slots              []slotView
	Moves              []moveView
	Team               teamView
	Groups             []stageGroup
	Register           *registerView // nil when the reader may register nobody now
	Applied            bool          // the reader's own person has an open application
	CanEdit, CanDelete bool
	CanRoster          bool // the reader may ask for a roster, and places are open
	CanOutcome         bool // the reader may record an outcome of the team
	History            []domain.AuditEntry
}

func (ui *UI) showMission(w http.ResponseWriter, r *http.Request, me *viewer) error {
	return ui.missionPage(w, r, me, http.StatusOK, r.PathValue("id"), nil)
}

// missionPage draws a mission's page at status; register is the
// registration form as typed, when it is drawn again with its errors.
func (ui *UI) missionPage(w http.ResponseWriter, r *http.Request, me *viewer, status int, id string, register *form) error {
	ctx := r.Context()
	m, err := ui.Missions.Mission(ctx, me.User, id)
	if err != nil {
		return err
	}
	rows, err := ui.missionRows(r, me, []domain.Mission{m})
	if err != nil {
		return err
	}
	res := mission.MissionResource(m)
	pg := missionPage{Mission: rows[0],
		CanEdit:   access.Can(me.User, access.UpdateMission, res),
		CanDelete: access.Can(me.User, access.DeleteMission, res)}
	for _, s := range m.Slots {
		pg.Slots = append(pg.Slots, slotView{Slot: s, Fill: me.fill(min(s.Filled, s.Count), s.Count), Requirements: me.requirements(s)})
	}
	if access.Can(me.User, access.MoveMission, res) {
		for _, to := range m.Status.Next() {
			mv := moveView{To: to}
			switch to {
			case domain.MissionFormed:
				if filled, total := m.Places(); filled < total {
					mv.Reason, mv.Hint = true, me.L.T("hint_short_staffed", "Open", me.L.Number(int64(total-filled)))
				}
			case domain.MissionCancelled:
				mv.Reason, mv.Required = true, true
			}
			pg.Moves = append(pg.Moves, mv)
		}
	}
	team, err := ui.Missions.Team(ctx, me.User, m)
	if err != nil {
		return err
	}
	pg.Team = teamView{Team: team, AverageAge: tenths(team.AverageAge, team.Aged > 0),
		Size: me.L.Number(int64(len(team.Members))), Aged: me.L.T("team_aged", "Known", me.L.Number(int64(team.Aged))),
		Specialties: strings.Join(team.Specialties, me.L.T("list_separator")),
		CanLead:     access.Can(me.User, access.DecideApplication, res) && !m.Status.DatesFixed() && m.Status != domain.MissionCancelled}
	if team.Aged == 1 {
		pg.Team.Aged = me.L.T("team_aged_one")
	}
	for _, tm := range team.Members {
		pg.Team.Births = pg.Team.Births || !tm.BirthDate.IsZero()
	}
	apps, err := ui.missionApplications(r, me, m)
	if err != nil {
		return err
	}
	pg.Groups = me.groupByStage(apps)
	if filled, total := m.Places(); m.Status.Takes() && filled < total {
		pg.CanRoster = access.Can(me.User, access.ReadAllApplications, res)
	}
	if m.Status.DatesFixed() {
		or, err := ui.Outcomes.OutcomeResource(ctx, domain.Outcome{PartnershipID: m.PartnershipID, MissionID: m.ID})
		if err != nil {
			return err
		}
		pg.CanOutcome = access.Can(me.User, access.RecordOutcome, or)
	}
	// A mission with applications or a team is cancelled, not deleted.
	pg.CanDelete = pg.CanDelete && len(apps) == 0 && len(team.Members) == 0
	if m.Status.Takes() {
		if pg.Register, pg.Applied, err = ui.registerView(r, me, m, apps, register); err != nil {
			return err
		}
	}
	if pg.History, err = ui.history(r, me, "mission", m.ID); err != nil {
		return err
	}
	ui.markOpened(r, me, "mission", m.ID)
	ui.renderStatus(w, r, me, status, "mission", pg)
	return nil
}

// tenths writes a number of tenths with one decimal: 385 -> "38.5"; ""
// when it is not known.
func tenths(n int, known bool) string {
	if !known {
		return ""
	}
	return strconv.Itoa(n/10) + "." + strconv.Itoa(n%10)
}

// moveMission changes where a mission stands, from its buttons.
func (ui *UI) moveMission(w http.ResponseWriter, r *http.Request, me *viewer) error {
	id := r.PathValue("id")
	return act(w, r, me, action{
		do: func(f *form) (string, error) {
			_, err := ui.Missions.Move(r.Context(), me.User, domain.MissionMove{ID: id, Version: f.version(),
				To: domain.MissionStatus(f.Get("to")), Reason: f.text("reason")})
			return "/missions/" + url.PathEscape(id) + "#status", err
		},
		done: me.L.T("flash_mission_moved"), refused: me.L.T("mission_move_refused"),
	})
}

// setLeader makes a member of a mission's team its leader.
func (ui *UI) setLeader(w http.ResponseWriter, r *http.Request, me *viewer) error {
	id := r.PathValue("id")
	return act(w, r, me, action{
		do: func(f *form) (string, error) {
			return "/missions/" + url.PathEscape(id) + "#team", ui.Missions.SetLeader(r.Context(), me.User, id, f.Get("person_id"))
		},
		done: me.L.T("flash_leader_set"), refused: me.L.T("leader_refused"),
	})
}

// missionFormPage is the form of a new mission (Mission nil) or of a
// mission's change.
type missionFormPage struct {
	Form         *form
	Mission      *domain.Mission
	Name         string
	Partnerships []choice
	Sending      []choice
	Orgs         []choice
	Ranks        []domain.TitleRank
	Slots        []int
}

// slotFields are the inputs of a row of slots, by the field of the slot
// each is read into.
var slotFields = map[string]string{"specialty": "slot_specialty", "count": "slot_count", "languages": "slot_languages",
	"min_title": "slot_min_title", "max_age": "slot_max_age", "id": "slot_specialty"}

// slotRows returns, for the form's rows of slots, the index each has in the
// mission read from it (-1 for a blank row), so that errors go back to the
// row they are about.
func slotRows(f *form) []int {
	out := make([]int, len(f.List("slot_specialty")))
	n := 0
	for i := range out {
		out[i] = -1
		if !blankSlot(f, i) {
			out[i] = n
			n++
		}
	}
	return out
}

// blankSlot reports whether row i of the slots was left empty.
func blankSlot(f *form, i int) bool {
	for _, name := range []string{"slot_specialty", "slot_count", "slot_languages", "slot_min_title", "slot_max_age"} {
		if strings.TrimSpace(f.At(name, i)) != "" {
			return false
		}
	}
	return true
}

// cell reads the whole number typed in row i of a repeated field, noting
// an error on that row's input; nothing typed reads as 0.
func (f *form) cell(name string, i int) int {
	s := strings.TrimSpace(f.At(name, i))
	if s == "" {
		return 0
	}
	n, err := f.l.ParseWhole(s)
	if err != nil || n != int64(int32(n)) {
		f.fail(name+"_"+strconv.Itoa(i), domain.MsgWholeNumber, "Value", s)
		return 0
	}
	return int(n)
}

// list splits a comma-separated list as typed, leaving out empty entries.
func list(s string) []string {
	out := []string{}
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// nextSequence returns the number the next team of a partnership takes:
// one more than the highest so far.
func (ui *UI) nextSequence(r *http.Request, me *viewer, partnershipID string) (int, error) {
	highest, cursor := 0, ""
	for range domain.MaxSequence/domain.MaxPageSize + 1 {
		list, next, err := ui.Missions.ListMissions(r.Context(), me.User, domain.MissionFilter{PartnershipID: partnershipID,
			Cursor: cursor, Limit: domain.MaxPageSize})
		if err != nil {
			return 0, err
		}
		for _, m := range list {
			highest = max(highest, m.Sequence)
		}
		if cursor = next; cursor == "" {
			break
		}
	}
	return min(highest+1, domain.MaxSequence), nil
}

// missionPages are the forms of missions. A new mission may start from its
// partnership (?partnership_id=): the provider sends, the recipient hosts,
// and the team takes the next number. Its slots are rows, two blank ones to
// fill; its status moves by the buttons of its page, not here.
func (ui *UI) missionPages() recordPages[domain.Mission] {
	return recordPages[domain.Mission]{ui: ui, base: "/missions",
		create: access.CreateMission, change: access.UpdateMission, remove: access.DeleteMission,
		resource: mission.MissionResource,
		find:     ui.Missions.Mission,
		meta: func(m domain.Mission) (string, int64, string) {
			return m.ID, m.Version, "#" + strconv.Itoa(m.Sequence) + " (" + m.StartsOn.String() + " – " + m.EndsOn.String() + ")"
		},
		values: func(m domain.Mission) url.Values {
			v := valuesOf("partnership_id", m.PartnershipID, "sequence", strconv.Itoa(m.Sequence), "sending_id", m.SendingID,
				"host_id", m.HostID, "starts_on", m.StartsOn.String(), "ends_on", m.EndsOn.String(),
				"formation_deadline", m.FormationDeadline.String(), "description", m.Description,
				"version", strconv.FormatInt(m.Version, 10))
			for _, s := range m.Slots {
				maxAge := ""
				if s.MaxAge > 0 {
					maxAge = strconv.Itoa(s.MaxAge)
				}
				v.Add("slot_id", s.ID)
				v.Add("slot_specialty", s.Specialty)
				v.Add("slot_count", strconv.Itoa(s.Count))
				v.Add("slot_languages", strings.Join(s.Languages, ", "))
				v.Add("slot_min_title", string(s.MinTitle))
				v.Add("slot_max_age", maxAge)
			}
			return v
		},
		blank: func(r *http.Request) url.Values {
			return url.Values{"partnership_id": {r.URL.Query().Get("partnership_id")}}
		},
		read: func(f *form, cur *domain.Mission) domain.Mission {
			m := domain.Mission{PartnershipID: f.Get("partnership_id"), Sequence: int(f.whole("sequence")),
				SendingID: f.Get("sending_id"), HostID: f.Get("host_id"),
				StartsOn: f.dateField("starts_on", f.Get("starts_on")), EndsOn: f.dateField("ends_on", f.Get("ends_on")),
				FormationDeadline: f.dateField("formation_deadline", f.Get("formation_deadline")),
				Description:       f.text("description"), Status: domain.MissionDraft, Slots: []domain.Slot{}}
			for i := range f.List("slot_specialty") {
				if blankSlot(f, i) {
					continue
				}
				m.Slots = append(m.Slots, domain.Slot{ID: f.At("slot_id", i), Specialty: strings.TrimSpace(f.At("slot_specialty", i)),
					Count: f.cell("slot_count", i), Languages: list(f.At("slot_languages", i)),
					MinTitle: domain.TitleRank(f.At("slot_min_title", i)), MaxAge: f.cell("slot_max_age", i)})
			}
			if cur != nil {
				m.ID, m.Version, m.Status = cur.ID, f.version(), cur.Status
			}
			return m
		},
		validate: (*domain.Mission).Validate,
		insert:   ui.Missions.CreateMission,
		update:   ui.Missions.UpdateMission,
		delete:   ui.Missions.DeleteMission,
		form:     ui.missionForm,
	}
}

// missionForm draws the form of a mission; a new one started from a
// partnership is filled in from it.
func (ui *UI) missionForm(w http.ResponseWriter, r *http.Request, me *viewer, status int, f *form, cur *domain.Mission) error {
	// Errors of the mission's slots go to the form's rows.
	rows := slotRows(f)
	f.rename(func(field string) string {
		row, tail, ok := rowOf(field, "slots", rows)
		if !ok {
			if strings.HasPrefix(field, "slots[") {
				return "slots"
			}
			return ""
		}
		name, _, _ := strings.Cut(tail, "[")
		input, ok := slotFields[name]
		if !ok {
			return "slots"
		}
		return input + "_" + strconv.Itoa(row)
	})
	ctx := r.Context()
	pg := missionFormPage{Form: f, Mission: cur, Ranks: domain.TitleRanks}
	if cur != nil {
		pg.Name = me.missionName(*cur)
	}
	if id := f.Get("partnership_id"); cur == nil && status == http.StatusOK && id != "" && f.Get("sequence") == "" {
		ps, err := ui.Partners.Partnership(ctx, me.User, id)
		switch {
		case domain.ErrorCode(err) == domain.ENOTFOUND:
		case err != nil:
			return err
		default:
			seq, err := ui.nextSequence(r, me, ps.ID)
			if err != nil {
				return err
			}
			f.Values.Set("sending_id", ps.ProviderID)
			f.Values.Set("host_id", ps.RecipientID)
			f.Values.Set("sequence", strconv.Itoa(seq))
		}
	}
	var err error
	if pg.Partnerships, err = ui.partnershipChoices(r, me); err != nil {
		return err
	}
	if pg.Sending, err = ui.orgChoices(r, me, access.CreateMission); err != nil {
		return err
	}
	if id := f.Get("sending_id"); id != "" {
		names, err := ui.orgNames(r, me, []string{id})
		if err != nil {
			return err
		}
		if name, ok := names[id]; ok {
			pg.Sending = mergeChoices([]choice{{id, name}}, pg.Sending, "")
		}
	}
	if pg.Orgs, err = ui.orgChoices(r, me, access.ReadDirectory); err != nil {
		return err
	}
	pg.Slots = f.Rows("slot_specialty", 2)
	ui.renderStatus(w, r, me, status, "mission_form", pg)
	return nil
}

// partnershipMissions returns the missions of a partnership by their
// number, for its page.
func (ui *UI) partnershipMissions(r *http.Request, me *viewer, partnershipID string) ([]missionRow, error) {
	all, err := ui.allMissions(r, me, domain.MissionFilter{PartnershipID: partnershipID})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(all, func(a, b domain.Mission) int { return cmp.Compare(a.Sequence, b.Sequence) })
	return ui.missionRows(r, me, all)
}

// allMissions reads every mission the filter selects, page after page, up
// to as many as one partnership may number.
func (ui *UI) allMissions(r *http.Request, me *viewer, f domain.MissionFilter) ([]domain.Mission, error) {
	var all []domain.Mission
	f.Limit = domain.MaxPageSize
	for range domain.MaxSequence/domain.MaxPageSize + 1 {
		list, next, err := ui.Missions.ListMissions(r.Context(), me.User, f)
		if err != nil {
			return nil, err
		}
		all = append(all, list...)
		if f.Cursor = next; f.Cursor == "" {
			break
		}
	}
	return all, nil
}

// teamFacts is what a program or partnership sent, as its page writes it.
type teamFacts struct {
	Teams, PersonTimes string
	ByYear             []yearFacts
}

// yearFacts is what was sent in one year.
type yearFacts struct {
	Year               int
	Teams, PersonTimes string
}

// teamFacts counts the teams and person-times the filter's program or
// partnership sent.
func (ui *UI) teamFacts(r *http.Request, me *viewer, f domain.MissionFilter) (teamFacts, error) {
	facts, err := ui.Missions.Facts(r.Context(), me.User, f)
	if err != nil {
		return teamFacts{}, err
	}
	out := teamFacts{Teams: me.L.Number(int64(facts.Teams)), PersonTimes: me.L.Number(int64(facts.PersonTimes))}
	for _, y := range facts.ByYear {
		out.ByYear = append(out.ByYear, yearFacts{Year: y.Year, Teams: me.L.Number(int64(y.Teams)), PersonTimes: me.L.Number(int64(y.PersonTimes))})
	}
	return out, nil
}
