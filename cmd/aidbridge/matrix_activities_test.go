package main

import (
	"context"
	"net/http"
	"net/url"

	"aidbridge/internal/domain"
)

// activityRows are the matrix rows of field work. The missions are SCMC's,
// sent to Seattle Children's and away from 2030-01-01 to 2030-06-30. The
// right of a team's own members, linked to people on it, is not a subject
// of the matrix: TestTeamMemberLogsFieldWork covers it.
func activityRows() []row {
	activity := func(suffix string) func(f *fixture) string {
		return func(f *fixture) string { return "/activities/" + f.newActivity().ID + suffix }
	}
	away := func(prefix, suffix string) func(f *fixture) string {
		return func(f *fixture) string { return prefix + "/missions/" + f.newAwayMission().ID + suffix }
	}
	entry := url.Values{"done_on": {"2030-02-01"}, "kind": {"lecture", ""}, "count": {"40", ""}, "place": {"Hall", ""}, "notes": {"", ""}}
	return []row{
		{action: "read field work", who: anyone,
			api: calls(get("GET /api/v1/activities", func(f *fixture) string {
				return "/api/v1/activities?mission_id=" + f.newActivity().MissionID + "&kind=lecture&from=2030-01-01&to=2030-06-30"
			})),
			page: calls(get("GET /missions/{id}/activities", away("", "/activities?month=2030-02")),
				get("GET /activities", func(f *fixture) string {
					return "/activities?partnership_id=" + f.newActivity().PartnershipID + "&kind=lecture&from=2030-01-01&to=2030-06-30"
				}))},
		{action: "read an activity", who: anyone,
			api:  calls(get("GET /api/v1/activities/{id}", func(f *fixture) string { return "/api/v1" + activity("")(f) })),
			page: none("a mission's calendar lists its activities (the row to read field work)")},
		{action: "read a month of a mission's field work", who: anyone,
			api:  calls(get("GET /api/v1/missions/{id}/activity-calendar", away("/api/v1", "/activity-calendar?month=2030-02"))),
			page: none("the calendar page is the row to read field work")},
		{action: "sum a partnership's field work", who: anyone,
			api: calls(get("GET /api/v1/partnerships/{id}/activity-totals", func(f *fixture) string {
				return "/api/v1/partnerships/" + f.newActivity().PartnershipID + "/activity-totals?from=2030-01-01"
			})),
			page: none("reports show the totals")},
		{action: "log field work of a mission SCMC sends", who: editorsInside,
			api: calls(send("POST /api/v1/activities", http.StatusCreated, func(f *fixture) request {
				return request{"/api/v1/activities", map[string]any{"mission_id": f.newAwayMission().ID,
					"activities": []map[string]any{{"kind": "lecture", "done_on": "2030-02-01", "count": 40}, {"kind": "surgery", "done_on": "2030-02-01", "count": 2}}}}
			})),
			page: calls(get("GET /missions/{id}/activities/new", away("", "/activities/new")),
				send("POST /missions/{id}/activities", http.StatusSeeOther, func(f *fixture) request {
					return request{away("", "/activities")(f), entry}
				}))},
		{action: "change an activity of a mission SCMC sends", who: editorsInside,
			api: calls(send("PUT /api/v1/activities/{id}", http.StatusOK, func(f *fixture) request {
				return request{"/api/v1" + activity("")(f), map[string]any{"kind": "surgery", "done_on": "2030-03-01", "count": 3, "version": 1}}
			})),
			page: calls(get("GET /activities/{id}/edit", activity("/edit")),
				send("POST /activities/{id}", http.StatusSeeOther, func(f *fixture) request {
					return request{activity("")(f), url.Values{"done_on": {"2030-03-01"}, "kind": {"surgery"}, "count": {"3"}, "version": {"1"}}}
				}))},
		{action: "delete an activity of a mission SCMC sends", who: editorsInside,
			api: calls(send("DELETE /api/v1/activities/{id}", http.StatusNoContent, func(f *fixture) request {
				return request{path: "/api/v1" + activity("?version=1")(f)}
			})),
			page: calls(get("GET /activities/{id}/delete", activity("/delete")),
				send("POST /activities/{id}/delete", http.StatusSeeOther, func(f *fixture) request {
					return request{activity("/delete")(f), url.Values{"version": {"1"}}}
				}))},
	}
}

// newAwayMission records a mission of SCMC to Seattle Children's under a
// new partnership, deployed from 2030-01-01 to 2030-06-30, with no team on
// record.
func (f *fixture) newAwayMission() domain.Mission {
	m := domain.Mission{PartnershipID: f.newPartnership(f.scmc, f.seattle), Sequence: 1, SendingID: f.scmc, HostID: f.seattle,
		StartsOn: domain.Date{Year: 2030, Month: 1, Day: 1}, EndsOn: domain.Date{Year: 2030, Month: 6, Day: 30}, Status: domain.MissionDeployed,
		Slots: []domain.Slot{{Specialty: "Matrix", Count: 2, Languages: []string{}}}}
	if err := f.m.Store.RecordMission(context.Background(), system, &m, nil); err != nil {
		f.m.t.Fatal(err)
	}
	return m
}

// newActivity logs a lecture of 40 on 2030-02-01 on a new mission away.
func (f *fixture) newActivity() domain.Activity {
	list := []domain.Activity{{MissionID: f.newAwayMission().ID, Kind: "lecture", DoneOn: domain.Date{Year: 2030, Month: 2, Day: 1}, Count: 40}}
	if err := f.m.Store.CreateActivities(context.Background(), system, list); err != nil {
		f.m.t.Fatal(err)
	}
	return list[0]
}
