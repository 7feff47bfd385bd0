package demo_test

import (
	"context"
	"strings"
	"testing"

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
