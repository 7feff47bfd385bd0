package main

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"aidbridge/bench/launch"
	"aidbridge/internal/account"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// dataset is a new database of one dialect (bench/launch).
type dataset = launch.Dataset

// newDataset creates an empty database of the dialect.
func newDataset(ctx context.Context, dialect, pgAdmin string) (*dataset, error) {
	return launch.NewDataset(ctx, dialect, pgAdmin, "supply")
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
	donor     string   // the organization every pledge comes from
	hot       string   // the need all clients pledge to
	spread    []string // the needs pledges are spread over
	scarce    string   // the need that runs out
	token     string
}

// createFixtures fills the new database through the store, as the
// application would: organizations, catalog items, the needs the pledge runs
// use, and a coordinator of the donor organization with an API token.
func createFixtures(ctx context.Context, d *dataset, c config) (*fixtures, error) {
	start := time.Now()
	s, err := store.Open(ctx, d.URL) // applies the migrations
	if err != nil {
		return nil, err
	}
	defer s.Close()
	dir, err := launch.CreateDirectory(ctx, s, c.orgs, c.items)
	if err != nil {
		return nil, err
	}
	f := &fixtures{orgs: dir.Orgs, country: dir.Country, countries: launch.Countries, items: dir.Items}
	f.donor = f.orgs[0]

	acc := account.NewService(s)
	u := domain.User{Email: "supply-bench@example.org", Name: "Supply Bench Coordinator",
		Memberships: []domain.Membership{{OrganizationID: f.donor, Role: domain.RoleCoordinator}}}
	if err := acc.CreateUser(ctx, nil, &u, "bench-password-not-secret"); err != nil {
		return nil, fmt.Errorf("create user: %w", err)
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
	if f.hot, err = post(f.orgs[1], f.items[0], c.bigQuantity); err != nil {
		return nil, fmt.Errorf("create the hot need: %w", err)
	}
	for i := range c.spread {
		id, err := post(f.orgs[1+i%(len(f.orgs)-1)], f.items[i%len(f.items)], c.bigQuantity)
		if err != nil {
			return nil, fmt.Errorf("create need %d of the spread: %w", i, err)
		}
		f.spread = append(f.spread, id)
	}
	if f.scarce, err = post(f.orgs[2], f.items[1], c.scarce); err != nil {
		return nil, fmt.Errorf("create the scarce need: %w", err)
	}
	fmt.Printf("%s: %d organizations, %d items, %d needs, a user and a token created through the store in %s\n",
		d.Dialect, len(f.orgs), len(f.items), 2+len(f.spread), time.Since(start).Round(time.Millisecond))
	return f, nil
}

// weighted is a value drawn with a weight.
type weighted struct {
	name   string
	weight int
}

// urgencies are the needs' urgencies in urgency_rank order, with the shares
// the data set draws them with (bench/launch).
var urgencies = []weighted{{"critical", 15}, {"high", 30}, {"normal", 55}}

// bulkNeeds inserts n needs of the data set of bench/launch, in one
// transaction: a prepared 100-row INSERT on SQLite, COPY on PostgreSQL. It
// then runs ANALYZE so that the planner knows the table.
func bulkNeeds(ctx context.Context, d *dataset, f *fixtures, n int) error {
	start := time.Now()
	db, err := openDataset(d)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := launch.InsertNeeds(ctx, d, db, f.orgs, f.items, n); err != nil {
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
