package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"aidbridge/internal/demo"
	"aidbridge/internal/domain"
	"aidbridge/internal/store/storetest"
)

// demoTeam returns the demo's mission of Xinhua Hospital to the recipient
// named name with number seq.
func demoTeam(t *testing.T, m *testMain, name string, seq int) domain.Mission {
	t.Helper()
	ctx := context.Background()
	list, _, err := m.Store.ListPartnerships(ctx, domain.PartnershipFilter{Query: "Xinhua Hospital → " + name, Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatalf("the partnership of Xinhua Hospital and %s: %v, %d found", name, err, len(list))
	}
	missions, _, err := m.Store.ListMissions(ctx, domain.MissionFilter{PartnershipID: list[0].ID, Limit: domain.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	for _, mi := range missions {
		if mi.Sequence == seq {
			return mi
		}
	}
	t.Fatalf("no team %d to %s", seq, name)
	return domain.Mission{}
}

// TestTeamMemberLogsFieldWork: the demo doctor, on the 4th team to
// Baoshan, logs and changes the team's field work over the API and finds
// the quick entry on its calendar; a Xinhua doctor not on the team, and the
// Cardiology screener, are refused, and so is the demo doctor on a team
// they were not on.
func TestTeamMemberLogsFieldWork(t *testing.T) {
	t.Parallel()
	m := startMain(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	ctx := context.Background()
	team4 := demoTeam(t, m, "Baoshan", 4)
	morocco := demoTeam(t, m, "Hospital in Meknes", 17)
	xinhua := team4.SendingID

	other := domain.User{Email: "other-doctor@xinhua.example.org", Name: "Another Xinhua Doctor",
		Memberships: []domain.Membership{{OrganizationID: xinhua, Role: domain.RoleMember}}}
	if err := m.Accounts.CreateUser(ctx, nil, &other, demo.Password); err != nil {
		t.Fatal(err)
	}
	p := domain.Person{OrganizationID: xinhua, Name: "Another Xinhua Doctor", Specialty: "cardiology", UserID: other.ID}
	if err := m.Store.CreatePerson(ctx, system, &p); err != nil {
		t.Fatal(err)
	}
	body := func(mi domain.Mission) map[string]any {
		return map[string]any{"mission_id": mi.ID, "activities": []map[string]any{
			{"kind": "home_visit", "done_on": mi.StartsOn.String(), "count": 4},
			{"kind": "case_discussion", "done_on": mi.StartsOn.String(), "count": 15}}}
	}
	doctor := m.token("doctor@xinhua.example.org")
	r := m.call("POST", "/api/v1/activities", doctor, body(team4))
	items, _ := r.JSON["items"].([]any)
	if r.Status != http.StatusCreated || len(items) != 2 {
		t.Fatalf("the team member logs two activities: %d %s", r.Status, r.Body)
	}
	first, _ := items[0].(map[string]any)
	if first["partnership_id"] != team4.PartnershipID || first["mission_id"] != team4.ID {
		t.Errorf("logged activity: %v", first)
	}
	id, _ := first["id"].(string)
	if r := m.call("PUT", "/api/v1/activities/"+id, doctor, map[string]any{"kind": "home_visit", "done_on": team4.StartsOn.String(),
		"count": 5, "version": 1}); r.Status != http.StatusOK {
		t.Errorf("the team member changes the activity: %d %s", r.Status, r.Body)
	}
	for _, c := range []struct {
		who, email string
		mission    domain.Mission
	}{
		{"a doctor not on the team", other.Email, team4},
		{"the Cardiology screener", "screener@xinhua.example.org", team4},
		{"the demo doctor on a team they were not on", "doctor@xinhua.example.org", morocco},
	} {
		tok := m.token(c.email)
		if r := m.call("POST", "/api/v1/activities", tok, body(c.mission)); r.Status != http.StatusForbidden {
			t.Errorf("%s logs field work: %d %s, want 403", c.who, r.Status, r.Body)
		}
		if c.mission.ID == team4.ID {
			if r := m.call("DELETE", "/api/v1/activities/"+id+"?version=2", tok, nil); r.Status != http.StatusForbidden {
				t.Errorf("%s deletes an activity of the team: %d, want 403", c.who, r.Status)
			}
		}
	}
	// The calendar offers the quick entry to the member, not to the other
	// doctor.
	page := m.login("doctor@xinhua.example.org").get("/missions/" + team4.ID + "/activities")
	if page.Status != http.StatusOK || !strings.Contains(string(page.Body), `id="log-activities"`) {
		t.Errorf("the team member's calendar: %d, quick entry offered %v", page.Status, strings.Contains(string(page.Body), `id="log-activities"`))
	}
	page = m.login(other.Email).get("/missions/" + team4.ID + "/activities")
	if page.Status != http.StatusOK || strings.Contains(string(page.Body), `id="log-activities"`) {
		t.Errorf("another doctor's calendar: %d, quick entry offered %v", page.Status, strings.Contains(string(page.Body), `id="log-activities"`))
	}
	if r := m.login(other.Email).get("/missions/" + team4.ID + "/activities/new"); r.Status != http.StatusForbidden {
		t.Errorf("another doctor opens the quick entry: %d, want 403", r.Status)
	}
}

// smokeActivity returns an activity of the demo's 4th team to Baoshan, for
// the pages of one activity in the page smoke test.
func smokeActivity(t *testing.T, m *testMain) string {
	t.Helper()
	list, _, err := m.Store.ListActivities(context.Background(), domain.ActivityFilter{MissionID: demoTeam(t, m, "Baoshan", 4).ID, Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatalf("an activity of the 4th team to Baoshan: %v, %d found", err, len(list))
	}
	return list[0].ID
}
