package domain

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"text/template"
)

// MsgID names a message said to users: a field error, a refusal, a note the
// system writes. Each is declared once, below and in the other files of this
// package, with its English text; the web catalogs translate it under the
// same id, and a test fails on an id that a language lacks.
type MsgID string

// Message is a message with the named values it puts in its text.
type Message struct {
	ID   MsgID          `json:"code"`
	Args map[string]any `json:"args,omitempty"`
}

// English returns the message in English, the language of the API's detail
// and of the logs.
func (m Message) English() string { return m.ID.English(m.Args) }

// String returns the message in English, so that a message put into
// another reads in English there too.
func (m Message) String() string { return m.English() }

// ReasonOf returns err as a value to put into another message: its message,
// which each language says its own way, where it has one, else its text.
func ReasonOf(err error) any {
	var e *Error
	if errors.As(err, &e) && e.Msg.ID != "" {
		return e.Msg
	}
	if len(ErrorFields(err)) > 0 {
		f := ErrorFields(err)[0]
		return Message{ID: f.Code, Args: f.Args}
	}
	return ErrorMessage(err)
}

var (
	catalogMu sync.Mutex
	sources   = map[MsgID]string{}
	english   sync.Map // MsgID to its parsed *template.Template, as first used
)

// msg declares a message with its English text, a text/template over the
// message's named values ({{.Max}}). It panics on a duplicate id. The text
// is parsed when the message is first said, so that a program that says
// none (aidbridge allocate) does not pay for the catalog at start;
// TestMessagesParse holds every text to parsing.
func msg(id, text string) MsgID {
	catalogMu.Lock()
	defer catalogMu.Unlock()
	if _, dup := sources[MsgID(id)]; dup {
		panic("domain: message " + id + " declared twice")
	}
	sources[MsgID(id)] = text
	return MsgID(id)
}

// template returns the parsed English text of id; false for an unknown id
// or a text that does not parse.
func (id MsgID) template() (*template.Template, bool) {
	if t, ok := english.Load(id); ok {
		return t.(*template.Template), true
	}
	catalogMu.Lock()
	text, ok := sources[id]
	catalogMu.Unlock()
	if !ok {
		return nil, false
	}
	t, err := template.New(string(id)).Option("missingkey=zero").Parse(text)
	if err != nil {
		return nil, false
	}
	english.Store(id, t)
	return t, true
}

// DeclareMessage declares a message of another package, such as the
// phrases of the access policy, with its English text; like the domain's
// own, every language must translate it. It panics on a duplicate id.
func DeclareMessage(id, english string) MsgID { return msg(id, english) }

// English returns the English text of id with args put in; an unknown id
// says itself, so that a test comparing catalogs catches it.
func (id MsgID) English(args map[string]any) string {
	t, ok := id.template()
	if !ok {
		return string(id)
	}
	var b strings.Builder
	if err := t.Execute(&b, args); err != nil {
		return string(id)
	}
	return b.String()
}

// Messages returns the English source text of every message by id, for the
// catalogs of the pages.
func Messages() map[MsgID]string {
	catalogMu.Lock()
	defer catalogMu.Unlock()
	return maps.Clone(sources)
}

// MessageIDs returns every message id in order.
func MessageIDs() []MsgID {
	return slices.Sorted(maps.Keys(Messages()))
}

// argsOf turns name, value pairs into a map; a trailing name without a value
// is dropped.
func argsOf(pairs []any) map[string]any {
	if len(pairs) < 2 {
		return nil
	}
	m := make(map[string]any, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		m[fmt.Sprint(pairs[i])] = pairs[i+1]
	}
	return m
}

// Messages said about fields, shared by every record.
var (
	MsgRequired      = msg("required", "is required")
	MsgTooLong       = msg("too_long", "must be at most {{.Max}} characters")
	MsgTooMany       = msg("too_many", "must have at most {{.Max}} entries")
	MsgOneOf         = msg("one_of", "must be one of {{.Allowed}}, not “{{.Value}}”")
	MsgNotNegative   = msg("not_negative", "must not be negative, got {{.Value}}")
	MsgWholeNumber   = msg("whole_number", "must be a whole number such as 1500, not “{{.Value}}”")
	MsgDecimal       = msg("decimal", "must be a decimal number such as 31.2204, not “{{.Value}}”")
	MsgPositive      = msg("positive", "must be a whole number above zero, got {{.Value}}")
	MsgAtMost        = msg("at_most", "must be at most {{.Max}}, got {{.Value}}")
	MsgBetween       = msg("between", "must be between {{.Min}} and {{.Max}}, got {{.Value}}")
	MsgDate          = msg("date", "must be a date written YYYY-MM-DD, such as 2015-10-22, not “{{.Value}}”")
	MsgDateRange     = msg("date_range", "must be a date from the year {{.Min}} to the year {{.Max}}, not “{{.Value}}”")
	MsgEmail         = msg("email", "“{{.Value}}” is not an email address")
	MsgInvalidRecord = msg("invalid_record", "invalid {{.What}}")
	MsgStale         = msg("stale", "this {{.What}} was changed by someone else since you read it (version {{.Read}}, now {{.Now}}): reload it and make your change again")
	MsgVersionNeeded = msg("version_needed", "is required: send the version you read, in the body or as If-Match, so that a concurrent change is not overwritten")
	MsgFormUnread    = msg("form_unread", "the form could not be read: {{.Reason}}")
)

// Messages about records in general.
var (
	MsgChangedWhileSaving = msg("changed_while_saving", "this {{.What}} was changed while you were saving it: reload it and make your change again")
	MsgTokenName          = msg("token_name", "is required: say what the token is for")
	MsgHistoryOf          = msg("history_of", "is required (with entity_type), or give organization_id")
	MsgBadCursor          = msg("bad_cursor", "is not a cursor this server gave out; start again without it")
	MsgDuplicate          = msg("duplicate", "a record with the same {{.Field}} already exists")
	MsgReference          = msg("reference", "the record is referenced by or refers to a record that does not exist or still depends on it")
	MsgSignIn             = msg("sign_in", "sign in first")
	MsgForbidden          = msg("forbidden", "you may not {{.Action}}: only {{.Who}} may")
	MsgTooManyLogins      = msg("too_many_logins", "too many failed logins: try again in {{.Minutes}} minutes")
	MsgNotFound           = msg("not_found", "{{.What}} “{{.ID}}” not found")
	MsgIfMatch            = msg("if_match", "If-Match must hold the record's version, such as \"3\", not “{{.Value}}”")
)
