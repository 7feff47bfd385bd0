package main

import (
	"context"
	"net/http"
	"net/url"

	"aidbridge/internal/domain"
)

// contributionRows are the matrix rows of contributions: read by anyone
// signed in; recorded, changed and deleted by the admins and coordinators
// of the giver or of the recipient, SCMC on either side.
func contributionRows() []row {
	contribution := func(prefix, suffix string) func(f *fixture) string {
		return func(f *fixture) string {
			return prefix + "/contributions/" + f.newContribution(f.scmc, f.hope) + suffix
		}
	}
	body := func(giver, recipient string) map[string]any {
		return map[string]any{"giver_id": giver, "recipient_id": recipient, "kind": "money",
			"amount": map[string]string{"amount": "100.00", "currency": "USD"}, "given_on": "2020-03", "version": 1}
	}
	form := func(giver, recipient string) url.Values {
		return url.Values{"giver_id": {giver}, "recipient_id": {recipient}, "kind": {"money"}, "amount": {"100.00"}, "currency": {"USD"},
			"given_on": {"2020-03"}, "version": {"1"}}
	}
	create := func(giver, recipient func(f *fixture) string) surface {
		return calls(send("POST /api/v1/contributions", http.StatusCreated, func(f *fixture) request {
			return request{"/api/v1/contributions", body(giver(f), recipient(f))}
		}))
	}
	createPage := func(giver, recipient func(f *fixture) string) surface {
		return calls(send("POST /contributions", http.StatusSeeOther, func(f *fixture) request {
			v := form(giver(f), recipient(f))
			v.Del("version")
			return request{"/contributions", v}
		}))
	}
	scmc := func(f *fixture) string { return f.scmc }
	hope := func(f *fixture) string { return f.hope }
	return []row{
		{action: "read contributions and their totals", who: anyone,
			api:  calls(get("GET /api/v1/contributions", at("/api/v1/contributions?kind=money&currency=USD"))),
			page: calls(get("GET /contributions", at("/contributions?kind=money&currency=USD")))},
		{action: "read a contribution", who: anyone,
			api:  calls(get("GET /api/v1/contributions/{id}", contribution("/api/v1", ""))),
			page: calls(get("GET /contributions/{id}", contribution("", "")))},
		{action: "open the form of a new contribution", who: editorsAny,
			api:  none("the API takes a new contribution's body at once, without a form"),
			page: calls(get("GET /contributions/new", at("/contributions/new")))},
		{action: "record a contribution SCMC gives", who: editorsInside, api: create(scmc, hope), page: createPage(scmc, hope)},
		{action: "record a contribution SCMC receives", who: editorsInside, api: create(hope, scmc), page: createPage(hope, scmc)},
		{action: "change a contribution SCMC gives", who: editorsInside,
			api: calls(send("PUT /api/v1/contributions/{id}", http.StatusOK, func(f *fixture) request {
				return request{"/api/v1/contributions/" + f.newContribution(f.scmc, f.hope), body(f.scmc, f.hope)}
			})),
			page: calls(get("GET /contributions/{id}/edit", contribution("", "/edit")),
				send("POST /contributions/{id}", http.StatusSeeOther, func(f *fixture) request {
					return request{"/contributions/" + f.newContribution(f.scmc, f.hope), form(f.scmc, f.hope)}
				}))},
		{action: "change a contribution SCMC receives", who: editorsInside,
			api: calls(send("PUT /api/v1/contributions/{id}", http.StatusOK, func(f *fixture) request {
				return request{"/api/v1/contributions/" + f.newContribution(f.hope, f.scmc), body(f.hope, f.scmc)}
			})),
			page: calls(send("POST /contributions/{id}", http.StatusSeeOther, func(f *fixture) request {
				return request{"/contributions/" + f.newContribution(f.hope, f.scmc), form(f.hope, f.scmc)}
			}))},
		{action: "delete a contribution SCMC gives", who: editorsInside,
			api: calls(send("DELETE /api/v1/contributions/{id}", http.StatusNoContent, func(f *fixture) request {
				return request{path: "/api/v1/contributions/" + f.newContribution(f.scmc, f.hope) + "?version=1"}
			})),
			page: calls(get("GET /contributions/{id}/delete", contribution("", "/delete")),
				send("POST /contributions/{id}/delete", http.StatusSeeOther, func(f *fixture) request {
					return request{"/contributions/" + f.newContribution(f.scmc, f.hope) + "/delete", url.Values{"version": {"1"}}}
				}))},
	}
}

// newContribution has giver give recipient 100 US dollars in March 2020.
func (f *fixture) newContribution(giver, recipient string) string {
	on, err := domain.ParsePartialDate("2020-03")
	if err != nil {
		f.m.t.Fatal(err)
	}
	c := domain.Contribution{GiverID: giver, RecipientID: recipient, Kind: domain.ContributionMoney,
		Amount: domain.Money{Minor: 10000, Currency: "USD"}, GivenOn: on}
	if err := f.m.Store.CreateContribution(context.Background(), system, &c); err != nil {
		f.m.t.Fatal(err)
	}
	return c.ID
}
