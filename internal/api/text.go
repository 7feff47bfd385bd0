package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"aidbridge/internal/domain"
)

// answerHeaders marks every answer: JSON for scripts, some of it personal
// data, never sniffed as another type and never kept by a cache. It also
// puts the address the request came from in the context, for the login
// limits.
func answerHeaders(ctx huma.Context, next func(huma.Context)) {
	ctx.SetHeader("X-Content-Type-Options", "nosniff")
	ctx.SetHeader("Cache-Control", "no-store")
	host, _, err := net.SplitHostPort(ctx.RemoteAddr())
	if err != nil {
		host = ctx.RemoteAddr()
	}
	next(huma.WithValue(ctx, addressKey, host))
}

// maxBody bounds what a request body may hold before it is read.
const maxBody = 1 << 20

// checkText refuses, before an operation runs, a request whose path, query or
// JSON body holds what is not text (invalid UTF-8, NUL or other control
// characters), with 422 naming the field: both databases then store the same.
func (s *Server) checkText(a huma.API) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		u := ctx.URL()
		fields := map[string][]string(u.Query())
		if !domain.ValidText(u.Path) {
			fields = map[string][]string{"path": {u.Path}}
		}
		err := domain.CheckQuery(fields)
		if err == nil {
			err = checkBody(ctx, a)
		}
		if err != nil {
			huma.WriteErr(a, ctx, http.StatusUnprocessableEntity, "", err)
			return
		}
		next(ctx)
	}
}

// checkBody reads a JSON body, checks its strings and puts it back for the
// operation.
func checkBody(ctx huma.Context, a huma.API) error {
	r, _ := humago.Unwrap(ctx)
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	if r.ContentLength > maxBody {
		return nil // refused as too large before it is read
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil || len(body) == 0 || len(body) > maxBody {
		return nil // the operation says what is wrong with it
	}
	var p domain.Problems
	if !utf8.Valid(body) {
		p.Add("body", domain.MsgBadText)
		return p.Err("request body")
	}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil // not JSON: the operation refuses it
	}
	if field := badString(v, ""); field != "" {
		p.Add(field, domain.MsgBadText)
		return p.Err("request body")
	}
	if op := ctx.Operation(); op != nil && op.RequestBody != nil {
		if c := op.RequestBody.Content["application/json"]; c != nil && c.Schema != nil {
			checkDates(&p, a.OpenAPI().Components.Schemas, c.Schema, v, "")
		}
	}
	return p.Err("request body")
}

// checkDates walks a decoded body along its schema and refuses, naming the
// field, each date that is no date (year 0000, 2027-02-30), which the
// decoder would refuse without saying where.
func checkDates(p *domain.Problems, reg huma.Registry, s *huma.Schema, v any, at string) {
	if s == nil {
		return
	}
	if s.Ref != "" {
		s = reg.SchemaFromRef(s.Ref)
		if s == nil {
			return
		}
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			name := k
			if at != "" {
				name = at + "." + k
			}
			checkDates(p, reg, s.Properties[k], e, name)
		}
	case []any:
		for i, e := range x {
			checkDates(p, reg, s.Items, e, at+"["+strconv.Itoa(i)+"]")
		}
	case string:
		var err error
		switch s.Extensions[dateKind] {
		case "day":
			_, err = domain.ParseDate(x)
		case "partial":
			_, err = domain.ParsePartialDate(x)
		}
		if e := (*domain.Error)(nil); errors.As(err, &e) && at != "" {
			p.AddMessage(at, e.Msg)
		}
	}
}

// badString returns the path of the first string in v (a key or a value)
// that is not text, "" when all are.
func badString(v any, at string) string {
	switch x := v.(type) {
	case string:
		if !domain.ValidText(x) && at == "" {
			return "body" // the body is that one string
		}
		if !domain.ValidText(x) {
			return at
		}
	case []any:
		for i, e := range x {
			if f := badString(e, at+"["+strconv.Itoa(i)+"]"); f != "" {
				return f
			}
		}
	case map[string]any:
		for k, e := range x {
			name := k
			if at != "" {
				name = at + "." + k
			}
			if !domain.ValidText(k) {
				return name
			}
			if f := badString(e, name); f != "" {
				return f
			}
		}
	}
	return ""
}

// unmarshalError is how encoding/json says a body's value does not fit its
// field: "json: cannot unmarshal number 9223372036854775808 into Go struct
// field ItemBody.Versioned.version of type int64".
var unmarshalError = regexp.MustCompile(`^json: cannot unmarshal .* into Go struct field [A-Za-z0-9_]*\.(\S+) of type (\S+)`)

// decodeDetail rewrites a body that JSON could not decode into the problem
// of the field at fault, in the API's words: the field named as in the
// request, no Go type names, and the request not echoed back.
func decodeDetail(d *huma.ErrorDetail) *huma.ErrorDetail {
	m := unmarshalError.FindStringSubmatch(d.Message)
	if m == nil || (d.Location != "body" && d.Location != "") {
		return d
	}
	var path []string
	for _, part := range strings.Split(m[1], ".") {
		// Embedded structs (Versioned) are named in Go, not in JSON.
		if part != "" && !unicode.IsUpper(rune(part[0])) {
			path = append(path, part)
		}
	}
	kind := "value of the right kind"
	switch t := strings.TrimLeft(m[2], "*[]"); {
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"):
		kind = "whole number from -9223372036854775808 to 9223372036854775807"
	case strings.HasPrefix(t, "float"):
		kind = "number"
	case t == "string":
		kind = "string"
	case t == "bool":
		kind = "true or false"
	}
	return &huma.ErrorDetail{Location: "body." + strings.Join(path, "."), Message: "must be a " + kind}
}
