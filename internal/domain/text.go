package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ValidText reports whether s is text that aidbridge stores: valid UTF-8
// without NUL or other control characters, but for the newline, carriage
// return and tab of multi-line text. Both databases then store it alike.
func ValidText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t'
	})
}

// CheckTexts returns an EINVALID error naming the first of the fields whose
// values are not ValidText, or nil. what names the input, for the message.
func CheckTexts(what string, fields map[string][]string) error {
	var p Problems
	for name, values := range fields {
		if !ValidText(name) {
			p.Add("(name)", MsgBadText)
			break
		}
		for _, v := range values {
			if !ValidText(v) {
				p.Add(name, MsgBadText)
				break
			}
		}
	}
	return p.Err(what)
}

// CheckQuery returns an EINVALID error naming the first parameter of a
// request's query that is not text or is longer than a query may be: a
// cursor MaxCursor characters, any other (a search, a filter) MaxSearch.
// It is the one bound of queries, for the pages and the API alike.
func CheckQuery(values map[string][]string) error {
	if err := CheckTexts("request", values); err != nil {
		return err
	}
	var p Problems
	for name, vs := range values {
		limit := MaxSearch
		if name == "cursor" {
			limit = MaxCursor
		}
		for _, v := range vs {
			if utf8.RuneCountInString(v) > limit {
				p.Add(name, MsgTooLong, "Max", limit)
				break
			}
		}
	}
	return p.Err("request")
}

// MsgBadText is said of a value with bytes that are not text.
var MsgBadText = msg("bad_text", "must be text: valid UTF-8 without NUL or other control characters")
