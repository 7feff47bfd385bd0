package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"aidbridge/internal/domain"
)

// PersonBody is what a client sends to create or change a person.
type PersonBody struct {
	OrganizationID string                   `json:"organization_id" minLength:"1"`
	DepartmentID   string                   `json:"department_id,omitempty"`
	UserID         string                   `json:"user_id,omitempty" doc:"The person's own user account; set by a site administrator"`
	Name           string                   `json:"name" minLength:"1" limit:"name"`
	Title          string                   `json:"title,omitempty" limit:"short"`
	TitleRank      oneOfOrEmpty[titleRanks] `json:"title_rank,omitempty" doc:"The rank of the title, which places on a team may ask for"`
	Specialty      string                   `json:"specialty,omitempty" limit:"short"`
	Languages      []string                 `json:"languages,omitempty" doc:"BCP 47 tags such as zh-CN, en, fr" limit:"languages"`
	BirthDate      domain.Date              `json:"birth_date,omitzero" format:"date" doc:"Personal data"`
	Email          string                   `json:"email,omitempty" limit:"email" doc:"Personal data"`
	Phone          string                   `json:"phone,omitempty" limit:"phone" doc:"Personal data"`
	Versioned
}

func (b PersonBody) record() domain.Person {
	return domain.Person{OrganizationID: b.OrganizationID, DepartmentID: b.DepartmentID, UserID: b.UserID, Name: b.Name,
		Title: b.Title, TitleRank: domain.TitleRank(b.TitleRank), Specialty: b.Specialty, Languages: b.Languages, BirthDate: b.BirthDate, Email: b.Email, Phone: b.Phone}
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
			list, next, err := s.Dir.ListPeople(ctx, user(ctx), domain.PersonFilter{Query: in.Q, OrganizationID: in.OrganizationID,
				DepartmentID: in.DepartmentID, Specialty: in.Specialty, Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			return page(list, next), nil
		})

	registerRecords(a, records[domain.Person, PersonBody]{name: "person", plural: "people", title: "a person", tags: tags,
		updateDoc: "Personal fields you may not see keep their stored values.",
		meta:      func(p *domain.Person) (*string, *int64) { return &p.ID, &p.Version },
		get:       s.Dir.Person,
		create:    s.Dir.CreatePerson,
		update:    s.Dir.UpdatePerson,
		delete:    s.Dir.DeletePerson,
	})
}
