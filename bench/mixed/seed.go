package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"aidbridge/bench/launch"
	"aidbridge/internal/account"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// The data set: bench/supply's directory and million needs, 100,000 people
// in the organizations, three users, and stock for the donor. A database
// given by name is seeded once and kept, so that later runs reuse it.

// password is the password of the three users.
const password = "mixed-bench-password-not-secret"

// The users of the mix, by email.
const (
	donorEmail    = "mixed-donor@example.org"
	hospitalEmail = "mixed-hospital@example.org"
	adminEmail    = "mixed-admin@example.org"
)

// hospitalOrgs is how many organizations, after the donor, the hospital
// coordinator coordinates.
const hospitalOrgs = 10

// donorStock is what the donor holds of every item, for the allocation
// proposals.
const donorStock = 10_000_000

// dataset opens, and when it is new seeds, the database of one
// configuration.
type dataset struct {
	*launch.Dataset
	kept bool // a named database, kept after the run
}

// openDataset returns the database of the dialect: the file or PostgreSQL
// database named (created when missing and kept), or a new temporary one
// when name is empty.
func openDataset(ctx context.Context, dialect, pgAdmin, name string) (*dataset, error) {
	if name == "" {
		d, err := launch.NewDataset(ctx, dialect, pgAdmin, "mixed")
		return &dataset{Dataset: d}, err
	}
	switch dialect {
	case "sqlite":
		path, err := filepath.Abs(name)
		if err != nil {
			return nil, err
		}
		return &dataset{kept: true, Dataset: &launch.Dataset{Dialect: store.SQLite, URL: "sqlite:" + path, Driver: "sqlite",
			DSN: "file:" + path + "?" + launch.SQLitePragmas + "&_txlock=immediate", Cleanup: func() error { return nil }}}, nil
	case "postgres":
		if !strings.HasPrefix(name, "bench_mixed_") {
			return nil, fmt.Errorf("postgres database %q: the name must start with bench_mixed_", name)
		}
		u, drop, err := launch.CreatePostgres(ctx, pgAdmin, name)
		if err != nil && !strings.Contains(err.Error(), "42P04") { // duplicate_database: reuse it
			return nil, err
		}
		if drop == nil {
			pu, perr := url.Parse(pgAdmin)
			if perr != nil {
				return nil, perr
			}
			pu.Path = "/" + name
			u = pu.String()
		}
		return &dataset{kept: true, Dataset: &launch.Dataset{Dialect: store.Postgres, URL: u, Driver: "pgx", DSN: u,
			Cleanup: func() error { return nil }}}, nil
	}
	return nil, fmt.Errorf("unknown database %q: use sqlite or postgres", dialect)
}

// user is one user of the mix with its API token and web session.
type user struct {
	id, email      string
	token, session string
}

// fixtures is what the mix draws from.
type fixtures struct {
	dir       launch.Directory
	countries []string // of the organizations, drawn from for the filters
	items     []string
	donor     string   // the organization the donor coordinator pledges and ships for
	hospitals []string // the organizations the hospital coordinator coordinates
	targets   []string // needs of the hospitals not fully pledged, which pledges go to
	needs     []string // needs drawn from all, for their pages
	people    []string // people drawn from all, for their pages
	staff     []string // people of the hospitals
	donorU    user
	hospitalU user
	adminU    user
}

// seedShape is how much the data set holds.
type seedShape struct {
	orgs, items, needs, people int
}

// prepare seeds d when it does not hold the data set yet, then reads back
// what the mix draws from and gives each user a new token and session.
func prepare(ctx context.Context, d *dataset, sh seedShape) (*fixtures, error) {
	start := time.Now()
	s, err := store.Open(ctx, d.URL) // applies the migrations
	if err != nil {
		return nil, err
	}
	defer s.Close()
	db, err := sql.Open(d.Driver, d.DSN)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(2)
	acc := account.NewService(s)
	if _, _, err := s.FindUserByEmail(ctx, adminEmail); domain.ErrorCode(err) == domain.ENOTFOUND {
		if err := seed(ctx, d, s, db, acc, sh); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	} else {
		fmt.Printf("%s: reusing the data set in %s\n", d.Dialect, d.URL)
	}
	f, err := load(ctx, db, sh)
	if err != nil {
		return nil, err
	}
	for _, u := range []*user{&f.donorU, &f.hospitalU, &f.adminU} {
		got, _, err := s.FindUserByEmail(ctx, u.email)
		if err != nil {
			return nil, fmt.Errorf("user %s: %w", u.email, err)
		}
		u.id = got.ID
		if _, u.token, err = acc.CreateToken(ctx, nil, u.id, "mixed bench "+time.Now().UTC().Format(time.RFC3339)); err != nil {
			return nil, fmt.Errorf("token of %s: %w", u.email, err)
		}
		if _, u.session, err = acc.Login(ctx, u.email, password, "127.0.0.1"); err != nil {
			return nil, fmt.Errorf("session of %s: %w", u.email, err)
		}
	}
	fmt.Printf("%s: %d organizations, %d items, %d needs of the hospitals to pledge to, %d needs and %d people sampled; ready in %s\n",
		d.Dialect, len(f.dir.Orgs), len(f.items), len(f.targets), len(f.needs), len(f.people), time.Since(start).Round(time.Millisecond))
	return f, nil
}

// seed creates the directory, the users and the donor's stock through the
// store, then bulk-inserts the needs and the people and analyzes the tables.
func seed(ctx context.Context, d *dataset, s *store.Store, db *sql.DB, acc *account.Service, sh seedShape) error {
	t0 := time.Now()
	dir, err := launch.CreateDirectory(ctx, s, sh.orgs, sh.items)
	if err != nil {
		return err
	}
	donor, hospitals := dir.Orgs[0], dir.Orgs[1:1+hospitalOrgs]
	users := []domain.User{
		{Email: donorEmail, Name: "Mixed Bench Donor Coordinator", Memberships: []domain.Membership{{OrganizationID: donor, Role: domain.RoleCoordinator}}},
		{Email: hospitalEmail, Name: "Mixed Bench Hospital Coordinator"},
		{Email: adminEmail, Name: "Mixed Bench Site Administrator", SiteAdmin: true},
	}
	for _, h := range hospitals {
		users[1].Memberships = append(users[1].Memberships, domain.Membership{OrganizationID: h, Role: domain.RoleCoordinator})
	}
	for i := range users {
		if err := acc.CreateUser(ctx, nil, &users[i], password); err != nil {
			return fmt.Errorf("create user %s: %w", users[i].Email, err)
		}
	}
	for _, it := range dir.Items {
		m := domain.StockMovement{OrganizationID: donor, ItemID: it, Kind: domain.MoveAdjustment, Delta: donorStock, Reason: "mixed benchmark stock"}
		if err := s.RecordStock(ctx, store.Actor{UserID: users[0].ID}, &m); err != nil {
			return fmt.Errorf("stock of item %s: %w", it, err)
		}
	}
	fmt.Printf("%s: %d organizations, %d items, 3 users, the donor's stock created through the store in %s\n",
		d.Dialect, len(dir.Orgs), len(dir.Items), time.Since(t0).Round(time.Millisecond))
	t0 = time.Now()
	if err := launch.InsertNeeds(ctx, d.Dataset, db, dir, sh.needs); err != nil {
		return fmt.Errorf("insert %d needs: %w", sh.needs, err)
	}
	fmt.Printf("%s: %d needs inserted in %s\n", d.Dialect, sh.needs, time.Since(t0).Round(time.Millisecond))
	t0 = time.Now()
	if err := insertPeople(ctx, d, db, dir.Orgs, sh.people); err != nil {
		return fmt.Errorf("insert %d people: %w", sh.people, err)
	}
	fmt.Printf("%s: %d people inserted in %s\n", d.Dialect, sh.people, time.Since(t0).Round(time.Millisecond))
	t0 = time.Now()
	if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	fmt.Printf("%s: ANALYZE in %s\n", d.Dialect, time.Since(t0).Round(time.Millisecond))
	return nil
}

// personColumns are the columns of people the bulk insert fills (migrations
// 00001 and 00010); department and user stay empty.
var personColumns = []string{"id", "organization_id", "name", "title", "title_rank", "specialty", "languages", "birth_date",
	"email", "phone", "created_at", "updated_at", "version"}

var (
	titles      = []struct{ title, rank string }{{"Resident", "resident"}, {"Attending physician", "attending"}, {"Associate chief physician", "associate_chief"}, {"Chief physician", "chief"}, {"Nurse", ""}}
	specialties = []string{"cardiology", "emergency medicine", "pediatrics", "surgery", "infectious diseases", "anesthesiology", "nursing", "obstetrics"}
	languages   = []string{`["zh-CN"]`, `["zh-CN","en"]`, `["en"]`, `["fr","en"]`, `["en","sw"]`}
)

// insertPeople inserts n people spread evenly over orgs, in one
// transaction.
func insertPeople(ctx context.Context, d *dataset, db *sql.DB, orgs []string, n int) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	postgres := d.Dialect == store.Postgres
	rng := mrand.New(mrand.NewPCG(13, 17))
	epoch := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	return launch.Bulk(ctx, conn, postgres, "people", personColumns, n, func(i int, row []any) []any {
		at := epoch.Add(time.Duration(i) * time.Minute)
		t := titles[rng.IntN(len(titles))]
		birth := time.Date(1960+rng.IntN(40), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
		var born any = birth.Format(time.DateOnly)
		if postgres {
			born = birth
		}
		return append(row[:0], launch.NewID(rng, at), orgs[i%len(orgs)], "Bench Person "+strconv.Itoa(i), t.title, t.rank,
			specialties[rng.IntN(len(specialties))], languages[rng.IntN(len(languages))], born,
			"person"+strconv.Itoa(i)+"@hospital.example.org", "+86 871 "+strconv.Itoa(6000000+i), at, at, int64(1))
	})
}

// sampleSize is how many needs and people the record pages draw from.
const sampleSize = 20000

// load reads back what the mix draws from.
func load(ctx context.Context, db *sql.DB, sh seedShape) (*fixtures, error) {
	f := &fixtures{dir: launch.Directory{Country: map[string]string{}},
		donorU: user{email: donorEmail}, hospitalU: user{email: hospitalEmail}, adminU: user{email: adminEmail}}
	rows, err := db.QueryContext(ctx, `SELECT id, country FROM organizations WHERE name LIKE 'Supply Bench Hospital %' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, c string
		if err := rows.Scan(&id, &c); err != nil {
			rows.Close()
			return nil, err
		}
		f.dir.Orgs = append(f.dir.Orgs, id)
		if _, seen := f.dir.Country[id]; !seen && !slices.Contains(f.countries, c) {
			f.countries = append(f.countries, c)
		}
		f.dir.Country[id] = c
	}
	rows.Close()
	if len(f.dir.Orgs) < 1+hospitalOrgs {
		return nil, fmt.Errorf("the database holds %d organizations of the data set: too few", len(f.dir.Orgs))
	}
	f.donor, f.hospitals = f.dir.Orgs[0], f.dir.Orgs[1:1+hospitalOrgs]
	if f.items, err = column(ctx, db, `SELECT id FROM items WHERE code LIKE 'BENCH-%' ORDER BY code`); err != nil {
		return nil, err
	}
	f.dir.Items = f.items
	in := "'" + strings.Join(f.hospitals, "','") + "'" // ids of the store's alphabet
	if f.targets, err = column(ctx, db, `SELECT id FROM needs WHERE organization_id IN (`+in+`) AND pledged < quantity AND status NOT IN ('cancelled', 'fulfilled') ORDER BY id`); err != nil {
		return nil, err
	}
	if f.staff, err = column(ctx, db, `SELECT id FROM people WHERE organization_id IN (`+in+`) ORDER BY id`); err != nil {
		return nil, err
	}
	var needs, people int
	if err := db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM needs), (SELECT COUNT(*) FROM people)`).Scan(&needs, &people); err != nil {
		return nil, err
	}
	if needs < sh.needs || people < sh.people {
		return nil, fmt.Errorf("the database holds %d needs and %d people, fewer than the %d and %d asked for: give another database", needs, people, sh.needs, sh.people)
	}
	// Every k-th row in id order, which is random order of creation.
	if f.needs, err = column(ctx, db, `SELECT id FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS r FROM needs) x WHERE r % `+
		strconv.Itoa(max(1, needs/sampleSize))+` = 0`); err != nil {
		return nil, err
	}
	if f.people, err = column(ctx, db, `SELECT id FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS r FROM people) x WHERE r % `+
		strconv.Itoa(max(1, people/sampleSize))+` = 0`); err != nil {
		return nil, err
	}
	if len(f.targets) == 0 || len(f.items) == 0 || len(f.needs) == 0 || len(f.people) == 0 || len(f.staff) == 0 {
		return nil, errors.New("the data set lacks needs, items or people the mix draws from")
	}
	return f, nil
}

func column(ctx context.Context, db *sql.DB, q string) ([]string, error) {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
