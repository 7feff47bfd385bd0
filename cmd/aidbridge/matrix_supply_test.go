package main

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// supplyRows are the matrix rows of supply aid: the home page, needs,
// pledges, shipments and receipts, stock, allocation proposals,
// notifications and reports.
func supplyRows() []row {
	need := func(suffix string) func(f *fixture) string {
		return func(f *fixture) string { return "/needs/" + f.newNeed(f.scmc) + suffix }
	}
	shipment := func(prefix, suffix string) func(f *fixture) string {
		return func(f *fixture) string {
			return prefix + "/shipments/" + f.newShipment(f.scmc, f.hope, false).ID + suffix
		}
	}
	return []row{
		// Each sees the sections of their own organizations; which sections
		// whom: TestHomeWorkQueue.
		{action: "see what waits for one: the work queue of the home page", who: anyone,
			api:  calls(get("GET /api/v1/work", at("/api/v1/work"))),
			page: calls(get("GET /{$}", at("/")))},

		{action: "read the needs board", who: anyone,
			api:  calls(get("GET /api/v1/needs", at("/api/v1/needs?open=true"))),
			page: calls(get("GET /needs", at("/needs")))},
		// The form asks whether one may post a need anywhere; posting one
		// for SCMC is the next row.
		{action: "open the form of a new need", who: editorsAny,
			api:  none("the API takes a new need's body at once, without a form"),
			page: calls(get("GET /needs/new", at("/needs/new")))},
		{action: "post a need of SCMC", who: editorsInside,
			api: calls(send("POST /api/v1/needs", http.StatusCreated, func(f *fixture) request {
				return request{"/api/v1/needs", map[string]any{"organization_id": f.scmc, "item_id": f.item, "quantity": 5, "urgency": "critical"}}
			})),
			page: calls(send("POST /needs", http.StatusSeeOther, func(f *fixture) request {
				return request{"/needs", url.Values{"organization_id": {f.scmc}, "item_id": {f.item}, "quantity": {"5"}, "urgency": {"critical"}}}
			}))},
		{action: "read a need", who: anyone,
			api:  calls(get("GET /api/v1/needs/{id}", func(f *fixture) string { return "/api/v1/needs/" + f.newNeed(f.scmc) })),
			page: calls(get("GET /needs/{id}", need("")))},
		{action: "list the pledges against a need", who: anyone,
			api:  calls(get("GET /api/v1/needs/{id}/pledges", func(f *fixture) string { return "/api/v1/needs/" + f.newNeed(f.scmc) + "/pledges" })),
			page: none("the need's page lists its pledges (the row to read a need)")},
		{action: "change a need of SCMC", who: editorsInside,
			api: calls(send("PUT /api/v1/needs/{id}", http.StatusOK, func(f *fixture) request {
				return request{"/api/v1/needs/" + f.newNeed(f.scmc), map[string]any{"item_id": f.item, "quantity": 50, "urgency": "normal", "version": 1}}
			})),
			page: calls(get("GET /needs/{id}/edit", need("/edit")),
				send("POST /needs/{id}", http.StatusSeeOther, func(f *fixture) request {
					return request{"/needs/" + f.newNeed(f.scmc), url.Values{"item_id": {f.item}, "quantity": {"50"}, "urgency": {"normal"}, "version": {"1"}}}
				}))},
		{action: "cancel a need of SCMC", who: editorsInside,
			api: calls(send("POST /api/v1/needs/{id}/cancel", http.StatusOK, func(f *fixture) request {
				return request{"/api/v1/needs/" + f.newNeed(f.scmc) + "/cancel", map[string]any{"version": 1, "reason": "covered elsewhere"}}
			})),
			page: calls(get("GET /needs/{id}/cancel", need("/cancel")),
				send("POST /needs/{id}/cancel", http.StatusSeeOther, func(f *fixture) request {
					return request{"/needs/" + f.newNeed(f.scmc) + "/cancel", url.Values{"version": {"1"}, "reason": {"covered elsewhere"}}}
				}))},

		// SCMC pledges to a need of Project HOPE, a party to neither side.
		{action: "pledge for SCMC", who: editorsInside,
			api: calls(send("POST /api/v1/needs/{id}/pledges", http.StatusCreated, func(f *fixture) request {
				return request{"/api/v1/needs/" + f.newNeed(f.hope) + "/pledges", map[string]any{"donor_id": f.scmc, "quantity": 3}}
			})),
			page: calls(send("POST /needs/{id}/pledges", http.StatusSeeOther, func(f *fixture) request {
				return request{"/needs/" + f.newNeed(f.hope) + "/pledges", url.Values{"donor_id": {f.scmc}, "quantity": {"3"}}}
			}))},
		{action: "list SCMC's pledges", who: membersInside,
			api:  calls(get("GET /api/v1/pledges", func(f *fixture) string { return "/api/v1/pledges?donor_id=" + f.scmc })),
			page: none("a donor's pledges show on the needs' pages and on the shipment form")},
		{action: "accept a pledge to a need of SCMC", who: editorsInside,
			api: calls(send("POST /api/v1/pledges/{id}/accept", http.StatusOK, func(f *fixture) request {
				return request{path: "/api/v1/pledges/" + f.newPledge(f.hope, f.scmc, false) + "/accept"}
			})),
			page: calls(send("POST /pledges/{id}/accept", http.StatusSeeOther, func(f *fixture) request {
				return request{path: "/pledges/" + f.newPledge(f.hope, f.scmc, false) + "/accept"}
			}))},
		{action: "decline a pledge to a need of SCMC", who: editorsInside,
			api: calls(send("POST /api/v1/pledges/{id}/decline", http.StatusOK, func(f *fixture) request {
				return request{"/api/v1/pledges/" + f.newPledge(f.hope, f.scmc, false) + "/decline", map[string]any{"reason": "not needed"}}
			})),
			page: calls(send("POST /pledges/{id}/decline", http.StatusSeeOther, func(f *fixture) request {
				return request{"/pledges/" + f.newPledge(f.hope, f.scmc, false) + "/decline", url.Values{"reason": {"not needed"}}}
			}))},
		{action: "withdraw a pledge of SCMC", who: editorsInside,
			api: calls(send("POST /api/v1/pledges/{id}/withdraw", http.StatusOK, func(f *fixture) request {
				return request{"/api/v1/pledges/" + f.newPledge(f.scmc, f.hope, true) + "/withdraw", map[string]any{"reason": "sent elsewhere"}}
			})),
			page: calls(send("POST /pledges/{id}/withdraw", http.StatusSeeOther, func(f *fixture) request {
				return request{"/pledges/" + f.newPledge(f.scmc, f.hope, true) + "/withdraw", url.Values{"reason": {"sent elsewhere"}}}
			}))},

		{action: "list SCMC's shipments", who: membersInside,
			api:  calls(get("GET /api/v1/shipments", func(f *fixture) string { return "/api/v1/shipments?organization_id=" + f.scmc })),
			page: calls(get("GET /shipments", func(f *fixture) string { return "/shipments?organization_id=" + f.scmc }))},
		{action: "prepare a shipment from SCMC", who: editorsInside,
			api: calls(send("POST /api/v1/shipments", http.StatusCreated, func(f *fixture) request {
				return request{"/api/v1/shipments", map[string]any{"donor_id": f.scmc,
					"shipping_cost": map[string]any{"amount": "120.50", "currency": "USD"}, "cost_borne_by": f.scmc,
					"lines": []map[string]any{{"pledge_id": f.newPledge(f.scmc, f.hope, true), "quantity": 10}}}}
			})),
			page: calls(get("GET /shipments/new", func(f *fixture) string { return "/shipments/new?donor_id=" + f.scmc }),
				send("POST /shipments", http.StatusSeeOther, func(f *fixture) request {
					pl := f.newPledge(f.scmc, f.hope, true)
					return request{"/shipments", url.Values{"donor_id": {f.scmc}, "recipient_id": {f.hope}, "ship": {pl}, "q_" + pl: {"10"},
						"cost_amount": {"120.50"}, "cost_currency": {"USD"}, "cost_borne_by": {"donor"}}}
				}))},
		{action: "read a shipment of SCMC", who: membersInside,
			api: calls(get("GET /api/v1/shipments/{id}", shipment("/api/v1", ""))),
			page: calls(get("GET /shipments/{id}", shipment("", "")),
				get("GET /shipments/{id}/acknowledgement", shipment("", "/acknowledgement")))},
		{action: "dispatch a shipment of SCMC", who: editorsInside,
			api: calls(send("POST /api/v1/shipments/{id}/dispatch", http.StatusOK, func(f *fixture) request {
				return request{"/api/v1/shipments/" + f.newShipment(f.scmc, f.hope, false).ID + "/dispatch", map[string]any{"version": 1}}
			})),
			page: calls(send("POST /shipments/{id}/dispatch", http.StatusSeeOther, func(f *fixture) request {
				return request{"/shipments/" + f.newShipment(f.scmc, f.hope, false).ID + "/dispatch", url.Values{"version": {"1"}}}
			}))},
		{action: "record the receipt of a shipment to SCMC", who: editorsInside,
			api: calls(send("POST /api/v1/shipments/{id}/receipt", http.StatusOK, func(f *fixture) request {
				sh := f.newShipment(f.hope, f.scmc, true)
				return request{"/api/v1/shipments/" + sh.ID + "/receipt", map[string]any{"lines": []map[string]any{{"line_id": sh.Lines[0].ID, "received": 10}}}}
			})),
			page: calls(send("POST /shipments/{id}/receipt", http.StatusSeeOther, func(f *fixture) request {
				sh := f.newShipment(f.hope, f.scmc, true)
				return request{"/shipments/" + sh.ID + "/receipt", url.Values{"received_" + sh.Lines[0].ID: {"10"}, "damaged_" + sh.Lines[0].ID: {"0"}}}
			}))},

		{action: "see SCMC's stock and its ledger", who: membersInside,
			api: calls(get("GET /api/v1/organizations/{id}/stock", scmcPath("/api/v1", "/stock")),
				get("GET /api/v1/organizations/{id}/stock/movements", scmcPath("/api/v1", "/stock/movements"))),
			page: calls(get("GET /organizations/{id}/stock", scmcPath("", "/stock")))},
		{action: "adjust SCMC's stock", who: editorsInside,
			api: calls(send("POST /api/v1/organizations/{id}/stock/movements", http.StatusCreated, func(f *fixture) request {
				return request{"/api/v1/organizations/" + f.scmc + "/stock/movements", map[string]any{"item_id": f.item, "kind": "adjustment", "delta": 5, "reason": "donation arrived"}}
			})),
			page: calls(send("POST /organizations/{id}/stock", http.StatusSeeOther, func(f *fixture) request {
				return request{"/organizations/" + f.scmc + "/stock", url.Values{"item_id": {f.item}, "kind": {"adjustment"}, "delta": {"5"}, "reason": {"donation arrived"}}}
			}))},

		// The proposal uses stock of the subject's own organizations, none
		// for a subject who may pledge for none.
		{action: "propose an allocation", who: editorsAny,
			api: calls(send("POST /api/v1/allocations", http.StatusCreated, func(f *fixture) request {
				return request{"/api/v1/allocations", map[string]any{"item_id": f.item, "policy": "priority"}}
			})),
			page: calls(get("GET /allocations/new", at("/allocations/new")),
				send("POST /allocations", http.StatusSeeOther, func(f *fixture) request {
					return request{"/allocations", url.Values{"item_id": {f.item}, "policy": {"priority"}}}
				}))},
		// A proposal is its author's (here the site administrator's) to see
		// and commit.
		{action: "read the site administrator's proposal", who: siteOnly,
			api:  calls(get("GET /api/v1/allocations/{id}", func(f *fixture) string { return "/api/v1/allocations/" + f.proposal() })),
			page: calls(get("GET /allocations/{id}", func(f *fixture) string { return "/allocations/" + f.proposal() }))},
		{action: "commit the site administrator's proposal", who: siteOnly,
			api: calls(send("POST /api/v1/allocations/{id}/commit", http.StatusOK, func(f *fixture) request {
				return request{"/api/v1/allocations/" + f.proposal() + "/commit", map[string]any{"version": 1}}
			})),
			page: calls(send("POST /allocations/{id}/commit", http.StatusSeeOther, func(f *fixture) request {
				id := f.proposal()
				a, err := f.m.Store.FindAllocation(context.Background(), id)
				if err != nil {
					f.m.t.Fatal(err)
				}
				form := url.Values{"version": {"1"}}
				for i := range a.Lines {
					form.Add("keep", strconv.Itoa(i))
				}
				return request{"/allocations/" + id + "/commit", form}
			}))},

		{action: "read one's notifications", who: anyone,
			api:  calls(get("GET /api/v1/notifications", at("/api/v1/notifications"))),
			page: calls(get("GET /notifications", at("/notifications")))},
		{action: "mark one's notifications read", who: anyone,
			api: calls(send("POST /api/v1/notifications/read", http.StatusNoContent, func(*fixture) request {
				return request{"/api/v1/notifications/read", map[string]any{"up_to": 1}}
			})),
			page: calls(send("POST /notifications/read", http.StatusSeeOther, func(*fixture) request {
				return request{"/notifications/read", url.Values{"up_to": {"1"}}}
			}))},
		{action: "read the lead-time report", who: anyone,
			api:  calls(get("GET /api/v1/reports/lead-times", at("/api/v1/reports/lead-times"))),
			page: calls(get("GET /reports/lead-times", at("/reports/lead-times")))},
	}
}
