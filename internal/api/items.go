package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"aidbridge/internal/domain"
)

// ItemBody is what a client sends to create or change a catalog item.
type ItemBody struct {
	Code     string `json:"code" minLength:"1" maxLength:"64"`
	Name     string `json:"name" minLength:"1" limit:"name"`
	Category string `json:"category" enum:"ppe,diagnostics,medicine,equipment,tcm,other"`
	Unit     string `json:"unit" minLength:"1" limit:"unit" doc:"What quantities count: piece, kit, box, ..."`
	Version  int64  `json:"version,omitempty" minimum:"1" doc:"On update: the version you read (or send If-Match)"`
}

func (b *ItemBody) item() domain.Item {
	return domain.Item{Code: b.Code, Name: b.Name, Category: domain.ItemCategory(b.Category), Unit: b.Unit}
}

func (s *Server) registerItems(a huma.API) {
	tags := []string{"Directory"}
	huma.Register(a, huma.Operation{OperationID: "list-items", Method: http.MethodGet, Path: "/api/v1/items",
		Summary: "List catalog items", Tags: tags},
		func(ctx context.Context, in *struct {
			ListInput
			Category string `query:"category" enum:"ppe,diagnostics,medicine,equipment,tcm,other,"`
		}) (*Page[domain.Item], error) {
			list, next, err := s.dir.ListItems(ctx, user(ctx), domain.ItemFilter{Query: in.Q, Category: in.Category, Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			return page(list, next), nil
		})

	huma.Register(a, huma.Operation{OperationID: "get-item", Method: http.MethodGet, Path: "/api/v1/items/{id}",
		Summary: "Get a catalog item", Tags: tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
		}) (*One[domain.Item], error) {
			it, err := s.dir.Item(ctx, user(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return one(it, it.Version), nil
		})

	huma.Register(a, huma.Operation{OperationID: "create-item", Method: http.MethodPost, Path: "/api/v1/items",
		Summary: "Add a catalog item", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct{ Body ItemBody }) (*One[domain.Item], error) {
			it := in.Body.item()
			if err := s.dir.CreateItem(ctx, user(ctx), &it); err != nil {
				return nil, err
			}
			return one(it, it.Version), nil
		})

	huma.Register(a, huma.Operation{OperationID: "update-item", Method: http.MethodPut, Path: "/api/v1/items/{id}",
		Summary: "Change a catalog item", Tags: tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
			VersionInput
			Body ItemBody
		}) (*One[domain.Item], error) {
			v, err := versionOf(in.Body.Version, in.IfMatch)
			if err != nil {
				return nil, err
			}
			it := in.Body.item()
			it.ID, it.Version = in.ID, v
			if err := s.dir.UpdateItem(ctx, user(ctx), &it); err != nil {
				return nil, err
			}
			return one(it, it.Version), nil
		})

	huma.Register(a, huma.Operation{OperationID: "delete-item", Method: http.MethodDelete, Path: "/api/v1/items/{id}",
		Summary: "Delete a catalog item", Tags: tags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
			VersionInput
			Version int64 `query:"version"`
		}) (*NoContent, error) {
			v, err := versionOf(in.Version, in.IfMatch)
			if err != nil {
				return nil, err
			}
			return &NoContent{}, s.dir.DeleteItem(ctx, user(ctx), in.ID, v)
		})
}
