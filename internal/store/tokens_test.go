package store_test

import (
	"context"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
	"aidbridge/internal/store/storetest"
)

// clock is a time that a test moves by hand.
type clock struct{ at atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.at.Store(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC).UnixMicro())
	return c
}
func (c *clock) now() time.Time          { return time.UnixMicro(c.at.Load()).UTC() }
func (c *clock) advance(d time.Duration) { c.at.Add(d.Microseconds()) }

// clockedStores opens two stores on one new database, as two instances
// would be, both reading the time from one clock moved by hand.
func clockedStores(t *testing.T, b storetest.Backend) (here, there *store.Store, clk *clock) {
	t.Helper()
	stores, clk := twoStores(t, b), newClock()
	for _, s := range stores {
		store.SetClock(s, clk.now)
	}
	return stores[0], stores[1], clk
}

// TestTokenUserCache checks what a token's user read from memory may be:
// changes made through the same store are seen at once; a change made by
// another store on the same database is seen once TokenCacheTTL has passed.
func TestTokenUserCache(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			here, there, clk := clockedStores(t, b)

			xinhua := domain.Organization{Name: "Xinhua Hospital", Kind: "hospital", Country: "CN"}
			baoshan := domain.Organization{Name: "Baoshan People's Hospital", Kind: "hospital", Country: "CN"}
			for _, o := range []*domain.Organization{&xinhua, &baoshan} {
				if err := here.CreateOrganization(ctx, admin, o); err != nil {
					t.Fatal(err)
				}
			}
			u := domain.User{Email: "viewer@example.org", Name: "Viewer", Memberships: []domain.Membership{
				{OrganizationID: xinhua.ID, Role: domain.RoleViewer}}}
			if err := here.CreateUser(ctx, admin, &u, "hash"); err != nil {
				t.Fatal(err)
			}
			lone := domain.User{Email: "lone@example.org", Name: "Lone"}
			if err := here.CreateUser(ctx, admin, &lone, "hash"); err != nil {
				t.Fatal(err)
			}
			newToken := func(userID, hash string) domain.APIToken {
				t.Helper()
				tok := domain.APIToken{UserID: userID, Name: "script " + hash, Prefix: "abcd"}
				if err := here.CreateAPIToken(ctx, admin, &tok, hash); err != nil {
					t.Fatal(err)
				}
				return tok
			}
			roles := func(s *store.Store, hash string) ([]string, error) {
				t.Helper()
				got, err := s.FindTokenUser(ctx, hash)
				if err != nil {
					return nil, err
				}
				out := []string{}
				for _, m := range got.Memberships {
					out = append(out, m.OrganizationName+" "+string(m.Role))
				}
				return out, nil
			}
			want := func(s *store.Store, hash string, want ...string) {
				t.Helper()
				got, err := roles(s, hash)
				if err != nil {
					t.Fatalf("token %s: %v", hash, err)
				}
				if want == nil {
					want = []string{}
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("token %s: memberships %q, want %q", hash, got, want)
				}
			}
			refused := func(s *store.Store, hash string) {
				t.Helper()
				if _, err := s.FindTokenUser(ctx, hash); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
					t.Errorf("token %s: err = %v, want unauthorized", hash, err)
				}
			}

			first := newToken(u.ID, "first")
			want(here, "first", "Xinhua Hospital viewer")
			newToken(lone.ID, "lone")
			want(here, "lone")
			refused(here, "unknown")

			// What the caller does with the user it got does not reach the cache.
			got, _ := here.FindTokenUser(ctx, "first")
			got.Memberships[0].Role = domain.RoleAdmin
			want(here, "first", "Xinhua Hospital viewer")

			// Changes through this store are seen at once.
			if err := here.AddMembership(ctx, admin, u.ID, domain.Membership{OrganizationID: baoshan.ID, Role: domain.RoleMember}); err != nil {
				t.Fatal(err)
			}
			want(here, "first", "Baoshan People's Hospital member", "Xinhua Hospital viewer")
			if err := here.RemoveMembership(ctx, admin, u.ID, domain.Membership{OrganizationID: xinhua.ID, Role: domain.RoleViewer}); err != nil {
				t.Fatal(err)
			}
			want(here, "first", "Baoshan People's Hospital member")
			cur, err := here.FindUser(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			cur.Memberships = []domain.Membership{{OrganizationID: xinhua.ID, Role: domain.RoleCoordinator}}
			if err := here.SetMemberships(ctx, admin, &cur); err != nil {
				t.Fatal(err)
			}
			want(here, "first", "Xinhua Hospital coordinator")
			renamed, err := here.FindOrganization(ctx, xinhua.ID)
			if err != nil {
				t.Fatal(err)
			}
			renamed.Name = "Xinhua Hospital (Chongming)"
			if err := here.UpdateOrganization(ctx, admin, &renamed); err != nil {
				t.Fatal(err)
			}
			want(here, "first", "Xinhua Hospital (Chongming) coordinator")
			if err := here.RevokeAPIToken(ctx, admin, u.ID, first.ID); err != nil {
				t.Fatal(err)
			}
			refused(here, "first")

			// A token revoked by another instance works here until the
			// remembered user expires, and not after.
			second := newToken(u.ID, "second")
			want(here, "second", "Xinhua Hospital (Chongming) coordinator")
			if err := there.RevokeAPIToken(ctx, admin, u.ID, second.ID); err != nil {
				t.Fatal(err)
			}
			refused(there, "second")
			clk.advance(store.TokenCacheTTL - time.Millisecond)
			want(here, "second", "Xinhua Hospital (Chongming) coordinator")
			clk.advance(time.Millisecond)
			refused(here, "second")

			// So do memberships changed by another instance.
			newToken(u.ID, "third")
			want(here, "third", "Xinhua Hospital (Chongming) coordinator")
			if err := there.AddMembership(ctx, admin, u.ID, domain.Membership{OrganizationID: baoshan.ID, Role: domain.RoleViewer}); err != nil {
				t.Fatal(err)
			}
			want(here, "third", "Xinhua Hospital (Chongming) coordinator")
			clk.advance(store.TokenCacheTTL)
			want(here, "third", "Baoshan People's Hospital viewer", "Xinhua Hospital (Chongming) coordinator")
		})
	}
}

// TestOrganizationDetail checks that the one statement of an organization
// with its departments reads what the organization and its departments'
// list read each on their own.
func TestOrganizationDetail(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, b)
			bare := domain.Organization{Name: "Baoshan People's Hospital", Kind: "hospital", Country: "CN"}
			full := domain.Organization{Name: "Shanghai Children's Medical Center", Kind: "hospital", Country: "CN", Subdivision: "CN-SH",
				City: "Shanghai", BedsTotal: ptr[int64](1500), ClinicalDepartments: ptr[int64](31), Website: "https://www.scmc.com.cn",
				Latitude: ptr(31.2), Longitude: ptr(121.5), Accreditations: []domain.Accreditation{
					{Kind: "designation", Name: "National Children's Medical Center", GrantedOn: domain.YearOf(2017)},
					{Kind: "accreditation", Name: "JCI", GrantedBy: "Joint Commission International", GrantedOn: domain.YearOf(2010)},
					{Kind: "accreditation", Name: "JCI again", GrantedBy: "Joint Commission International", GrantedOn: domain.YearOf(2010)},
					{Kind: "designation", Name: "Regional center", GrantedOn: domain.PartialDate{Date: domain.Date{Year: 2019, Month: 6, Day: 14}, Precision: domain.PrecisionDay}},
				}}
			for _, o := range []*domain.Organization{&bare, &full} {
				if err := s.CreateOrganization(ctx, admin, o); err != nil {
					t.Fatal(err)
				}
			}
			branch := domain.Organization{Name: "SCMC Sanya", Kind: "hospital", Country: "CN", ParentID: full.ID, ParentRelation: "branch"}
			if err := s.CreateOrganization(ctx, admin, &branch); err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"Cardiology", "Anesthesiology", "Surgery"} {
				if err := s.CreateDepartment(ctx, admin, &domain.Department{OrganizationID: full.ID, Name: name}); err != nil {
					t.Fatal(err)
				}
			}
			for _, o := range []domain.Organization{bare, full, branch} {
				wantOrg, err := s.FindOrganization(ctx, o.ID)
				if err != nil {
					t.Fatal(err)
				}
				wantDeps, err := s.ListDepartments(ctx, o.ID)
				if err != nil {
					t.Fatal(err)
				}
				gotOrg, gotDeps, err := s.FindOrganizationDetail(ctx, o.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(gotOrg, wantOrg) {
					t.Errorf("%s: organization\n got %+v\nwant %+v", o.Name, gotOrg, wantOrg)
				}
				if !reflect.DeepEqual(gotDeps, wantDeps) {
					t.Errorf("%s: departments\n got %+v\nwant %+v", o.Name, gotDeps, wantDeps)
				}
			}
			got, _, _ := s.FindOrganizationDetail(ctx, full.ID)
			var names []string
			for _, a := range got.Accreditations {
				names = append(names, a.Name+" "+a.GrantedOn.String())
			}
			if want := []string{"JCI 2010", "JCI again 2010", "National Children's Medical Center 2017", "Regional center 2019-06-14"}; !reflect.DeepEqual(names, want) {
				t.Errorf("accreditations %q, want %q", names, want)
			}
			if _, _, err := s.FindOrganizationDetail(ctx, "nosuchorganization"); domain.ErrorCode(err) != domain.ENOTFOUND {
				t.Errorf("unknown organization: err = %v, want not found", err)
			}
		})
	}
}

// TestSessionUserCache checks the sessions of the pages as the tokens are
// checked: signing out through the same store ends the session at once,
// another store on the database sees it within TokenCacheTTL, and a session
// is never taken past its end, however recently it was read.
func TestSessionUserCache(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			here, there, clk := clockedStores(t, b)
			u := domain.User{Email: "coordinator@example.org", Name: "Coordinator"}
			if err := here.CreateUser(ctx, admin, &u, "hash"); err != nil {
				t.Fatal(err)
			}
			seen := func(s *store.Store, hash string) bool {
				t.Helper()
				got, err := s.FindSessionUser(ctx, hash)
				if err != nil && domain.ErrorCode(err) != domain.EUNAUTHORIZED {
					t.Fatal(err)
				}
				return err == nil && got.ID == u.ID
			}

			// Signed out here: refused here at once, there within the TTL.
			if err := here.CreateSession(ctx, u.ID, "s1", clk.now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if !seen(here, "s1") || !seen(there, "s1") {
				t.Fatal("a new session is not taken")
			}
			if err := here.DeleteSession(ctx, "s1"); err != nil {
				t.Fatal(err)
			}
			if seen(here, "s1") {
				t.Error("a session ended on this store is still taken by it")
			}
			if !seen(there, "s1") {
				t.Error("the other store forgot the session before its TTL: the cache is not used")
			}
			clk.advance(store.TokenCacheTTL)
			if seen(there, "s1") {
				t.Errorf("the other store still takes the ended session after %v", store.TokenCacheTTL)
			}

			// A session ending within the TTL is not taken after its end.
			if err := here.CreateSession(ctx, u.ID, "s2", clk.now().Add(2*time.Second)); err != nil {
				t.Fatal(err)
			}
			if !seen(here, "s2") {
				t.Fatal("a session of two seconds is not taken")
			}
			clk.advance(2 * time.Second)
			if seen(here, "s2") {
				t.Error("a session is taken past its end")
			}

			// Every other session of the user ended: refused at once.
			for _, h := range []string{"s3", "s4"} {
				if err := here.CreateSession(ctx, u.ID, h, clk.now().Add(time.Hour)); err != nil {
					t.Fatal(err)
				}
				seen(here, h)
			}
			if _, err := here.DeleteUserSessions(ctx, u.ID, "s3"); err != nil {
				t.Fatal(err)
			}
			if !seen(here, "s3") || seen(here, "s4") {
				t.Error("after ending the user's other sessions: want s3 kept and s4 ended")
			}
		})
	}
}
