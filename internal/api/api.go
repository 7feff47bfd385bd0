// Package api is the JSON API under /api/v1, described by the OpenAPI 3.1
// document at /api/openapi.json. Scripts authenticate with bearer tokens;
// every operation goes through the directory or account services, which ask
// the access policy.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"aidbridge/internal/account"
	"aidbridge/internal/directory"
	"aidbridge/internal/domain"
	"aidbridge/internal/supply"
)

// Version is the version of the API document.
const Version = "1.0.0"

// Server holds what the API's handlers need.
type Server struct {
	dir      *directory.Service
	accounts *account.Service
	supply   *supply.Service
	log      *slog.Logger
}

type ctxKey int

const userKey ctxKey = 0

// statusOf maps each error code to its HTTP status; this table is the only
// place where the two meet.
var statusOf = map[string]int{
	domain.EINVALID:      http.StatusUnprocessableEntity,
	domain.ENOTFOUND:     http.StatusNotFound,
	domain.ECONFLICT:     http.StatusConflict,
	domain.EFORBIDDEN:    http.StatusForbidden,
	domain.EUNAUTHORIZED: http.StatusUnauthorized,
	domain.ETOOMANY:      http.StatusTooManyRequests,
	domain.EINTERNAL:     http.StatusInternalServerError,
}

// StatusOf returns the HTTP status for err's code.
func StatusOf(err error) int {
	if s, ok := statusOf[domain.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Register adds the API's operations to mux and returns the huma API, whose
// OpenAPI document the caller may serve or inspect.
func Register(mux *http.ServeMux, dir *directory.Service, accounts *account.Service, sup *supply.Service, log *slog.Logger) huma.API {
	cfg := huma.DefaultConfig("aidbridge API", Version)
	cfg.Info.Description = "Medical aid between institutions: the directory of organizations, people and items; needs, pledges, shipments, receipts and stock. " +
		"Authenticate with `Authorization: Bearer TOKEN` (create one with `aidbridge token create --email E` or on your account page). " +
		"Errors are RFC 9457 problem+json documents naming the fields at fault."
	cfg.DocsPath = ""
	cfg.OpenAPIPath = "/api/openapi"
	cfg.SchemasPath = "/api/schemas"
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "An API token, starting with abk_"},
	}
	cfg.Security = []map[string][]string{{"bearer": {}}}
	cfg.Components.Schemas.RegisterTypeAlias(reflect.TypeFor[domain.Date](), reflect.TypeFor[dateSchema]())
	cfg.Components.Schemas.RegisterTypeAlias(reflect.TypeFor[domain.Money](), reflect.TypeFor[Money]())
	a := humago.New(mux, cfg)
	s := &Server{dir: dir, accounts: accounts, supply: sup, log: log}
	a.UseMiddleware(s.authenticate(a))
	huma.NewErrorWithContext = s.newError
	s.registerOrganizations(a)
	s.registerPeople(a)
	s.registerItems(a)
	s.registerAccounts(a)
	s.registerMembers(a)
	s.registerSupply(a)
	s.registerAllocations(a)
	s.registerAudit(a)
	registerDocs(mux, a)
	return a
}

// authenticate puts the user of the bearer token, if any, in the context.
// Operations that need a user are refused by the access policy without one.
func (s *Server) authenticate(a huma.API) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		h := ctx.Header("Authorization")
		if h == "" {
			next(ctx)
			return
		}
		scheme, token, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "bearer") || token == "" {
			huma.WriteErr(a, ctx, http.StatusUnauthorized, "the Authorization header must be \"Bearer TOKEN\"")
			return
		}
		u, err := s.accounts.TokenUser(ctx.Context(), strings.TrimSpace(token))
		if err != nil {
			se := s.newError(ctx, StatusOf(err), "", err)
			huma.WriteErr(a, ctx, se.GetStatus(), se.Error())
			return
		}
		next(huma.WithValue(ctx, userKey, &u))
	}
}

// user returns the signed-in user of ctx, or nil.
func user(ctx context.Context) *domain.User {
	u, _ := ctx.Value(userKey).(*domain.User)
	return u
}

// newError turns the errors of handlers into problem+json: our errors keep
// their code's status, message and fields; any other error is logged once
// and answered with a plain 500.
func (s *Server) newError(ctx huma.Context, status int, msg string, errs ...error) huma.StatusError {
	for _, err := range errs {
		var de *domain.Error
		if err == nil || !errors.As(err, &de) {
			continue
		}
		m := &huma.ErrorModel{Status: StatusOf(de), Title: http.StatusText(StatusOf(de)), Detail: de.Message}
		for _, f := range de.Fields {
			m.Errors = append(m.Errors, &huma.ErrorDetail{Message: f.Message, Location: "body." + f.Field})
		}
		if de.Code == domain.EINTERNAL {
			s.log.Error("internal error", "err", err)
			m.Detail = "internal error"
		}
		return m
	}
	if status >= 500 {
		attrs := []any{"status", status, "msg", msg}
		if ctx != nil {
			attrs = append(attrs, "method", ctx.Method(), "path", ctx.URL().Path)
		}
		for _, err := range errs {
			if err != nil {
				attrs = append(attrs, "err", err)
			}
		}
		s.log.Error("internal error", attrs...)
		return &huma.ErrorModel{Status: status, Title: http.StatusText(status), Detail: "internal error: the server log has the details"}
	}
	details := make([]*huma.ErrorDetail, 0, len(errs))
	for _, err := range errs {
		if err == nil {
			continue
		}
		if d, ok := err.(huma.ErrorDetailer); ok {
			details = append(details, d.ErrorDetail())
		} else {
			details = append(details, &huma.ErrorDetail{Message: err.Error()})
		}
	}
	return &huma.ErrorModel{Status: status, Title: http.StatusText(status), Detail: msg, Errors: details}
}

// VersionInput is the version a write expects to find, from the If-Match
// header or the version query parameter.
type VersionInput struct {
	IfMatch string `header:"If-Match" doc:"The version of the record you read, as returned in its version field or ETag"`
}

// versionOf returns the expected version: the body's when given, else the
// If-Match header's. EINVALID when neither is given.
func versionOf(body int64, ifMatch string) (int64, error) {
	if body > 0 {
		return body, nil
	}
	if v := strings.Trim(strings.TrimPrefix(ifMatch, "W/"), `"`); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err == nil && n > 0 {
			return n, nil
		}
		return 0, &domain.Error{Code: domain.EINVALID, Message: "invalid If-Match header",
			Fields: []domain.FieldError{{Field: "version", Message: "If-Match must hold the record's version, such as \"3\""}}}
	}
	return 0, &domain.Error{Code: domain.EINVALID, Message: "the version you read is required",
		Fields: []domain.FieldError{{Field: "version", Message: "is required: send the version you read, in the body or as If-Match, so that a concurrent change is not overwritten"}}}
}

// Page is how lists answer: the items of one page and the cursor of the next.
type Page[T any] struct {
	Body struct {
		Items      []T    `json:"items"`
		NextCursor string `json:"next_cursor,omitempty" doc:"Pass as cursor to get the next page; absent on the last page"`
	}
}

func page[T any](items []T, next string) *Page[T] {
	p := &Page[T]{}
	if items == nil {
		items = []T{}
	}
	p.Body.Items, p.Body.NextCursor = items, next
	return p
}

// ListInput is what every list takes.
type ListInput struct {
	Q      string `query:"q" maxLength:"200" doc:"Part of the name, any case"`
	Cursor string `query:"cursor" doc:"The next_cursor of the previous page"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50" doc:"Items per page, at most 200"`
}

// One wraps a single record in a response, with its version as ETag.
type One[T any] struct {
	ETag string `header:"ETag"`
	Body T
}

func one[T any](v T, version int64) *One[T] {
	return &One[T]{ETag: `"` + strconv.FormatInt(version, 10) + `"`, Body: v}
}

// NoContent answers a successful delete.
type NoContent struct{}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// dateSchema describes domain.Date in the OpenAPI document: a string of the
// form YYYY-MM-DD.
type dateSchema string

// Schema returns the schema of a calendar date.
func (dateSchema) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Format: "date", Examples: []any{"2015-01-28"}}
}

// Money describes domain.Money in the OpenAPI document: an exact decimal
// amount as a string and an ISO 4217 currency.
type Money struct {
	Amount   string `json:"amount" pattern:"^-?[0-9]+(\\.[0-9]+)?$" doc:"Decimal amount as a string, such as \"2150.00\"; no more decimals than the currency has"`
	Currency string `json:"currency" pattern:"^[A-Z]{3}$" doc:"ISO 4217 code, such as USD or CNY"`
}
