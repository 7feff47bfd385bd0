package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"aidbridge/internal/domain"
)

// PersonBody is what a client sends to create or change a person.
type PersonBody struct {
	OrganizationID string      `json:"organization_id" minLength:"1"`
	DepartmentID   string      `json:"department_id,omitempty"`
	UserID         string      `json:"user_id,omitempty" doc:"The person's own user account; set by a site administrator"`
	Name           string      `json:"name" minLength:"1" limit:"name"`
	Title          string      `json:"title,omitempty" limit:"short"`
	Specialty      string      `json:"specialty,omitempty" limit:"short"`
	Languages      []string    `json:"languages,omitempty" doc:"BCP 47 tags such as zh-CN, en, fr" limit:"languages"`
	BirthDate      domain.Date `json:"birth_date,omitzero" format:"date" doc:"Personal data"`
	Email          string      `json:"email,omitempty" limit:"email" doc:"Personal data"`
	Phone          string      `json:"phone,omitempty" limit:"phone" doc:"Personal data"`
	Version        int64       `json:"version,omitempty" minimum:"1" doc:"On update: the version you read (or send If-Match)"`
}

func (b *PersonBody) person() domain.Person {
	return domain.Person{OrganizationID: b.OrganizationID, DepartmentID: b.DepartmentID, UserID: b.UserID, Name: b.Name,
		Title: b.Title, Specialty: b.Specialty, Languages: b.Languages, BirthDate: b.BirthDate, Email: b.Email, Phone: b.Phone}
}

func (s *Server) registerPeople(a huma.API) {
	tags := []string{"Directory"}
	huma.Register(a, huma.Operation{OperationID: "list-people", Method: http.MethodGet, Path: "/api/v1/people",
		Summary: "List people", Description: "Birth date, email and phone are left out unless you may see them.", Tags: tags},
		func(ctx context.Context, in *struct {
			ListInput
			OrganizationID string `query:"organization_id"`
			DepartmentID   string `query:"department_id"`
			Specialty      string `query:"specialty"`
		}) (*Page[domain.Person], error) {
			list, next, err := s.dir.ListPeople(ctx, user(ctx), domain.PersonFilter{Query: in.Q, OrganizationID: in.OrganizationID,
				DepartmentID: in.DepartmentID, Specialty: in.Specialty, Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			return page(list, next), nil
		})

	huma.Register(a, huma.Operation{OperationID: "get-person", Method: http.MethodGet, Path: "/api/v1/people/{id}",
		Summary: "Get a person", Tags: tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
		}) (*One[domain.Person], error) {
			p, err := s.dir.Person(ctx, user(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return one(p, p.Version), nil
		})

	huma.Register(a, huma.Operation{OperationID: "create-person", Method: http.MethodPost, Path: "/api/v1/people",
		Summary: "Add a person", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct{ Body PersonBody }) (*One[domain.Person], error) {
			p := in.Body.person()
			if err := s.dir.CreatePerson(ctx, user(ctx), &p); err != nil {
				return nil, err
			}
			return one(p, p.Version), nil
		})

	huma.Register(a, huma.Operation{OperationID: "update-person", Method: http.MethodPut, Path: "/api/v1/people/{id}",
		Summary: "Change a person", Description: "Personal fields you may not see keep their stored values.", Tags: tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
			VersionInput
			Body PersonBody
		}) (*One[domain.Person], error) {
			v, err := versionOf(in.Body.Version, in.IfMatch)
			if err != nil {
				return nil, err
			}
			p := in.Body.person()
			p.ID, p.Version = in.ID, v
			if err := s.dir.UpdatePerson(ctx, user(ctx), &p); err != nil {
				return nil, err
			}
			return one(p, p.Version), nil
		})

	huma.Register(a, huma.Operation{OperationID: "delete-person", Method: http.MethodDelete, Path: "/api/v1/people/{id}",
		Summary: "Delete a person", Tags: tags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
			VersionInput
			Version int64 `query:"version"`
		}) (*NoContent, error) {
			v, err := versionOf(in.Version, in.IfMatch)
			if err != nil {
				return nil, err
			}
			return &NoContent{}, s.dir.DeletePerson(ctx, user(ctx), in.ID, v)
		})
}
