package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"aidbridge/internal/domain"
)

// CountryList is the countries that have organizations in the directory.
type CountryList struct {
	Body struct {
		Countries []domain.CountryRecords `json:"countries"`
	}
}

func (s *Server) registerGeoReports(a huma.API) {
	tags := []string{"Reports"}
	huma.Register(a, huma.Operation{OperationID: "report-organization", Method: http.MethodGet, Path: "/api/v1/reports/organizations/{id}",
		Summary: "Profile of an organization",
		Description: "Beds, departments, the dated accreditations and designations with the accreditation milestones of partnerships it received, " +
			"its partner institutions (organizations it shares an active partnership with) and their countries, its joint laboratories " +
			"(active partnerships of programs of kind joint_institution it takes part in), and the teams, supplies and contributions it sent " +
			"and received, with the countries at the other end. Amounts are per currency, never added across currencies. " +
			"The same figures as the profile page.", Tags: tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
		}) (*One[domain.OrganizationReport], error) {
			r, err := s.Reports.Organization(ctx, user(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return unversioned(r), nil
		})
	huma.Register(a, huma.Operation{OperationID: "report-countries", Method: http.MethodGet, Path: "/api/v1/reports/countries",
		Summary: "Countries with records", Description: "The countries of the directory's organizations, each with how many there are.", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*CountryList, error) {
			list, err := s.Reports.Countries(ctx, user(ctx))
			if err != nil {
				return nil, err
			}
			out := &CountryList{}
			out.Body.Countries = list
			if out.Body.Countries == nil {
				out.Body.Countries = []domain.CountryRecords{}
			}
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "report-country", Method: http.MethodGet, Path: "/api/v1/reports/countries/{code}",
		Summary: "Report on a country",
		Description: "The teams, supplies and contributions sent from and to the organizations of the country, by counterpart country " +
			"and as flows from sender country to recipient country. A record between two organizations of the country counts as both " +
			"sent and received. The same figures as the country report page.", Tags: tags},
		func(ctx context.Context, in *struct {
			Code string `path:"code" pattern:"^[A-Z]{2}$" doc:"ISO 3166-1 alpha-2, such as MA"`
		}) (*One[domain.CountryReport], error) {
			r, err := s.Reports.Country(ctx, user(ctx), in.Code)
			if err != nil {
				return nil, err
			}
			return unversioned(r), nil
		})
}
