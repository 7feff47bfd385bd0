package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"aidbridge/internal/domain"
)

// NeedBody is what a client sends to post or change a need.
type NeedBody struct {
	OrganizationID string      `json:"organization_id,omitempty" doc:"The needing organization (on create)"`
	ItemID         string      `json:"item_id" minLength:"1"`
	Quantity       int64       `json:"quantity" minimum:"1" limit:"quantity" doc:"Whole units of the item"`
	Urgency        string      `json:"urgency" enum:"critical,high,normal"`
	NeededBy       domain.Date `json:"needed_by,omitzero"`
	Justification  string      `json:"justification,omitempty" limit:"text"`
	Shortage       bool        `json:"shortage,omitempty" doc:"The item is short on the market"`
	Version        int64       `json:"version,omitempty" minimum:"1" doc:"On update: the version you read (or send If-Match)"`
}

func (b *NeedBody) need() domain.Need {
	return domain.Need{OrganizationID: b.OrganizationID, ItemID: b.ItemID, Quantity: b.Quantity, Urgency: domain.Urgency(b.Urgency),
		NeededBy: b.NeededBy, Justification: b.Justification, Shortage: b.Shortage}
}

// NeedDetail is a need with what is left to cover, its figures as its
// pledges add up, its pledges and its lead time.
type NeedDetail struct {
	domain.Need
	Uncovered int64            `json:"uncovered"`
	Overdue   bool             `json:"overdue" doc:"Still waiting with its needed_by date passed"`
	Figures   domain.NeedTally `json:"figures"`
	Pledges   []Pledge         `json:"pledges"`
	LeadTime  *domain.LeadTime `json:"lead_time,omitempty"`
}

// BoardNeed is a need on the board, with what is left to cover.
type BoardNeed struct {
	domain.Need
	Uncovered int64 `json:"uncovered"`
	Overdue   bool  `json:"overdue" doc:"Still waiting with its needed_by date passed"`
}

// Pledge is a pledge with what of it is left to ship.
type Pledge struct {
	domain.Pledge
	LeftToShip int64 `json:"left_to_ship" doc:"What of an accepted pledge is on no shipment yet; 0 in any other status"`
}

func pledgeOut(p domain.Pledge) Pledge { return Pledge{Pledge: p, LeftToShip: p.LeftToShip()} }

func pledgesOut(list []domain.Pledge) []Pledge {
	out := make([]Pledge, len(list))
	for i, p := range list {
		out[i] = pledgeOut(p)
	}
	return out
}

// ShipmentLineBody is a line of a new shipment: a quantity against a pledge.
type ShipmentLineBody struct {
	PledgeID string `json:"pledge_id" minLength:"1"`
	Quantity int64  `json:"quantity" minimum:"1" limit:"quantity"`
}

// ReceiptLineBody is what arrived of one line of a shipment.
type ReceiptLineBody struct {
	LineID   string `json:"line_id" minLength:"1"`
	Received int64  `json:"received" minimum:"0" limit:"quantity"`
	Damaged  int64  `json:"damaged,omitempty" minimum:"0" limit:"quantity"`
}

type reasonBody struct {
	Reason string `json:"reason,omitempty" limit:"note"`
}

func (s *Server) needDetail(ctx context.Context, id string) (*One[NeedDetail], error) {
	n, pledges, err := s.Supply.Need(ctx, user(ctx), id)
	if err != nil {
		return nil, err
	}
	d := NeedDetail{Need: n, Uncovered: n.Uncovered(), Overdue: n.Overdue(s.Supply.Today()), Figures: n.Tally(pledges), Pledges: pledgesOut(pledges)}
	if lts, err := s.Supply.LeadTimes(ctx, user(ctx), []string{id}); err == nil && len(lts) == 1 {
		d.LeadTime = &lts[0]
	} else if err != nil {
		return nil, err
	}
	return one(d, n.Version), nil
}

func (s *Server) registerSupply(a huma.API) {
	tags := []string{"Supplies"}
	huma.Register(a, huma.Operation{OperationID: "list-needs", Method: http.MethodGet, Path: "/api/v1/needs",
		Summary: "The needs board", Description: "Most urgent first, then by needed_by. open=true keeps the needs still waiting.", Tags: tags},
		func(ctx context.Context, in *struct {
			ItemID         string `query:"item_id"`
			OrganizationID string `query:"organization_id"`
			Country        string `query:"country" doc:"ISO 3166-1 alpha-2 of the needing organization"`
			Status         string `query:"status" enum:"open,partially_pledged,pledged,partially_delivered,fulfilled,cancelled,"`
			Urgency        string `query:"urgency" enum:"critical,high,normal,"`
			Open           bool   `query:"open"`
			Cursor         string `query:"cursor"`
			Limit          int    `query:"limit" minimum:"1" default:"50" doc:"Entries per page, at most 200"`
		}) (*Page[BoardNeed], error) {
			list, next, err := s.Supply.Needs(ctx, user(ctx), domain.NeedFilter{ItemID: in.ItemID, OrganizationID: in.OrganizationID,
				Country: in.Country, Status: in.Status, Urgency: in.Urgency, Open: in.Open, Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			out := make([]BoardNeed, len(list))
			today := s.Supply.Today()
			for i, n := range list {
				out[i] = BoardNeed{n, n.Uncovered(), n.Overdue(today)}
			}
			return page(out, next), nil
		})

	huma.Register(a, huma.Operation{OperationID: "create-need", Method: http.MethodPost, Path: "/api/v1/needs",
		Summary: "Post a need", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct{ Body NeedBody }) (*One[NeedDetail], error) {
			n := in.Body.need()
			if n.OrganizationID == "" {
				var p domain.Problems
				p.Add("organization_id", domain.MsgRequired)
				return nil, p.Err("need")
			}
			if err := s.Supply.PostNeed(ctx, user(ctx), &n); err != nil {
				return nil, err
			}
			return s.needDetail(ctx, n.ID)
		})

	huma.Register(a, huma.Operation{OperationID: "get-need", Method: http.MethodGet, Path: "/api/v1/needs/{id}",
		Summary: "Get a need with its pledges and lead time", Tags: tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
		}) (*One[NeedDetail], error) {
			return s.needDetail(ctx, in.ID)
		})

	huma.Register(a, huma.Operation{OperationID: "update-need", Method: http.MethodPut, Path: "/api/v1/needs/{id}",
		Summary: "Change a need", Description: "Only while nothing is pledged against it.", Tags: tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
			VersionInput
			Body NeedBody
		}) (*One[NeedDetail], error) {
			v, err := versionOf(in.Body.Version, in.IfMatch)
			if err != nil {
				return nil, err
			}
			n := in.Body.need()
			n.ID, n.Version = in.ID, v
			if err := s.Supply.UpdateNeed(ctx, user(ctx), &n); err != nil {
				return nil, err
			}
			return s.needDetail(ctx, n.ID)
		})

	huma.Register(a, huma.Operation{OperationID: "cancel-need", Method: http.MethodPost, Path: "/api/v1/needs/{id}/cancel",
		Summary: "Cancel a need", Description: "Pledges not yet shipped are declined; a need with shipped pledges cannot be cancelled.", Tags: tags},
		func(ctx context.Context, in *struct {
			ID   string `path:"id"`
			Body struct {
				Version int64  `json:"version" minimum:"1"`
				Reason  string `json:"reason" minLength:"1" limit:"note"`
			}
		}) (*One[NeedDetail], error) {
			if _, err := s.Supply.CancelNeed(ctx, user(ctx), in.ID, in.Body.Version, in.Body.Reason); err != nil {
				return nil, err
			}
			return s.needDetail(ctx, in.ID)
		})

	huma.Register(a, huma.Operation{OperationID: "list-need-pledges", Method: http.MethodGet, Path: "/api/v1/needs/{id}/pledges",
		Summary: "The pledges against a need", Tags: tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
		}) (*Page[Pledge], error) {
			_, pledges, err := s.Supply.Need(ctx, user(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return page(pledgesOut(pledges), ""), nil
		})

	huma.Register(a, huma.Operation{OperationID: "create-pledge", Method: http.MethodPost, Path: "/api/v1/needs/{id}/pledges",
		Summary: "Pledge against a need", Description: "Refused with 409, saying what is left, when the need or the donor's stock cannot cover it.",
		Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct {
			ID   string `path:"id"`
			Body struct {
				DonorID   string `json:"donor_id" minLength:"1"`
				Quantity  int64  `json:"quantity" minimum:"1" limit:"quantity"`
				FromStock bool   `json:"from_stock,omitempty" doc:"Reserve the quantity from the donor's stock"`
				Note      string `json:"note,omitempty" limit:"note"`
			}
		}) (*One[Pledge], error) {
			p := domain.Pledge{NeedID: in.ID, DonorID: in.Body.DonorID, Quantity: in.Body.Quantity, FromStock: in.Body.FromStock, Note: in.Body.Note}
			if err := s.Supply.Pledge(ctx, user(ctx), &p); err != nil {
				return nil, err
			}
			return one(pledgeOut(p), p.Version), nil
		})

	huma.Register(a, huma.Operation{OperationID: "list-pledges", Method: http.MethodGet, Path: "/api/v1/pledges",
		Summary: "A donor's pledges",
		Description: "to_ship=true lists what a new shipment can carry: the accepted pledges with something left to ship, " +
			"most urgent need first, as the shipment form of the pages offers them.",
		Tags: tags},
		func(ctx context.Context, in *struct {
			DonorID string `query:"donor_id" required:"true"`
			Status  string `query:"status" enum:"offered,accepted,shipped,delivered,declined,withdrawn,"`
			ToShip  bool   `query:"to_ship" doc:"Only accepted pledges with something left to ship (status is then ignored)"`
		}) (*Page[Pledge], error) {
			if in.ToShip {
				ship, err := s.Supply.ToShip(ctx, user(ctx), in.DonorID)
				if err != nil {
					return nil, err
				}
				return page(pledgesOut(ship.Pledges), ""), nil
			}
			list, err := s.Supply.Pledges(ctx, user(ctx), in.DonorID, in.Status)
			if err != nil {
				return nil, err
			}
			return page(pledgesOut(list), ""), nil
		})

	for _, act := range []struct {
		op, path, summary string
		do                func(context.Context, *domain.User, string, string) (domain.Pledge, error)
	}{
		{"accept-pledge", "/api/v1/pledges/{id}/accept", "Accept a pledge (the needing organization)", func(ctx context.Context, u *domain.User, id, _ string) (domain.Pledge, error) {
			return s.Supply.Accept(ctx, u, id)
		}},
		{"decline-pledge", "/api/v1/pledges/{id}/decline", "Decline a pledge (the needing organization)", s.Supply.Decline},
		{"withdraw-pledge", "/api/v1/pledges/{id}/withdraw", "Withdraw a pledge before it ships (the donor)", s.Supply.Withdraw},
	} {
		huma.Register(a, huma.Operation{OperationID: act.op, Method: http.MethodPost, Path: act.path, Summary: act.summary, Tags: tags},
			func(ctx context.Context, in *struct {
				ID   string `path:"id"`
				Body *reasonBody
			}) (*One[Pledge], error) {
				reason := ""
				if in.Body != nil {
					reason = in.Body.Reason
				}
				p, err := act.do(ctx, user(ctx), in.ID, reason)
				if err != nil {
					return nil, err
				}
				return one(pledgeOut(p), p.Version), nil
			})
	}

	huma.Register(a, huma.Operation{OperationID: "create-shipment", Method: http.MethodPost, Path: "/api/v1/shipments",
		Summary: "Prepare a shipment", Description: "Lines against accepted pledges of one donor to one recipient.", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct {
			Body struct {
				DonorID          string             `json:"donor_id" minLength:"1"`
				Carrier          string             `json:"carrier,omitempty" limit:"short"`
				TrackingNumber   string             `json:"tracking_number,omitempty" limit:"short"`
				CustomsReference string             `json:"customs_reference,omitempty" limit:"short"`
				ShippingCost     domain.Money       `json:"shipping_cost,omitzero"`
				CostBorneBy      string             `json:"cost_borne_by,omitempty" doc:"The organization that paid the shipping"`
				Lines            []ShipmentLineBody `json:"lines" minItems:"1"`
			}
		}) (*One[domain.Shipment], error) {
			b := in.Body
			sh := domain.Shipment{DonorID: b.DonorID, Carrier: b.Carrier, TrackingNumber: b.TrackingNumber, CustomsReference: b.CustomsReference,
				ShippingCost: b.ShippingCost, CostBorneBy: b.CostBorneBy}
			for _, l := range b.Lines {
				sh.Lines = append(sh.Lines, domain.ShipmentLine{PledgeID: l.PledgeID, Quantity: l.Quantity})
			}
			if err := s.Supply.Ship(ctx, user(ctx), &sh); err != nil {
				return nil, err
			}
			return one(sh, sh.Version), nil
		})

	huma.Register(a, huma.Operation{OperationID: "list-shipments", Method: http.MethodGet, Path: "/api/v1/shipments",
		Summary: "An organization's shipments, sent and received", Tags: tags},
		func(ctx context.Context, in *struct {
			OrganizationID string `query:"organization_id" required:"true"`
			Status         string `query:"status" enum:"preparing,dispatched,delivered,partially_delivered,lost,cancelled,"`
		}) (*Page[domain.Shipment], error) {
			list, err := s.Supply.Shipments(ctx, user(ctx), in.OrganizationID, in.Status)
			if err != nil {
				return nil, err
			}
			return page(list, ""), nil
		})

	huma.Register(a, huma.Operation{OperationID: "get-shipment", Method: http.MethodGet, Path: "/api/v1/shipments/{id}",
		Summary: "Get a shipment with its lines", Tags: tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
		}) (*One[domain.Shipment], error) {
			sh, err := s.Supply.Shipment(ctx, user(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return one(sh, sh.Version), nil
		})

	huma.Register(a, huma.Operation{OperationID: "dispatch-shipment", Method: http.MethodPost, Path: "/api/v1/shipments/{id}/dispatch",
		Summary: "Dispatch a shipment", Description: "Stock reserved for its pledges leaves the donor's books.", Tags: tags},
		func(ctx context.Context, in *struct {
			ID   string `path:"id"`
			Body struct {
				Version int64 `json:"version" minimum:"1"`
			}
		}) (*One[domain.Shipment], error) {
			sh, err := s.Supply.Dispatch(ctx, user(ctx), in.ID, in.Body.Version)
			if err != nil {
				return nil, err
			}
			return one(sh, sh.Version), nil
		})

	huma.Register(a, huma.Operation{OperationID: "record-receipt", Method: http.MethodPost, Path: "/api/v1/shipments/{id}/receipt",
		Summary: "Record what arrived", Description: "Per line: received and damaged, whose sum may not exceed what was shipped.", Tags: tags},
		func(ctx context.Context, in *struct {
			ID   string `path:"id"`
			Body struct {
				Lines []ReceiptLineBody `json:"lines" minItems:"1"`
			}
		}) (*One[domain.Shipment], error) {
			var lines []domain.ReceiptLine
			for _, l := range in.Body.Lines {
				lines = append(lines, domain.ReceiptLine{LineID: l.LineID, Received: l.Received, Damaged: l.Damaged})
			}
			sh, err := s.Supply.Receive(ctx, user(ctx), in.ID, lines)
			if err != nil {
				return nil, err
			}
			return one(sh, sh.Version), nil
		})

	huma.Register(a, huma.Operation{OperationID: "get-stock", Method: http.MethodGet, Path: "/api/v1/organizations/{id}/stock",
		Summary: "An organization's stock: on hand, reserved and available per item", Tags: tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
		}) (*Page[domain.Stock], error) {
			list, err := s.Supply.Stock(ctx, user(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return page(list, ""), nil
		})

	huma.Register(a, huma.Operation{OperationID: "list-stock-movements", Method: http.MethodGet, Path: "/api/v1/organizations/{id}/stock/movements",
		Summary: "An organization's stock ledger, newest first", Tags: tags},
		func(ctx context.Context, in *struct {
			ID     string `path:"id"`
			ItemID string `query:"item_id"`
			Before int64  `query:"before" minimum:"0"`
			Limit  int    `query:"limit" minimum:"1" default:"50" doc:"Entries per page, at most 200"`
		}) (*Page[domain.StockMovement], error) {
			list, next, err := s.Supply.Movements(ctx, user(ctx), in.ID, in.ItemID, in.Before, in.Limit)
			if err != nil {
				return nil, err
			}
			cursor := ""
			if next > 0 {
				cursor = itoa64(next)
			}
			return page(list, cursor), nil
		})

	huma.Register(a, huma.Operation{OperationID: "record-stock-movement", Method: http.MethodPost, Path: "/api/v1/organizations/{id}/stock/movements",
		Summary: "Adjust stock or record a count", Description: "kind adjustment takes a delta; kind count takes what was counted. Both need a reason.",
		Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct {
			ID   string `path:"id"`
			Body struct {
				ItemID  string `json:"item_id" minLength:"1"`
				Kind    string `json:"kind" enum:"adjustment,count"`
				Delta   int64  `json:"delta,omitempty" limit:"signed_quantity"`
				Counted *int64 `json:"counted,omitempty" minimum:"0" limit:"quantity"`
				Reason  string `json:"reason" minLength:"1" limit:"note"`
			}
		}) (*One[domain.StockMovement], error) {
			m := domain.StockMovement{OrganizationID: in.ID, ItemID: in.Body.ItemID, Kind: domain.MovementKind(in.Body.Kind),
				Delta: in.Body.Delta, Counted: in.Body.Counted, Reason: in.Body.Reason}
			if err := s.Supply.AdjustStock(ctx, user(ctx), &m); err != nil {
				return nil, err
			}
			return unversioned(m), nil
		})

	huma.Register(a, huma.Operation{OperationID: "report-lead-times", Method: http.MethodGet, Path: "/api/v1/reports/lead-times",
		Summary: "Lead times per item and month", Description: "Average days from plea to first pledge, dispatch and receipt.", Tags: []string{"Reports"}},
		func(ctx context.Context, in *struct{}) (*Page[domain.LeadSummary], error) {
			rep, err := s.Supply.LeadTimeReport(ctx, user(ctx))
			if err != nil {
				return nil, err
			}
			return page(rep, ""), nil
		})
}
