// Package store keeps aidbridge's records in SQLite or PostgreSQL with the
// same hand-written SQL; the dialects differ only in how the database is
// opened and in the schema.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	neturl "net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"aidbridge/internal/domain"
)

//go:embed migrations
var migrations embed.FS

// Dialect names the database behind a Store.
type Dialect string

// The two databases aidbridge runs on.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Store is the one store of aidbridge. Its methods open their own
// transactions; a write and its audit entry commit together or not at all.
type Store struct {
	dialect Dialect
	db      *sql.DB   // writes (and reads on PostgreSQL)
	rdb     *sql.DB   // reads
	hot     *prepared // the read pool's hot statements, kept prepared
	now     func() time.Time
	errors  atomic.Int64 // failures that are not the request's fault

	tokenUses sync.Map   // token hash -> time its use was last written
	tokens    tokenCache // token hash -> its user, for a few seconds
}

// Open opens the database named by url ("sqlite:PATH" or "postgres://...")
// and applies pending migrations. The SQLite file and its folder are created
// when missing.
func Open(ctx context.Context, url string) (*Store, error) {
	s := &Store{now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		path := strings.TrimPrefix(url, "sqlite:")
		if path == "" {
			return nil, domain.Errorf(domain.EINVALID, "database url %q names no file: use sqlite:PATH", url)
		}
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create database folder %s: %w", dir, err)
			}
		}
		pragmas := "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)&_time_format=sqlite"
		w, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
		if err != nil {
			return nil, err
		}
		// One writer at a time: SQLite serializes writes anyway, and waiting in
		// the pool is cheaper and fairer than waiting on the file lock.
		w.SetMaxOpenConns(1)
		r, err := sql.Open("sqlite", "file:"+path+"?"+pragmas)
		if err != nil {
			w.Close()
			return nil, err
		}
		r.SetMaxOpenConns(8)
		// Keep the readers open: a new SQLite connection reads the schema again.
		r.SetMaxIdleConns(8)
		s.dialect, s.db, s.rdb = SQLite, w, r
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		url, conns, err := poolSize(url, 32)
		if err != nil {
			return nil, err
		}
		db, err := sql.Open("pgx", url)
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(conns)
		db.SetMaxIdleConns(conns)
		s.dialect, s.db, s.rdb = Postgres, db, db
	default:
		return nil, domain.Errorf(domain.EINVALID, "database url %q: use sqlite:PATH or postgres://...", url)
	}
	s.hot = &prepared{db: s.rdb}
	s.tokens = newTokenCache(tokenCacheSize)
	if err := s.db.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("connect to %s database: %w", s.dialect, err)
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Dialect returns which database the store runs on.
func (s *Store) Dialect() Dialect { return s.dialect }

// DB returns the underlying pool, for benchmarks that compare against bare SQL.
func (s *Store) DB() *sql.DB { return s.rdb }

// Close closes the database.
func (s *Store) Close() error {
	err := s.hot.close()
	err = errors.Join(err, s.db.Close())
	if s.rdb != s.db {
		err = errors.Join(err, s.rdb.Close())
	}
	return err
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.rdb.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Migrate applies the embedded migrations of the store's dialect that have
// not been applied yet, each in its own transaction.
func (s *Store) Migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations/"+string(s.dialect))
	if err != nil {
		return err
	}
	gd := goose.DialectSQLite3
	if s.dialect == Postgres {
		gd = goose.DialectPostgres
	}
	p, err := goose.NewProvider(gd, s.db, sub)
	if err != nil {
		return fmt.Errorf("prepare migrations: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	for _, r := range res {
		slog.Info("migration applied", "dialect", s.dialect, "version", r.Source.Version, "duration", r.Duration)
	}
	return nil
}

// Errors returns how many store operations failed for a reason other than
// the request: lost connections, timeouts, bugs.
func (s *Store) Errors() int64 { return s.errors.Load() }

// count notes an error that is not a domain error and returns it.
func (s *Store) count(err error) error {
	if err != nil && domain.ErrorCode(err) == domain.EINTERNAL {
		s.errors.Add(1)
	}
	return err
}

// write runs fn in a write transaction and commits when fn returns nil.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.count(mapError(err))
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return s.count(mapError(err))
	}
	return s.count(mapError(tx.Commit()))
}

// querier runs statements: the read pool itself, or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// read runs fn on the read pool, each statement on its own. Reads take no
// transaction: on PostgreSQL BEGIN and ROLLBACK would cost two round trips a
// read, and no read here needs two statements to see one snapshot; every
// invariant is kept by the writes.
func (s *Store) read(ctx context.Context, fn func(q querier) error) error {
	return s.count(mapError(fn(s.rdb)))
}

// readHot runs fn on the read pool with its statements prepared: for the
// reads that every request makes, such as a token's user.
func (s *Store) readHot(ctx context.Context, fn func(q querier) error) error {
	return s.count(mapError(fn(s.hot)))
}

// maxPrepared bounds the statements a store keeps prepared; beyond it a
// statement runs as it is.
const maxPrepared = 32

// prepared runs statements on a pool through *sql.Stmt, one per statement
// text. database/sql prepares a Stmt on each connection the first time it
// runs there and keeps it, so SQLite compiles a hot statement once per
// connection instead of on every call. (pgx keeps a cache of prepared
// statements per connection on its own; there the Stmt changes little.)
type prepared struct {
	db    *sql.DB
	stmts sync.Map // statement text -> *sql.Stmt
	mu    sync.Mutex
	n     int // statements in stmts
}

// stmt returns the prepared statement of query, preparing it on first use;
// nil when it cannot be prepared now or the store keeps enough already.
func (p *prepared) stmt(ctx context.Context, query string) *sql.Stmt {
	if st, ok := p.stmts.Load(query); ok {
		return st.(*sql.Stmt)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if st, ok := p.stmts.Load(query); ok {
		return st.(*sql.Stmt)
	}
	if p.n >= maxPrepared {
		return nil
	}
	st, err := p.db.PrepareContext(ctx, query)
	if err != nil {
		return nil // the statement runs unprepared and reports its error
	}
	p.stmts.Store(query, st)
	p.n++
	return st
}

func (p *prepared) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.db.QueryContext(ctx, query, args...)
}

func (p *prepared) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.db.QueryRowContext(ctx, query, args...)
}

func (p *prepared) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := p.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return p.db.ExecContext(ctx, query, args...)
}

func (p *prepared) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var err error
	p.stmts.Range(func(q, st any) bool {
		err = errors.Join(err, st.(*sql.Stmt).Close())
		p.stmts.Delete(q)
		return true
	})
	p.n = 0
	return err
}

// mapError turns database errors into domain errors by their codes.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "record", "ID", "")
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return domain.Refuse(domain.ECONFLICT, constraintField(pe.ConstraintName), domain.MsgDuplicate, "Field", constraintField(pe.ConstraintName))
		case "23503":
			return domain.Fail(domain.ECONFLICT, domain.MsgReference)
		case "23514":
			return domain.Errorf(domain.EINVALID, "a value breaks the rule %s", pe.ConstraintName)
		}
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return domain.Refuse(domain.ECONFLICT, sqliteField(se.Error()), domain.MsgDuplicate, "Field", sqliteField(se.Error()))
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return domain.Fail(domain.ECONFLICT, domain.MsgReference)
		case sqlite3.SQLITE_CONSTRAINT_CHECK:
			return domain.Errorf(domain.EINVALID, "a value breaks a rule of the record")
		}
	}
	return err
}

// constraintField names the field of a PostgreSQL unique constraint such as
// users_email_key.
func constraintField(name string) string {
	name = strings.TrimSuffix(strings.TrimSuffix(name, "_key"), "_pkey")
	if i := strings.Index(name, "_"); i >= 0 {
		return strings.ReplaceAll(name[i+1:], "_", " ")
	}
	return name
}

// sqliteField names the field of a SQLite unique failure, whose message ends
// in "table.column".
func sqliteField(msg string) string {
	i := strings.LastIndex(msg, ".")
	if i < 0 {
		return "key"
	}
	f := msg[i+1:]
	if j := strings.IndexAny(f, " )"); j >= 0 {
		f = f[:j]
	}
	return f
}

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// newID returns a new record id: the time in milliseconds then 80 random
// bits, so that ids sort by creation.
func newID() string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(time.Now().UnixMilli())<<16)
	rand.Read(b[6:])
	return idEncoding.EncodeToString(b[:])
}

// poolSize takes the pool_max_conns parameter out of a PostgreSQL url, where
// the driver would send it to the server as a setting it does not know, and
// returns the url without it and the number of connections to keep at most.
func poolSize(raw string, fallback int) (string, int, error) {
	u, err := neturl.Parse(raw)
	if err != nil {
		return "", 0, domain.Errorf(domain.EINVALID, "database url: %v", err)
	}
	q := u.Query()
	v := q.Get("pool_max_conns")
	if v == "" {
		return raw, fallback, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1000 {
		return "", 0, domain.Errorf(domain.EINVALID, "database url: pool_max_conns %q is not a number from 1 to 1000", v)
	}
	q.Del("pool_max_conns")
	u.RawQuery = q.Encode()
	return u.String(), n, nil
}
