// Package storetest opens fresh stores for tests: a temporary SQLite file
// always, and a new PostgreSQL database when AIDBRIDGE_TEST_POSTGRES names a
// server.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"aidbridge/internal/store"
)

// Backend is one database a test can run on.
type Backend struct {
	Name string
	// URL returns the URL of a new, empty database that is dropped when the
	// test ends.
	URL func(t testing.TB) string
}

// Backends returns SQLite, and PostgreSQL when AIDBRIDGE_TEST_POSTGRES is
// set. When it is not set and AIDBRIDGE_REQUIRE_ALL=1, the test fails.
func Backends(t testing.TB) []Backend {
	t.Helper()
	out := []Backend{{Name: "sqlite", URL: SQLiteURL}}
	if os.Getenv("AIDBRIDGE_TEST_POSTGRES") != "" {
		out = append(out, Backend{Name: "postgres", URL: PostgresURL})
	} else {
		Missing(t, "PostgreSQL suite", "AIDBRIDGE_TEST_POSTGRES is not set")
	}
	return out
}

// Missing reports a suite that cannot run here: a failure under
// AIDBRIDGE_REQUIRE_ALL=1, otherwise a note in the test log.
func Missing(t testing.TB, suite, why string) {
	t.Helper()
	if os.Getenv("AIDBRIDGE_REQUIRE_ALL") == "1" {
		t.Fatalf("%s required but skipped: %s", suite, why)
	}
	t.Logf("SKIPPED %s: %s", suite, why)
}

// SQLiteURL returns the URL of a new SQLite file in a temporary folder.
func SQLiteURL(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "aidbridge.db")
}

// PostgresURL creates a new database on the server named by
// AIDBRIDGE_TEST_POSTGRES and returns its URL; the database is dropped when
// the test ends.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("AIDBRIDGE_TEST_POSTGRES")
	if base == "" {
		t.Fatal("AIDBRIDGE_TEST_POSTGRES is not set")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "aidbridge_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	// Tests run side by side, each with its own stores: a small pool keeps
	// them all within the server's connection limit.
	q := u.Query()
	q.Set("pool_max_conns", "4")
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens a store on a new database of backend b, closed when the test ends.
func Open(t testing.TB, b Backend) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), b.URL(t))
	if err != nil {
		t.Fatalf("open %s store: %v", b.Name, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
