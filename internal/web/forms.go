package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"aidbridge/internal/domain"
)

// form is a submitted form as it is shown again: what was typed, and what is
// wrong with it, field by field.
type form struct {
	Values url.Values
	Errors map[string]string
	Error  string // about the whole form, such as a stale version
}

func newForm(v url.Values) *form { return &form{Values: v, Errors: map[string]string{}} }

// Get returns the typed value of a field.
func (f *form) Get(name string) string { return f.Values.Get(name) }

// List returns every typed value of a repeated field.
func (f *form) List(name string) []string { return f.Values[name] }

// At returns the i-th value of a repeated field, or "".
func (f *form) At(name string, i int) string {
	if vs := f.Values[name]; i < len(vs) {
		return vs[i]
	}
	return ""
}

// Rows returns the indexes of the rows of a repeated group, plus blank rows
// to fill in.
func (f *form) Rows(name string, blank int) []int {
	n := len(f.Values[name]) + blank
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// Err returns the message for a field, or "".
func (f *form) Err(name string) string { return f.Errors[name] }

// Invalid reports whether any field is wrong.
func (f *form) Invalid() bool { return len(f.Errors) > 0 || f.Error != "" }

// int64Field parses an optional whole number, noting an error on the form.
func (f *form) int64Field(name string) *int64 {
	s := strings.TrimSpace(f.Get(name))
	if s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f.Errors[name] = "must be a whole number such as 1500, not \"" + s + "\""
		return nil
	}
	return &n
}

// floatField parses an optional decimal number, noting an error on the form.
func (f *form) floatField(name string) *float64 {
	s := strings.TrimSpace(f.Get(name))
	if s == "" {
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		f.Errors[name] = "must be a decimal number such as 31.2204, not \"" + s + "\""
		return nil
	}
	return &v
}

func float64String(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

// dateField parses an optional YYYY-MM-DD date, noting an error on the form.
func (f *form) dateField(name string, value string) domain.Date {
	d, err := domain.ParseDate(strings.TrimSpace(value))
	if err != nil {
		f.Errors[name] = err.Error()
	}
	return d
}

// version returns the version the form was read at.
func (f *form) version() int64 {
	n, _ := strconv.ParseInt(f.Get("version"), 10, 64)
	return n
}

// absorb puts the field errors of err on the form and reports whether err
// was about the input (invalid, or a stale version) rather than a failure.
func (f *form) absorb(err error, l *localizer) bool {
	switch domain.ErrorCode(err) {
	case domain.EINVALID:
		for _, fe := range domain.ErrorFields(err) {
			msg := fe.Message
			if msg == "is required" {
				msg = l.T("error_required")
			}
			f.Errors[fe.Field] = msg
		}
		if len(domain.ErrorFields(err)) == 0 {
			f.Error = domain.ErrorMessage(err)
		}
		return true
	case domain.ECONFLICT:
		f.Error = domain.ErrorMessage(err)
		return true
	}
	return false
}

func parseForm(r *http.Request) (*form, error) {
	r.Body = http.MaxBytesReader(nil, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return nil, domain.Errorf(domain.EINVALID, "the form could not be read: %v", err)
	}
	return newForm(r.PostForm), nil
}

// valuesOf returns form values from name, value pairs, for an edit form.
func valuesOf(pairs ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Set(pairs[i], pairs[i+1])
	}
	return v
}

func int64String(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}
