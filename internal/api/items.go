package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"aidbridge/internal/domain"
)

// ItemBody is what a client sends to create or change a catalog item.
type ItemBody struct {
	Code     string                `json:"code" minLength:"1" limit:"item_code"`
	Name     string                `json:"name" minLength:"1" limit:"name"`
	Category oneOf[itemCategories] `json:"category"`
	Unit     string                `json:"unit" minLength:"1" limit:"unit" doc:"What quantities count: piece, kit, box, ..."`
	Versioned
}

func (b ItemBody) record() domain.Item {
	return domain.Item{Code: b.Code, Name: b.Name, Category: domain.ItemCategory(b.Category), Unit: b.Unit}
}

func (s *Server) registerItems(a huma.API) {
	tags := []string{"Directory"}
	huma.Register(a, huma.Operation{OperationID: "list-items", Method: http.MethodGet, Path: "/api/v1/items",
		Summary: "List catalog items", Tags: tags},
		func(ctx context.Context, in *struct {
			ListInput
			Category oneOfOrEmpty[itemCategories] `query:"category"`
		}) (*Page[domain.Item], error) {
			list, next, err := s.Dir.ListItems(ctx, user(ctx), domain.ItemFilter{Query: in.Q, Category: string(in.Category), Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			return page(list, next), nil
		})

	registerRecords(a, records[domain.Item, ItemBody]{name: "item", plural: "items", title: "a catalog item", tags: tags,
		meta:   func(it *domain.Item) (*string, *int64) { return &it.ID, &it.Version },
		get:    s.Dir.Item,
		create: s.Dir.CreateItem,
		update: s.Dir.UpdateItem,
		delete: s.Dir.DeleteItem,
	})
}
