package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
)

// The pages of field work: a mission's month of activities as a calendar,
// Monday first, with the month's activities listed below it; the quick
// entry of a day's activities in one form; the change and deletion of one
// activity.

// kindCell is what was done of one kind on a day, as the calendar writes it.
type kindCell struct {
	Kind       domain.ActivityKind
	Label      string
	Count      string // patients or participants
	Raw        int64  // the same, as a number for scripts and tests
	Activities int
	Text       string // "2 activities, 42 patients or participants", for screen readers and titles
}

// dayCell is one day of the calendar's grid.
type dayCell struct {
	Date      domain.Date
	Day       int
	Weekday   string // its name, for the list the grid becomes on a phone
	InMonth   bool   // the day is of the month shown, not of the weeks around it
	InMission bool   // the team was away that day
	Kinds     []kindCell
}

// activityRow is an activity as the month's list shows it.
type activityRow struct {
	domain.Activity
	Label   string
	Count   string
	People  string // the members involved, by name
	CanEdit bool
	CanDrop bool
}

// calendarPage is a month of a mission's field work.
type calendarPage struct {
	Mission        missionRow
	Month          string // its name: "July 2015"
	MonthCode      string // YYYY-MM
	Weekdays       []string
	Weeks          [][]dayCell
	Empty          bool // no activity this month
	Items          []activityRow
	Prev, Next     string // links to the months around
	NewLink        string // the quick entry, "" when the reader may not log
	NotLeft        string // why nothing may be logged yet, when the team has not left
	PageNext, Back string
}

// monthName writes a month in the reader's language: "July 2015".
func (me *viewer) monthName(m domain.Month) string {
	return me.L.PartialDate(domain.PartialDate{Date: m.First(), Precision: domain.PrecisionMonth})
}

// isoWeekday is Monday 1 to Sunday 7.
func isoWeekday(d domain.Date) int {
	w := int(d.Time().Weekday())
	if w == 0 {
		return 7
	}
	return w
}

// calendarMonth returns the month a mission's calendar opens at: the one
// asked for, else the month of the latest activity, else of departure.
func (ui *UI) calendarMonth(r *http.Request, me *viewer, m domain.Mission) (domain.Month, error) {
	if s := r.URL.Query().Get("month"); s != "" {
		return domain.ParseMonth(s)
	}
	return ui.Activities.DefaultMonth(r.Context(), me.User, m)
}

// teamNames returns the names of the mission's team members by person id,
// and the team in its order.
func (ui *UI) teamNames(r *http.Request, me *viewer, m domain.Mission) (map[string]string, []domain.TeamMember, error) {
	team, err := ui.Missions.Team(r.Context(), me.User, m)
	if err != nil {
		return nil, nil, err
	}
	names := map[string]string{}
	for _, tm := range team.Members {
		names[tm.PersonID] = tm.Name
	}
	return names, team.Members, nil
}

func (ui *UI) showActivityCalendar(w http.ResponseWriter, r *http.Request, me *viewer) error {
	ctx := r.Context()
	m, err := ui.Missions.Mission(ctx, me.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	month, err := ui.calendarMonth(r, me, m)
	if err != nil {
		return err
	}
	cal, err := ui.Activities.Calendar(ctx, me.User, m.ID, month)
	if err != nil {
		return err
	}
	rows, err := ui.missionRows(r, me, []domain.Mission{m})
	if err != nil {
		return err
	}
	res, err := ui.Activities.Resource(ctx, m)
	if err != nil {
		return err
	}
	base := "/missions/" + url.PathEscape(m.ID) + "/activities"
	pg := calendarPage{Mission: rows[0], Month: me.monthName(month), MonthCode: month.String(), Empty: len(cal.Days) == 0,
		Prev: base + "?month=" + month.Add(-1).String(), Next: base + "?month=" + month.Add(1).String(),
		Back: "/missions/" + url.PathEscape(m.ID)}
	for i := 1; i <= 7; i++ {
		pg.Weekdays = append(pg.Weekdays, me.L.T("weekday_"+strconv.Itoa(i)))
	}
	if access.Can(me.User, access.LogActivity, res) {
		if err := m.LogsActivities(); err != nil {
			pg.NotLeft = me.L.Error(err)
		} else {
			pg.NewLink = base + "/new"
			if day := month.First(); !day.Before(m.StartsOn) && !m.EndsOn.Before(day) {
				pg.NewLink += "?done_on=" + day.String()
			}
		}
	}
	byDay := map[domain.Date][]domain.KindCount{}
	for _, d := range cal.Days {
		byDay[d.Day] = d.Kinds
	}
	// The weeks from the Monday on or before the first to the Sunday on or
	// after the last.
	day := domain.DateOf(month.First().Time().AddDate(0, 0, 1-isoWeekday(month.First())))
	for !month.Last().Before(day) {
		week := make([]dayCell, 7)
		for i := range week {
			c := dayCell{Date: day, Day: day.Day, Weekday: pg.Weekdays[i], InMonth: day.Month == month.Month && day.Year == month.Year,
				InMission: !day.Before(m.StartsOn) && !m.EndsOn.Before(day)}
			if c.InMonth {
				for _, k := range byDay[day] {
					label := me.L.T("activity_kind_" + string(k.Kind))
					c.Kinds = append(c.Kinds, kindCell{Kind: k.Kind, Label: label, Count: me.L.Number(k.Count), Raw: k.Count, Activities: k.Activities,
						Text: me.L.T("calendar_kind_text", "Kind", label, "Activities", me.L.Number(int64(k.Activities)), "Count", me.L.Number(k.Count))})
				}
			}
			week[i] = c
			day = domain.DateOf(day.Time().AddDate(0, 0, 1))
		}
		pg.Weeks = append(pg.Weeks, week)
	}
	list, next, err := ui.Activities.List(ctx, me.User, domain.ActivityFilter{MissionID: m.ID, From: month.First(), To: month.Last(),
		Cursor: r.URL.Query().Get("cursor"), Limit: listPageSize})
	if err != nil {
		return err
	}
	names, _, err := ui.teamNames(r, me, m)
	if err != nil {
		return err
	}
	canEdit, canDrop := access.Can(me.User, access.UpdateActivity, res), access.Can(me.User, access.DeleteActivity, res)
	for _, a := range list {
		var people []string
		for _, id := range a.PersonIDs {
			people = append(people, names[id])
		}
		pg.Items = append(pg.Items, activityRow{Activity: a, Label: me.L.T("activity_kind_" + string(a.Kind)), Count: me.L.Number(int64(a.Count)),
			People: strings.Join(people, me.L.T("list_separator")), CanEdit: canEdit, CanDrop: canDrop})
	}
	pg.PageNext = nextLink(r, next)
	return ui.render(w, r, me, "activities", pg)
}

// memberBox is a team member as a checkbox of a row of the form.
type memberBox struct {
	ID, Name string
	Checked  bool
}

// entryRow is one row of the quick entry: an activity to log.
type entryRow struct {
	Index   int
	Kind    string
	Members []memberBox
}

// activityFormPage is the quick entry of a day's activities (Activity nil)
// or the change of one activity.
type activityFormPage struct {
	Form     *form
	Mission  missionRow
	Activity *domain.Activity
	Kinds    []kindChoice
	Rows     []entryRow
	Action   string
	Back     string
	NotLeft  string
}

// kindChoice is a kind of activity to choose from.
type kindChoice struct {
	Kind  domain.ActivityKind
	Label string
}

// entryBlank is the number of rows of a new quick entry.
const entryBlank = 4

// activityFields are the inputs of a row, by the field of the activity
// each is read into.
var activityFields = map[string]string{"kind": "kind", "count": "count", "place": "place", "notes": "notes", "person_ids": "people"}

// blankEntry reports whether row i of the quick entry was left empty.
func blankEntry(f *form, i int) bool {
	for _, name := range []string{"kind", "count", "place", "notes"} {
		if strings.TrimSpace(f.At(name, i)) != "" {
			return false
		}
	}
	return len(f.List("people_"+strconv.Itoa(i))) == 0
}

// entryRows returns, for the form's rows, the index each has in the batch
// read from it (-1 for a blank row), so that errors go back to the row
// they are about.
func entryRows(f *form) []int {
	out := make([]int, len(f.List("kind")))
	n := 0
	for i := range out {
		out[i] = -1
		if !blankEntry(f, i) {
			out[i] = n
			n++
		}
	}
	return out
}

// readEntry reads row i of the form as an activity of mission on day.
func (f *form) readEntry(missionID string, day domain.Date, i int) domain.Activity {
	a := domain.Activity{MissionID: missionID, DoneOn: day, Kind: domain.ActivityKind(f.At("kind", i)),
		Place: strings.TrimSpace(f.At("place", i)), Notes: strings.TrimSpace(f.At("notes", i)),
		PersonIDs: slices.Clone(f.List("people_" + strconv.Itoa(i)))}
	if a.PersonIDs == nil {
		a.PersonIDs = []string{}
	}
	if strings.TrimSpace(f.At("count", i)) == "" {
		f.fail("count_"+strconv.Itoa(i), domain.MsgRequired)
	} else {
		a.Count = f.cell("count", i)
	}
	return a
}

// renameEntry returns where an error of the field of an activity (with
// prefix "activities[n]." in a batch) goes on the form.
func renameEntry(rows []int) func(field string) string {
	return func(field string) string {
		row, tail := 0, field
		if strings.HasPrefix(field, "activities[") {
			var ok bool
			if row, tail, ok = rowOf(field, "activities", rows); !ok {
				return "activities"
			}
		}
		if tail == "done_on" || tail == "mission_id" {
			return tail
		}
		if input, ok := activityFields[tail]; ok {
			return input + "_" + strconv.Itoa(row)
		}
		return ""
	}
}

// activityForm draws the quick entry or the change of an activity at
// status.
func (ui *UI) activityForm(w http.ResponseWriter, r *http.Request, me *viewer, status int, f *form, m domain.Mission, cur *domain.Activity) error {
	rows, err := ui.missionRows(r, me, []domain.Mission{m})
	if err != nil {
		return err
	}
	_, team, err := ui.teamNames(r, me, m)
	if err != nil {
		return err
	}
	pg := activityFormPage{Form: f, Mission: rows[0], Activity: cur, Back: "/missions/" + url.PathEscape(m.ID) + "/activities",
		Action: "/missions/" + url.PathEscape(m.ID) + "/activities"}
	if cur != nil {
		pg.Action = "/activities/" + url.PathEscape(cur.ID)
		pg.Back += "?month=" + domain.MonthOf(cur.DoneOn).String()
	}
	if err := m.LogsActivities(); err != nil {
		pg.NotLeft = me.L.Error(err)
	}
	for _, k := range domain.ActivityKinds {
		pg.Kinds = append(pg.Kinds, kindChoice{k, me.L.T("activity_kind_" + string(k))})
	}
	n := max(len(f.List("kind")), 1)
	if cur == nil && status == http.StatusOK {
		n = max(n, entryBlank)
	}
	for i := range n {
		row := entryRow{Index: i, Kind: f.At("kind", i)}
		checked := f.List("people_" + strconv.Itoa(i))
		for _, tm := range team {
			row.Members = append(row.Members, memberBox{ID: tm.PersonID, Name: tm.Name, Checked: slices.Contains(checked, tm.PersonID)})
		}
		pg.Rows = append(pg.Rows, row)
	}
	ui.renderStatus(w, r, me, status, "activity_form", pg)
	return nil
}

// loggable returns the mission of the path, refusing those who may not log
// its field work.
func (ui *UI) loggable(r *http.Request, me *viewer) (domain.Mission, error) {
	m, err := ui.Missions.Mission(r.Context(), me.User, r.PathValue("id"))
	if err != nil {
		return m, err
	}
	res, err := ui.Activities.Resource(r.Context(), m)
	if err != nil {
		return m, err
	}
	return m, access.Allow(me.User, access.LogActivity, res)
}

func (ui *UI) newActivities(w http.ResponseWriter, r *http.Request, me *viewer) error {
	m, err := ui.loggable(r, me)
	if err != nil {
		return err
	}
	f := me.newForm(url.Values{"done_on": {r.URL.Query().Get("done_on")}})
	return ui.activityForm(w, r, me, http.StatusOK, f, m, nil)
}

func (ui *UI) logActivities(w http.ResponseWriter, r *http.Request, me *viewer) error {
	m, err := ui.loggable(r, me)
	if err != nil {
		return err
	}
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	day := f.dateField("done_on", f.Get("done_on"))
	if day.IsZero() {
		f.fail("done_on", domain.MsgRequired)
	}
	rows := entryRows(f)
	var list []domain.Activity
	for i, n := range rows {
		if n >= 0 {
			list = append(list, f.readEntry(m.ID, day, i))
		}
	}
	return submit(w, r, f, submission{
		validate: func() error { return domain.ValidateActivities(list) },
		save: func() (string, string, error) {
			err := ui.Activities.Log(r.Context(), me.User, m.ID, list)
			return "/missions/" + url.PathEscape(m.ID) + "/activities?month=" + domain.MonthOf(day).String(),
				me.L.T("flash_activities_logged", "Count", me.L.Number(int64(len(list)))), err
		},
		redraw: func(status int) error { return ui.activityForm(w, r, me, status, f, m, nil) },
		rename: renameEntry(rows),
	})
}

// changeableActivity returns the activity of the path and its mission,
// refusing those who may not do a to it.
func (ui *UI) changeableActivity(r *http.Request, me *viewer, a access.Action) (domain.Activity, domain.Mission, error) {
	act, err := ui.Activities.Activity(r.Context(), me.User, r.PathValue("id"))
	if err != nil {
		return act, domain.Mission{}, err
	}
	m, err := ui.Missions.Mission(r.Context(), me.User, act.MissionID)
	if err != nil {
		return act, m, err
	}
	res, err := ui.Activities.Resource(r.Context(), m)
	if err != nil {
		return act, m, err
	}
	return act, m, access.Allow(me.User, a, res)
}

func (ui *UI) editActivity(w http.ResponseWriter, r *http.Request, me *viewer) error {
	act, m, err := ui.changeableActivity(r, me, access.UpdateActivity)
	if err != nil {
		return err
	}
	v := valuesOf("done_on", act.DoneOn.String(), "kind", string(act.Kind), "count", strconv.Itoa(act.Count), "place", act.Place,
		"notes", act.Notes, "version", strconv.FormatInt(act.Version, 10))
	v["people_0"] = act.PersonIDs
	return ui.activityForm(w, r, me, http.StatusOK, me.newForm(v), m, &act)
}

func (ui *UI) updateActivity(w http.ResponseWriter, r *http.Request, me *viewer) error {
	cur, m, err := ui.changeableActivity(r, me, access.UpdateActivity)
	if err != nil {
		return err
	}
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	day := f.dateField("done_on", f.Get("done_on"))
	if day.IsZero() {
		f.fail("done_on", domain.MsgRequired)
	}
	act := f.readEntry(m.ID, day, 0)
	act.ID, act.Version = cur.ID, f.version()
	return submit(w, r, f, submission{
		validate: act.Validate,
		save: func() (string, string, error) {
			err := ui.Activities.Update(r.Context(), me.User, &act)
			return "/missions/" + url.PathEscape(m.ID) + "/activities?month=" + domain.MonthOf(act.DoneOn).String(), me.L.T("flash_saved"), err
		},
		redraw: func(status int) error { return ui.activityForm(w, r, me, status, f, m, &cur) },
		rename: renameEntry(nil),
	})
}

// activityName is what the pages call an activity: its kind, count and day.
func (me *viewer) activityName(a domain.Activity) string {
	return me.L.T("activity_name", "Kind", me.L.T("activity_kind_"+string(a.Kind)), "Count", me.L.Number(int64(a.Count)), "Day", a.DoneOn.String())
}

func (ui *UI) confirmDeleteActivity(w http.ResponseWriter, r *http.Request, me *viewer) error {
	act, m, err := ui.changeableActivity(r, me, access.DeleteActivity)
	if err != nil {
		return err
	}
	return ui.render(w, r, me, "confirm_delete", confirmDeletePage{Name: me.activityName(act), Action: "/activities/" + url.PathEscape(act.ID) + "/delete",
		Back: "/missions/" + url.PathEscape(m.ID) + "/activities?month=" + domain.MonthOf(act.DoneOn).String(), Version: act.Version})
}

func (ui *UI) deleteActivity(w http.ResponseWriter, r *http.Request, me *viewer) error {
	act, m, err := ui.changeableActivity(r, me, access.DeleteActivity)
	if err != nil {
		return err
	}
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	if err := ui.Activities.Delete(r.Context(), me.User, act.ID, f.version()); err != nil {
		return err
	}
	return redirect(w, r, "/missions/"+url.PathEscape(m.ID)+"/activities?month="+domain.MonthOf(act.DoneOn).String(), me.L.T("flash_deleted"))
}

// activityListPage is the list of activities of a partnership, a program
// or a mission, newest first: the records behind a report's figures.
type activityListPage struct {
	Filter      domain.ActivityFilter
	Items       []activityListRow
	Kinds       []domain.ActivityKind
	Scope       string // the partnership, program or mission the list is of
	ScopeHref   string
	Next, First string
}

// activityListRow is an activity as the list shows it.
type activityListRow struct {
	domain.Activity
	Mission   string
	CountText string
}

// listActivities shows the activities a report's figure counts.
func (ui *UI) listActivities(w http.ResponseWriter, r *http.Request, me *viewer) error {
	ctx := r.Context()
	q := r.URL.Query()
	f := domain.ActivityFilter{PartnershipID: q.Get("partnership_id"), ProgramID: q.Get("program_id"), MissionID: q.Get("mission_id"),
		Kind: q.Get("kind"), Cursor: q.Get("cursor"), Limit: listPageSize}
	var err error
	if f.From, f.To, err = dayRange(q); err != nil {
		return err
	}
	list, next, err := ui.Activities.List(ctx, me.User, f)
	if err != nil {
		return err
	}
	pg := activityListPage{Filter: f, Kinds: domain.ActivityKinds, Next: nextLink(r, next), First: firstLink(r)}
	switch {
	case f.MissionID != "":
		m, err := ui.Missions.Mission(ctx, me.User, f.MissionID)
		if err != nil {
			return err
		}
		pg.Scope, pg.ScopeHref = me.L.T("mission_name", "Sequence", m.Sequence)+" · "+m.StartsOn.String(), "/missions/"+url.PathEscape(m.ID)
	case f.PartnershipID != "":
		ps, err := ui.Partners.Partnership(ctx, me.User, f.PartnershipID)
		if err != nil {
			return err
		}
		pg.Scope, pg.ScopeHref = ps.Name, "/partnerships/"+url.PathEscape(ps.ID)
	case f.ProgramID != "":
		pr, err := ui.Partners.Program(ctx, me.User, f.ProgramID)
		if err != nil {
			return err
		}
		pg.Scope, pg.ScopeHref = pr.Name, "/programs/"+url.PathEscape(pr.ID)
	}
	missions := map[string]string{}
	for _, a := range list {
		if _, ok := missions[a.MissionID]; !ok {
			if m, err := ui.Missions.Mission(ctx, me.User, a.MissionID); err == nil {
				missions[a.MissionID] = me.L.T("mission_name", "Sequence", m.Sequence)
			}
		}
		pg.Items = append(pg.Items, activityListRow{Activity: a, Mission: missions[a.MissionID], CountText: me.L.Number(int64(a.Count))})
	}
	return ui.render(w, r, me, "activity_list", pg)
}
