package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"aidbridge/internal/domain"
)

func (s *Server) registerReports(a huma.API) {
	tags := []string{"Reports"}
	huma.Register(a, huma.Operation{OperationID: "report-partnership", Method: http.MethodGet, Path: "/api/v1/reports/partnerships/{id}",
		Summary: "Report on a partnership",
		Description: "What the partnership left behind and what it took, counted from the records: outcomes by kind and novelty, " +
			"research projects by the organization that holds them, papers of the team and of local doctors, teams and person-times, " +
			"and commitments against delivery per currency. The same figures as the report page.", Tags: tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
		}) (*One[domain.PartnershipReport], error) {
			r, err := s.Reports.Partnership(ctx, user(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return unversioned(r), nil
		})
	huma.Register(a, huma.Operation{OperationID: "report-program", Method: http.MethodGet, Path: "/api/v1/reports/programs/{id}",
		Summary: "Report on a program", Description: "The partnership report's figures summed over the program's partnerships, with teams per year.", Tags: tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
		}) (*One[domain.ProgramReport], error) {
			r, err := s.Reports.Program(ctx, user(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return unversioned(r), nil
		})
}
