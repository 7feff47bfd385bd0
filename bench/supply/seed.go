package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"time"

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

// The user of the benchmark: a coordinator of the donor organization.
const (
	benchEmail    = "supply-bench@example.org"
	benchPassword = "bench-password-not-secret"
)

// readDirectory reads back what launch.CreateDirectory made in an earlier run.
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
	f := &fixtures{country: map[string]string{}, countries: launch.Countries}
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
		dir, err := launch.CreateDirectory(ctx, s, c.orgs, c.items)
		if err != nil {
			return nil, err
		}
		f.orgs, f.country, f.items, f.donor = dir.Orgs, dir.Country, dir.Items, dir.Orgs[0]
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

// bulkNeeds inserts n needs of the data set (launch.InsertNeeds), then runs
// ANALYZE so that the planner knows the table.
func bulkNeeds(ctx context.Context, d *dataset, f *fixtures, n int) error {
	start := time.Now()
	db, err := openDataset(d)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := launch.InsertNeeds(ctx, d, db, launch.Directory{Orgs: f.orgs, Country: f.country, Items: f.items}, n); err != nil {
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
