package store

import (
	"testing"
	"unicode/utf8"

	"aidbridge/internal/domain"
)

// FuzzDecodeCursor feeds the cursor decoder what a client may send: it
// never panics, refuses with EINVALID, and reads back what encodeCursor
// wrote.
func FuzzDecodeCursor(f *testing.F) {
	f.Add(encodeCursor("Shanghai Children's Medical Center", newID()))
	f.Add(encodeCursor("0|2026-12-31", newID()))
	for _, s := range []string{"", "garbage!", "AA", "__4AMDZoMzI2OHo2ancyajU3NWp3OHd5MXBia3c", "bmFtZQBub3QtYW4taWQh"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := decodeCursor(s)
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("decodeCursor(%q) error %v is not invalid", s, err)
			}
			return
		}
		if s == "" {
			return
		}
		if !domain.ValidText(c.name) || utf8.RuneCountInString(c.name) > domain.MaxName || !validID(c.id) {
			t.Fatalf("decodeCursor(%q) took %q %q", s, c.name, c.id)
		}
		if back, err := decodeCursor(encodeCursor(c.name, c.id)); err != nil || back != c {
			t.Fatalf("%q does not read back: %v %v", s, back, err)
		}
	})
}
