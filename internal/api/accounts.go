package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"aidbridge/internal/domain"
)

func (s *Server) registerAccounts(a huma.API) {
	tags := []string{"Accounts"}
	huma.Register(a, huma.Operation{OperationID: "get-me", Method: http.MethodGet, Path: "/api/v1/me",
		Summary: "The signed-in user and their memberships", Tags: tags},
		func(ctx context.Context, in *struct{}) (*One[domain.User], error) {
			u := user(ctx)
			if u == nil {
				return nil, domain.Errorf(domain.EUNAUTHORIZED, "sign in first: send Authorization: Bearer TOKEN")
			}
			return one(*u, u.Version), nil
		})

	huma.Register(a, huma.Operation{OperationID: "change-password", Method: http.MethodPost, Path: "/api/v1/account/password",
		Summary: "Change one's password", Description: "Every session of the account ends; API tokens stay valid. A wrong current password counts against the login limits.",
		Tags: tags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *struct {
			Body struct {
				CurrentPassword string `json:"current_password" limit:"secret"`
				NewPassword     string `json:"new_password" limit:"secret" doc:"At least 10 characters"`
			}
		}) (*NoContent, error) {
			u := user(ctx)
			if u == nil {
				return nil, domain.Fail(domain.EUNAUTHORIZED, domain.MsgSignIn)
			}
			return &NoContent{}, s.Accounts.ChangePassword(ctx, u, in.Body.CurrentPassword, in.Body.NewPassword, "", clientAddress(ctx))
		})

	huma.Register(a, huma.Operation{OperationID: "end-sessions", Method: http.MethodPost, Path: "/api/v1/account/sessions/end",
		Summary: "Log out everywhere", Description: "Ends every browser session of the account; API tokens stay valid (revoke them one by one).", Tags: tags},
		func(ctx context.Context, in *struct{}) (*struct {
			Body struct {
				Ended int64 `json:"ended" doc:"How many sessions ended"`
			}
		}, error) {
			u := user(ctx)
			if u == nil {
				return nil, domain.Fail(domain.EUNAUTHORIZED, domain.MsgSignIn)
			}
			n, err := s.Accounts.LogoutEverywhere(ctx, u, "")
			out := &struct {
				Body struct {
					Ended int64 `json:"ended" doc:"How many sessions ended"`
				}
			}{}
			out.Body.Ended = n
			return out, err
		})

	huma.Register(a, huma.Operation{OperationID: "create-user", Method: http.MethodPost, Path: "/api/v1/users",
		Summary: "Create a user", Description: "An organization's admin may create users with memberships in it; a site administrator anyone.",
		Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct {
			Body struct {
				Email       string              `json:"email" format:"email" limit:"email"`
				Name        string              `json:"name" minLength:"1" limit:"name"`
				Password    string              `json:"password" limit:"password"`
				SiteAdmin   bool                `json:"site_admin,omitempty"`
				Memberships []domain.Membership `json:"memberships,omitempty"`
			}
		}) (*One[domain.User], error) {
			u := domain.User{Email: in.Body.Email, Name: in.Body.Name, SiteAdmin: in.Body.SiteAdmin, Memberships: in.Body.Memberships}
			if user(ctx) == nil {
				return nil, domain.Errorf(domain.EUNAUTHORIZED, "sign in first")
			}
			if err := s.Accounts.CreateUser(ctx, user(ctx), &u, in.Body.Password); err != nil {
				return nil, err
			}
			return one(u, u.Version), nil
		})

	huma.Register(a, huma.Operation{OperationID: "list-tokens", Method: http.MethodGet, Path: "/api/v1/tokens",
		Summary: "Your API tokens", Tags: tags},
		func(ctx context.Context, in *struct{}) (*Page[domain.APIToken], error) {
			u := user(ctx)
			if u == nil {
				return nil, domain.Errorf(domain.EUNAUTHORIZED, "sign in first")
			}
			list, err := s.Accounts.ListTokens(ctx, u, u.ID)
			if err != nil {
				return nil, err
			}
			return page(list, ""), nil
		})

	type created struct {
		domain.APIToken
		Token string `json:"token" doc:"The secret, shown only now"`
	}
	huma.Register(a, huma.Operation{OperationID: "create-token", Method: http.MethodPost, Path: "/api/v1/tokens",
		Summary: "Create an API token", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct {
			Body struct {
				Name string `json:"name" minLength:"1" limit:"token_name" doc:"What the token is for"`
			}
		}) (*One[created], error) {
			u := user(ctx)
			if u == nil {
				return nil, domain.Errorf(domain.EUNAUTHORIZED, "sign in first")
			}
			t, secret, err := s.Accounts.CreateToken(ctx, u, u.ID, in.Body.Name)
			if err != nil {
				return nil, err
			}
			return unversioned(created{t, secret}), nil
		})

	huma.Register(a, huma.Operation{OperationID: "revoke-token", Method: http.MethodDelete, Path: "/api/v1/tokens/{id}",
		Summary: "Revoke one of your API tokens", Tags: tags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
		}) (*NoContent, error) {
			u := user(ctx)
			if u == nil {
				return nil, domain.Errorf(domain.EUNAUTHORIZED, "sign in first")
			}
			return &NoContent{}, s.Accounts.RevokeToken(ctx, u, u.ID, in.ID)
		})
}

func (s *Server) registerAudit(a huma.API) {
	huma.Register(a, huma.Operation{OperationID: "list-audit", Method: http.MethodGet, Path: "/api/v1/audit",
		Summary: "The history of changes", Description: "Name a record (entity_type and entity_id) or an organization; newest first.",
		Tags: []string{"Audit"}},
		func(ctx context.Context, in *struct {
			EntityType     oneOfOrEmpty[auditEntityTypes] `query:"entity_type"`
			EntityID       string                         `query:"entity_id"`
			OrganizationID string                         `query:"organization_id"`
			Before         int64                          `query:"before" minimum:"0" doc:"The next_cursor of the previous page"`
			Limit          int                            `query:"limit" minimum:"1" default:"50" doc:"Entries per page, at most 200"`
		}) (*Page[domain.AuditEntry], error) {
			entries, next, err := s.Dir.History(ctx, user(ctx), domain.AuditFilter{EntityType: string(in.EntityType), EntityID: in.EntityID,
				OrganizationID: in.OrganizationID, BeforeID: in.Before, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			cursor := ""
			if next > 0 {
				cursor = itoa64(next)
			}
			return page(entries, cursor), nil
		})
}

func (s *Server) registerMembers(a huma.API) {
	tags := []string{"Accounts"}
	huma.Register(a, huma.Operation{OperationID: "list-members", Method: http.MethodGet, Path: "/api/v1/organizations/{id}/members",
		Summary: "The members of an organization and their roles", Tags: tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
		}) (*Page[domain.Member], error) {
			list, err := s.Accounts.Members(ctx, user(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return page(list, ""), nil
		})

	huma.Register(a, huma.Operation{OperationID: "add-member", Method: http.MethodPost, Path: "/api/v1/organizations/{id}/members",
		Summary: "Give an existing user a role in the organization", Description: "Answers with the members after the change.", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct {
			ID   string `path:"id"`
			Body struct {
				Email        string       `json:"email" format:"email"`
				Role         oneOf[roles] `json:"role"`
				DepartmentID string       `json:"department_id,omitempty" doc:"For a screener: the department screened"`
			}
		}) (*Page[domain.Member], error) {
			m := domain.Membership{OrganizationID: in.ID, Role: domain.Role(in.Body.Role), DepartmentID: in.Body.DepartmentID}
			if err := s.Accounts.AddMember(ctx, user(ctx), in.Body.Email, m); err != nil {
				return nil, err
			}
			list, err := s.Accounts.Members(ctx, user(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return page(list, ""), nil
		})

	huma.Register(a, huma.Operation{OperationID: "remove-member", Method: http.MethodDelete, Path: "/api/v1/organizations/{id}/members/{user_id}",
		Summary: "Take a role in the organization away from a user", Tags: tags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *struct {
			ID           string       `path:"id"`
			UserID       string       `path:"user_id"`
			Role         oneOf[roles] `query:"role" required:"true"`
			DepartmentID string       `query:"department_id"`
		}) (*NoContent, error) {
			m := domain.Membership{OrganizationID: in.ID, Role: domain.Role(in.Role), DepartmentID: in.DepartmentID}
			return &NoContent{}, s.Accounts.RemoveMember(ctx, user(ctx), in.UserID, m)
		})
}

// clientAddress returns the address a request came from, for the login
// limits.
func clientAddress(ctx context.Context) string {
	if a, ok := ctx.Value(addressKey).(string); ok {
		return a
	}
	return ""
}
