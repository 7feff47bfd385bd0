package domain

import (
	"strings"
	"testing"
	"text/template"
)

// TestMessagesParse checks that every message's English text parses and
// says its named values: the texts are parsed when first said.
func TestMessagesParse(t *testing.T) {
	for id, text := range Messages() {
		if _, err := template.New(string(id)).Option("missingkey=zero").Parse(text); err != nil {
			t.Errorf("message %s: %v", id, err)
			continue
		}
		if got := id.English(nil); strings.Contains(text, "{{") == (got == text) {
			t.Errorf("message %s says %q of its text %q", id, got, text)
		}
	}
	if got := MsgTooLong.English(map[string]any{"Max": 200}); got != "must be at most 200 characters" {
		t.Errorf("MsgTooLong = %q", got)
	}
}
