package main

import (
	"context"
	"database/sql"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	mrand "math/rand/v2"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"aidbridge/bench/launch"
	"aidbridge/internal/account"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// dataset is a new database of one dialect (bench/launch).
type dataset = launch.Dataset

// newDataset creates an empty database of the dialect, or names the one
// that c.reuse keeps between runs (created empty the first time).
func newDataset(ctx context.Context, dialect string, c config) (*dataset, error) {
	if c.reuse == "" {
		return launch.NewDataset(ctx, dialect, c.pgAdmin, "supply")
	}
	keep := func() error { return nil }
	switch dialect {
	case "sqlite":
		path, err := filepath.Abs(c.reuse + ".db")
		if err != nil {
			return nil, err
		}
		return &dataset{Dialect: store.SQLite, URL: "sqlite:" + path, Driver: "sqlite",
			DSN: "file:" + path + "?" + launch.SQLitePragmas + "&_txlock=immediate", Cleanup: keep}, nil
	case "postgres":
		u, err := url.Parse(c.pgAdmin)
		if err != nil {
			return nil, err
		}
		u.Path = "/" + filepath.Base(c.reuse)
		db, err := sql.Open("pgx", u.String())
		if err != nil {
			return nil, err
		}
		defer db.Close()
		if db.PingContext(ctx) != nil {
			if _, _, err := launch.CreatePostgres(ctx, c.pgAdmin, filepath.Base(c.reuse)); err != nil {
				return nil, err
			}
		}
		return &dataset{Dialect: store.Postgres, URL: u.String(), Driver: "pgx", DSN: u.String(), Cleanup: keep}, nil
	}
	return nil, fmt.Errorf("unknown database %q: use sqlite or postgres", dialect)
}

// openDataset returns a pool of our own on the dataset, for the bulk insert, the
// checks and EXPLAIN; it writes times in the store's format.
func openDataset(d *dataset) (*sql.DB, error) {
	db, err := sql.Open(d.Driver, d.DSN)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(2)
	return db, nil
}

// fixtures is what the store created: the directory the needs hang from, the
// needs the pledge runs aim at, and a coordinator of the donor with a token.
type fixtures struct {
	orgs      []string
	country   map[string]string // organization id to country
	countries []string
	items     []string
	donor     string        // the organization every pledge comes from
	pledge    []pledgeNeeds // one set for each binary measured
	token     string
	session   string // the secret of the user's session cookie
	seeded    int    // needs of an earlier run's bulk insert
}

// pledgeNeeds are the needs the pledge runs aim at.
type pledgeNeeds struct {
	hot    string   // the need all clients pledge to
	spread []string // the needs pledges are spread over
	scarce string   // the need that runs out
}

// countries are where the organizations are, thirty of them.
var countries = []string{"CN", "US", "FR", "DE", "KE", "BR", "IN", "GB", "IT", "ES", "JP", "KR", "ZA", "NG", "EG",
	"MX", "AR", "CA", "AU", "ID", "PK", "BD", "TH", "VN", "PH", "TR", "ET", "UA", "PL", "CL"}

// The user of the benchmark: a coordinator of the donor organization.
const (
	benchEmail    = "supply-bench@example.org"
	benchPassword = "bench-password-not-secret"
)

// createDirectory creates the organizations and the catalog through the
// store.
func createDirectory(ctx context.Context, s *store.Store, c config, f *fixtures) error {
	kinds := []domain.OrgKind{"hospital", "hospital", "hospital", "foundation", "government", "ngo", "university", "company"}
	for i := range c.orgs {
		beds := int64(50 + i%3000)
		o := domain.Organization{Name: fmt.Sprintf("Supply Bench Hospital %05d", i), Kind: kinds[i%len(kinds)],
			Country: countries[i%len(countries)], City: "City " + strconv.Itoa(i%97), BedsTotal: &beds}
		if err := s.CreateOrganization(ctx, store.Actor{}, &o); err != nil {
			return fmt.Errorf("create organization %d: %w", i, err)
		}
		f.orgs = append(f.orgs, o.ID)
		f.country[o.ID] = o.Country
	}
	categories := domain.ItemCategories
	for i := range c.items {
		it := domain.Item{Code: fmt.Sprintf("BENCH-%03d", i), Name: fmt.Sprintf("Bench item %03d", i),
			Category: categories[i%len(categories)], Unit: "box"}
		if err := s.CreateItem(ctx, store.Actor{}, &it); err != nil {
			return fmt.Errorf("create item %d: %w", i, err)
		}
		f.items = append(f.items, it.ID)
	}
	f.donor = f.orgs[0]
	return nil
}

// readDirectory reads back what createDirectory made in an earlier run.
func readDirectory(ctx context.Context, db *sql.DB, f *fixtures) error {
	rows, err := db.QueryContext(ctx, "SELECT id, country FROM organizations ORDER BY name")
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, country string
		if err := rows.Scan(&id, &country); err != nil {
			rows.Close()
			return err
		}
		f.orgs = append(f.orgs, id)
		f.country[id] = country
	}
	if err := rows.Close(); err != nil {
		return err
	}
	rows, err = db.QueryContext(ctx, "SELECT id FROM items ORDER BY code")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		f.items = append(f.items, id)
	}
	if len(f.orgs) < 3 || len(f.items) < 2 {
		return fmt.Errorf("the database holds %d organizations and %d items: not one of this benchmark", len(f.orgs), len(f.items))
	}
	f.donor = f.orgs[0]
	return rows.Err()
}

// createFixtures fills the database through the store, as the
// application would (or reads back what an earlier run made): organizations, catalog items, the needs the pledge runs
// use, and a coordinator of the donor organization with an API token
// and a session.
func createFixtures(ctx context.Context, d *dataset, c config) (*fixtures, error) {
	start := time.Now()
	s, err := store.Open(ctx, d.URL) // applies the migrations
	if err != nil {
		return nil, err
	}
	defer s.Close()
	f := &fixtures{country: map[string]string{}, countries: countries}
	db, err := openDataset(d)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var orgs int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM organizations").Scan(&orgs); err != nil {
		return nil, err
	}
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM needs WHERE justification <> 'supply benchmark'").Scan(&f.seeded); err != nil {
		return nil, err
	}
	acc := account.NewService(s)
	var u domain.User
	if orgs > 0 {
		// A database of an earlier run: its directory, and a new token and
		// session of its user.
		if err := readDirectory(ctx, db, f); err != nil {
			return nil, err
		}
		if u, f.session, err = acc.Login(ctx, benchEmail, benchPassword, "127.0.0.1"); err != nil {
			return nil, fmt.Errorf("log in: %w", err)
		}
	} else {
		if err := createDirectory(ctx, s, c, f); err != nil {
			return nil, err
		}
		u = domain.User{Email: benchEmail, Name: "Supply Bench Coordinator",
			Memberships: []domain.Membership{{OrganizationID: f.donor, Role: domain.RoleCoordinator}}}
		if err := acc.CreateUser(ctx, nil, &u, benchPassword); err != nil {
			return nil, fmt.Errorf("create user: %w", err)
		}
		if _, f.session, err = acc.Login(ctx, benchEmail, benchPassword, "127.0.0.1"); err != nil {
			return nil, fmt.Errorf("log in: %w", err)
		}
	}
	if _, f.token, err = acc.CreateToken(ctx, nil, u.ID, "supply bench"); err != nil {
		return nil, fmt.Errorf("create token: %w", err)
	}

	by := store.Actor{UserID: u.ID}
	post := func(org, item string, quantity int64) (string, error) {
		n := domain.Need{OrganizationID: org, ItemID: item, Quantity: quantity, Urgency: domain.UrgencyCritical,
			NeededBy: domain.Date{Year: 2026, Month: 9, Day: 30}, Justification: "supply benchmark"}
		err := s.CreateNeed(ctx, by, &n)
		return n.ID, err
	}
	sets := 1
	if c.before != "" {
		sets = 2 // one for each binary
	}
	for range sets {
		var p pledgeNeeds
		if p.hot, err = post(f.orgs[1], f.items[0], c.bigQuantity); err != nil {
			return nil, fmt.Errorf("create the hot need: %w", err)
		}
		for i := range c.spread {
			id, err := post(f.orgs[1+i%(len(f.orgs)-1)], f.items[i%len(f.items)], c.bigQuantity)
			if err != nil {
				return nil, fmt.Errorf("create need %d of the spread: %w", i, err)
			}
			p.spread = append(p.spread, id)
		}
		if p.scarce, err = post(f.orgs[2], f.items[1], c.scarce); err != nil {
			return nil, fmt.Errorf("create the scarce need: %w", err)
		}
		f.pledge = append(f.pledge, p)
	}
	fmt.Printf("%s: %d organizations, %d items, %d needs, a user and a token created through the store in %s\n",
		d.Dialect, len(f.orgs), len(f.items), sets*(2+c.spread), time.Since(start).Round(time.Millisecond))
	return f, nil
}

// needColumns are every column of the needs table (migrations 00002_supply
// and 00017_needs_country).
var needColumns = []string{"id", "organization_id", "item_id", "quantity", "urgency", "urgency_rank", "needed_by", "justification",
	"shortage", "status", "pledged", "received", "damaged", "cancelled_at", "cancel_reason", "created_at", "updated_at", "version", "country"}

// needGen makes the bulk needs: spread over every organization and item,
// created one a minute from January 2024, with figures that agree with their
// status as the store derives it.
type needGen struct {
	rng      *mrand.Rand
	orgs     []string
	country  map[string]string // organization id to country
	items    []string
	postgres bool // dates as time.Time for COPY; text for SQLite, as domain.Date stores them
}

// weighted is a value drawn with a weight.
type weighted struct {
	name   string
	weight int
}

var (
	urgencies = []weighted{{"critical", 15}, {"high", 30}, {"normal", 55}} // in urgency_rank order
	statuses  = []weighted{{"open", 25}, {"partially_pledged", 15}, {"pledged", 10}, {"partially_delivered", 10}, {"fulfilled", 30}, {"cancelled", 10}}
	seedStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	dueStart  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

// pick draws one of xs by weight and returns its index.
func pick(rng *mrand.Rand, xs []weighted) int {
	total := 0
	for _, x := range xs {
		total += x.weight
	}
	r := rng.IntN(total)
	for i, x := range xs {
		if r -= x.weight; r < 0 {
			return i
		}
	}
	return len(xs) - 1
}

// row returns the values of need i in the order of needColumns.
func (g *needGen) row(i int, out []any) []any {
	rng := g.rng
	created := seedStart.Add(time.Duration(i) * time.Minute)
	updated := created.Add(time.Duration(1+rng.IntN(72*60)) * time.Minute)
	rank := pick(rng, urgencies)
	status := statuses[pick(rng, statuses)].name
	var neededBy any
	if rng.IntN(5) > 0 {
		due := dueStart.AddDate(0, 0, rng.IntN(730))
		if g.postgres {
			neededBy = due
		} else {
			neededBy = due.Format(time.DateOnly)
		}
	}
	q := int64(10 + rng.IntN(100000))
	var pledged, received int64
	var cancelled any
	reason := ""
	version := int64(2 + rng.IntN(5))
	switch status {
	case "open":
		version = 1
	case "partially_pledged":
		pledged = 1 + rng.Int64N(q-1)
	case "pledged":
		pledged = q
	case "partially_delivered":
		pledged, received = q, 1+rng.Int64N(q-1)
	case "fulfilled":
		pledged, received = q, q
	case "cancelled":
		cancelled, reason = updated, "no longer needed"
	}
	org := g.orgs[rng.IntN(len(g.orgs))]
	return append(out[:0], newID(rng, created), org, g.items[rng.IntN(len(g.items))], q, urgencies[rank].name, rank,
		neededBy, "Bench need "+strconv.Itoa(i)+": stock runs out within the month", rng.IntN(10) == 0, status,
		pledged, received, int64(0), cancelled, reason, created, updated, version, g.country[org])
}

// bulkNeeds inserts n needs with SQL of our own, in one transaction: a
// prepared 100-row INSERT on SQLite, COPY on PostgreSQL. It then runs
// ANALYZE so that the planner knows the table.
func bulkNeeds(ctx context.Context, d *dataset, f *fixtures, n int) error {
	start := time.Now()
	db, err := openDataset(d)
	if err != nil {
		return err
	}
	defer db.Close()
	g := &needGen{rng: mrand.New(mrand.NewPCG(7, 11)), orgs: f.orgs, country: f.country, items: f.items, postgres: d.Dialect == store.Postgres}
	if d.Dialect == store.Postgres {
		err = copyNeeds(ctx, db, g, n)
	} else {
		err = insertNeeds(ctx, db, g, n)
	}
	if err != nil {
		return fmt.Errorf("insert %d needs: %w", n, err)
	}
	inserted := time.Since(start)
	if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	fmt.Printf("%s: %d needs inserted in %s, ANALYZE %s\n", d.Dialect, n, inserted.Round(time.Millisecond),
		(time.Since(start) - inserted).Round(time.Millisecond))
	return nil
}

func insertNeeds(ctx context.Context, db *sql.DB, g *needGen, n int) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// A large page cache for this connection keeps the four indexes of the
	// table in memory while they grow.
	if _, err := conn.ExecContext(ctx, "PRAGMA cache_size = -262144"); err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	const perInsert = 100
	stmt, err := tx.PrepareContext(ctx, insertSQL(perInsert))
	if err != nil {
		return err
	}
	defer stmt.Close()
	args := make([]any, 0, perInsert*len(needColumns))
	var row []any
	for lo := 0; lo < n; lo += perInsert {
		hi := min(lo+perInsert, n)
		args = args[:0]
		for i := lo; i < hi; i++ {
			row = g.row(i, row)
			args = append(args, row...)
		}
		if hi-lo == perInsert {
			_, err = stmt.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, insertSQL(hi-lo), args...)
		}
		if err != nil {
			return fmt.Errorf("needs %d to %d: %w", lo, hi, err)
		}
	}
	return tx.Commit()
}

// insertSQL returns a multi-row INSERT into needs for SQLite. Its parameters
// are anonymous (?): the driver looks up the name of every numbered one on
// each bind, which costs time quadratic in their number.
func insertSQL(rows int) string {
	row := "(" + strings.Repeat("?,", len(needColumns)-1) + "?)"
	return "INSERT INTO needs (" + strings.Join(needColumns, ", ") + ") VALUES " + strings.Repeat(row+",", rows-1) + row
}

// needSource feeds generated needs to COPY.
type needSource struct {
	g    *needGen
	i, n int
	row  []any
}

func (s *needSource) Next() bool {
	if s.i >= s.n {
		return false
	}
	s.row = s.g.row(s.i, s.row)
	s.row[5] = int32(s.row[5].(int)) // urgency_rank is an INTEGER
	s.i++
	return true
}

func (s *needSource) Values() ([]any, error) { return s.row, nil }
func (s *needSource) Err() error             { return nil }

func copyNeeds(ctx context.Context, db *sql.DB, g *needGen, n int) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		k, err := pc.CopyFrom(ctx, pgx.Identifier{"needs"}, needColumns, &needSource{g: g, n: n})
		if err == nil && k != int64(n) {
			err = fmt.Errorf("copied %d rows, not %d", k, n)
		}
		return err
	})
}

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// newID makes ids of the store's form, milliseconds then 80 random bits,
// from the record's creation time and the generator, so that a run is
// repeatable.
func newID(rng *mrand.Rand, at time.Time) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(at.UnixMilli())<<16|uint64(rng.Uint32()&0xffff))
	binary.BigEndian.PutUint64(b[8:], rng.Uint64())
	return idEncoding.EncodeToString(b[:])
}
