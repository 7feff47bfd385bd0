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
	"aidbridge/internal/activity"
	"aidbridge/internal/contribution"
	"aidbridge/internal/directory"
	"aidbridge/internal/domain"
	"aidbridge/internal/event"
	"aidbridge/internal/mission"
	"aidbridge/internal/notify"
	"aidbridge/internal/outcome"
	"aidbridge/internal/partnership"
	"aidbridge/internal/problem"
	"aidbridge/internal/report"
	"aidbridge/internal/supply"
	"aidbridge/internal/workqueue"
)

// Version is the version of the API document.
const Version = "1.0.0"

// Server holds what the API's handlers need.
type Server struct {
	Deps
}

// Deps are the services the API's operations call.
type Deps struct {
	Dir           *directory.Service
	Accounts      *account.Service
	Supply        *supply.Service
	Notify        *notify.Service
	Work          *workqueue.Service
	Partners      *partnership.Service
	Missions      *mission.Service
	Outcomes      *outcome.Service
	Reports       *report.Service
	Contributions *contribution.Service
	Activities    *activity.Service
	Events        *event.Service
	Log           *slog.Logger
}

type ctxKey int

const (
	userKey    ctxKey = iota
	addressKey        // the address a request came from
)

// Register adds the API's operations to mux and returns the huma API, whose
// OpenAPI document the caller may serve or inspect.
func Register(mux *http.ServeMux, d Deps) huma.API {
	cfg := huma.DefaultConfig("aidbridge API", Version)
	cfg.Info.Description = "Medical aid between institutions: the directory of organizations, people and items; needs, pledges, shipments, receipts and stock; programs, partnerships and what parties commit to them. " +
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
	cfg.Components.Schemas.RegisterTypeAlias(reflect.TypeFor[domain.PartialDate](), reflect.TypeFor[partialDateSchema]())
	cfg.Components.Schemas.RegisterTypeAlias(reflect.TypeFor[domain.Money](), reflect.TypeFor[Money]())
	cfg.Components.Schemas.RegisterTypeAlias(reflect.TypeFor[domain.Decimal](), reflect.TypeFor[decimalSchema]())
	a := humago.New(mux, cfg)
	s := &Server{Deps: d}
	a.UseMiddleware(answerHeaders, s.checkText(a), s.authenticate(a))
	huma.NewErrorWithContext = s.newError
	// The document describes errors as the problems newError writes.
	huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
		return s.newError(nil, status, msg, errs...)
	}
	s.registerOrganizations(a)
	s.registerPeople(a)
	s.registerItems(a)
	s.registerAccounts(a)
	s.registerMembers(a)
	s.registerMissions(a)
	s.registerSupply(a)
	s.registerNotifications(a)
	s.registerWork(a)
	s.registerAllocations(a)
	s.registerAudit(a)
	s.registerPartnerships(a)
	s.registerOutcomes(a)
	s.registerIndicators(a)
	s.registerReports(a)
	s.registerGeoReports(a)
	s.registerContributions(a)
	s.registerActivities(a)
	s.registerEvents(a)
	applyLimits(a)
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
		u, err := s.Accounts.TokenUser(ctx.Context(), strings.TrimSpace(token))
		if err != nil {
			se := s.newError(ctx, problem.Status(err), "", err)
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

// Problem is an RFC 9457 problem+json document: huma's, with the stable
// code of the error (the message id where there is one, else the error's
// code) and, for refused input, the fields at fault with their own codes.
type Problem struct {
	huma.ErrorModel
	Code   string         `json:"code,omitempty" doc:"A stable code of what went wrong, such as pledge_too_much or stale; scripts may rely on it, the detail is for people"`
	Fields []FieldProblem `json:"fields,omitempty" doc:"The fields at fault, each with its code and a readable message"`
}

// FieldProblem names one field at fault in a refused request.
type FieldProblem struct {
	Field   string `json:"field" doc:"The field, as named in the request body, such as quantity or lines[0].pledge_id"`
	Code    string `json:"code" doc:"A stable code of what is wrong, such as required or too_long"`
	Message string `json:"message" doc:"What is wrong, in English"`
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
		st := problem.Status(de)
		m := &Problem{ErrorModel: huma.ErrorModel{Status: st, Title: http.StatusText(st), Detail: de.Message}, Code: de.Code}
		if de.Msg.ID != "" {
			m.Code = string(de.Msg.ID)
		}
		for _, f := range de.Fields {
			m.Errors = append(m.Errors, &huma.ErrorDetail{Message: f.Message, Location: "body." + f.Field})
			m.Fields = append(m.Fields, FieldProblem{Field: f.Field, Code: string(f.Code), Message: f.Message})
		}
		if de.Code == domain.EINTERNAL {
			s.Log.Error("internal error", "err", err)
			m.Detail, m.Errors, m.Fields, m.Code = "internal error", nil, nil, domain.EINTERNAL
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
		s.Log.Error("internal error", attrs...)
		return &Problem{ErrorModel: huma.ErrorModel{Status: status, Title: http.StatusText(status), Detail: "internal error: the server log has the details"}, Code: domain.EINTERNAL}
	}
	details := make([]*huma.ErrorDetail, 0, len(errs))
	fields := make([]FieldProblem, 0, len(errs))
	for _, err := range errs {
		if err == nil {
			continue
		}
		d := &huma.ErrorDetail{Message: err.Error()}
		if dd, ok := err.(huma.ErrorDetailer); ok {
			d = dd.ErrorDetail()
		}
		d = decodeDetail(d)
		details = append(details, d)
		if field, ok := strings.CutPrefix(d.Location, "body."); ok {
			fields = append(fields, FieldProblem{Field: field, Code: domain.EINVALID, Message: d.Message})
		}
	}
	code := domain.EINVALID
	if status != http.StatusUnprocessableEntity && status != http.StatusBadRequest {
		code = strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "_")
	}
	return &Problem{ErrorModel: huma.ErrorModel{Status: status, Title: http.StatusText(status), Detail: msg, Errors: details}, Code: code, Fields: fields}
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
		var p domain.Problems
		p.Add("version", domain.MsgIfMatch, "Value", ifMatch)
		return 0, p.Err("If-Match header")
	}
	var p domain.Problems
	p.Add("version", domain.MsgVersionNeeded)
	return 0, p.Err("request")
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
	Q      string `query:"q" doc:"Part of the name, any case"`
	Cursor string `query:"cursor" doc:"The next_cursor of the previous page"`
	Limit  int    `query:"limit" minimum:"1" default:"50" doc:"Items per page, at most 200"`
}

// One wraps a single record in a response, with its version as ETag; a
// record without a version has no ETag.
type One[T any] struct {
	ETag string `header:"ETag" doc:"The record's version, to send back as If-Match; absent for records that have none"`
	Body T
}

func one[T any](v T, version int64) *One[T] {
	return &One[T]{ETag: `"` + strconv.FormatInt(version, 10) + `"`, Body: v}
}

// unversioned wraps a record that has no version, such as a new token's
// secret or a stock movement, which never change.
func unversioned[T any](v T) *One[T] { return &One[T]{Body: v} }

// NoContent answers a successful delete.
type NoContent struct{}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// dateSchema describes domain.Date in the OpenAPI document: a string of the
// form YYYY-MM-DD.
type dateSchema string

// Schema returns the schema of a calendar date.
func (dateSchema) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Format: "date", Examples: []any{"2015-01-28"}, Extensions: map[string]any{dateKind: "day"}}
}

// partialDateSchema describes domain.PartialDate in the OpenAPI document: a
// year, a month or a day.
type partialDateSchema string

// Schema returns the schema of a year, month or day of history.
func (partialDateSchema) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Pattern: `^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$`,
		Description: "A year, a month or a day, as precise as the record is: 2010, 2015-10 or 2015-01-28",
		Examples:    []any{"2010", "2015-01-28"}, Extensions: map[string]any{dateKind: "partial"}}
}

// decimalSchema describes domain.Decimal in the OpenAPI document: an exact
// decimal with up to three decimals, as a string.
type decimalSchema string

// Schema returns the schema of an exact decimal.
func (decimalSchema) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Pattern: `^[0-9]{1,7}(\.[0-9]{1,3})?$`, Examples: []any{"5.123"}}
}

// dateKind marks the schemas of dates, so that a date that is no date is
// refused naming its field before the body is decoded (text.go).
const dateKind = "x-aidbridge-date"

// Money describes domain.Money in the OpenAPI document: an exact decimal
// amount as a string and an ISO 4217 currency.
type Money struct {
	Amount   string `json:"amount" pattern:"^-?[0-9]+(\\.[0-9]+)?$" doc:"Decimal amount as a string, such as \"2150.00\"; no more decimals than the currency has"`
	Currency string `json:"currency" pattern:"^[A-Z]{3}$" doc:"ISO 4217 code, such as USD or CNY"`
}
