package api

import (
	"encoding/json"
	"testing"

	"aidbridge/internal/domain"
)

// FuzzBadString checks the walk of JSON bodies for what is not text: it
// names a string that is not text whenever there is one, and only then.
func FuzzBadString(f *testing.F) {
	for _, s := range []string{`{"name":"x\u0000y"}`, `{"lines":[{"note":"ok"},{"note":"\u0007"}]}`, `{"a":{"b":["c","d"]}}`, `["\u001b"]`, `"plain"`, `{"\u0000":1}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var v any
		if json.Unmarshal([]byte(body), &v) != nil {
			return
		}
		if field, bad := badString(v, ""), hasBad(v); bad != (field != "") {
			t.Fatalf("badString(%s) = %q, while a string that is not text is there: %v", body, field, bad)
		}
	})
}

// hasBad reports whether v holds a key or string that is not text.
func hasBad(v any) bool {
	switch x := v.(type) {
	case string:
		return !domain.ValidText(x)
	case []any:
		for _, e := range x {
			if hasBad(e) {
				return true
			}
		}
	case map[string]any:
		for k, e := range x {
			if !domain.ValidText(k) || hasBad(e) {
				return true
			}
		}
	}
	return false
}
