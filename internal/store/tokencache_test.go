package store

import (
	"testing"
	"time"

	"aidbridge/internal/domain"
)

func TestTokenCacheBounds(t *testing.T) {
	c := newTokenCache(3)
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	for i, h := range []string{"a", "b", "c", "d", "e"} {
		_, _, gen := c.get(h, now)
		c.put(h, domain.User{Name: h}, gen, now, now.Add(time.Duration(i+1)*time.Second))
		if len(c.entries) > 3 {
			t.Fatalf("after %d tokens the cache holds %d, want at most 3", i+1, len(c.entries))
		}
	}
	if _, ok, _ := c.get("e", now); !ok {
		t.Error("the last token put is not remembered")
	}
	// Expired entries make room before fresh ones are dropped.
	later := now.Add(4 * time.Second)
	_, _, gen := c.get("f", later)
	c.put("f", domain.User{Name: "f"}, gen, later, later.Add(time.Second))
	if _, ok, _ := c.get("e", later); !ok {
		t.Error("a fresh token was dropped while expired ones were kept")
	}
}

func TestTokenCacheGeneration(t *testing.T) {
	c := newTokenCache(10)
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	// A read that began before a change is not remembered after it.
	_, _, gen := c.get("a", now)
	c.forget()
	c.put("a", domain.User{Name: "before the change"}, gen, now, now.Add(time.Second))
	if _, ok, _ := c.get("a", now); ok {
		t.Error("a user read before a change was remembered")
	}
	_, _, gen = c.get("a", now)
	c.put("a", domain.User{Name: "after"}, gen, now, now.Add(time.Second))
	if u, ok, _ := c.get("a", now); !ok || u.Name != "after" {
		t.Errorf("got %q %v, want the user read after the change", u.Name, ok)
	}
	if _, ok, _ := c.get("a", now.Add(time.Second)); ok {
		t.Error("an entry is still served at its expiry")
	}
}
