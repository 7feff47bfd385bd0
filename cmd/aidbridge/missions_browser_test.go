package main

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"aidbridge/internal/demo"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
	"aidbridge/internal/store/storetest"
)

// The mission pages as their users find them: a coordinator opens a team
// from its partnership, doctors apply, their departments screen them, the
// hospital decides, and the team is formed and leaves; the figures of a
// mission (days left, places filled, average age) read the same in English
// and Chinese. The records come from the store, not the demo data.

// missionScene is what the tests below start from: Xinhua Hospital with a
// cardiology and an emergency department, its partnerships to Baoshan (four
// teams sent) and to Meknes, its people and the users of its roles.
type missionScene struct {
	m                     *testMain
	xinhua, baoshan       string
	cardiology, emergency string
	baoshanPS, meknesPS   domain.Partnership
	// The cardiologists: Chen and Li of the cardiology department, Wang
	// who applies himself, Zhao of the emergency department, and Sun, on a
	// team to Meknes whose dates overlap the new team's.
	chen, li, wang, zhao, sun domain.Person
	departure                 domain.Date // of the new team, in thirty days
	today                     domain.Date
}

// The users of the scene, each with the demo password.
const (
	sceneCoordinator = "coordinator@xinhua.test"
	sceneScreener    = "cardiology@xinhua.test"
	sceneReviewer    = "reviewer@xinhua.test"
	sceneChen        = "chen@xinhua.test"
	sceneWang        = "wang@xinhua.test"
)

func newMissionScene(t *testing.T, m *testMain) *missionScene {
	t.Helper()
	ctx := context.Background()
	by := store.Actor{}
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	sc := &missionScene{m: m, today: domain.DateOf(time.Now().UTC())}
	sc.departure = domain.DateOf(time.Now().UTC().AddDate(0, 0, 30))
	org := func(name, country, city string) string {
		o := domain.Organization{Name: name, Kind: "hospital", Country: country, City: city}
		must("organization "+name, m.Store.CreateOrganization(ctx, by, &o))
		return o.ID
	}
	sc.xinhua = org("Xinhua Hospital", "CN", "Shanghai")
	sc.baoshan = org("Baoshan People's Hospital", "CN", "Baoshan")
	meknes := org("Hospital in Meknes", "MA", "Meknes")
	dept := func(name string) string {
		d := domain.Department{OrganizationID: sc.xinhua, Name: name}
		must("department "+name, m.Store.CreateDepartment(ctx, by, &d))
		return d.ID
	}
	sc.cardiology, sc.emergency = dept("Cardiology"), dept("Emergency")

	user := func(email, name string, role domain.Role, dept string) string {
		u := domain.User{Email: email, Name: name, Memberships: []domain.Membership{{OrganizationID: sc.xinhua, Role: role, DepartmentID: dept}}}
		must("user "+email, m.Accounts.CreateUser(ctx, nil, &u, demo.Password))
		return u.ID
	}
	user(sceneCoordinator, "Xinhua Partner Assistance Office", domain.RoleCoordinator, "")
	user(sceneScreener, "Head of Cardiology", domain.RoleScreener, sc.cardiology)
	user(sceneReviewer, "Xinhua Hospital Leadership", domain.RoleReviewer, "")
	chenUser := user(sceneChen, "Chen Wei", domain.RoleMember, "")
	wangUser := user(sceneWang, "Wang Fang", domain.RoleMember, "")

	// Born so that on departure Chen is 41, the others younger.
	born := func(years int) domain.Date {
		return domain.DateOf(sc.departure.Time().AddDate(-years, 0, -10))
	}
	person := func(p domain.Person) domain.Person {
		p.OrganizationID, p.Specialty, p.Languages = sc.xinhua, "cardiology", []string{"zh"}
		must("person "+p.Name, m.Store.CreatePerson(ctx, by, &p))
		return p
	}
	sc.chen = person(domain.Person{Name: "Chen Wei", DepartmentID: sc.cardiology, UserID: chenUser, Title: "Chief physician",
		TitleRank: "chief", BirthDate: born(41)})
	sc.li = person(domain.Person{Name: "Li Na", DepartmentID: sc.cardiology, Title: "Attending physician", TitleRank: "attending", BirthDate: born(36)})
	sc.wang = person(domain.Person{Name: "Wang Fang", DepartmentID: sc.cardiology, UserID: wangUser, Title: "Attending physician",
		TitleRank: "attending", BirthDate: born(33)})
	sc.zhao = person(domain.Person{Name: "Zhao Lei", DepartmentID: sc.emergency, Title: "Attending physician", TitleRank: "attending", BirthDate: born(39)})
	sc.sun = person(domain.Person{Name: "Sun Hong", DepartmentID: sc.cardiology, Title: "Associate chief physician", TitleRank: "associate_chief",
		BirthDate: born(45)})
	retired := person(domain.Person{Name: "Zhou Ming", DepartmentID: sc.cardiology, Title: "Chief physician", TitleRank: "chief"})

	pr := domain.Program{Name: "Shanghai-Yunnan partner assistance", Kind: "counterpart_assistance", SponsorIDs: []string{sc.xinhua}}
	must("program", m.Store.CreateProgram(ctx, by, &pr))
	sc.baoshanPS = domain.Partnership{ProgramID: pr.ID, Name: "Xinhua Hospital → Baoshan People's Hospital", ProviderID: sc.xinhua,
		RecipientID: sc.baoshan, Status: domain.PartnershipActive, Participants: []domain.Participant{}}
	must("partnership to Baoshan", m.Store.CreatePartnership(ctx, by, &sc.baoshanPS))
	morocco := domain.Program{Name: "Medical aid to Morocco", Kind: "international_aid", SponsorIDs: []string{sc.xinhua}}
	must("program", m.Store.CreateProgram(ctx, by, &morocco))
	sc.meknesPS = domain.Partnership{ProgramID: morocco.ID, Name: "Xinhua Hospital → Hospital in Meknes", ProviderID: sc.xinhua,
		RecipientID: meknes, Status: domain.PartnershipActive, Participants: []domain.Participant{}}
	must("partnership to Meknes", m.Store.CreatePartnership(ctx, by, &sc.meknesPS))

	// Four teams went to Baoshan before, six months each; the fourth had
	// Zhou on it.
	for i := 1; i <= 4; i++ {
		start := domain.Date{Year: 2014 + i, Month: time.March, Day: 1}
		mi := domain.Mission{PartnershipID: sc.baoshanPS.ID, Sequence: i, SendingID: sc.xinhua, HostID: sc.baoshan, StartsOn: start,
			EndsOn: domain.Date{Year: start.Year, Month: time.August, Day: 31}, Status: domain.MissionReturned,
			Slots: []domain.Slot{{Specialty: "cardiology", Count: 2}}}
		var team []domain.TeamMember
		if i == 4 {
			team = []domain.TeamMember{{PersonID: retired.ID, Role: domain.RoleLeader}}
		}
		must("team "+strconv.Itoa(i)+" to Baoshan", m.Store.RecordMission(ctx, by, &mi, team))
	}
	// Sun is in Meknes for two years from last month.
	away := domain.Mission{PartnershipID: sc.meknesPS.ID, Sequence: 18, SendingID: sc.xinhua, HostID: meknes,
		StartsOn: domain.DateOf(time.Now().UTC().AddDate(0, -1, 0)), EndsOn: domain.DateOf(time.Now().UTC().AddDate(2, -1, 0)),
		Status: domain.MissionDeployed, Slots: []domain.Slot{{Specialty: "cardiology", Count: 1}}}
	must("the team in Meknes", m.Store.RecordMission(ctx, by, &away, []domain.TeamMember{{PersonID: sc.sun.ID, Role: domain.RoleLeader}}))
	return sc
}

// TestBrowserMissionJourney forms the 5th team of Xinhua Hospital to
// Baoshan in Chromium, on both stores: the coordinator opens it from the
// partnership with one cardiology slot of two places and a two-week
// deadline, registers two cardiologists and one of the emergency
// department, and a third cardiologist applies himself; the Cardiology
// screener passes two, fails one and does not see the emergency
// department's application; the reviewer selects one as leader and keeps
// one in reserve; a cardiologist on an overlapping team in Meknes is
// refused with that team named; the team's average age reads off the page;
// the team is formed short-staffed with a reason and leaves; and the
// selected doctor sees "Selected" on My applications.
func TestBrowserMissionJourney(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			browserMissionJourney(t, b)
		})
	}
}

func browserMissionJourney(t *testing.T, b storetest.Backend) {
	if chromiumPath() == "" {
		storetest.Missing(t, "browser suite", "chromium not installed: apt-get install chromium")
		t.Skip("chromium not installed")
	}
	m := startMainURL(t, b.URL(t), false)
	sc := newMissionScene(t, m)
	c := newChrome(t, m)
	setValue := func(css, v string) {
		t.Helper()
		c.do("set "+css, chromedp.Evaluate[chromedp.Void](`document.querySelector(`+jsString(css)+`).value = `+jsString(v)))
	}
	flash := func() string {
		t.Helper()
		if !c.has(".flash") {
			t.Fatalf("no message on %s: %s", c.location(), c.text("main"))
		}
		return c.text(".flash")
	}
	switchTo := func(email string) {
		t.Helper()
		if c.has(`form[action="/logout"] button`) {
			c.click(`form[action="/logout"] button`)
		}
		c.login(email)
	}

	// The coordinator opens the 5th team from the partnership's page:
	// Xinhua sends, Baoshan hosts, and four teams went before.
	c.login(sceneCoordinator)
	if st := c.open("/partnerships/" + sc.baoshanPS.ID); st != 200 {
		t.Fatalf("the partnership's page: %d", st)
	}
	if got := c.text("#facts-teams"); got != "4" {
		t.Errorf("teams sent to Baoshan = %q, want 4", got)
	}
	if got := c.text("#facts-person-times"); got != "1" {
		t.Errorf("person-times to Baoshan = %q, want 1", got)
	}
	if st := c.click("#partnership-mission-new"); st != 200 {
		t.Fatalf("new mission: %d", st)
	}
	if got := c.value("#f-sequence"); got != "5" {
		t.Errorf("the new team's number = %q, want 5", got)
	}
	if c.value("#f-sending_id") != sc.xinhua || c.value("#f-host_id") != sc.baoshan || c.value("#f-partnership_id") != sc.baoshanPS.ID {
		t.Errorf("the new team's partnership and organizations are not those of the partnership")
	}
	deadline := domain.DateOf(time.Now().UTC().AddDate(0, 0, 14))
	ends := domain.DateOf(sc.departure.Time().AddDate(0, 6, -1))
	setValue("#f-starts_on", sc.departure.String())
	setValue("#f-ends_on", ends.String())
	setValue("#f-formation_deadline", deadline.String())
	c.typeInto("#f-slot_specialty-0", "cardiology")
	c.typeInto("#f-slot_count-0", "2")
	setValue("#f-slot_min_title-0", "attending")
	if st := c.click(`#mission-form button[type=submit]`); st != 200 {
		t.Fatalf("save the mission: %d: %s", st, c.text("main"))
	}
	missionPath := c.location()
	if !strings.HasPrefix(missionPath, "/missions/") {
		t.Fatalf("after saving: on %s", missionPath)
	}
	missionPath, _, _ = strings.Cut(missionPath, "#")
	if got := c.text("#days-left"); got != "14 days left" {
		t.Errorf("deadline = %q, want 14 days left", got)
	}
	if got := c.text("#mission-fill .fill-figure"); got != "0 of 2 places filled" {
		t.Errorf("fill = %q, want 0 of 2 places filled", got)
	}
	if st := c.click(`form.move-recruiting button`); st != 200 {
		t.Fatalf("open for applications: %d", st)
	}
	if got := c.text("#mission-status"); got != "Recruiting" {
		t.Fatalf("status = %q, want Recruiting", got)
	}

	// Chen, Li and Zhao (of the emergency department) registered by the
	// coordinator; Sun is refused, naming the team he is on.
	register := func(p domain.Person, wantStatus int64) {
		t.Helper()
		setValue("#f-person_id", p.ID)
		c.typeInto("#f-note", "Volunteers for Baoshan")
		if st := c.click(`#register-form button[type=submit]`); st != wantStatus {
			t.Fatalf("register %s: status %d, want %d: %s", p.Name, st, wantStatus, c.text("main"))
		}
	}
	for _, p := range []domain.Person{sc.chen, sc.li, sc.zhao} {
		register(p, 200)
		if got := flash(); got != "Application registered." {
			t.Errorf("after registering %s: %q", p.Name, got)
		}
	}
	register(sc.sun, 409)
	if got := c.text("#e-person_id"); !strings.Contains(got, "mission 18") || !strings.Contains(got, sc.meknesPS.Name) {
		t.Errorf("the refusal of Sun says %q, want the team in Meknes named", got)
	}
	if got := c.value("#f-note"); got != "Volunteers for Baoshan" {
		t.Errorf("the refused form lost its note: %q", got)
	}

	// Wang applies himself: the form names him and offers no one else.
	switchTo(sceneWang)
	if st := c.open(missionPath); st != 200 {
		t.Fatalf("the mission as Wang: %d", st)
	}
	if c.has("#f-person_id") {
		t.Errorf("a doctor is offered other people to register")
	}
	if got := c.text("#register"); !strings.Contains(got, "You apply as Wang Fang") {
		t.Errorf("the apply form says %q", got)
	}
	c.typeInto("#f-note", "I speak the local dialect")
	if st := c.click(`#register-form button[type=submit]`); st != 200 {
		t.Fatalf("Wang applies: %d", st)
	}
	if c.has("#register-form") || !c.has("#applied") {
		t.Errorf("after applying, Wang is offered to apply again")
	}

	// The Cardiology screener sees the three of the department, not Zhao.
	apps := appIDs(t, m, sc)
	switchTo(sceneScreener)
	if st := c.open(missionPath); st != 200 {
		t.Fatalf("the mission as the screener: %d", st)
	}
	if got := eval[[]string](c, `[...document.querySelectorAll("article.application .applicant")].map(e => e.textContent.trim())`); strings.Join(got, ",") != "Chen Wei,Li Na,Wang Fang" {
		t.Errorf("the screener sees %q, want Chen, Li and Wang", got)
	}
	if c.has("#application-" + apps[sc.zhao.ID]) {
		t.Errorf("the screener sees the emergency department's application")
	}
	if st := c.open("/applications/" + apps[sc.zhao.ID]); st != 403 && st != 404 {
		t.Errorf("the emergency department's application opens for the Cardiology screener: %d", st)
	}
	c.open(missionPath)
	screen := func(p domain.Person, outcome, note string) string {
		t.Helper()
		card := "#application-" + apps[p.ID]
		if note != "" {
			c.typeInto(card+" form.screen textarea", note)
		}
		if st := c.click(card + ` form.screen button[value=` + outcome + `]`); st != 200 {
			t.Fatalf("screen %s %s: %d", p.Name, outcome, st)
		}
		return flash()
	}
	if got := screen(sc.wang, "failed", ""); !strings.Contains(got, "say why") {
		t.Errorf("a failure without a note: %q, want a refusal asking why", got)
	}
	screen(sc.chen, "passed", "")
	screen(sc.li, "passed", "Fit for six months away")
	if got := screen(sc.wang, "failed", "Not enough experience of echocardiography yet"); got != "Screening recorded." {
		t.Errorf("failing Wang: %q", got)
	}
	if got := c.text("#application-" + apps[sc.wang.ID] + " .steps"); !strings.Contains(got, "Failed screening · you") ||
		!strings.Contains(got, "Not enough experience of echocardiography yet") {
		t.Errorf("Wang's steps read %q, want that the screener failed him and why", got)
	}

	// The reviewer selects Chen as the team's leader and keeps Li in
	// reserve.
	switchTo(sceneReviewer)
	c.open(missionPath)
	chen, li := "#application-"+apps[sc.chen.ID], "#application-"+apps[sc.li.ID]
	c.do("as leader", chromedp.Click(chromedp.CSS(chen+` input[name=leader]`)))
	if st := c.click(chen + ` form.decide button[value=selected]`); st != 200 {
		t.Fatalf("select Chen: %d", st)
	}
	if st := c.click(li + ` form.decide button[value=reserve]`); st != 200 {
		t.Fatalf("reserve Li: %d", st)
	}
	if got := c.text("#team-members"); !strings.Contains(got, "Chen Wei") || !strings.Contains(got, "Leader") || strings.Contains(got, "Li Na") {
		t.Errorf("the team reads %q, want Chen alone, as leader", got)
	}
	if got := c.text("#team-average-age .figure"); got != "41.0 years" {
		t.Errorf("average age = %q, want 41.0 years", got)
	}
	if got := c.text("#team-aged"); got != "of the one member whose birth date is known" {
		t.Errorf("average age counts %q", got)
	}
	if c.has("#team-members th:nth-child(4)") && strings.Contains(c.text("#team-members thead"), "Birth") {
		t.Errorf("the reviewer sees the team's birth dates")
	}
	if got := c.text("#mission-fill .fill-figure"); got != "1 of 2 places filled" {
		t.Errorf("fill = %q, want 1 of 2 places filled", got)
	}

	// The coordinator forms the team one short, saying why, and it leaves.
	switchTo(sceneCoordinator)
	c.open(missionPath)
	if !strings.Contains(c.text("#team-members thead"), "Birth date") {
		t.Errorf("the coordinator does not see the team's birth dates")
	}
	if got := c.text("#application-" + apps[sc.wang.ID] + " .steps"); !strings.Contains(got, "Registered · Wang Fang (Member)") ||
		!strings.Contains(got, "Failed screening · Head of Cardiology (Screener)") {
		t.Errorf("Wang's steps read %q to the coordinator, want who took each", got)
	}
	if st := c.click(`form.move-formed button`); st != 200 {
		t.Fatalf("form without a reason: %d", st)
	}
	if got := flash(); !strings.Contains(got, "1 of 2 places are filled") {
		t.Errorf("forming one short without a reason: %q", got)
	}
	c.typeInto(`form.move-formed textarea[name=reason]`, "The second cardiologist joins with the 6th team")
	if st := c.click(`form.move-formed button`); st != 200 {
		t.Fatalf("form short-staffed: %d", st)
	}
	if got := c.text("#mission-status"); got != "Formed" {
		t.Errorf("status = %q, want Formed", got)
	}
	if got := c.text("#mission-short-staffed"); got != "The second cardiologist joins with the 6th team" {
		t.Errorf("why short-staffed = %q", got)
	}
	if st := c.click(`form.move-deployed button`); st != 200 {
		t.Fatalf("depart: %d", st)
	}
	if got := c.text("#mission-status"); got != "Deployed" {
		t.Errorf("status = %q, want Deployed", got)
	}

	// Chen finds himself selected, and the team on his record.
	switchTo(sceneChen)
	if st := c.click("#nav-applications"); st != 200 {
		t.Fatalf("My applications: %d", st)
	}
	if got := c.text("#my-applications .own-application .stage"); got != "Selected" {
		t.Errorf("Chen's application reads %q, want Selected", got)
	}
	if got := c.text("#my-applications h2"); !strings.Contains(got, "Team 5") {
		t.Errorf("Chen's application is for %q, want Team 5", got)
	}
	if c.has("#my-applications details.withdraw") {
		t.Errorf("a departed team's member is offered to withdraw")
	}
	if st := c.open("/people/" + sc.chen.ID); st != 200 {
		t.Fatalf("Chen's page: %d", st)
	}
	if got := c.text("#served"); !strings.Contains(got, "Team 5") || !strings.Contains(got, "Leader") {
		t.Errorf("Chen's missions read %q", got)
	}
}

// appIDs returns the applications of the scene's new team by person.
func appIDs(t *testing.T, m *testMain, sc *missionScene) map[string]string {
	t.Helper()
	ms, _, err := m.Store.ListMissions(context.Background(), domain.MissionFilter{PartnershipID: sc.baoshanPS.ID, Forming: true, Limit: 10})
	if err != nil || len(ms) != 1 {
		t.Fatalf("the team being formed: %v, %d", err, len(ms))
	}
	list, _, err := m.Store.ListApplications(context.Background(), store.ApplicationFilter{MissionID: ms[0].ID, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, a := range list {
		out[a.PersonID] = a.ID
	}
	return out
}

// TestMissionFigures reads a mission's figures off its pages in English
// and in Chinese, as a browser without JavaScript would: the days left to
// its deadline and those past it, flagged; the places filled, in the list
// and on the page; and the average age of its team on departure.
func TestMissionFigures(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			m := startMainURL(t, b.URL(t), false)
			sc := newMissionScene(t, m)
			ctx := context.Background()
			by := store.Actor{}
			in := func(days int) domain.Date { return domain.DateOf(time.Now().UTC().AddDate(0, 0, days)) }
			// Team 5, twelve days to form, two of three places filled by Chen
			// (41) and Li (36) on departure: 38.5 years on average.
			open := domain.Mission{PartnershipID: sc.baoshanPS.ID, Sequence: 5, SendingID: sc.xinhua, HostID: sc.baoshan,
				StartsOn: sc.departure, EndsOn: in(200), FormationDeadline: in(12), Status: domain.MissionRecruiting,
				Slots: []domain.Slot{{Specialty: "cardiology", Count: 3, MinTitle: "attending", MaxAge: 50}}}
			if err := m.Store.CreateMission(ctx, by, &open); err != nil {
				t.Fatal(err)
			}
			for _, p := range []domain.Person{sc.chen, sc.li} {
				a := domain.Application{MissionID: open.ID, SlotID: open.Slots[0].ID, PersonID: p.ID}
				if err := m.Store.Register(ctx, by, &a); err != nil {
					t.Fatal(err)
				}
				for _, to := range []domain.ApplicationStage{domain.StagePassed, domain.StageSelected} {
					if _, err := m.Store.Decide(ctx, by, domain.Decision{ApplicationID: a.ID, To: to, Leader: to == domain.StageSelected && p.ID == sc.chen.ID}); err != nil {
						t.Fatalf("%s %s: %v", p.Name, to, err)
					}
				}
			}
			// Team 6, whose deadline passed three days ago.
			late := domain.Mission{PartnershipID: sc.baoshanPS.ID, Sequence: 6, SendingID: sc.xinhua, HostID: sc.baoshan,
				StartsOn: in(250), EndsOn: in(430), FormationDeadline: in(-3), Status: domain.MissionDraft,
				Slots: []domain.Slot{{Specialty: "surgery", Count: 1}}}
			if err := m.Store.CreateMission(ctx, by, &late); err != nil {
				t.Fatal(err)
			}

			for _, tt := range []struct {
				lang                                  string
				left, overdue, fill, age, aged, teams string
				overlap, short                        string // refusals: a person away, a team formed one short
			}{
				{"en", "12 days left", "3 days overdue", "2 of 3 places filled", "38.5 years", "of 2 members whose birth date is known", "Teams",
					"the person is on mission 18 of “Xinhua Hospital → Hospital in Meknes”", "2 of 3 places are filled"},
				{"zh-CN", "还剩 12 天", "已逾期 3 天", "已填补 2 / 3 个名额", "38.5 岁", "（按 2 名出生日期已知的队员计算）", "队伍数",
					"此人在“Xinhua Hospital → Hospital in Meknes”第 18 批派遣任务中", "已填补 2 / 3 个名额：请补齐名额"},
			} {
				br := m.login(sceneCoordinator)
				if r := br.post("/language", url.Values{"lang": {tt.lang}, "next": {"/"}}); r.Status != 303 {
					t.Fatalf("%s: choose the language: %d", tt.lang, r.Status)
				}
				r := br.get("/missions")
				if r.Status != 200 {
					t.Fatalf("%s: missions: %d", tt.lang, r.Status)
				}
				list := string(r.Body)
				cards := cardsOf(list)
				if got := textOf(cards[open.ID], `class="badge days-left"`); got != tt.left {
					t.Errorf("%s: team 5 in the list: %q, want %q", tt.lang, got, tt.left)
				}
				if got := textOf(cards[late.ID], `class="badge overdue days-left"`); got != tt.overdue {
					t.Errorf("%s: team 6 in the list: %q, want %q flagged overdue", tt.lang, got, tt.overdue)
				}
				if !strings.Contains(cards[late.ID], `class="mission overdue"`) {
					t.Errorf("%s: team 6's card is not marked overdue", tt.lang)
				}
				if got := textOf(cards[open.ID], `class="fill-figure figure"`); got != tt.fill {
					t.Errorf("%s: team 5's places in the list: %q, want %q", tt.lang, got, tt.fill)
				}
				if i, j := strings.Index(list, open.ID), strings.Index(list, late.ID); i < 0 || j < 0 || j > i {
					t.Errorf("%s: the list does not put the overdue team first", tt.lang)
				}

				r = br.get("/missions/" + open.ID)
				if r.Status != 200 {
					t.Fatalf("%s: team 5: %d", tt.lang, r.Status)
				}
				page := string(r.Body)
				for _, f := range []struct{ what, marker, want string }{
					{"days left", `id="days-left">`, tt.left},
					{"places filled", `<span class="fill-figure figure">`, tt.fill},
					{"average age", `id="team-average-age"><span class="figure">`, tt.age},
					{"members aged", `id="team-aged">`, tt.aged},
				} {
					if got := textOf(page, f.marker); got != f.want {
						t.Errorf("%s: %s on the page: %q, want %q", tt.lang, f.what, got, f.want)
					}
				}

				// Refusals read in the reader's language: next to the person
				// picked, and after a button.
				r = br.post("/missions/"+open.ID+"/applications", url.Values{"person_id": {sc.sun.ID}, "slot_id": {open.Slots[0].ID}})
				if got := textOf(string(r.Body), `id="e-person_id">`); r.Status != 409 || !strings.Contains(got, tt.overlap) {
					t.Errorf("%s: Sun's registration: %d %q, want 409 saying %q", tt.lang, r.Status, got, tt.overlap)
				}
				cur, _ := m.Store.FindMission(ctx, open.ID)
				r = br.post("/missions/"+open.ID+"/status", url.Values{"to": {"formed"}, "version": {strconv.FormatInt(cur.Version, 10)}})
				if r.Status != 303 {
					t.Fatalf("%s: form the team: %d", tt.lang, r.Status)
				}
				page = string(br.get("/missions/" + open.ID).Body)
				if got := textOf(page, `<p class="flash refused" role="alert">`); !strings.Contains(got, tt.short) {
					t.Errorf("%s: forming one short without a reason: %q, want %q", tt.lang, got, tt.short)
				}
				if tt.lang != "en" {
					if w := englishWords.FindString(strings.ReplaceAll(textOf(page, `<p class="flash refused" role="alert">`), sc.meknesPS.Name, "")); w != "" {
						t.Errorf("%s: English in the refusal: %q", tt.lang, w)
					}
				}

				r = br.get("/partnerships/" + sc.baoshanPS.ID)
				if got := textOf(string(r.Body), `id="facts-teams">`); got != "4" || !strings.Contains(string(r.Body), tt.teams) {
					t.Errorf("%s: teams sent to Baoshan: %q, want 4 under %q", tt.lang, got, tt.teams)
				}
			}
		})
	}
}

// cardsOf returns the cards of the missions list by mission id.
func cardsOf(page string) map[string]string {
	out := map[string]string{}
	for _, part := range strings.Split(page, `<li class="mission`)[1:] {
		if m := regexp.MustCompile(`data-mission="([^"]+)"`).FindStringSubmatch(part); m != nil {
			end := strings.Index(part, "</li>")
			out[m[1]] = `<li class="mission` + part[:max(end, 0)]
		}
	}
	return out
}

// textOf returns the text after marker up to the next tag, unescaped and
// trimmed: the figure an element starting at marker shows.
func textOf(s, marker string) string {
	i := strings.Index(s, marker)
	if i < 0 {
		return ""
	}
	rest := s[i+len(marker):]
	if !strings.HasSuffix(marker, ">") {
		rest = rest[strings.Index(rest, ">")+1:]
	}
	if j := strings.Index(rest, "<"); j >= 0 {
		rest = rest[:j]
	}
	return strings.TrimSpace(html.UnescapeString(rest))
}
