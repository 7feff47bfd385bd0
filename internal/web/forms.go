package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"aidbridge/internal/domain"
	"aidbridge/internal/problem"
)

// form is a submitted form as it is shown again: what was typed, and what is
// wrong with it, field by field, in the reader's language.
type form struct {
	Values url.Values
	Errors map[string]string
	Error  string // about the whole form, such as a stale version
	l      *localizer
}

// newForm returns a form holding v, whose messages are in the reader's
// language.
func (me *viewer) newForm(v url.Values) *form {
	if v == nil {
		v = url.Values{}
	}
	return &form{Values: v, Errors: map[string]string{}, l: me.L}
}

// parseForm reads the submitted form of r, at most 1 MiB.
func (me *viewer) parseForm(r *http.Request) (*form, error) {
	r.Body = http.MaxBytesReader(nil, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return nil, domain.Fail(domain.EINVALID, domain.MsgFormUnread, "Reason", err.Error())
	}
	if err := domain.CheckTexts("form", r.PostForm); err != nil {
		return nil, err
	}
	return me.newForm(r.PostForm), nil
}

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

// fail notes that a field is wrong, with a domain message, unless the field
// already has an error.
func (f *form) fail(name string, id domain.MsgID, args ...any) {
	if _, ok := f.Errors[name]; ok {
		return
	}
	var p domain.Problems
	p.Add(name, id, args...)
	f.Errors[name] = f.l.Field(p[0])
}

// text returns a field's value with the space around it trimmed.
func (f *form) text(name string) string { return strings.TrimSpace(f.Get(name)) }

// int64Field parses an optional whole number, noting an error on the form.
// The reader's digit grouping is accepted ("1,500").
func (f *form) int64Field(name string) *int64 {
	s := f.text(name)
	if s == "" {
		return nil
	}
	n, err := f.l.ParseWhole(s)
	if err != nil {
		f.fail(name, domain.MsgWholeNumber, "Value", s)
		return nil
	}
	return &n
}

// whole reads a required whole number, exactly: "2.5", "1,5" and numbers
// beyond 64 bits are errors named on the field. Whether the number is in
// range is the domain's to say.
func (f *form) whole(name string) int64 {
	if f.text(name) == "" {
		f.fail(name, domain.MsgRequired)
		return 0
	}
	if n := f.int64Field(name); n != nil {
		return *n
	}
	return 0
}

// floatField parses an optional decimal number, noting an error on the form.
func (f *form) floatField(name string) *float64 {
	s := f.text(name)
	if s == "" {
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		f.fail(name, domain.MsgDecimal, "Value", s)
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
	value = strings.TrimSpace(value)
	d, err := domain.ParseDate(value)
	if err != nil {
		if _, ok := f.Errors[name]; !ok {
			f.Errors[name] = f.l.Error(err)
		}
	}
	return d
}

// partialDateField parses an optional year, month or day of history,
// noting an error on the form.
func (f *form) partialDateField(name string, value string) domain.PartialDate {
	d, err := domain.ParsePartialDate(value)
	if err != nil {
		f.fail(name, domain.MsgPartialDate, "Value", strings.TrimSpace(value))
	}
	return d
}

// version returns the version the form was read at.
func (f *form) version() int64 {
	v := f.Get("version")
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		// No version of a record: refused as stale wherever it is checked.
		return -1
	}
	return n
}

// absorb puts the field errors of err on the form and reports whether err
// was about the input (invalid, or a conflict such as a stale version)
// rather than a failure. Fields the form has no input for are told in the
// form's own message.
func (f *form) absorb(err error) bool {
	switch domain.ErrorCode(err) {
	case domain.EINVALID, domain.ECONFLICT:
	default:
		return false
	}
	fields := domain.ErrorFields(err)
	for _, fe := range fields {
		if _, ok := f.Errors[fe.Field]; !ok {
			f.Errors[fe.Field] = f.l.Field(fe)
		}
	}
	if len(fields) == 0 {
		f.Error = f.l.Error(err)
	}
	return true
}

// also adds the field errors of err to the form for the fields that have
// none yet, so that a form refused for what could not be read also names
// what else is wrong.
func (f *form) also(err error) {
	for _, fe := range domain.ErrorFields(err) {
		if _, ok := f.Errors[fe.Field]; !ok {
			f.Errors[fe.Field] = f.l.Field(fe)
		}
	}
}

// rename moves the error of each field to the name the page gives it, for
// forms whose inputs are not named as the record's fields; to returns ""
// for a field to leave where it is.
func (f *form) rename(to func(field string) string) {
	for k, msg := range f.Errors {
		if name := to(k); name != "" && name != k {
			delete(f.Errors, k)
			if _, ok := f.Errors[name]; !ok {
				f.Errors[name] = msg
			}
		}
	}
}

// lineField splits a field of a record's i-th line, "lines[i].rest", for
// forms that name each line's inputs their own way.
func lineField(field string) (i int, rest string, ok bool) {
	after, found := strings.CutPrefix(field, "lines[")
	if !found {
		return 0, "", false
	}
	num, rest, found := strings.Cut(after, "]")
	i, err := strconv.Atoi(num)
	if !found || err != nil {
		return 0, "", false
	}
	return i, strings.TrimPrefix(rest, "."), true
}

// submission is what a form's handler gives submit: the record's own checks,
// how to save it, and how to draw the form again.
type submission struct {
	// validate names every wrong field of the record as read; it runs when
	// the form could not be read whole, so that one round shows every error.
	validate func() error
	// save stores the record and says where to go next, with the message
	// shown there.
	save func() (to, flash string, err error)
	// redraw shows the form again with its errors, at the given status.
	redraw func(status int) error
	// rename, when set, maps the record's field names to the form's.
	rename func(field string) string
}

// submit runs the one form flow of the pages: parse (already done into f) ->
// validate -> save -> redirect, or redraw the form with the errors by field
// at the status of the refusal (422 invalid, 409 conflict). Errors that are
// not about the input go to the error page.
func submit(w http.ResponseWriter, r *http.Request, f *form, s submission) error {
	status := http.StatusUnprocessableEntity
	if f.Invalid() {
		if s.validate != nil {
			f.also(s.validate())
		}
	} else {
		to, flash, err := s.save()
		if err == nil {
			return redirect(w, r, to, flash)
		}
		if !f.absorb(err) {
			return err
		}
		status = problem.Status(err)
	}
	if s.rename != nil {
		f.rename(s.rename)
	}
	return s.redraw(status)
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

// listPageSize is the number of entries on a page of a list.
const listPageSize = 25

// action is a change made by a button rather than a form: accept a pledge,
// dispatch a shipment, remove a member.
type action struct {
	// do makes the change from the posted form and says which page to go
	// back to, also when it is refused.
	do func(f *form) (back string, err error)
	// done is said on that page after the change; refused, when set, goes
	// before the reason of a refusal.
	done, refused string
}

// act runs a button's change and goes back to its page, saying it was done
// or why it was refused (invalid input or a conflict). Other errors go to
// the error page.
func act(w http.ResponseWriter, r *http.Request, me *viewer, a action) error {
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	back, err := a.do(f)
	if err == nil {
		return redirect(w, r, back, a.done)
	}
	if code := domain.ErrorCode(err); code != domain.EINVALID && code != domain.ECONFLICT {
		return err
	}
	msg := me.L.Refusal(err)
	if a.refused != "" {
		msg = a.refused + ": " + msg
	}
	return redirectRefused(w, r, back, msg)
}

// rowOf reads a field error about entry n of a record's list, such as
// "slots[2].count", and returns the form's row that entry was read from
// (rows gives each row's entry, -1 for a blank row) and what follows the
// entry ("count"); ok is false when the field is not of the list or of no
// row.
func rowOf(field, list string, rows []int) (row int, tail string, ok bool) {
	rest, found := strings.CutPrefix(field, list+"[")
	if !found {
		return 0, "", false
	}
	num, tail, _ := strings.Cut(rest, "]")
	n, err := strconv.Atoi(num)
	if err != nil {
		return 0, "", false
	}
	for row, idx := range rows {
		if idx == n {
			return row, strings.TrimPrefix(tail, "."), true
		}
	}
	return 0, "", false
}

// dayRange reads the from and to days of a list's filter from its query;
// EINVALID naming each that is no date.
func dayRange(q url.Values) (from, to domain.Date, err error) {
	var p domain.Problems
	for _, d := range []struct {
		name string
		to   *domain.Date
	}{{"from", &from}, {"to", &to}} {
		if v := q.Get(d.name); v != "" {
			day, err := domain.ParseDate(v)
			if err != nil {
				p.Add(d.name, domain.MsgDate, "Value", v)
				continue
			}
			*d.to = day
		}
	}
	return from, to, p.Err("filter")
}
