package launch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"aidbridge/internal/store"
)

// Dataset is a new, empty database of one dialect for a benchmark: the URL
// aidbridge and the store take, and how to open it with database/sql for a
// bulk insert and EXPLAIN.
type Dataset struct {
	Dialect store.Dialect
	URL     string
	Driver  string // database/sql driver name
	DSN     string // database/sql data source, as the store opens its writer
	Cleanup func() error
}

// SQLitePragmas are those the store opens SQLite with (internal/store/store.go).
const SQLitePragmas = "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)&_time_format=sqlite"

// NewDataset creates an empty database: a file in a new temporary folder,
// or a new PostgreSQL database named for the benchmark (name) and the
// process on the loopback server of pgAdmin.
func NewDataset(ctx context.Context, dialect, pgAdmin, name string) (*Dataset, error) {
	switch dialect {
	case "sqlite":
		dir, err := os.MkdirTemp("", "aidbridge-"+name+"-")
		if err != nil {
			return nil, err
		}
		path := filepath.Join(dir, "aidbridge.db")
		return &Dataset{Dialect: store.SQLite, URL: "sqlite:" + path, Driver: "sqlite",
			DSN: "file:" + path + "?" + SQLitePragmas + "&_txlock=immediate", Cleanup: func() error { return os.RemoveAll(dir) }}, nil
	case "postgres":
		url, drop, err := CreatePostgres(ctx, pgAdmin, fmt.Sprintf("bench_%s_%d", name, os.Getpid()))
		if err != nil {
			return nil, err
		}
		return &Dataset{Dialect: store.Postgres, URL: url, Driver: "pgx", DSN: url, Cleanup: drop}, nil
	}
	return nil, fmt.Errorf("unknown database %q: use sqlite or postgres", dialect)
}
