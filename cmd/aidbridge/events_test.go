package main

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"aidbridge/internal/domain"
	"aidbridge/internal/store/storetest"
)

// demoMeeting returns the demo's meeting of CMF and SCMC of 2023.
func demoMeeting(t *testing.T, m *testMain) domain.Event {
	t.Helper()
	list, _, err := m.Store.ListEvents(context.Background(), domain.EventFilter{Query: "CMF and SCMC meeting", Kind: "meeting"})
	if err != nil || len(list) != 1 {
		t.Fatalf("the demo meeting: %d (%v)", len(list), err)
	}
	return list[0]
}

// TestEventsAPI records, lists and changes events through the API: who
// may record them, the checks of each kind, the defaults, the limits the
// OpenAPI document says, and an action item marked done by its owner
// without editing the event.
func TestEventsAPI(t *testing.T) {
	t.Parallel()
	m := startMain(t, storetest.Backends(t)[0])
	officer, scmcCoord, viewer := m.token("officer@cmf.example.org"), m.token("coordinator@scmc.example.org"), m.token("viewer@shhealth.example.org")
	cmf, scmc := m.orgID("Children's Medical Foundation (CMF)"), m.orgID(scmcName)
	status := func(what string, r response, want int) {
		t.Helper()
		if r.Status != want {
			t.Fatalf("%s: %d %s, want %d", what, r.Status, r.Body, want)
		}
	}
	fieldsOf := func(r response) []string {
		var out []string
		fs, _ := r.JSON["fields"].([]any)
		for _, f := range fs {
			out = append(out, fmt.Sprint(f.(map[string]any)["field"]))
		}
		return out
	}

	body := map[string]any{"kind": "training", "title": "Neonatal resuscitation course", "starts_on": "2024-03", "host_id": cmf,
		"participant_ids": []string{scmc}, "topics": []string{"Resuscitation"},
		"attendees":    []map[string]any{{"name": "Guifang LI", "organization_id": cmf, "role": "Organizer"}},
		"action_items": []map[string]any{{"title": "Send the course materials", "owner_id": scmc, "due": "2024-04-30"}}}
	status("an event hosted by another organization", m.call("POST", "/api/v1/events", scmcCoord, body), 403)
	r := m.call("POST", "/api/v1/events", officer, body)
	status("CMF's training", r, 201)
	id, _ := r.JSON["id"].(string)
	if r.JSON["country"] != "HK" || r.JSON["starts_on"] != "2024-03" {
		t.Errorf("country %v, starts_on %v: want the host's HK and the month 2024-03", r.JSON["country"], r.JSON["starts_on"])
	}
	items, _ := r.JSON["action_items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["status"] != "open" {
		t.Fatalf("action items %v, want one open", r.JSON["action_items"])
	}
	item := items[0].(map[string]any)["id"].(string)

	for _, tc := range []struct {
		name   string
		change map[string]any
		field  string
	}{
		{"a fellowship without its person", map[string]any{"kind": "fellowship"}, "person_id"},
		{"countries reached of a training", map[string]any{"countries_reached": 100}, "countries_reached"},
		{"a virtual visit", map[string]any{"kind": "visit", "virtual": true}, "virtual"},
		{"an action item without its due date", map[string]any{"action_items": []map[string]any{{"title": "x", "owner_id": scmc}}}, "action_items[0]"},
		{"an owner of no organization", map[string]any{"action_items": []map[string]any{{"title": "x", "owner_id": "nope", "due": "2024-01-01"}}}, "action_items[0].owner_id"},
	} {
		b := map[string]any{}
		for k, v := range body {
			b[k] = v
		}
		for k, v := range tc.change {
			b[k] = v
		}
		r := m.call("POST", "/api/v1/events", officer, b)
		if r.Status != 422 || !strings.Contains(strings.Join(fieldsOf(r), " "), tc.field) {
			t.Errorf("%s: %d fields %v, want 422 naming %s", tc.name, r.Status, fieldsOf(r), tc.field)
		}
	}

	// The document says the limits and the kinds.
	doc := m.call("GET", "/api/openapi.json", "", nil)
	schema := doc.JSON["components"].(map[string]any)["schemas"].(map[string]any)["EventBody"].(map[string]any)["properties"].(map[string]any)
	topics := schema["topics"].(map[string]any)
	if topics["maxItems"] != float64(domain.MaxTopics) || topics["items"].(map[string]any)["maxLength"] != float64(domain.MaxShort) {
		t.Errorf("topics schema %v, want at most %d of %d characters", topics, domain.MaxTopics, domain.MaxShort)
	}
	if got := fmt.Sprint(schema["kind"].(map[string]any)["enum"]); !strings.Contains(got, "fellowship") {
		t.Errorf("kind enum %s lacks fellowship", got)
	}
	if schema["countries_reached"].(map[string]any)["maximum"] != float64(domain.MaxCountriesReached) {
		t.Errorf("countries_reached schema %v", schema["countries_reached"])
	}

	// Lists by filter.
	r = m.call("GET", "/api/v1/events?kind=conference", viewer, nil)
	if list, _ := r.JSON["items"].([]any); r.Status != 200 || len(list) != 1 || list[0].(map[string]any)["sessions"] != float64(40) {
		t.Errorf("conferences: %d %.300s, want the one of 40 sessions", r.Status, r.Body)
	}
	r = m.call("GET", "/api/v1/events?organization_id="+scmc+"&from=2024-01-01", viewer, nil)
	if list, _ := r.JSON["items"].([]any); len(list) != 1 || list[0].(map[string]any)["id"] != id {
		t.Errorf("SCMC's events from 2024: %.300s, want the training it takes part in", r.Body)
	}
	status("a bad date filter", m.call("GET", "/api/v1/events?from=2024-13-01", viewer, nil), 422)

	// The owner organization marks its item done; others may not; a stale
	// version is refused.
	path := "/api/v1/events/" + id + "/action-items/" + item + "/status"
	status("a viewer", m.call("POST", path, viewer, map[string]any{"status": "done", "version": 1}), 403)
	r = m.call("POST", path, scmcCoord, map[string]any{"status": "done", "version": 1})
	status("the owner", r, 200)
	if got := r.JSON["action_items"].([]any)[0].(map[string]any); got["status"] != "done" || r.JSON["version"] != float64(2) {
		t.Errorf("after done: %v at version %v", got, r.JSON["version"])
	}
	r = m.call("POST", path, officer, map[string]any{"status": "dropped", "version": 1})
	if r.Status != 409 || r.JSON["code"] != "stale" {
		t.Errorf("a stale status: %d %s, want 409 stale", r.Status, r.Body)
	}
	status("the event read back", m.call("GET", "/api/v1/events/"+id, viewer, nil), 200)

	// The owner person marks their own item done through their account;
	// another member of the owner organization may not.
	xinhua := m.orgID("Xinhua Hospital affiliated to Shanghai Jiao Tong University School of Medicine")
	people, _, err := m.Store.ListPeople(context.Background(), domain.PersonFilter{Query: "Demo Xinhua Doctor", OrganizationID: xinhua})
	if err != nil || len(people) != 1 {
		t.Fatalf("the demo doctor: %d (%v)", len(people), err)
	}
	r = m.call("POST", "/api/v1/events", officer, map[string]any{"kind": "meeting", "title": "Follow-up", "starts_on": "2024", "host_id": cmf,
		"action_items": []map[string]any{{"title": "Report back", "owner_id": xinhua, "owner_person_id": people[0].ID, "due": "2024-06-30"}}})
	status("an item of the doctor's", r, 201)
	own := "/api/v1/events/" + r.JSON["id"].(string) + "/action-items/" + r.JSON["action_items"].([]any)[0].(map[string]any)["id"].(string) + "/status"
	status("another member of Xinhua", m.call("POST", own, m.token("screener@xinhua.example.org"), map[string]any{"status": "done", "version": 1}), 403)
	status("the owner person", m.call("POST", own, m.token("doctor@xinhua.example.org"), map[string]any{"status": "done", "version": 1}), 200)
	status("deleted by its host", m.call("DELETE", "/api/v1/events/"+id+"?version=2", officer, nil), 204)
}

// TestEventPages reads the demo meeting as CMF's officer: the list flags
// its overdue item, the page shows attendees, topics and action items with
// the overdue one flagged and buttons for those allowed; marking it done
// from its button clears the flag; the officer was told of it. A form with
// a wrong row keeps what was typed and names the row.
func TestEventPages(t *testing.T) {
	t.Parallel()
	m := startMain(t, storetest.Backends(t)[0])
	officer, viewer := m.login("officer@cmf.example.org"), m.login("viewer@shhealth.example.org")
	e := demoMeeting(t, m)
	text := func(r response) string {
		t.Helper()
		if r.Status != http.StatusOK {
			t.Fatalf("status %d: %.300s", r.Status, excerpt(r.Body))
		}
		return html.UnescapeString(regexp.MustCompile(`\s+`).ReplaceAllString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(string(excerpt(r.Body)), " "), " "))
	}

	list := text(officer.get("/events?kind=meeting"))
	for _, want := range []string{"CMF and SCMC meeting on neonatal health", "2023-05-18", "1 overdue"} {
		if !strings.Contains(list, want) {
			t.Errorf("the list of meetings lacks %q: %.500s", want, list)
		}
	}
	if empty := text(officer.get("/events?kind=ceremony")); !strings.Contains(empty, "No events match these filters") {
		t.Errorf("no ceremonies: %.300s", empty)
	}

	page := text(officer.get("/events/" + e.ID))
	for _, want := range []string{"Dr. Jun BU", "Deputy Chief of Neonatology Department", "Alex NG", "Chairman",
		"The Jinxin pilot program and the consulting role of SCMC in it", "Remote and Emergency Action in Nujiang: carry the health promotion model forward",
		"Overdue", "Mark done", "Remote and Emergency Action, Nujiang"} {
		if !strings.Contains(page, want) {
			t.Errorf("the meeting's page lacks %q", want)
		}
	}
	if n := strings.Count(page, "Overdue"); n != 1 {
		t.Errorf("%d items flagged overdue, want 1", n)
	}
	if v := text(viewer.get("/events/" + e.ID)); strings.Contains(v, "Mark done") || !strings.Contains(v, "Dr. Jun BU") {
		t.Errorf("a viewer sees buttons or lacks the attendees")
	}

	// The sweep told CMF's coordinator of the overdue item.
	if _, err := m.Events.NoteOverdue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if notes := text(officer.get("/notifications")); !strings.Contains(notes, "An action item you own is overdue by 30 days") {
		t.Errorf("the officer's notifications lack the overdue item: %.500s", notes)
	}

	var overdue domain.ActionItem
	for _, a := range e.ActionItems {
		if a.Overdue(m.Events.Today()) {
			overdue = a
		}
	}
	r := officer.post("/events/"+e.ID+"/action-items/"+overdue.ID+"/status", url.Values{"status": {"done"}, "version": {strconv.FormatInt(e.Version, 10)}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("mark done: %d %.300s", r.Status, excerpt(r.Body))
	}
	if page := text(officer.get("/events/" + e.ID)); strings.Contains(page, "Overdue") || !strings.Contains(page, "The action item was changed.") {
		t.Errorf("after marking it done the page still flags it or says nothing")
	}

	// A form whose attendee row names no organization.
	cmf := m.orgID("Children's Medical Foundation (CMF)")
	form := url.Values{"kind": {"meeting"}, "title": {"Typed meeting"}, "starts_on": {"2024"}, "host_id": {cmf},
		"att_name": {"Typed attendee", ""}, "att_org_id": {"", ""}, "att_person_id": {"", ""}, "att_role": {"", ""},
		"item_id": {""}, "item_title": {""}, "item_owner_id": {""}, "item_owner_person_id": {""}, "item_due": {""}, "item_status": {"open"}}
	r = officer.post("/events", form)
	body := string(r.Body)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-att_org_id_0"`) || !strings.Contains(body, `value="Typed attendee"`) {
		t.Errorf("a row without organization: %d; error on the row %v; typed name kept %v", r.Status,
			strings.Contains(body, `id="e-att_org_id_0"`), strings.Contains(body, `value="Typed attendee"`))
	}
	form.Set("att_org_id", cmf)
	form["att_org_id"] = []string{cmf, ""}
	r = officer.post("/events", form)
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/events/") {
		t.Fatalf("the form corrected: %d %.300s", r.Status, excerpt(r.Body))
	}
	if page := text(officer.get(r.Header.Get("Location"))); !strings.Contains(page, "Typed attendee") || !strings.Contains(page, "HK") {
		t.Errorf("the new meeting's page lacks its attendee or the host's country")
	}
}
