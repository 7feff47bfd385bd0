package account

import (
	"context"
	"strings"
	"testing"
	"time"

	"aidbridge/internal/domain"
	"aidbridge/internal/store/storetest"
)

func TestPasswordHash(t *testing.T) {
	ctx := context.Background()
	h, err := HashPassword(ctx, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not argon2id with the chosen parameters", h)
	}
	h2, _ := HashPassword(ctx, "correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt?")
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{"correct horse battery", true}, {"correct horse batterY", false}, {"", false}} {
		if ok, err := CheckPassword(ctx, h, tc.pw); ok != tc.want || err != nil {
			t.Errorf("CheckPassword(%q) = %v, %v", tc.pw, ok, err)
		}
	}
	if _, err := HashPassword(ctx, "short"); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("short password: %v", err)
	}
	if _, err := CheckPassword(ctx, "$2a$10$bcrypt", "x"); err == nil {
		t.Error("a bcrypt hash was accepted")
	}
}

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewLimiter(3, time.Minute)
	l.now = func() time.Time { return now }
	for range 3 {
		if l.Blocked("k") > 0 {
			t.Fatal("blocked too early")
		}
		l.Fail("k")
	}
	if w := l.Blocked("k"); w != time.Minute {
		t.Errorf("wait = %v, want 1m", w)
	}
	if l.Blocked("other") > 0 {
		t.Error("another key is blocked")
	}
	now = now.Add(61 * time.Second)
	if l.Blocked("k") > 0 {
		t.Error("still blocked after the window")
	}
	l.Fail("k")
	l.Reset("k")
	if l.Blocked("k") > 0 {
		t.Error("blocked after reset")
	}
}

func TestLogin(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	a := NewService(s)
	u := domain.User{Email: "Coordinator@Example.org", Name: "C"}
	if err := a.CreateUser(ctx, nil, &u, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	_, secret, err := a.Login(ctx, "coordinator@example.org", "a long enough password", "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := a.SessionUser(ctx, secret); err != nil || got.ID != u.ID {
		t.Errorf("session user = %v, %v", got.ID, err)
	}
	if err := a.Logout(ctx, secret); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SessionUser(ctx, secret); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
		t.Errorf("after logout: %v", err)
	}
	// Wrong passwords and unknown accounts get the same answer; after five
	// failures the account is blocked even for the right password.
	_, _, errUnknown := a.Login(ctx, "nobody@example.org", "whatever password", "10.0.0.2")
	for range 5 {
		_, _, err := a.Login(ctx, "coordinator@example.org", "wrong password!", "10.0.0.3")
		if domain.ErrorMessage(err) != domain.ErrorMessage(errUnknown) {
			t.Errorf("wrong password says %q, unknown account %q", domain.ErrorMessage(err), domain.ErrorMessage(errUnknown))
		}
	}
	if _, _, err := a.Login(ctx, "coordinator@example.org", "a long enough password", "10.0.0.4"); domain.ErrorCode(err) != domain.ETOOMANY {
		t.Errorf("after five failures: %v", err)
	}
}
