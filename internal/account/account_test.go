package account

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
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
	// failures the account is blocked from the address that failed, and
	// slowed down, not blocked, from another.
	_, _, errUnknown := a.Login(ctx, "nobody@example.org", "whatever password", "10.0.0.2")
	for range 5 {
		_, _, err := a.Login(ctx, "coordinator@example.org", "wrong password!", "10.0.0.3")
		if domain.ErrorMessage(err) != domain.ErrorMessage(errUnknown) {
			t.Errorf("wrong password says %q, unknown account %q", domain.ErrorMessage(err), domain.ErrorMessage(errUnknown))
		}
	}
	if _, _, err := a.Login(ctx, "coordinator@example.org", "a long enough password", "10.0.0.3"); domain.ErrorCode(err) != domain.ETOOMANY {
		t.Errorf("after five failures, from the address that failed: %v", err)
	}
	a.slow = 50 * time.Millisecond
	start := time.Now()
	if _, _, err := a.Login(ctx, "coordinator@example.org", "a long enough password", "10.0.0.4"); err != nil {
		t.Errorf("after five failures, from another address: %v", err)
	}
	if time.Since(start) < a.slow {
		t.Errorf("a login to an account over its limit was not slowed down")
	}
}

// TestLoginLimitUnderBurst sends 50 wrong passwords for one account at once,
// through two services on one database as two instances would be: at most
// five reach the password check, the rest wait, and the real user still
// gets in from another address.
func TestLoginLimitUnderBurst(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			url := b.URL(t)
			var instances []*Service
			for range 2 {
				s, err := store.Open(ctx, url)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				a := NewService(s)
				a.slow = 10 * time.Millisecond
				instances = append(instances, a)
			}
			u := domain.User{Email: "target@example.org", Name: "Target"}
			if err := instances[0].CreateUser(ctx, nil, &u, "the real password"); err != nil {
				t.Fatal(err)
			}
			var checked, refused atomic.Int64
			var wg sync.WaitGroup
			for i := range 50 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, _, err := instances[i%2].Login(ctx, "target@example.org", "a guessed password", "198.51.100.7")
					switch domain.ErrorCode(err) {
					case domain.EUNAUTHORIZED:
						checked.Add(1)
					case domain.ETOOMANY:
						refused.Add(1)
					default:
						t.Errorf("attempt: %v", err)
					}
				}()
			}
			wg.Wait()
			if n := checked.Load(); n > accountFailures || n == 0 {
				t.Errorf("%d of 50 parallel attempts reached the password check, want 1 to %d", n, accountFailures)
			}
			if checked.Load()+refused.Load() != 50 {
				t.Errorf("%d checked + %d refused, want 50", checked.Load(), refused.Load())
			}
			if _, _, err := instances[1].Login(ctx, "target@example.org", "the real password", "198.51.100.7"); domain.ErrorCode(err) != domain.ETOOMANY {
				t.Errorf("the right password from the attacking address: %v, want too many", err)
			}
			if _, _, err := instances[0].Login(ctx, "target@example.org", "the real password", "203.0.113.9"); err != nil {
				t.Errorf("the real user from another address is locked out: %v", err)
			}
		})
	}
}
