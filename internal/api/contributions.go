package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"aidbridge/internal/domain"
)

// ContributionBody is what a client sends to record or change a
// contribution: money or goods one organization gave another outside a
// need.
type ContributionBody struct {
	GiverID       string                   `json:"giver_id" minLength:"1" doc:"The organization that gave"`
	RecipientID   string                   `json:"recipient_id" minLength:"1" doc:"The organization that received; not the giver"`
	Kind          oneOf[contributionKinds] `json:"kind"`
	Amount        domain.Money             `json:"amount,omitzero" doc:"Required for money, in any ISO 4217 currency; for goods their value, when known"`
	Description   string                   `json:"description,omitempty" limit:"text" doc:"For goods, required: what was given, such as test kits and facial masks; for money, what it was for"`
	Quantity      *int64                   `json:"quantity,omitempty" minimum:"1" limit:"quantity" doc:"For goods: how many, in unit; not for money"`
	Unit          string                   `json:"unit,omitempty" limit:"unit" doc:"What the quantity counts, such as piece or kit"`
	GivenOn       domain.PartialDate       `json:"given_on" doc:"A year, month or day, as precise as known: 2020-03"`
	PartnershipID string                   `json:"partnership_id,omitempty" doc:"The partnership it was given under, if any; its program is taken when program_id is empty"`
	ProgramID     string                   `json:"program_id,omitempty" doc:"The program it was given under, if any; must be the partnership's when both are given"`
	Notes         string                   `json:"notes,omitempty" limit:"note"`
	Versioned
}

func (b ContributionBody) record() domain.Contribution {
	return domain.Contribution{GiverID: b.GiverID, RecipientID: b.RecipientID, Kind: domain.ContributionKind(b.Kind), Amount: b.Amount,
		Description: b.Description, Quantity: b.Quantity, Unit: b.Unit, GivenOn: b.GivenOn, PartnershipID: b.PartnershipID,
		ProgramID: b.ProgramID, Notes: b.Notes}
}

// ContributionPage is a page of contributions with what all of those the
// filters select add up to, one amount per currency.
type ContributionPage struct {
	Body struct {
		Items      []domain.Contribution `json:"items"`
		NextCursor string                `json:"next_cursor,omitempty" doc:"Pass as cursor to get the next page; absent on the last page"`
		Totals     []domain.Money        `json:"totals" doc:"What every contribution the filters select adds up to (not only this page's), one exact sum per currency, ordered by currency code; amounts in different currencies are never added together. Goods without a value count in none."`
	}
}

func (s *Server) registerContributions(a huma.API) {
	tags := []string{"Contributions"}
	huma.Register(a, huma.Operation{OperationID: "list-contributions", Method: http.MethodGet, Path: "/api/v1/contributions",
		Summary: "List contributions with their totals per currency", Description: "The latest given first.", Tags: tags},
		func(ctx context.Context, in *struct {
			OrganizationID string                          `query:"organization_id" doc:"Contributions this organization gave or received"`
			GiverID        string                          `query:"giver_id"`
			RecipientID    string                          `query:"recipient_id"`
			PartnershipID  string                          `query:"partnership_id"`
			ProgramID      string                          `query:"program_id"`
			Country        string                          `query:"country" pattern:"^([A-Z]{2})?$" doc:"ISO 3166-1 alpha-2 of the giver or of the recipient"`
			Kind           oneOfOrEmpty[contributionKinds] `query:"kind"`
			Currency       string                          `query:"currency" pattern:"^([A-Z]{3})?$" doc:"ISO 4217: contributions with an amount in this currency"`
			Cursor         string                          `query:"cursor" doc:"The next_cursor of the previous page"`
			Limit          int                             `query:"limit" minimum:"1" default:"50" doc:"Items per page, at most 200"`
		}) (*ContributionPage, error) {
			f := domain.ContributionFilter{OrganizationID: in.OrganizationID, GiverID: in.GiverID, RecipientID: in.RecipientID,
				PartnershipID: in.PartnershipID, ProgramID: in.ProgramID, Country: in.Country, Kind: string(in.Kind), Currency: in.Currency,
				Cursor: in.Cursor, Limit: in.Limit}
			list, next, err := s.Contributions.List(ctx, user(ctx), f)
			if err != nil {
				return nil, err
			}
			totals, err := s.Contributions.Totals(ctx, user(ctx), f)
			if err != nil {
				return nil, err
			}
			out := &ContributionPage{}
			out.Body.Items, out.Body.NextCursor, out.Body.Totals = list, next, totals
			if out.Body.Items == nil {
				out.Body.Items = []domain.Contribution{}
			}
			return out, nil
		})
	registerRecords(a, records[domain.Contribution, ContributionBody]{name: "contribution", plural: "contributions", title: "a contribution", tags: tags,
		updateDoc: "The admins and coordinators of the giver or of the recipient change a contribution, as stored and as it will be.",
		meta:      func(c *domain.Contribution) (*string, *int64) { return &c.ID, &c.Version },
		get:       s.Contributions.Contribution,
		create:    s.Contributions.Create,
		update:    s.Contributions.Update,
		delete:    s.Contributions.Delete,
	})
}
