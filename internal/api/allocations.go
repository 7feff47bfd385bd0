package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"aidbridge/internal/domain"
)

// AllocationDetail is a proposal with the pledges its commit made.
type AllocationDetail struct {
	domain.Allocation
	Pledges []Pledge `json:"pledges" doc:"The pledges the commit made, empty before it"`
}

func (s *Server) registerAllocations(a huma.API) {
	tags := []string{"Allocation"}
	huma.Register(a, huma.Operation{OperationID: "propose-allocation", Method: http.MethodPost, Path: "/api/v1/allocations",
		Summary: "Propose the optimal allocation of donors' stock to open needs",
		Description: "Considers the open needs of the item (narrowed by countries and urgencies) and the available stock of the organizations you may pledge for " +
			"(narrowed by donor_ids). The result is optimal under the policy and is stored as a proposal to review and commit.",
		Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct {
			Body struct {
				ItemID    string   `json:"item_id" minLength:"1"`
				Policy    string   `json:"policy,omitempty" enum:"priority,balanced,cheapest" default:"priority" doc:"priority when left out"`
				Countries []string `json:"countries,omitempty" doc:"ISO 3166-1 alpha-2 codes of the needing organizations"`
				Urgencies []string `json:"urgencies,omitempty" doc:"critical, high, normal"`
				DonorIDs  []string `json:"donor_ids,omitempty"`
			}
		}) (*One[domain.Allocation], error) {
			f := domain.AllocationFilter{ItemID: in.Body.ItemID, Countries: in.Body.Countries, DonorIDs: in.Body.DonorIDs}
			for _, u := range in.Body.Urgencies {
				f.Urgencies = append(f.Urgencies, domain.Urgency(u))
			}
			policy := in.Body.Policy
			if policy == "" {
				policy = "priority"
			}
			al, err := s.Supply.Propose(ctx, user(ctx), f, policy)
			if err != nil {
				return nil, err
			}
			return one(al, al.Version), nil
		})

	huma.Register(a, huma.Operation{OperationID: "get-allocation", Method: http.MethodGet, Path: "/api/v1/allocations/{id}",
		Summary: "Get an allocation proposal", Description: "With the pledges its commit made, as they stand now.", Tags: tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
		}) (*One[AllocationDetail], error) {
			d, err := s.Supply.AllocationDetail(ctx, user(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return one(AllocationDetail{Allocation: d.Allocation, Pledges: pledgesOut(d.Pledges)}, d.Version), nil
		})

	huma.Register(a, huma.Operation{OperationID: "commit-allocation", Method: http.MethodPost, Path: "/api/v1/allocations/{id}/commit",
		Summary:     "Commit a proposal as pledges",
		Description: "Creates a pledge from stock for each line not dropped, all or none: if the needs or the stock changed so that a line no longer fits, the answer is 409 and nothing is pledged.",
		Tags:        tags},
		func(ctx context.Context, in *struct {
			ID   string `path:"id"`
			Body struct {
				Version   int64 `json:"version" minimum:"1"`
				DropLines []int `json:"drop_lines,omitempty" doc:"Indexes (from 0) of lines to leave out"`
			}
		}) (*One[domain.Allocation], error) {
			al, err := s.Supply.Commit(ctx, user(ctx), in.ID, in.Body.Version, in.Body.DropLines)
			if err != nil {
				return nil, err
			}
			return one(al, al.Version), nil
		})
}
