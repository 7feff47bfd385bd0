// Package domain holds the records aidbridge keeps, their validation rules and
// the error type every other package speaks. It imports nothing of ours.
package domain

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Error codes. Each maps to one HTTP status at the boundary.
const (
	ECONFLICT     = "conflict"
	EFORBIDDEN    = "forbidden"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EUNAUTHORIZED = "unauthorized"
	ETOOMANY      = "too_many_requests"
)

// FieldError names one field of a record and what is wrong with its value:
// a message id with its values, for each language to say, and the message
// in English.
type FieldError struct {
	Field   string         `json:"field"`
	Code    MsgID          `json:"code"`
	Message string         `json:"message"`
	Args    map[string]any `json:"args,omitempty"`
}

// Error is the one error type of aidbridge: a code, a human message in
// English and, where it can be translated, the same message as an id with
// its values; for refused input, the fields at fault.
type Error struct {
	Code    string
	Message string
	Msg     Message // ID "" where the message has no translation
	Fields  []FieldError
}

// Fail returns an *Error with the given code and the message id, with
// args as name, value pairs.
func Fail(code string, id MsgID, args ...any) *Error {
	m := Message{ID: id, Args: argsOf(args)}
	return &Error{Code: code, Message: m.English(), Msg: m}
}

// Refuse returns an *Error with the given code whose message is about one
// field, which the error names so that a form shows it there.
func Refuse(code, field string, id MsgID, args ...any) *Error {
	e := Fail(code, id, args...)
	e.Fields = []FieldError{{Field: field, Code: id, Message: e.Message, Args: e.Msg.Args}}
	return e
}

// Error returns the message, with the field errors when there are any.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return e.Message + " (" + strings.Join(parts, "; ") + ")"
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EINTERNAL for errors that are not ours
// and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the human message of err; errors that are not ours get
// a generic message so that internal details never reach a user.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrorFields returns the field errors carried by err, if any.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Problems collects field errors while a record is validated.
type Problems []FieldError

// Add records that field is wrong, with the message id saying how and its
// values as name, value pairs.
func (p *Problems) Add(field string, id MsgID, args ...any) {
	p.AddMessage(field, Message{ID: id, Args: argsOf(args)})
}

// AddMessage records that field is wrong with a message already made, such
// as one carried by another error, to say of another field.
func (p *Problems) AddMessage(field string, m Message) {
	*p = append(*p, FieldError{Field: field, Code: m.ID, Message: m.English(), Args: m.Args})
}

// Err returns nil when nothing was added, otherwise an EINVALID *Error that
// names what was validated and carries every field error.
func (p Problems) Err(what string) error {
	if len(p) == 0 {
		return nil
	}
	e := Fail(EINVALID, MsgInvalidRecord, "What", what)
	e.Fields = p
	return e
}

func itoa(i int) string { return strconv.Itoa(i) }
