package demo_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"aidbridge/internal/access"
	"aidbridge/internal/account"
	"aidbridge/internal/demo"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
	"aidbridge/internal/store/storetest"
)

// load returns a fresh SQLite store with the demo data set loaded.
func load(t *testing.T) (*store.Store, *account.Service, []demo.Login) {
	t.Helper()
	s := storetest.Open(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	a := account.NewService(s)
	logins, err := demo.Load(context.Background(), s, a)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s, a, logins
}

// findOrg returns the one organization whose name is exactly name.
func findOrg(t *testing.T, s *store.Store, name string) domain.Organization {
	t.Helper()
	ctx := context.Background()
	list, _, err := s.ListOrganizations(ctx, domain.OrganizationFilter{Query: name})
	if err != nil {
		t.Fatalf("list organizations %q: %v", name, err)
	}
	for _, o := range list {
		if o.Name == name {
			full, err := s.FindOrganization(ctx, o.ID)
			if err != nil {
				t.Fatalf("find organization %q: %v", name, err)
			}
			return full
		}
	}
	t.Fatalf("no organization named %q", name)
	return domain.Organization{}
}

func value(p *int64) int64 {
	if p == nil {
		return -1
	}
	return *p
}

func TestLoadFigures(t *testing.T) {
	t.Parallel()
	s, _, _ := load(t)
	ctx := context.Background()

	som := findOrg(t, s, "Shanghai Jiao Tong University School of Medicine")
	scmc := findOrg(t, s, "Shanghai Children's Medical Center")

	t.Run("scmc", func(t *testing.T) {
		for _, c := range []struct {
			field     string
			got, want int64
		}{
			{"beds_total", value(scmc.BedsTotal), 1500},
			{"beds_in_service", value(scmc.BedsInService), 880},
			{"clinical_departments", value(scmc.ClinicalDepartments), 31},
		} {
			if c.got != c.want {
				t.Errorf("%s = %d, want %d", c.field, c.got, c.want)
			}
		}
		if scmc.ParentID != som.ID || scmc.ParentRelation != "affiliation" {
			t.Errorf("parent = %q (%s), want %q (affiliation)", scmc.ParentID, scmc.ParentRelation, som.ID)
		}
		if scmc.Subdivision != "CN-SH" {
			t.Errorf("subdivision = %q, want CN-SH", scmc.Subdivision)
		}
	})

	t.Run("accreditations", func(t *testing.T) {
		kashi := findOrg(t, s, "The Second People's Hospital of Kashi")
		for _, c := range []struct {
			org       domain.Organization
			kind      string
			name      string
			grantedOn string
		}{
			{scmc, "accreditation", "JCI accreditation", "2010"},
			{scmc, "designation", "National Children's Medical Center", "2017"},
			{kashi, "designation", "Tertiary class A hospital", "2015-01-28"},
		} {
			found := false
			for _, a := range c.org.Accreditations {
				if a.Name == c.name {
					found = true
					if a.Kind != c.kind || a.GrantedOn.String() != c.grantedOn {
						t.Errorf("%s: %s %s on %s, want %s on %s", c.org.Name, a.Kind, a.Name, a.GrantedOn, c.kind, c.grantedOn)
					}
				}
			}
			if !found {
				t.Errorf("%s has no %q among %v", c.org.Name, c.name, c.org.Accreditations)
			}
		}
	})

	t.Run("branches", func(t *testing.T) {
		branches, _, err := s.ListOrganizations(ctx, domain.OrganizationFilter{ParentID: scmc.ID})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, b := range branches {
			if b.ParentRelation != "branch" {
				t.Errorf("%s: parent relation %q, want branch", b.Name, b.ParentRelation)
			}
			got[b.Subdivision] = b.Name
		}
		for _, sub := range []string{"CN-HI", "CN-FJ", "CN-GZ"} {
			if got[sub] == "" {
				t.Errorf("no SCMC branch in %s (branches: %v)", sub, got)
			}
		}
		if len(branches) != 3 {
			t.Errorf("%d organizations under SCMC, want 3", len(branches))
		}
	})

	t.Run("xinhua", func(t *testing.T) {
		x := findOrg(t, s, "Xinhua Hospital affiliated to Shanghai Jiao Tong University School of Medicine")
		if x.ParentID != som.ID || x.ParentRelation != "affiliation" {
			t.Errorf("parent = %q (%s), want %q (affiliation)", x.ParentID, x.ParentRelation, som.ID)
		}
	})

	t.Run("people", func(t *testing.T) {
		people, _, err := s.ListPeople(ctx, domain.PersonFilter{Query: "Jun Bu"})
		if err != nil || len(people) != 1 {
			t.Fatalf("people named Jun Bu: %v, %v", people, err)
		}
		d, err := s.FindDepartment(ctx, people[0].DepartmentID)
		if err != nil || d.Name != "Neonatology" || d.OrganizationID != scmc.ID {
			t.Errorf("Jun Bu's department = %+v, %v; want Neonatology of SCMC", d, err)
		}
	})

	t.Run("items", func(t *testing.T) {
		for _, c := range []struct{ code, category, unit string }{
			{"N95", "ppe", "piece"},
			{"TEST-COVID", "diagnostics", "kit"},
		} {
			list, _, err := s.ListItems(ctx, domain.ItemFilter{Query: c.code})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, it := range list {
				if it.Code == c.code {
					found = true
					if string(it.Category) != c.category || it.Unit != c.unit {
						t.Errorf("%s: %s in %s, want %s in %s", c.code, it.Category, it.Unit, c.category, c.unit)
					}
				}
			}
			if !found {
				t.Errorf("no item %s", c.code)
			}
		}
	})
}

func TestLoadLogins(t *testing.T) {
	t.Parallel()
	s, a, logins := load(t)
	ctx := context.Background()

	scmc := findOrg(t, s, "Shanghai Children's Medical Center").ID
	xinhua := findOrg(t, s, "Xinhua Hospital affiliated to Shanghai Jiao Tong University School of Medicine").ID
	want := []struct {
		email     string
		siteAdmin bool
		org       string
		role      domain.Role
	}{
		{"admin@example.org", true, "", ""},
		{"admin@scmc.example.org", false, scmc, domain.RoleAdmin},
		{"coordinator@scmc.example.org", false, scmc, domain.RoleCoordinator},
		{"supply@seattlechildrens.example.org", false, findOrg(t, s, "Seattle Children's Hospital").ID, domain.RoleCoordinator},
		{"partners@xinhua.example.org", false, xinhua, domain.RoleCoordinator},
		{"screener@xinhua.example.org", false, xinhua, domain.RoleScreener},
		{"reviewer@xinhua.example.org", false, xinhua, domain.RoleReviewer},
		{"doctor@xinhua.example.org", false, xinhua, domain.RoleMember},
		{"officer@cmf.example.org", false, findOrg(t, s, "Children's Medical Foundation (CMF)").ID, domain.RoleCoordinator},
		{"viewer@shhealth.example.org", false, findOrg(t, s, "Shanghai Municipal Health Commission").ID, domain.RoleViewer},
	}
	if len(logins) != len(want) {
		t.Fatalf("%d logins, want %d: %v", len(logins), len(want), logins)
	}
	for i, w := range want {
		l := logins[i]
		t.Run(w.email, func(t *testing.T) {
			if l.Email != w.email {
				t.Fatalf("login %d is %s, want %s", i, l.Email, w.email)
			}
			u, _, err := a.Login(ctx, l.Email, demo.Password, "127.0.0.1")
			if err != nil {
				t.Fatalf("log in: %v", err)
			}
			if u.SiteAdmin != w.siteAdmin {
				t.Errorf("site_admin = %v, want %v", u.SiteAdmin, w.siteAdmin)
			}
			if w.org == "" {
				if len(u.Memberships) != 0 {
					t.Errorf("memberships = %v, want none", u.Memberships)
				}
				return
			}
			if len(u.Memberships) != 1 {
				t.Fatalf("memberships = %v, want one", u.Memberships)
			}
			m := u.Memberships[0]
			if m.OrganizationID != w.org || m.Role != w.role {
				t.Errorf("membership = %s in %s, want %s in %s", m.Role, m.OrganizationID, w.role, w.org)
			}
			if !strings.HasPrefix(l.Description, string(w.role)) {
				t.Errorf("description %q does not start with the role %s", l.Description, w.role)
			}
			if w.role == domain.RoleScreener {
				d, err := s.FindDepartment(ctx, m.DepartmentID)
				if err != nil || d.OrganizationID != xinhua {
					t.Errorf("screener's department = %+v, %v; want one of Xinhua", d, err)
				}
			}
		})
	}
}

func TestLoadTwice(t *testing.T) {
	t.Parallel()
	s, a, _ := load(t)
	_, err := demo.Load(context.Background(), s, a)
	if got := domain.ErrorCode(err); got != domain.ECONFLICT {
		t.Errorf("second Load: code %q (%v), want %q", got, err, domain.ECONFLICT)
	}
}

// TestDemoSupply checks the supply records of the demo data set: the 2,000
// N95 masks SCMC sent Seattle Children's, shipping borne by SCMC, and open
// needs at every urgency.
func TestDemoSupply(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.Open(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	if _, err := demo.Load(ctx, s, account.NewService(s)); err != nil {
		t.Fatal(err)
	}
	orgs, _, _ := s.ListOrganizations(ctx, domain.OrganizationFilter{Query: "Seattle Children's"})
	scmcs, _, _ := s.ListOrganizations(ctx, domain.OrganizationFilter{Query: "Shanghai Children's Medical Center", Limit: 1})
	if len(orgs) != 1 || len(scmcs) != 1 {
		t.Fatalf("organizations: %v %v", orgs, scmcs)
	}
	needs, _, err := s.ListNeeds(ctx, domain.NeedFilter{OrganizationID: orgs[0].ID})
	if err != nil || len(needs) != 1 {
		t.Fatalf("Seattle's needs: %v %v", needs, err)
	}
	n := needs[0]
	if n.Quantity != 2000 || n.Received != 2000 || n.Status != domain.NeedFulfilled || n.Urgency != domain.UrgencyCritical {
		t.Errorf("Seattle's need: %+v", n)
	}
	pledges, _ := s.ListPledges(ctx, n.ID)
	if len(pledges) != 1 || pledges[0].DonorID != scmcs[0].ID || pledges[0].Status != domain.PledgeDelivered {
		t.Fatalf("pledges: %+v", pledges)
	}
	ships, _ := s.ListShipments(ctx, domain.ShipmentFilter{OrganizationID: orgs[0].ID})
	if len(ships) != 1 || ships[0].CostBorneBy != scmcs[0].ID || ships[0].Status != domain.ShipmentDelivered {
		t.Errorf("shipments: %+v", ships)
	}
	open, _, _ := s.ListNeeds(ctx, domain.NeedFilter{Open: true})
	urgencies := map[domain.Urgency]bool{}
	for _, n := range open {
		urgencies[n.Urgency] = true
	}
	if len(urgencies) != 3 {
		t.Errorf("open needs cover urgencies %v, want all three", urgencies)
	}
	if bad, err := s.CheckStockLedger(ctx); err != nil || len(bad) > 0 {
		t.Errorf("ledger: %v %v", bad, err)
	}
}

// TestDemoMissions checks the missions of the demo data set on both
// databases: the figures of the accounts, the teams of history as the
// accounts give them, and the recruiting team's applications, which give
// each Xinhua login work.
func TestDemoMissions(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := storetest.Open(t, b)
			a := account.NewService(s)
			if _, err := demo.Load(ctx, s, a); err != nil {
				t.Fatalf("Load: %v", err)
			}
			xinhua := findOrg(t, s, "Xinhua Hospital affiliated to Shanghai Jiao Tong University School of Medicine")
			morocco := findProgram(t, s, "Medical aid to Morocco (since 1975)")
			moroccoTeams := missionsOf(t, s, domain.MissionFilter{ProgramID: morocco.ID})

			t.Run("morocco facts", func(t *testing.T) {
				facts, err := s.TeamFacts(ctx, domain.MissionFilter{ProgramID: morocco.ID})
				if err != nil {
					t.Fatal(err)
				}
				if facts.Teams != 17 || facts.PersonTimes != 67 {
					t.Errorf("Morocco: %d teams, %d person-times; want 17 and 67", facts.Teams, facts.PersonTimes)
				}
				if len(facts.ByYear) == 0 || facts.ByYear[0].Year != 1975 {
					t.Errorf("Morocco by year: %+v, want the first team in 1975", facts.ByYear)
				}
			})

			t.Run("morocco 2015", func(t *testing.T) {
				start := domain.Date{Year: 2015, Month: time.October, Day: 22}
				var m domain.Mission
				for _, x := range moroccoTeams {
					if x.StartsOn == start {
						m = x
					}
				}
				if m.ID == "" {
					t.Fatalf("no Morocco team leaves on %s", start)
				}
				if m.EndsOn != (domain.Date{Year: 2017, Month: time.October, Day: 21}) || m.Status != domain.MissionReturned || m.Sequence != 17 {
					t.Errorf("team of 2015: %d, %s to %s, %s; want 17, to 2017-10-21, returned", m.Sequence, m.StartsOn, m.EndsOn, m.Status)
				}
				// Formed within two weeks, by the farewell party of October 14.
				if m.FormationDeadline != (domain.Date{Year: 2015, Month: time.October, Day: 14}) {
					t.Errorf("formation deadline %s, want 2015-10-14", m.FormationDeadline)
				}
				team := teamOf(t, s, m)
				if len(team.Members) != 6 || team.Aged != 6 {
					t.Errorf("team of 2015: %d members, %d with a birth date; want 6 and 6", len(team.Members), team.Aged)
				}
				if team.AverageAge >= 400 {
					t.Errorf("team of 2015 averages %d tenths of a year, want under 40", team.AverageAge)
				}
				if team.Members[0].Role != domain.RoleLeader {
					t.Errorf("team of 2015 has no leader first: %+v", team.Members[0])
				}
				// "the youngest among the medical teams ever dispatched by
				// our hospital": every other team that left is older.
				for _, o := range missionsOf(t, s, domain.MissionFilter{OrganizationID: xinhua.ID}) {
					if o.ID == m.ID || !o.Status.DatesFixed() {
						continue
					}
					if ot := teamOf(t, s, o); ot.AverageAge <= team.AverageAge {
						t.Errorf("team %d from %s averages %d tenths, not older than the team of 2015 (%d)", o.Sequence, o.StartsOn, ot.AverageAge, team.AverageAge)
					}
				}
			})

			t.Run("morocco history", func(t *testing.T) {
				var last domain.Date
				seen := map[string]bool{}
				for i := len(moroccoTeams) - 1; i >= 0; i-- { // listed latest first
					m := moroccoTeams[i]
					if !m.Status.DatesFixed() {
						continue
					}
					if m.EndsOn != domain.DateOf(m.StartsOn.Time().AddDate(2, 0, -1)) {
						t.Errorf("team %d: %s to %s is not two years", m.Sequence, m.StartsOn, m.EndsOn)
					}
					if !last.IsZero() && !last.Before(m.StartsOn) {
						t.Errorf("team %d leaves on %s, before the team before it returns (%s)", m.Sequence, m.StartsOn, last)
					}
					last = m.EndsOn
					members, err := s.Team(ctx, m.ID)
					if err != nil {
						t.Fatal(err)
					}
					for _, tm := range members {
						if seen[tm.PersonID] {
							t.Errorf("%s is on two teams to Morocco", tm.Name)
						}
						seen[tm.PersonID] = true
					}
				}
			})

			t.Run("baoshan", func(t *testing.T) {
				ps := partnershipWith(t, s, xinhua.ID, findOrg(t, s, "Baoshan People's Hospital").ID)
				bySeq := map[int]domain.Mission{}
				for _, m := range missionsOf(t, s, domain.MissionFilter{PartnershipID: ps.ID}) {
					bySeq[m.Sequence] = m
				}
				want := map[int]domain.MissionStatus{2: domain.MissionReturned, 3: domain.MissionReturned, 4: domain.MissionReturned}
				if len(bySeq) != len(want) {
					t.Errorf("Baoshan teams %v, want 2, 3 and 4", bySeq)
				}
				for seq, status := range want {
					m, ok := bySeq[seq]
					if !ok {
						t.Errorf("no Baoshan team %d", seq)
						continue
					}
					if m.Status != status {
						t.Errorf("Baoshan team %d is %s, want %s", seq, m.Status, status)
					}
					if m.EndsOn != domain.DateOf(m.StartsOn.Time().AddDate(0, 6, -1)) {
						t.Errorf("Baoshan team %d: %s to %s is not six months", seq, m.StartsOn, m.EndsOn)
					}
					if prev, ok := bySeq[seq-1]; ok && !prev.EndsOn.Before(m.StartsOn) {
						t.Errorf("Baoshan team %d leaves on %s, before team %d returns on %s", seq, m.StartsOn, seq-1, prev.EndsOn)
					}
				}
				doctor := personOf(t, s, a, "doctor@xinhua.example.org")
				ms, roles, err := s.PersonMissions(ctx, doctor.ID)
				if err != nil || len(ms) != 1 || ms[0].ID != bySeq[4].ID || roles[0] != domain.RoleOnTeam {
					t.Errorf("the demo doctor's missions: %+v %v %v; want a member of Baoshan team 4", ms, roles, err)
				}
			})

			t.Run("kashi", func(t *testing.T) {
				ps := partnershipWith(t, s, xinhua.ID, findOrg(t, s, "The Second People's Hospital of Kashi").ID)
				ms := missionsOf(t, s, domain.MissionFilter{PartnershipID: ps.ID})
				if len(ms) != 1 || ms[0].StartsOn.Year != 2015 || ms[0].Status != domain.MissionReturned {
					t.Fatalf("Kashi missions: %+v, want the team of 2015", ms)
				}
				if team := teamOf(t, s, ms[0]); len(team.Specialties) == 0 || !slices.Contains(team.Specialties, "nephrology") {
					t.Errorf("Kashi team specialties %v, want nephrology among them", team.Specialties)
				}
			})

			// The recruiting 18th team to Morocco, a demo scenario.
			var m domain.Mission
			for _, x := range moroccoTeams {
				if x.Status == domain.MissionRecruiting {
					m = x
				}
			}
			if m.ID == "" || m.Sequence != 18 {
				t.Fatalf("no recruiting 18th team to Morocco: %+v", m)
			}
			apps, _, err := s.ListApplications(ctx, store.ApplicationFilter{MissionID: m.ID, Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			users := map[string]domain.User{}
			for _, e := range []string{"partners@xinhua.example.org", "screener@xinhua.example.org", "reviewer@xinhua.example.org", "doctor@xinhua.example.org"} {
				u, err := a.FindUserByEmail(ctx, e)
				if err != nil {
					t.Fatal(err)
				}
				users[e] = u
			}
			doctor := personOf(t, s, a, "doctor@xinhua.example.org")

			t.Run("recruiting", func(t *testing.T) {
				today := domain.Date{Year: 2026, Month: time.December, Day: 1}
				if days, ok := m.DaysLeft(today); !ok || days <= 0 || !m.FormationDeadline.Before(m.StartsOn) {
					t.Errorf("deadline %s, departure %s: %d days left (%v) on %s; want a deadline ahead, before departure", m.FormationDeadline, m.StartsOn, days, ok, today)
				}
				forming := missionsOf(t, s, domain.MissionFilter{Forming: true})
				if len(forming) != 1 || forming[0].ID != m.ID {
					t.Errorf("missions being formed: %+v, want the 18th team to Morocco", forming)
				}
				stages := map[domain.ApplicationStage]int{}
				for _, ap := range apps {
					stages[ap.Stage]++
				}
				want := map[domain.ApplicationStage]int{domain.StageRegistered: 3, domain.StagePassed: 3, domain.StageFailed: 1,
					domain.StageSelected: 2, domain.StageReserve: 1, domain.StageWithdrawn: 1}
				if !maps.Equal(stages, want) {
					t.Errorf("applications by stage %v, want %v", stages, want)
				}
				team, err := s.Team(ctx, m.ID)
				if err != nil || len(team) != 2 || team[0].Role != domain.RoleLeader || team[0].ApplicationID == "" {
					t.Errorf("team so far: %+v %v; want a leader and a member, selected", team, err)
				}
				filled, total := m.Places()
				if filled != 2 || total != 6 {
					t.Errorf("places %d of %d, want 2 of 6", filled, total)
				}
				for _, ap := range apps {
					p, err := s.FindPerson(ctx, ap.PersonID)
					if err != nil {
						t.Fatal(err)
					}
					sl, _ := m.Slot(ap.SlotID)
					if ps := sl.Meets(p, m.StartsOn, "slot"); len(ps) > 0 {
						t.Errorf("%s does not meet the place for %s: %v", p.Name, sl.Specialty, ps)
					}
					if ap.Stage != domain.StageRegistered && len(ap.Steps) < 2 {
						t.Errorf("%s's application is %s with steps %+v", ap.PersonName, ap.Stage, ap.Steps)
					}
				}
			})

			// Each Xinhua login finds something to do on the recruiting team.
			applicant := func(ap domain.Application) string {
				p, err := s.FindPerson(ctx, ap.PersonID)
				if err != nil {
					t.Fatal(err)
				}
				return p.UserID
			}
			can := func(email string, step domain.Step) (n int, stages map[domain.ApplicationStage]int) {
				stages = map[domain.ApplicationStage]int{}
				for _, ap := range apps {
					u := users[email]
					if may(&u, step, m, ap, applicant(ap)) {
						n++
						stages[ap.Stage]++
					}
				}
				return n, stages
			}

			t.Run("screener", func(t *testing.T) {
				u := users["screener@xinhua.example.org"]
				cardiology := u.Memberships[0].DepartmentID
				d, err := s.FindDepartment(ctx, cardiology)
				if err != nil || d.Name != "Cardiology" {
					t.Fatalf("screener's department %+v %v, want Cardiology", d, err)
				}
				waiting, _, err := s.ListApplications(ctx, store.ApplicationFilter{MissionID: m.ID, Stage: string(domain.StageRegistered),
					Departments: []string{cardiology}})
				if err != nil || len(waiting) != 3 {
					t.Errorf("Cardiology applications to screen: %d %v, want 3", len(waiting), err)
				}
				for _, ap := range apps {
					res := access.Resource{OrganizationID: m.SendingID, DepartmentID: ap.DepartmentID, UserID: applicant(ap)}
					if sees := access.Can(&u, access.ReadApplication, res); sees != (ap.DepartmentID == cardiology) {
						t.Errorf("the screener sees %s's application of another department: %v", ap.PersonName, sees)
					}
				}
				if n, stages := can("screener@xinhua.example.org", domain.StepScreen); n != 3 || stages[domain.StageRegistered] != 3 {
					t.Errorf("the screener may screen %d applications (%v), want the 3 registered in Cardiology", n, stages)
				}
			})

			t.Run("reviewer", func(t *testing.T) {
				if n, stages := can("reviewer@xinhua.example.org", domain.StepDecide); n != 4 || stages[domain.StagePassed] != 3 || stages[domain.StageReserve] != 1 {
					t.Errorf("the reviewer may decide on %d applications (%v), want 3 passed and 1 reserve", n, stages)
				}
			})

			t.Run("doctor", func(t *testing.T) {
				u := users["doctor@xinhua.example.org"]
				own, _, err := s.ListApplications(ctx, store.ApplicationFilter{Departments: []string{}, OwnUserID: u.ID})
				if err != nil || len(own) != 1 || own[0].PersonID != doctor.ID || own[0].Stage != domain.StageRegistered || own[0].MissionID != m.ID {
					t.Fatalf("the doctor's applications: %+v %v; want one registered for the 18th team", own, err)
				}
				if len(own[0].Steps) != 1 || own[0].Steps[0].UserID != u.ID {
					t.Errorf("the doctor's application steps %+v, want registered by the doctor", own[0].Steps)
				}
				if n, _ := can("doctor@xinhua.example.org", domain.StepWithdraw); n != 1 {
					t.Errorf("the doctor may withdraw %d applications, want the own one", n)
				}
			})

			t.Run("coordinator", func(t *testing.T) {
				u := users["partners@xinhua.example.org"]
				res := access.Resource{OrganizationID: m.SendingID}
				if !access.Can(&u, access.MoveMission, res) || !access.Can(&u, access.ReadAllApplications, res) {
					t.Error("the coordinator may not run the recruiting team")
				}
				if n, _ := can("partners@xinhua.example.org", domain.StepWithdraw); n != 7 {
					t.Errorf("the coordinator may withdraw %d applications, want the 7 not yet decided", n)
				}
			})
		})
	}
}

// may reports whether u may take step on application ap of mission m, as
// the missions pages ask before they show a step's buttons: the stage leads
// somewhere by the step and the policy allows it.
func may(u *domain.User, step domain.Step, m domain.Mission, ap domain.Application, applicantUser string) bool {
	action := map[domain.Step]access.Action{domain.StepScreen: access.ScreenApplication, domain.StepDecide: access.DecideApplication,
		domain.StepWithdraw: access.WithdrawApplication}[step]
	return len(ap.Stage.Outcomes(step)) > 0 && m.Status.Takes() &&
		access.Can(u, action, access.Resource{OrganizationID: m.SendingID, DepartmentID: ap.DepartmentID, UserID: applicantUser})
}

func findProgram(t *testing.T, s *store.Store, name string) domain.Program {
	t.Helper()
	list, _, err := s.ListPrograms(context.Background(), domain.ProgramFilter{Query: name})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no program named %q", name)
	return domain.Program{}
}

func partnershipWith(t *testing.T, s *store.Store, provider, recipient string) domain.Partnership {
	t.Helper()
	list, _, err := s.ListPartnerships(context.Background(), domain.PartnershipFilter{OrganizationID: recipient, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if p.ProviderID == provider && p.RecipientID == recipient {
			return p
		}
	}
	t.Fatalf("no partnership from %s to %s", provider, recipient)
	return domain.Partnership{}
}

func missionsOf(t *testing.T, s *store.Store, f domain.MissionFilter) []domain.Mission {
	t.Helper()
	f.Limit = domain.MaxPageSize
	list, next, err := s.ListMissions(context.Background(), f)
	if err != nil || next != "" {
		t.Fatalf("missions %+v: %d, next %q, %v", f, len(list), next, err)
	}
	return list
}

func teamOf(t *testing.T, s *store.Store, m domain.Mission) domain.Team {
	t.Helper()
	members, err := s.Team(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	births := make([]domain.Date, len(members))
	for i, tm := range members {
		births[i] = tm.BirthDate
	}
	return domain.TeamOf(members, births, m.StartsOn)
}

// personOf returns the person linked to the user with the given email.
func personOf(t *testing.T, s *store.Store, a *account.Service, email string) domain.Person {
	t.Helper()
	u, err := a.FindUserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	list, _, err := s.ListPeople(context.Background(), domain.PersonFilter{Query: u.Name})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if p.UserID == u.ID {
			return p
		}
	}
	t.Fatalf("no person linked to %s", email)
	return domain.Person{}
}
