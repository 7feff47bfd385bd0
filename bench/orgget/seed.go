package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"aidbridge/bench/launch"
	"aidbridge/internal/account"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// dataset is a prepared database: its URL for aidbridge, how to open it with
// database/sql for the bare handler, the organization ids and an API token.
type dataset struct {
	dialect store.Dialect
	url     string // what aidbridge --db takes
	driver  string // database/sql driver name
	dsn     string // database/sql data source, as the store opens it for reads
	ids     []string
	token   string
	cleanup func() error
}

// sqlitePragmas are those the store opens SQLite with (internal/store/store.go).
const sqlitePragmas = "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)&_time_format=sqlite"

// prepare creates a new database of the dialect, lets the store apply its
// migrations, fills it with n organizations, and creates a viewer with an API
// token through the account service.
func prepare(ctx context.Context, dialect, pgAdmin string, n int) (*dataset, error) {
	d := &dataset{}
	switch dialect {
	case "sqlite":
		dir, err := os.MkdirTemp("", "aidbridge-orgget-")
		if err != nil {
			return nil, err
		}
		path := filepath.Join(dir, "aidbridge.db")
		d.dialect, d.url, d.driver = store.SQLite, "sqlite:"+path, "sqlite"
		d.dsn = "file:" + path + "?" + sqlitePragmas
		d.cleanup = func() error { return os.RemoveAll(dir) }
	case "postgres":
		name := fmt.Sprintf("bench_orgget_%d", os.Getpid())
		url, drop, err := launch.CreatePostgres(ctx, pgAdmin, name)
		if err != nil {
			return nil, err
		}
		d.dialect, d.url, d.driver, d.dsn, d.cleanup = store.Postgres, url, "pgx", url, drop
	default:
		return nil, fmt.Errorf("unknown database %q: use sqlite or postgres", dialect)
	}
	if err := d.fill(ctx, n); err != nil {
		d.cleanup()
		return nil, err
	}
	return d, nil
}

func (d *dataset) fill(ctx context.Context, n int) error {
	start := time.Now()
	s, err := store.Open(ctx, d.url) // applies the migrations
	if err != nil {
		return err
	}
	defer s.Close()
	// A pool of our own for the bulk insert, opened as the store opens its
	// writer, so that times are written in the store's format.
	dsn := d.dsn
	if d.dialect == store.SQLite {
		dsn += "&_txlock=immediate"
	}
	db, err := sql.Open(d.driver, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	rng := mrand.New(mrand.NewPCG(1, 2))
	d.ids = make([]string, n)
	for i := range d.ids {
		d.ids[i] = newID()
	}
	// Small INSERTs: modernc's SQLite binds numbered parameters ($1, $2, ...) in time
	// that grows with their count, so 50 rows of 17 values beat 500.
	const perTx, perInsert = 10000, 50
	accreditations := 0
	for lo := 0; lo < n; lo += perTx {
		hi := min(lo+perTx, n)
		err := inTx(ctx, db, func(tx *sql.Tx) error {
			var orgs, accs rowsInsert
			orgs.init(`INSERT INTO organizations (id, name, kind, country, subdivision, city, parent_id, parent_relation,
				beds_total, beds_in_service, clinical_departments, website, latitude, longitude, created_at, updated_at, version) VALUES `, 17)
			accs.init(`INSERT INTO accreditations (organization_id, position, kind, name, granted_by, granted_on) VALUES `, 6)
			for i := lo; i < hi; i++ {
				c := countries[i%len(countries)]
				var parent, relation any = nil, ""
				if i >= 10 && i%10 == 0 {
					parent, relation = d.ids[rng.IntN(i)], "branch"
				}
				var beds, inService, depts, lat, lon any
				if i%4 != 3 {
					b := int64(50 + rng.IntN(3000))
					beds, inService, depts = b, b-int64(rng.IntN(50)), int64(5+rng.IntN(60))
					lat, lon = c.lat+rng.Float64()-0.5, c.lon+rng.Float64()-0.5
				}
				at := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
				if err := orgs.add(ctx, tx, perInsert, d.ids[i], fmt.Sprintf("%s Bench Hospital %06d", c.city, i), kinds[i%len(kinds)],
					c.code, c.subdivision, c.city, parent, relation, beds, inService, depts,
					"https://hospital-"+strconv.Itoa(i)+".example.org", lat, lon, at, at, 1); err != nil {
					return err
				}
				if i%3 == 0 { // a third hold one to three accreditations, inserted after their organizations
					for p := range 1 + rng.IntN(3) {
						kind := "accreditation"
						if p == 1 {
							kind = "designation"
						}
						on := domain.Date{Year: 2000 + rng.IntN(25), Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)}
						if err := accs.add(ctx, tx, 3*perInsert, d.ids[i], p, kind, accNames[p], "Accreditation Body "+strconv.Itoa(p), on); err != nil {
							return err
						}
						accreditations++
					}
				}
				if orgs.rows == 0 {
					if err := accs.flush(ctx, tx); err != nil {
						return err
					}
				}
			}
			if err := orgs.flush(ctx, tx); err != nil {
				return err
			}
			return accs.flush(ctx, tx)
		})
		if err != nil {
			return fmt.Errorf("insert organizations %d to %d: %w", lo, hi, err)
		}
	}
	if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		return err
	}

	acc := account.NewService(s)
	u := domain.User{Email: "bench@example.org", Name: "Bench Viewer",
		Memberships: []domain.Membership{{OrganizationID: d.ids[0], Role: domain.RoleViewer}}}
	if err := acc.CreateUser(ctx, nil, &u, "bench-password-not-secret"); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	if _, d.token, err = acc.CreateToken(ctx, nil, u.ID, "bench"); err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	fmt.Printf("%s: %d organizations, %d accreditations inserted in %s\n", d.dialect, n, accreditations, time.Since(start).Round(time.Millisecond))
	return nil
}

// rowsInsert gathers rows into multi-row INSERTs with numbered parameters ($1, $2, ...).
type rowsInsert struct {
	head string
	cols int
	rows int
	sql  strings.Builder
	args []any
}

func (r *rowsInsert) init(head string, cols int) { r.head, r.cols = head, cols }

func (r *rowsInsert) add(ctx context.Context, tx *sql.Tx, per int, vals ...any) error {
	if r.rows == 0 {
		r.sql.Reset()
		r.sql.WriteString(r.head)
	} else {
		r.sql.WriteByte(',')
	}
	r.sql.WriteByte('(')
	for i := range r.cols {
		if i > 0 {
			r.sql.WriteByte(',')
		}
		r.sql.WriteString("$" + strconv.Itoa(len(r.args)+i+1))
	}
	r.sql.WriteByte(')')
	r.args = append(r.args, vals...)
	r.rows++
	if r.rows >= per {
		return r.flush(ctx, tx)
	}
	return nil
}

func (r *rowsInsert) flush(ctx context.Context, tx *sql.Tx) error {
	if r.rows == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, r.sql.String(), r.args...)
	r.rows, r.args = 0, r.args[:0]
	return err
}

func inTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// newID makes ids of the store's form: milliseconds then 80 random bits.
func newID() string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(time.Now().UnixMilli())<<16)
	rand.Read(b[6:])
	return idEncoding.EncodeToString(b[:])
}

var countries = []struct {
	code, subdivision, city string
	lat, lon                float64
}{
	{"CN", "CN-YN", "Kunming", 25.04, 102.71}, {"CN", "CN-BJ", "Beijing", 39.90, 116.40}, {"FR", "FR-IDF", "Paris", 48.86, 2.35},
	{"KE", "", "Nairobi", -1.29, 36.82}, {"DE", "DE-BE", "Berlin", 52.52, 13.40}, {"US", "US-NY", "New York", 40.71, -74.01},
	{"BR", "BR-SP", "Sao Paulo", -23.55, -46.63}, {"IN", "IN-MH", "Mumbai", 19.08, 72.88},
}

var kinds = []string{"hospital", "hospital", "hospital", "foundation", "government", "ngo", "university", "company"}

var accNames = []string{"JCI", "National Regional Medical Center", "Tertiary Class A"}
