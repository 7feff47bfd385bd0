package main

import (
	"context"
	"net/http"
	"net/url"

	"aidbridge/internal/domain"
)

// partnershipRows are the matrix rows of programs, partnerships,
// commitments and deliveries: read by anyone signed in; a program changed
// by the sponsors' admins and coordinators, a partnership by the
// provider's, a commitment and its deliveries by the committing party's or
// the provider's.
func partnershipRows() []row {
	program := func(prefix, suffix string) func(f *fixture) string {
		return func(f *fixture) string { return prefix + "/programs/" + f.newProgram(f.scmc, f.hope) + suffix }
	}
	partnership := func(prefix, suffix string) func(f *fixture) string {
		return func(f *fixture) string { return prefix + "/partnerships/" + f.newPartnership(f.scmc, f.hope) + suffix }
	}
	programBody := func(f *fixture) map[string]any {
		return map[string]any{"name": f.unique("Matrix program"), "kind": "exchange", "sponsor_ids": []string{f.scmc, f.hope}}
	}
	programForm := func(f *fixture) url.Values {
		return url.Values{"name": {f.unique("Matrix program")}, "kind": {"exchange"}, "sponsor_ids": {f.scmc, f.hope}, "version": {"1"}}
	}
	partnershipBody := func(f *fixture) map[string]any {
		return map[string]any{"program_id": f.newProgram(f.hope), "name": f.unique("Matrix partnership"), "provider_id": f.scmc,
			"recipient_id": f.seattle, "status": "active", "version": 1}
	}
	partnershipForm := func(f *fixture) url.Values {
		return url.Values{"program_id": {f.newProgram(f.hope)}, "name": {f.unique("Matrix partnership")}, "provider_id": {f.scmc},
			"recipient_id": {f.seattle}, "status": {"active"}, "version": {"1"}}
	}
	money := map[string]any{"party_id": "", "kind": "money", "amount": map[string]string{"amount": "100.00", "currency": "USD"}}
	commitment := func(f *fixture, party, provider string) request {
		body := map[string]any{}
		for k, v := range money {
			body[k] = v
		}
		body["party_id"] = party
		return request{"/api/v1/partnerships/" + f.newPartnership(provider, f.seattle) + "/commitments", body}
	}
	commitmentForm := func(f *fixture, party, provider string) request {
		return request{"/partnerships/" + f.newPartnership(provider, f.seattle) + "/commitments",
			url.Values{"party_id": {party}, "kind": {"money"}, "amount": {"100.00"}, "currency": {"USD"}}}
	}
	return []row{
		{action: "read programs", who: anyone,
			api:  calls(get("GET /api/v1/programs", at("/api/v1/programs?kind=exchange"))),
			page: calls(get("GET /programs", at("/programs?kind=exchange")))},
		{action: "read a program", who: anyone,
			api:  calls(get("GET /api/v1/programs/{id}", program("/api/v1", ""))),
			page: calls(get("GET /programs/{id}", program("", "")))},
		{action: "open the form of a new program", who: editorsAny,
			api:  none("the API takes a new program's body at once, without a form"),
			page: calls(get("GET /programs/new", at("/programs/new")))},
		{action: "create a program SCMC sponsors", who: editorsInside,
			api: calls(send("POST /api/v1/programs", http.StatusCreated, func(f *fixture) request { return request{"/api/v1/programs", programBody(f)} })),
			page: calls(send("POST /programs", http.StatusSeeOther, func(f *fixture) request {
				v := programForm(f)
				v.Del("version")
				return request{"/programs", v}
			}))},
		{action: "change a program SCMC sponsors", who: editorsInside,
			api: calls(send("PUT /api/v1/programs/{id}", http.StatusOK, func(f *fixture) request {
				b := programBody(f)
				b["version"] = 1
				return request{"/api/v1/programs/" + f.newProgram(f.scmc, f.hope), b}
			})),
			page: calls(get("GET /programs/{id}/edit", program("", "/edit")),
				send("POST /programs/{id}", http.StatusSeeOther, func(f *fixture) request {
					return request{"/programs/" + f.newProgram(f.scmc, f.hope), programForm(f)}
				}))},
		{action: "delete a program SCMC sponsors", who: editorsInside,
			api: calls(send("DELETE /api/v1/programs/{id}", http.StatusNoContent, func(f *fixture) request {
				return request{path: "/api/v1/programs/" + f.newProgram(f.scmc, f.hope) + "?version=1"}
			})),
			page: calls(get("GET /programs/{id}/delete", program("", "/delete")),
				send("POST /programs/{id}/delete", http.StatusSeeOther, func(f *fixture) request {
					return request{"/programs/" + f.newProgram(f.scmc, f.hope) + "/delete", url.Values{"version": {"1"}}}
				}))},

		{action: "read partnerships", who: anyone,
			api:  calls(get("GET /api/v1/partnerships", at("/api/v1/partnerships?status=active&kind=exchange"))),
			page: calls(get("GET /partnerships", at("/partnerships?status=active&kind=exchange")))},
		{action: "read a partnership, its commitments and their deliveries", who: anyone,
			api:  calls(get("GET /api/v1/partnerships/{id}", partnership("/api/v1", ""))),
			page: calls(get("GET /partnerships/{id}", partnership("", "")))},
		{action: "list the commitments to a partnership", who: anyone,
			api:  calls(get("GET /api/v1/partnerships/{id}/commitments", partnership("/api/v1", "/commitments"))),
			page: none("the partnership's page lists its commitments (the row to read a partnership)")},
		{action: "read a commitment", who: anyone,
			api: calls(get("GET /api/v1/commitments/{id}", func(f *fixture) string {
				return "/api/v1/commitments/" + f.newCommitment(f.scmc, f.hope)
			})),
			page: none("a commitment shows on its partnership's page")},
		{action: "open the form of a new partnership", who: editorsAny,
			api:  none("the API takes a new partnership's body at once, without a form"),
			page: calls(get("GET /partnerships/new", at("/partnerships/new")))},
		{action: "create a partnership SCMC provides", who: editorsInside,
			api: calls(send("POST /api/v1/partnerships", http.StatusCreated, func(f *fixture) request {
				return request{"/api/v1/partnerships", partnershipBody(f)}
			})),
			page: calls(send("POST /partnerships", http.StatusSeeOther, func(f *fixture) request {
				v := partnershipForm(f)
				v.Del("version")
				return request{"/partnerships", v}
			}))},
		{action: "change a partnership SCMC provides", who: editorsInside,
			api: calls(send("PUT /api/v1/partnerships/{id}", http.StatusOK, func(f *fixture) request {
				return request{"/api/v1/partnerships/" + f.newPartnership(f.scmc, f.hope), partnershipBody(f)}
			})),
			page: calls(get("GET /partnerships/{id}/edit", partnership("", "/edit")),
				send("POST /partnerships/{id}", http.StatusSeeOther, func(f *fixture) request {
					return request{"/partnerships/" + f.newPartnership(f.scmc, f.hope), partnershipForm(f)}
				}))},
		{action: "delete a partnership SCMC provides", who: editorsInside,
			api: calls(send("DELETE /api/v1/partnerships/{id}", http.StatusNoContent, func(f *fixture) request {
				return request{path: "/api/v1/partnerships/" + f.newPartnership(f.scmc, f.hope) + "?version=1"}
			})),
			page: calls(get("GET /partnerships/{id}/delete", partnership("", "/delete")),
				send("POST /partnerships/{id}/delete", http.StatusSeeOther, func(f *fixture) request {
					return request{"/partnerships/" + f.newPartnership(f.scmc, f.hope) + "/delete", url.Values{"version": {"1"}}}
				}))},

		// The two sides of the commitment rule: SCMC as the committing
		// party, and SCMC as the provider of the partnership.
		{action: "record a commitment of SCMC", who: editorsInside,
			api: calls(send("POST /api/v1/partnerships/{id}/commitments", http.StatusCreated, func(f *fixture) request {
				return commitment(f, f.scmc, f.hope)
			})),
			page: calls(send("POST /partnerships/{id}/commitments", http.StatusSeeOther, func(f *fixture) request {
				return commitmentForm(f, f.scmc, f.hope)
			}))},
		{action: "record a commitment of another party to a partnership SCMC provides", who: editorsInside,
			api: calls(send("POST /api/v1/partnerships/{id}/commitments", http.StatusCreated, func(f *fixture) request {
				return commitment(f, f.hope, f.scmc)
			})),
			page: calls(send("POST /partnerships/{id}/commitments", http.StatusSeeOther, func(f *fixture) request {
				return commitmentForm(f, f.hope, f.scmc)
			}))},
		{action: "record a delivery against a commitment of SCMC", who: editorsInside,
			api: calls(send("POST /api/v1/commitments/{id}/deliveries", http.StatusCreated, func(f *fixture) request {
				return request{"/api/v1/commitments/" + f.newCommitment(f.scmc, f.hope) + "/deliveries",
					map[string]any{"delivered_on": "2020", "amount": map[string]string{"amount": "10.00", "currency": "USD"}}}
			})),
			page: calls(send("POST /commitments/{id}/deliveries", http.StatusSeeOther, func(f *fixture) request {
				return request{"/commitments/" + f.newCommitment(f.scmc, f.hope) + "/deliveries",
					url.Values{"delivered_on": {"2020"}, "amount": {"10.00"}}}
			}))},
	}
}

// newProgram creates a program with the given sponsors.
func (f *fixture) newProgram(sponsors ...string) string {
	p := domain.Program{Name: f.unique("Matrix program"), Kind: "exchange", SponsorIDs: sponsors}
	if err := f.m.Store.CreateProgram(context.Background(), system, &p); err != nil {
		f.m.t.Fatal(err)
	}
	return p.ID
}

// newPartnership creates a partnership of provider to recipient under a
// program of HOPE's, sponsored by neither side of the matrix.
func (f *fixture) newPartnership(provider, recipient string) string {
	p := domain.Partnership{ProgramID: f.newProgram(f.hope), Name: f.unique("Matrix partnership"), ProviderID: provider, RecipientID: recipient,
		Status: domain.PartnershipActive}
	if err := f.m.Store.CreatePartnership(context.Background(), system, &p); err != nil {
		f.m.t.Fatal(err)
	}
	return p.ID
}

// newCommitment has party commit 100 US dollars to a new partnership of
// provider to Seattle Children's.
func (f *fixture) newCommitment(party, provider string) string {
	c := domain.Commitment{PartnershipID: f.newPartnership(provider, f.seattle), PartyID: party, Kind: "money",
		Amount: domain.Money{Minor: 10000, Currency: "USD"}}
	if err := f.m.Store.CreateCommitment(context.Background(), system, &c); err != nil {
		f.m.t.Fatal(err)
	}
	return c.ID
}
