package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"aidbridge/internal/domain"
)

// OrganizationBody is what a client sends to create or change an organization.
type OrganizationBody struct {
	Name                string                        `json:"name" minLength:"1" limit:"name"`
	Kind                oneOf[orgKinds]               `json:"kind"`
	Country             string                        `json:"country" pattern:"^[A-Z]{2}$" doc:"ISO 3166-1 alpha-2"`
	Subdivision         string                        `json:"subdivision,omitempty" doc:"ISO 3166-2, such as CN-YN"`
	City                string                        `json:"city,omitempty" limit:"short"`
	ParentID            string                        `json:"parent_id,omitempty"`
	ParentRelation      oneOfOrEmpty[parentRelations] `json:"parent_relation,omitempty"`
	BedsTotal           *int64                        `json:"beds_total,omitempty" minimum:"0"`
	BedsInService       *int64                        `json:"beds_in_service,omitempty" minimum:"0"`
	ClinicalDepartments *int64                        `json:"clinical_departments,omitempty" minimum:"0"`
	Website             string                        `json:"website,omitempty" limit:"website"`
	Latitude            *float64                      `json:"latitude,omitempty" minimum:"-90" maximum:"90" doc:"WGS 84 degrees, for distances between organizations"`
	Longitude           *float64                      `json:"longitude,omitempty" minimum:"-180" maximum:"180"`
	Accreditations      []domain.Accreditation        `json:"accreditations,omitempty" limit:"accreditations"`
	Versioned
}

func (b OrganizationBody) record() domain.Organization {
	return domain.Organization{Name: b.Name, Kind: domain.OrgKind(b.Kind), Country: b.Country, Subdivision: b.Subdivision,
		City: b.City, ParentID: b.ParentID, ParentRelation: string(b.ParentRelation), BedsTotal: b.BedsTotal, BedsInService: b.BedsInService,
		ClinicalDepartments: b.ClinicalDepartments, Website: b.Website, Latitude: b.Latitude, Longitude: b.Longitude,
		Accreditations: b.Accreditations}
}

// OrganizationDetail is an organization with its departments.
type OrganizationDetail struct {
	domain.Organization
	Departments []domain.Department `json:"departments"`
}

func (s *Server) registerOrganizations(a huma.API) {
	tags := []string{"Directory"}
	huma.Register(a, huma.Operation{OperationID: "list-organizations", Method: http.MethodGet, Path: "/api/v1/organizations",
		Summary: "List organizations", Tags: tags},
		func(ctx context.Context, in *struct {
			ListInput
			Kind     oneOfOrEmpty[orgKinds] `query:"kind"`
			Country  string                 `query:"country" doc:"ISO 3166-1 alpha-2"`
			ParentID string                 `query:"parent_id"`
		}) (*Page[domain.Organization], error) {
			list, next, err := s.Dir.ListOrganizations(ctx, user(ctx), domain.OrganizationFilter{Query: in.Q, Kind: string(in.Kind),
				Country: in.Country, ParentID: in.ParentID, Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			for i := range list {
				list[i].Accreditations = nil
			}
			return page(list, next), nil
		})

	huma.Register(a, huma.Operation{OperationID: "get-organization", Method: http.MethodGet, Path: "/api/v1/organizations/{id}",
		Summary: "Get an organization", Tags: tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
		}) (*One[OrganizationDetail], error) {
			o, deps, err := s.Dir.OrganizationDetail(ctx, user(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return one(OrganizationDetail{o, deps}, o.Version), nil
		})

	registerRecords(a, records[domain.Organization, OrganizationBody]{name: "organization", plural: "organizations",
		title: "an organization", tags: tags,
		updateDoc: "Replaces the organization's fields. Send the version you read; a stale one gets 409.",
		deleteDoc: "Refused with 409 while departments, people, members or other organizations depend on it.",
		meta:      func(o *domain.Organization) (*string, *int64) { return &o.ID, &o.Version },
		create:    s.Dir.CreateOrganization,
		update:    s.Dir.UpdateOrganization,
		delete:    s.Dir.DeleteOrganization,
	})

	huma.Register(a, huma.Operation{OperationID: "create-department", Method: http.MethodPost, Path: "/api/v1/organizations/{id}/departments",
		Summary: "Add a department to an organization", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct {
			ID   string `path:"id"`
			Body struct {
				Name string `json:"name" minLength:"1" limit:"name"`
			}
		}) (*One[domain.Department], error) {
			d := domain.Department{OrganizationID: in.ID, Name: in.Body.Name}
			if err := s.Dir.CreateDepartment(ctx, user(ctx), &d); err != nil {
				return nil, err
			}
			return one(d, d.Version), nil
		})

	huma.Register(a, huma.Operation{OperationID: "delete-department", Method: http.MethodDelete, Path: "/api/v1/departments/{id}",
		Summary: "Delete a department", Description: "Refused with 409 while people or screeners belong to it.", Tags: tags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
		}) (*NoContent, error) {
			_, err := s.Dir.DeleteDepartment(ctx, user(ctx), in.ID)
			return &NoContent{}, err
		})
}
