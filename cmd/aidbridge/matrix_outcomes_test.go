package main

import (
	"context"
	"net/http"
	"net/url"

	"aidbridge/internal/domain"
)

// newOutcome records a service set up under a partnership SCMC provides to
// Seattle Children's, and returns its id.
func (f *fixture) newOutcome() string {
	o := domain.Outcome{PartnershipID: f.newPartnership(f.scmc, f.hope), Kind: domain.OutcomeService, Title: f.unique("Matrix unit"),
		OccurredOn: domain.YearOf(2020), Change: "established"}
	if err := f.m.Store.CreateOutcome(context.Background(), system, &o); err != nil {
		f.m.t.Fatal(err)
	}
	return o.ID
}

// outcomeRows are the matrix rows of reports, read by anyone signed in, and of outcomes: read by anyone signed in,
// recorded and changed by the admins and coordinators of the partnership's
// provider or recipient (here SCMC, the provider).
func outcomeRows() []row {
	outcome := func(prefix, suffix string) func(f *fixture) string {
		return func(f *fixture) string { return prefix + "/outcomes/" + f.newOutcome() + suffix }
	}
	body := func(f *fixture) map[string]any {
		return map[string]any{"partnership_id": f.newPartnership(f.scmc, f.hope), "kind": "technique", "title": f.unique("Matrix technique"),
			"occurred_on": "2020-05", "novelty": "new_to_hospital", "version": 1}
	}
	form := func(f *fixture) url.Values {
		return url.Values{"partnership_id": {f.newPartnership(f.scmc, f.hope)}, "kind": {"technique"}, "title": {f.unique("Matrix technique")},
			"occurred_on": {"2020-05"}, "novelty": {"new_to_hospital"}, "version": {"1"}}
	}
	return []row{
		{action: "read the report of a partnership", who: anyone,
			api: calls(get("GET /api/v1/reports/partnerships/{id}", func(f *fixture) string {
				return "/api/v1/reports/partnerships/" + f.newPartnership(f.scmc, f.hope)
			})),
			page: calls(get("GET /reports/partnerships/{id}", func(f *fixture) string { return "/reports/partnerships/" + f.newPartnership(f.scmc, f.hope) }))},
		{action: "read the report of a program", who: anyone,
			api:  calls(get("GET /api/v1/reports/programs/{id}", func(f *fixture) string { return "/api/v1/reports/programs/" + f.newProgram(f.scmc) })),
			page: calls(get("GET /reports/programs/{id}", func(f *fixture) string { return "/reports/programs/" + f.newProgram(f.scmc) }))},
		{action: "read outcomes", who: anyone,
			api:  calls(get("GET /api/v1/outcomes", at("/api/v1/outcomes?kind=technique"))),
			page: calls(get("GET /outcomes", at("/outcomes?kind=technique")))},
		{action: "read an outcome", who: anyone,
			api:  calls(get("GET /api/v1/outcomes/{id}", outcome("/api/v1", ""))),
			page: calls(get("GET /outcomes/{id}", outcome("", "")))},
		{action: "open the form of a new outcome", who: editorsAny,
			api:  none("the API takes a new outcome's body at once, without a form"),
			page: calls(get("GET /outcomes/new", at("/outcomes/new")))},
		{action: "record an outcome of a partnership SCMC provides", who: editorsInside,
			api: calls(send("POST /api/v1/outcomes", http.StatusCreated, func(f *fixture) request { return request{"/api/v1/outcomes", body(f)} })),
			page: calls(send("POST /outcomes", http.StatusSeeOther, func(f *fixture) request {
				v := form(f)
				v.Del("version")
				return request{"/outcomes", v}
			}))},
		{action: "change an outcome of a partnership SCMC provides", who: editorsInside,
			api: calls(send("PUT /api/v1/outcomes/{id}", http.StatusOK, func(f *fixture) request {
				id := f.newOutcome()
				o, _ := f.m.Store.FindOutcome(context.Background(), id)
				return request{"/api/v1/outcomes/" + id, map[string]any{"partnership_id": o.PartnershipID, "kind": "service", "title": "Changed unit",
					"occurred_on": "2021", "change": "restructured", "version": 1}}
			})),
			page: calls(get("GET /outcomes/{id}/edit", outcome("", "/edit")),
				send("POST /outcomes/{id}", http.StatusSeeOther, func(f *fixture) request {
					id := f.newOutcome()
					o, _ := f.m.Store.FindOutcome(context.Background(), id)
					return request{"/outcomes/" + id, url.Values{"partnership_id": {o.PartnershipID}, "kind": {"service"}, "title": {"Changed unit"},
						"occurred_on": {"2021"}, "change": {"restructured"}, "version": {"1"}}}
				}))},
		{action: "delete an outcome of a partnership SCMC provides", who: editorsInside,
			api: calls(send("DELETE /api/v1/outcomes/{id}", http.StatusNoContent, func(f *fixture) request {
				return request{path: "/api/v1/outcomes/" + f.newOutcome() + "?version=1"}
			})),
			page: calls(get("GET /outcomes/{id}/delete", outcome("", "/delete")),
				send("POST /outcomes/{id}/delete", http.StatusSeeOther, func(f *fixture) request {
					return request{"/outcomes/" + f.newOutcome() + "/delete", url.Values{"version": {"1"}}}
				}))},
	}
}
