package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"aidbridge/internal/store/storetest"
)

// TestMissionsAPI drives a mission through the API on both stores, with
// the demo's Xinhua logins: the coordinator opens it, people register, the
// Cardiology screener screens only Cardiology's applications, the reviewer
// decides only after screening, the team is formed short-staffed and
// deploys, and its dates then stay; a person on it is refused for an
// overlapping mission with the mission named; the host's viewers see no
// birth dates.
func TestMissionsAPI(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			m := startMain(t, b)
			coord, screener, reviewer := m.token("partners@xinhua.example.org"), m.token("screener@xinhua.example.org"), m.token("reviewer@xinhua.example.org")
			doctor, viewer := m.token("doctor@xinhua.example.org"), m.token("viewer@shhealth.example.org")
			xinhua, baoshan := m.orgID("Xinhua Hospital affiliated to Shanghai Jiao Tong University School of Medicine"), m.orgID("Baoshan People's Hospital")
			expect := func(what string, r response, want int, code string) response {
				t.Helper()
				if r.Status != want || (code != "" && r.JSON["code"] != code) {
					t.Fatalf("%s: %d %s, want %d %s", what, r.Status, r.Body, want, code)
				}
				return r
			}
			r := expect("the Baoshan partnership", m.call("GET", "/api/v1/partnerships?q=Baoshan", viewer, nil), 200, "")
			items, _ := r.JSON["items"].([]any)
			if len(items) == 0 {
				t.Fatal("the demo has no Baoshan partnership")
			}
			partnership := items[0].(map[string]any)["id"].(string)
			r = expect("Xinhua", m.call("GET", "/api/v1/organizations/"+xinhua, viewer, nil), 200, "")
			depts := map[string]string{}
			for _, d := range r.JSON["departments"].([]any) {
				d := d.(map[string]any)
				depts[d["name"].(string)] = d["id"].(string)
			}
			person := func(name, dept, specialty, born string) string {
				t.Helper()
				r := expect("person "+name, m.call("POST", "/api/v1/people", coord, map[string]any{"organization_id": xinhua, "department_id": depts[dept],
					"name": name, "specialty": specialty, "title_rank": "attending", "languages": []string{"zh"}, "birth_date": born}), 201, "")
				return r.JSON["id"].(string)
			}
			chen, li, wang := person("API Chen", "Cardiology", "Cardiology", "1986-05-01"), person("API Li", "Cardiology", "Cardiology", "1990-01-20"), person("API Wang", "Cardiology", "Cardiology", "1982-09-09")
			zhao := person("API Zhao", "General Surgery", "General Surgery", "1984-02-02")

			body := map[string]any{"partnership_id": partnership, "sequence": 50, "sending_id": xinhua, "host_id": baoshan,
				"starts_on": "2031-03-01", "ends_on": "2031-08-31", "formation_deadline": "2031-02-15", "status": "recruiting",
				"slots": []map[string]any{{"specialty": "Cardiology", "count": 2, "min_title": "attending", "languages": []string{"zh"}},
					{"specialty": "General Surgery", "count": 1}}}
			expect("a mission of a viewer", m.call("POST", "/api/v1/missions", viewer, body), 403, "forbidden")
			bad := map[string]any{}
			for k, v := range body {
				bad[k] = v
			}
			bad["ends_on"], bad["formation_deadline"] = "2031-01-01", "2031-04-01"
			r = expect("a mission ending before it starts", m.call("POST", "/api/v1/missions", coord, bad), 422, "")
			if s := string(r.Body); !strings.Contains(s, `"ends_on"`) || !strings.Contains(s, `"formation_deadline"`) {
				t.Errorf("the refusal names %s, want ends_on and formation_deadline", r.Body)
			}
			r = expect("the 50th team", m.call("POST", "/api/v1/missions", coord, body), 201, "")
			mission := r.JSON["id"].(string)
			slots := r.JSON["slots"].([]any)
			cardiology, surgery := slots[0].(map[string]any)["id"].(string), slots[1].(map[string]any)["id"].(string)
			expect("a second team 50", m.call("POST", "/api/v1/missions", coord, body), 409, "sequence_taken")

			apply := func(person, slot string) response {
				return m.call("POST", "/api/v1/missions/"+mission+"/applications", coord, map[string]any{"slot_id": slot, "person_id": person, "note": "volunteers"})
			}
			r = expect("a surgeon for cardiology", apply(zhao, cardiology), 422, "")
			if !strings.Contains(string(r.Body), "wrong_specialty") {
				t.Errorf("the refusal %s does not say the specialty is wrong", r.Body)
			}
			expect("an application made by a doctor for someone else", m.call("POST", "/api/v1/missions/"+mission+"/applications", doctor,
				map[string]any{"slot_id": cardiology, "person_id": chen}), 403, "forbidden")
			apps := map[string]string{}
			for name, p := range map[string][2]string{"chen": {chen, cardiology}, "li": {li, cardiology}, "wang": {wang, cardiology}, "zhao": {zhao, surgery}} {
				apps[name] = expect("the application of "+name, apply(p[0], p[1]), 201, "").JSON["id"].(string)
			}

			// The Cardiology screener sees Cardiology's applications only.
			r = expect("the screener's list", m.call("GET", "/api/v1/missions/"+mission+"/applications", screener, nil), 200, "")
			if got := len(r.JSON["items"].([]any)); got != 3 {
				t.Errorf("the Cardiology screener sees %d applications, want 3", got)
			}
			expect("the screener reads Surgery's application", m.call("GET", "/api/v1/applications/"+apps["zhao"], screener, nil), 403, "forbidden")
			r = expect("the reviewer's list", m.call("GET", "/api/v1/missions/"+mission+"/applications", reviewer, nil), 200, "")
			if got := len(r.JSON["items"].([]any)); got != 4 {
				t.Errorf("the reviewer sees %d applications, want 4", got)
			}
			r = expect("the viewer's list", m.call("GET", "/api/v1/missions/"+mission+"/applications", viewer, nil), 200, "")
			if got := len(r.JSON["items"].([]any)); got != 0 {
				t.Errorf("a viewer of another organization sees %d applications, want none", got)
			}

			step := func(token, app, path string, body map[string]any) response {
				return m.call("POST", "/api/v1/applications/"+apps[app]+"/"+path, token, body)
			}
			expect("a decision before the screening", step(reviewer, "chen", "decision", map[string]any{"outcome": "selected", "version": 1}), 409, "not_screened")
			expect("a screening by the reviewer", step(reviewer, "chen", "screening", map[string]any{"outcome": "passed", "version": 1}), 403, "forbidden")
			expect("a failure without a reason", step(screener, "wang", "screening", map[string]any{"outcome": "failed", "version": 1}), 422, "")
			expect("Wang fails", step(screener, "wang", "screening", map[string]any{"outcome": "failed", "note": "needed in the ward", "version": 1}), 200, "")
			expect("Chen passes", step(screener, "chen", "screening", map[string]any{"outcome": "passed", "version": 1}), 200, "")
			expect("Li passes", step(screener, "li", "screening", map[string]any{"outcome": "passed", "version": 1}), 200, "")
			expect("a stale decision", step(reviewer, "chen", "decision", map[string]any{"outcome": "selected", "version": 1}), 409, "stale")
			expect("a decision by the screener", step(screener, "chen", "decision", map[string]any{"outcome": "selected", "version": 2}), 403, "forbidden")
			r = expect("Chen selected as leader", step(reviewer, "chen", "decision", map[string]any{"outcome": "selected", "leader": true, "version": 2}), 200, "")
			if steps := r.JSON["steps"].([]any); len(steps) != 3 {
				t.Errorf("the application has %d steps recorded, want 3 (registered, passed, selected)", len(steps))
			}
			expect("a second leader", step(reviewer, "li", "decision", map[string]any{"outcome": "selected", "leader": true, "version": 2}), 409, "leader_taken")
			expect("Li in reserve", step(reviewer, "li", "decision", map[string]any{"outcome": "reserve", "version": 2}), 200, "")
			expect("a withdrawal after the selection", step(coord, "chen", "withdrawal", map[string]any{"version": 3}), 409, "stage_transition")

			// Formed short-staffed, then deployed; the dates then stay.
			cur := expect("the mission", m.call("GET", "/api/v1/missions/"+mission, viewer, nil), 200, "")
			version := cur.JSON["version"]
			if filled := cur.JSON["slots"].([]any)[0].(map[string]any)["filled"]; filled != float64(1) {
				t.Errorf("cardiology filled %v, want 1", filled)
			}
			expect("formed with places open and no reason", m.call("POST", "/api/v1/missions/"+mission+"/status", coord, map[string]any{"status": "formed", "version": version}), 409, "short_staffed")
			expect("deployed before formed", m.call("POST", "/api/v1/missions/"+mission+"/status", coord, map[string]any{"status": "deployed", "version": version}), 409, "mission_transition")
			expect("formed by the reviewer", m.call("POST", "/api/v1/missions/"+mission+"/status", reviewer, map[string]any{"status": "formed", "reason": "x", "version": version}), 403, "forbidden")
			r = expect("formed short-staffed", m.call("POST", "/api/v1/missions/"+mission+"/status", coord,
				map[string]any{"status": "formed", "reason": "the surgeon follows in April", "version": version}), 200, "")
			r = expect("deployed", m.call("POST", "/api/v1/missions/"+mission+"/status", coord, map[string]any{"status": "deployed", "version": r.JSON["version"]}), 200, "")
			body["ends_on"], body["version"] = "2031-09-30", r.JSON["version"]
			body["slots"] = []map[string]any{{"id": cardiology, "specialty": "Cardiology", "count": 2}, {"id": surgery, "specialty": "General Surgery", "count": 1}}
			expect("new dates for a team that left", m.call("PUT", "/api/v1/missions/"+mission, coord, body), 409, "dates_fixed")

			// The host's side sees names but no birth dates; the sender's coordinator sees them.
			r = expect("the team as a viewer", m.call("GET", "/api/v1/missions/"+mission+"/team", viewer, nil), 200, "")
			members := r.JSON["members"].([]any)
			if len(members) != 1 || members[0].(map[string]any)["name"] != "API Chen" || members[0].(map[string]any)["role"] != "leader" {
				t.Errorf("team %v, want API Chen leading", members)
			}
			if _, ok := members[0].(map[string]any)["birth_date"]; ok {
				t.Errorf("a viewer of another organization sees a birth date: %s", r.Body)
			}
			if got := r.JSON["average_age_tenths"]; got != float64(440) {
				t.Errorf("average age %v tenths, want 440 (44 years old on 2031-03-01, born 1986-05-01)", got)
			}
			r = expect("the team as the coordinator", m.call("GET", "/api/v1/missions/"+mission+"/team", coord, nil), 200, "")
			if got := r.JSON["members"].([]any)[0].(map[string]any)["birth_date"]; got != "1986-05-01" {
				t.Errorf("the coordinator sees birth date %v, want 1986-05-01", got)
			}

			// Chen is on team 50: team 51, overlapping, refuses him naming team 50.
			body51 := map[string]any{"partnership_id": partnership, "sequence": 51, "sending_id": xinhua, "host_id": baoshan,
				"starts_on": "2031-08-01", "ends_on": "2032-01-31", "status": "recruiting", "slots": []map[string]any{{"specialty": "Cardiology", "count": 1}}}
			r = expect("the 51st team", m.call("POST", "/api/v1/missions", coord, body51), 201, "")
			m51, slot51 := r.JSON["id"].(string), r.JSON["slots"].([]any)[0].(map[string]any)["id"].(string)
			r = expect("Chen onto an overlapping team", m.call("POST", "/api/v1/missions/"+m51+"/applications", coord,
				map[string]any{"slot_id": slot51, "person_id": chen}), 409, "overlap")
			if !strings.Contains(r.JSON["detail"].(string), "mission 50 of") {
				t.Errorf("the refusal %q does not name mission 50", r.JSON["detail"])
			}

			// Histories and counts come from the records.
			r = expect("Chen's history", m.call("GET", "/api/v1/people/"+chen+"/missions", viewer, nil), 200, "")
			if got := r.JSON["days_served"]; got != float64(184) {
				t.Errorf("days served %v, want 184 (2031-03-01 to 2031-08-31)", got)
			}
			r = expect("the partnership's teams", m.call("GET", "/api/v1/partnerships/"+partnership+"/teams", viewer, nil), 200, "")
			found := false
			for _, y := range r.JSON["by_year"].([]any) {
				y := y.(map[string]any)
				if y["year"] == float64(2031) {
					found = y["teams"] == float64(1) && y["person_times"] == float64(1)
				}
			}
			if !found {
				t.Errorf("the partnership's 2031 = %v, want one team of one", r.JSON["by_year"])
			}
			r = expect("the doctor's own applications", m.call("GET", "/api/v1/applications", doctor, nil), 200, "")
			for _, a := range r.JSON["items"].([]any) {
				if p := a.(map[string]any)["person_id"]; p == chen || p == li || p == wang || p == zhao {
					t.Errorf("the doctor sees another person's application: %v", a)
				}
			}
		})
	}
}

// TestMissionRaceTwoInstances runs two instances of aidbridge on one
// PostgreSQL database: ten reviewers' selections for the last place of a
// team, split over both, give one team member; one person selected onto two
// overlapping teams at once through both lands on one; and the two
// instances' sweeps note a formation deadline once.
func TestMissionRaceTwoInstances(t *testing.T) {
	t.Parallel()
	if !hasPostgres(t) {
		return
	}
	url := storetest.PostgresURL(t)
	a := startMainURL(t, url, true)
	b := startMainURL(t, url, false)
	coord, screener, reviewer := a.token("partners@xinhua.example.org"), a.token("screener@xinhua.example.org"), a.token("reviewer@xinhua.example.org")
	xinhua, baoshan := a.orgID("Xinhua Hospital affiliated to Shanghai Jiao Tong University School of Medicine"), a.orgID("Baoshan People's Hospital")
	partnership := a.call("GET", "/api/v1/partnerships?q=Baoshan", coord, nil).JSON["items"].([]any)[0].(map[string]any)["id"].(string)
	org := a.call("GET", "/api/v1/organizations/"+xinhua, coord, nil)
	cardiology := ""
	for _, d := range org.JSON["departments"].([]any) {
		if d := d.(map[string]any); d["name"] == "Cardiology" {
			cardiology = d["id"].(string)
		}
	}
	today := time.Now().UTC()
	open := func(seq int, starts, ends time.Time, deadline string) (string, string) {
		t.Helper()
		body := map[string]any{"partnership_id": partnership, "sequence": seq, "sending_id": xinhua,
			"host_id": baoshan, "starts_on": starts.Format(time.DateOnly), "ends_on": ends.Format(time.DateOnly),
			"status": "recruiting", "slots": []map[string]any{{"specialty": "Cardiology", "count": 1}}}
		if deadline != "" {
			body["formation_deadline"] = deadline
		}
		r := a.call("POST", "/api/v1/missions", coord, body)
		if r.Status != 201 {
			t.Fatalf("open team %d: %d %s", seq, r.Status, r.Body)
		}
		return r.JSON["id"].(string), r.JSON["slots"].([]any)[0].(map[string]any)["id"].(string)
	}
	passed := func(mission, slot, person string) string {
		t.Helper()
		r := a.call("POST", "/api/v1/missions/"+mission+"/applications", coord, map[string]any{"slot_id": slot, "person_id": person})
		if r.Status != 201 {
			t.Fatalf("register: %d %s", r.Status, r.Body)
		}
		id := r.JSON["id"].(string)
		if r := b.call("POST", "/api/v1/applications/"+id+"/screening", screener, map[string]any{"outcome": "passed", "version": 1}); r.Status != 200 {
			t.Fatalf("screen: %d %s", r.Status, r.Body)
		}
		return id
	}
	var people []string
	for i := range 10 {
		r := a.call("POST", "/api/v1/people", coord, map[string]any{"organization_id": xinhua, "department_id": cardiology,
			"name": fmt.Sprintf("Race cardiologist %d", i), "specialty": "Cardiology"})
		people = append(people, r.JSON["id"].(string))
	}
	starts := today.AddDate(0, 6, 0)
	last, slot := open(60, starts, starts.AddDate(0, 6, 0), "")
	var apps []string
	for _, p := range people {
		apps = append(apps, passed(last, slot, p))
	}
	decide := func(inst *testMain, app string) int {
		return inst.call("POST", "/api/v1/applications/"+app+"/decision", reviewer, map[string]any{"outcome": "selected", "version": 2}).Status
	}
	statuses := make([]int, len(apps))
	var wg sync.WaitGroup
	for i, app := range apps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			inst := a
			if i%2 == 1 {
				inst = b
			}
			statuses[i] = decide(inst, app)
		}()
	}
	wg.Wait()
	if n := count200(statuses); n != 1 {
		t.Errorf("%d reviewers selected for the last place, want 1 (%v)", n, statuses)
	}
	if team := a.call("GET", "/api/v1/missions/"+last+"/team", coord, nil); len(team.JSON["members"].([]any)) != 1 {
		t.Errorf("the one-place team has %d members", len(team.JSON["members"].([]any)))
	}

	// One person onto two overlapping teams at once, through both instances.
	one, s1 := open(61, starts.AddDate(1, 0, 0), starts.AddDate(1, 6, 0), "")
	two, s2 := open(62, starts.AddDate(1, 3, 0), starts.AddDate(1, 9, 0), "")
	x, y := passed(one, s1, people[9]), passed(two, s2, people[9])
	got := make([]int, 2)
	for i, app := range []string{x, y} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = decide([]*testMain{a, b}[i], app)
		}()
	}
	wg.Wait()
	if count200(got) != 1 || (got[0] != 409 && got[1] != 409) {
		t.Errorf("one person onto two overlapping teams: %v, want one 200 and one 409", got)
	}

	// A deadline in two days with the place open: both instances sweep, once in all.
	soon, _ := open(63, starts.AddDate(2, 0, 0), starts.AddDate(2, 6, 0), today.AddDate(0, 0, 2).Format(time.DateOnly))
	var noted atomic.Int64
	for _, inst := range []*testMain{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := inst.Missions.NoteDeadlines(context.Background())
			if err != nil {
				t.Error(err)
			}
			noted.Add(int64(n))
		}()
	}
	wg.Wait()
	notes := a.call("GET", "/api/v1/notifications?limit=200", coord, nil)
	found := 0
	for _, n := range notes.JSON["items"].([]any) {
		if n := n.(map[string]any); n["entity_id"] == soon && n["kind"] == "mission_forming" {
			found++
		}
	}
	if found != 1 {
		t.Errorf("the near deadline was noted %d times (sweeps said %d), want once", found, noted.Load())
	}
}

func count200(statuses []int) int {
	n := 0
	for _, s := range statuses {
		if s == 200 {
			n++
		}
	}
	return n
}

// TestNoLostUpdateTwoInstances changes one mission through two instances
// on one PostgreSQL database at once, each change made from the same
// version read: one is taken, the others get 409, and the one taken is
// what is stored.
func TestNoLostUpdateTwoInstances(t *testing.T) {
	t.Parallel()
	if !hasPostgres(t) {
		return
	}
	url := storetest.PostgresURL(t)
	a := startMainURL(t, url, true)
	b := startMainURL(t, url, false)
	coord := a.token("partners@xinhua.example.org")
	r := a.call("GET", "/api/v1/missions?forming=true&status=recruiting", coord, nil)
	m := r.JSON["items"].([]any)[0].(map[string]any)
	var slots []map[string]any
	for _, s := range m["slots"].([]any) {
		s := s.(map[string]any)
		slots = append(slots, map[string]any{"id": s["id"], "specialty": s["specialty"], "count": s["count"]})
	}
	statuses := make([]int, 20)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := map[string]any{"partnership_id": m["partnership_id"], "sequence": m["sequence"], "sending_id": m["sending_id"],
				"host_id": m["host_id"], "starts_on": m["starts_on"], "ends_on": m["ends_on"], "slots": slots,
				"description": fmt.Sprintf("change %d", i), "version": m["version"]}
			statuses[i] = []*testMain{a, b}[i%2].call("PUT", "/api/v1/missions/"+m["id"].(string), coord, body).Status
		}()
	}
	wg.Wait()
	won := -1
	for i, s := range statuses {
		switch s {
		case 200:
			if won >= 0 {
				t.Errorf("two changes from one version were both taken: %v", statuses)
			}
			won = i
		case 409:
		default:
			t.Errorf("change %d: status %d", i, s)
		}
	}
	if won < 0 {
		t.Fatalf("no change was taken: %v", statuses)
	}
	after := b.call("GET", "/api/v1/missions/"+m["id"].(string), coord, nil)
	if got := after.JSON["description"]; got != fmt.Sprintf("change %d", won) {
		t.Errorf("the mission says %q, want the change that was taken (%d)", got, won)
	}
}
