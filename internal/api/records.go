package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"aidbridge/internal/domain"
)

// body is a request body that turns into a record of type T and carries
// the version the client read, for updates.
type body[T any] interface {
	record() T
	readVersion() int64
}

// Versioned is the part of a request body that names the version a change
// was read at.
type Versioned struct {
	Version int64 `json:"version,omitempty" minimum:"1" doc:"On update: the version you read (or send If-Match); a stale one gets 409"`
}

func (v Versioned) readVersion() int64 { return v.Version }

// records describes the operations every kind of record shares: get,
// create, change and delete at /api/v1/{plural} and /api/v1/{plural}/{id}.
// A kind says what differs; the operations are written once, here. Lists
// differ by their filters and stay the kind's own.
type records[T any, B body[T]] struct {
	name, plural string // "item", "items": operation ids get-item, ...; path /api/v1/items
	title        string // "a catalog item", for the summaries
	tags         []string
	// descriptions of the update and delete operations, where there is more
	// to say than their summary.
	updateDoc, deleteDoc string

	meta   func(*T) (id *string, version *int64)
	get    func(ctx context.Context, u *domain.User, id string) (T, error) // nil when the kind answers its own get
	create func(ctx context.Context, u *domain.User, rec *T) error
	update func(ctx context.Context, u *domain.User, rec *T) error
	delete func(ctx context.Context, u *domain.User, id string, version int64) error
}

// registerRecords adds the kind's get, create, update and delete
// operations to a.
func registerRecords[T any, B body[T]](a huma.API, k records[T, B]) {
	path := "/api/v1/" + k.plural
	answer := func(rec T) *One[T] {
		_, v := k.meta(&rec)
		return one(rec, *v)
	}
	if k.get != nil {
		huma.Register(a, huma.Operation{OperationID: "get-" + k.name, Method: http.MethodGet, Path: path + "/{id}",
			Summary: "Get " + k.title, Tags: k.tags},
			func(ctx context.Context, in *struct {
				ID string `path:"id"`
			}) (*One[T], error) {
				rec, err := k.get(ctx, user(ctx), in.ID)
				if err != nil {
					return nil, err
				}
				return answer(rec), nil
			})
	}
	huma.Register(a, huma.Operation{OperationID: "create-" + k.name, Method: http.MethodPost, Path: path,
		Summary: "Add " + k.title, Tags: k.tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct{ Body B }) (*One[T], error) {
			rec := in.Body.record()
			if err := k.create(ctx, user(ctx), &rec); err != nil {
				return nil, err
			}
			return answer(rec), nil
		})
	huma.Register(a, huma.Operation{OperationID: "update-" + k.name, Method: http.MethodPut, Path: path + "/{id}",
		Summary: "Change " + k.title, Description: k.updateDoc, Tags: k.tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
			VersionInput
			Body B
		}) (*One[T], error) {
			v, err := versionOf(in.Body.readVersion(), in.IfMatch)
			if err != nil {
				return nil, err
			}
			rec := in.Body.record()
			id, version := k.meta(&rec)
			*id, *version = in.ID, v
			if err := k.update(ctx, user(ctx), &rec); err != nil {
				return nil, err
			}
			return answer(rec), nil
		})
	huma.Register(a, huma.Operation{OperationID: "delete-" + k.name, Method: http.MethodDelete, Path: path + "/{id}",
		Summary: "Delete " + k.title, Description: k.deleteDoc, Tags: k.tags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
			VersionInput
			Version int64 `query:"version" doc:"The version you read (or send If-Match)"`
		}) (*NoContent, error) {
			v, err := versionOf(in.Version, in.IfMatch)
			if err != nil {
				return nil, err
			}
			return &NoContent{}, k.delete(ctx, user(ctx), in.ID, v)
		})
}
