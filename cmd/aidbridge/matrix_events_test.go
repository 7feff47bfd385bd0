package main

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"aidbridge/internal/domain"
)

// eventRows are the matrix rows of events: any signed-in user reads them;
// the host's admins and coordinators record, change and delete them; an
// action item's status is changed by the host's admins and coordinators
// or by the owner organization's. The owner person's own right is not a
// subject of the matrix: the event tests cover it.
func eventRows() []row {
	event := func(suffix string) func(f *fixture) string {
		return func(f *fixture) string { return "/api/v1/events/" + f.newEvent(f.scmc, f.hope).ID + suffix }
	}
	page := func(suffix string) func(f *fixture) string {
		return func(f *fixture) string { return "/events/" + f.newEvent(f.scmc, f.hope).ID + suffix }
	}
	eventBody := func(f *fixture) map[string]any {
		return map[string]any{"kind": "meeting", "title": f.unique("Matrix meeting"), "starts_on": "2023-05-18", "host_id": f.scmc,
			"participant_ids": []string{f.hope}, "topics": []string{"Matrix"},
			"action_items": []map[string]any{{"title": "Matrix item", "owner_id": f.hope, "due": "2030-01-01"}}}
	}
	eventForm := func(f *fixture, e *domain.Event) url.Values {
		v := url.Values{"kind": {"meeting"}, "title": {f.unique("Matrix meeting")}, "starts_on": {"2023-05"}, "host_id": {f.scmc},
			"participant_id": {f.hope}, "topics": {"Matrix\nMore"},
			"att_name": {"Matrix attendee"}, "att_org_id": {f.hope}, "att_person_id": {""}, "att_role": {"Chair"},
			"item_id": {""}, "item_title": {"Matrix item"}, "item_owner_id": {f.hope}, "item_owner_person_id": {""}, "item_due": {"2030-01-01"}, "item_status": {"open"}}
		if e != nil {
			v.Set("version", strconv.FormatInt(e.Version, 10))
			v.Set("item_id", e.ActionItems[0].ID)
		}
		return v
	}
	move := func(host, owner func(f *fixture) string, api bool) func(f *fixture) request {
		return func(f *fixture) request {
			e := f.newEvent(host(f), owner(f))
			path := "/events/" + e.ID + "/action-items/" + e.ActionItems[0].ID + "/status"
			if api {
				return request{"/api/v1" + path, map[string]any{"status": "done", "version": e.Version}}
			}
			return request{path, url.Values{"status": {"done"}, "version": {strconv.FormatInt(e.Version, 10)}}}
		}
	}
	scmc := func(f *fixture) string { return f.scmc }
	hope := func(f *fixture) string { return f.hope }
	return []row{
		{action: "read events", who: anyone,
			api:  calls(get("GET /api/v1/events", at("/api/v1/events?kind=meeting&from=2000-01-01&country=CN"))),
			page: calls(get("GET /events", at("/events?kind=meeting&from=2000-01-01")))},
		{action: "read an event", who: anyone,
			api:  calls(get("GET /api/v1/events/{id}", event(""))),
			page: calls(get("GET /events/{id}", page("")))},
		{action: "open the form of a new event", who: editorsAny,
			api:  none("the API takes a new event's body at once, without a form"),
			page: calls(get("GET /events/new", at("/events/new")))},
		{action: "record an event SCMC hosts", who: editorsInside,
			api:  calls(send("POST /api/v1/events", http.StatusCreated, func(f *fixture) request { return request{"/api/v1/events", eventBody(f)} })),
			page: calls(send("POST /events", http.StatusSeeOther, func(f *fixture) request { return request{"/events", eventForm(f, nil)} }))},
		{action: "change an event SCMC hosts", who: editorsInside,
			api: calls(send("PUT /api/v1/events/{id}", http.StatusOK, func(f *fixture) request {
				e := f.newEvent(f.scmc, f.hope)
				b := eventBody(f)
				b["version"] = e.Version
				b["action_items"] = []map[string]any{{"id": e.ActionItems[0].ID, "title": "Matrix item", "owner_id": f.hope, "due": "2031-01-01"}}
				return request{"/api/v1/events/" + e.ID, b}
			})),
			page: calls(get("GET /events/{id}/edit", page("/edit")),
				send("POST /events/{id}", http.StatusSeeOther, func(f *fixture) request {
					e := f.newEvent(f.scmc, f.hope)
					return request{"/events/" + e.ID, eventForm(f, &e)}
				}))},
		{action: "delete an event SCMC hosts", who: editorsInside,
			api: calls(send("DELETE /api/v1/events/{id}", http.StatusNoContent, func(f *fixture) request {
				return request{path: "/api/v1/events/" + f.newEvent(f.scmc, f.hope).ID + "?version=1"}
			})),
			page: calls(get("GET /events/{id}/delete", page("/delete")),
				send("POST /events/{id}/delete", http.StatusSeeOther, func(f *fixture) request {
					return request{"/events/" + f.newEvent(f.scmc, f.hope).ID + "/delete", url.Values{"version": {"1"}}}
				}))},
		{action: "mark done an action item of an event SCMC hosts", who: editorsInside,
			api:  calls(send("POST /api/v1/events/{id}/action-items/{item}/status", http.StatusOK, move(scmc, hope, true))),
			page: calls(send("POST /events/{id}/action-items/{item}/status", http.StatusSeeOther, move(scmc, hope, false)))},
		{action: "mark done an action item SCMC owns at an event Project HOPE hosts", who: editorsInside,
			api:  calls(send("POST /api/v1/events/{id}/action-items/{item}/status", http.StatusOK, move(hope, scmc, true))),
			page: calls(send("POST /events/{id}/action-items/{item}/status", http.StatusSeeOther, move(hope, scmc, false)))},
	}
}

// newEvent records a meeting hosted by host with one open action item
// owned by owner.
func (f *fixture) newEvent(host, owner string) domain.Event {
	e := domain.Event{Kind: domain.EventMeeting, Title: f.unique("Matrix meeting"), StartsOn: domain.YearOf(2023), HostID: host,
		ActionItems: []domain.ActionItem{{Title: "Matrix item", OwnerID: owner, Due: domain.Date{Year: 2030, Month: 1, Day: 1}, Status: domain.ActionOpen}}}
	if err := f.m.Store.CreateEvent(context.Background(), system, &e); err != nil {
		f.m.t.Fatal(err)
	}
	return e
}
