package store_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
	"aidbridge/internal/store/storetest"
)

var admin = store.Actor{UserID: "test"}

func ptr[T any](v T) *T { return &v }

func TestOrganizations(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, b)
			parent := domain.Organization{Name: "Shanghai Jiao Tong University School of Medicine", Kind: "university", Country: "CN", Subdivision: "CN-SH"}
			if err := s.CreateOrganization(ctx, admin, &parent); err != nil {
				t.Fatal(err)
			}
			scmc := domain.Organization{Name: "Shanghai Children's Medical Center", Kind: "hospital", Country: "CN", Subdivision: "CN-SH",
				City: "Shanghai", ParentID: parent.ID, ParentRelation: "affiliation", BedsTotal: ptr[int64](1500), BedsInService: ptr[int64](880),
				ClinicalDepartments: ptr[int64](31), Accreditations: []domain.Accreditation{
					{Kind: "designation", Name: "National Children's Medical Center", GrantedOn: domain.YearOf(2017)},
					{Kind: "accreditation", Name: "JCI", GrantedBy: "Joint Commission International", GrantedOn: domain.YearOf(2010)},
				}}
			if err := s.CreateOrganization(ctx, admin, &scmc); err != nil {
				t.Fatal(err)
			}
			got, err := s.FindOrganization(ctx, scmc.ID)
			if err != nil {
				t.Fatal(err)
			}
			if *got.BedsTotal != 1500 || *got.BedsInService != 880 || got.ParentID != parent.ID || got.Version != 1 {
				t.Errorf("got %+v", got)
			}
			if len(got.Accreditations) != 2 || got.Accreditations[0].Name != "JCI" || got.Accreditations[0].GrantedOn.String() != "2010" {
				t.Errorf("accreditations = %+v, want JCI 2010 first", got.Accreditations)
			}

			// An update with the right version goes through; a stale one is refused.
			got.City = "Shanghai (Pudong)"
			if err := s.UpdateOrganization(ctx, admin, &got); err != nil {
				t.Fatal(err)
			}
			if got.Version != 2 {
				t.Errorf("version after update = %d, want 2", got.Version)
			}
			stale := got
			stale.Version = 1
			stale.City = "Elsewhere"
			if err := s.UpdateOrganization(ctx, admin, &stale); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("stale update: err = %v, want conflict", err)
			}
			again, _ := s.FindOrganization(ctx, scmc.ID)
			if again.City != "Shanghai (Pudong)" {
				t.Errorf("city = %q after a refused update", again.City)
			}

			// The audit log has the creation and the update with before and after.
			entries, _, err := s.ListAudit(ctx, domain.AuditFilter{EntityType: "organization", EntityID: scmc.ID})
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 2 || entries[0].Action != "update" || entries[1].Action != "create" {
				t.Fatalf("audit = %+v", entries)
			}
			if entries[0].Before["city"] != "Shanghai" || entries[0].After["city"] != "Shanghai (Pudong)" {
				t.Errorf("audit before/after = %v / %v", entries[0].Before["city"], entries[0].After["city"])
			}
			if ch := entries[0].Changed(); len(ch) != 1 || ch[0] != "city" {
				t.Errorf("changed = %v, want [city]", ch)
			}

			// A parent with children cannot be deleted; a cycle of parents is refused.
			if err := s.DeleteOrganization(ctx, admin, parent.ID, parent.Version); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("delete parent: err = %v, want conflict", err)
			}
			p2, _ := s.FindOrganization(ctx, parent.ID)
			p2.ParentID, p2.ParentRelation = scmc.ID, "branch"
			if err := s.UpdateOrganization(ctx, admin, &p2); domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("cycle: err = %v, want invalid", err)
			}
			// Invalid input names the field and stores nothing.
			bad := domain.Organization{Name: "", Kind: "castle", Country: "XX"}
			err = s.CreateOrganization(ctx, admin, &bad)
			fields := map[string]bool{}
			for _, f := range domain.ErrorFields(err) {
				fields[f.Field] = true
			}
			if !fields["name"] || !fields["kind"] || !fields["country"] {
				t.Errorf("invalid organization: fields = %v", domain.ErrorFields(err))
			}
			names, err := s.OrganizationNames(ctx, []string{scmc.ID, parent.ID, "missing", scmc.ID, ""})
			if err != nil || len(names) != 2 || names[scmc.ID] != scmc.Name || names[parent.ID] != parent.Name {
				t.Errorf("names: %v %v", names, err)
			}
			list, _, _ := s.ListOrganizations(ctx, domain.OrganizationFilter{})
			if len(list) != 2 {
				t.Errorf("%d organizations stored, want 2", len(list))
			}
		})
	}
}

func TestListPaging(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, b)
			for i := range 25 {
				o := domain.Organization{Name: fmt.Sprintf("Hospital %02d", i), Kind: "hospital", Country: "CN"}
				if i%5 == 0 {
					o.Name = fmt.Sprintf("Clinic 100%%_%02d", i)
				}
				if err := s.CreateOrganization(ctx, admin, &o); err != nil {
					t.Fatal(err)
				}
			}
			var names []string
			cursor := ""
			pages := 0
			for {
				page, next, err := s.ListOrganizations(ctx, domain.OrganizationFilter{Query: "hospital", Cursor: cursor, Limit: 7})
				if err != nil {
					t.Fatal(err)
				}
				pages++
				for _, o := range page {
					names = append(names, o.Name)
				}
				if next == "" {
					break
				}
				cursor = next
			}
			if len(names) != 20 || pages != 3 || names[0] != "Hospital 01" || names[19] != "Hospital 24" {
				t.Errorf("got %d names in %d pages: %v", len(names), pages, names)
			}
			// LIKE wildcards in the query are taken literally.
			got, _, _ := s.ListOrganizations(ctx, domain.OrganizationFilter{Query: "100%_1"})
			if len(got) != 2 {
				t.Errorf("query with wildcards matched %d, want 2 (Clinic 100%%_10, _15)", len(got))
			}
			if _, _, err := s.ListOrganizations(ctx, domain.OrganizationFilter{Cursor: "!!"}); domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("bad cursor: err = %v", err)
			}
		})
	}
}

func TestPeopleAndAccounts(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, b)
			xinhua := domain.Organization{Name: "Xinhua Hospital", Kind: "hospital", Country: "CN"}
			other := domain.Organization{Name: "Baoshan People's Hospital", Kind: "hospital", Country: "CN", Subdivision: "CN-YN"}
			for _, o := range []*domain.Organization{&xinhua, &other} {
				if err := s.CreateOrganization(ctx, admin, o); err != nil {
					t.Fatal(err)
				}
			}
			cardio := domain.Department{OrganizationID: xinhua.ID, Name: "Cardiology"}
			if err := s.CreateDepartment(ctx, admin, &cardio); err != nil {
				t.Fatal(err)
			}
			dup := domain.Department{OrganizationID: xinhua.ID, Name: "Cardiology"}
			if err := s.CreateDepartment(ctx, admin, &dup); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("duplicate department: err = %v, want conflict", err)
			}
			p := domain.Person{OrganizationID: xinhua.ID, DepartmentID: cardio.ID, Name: "Sun Kun", Title: "President",
				Languages: []string{"zh", "en"}, BirthDate: domain.Date{Year: 1970, Month: 5, Day: 3}, Email: "sun.kun@example.org"}
			if err := s.CreatePerson(ctx, admin, &p); err != nil {
				t.Fatal(err)
			}
			got, err := s.FindPerson(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.BirthDate.String() != "1970-05-03" || len(got.Languages) != 2 || got.Email != p.Email {
				t.Errorf("person = %+v", got)
			}
			// A department of another organization is refused.
			got.OrganizationID = other.ID
			if err := s.UpdatePerson(ctx, admin, &got); domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("foreign department: err = %v, want invalid", err)
			}
			if err := s.DeleteDepartment(ctx, admin, cardio.ID); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("delete used department: err = %v, want conflict", err)
			}

			u := domain.User{Email: "Screener@Example.org", Name: "Screener", Memberships: []domain.Membership{
				{OrganizationID: xinhua.ID, Role: domain.RoleScreener, DepartmentID: cardio.ID}}}
			if err := s.CreateUser(ctx, admin, &u, "hash"); err != nil {
				t.Fatal(err)
			}
			again := domain.User{Email: "screener@example.org", Name: "Again"}
			if err := s.CreateUser(ctx, admin, &again, "hash"); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("duplicate email: err = %v, want conflict", err)
			}
			fu, hash, err := s.FindUserByEmail(ctx, "SCREENER@example.org")
			if err != nil || hash != "hash" || !fu.HasRole(xinhua.ID, domain.RoleScreener) || fu.HasRole(other.ID, domain.RoleScreener) {
				t.Errorf("find user: %+v %q %v", fu, hash, err)
			}
			tok := domain.APIToken{UserID: u.ID, Name: "script", Prefix: "abcd"}
			if err := s.CreateAPIToken(ctx, admin, &tok, "tokenhash"); err != nil {
				t.Fatal(err)
			}
			if tu, err := s.FindTokenUser(ctx, "tokenhash"); err != nil || tu.ID != u.ID {
				t.Errorf("token user = %v, %v", tu.ID, err)
			}
			if err := s.RevokeAPIToken(ctx, admin, u.ID, tok.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.FindTokenUser(ctx, "tokenhash"); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
				t.Errorf("revoked token: err = %v, want unauthorized", err)
			}
		})
	}
}

// TestConcurrentUpdates races updates of one record at the same version: one
// wins, every other is refused with a conflict, and the audit log has one
// entry per successful write.
func TestConcurrentUpdates(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, b)
			o := domain.Organization{Name: "Seattle Children's Hospital", Kind: "hospital", Country: "US", Subdivision: "US-WA"}
			if err := s.CreateOrganization(ctx, admin, &o); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			errs := make([]error, 20)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					c := o
					c.City = fmt.Sprintf("Seattle %d", i)
					errs[i] = s.UpdateOrganization(ctx, admin, &c)
				}()
			}
			wg.Wait()
			ok := 0
			for _, err := range errs {
				switch domain.ErrorCode(err) {
				case "":
					ok++
				case domain.ECONFLICT:
				default:
					t.Errorf("unexpected error: %v", err)
				}
			}
			if ok != 1 {
				t.Errorf("%d updates succeeded, want exactly 1", ok)
			}
			entries, _, _ := s.ListAudit(ctx, domain.AuditFilter{EntityID: o.ID})
			if len(entries) != 2 {
				t.Errorf("%d audit entries, want 2", len(entries))
			}
		})
	}
}

// TestSQLiteSurvivesKill commits in a child process that is then killed with
// SIGKILL, and finds the committed record on reopening.
func TestSQLiteSurvivesKill(t *testing.T) {
	if path := os.Getenv("AIDBRIDGE_KILL_CHILD_DB"); path != "" {
		s, err := store.Open(context.Background(), "sqlite:"+path)
		if err != nil {
			fmt.Println("open:", err)
			os.Exit(2)
		}
		o := domain.Organization{Name: "Committed before kill", Kind: "hospital", Country: "MA"}
		if err := s.CreateOrganization(context.Background(), admin, &o); err != nil {
			fmt.Println("create:", err)
			os.Exit(2)
		}
		fmt.Println("COMMITTED")
		select {} // wait to be killed
	}
	path := filepath.Join(t.TempDir(), "kill.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestSQLiteSurvivesKill$")
	cmd.Env = append(os.Environ(), "AIDBRIDGE_KILL_CHILD_DB="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	var seen strings.Builder
	for !strings.Contains(seen.String(), "COMMITTED") {
		n, err := out.Read(buf)
		seen.Write(buf[:n])
		if err != nil {
			t.Fatalf("child ended before committing: %s", seen.String())
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	s, err := store.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	list, _, err := s.ListOrganizations(context.Background(), domain.OrganizationFilter{})
	if err != nil || len(list) != 1 || list[0].Name != "Committed before kill" {
		t.Errorf("after kill: %v %v", list, err)
	}
}
