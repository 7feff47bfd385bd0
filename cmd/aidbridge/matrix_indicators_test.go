package main

import (
	"context"
	"net/http"
	"net/url"

	"aidbridge/internal/domain"
)

// newIndicator sets an indicator entered by hand over 2020 on a
// partnership SCMC provides to Project HOPE, and returns its id.
func (f *fixture) newIndicator() string {
	in := domain.Indicator{PartnershipID: f.newPartnership(f.scmc, f.hope), Name: f.unique("Matrix indicator"), Rule: domain.RuleEntered,
		Period: domain.PeriodYear, StartsOn: domain.Date{Year: 2020, Month: 1, Day: 1}, EndsOn: domain.Date{Year: 2020, Month: 12, Day: 31}, Target: 10}
	if err := f.m.Store.CreateIndicator(context.Background(), system, &in); err != nil {
		f.m.t.Fatal(err)
	}
	return in.ID
}

// indicatorRows are the matrix rows of indicators: read by anyone signed
// in, set, changed, deleted and given values by the admins and
// coordinators of the partnership's provider or recipient (here SCMC, the
// provider).
func indicatorRows() []row {
	indicator := func(prefix, suffix string) func(f *fixture) string {
		return func(f *fixture) string { return prefix + "/indicators/" + f.newIndicator() + suffix }
	}
	body := func(partnershipID string) map[string]any {
		return map[string]any{"partnership_id": partnershipID, "name": "Matrix techniques", "rule": "techniques", "period": "quarter",
			"starts_on": "2020-01-01", "ends_on": "2020-12-31", "target": 12, "version": 1}
	}
	form := func(partnershipID string) url.Values {
		return url.Values{"partnership_id": {partnershipID}, "name": {"Matrix techniques"}, "rule": {"techniques"}, "period": {"quarter"},
			"starts_on": {"2020-01-01"}, "ends_on": {"2020-12-31"}, "baseline": {"0"}, "target": {"12"}, "version": {"1"}}
	}
	partnershipOf := func(f *fixture, id string) string {
		in, err := f.m.Store.FindIndicator(context.Background(), id)
		if err != nil {
			f.m.t.Fatal(err)
		}
		return in.PartnershipID
	}
	return []row{
		{action: "read the indicators of a partnership", who: anyone,
			api: calls(get("GET /api/v1/partnerships/{id}/indicators", func(f *fixture) string {
				return "/api/v1/partnerships/" + f.newPartnership(f.scmc, f.hope) + "/indicators"
			})),
			page: calls(get("GET /indicators", func(f *fixture) string { return "/indicators?partnership_id=" + f.newPartnership(f.scmc, f.hope) }))},
		{action: "read an indicator with its progress", who: anyone,
			api:  calls(get("GET /api/v1/indicators/{id}", indicator("/api/v1", ""))),
			page: calls(get("GET /indicators/{id}", indicator("", "")))},
		{action: "open the form of a new indicator of a partnership SCMC provides", who: editorsInside,
			api: none("the API takes a new indicator's body at once, without a form"),
			page: calls(get("GET /indicators/new", func(f *fixture) string {
				return "/indicators/new?partnership_id=" + f.newPartnership(f.scmc, f.hope)
			}))},
		{action: "set an indicator of a partnership SCMC provides", who: editorsInside,
			api: calls(send("POST /api/v1/indicators", http.StatusCreated, func(f *fixture) request {
				return request{"/api/v1/indicators", body(f.newPartnership(f.scmc, f.hope))}
			})),
			page: calls(send("POST /indicators", http.StatusSeeOther, func(f *fixture) request {
				v := form(f.newPartnership(f.scmc, f.hope))
				v.Del("version")
				return request{"/indicators", v}
			}))},
		{action: "change an indicator of a partnership SCMC provides", who: editorsInside,
			api: calls(send("PUT /api/v1/indicators/{id}", http.StatusOK, func(f *fixture) request {
				id := f.newIndicator()
				return request{"/api/v1/indicators/" + id, body(partnershipOf(f, id))}
			})),
			page: calls(get("GET /indicators/{id}/edit", indicator("", "/edit")),
				send("POST /indicators/{id}", http.StatusSeeOther, func(f *fixture) request {
					id := f.newIndicator()
					return request{"/indicators/" + id, form(partnershipOf(f, id))}
				}))},
		{action: "delete an indicator of a partnership SCMC provides", who: editorsInside,
			api: calls(send("DELETE /api/v1/indicators/{id}", http.StatusNoContent, func(f *fixture) request {
				return request{path: "/api/v1/indicators/" + f.newIndicator() + "?version=1"}
			})),
			page: calls(get("GET /indicators/{id}/delete", indicator("", "/delete")),
				send("POST /indicators/{id}/delete", http.StatusSeeOther, func(f *fixture) request {
					return request{"/indicators/" + f.newIndicator() + "/delete", url.Values{"version": {"1"}}}
				}))},
		{action: "enter a value of an indicator of a partnership SCMC provides", who: editorsInside,
			api: calls(send("PUT /api/v1/indicators/{id}/values/{period}", http.StatusOK, func(f *fixture) request {
				return request{"/api/v1/indicators/" + f.newIndicator() + "/values/2020", map[string]any{"value": 4}}
			})),
			page: calls(send("POST /indicators/{id}/values", http.StatusSeeOther, func(f *fixture) request {
				return request{"/indicators/" + f.newIndicator() + "/values", url.Values{"period": {"2020"}, "value": {"4"}}}
			}))},
	}
}
