package main

import (
	"context"
	"database/sql"
	"fmt"
	mrand "math/rand/v2"
	"strconv"
	"strings"
	"time"

	"aidbridge/bench/launch"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// dataset is a new database of one dialect (bench/launch).
type dataset = launch.Dataset

// newDataset creates an empty database of the dialect.
func newDataset(ctx context.Context, dialect, pgAdmin string) (*dataset, error) {
	return launch.NewDataset(ctx, dialect, pgAdmin, "reports")
}

// shape is how much to generate and how it is spread.
type shape struct {
	programs, partnerships, missions int // missions per ordinary partnership
	bigMissions                      int // missions of the big partnership
	bigProgram                       int // partnerships of the big program, the big partnership among them
	activities, bigActivities        int
	outcomes, bigOutcomes            int
	seed                             uint64
}

// world is the generated directory and partnerships the bulk rows hang
// from, and the ids the measurements ask for.
type world struct {
	orgs         []string
	people       [][]string // by organization
	programs     []string
	partnerships []partnership
	big, small   string // partnership ids
	bigProgram   string
	counts       map[string]int // rows inserted by table
}

type partnership struct {
	id                 string
	program            int
	provider, receiver int // organization index
	missions           []mission
}

type mission struct {
	id         string
	starts     time.Time
	days       int
	sending    int
	host       int
	teamPeople []string
}

var epoch = time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)

// plan draws the directory, programs, partnerships and missions.
func plan(sh shape, rng *mrand.Rand) *world {
	w := &world{counts: map[string]int{}}
	at := epoch
	next := func() string { at = at.Add(time.Second); return launch.NewID(rng, at) }
	nOrgs := 2 * sh.partnerships
	for range nOrgs {
		w.orgs = append(w.orgs, next())
		var ps []string
		for range 12 {
			ps = append(ps, next())
		}
		w.people = append(w.people, ps)
	}
	for range sh.programs {
		w.programs = append(w.programs, next())
	}
	w.bigProgram = w.programs[0]
	for i := range sh.partnerships {
		p := partnership{id: next(), provider: i % nOrgs, receiver: (i + 1 + rng.IntN(nOrgs-1)) % nOrgs}
		if p.receiver == p.provider {
			p.receiver = (p.provider + 1) % nOrgs
		}
		// The first bigProgram partnerships are the big program's, the rest
		// spread over the others.
		if i >= sh.bigProgram && sh.programs > 1 {
			p.program = 1 + (i-sh.bigProgram)%(sh.programs-1)
		}
		n := sh.missions
		if i == 0 {
			n = sh.bigMissions
		}
		for k := range n {
			// Missions follow one another from 2014, each a season to a year long.
			start := epoch.AddDate(0, 0, k*(4000/n)+rng.IntN(30))
			m := mission{id: next(), starts: start, days: 90 + rng.IntN(275), sending: p.provider, host: p.receiver}
			people := w.people[p.provider]
			for _, j := range rng.Perm(len(people))[:4+rng.IntN(8)] {
				m.teamPeople = append(m.teamPeople, people[j])
			}
			p.missions = append(p.missions, m)
		}
		w.partnerships = append(w.partnerships, p)
	}
	w.big = w.partnerships[0].id
	// A small partnership of another program: an ordinary share of the rows.
	w.small = w.partnerships[len(w.partnerships)-1].id
	return w
}

// fill inserts the world and its bulk rows with SQL of our own: multi-row
// INSERTs in one transaction on SQLite, COPY on PostgreSQL.
func fill(ctx context.Context, d *dataset, sh shape) (*world, error) {
	rng := mrand.New(mrand.NewPCG(sh.seed, 1))
	w := plan(sh, rng)
	db, err := sql.Open(d.Driver, d.DSN)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if d.Dialect == store.SQLite {
		// A large page cache for this connection keeps the indexes in memory while they grow.
		if _, err := conn.ExecContext(ctx, "PRAGMA cache_size = -262144"); err != nil {
			return nil, err
		}
	}
	ins := &inserter{conn: conn, postgres: d.Dialect == store.Postgres, counts: w.counts}
	now := epoch
	date := func(t time.Time) any {
		if ins.postgres {
			return t
		}
		return t.Format(time.DateOnly)
	}
	for i, id := range w.orgs {
		ins.add("organizations", []string{"id", "name", "kind", "country", "created_at", "updated_at", "version"},
			id, fmt.Sprintf("Bench Hospital %04d", i), "hospital", "CN", now, now, int64(1))
	}
	for i, ps := range w.people {
		for j, id := range ps {
			ins.add("people", []string{"id", "organization_id", "name", "created_at", "updated_at", "version"},
				id, w.orgs[i], fmt.Sprintf("Doctor %04d-%02d", i, j), now, now, int64(1))
		}
	}
	for i, id := range w.programs {
		ins.add("programs", []string{"id", "name", "kind", "created_at", "updated_at", "version"},
			id, fmt.Sprintf("Bench Program %d", i), "counterpart_assistance", now, now, int64(1))
	}
	currencies := []string{"CNY", "USD", "EUR"}
	for i, p := range w.partnerships {
		ins.add("partnerships", []string{"id", "program_id", "name", "provider_id", "recipient_id", "status", "created_at", "updated_at", "version"},
			p.id, w.programs[p.program], fmt.Sprintf("Bench Partnership %03d", i), w.orgs[p.provider], w.orgs[p.receiver], "active", now, now, int64(1))
		for k := range 5 {
			amount := int64(100000 + rng.IntN(10000000))
			ins.add("commitments", []string{"id", "partnership_id", "party_id", "kind", "amount_minor", "currency", "delivered_minor",
				"created_at", "updated_at", "version"},
				launch.NewID(rng, now), p.id, w.orgs[p.provider], "money", amount, currencies[k%3], amount/2, now, now, int64(1))
		}
		for k, m := range p.missions {
			status := "returned"
			if k == len(p.missions)-1 {
				status = "deployed"
			}
			ins.add("missions", []string{"id", "partnership_id", "sequence", "sending_id", "host_id", "starts_on", "ends_on", "status",
				"created_at", "updated_at", "version"},
				m.id, p.id, int64(k+1), w.orgs[m.sending], w.orgs[m.host], date(m.starts), date(m.starts.AddDate(0, 0, m.days)), status, now, now, int64(1))
			for j, person := range m.teamPeople {
				role := "member"
				if j == 0 {
					role = "leader"
				}
				ins.add("team_members", []string{"mission_id", "person_id", "role"}, m.id, person, role)
			}
		}
	}
	if err := ins.flushAll(ctx); err != nil {
		return nil, err
	}
	if err := ins.bulk(ctx, "activities", activityInsertColumns, sh.activities, activityRows(w, sh, rng, date)); err != nil {
		return nil, err
	}
	if err := ins.bulk(ctx, "outcomes", outcomeInsertColumns, sh.outcomes, outcomeRows(w, sh, rng, date)); err != nil {
		return nil, err
	}
	return w, nil
}

// pick returns the partnership of a bulk row of a table of n rows: the big
// partnership with the odds big/n, so that its rows are spread through the
// table as field work is logged, otherwise any other, evenly.
func pick(w *world, rng *mrand.Rand, n, big int) *partnership {
	if rng.IntN(n) < big {
		return &w.partnerships[0]
	}
	return &w.partnerships[1+rng.IntN(len(w.partnerships)-1)]
}

var activityInsertColumns = []string{"id", "mission_id", "partnership_id", "kind", "done_on", "count", "place", "notes",
	"created_at", "updated_at", "version"}

// activityRows generates activities, one partnership's mixed with the
// others' as they are logged.
func activityRows(w *world, sh shape, rng *mrand.Rand, date func(time.Time) any) func(i int, row []any) []any {
	return func(i int, row []any) []any {
		p := pick(w, rng, sh.activities, sh.bigActivities)
		m := p.missions[rng.IntN(len(p.missions))]
		on := m.starts.AddDate(0, 0, rng.IntN(m.days+1))
		kind := domain.ActivityKinds[rng.IntN(len(domain.ActivityKinds))]
		at := on.Add(18 * time.Hour)
		return append(row[:0], launch.NewID(rng, at), m.id, p.id, string(kind), date(on), int64(1+rng.IntN(60)), "", "", at, at, int64(1))
	}
}

var outcomeInsertColumns = []string{"id", "partnership_id", "mission_id", "kind", "title", "occurred_on", "occurred_precision",
	"novelty", "change", "amount_minor", "currency", "funding", "lead_id", "journal", "sci_indexed",
	"impact_factor_thousandths", "local_first_author", "milestone", "created_at", "updated_at", "version"}

var (
	novelties  = []string{"fills_national_gap", "fills_regional_gap", "region_leading", "fills_subregional_gap", "new_to_hospital"}
	changes    = []string{"established", "restructured"}
	milestones = []string{"accreditation", "consortium", "award"}
	// outcomeKinds weighs the kinds: techniques and trainees most often.
	outcomeKinds = []string{"technique", "technique", "technique", "trainee", "trainee", "trainee", "publication", "publication",
		"research_project", "service", "milestone"}
)

func outcomeRows(w *world, sh shape, rng *mrand.Rand, date func(time.Time) any) func(i int, row []any) []any {
	return func(i int, row []any) []any {
		p := pick(w, rng, sh.outcomes, sh.bigOutcomes)
		m := p.missions[rng.IntN(len(p.missions))]
		on := m.starts.AddDate(0, 0, rng.IntN(m.days+1))
		kind := outcomeKinds[rng.IntN(len(outcomeKinds))]
		var novelty, change, funding, currency, journal, milestone string
		var amount, lead any
		var sci, local bool
		var impact int64
		switch kind {
		case "technique":
			novelty = novelties[rng.IntN(len(novelties))]
		case "service":
			change = changes[rng.IntN(len(changes))]
		case "research_project":
			funding, lead = "applied", w.orgs[p.provider]
			if rng.IntN(2) == 0 {
				funding, amount, currency = "funded", int64(1000000+rng.IntN(100000000)), "CNY"
			}
			if rng.IntN(3) == 0 {
				lead = w.orgs[p.receiver]
			}
		case "publication":
			journal, sci, local = "Journal "+strconv.Itoa(rng.IntN(50)), rng.IntN(2) == 0, rng.IntN(3) == 0
			impact = int64(rng.IntN(15000))
		case "milestone":
			milestone = milestones[rng.IntN(len(milestones))]
		}
		at := on.Add(20 * time.Hour)
		return append(row[:0], launch.NewID(rng, at), p.id, m.id, kind, fmt.Sprintf("Bench %s %07d", kind, i), date(on), "day",
			novelty, change, amount, currency, funding, lead, journal, sci, impact, local, milestone, at, at, int64(1))
	}
}

// inserter writes rows on one connection: small tables as multi-row
// INSERTs, bulk tables by COPY on PostgreSQL.
type inserter struct {
	conn     *sql.Conn
	postgres bool
	counts   map[string]int
	pending  []*batch
}

type batch struct {
	table string
	cols  []string
	args  []any
	rows  int
}

// perInsert is the rows of one INSERT: modernc's SQLite and PostgreSQL both
// take 100 rows of a dozen columns well under their parameter limits.
const perInsert = 100

func (ins *inserter) add(table string, cols []string, vals ...any) {
	var b *batch
	for _, x := range ins.pending {
		if x.table == table {
			b = x
		}
	}
	if b == nil {
		b = &batch{table: table, cols: cols}
		ins.pending = append(ins.pending, b)
	}
	b.args = append(b.args, vals...)
	b.rows++
	ins.counts[table]++
}

// flushAll inserts the pending rows, tables in the order they were first
// added (parents first), in one transaction.
func (ins *inserter) flushAll(ctx context.Context) error {
	tx, err := ins.conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, b := range ins.pending {
		n := len(b.cols)
		for lo := 0; lo < b.rows; lo += perInsert {
			hi := min(lo+perInsert, b.rows)
			if _, err := tx.ExecContext(ctx, insertSQL(b.table, b.cols, hi-lo, ins.postgres), b.args[lo*n:hi*n]...); err != nil {
				return fmt.Errorf("insert %s: %w", b.table, err)
			}
		}
	}
	ins.pending = nil
	return tx.Commit()
}

// bulk inserts n rows of table made by gen (bench/launch).
func (ins *inserter) bulk(ctx context.Context, table string, cols []string, n int, gen func(i int, row []any) []any) error {
	ins.counts[table] += n
	return launch.Bulk(ctx, ins.conn, ins.postgres, table, cols, n, gen)
}

// insertSQL returns a multi-row INSERT. SQLite's parameters are anonymous
// (?): modernc looks up the name of every numbered one on each bind, which
// costs time quadratic in their number.
func insertSQL(table string, cols []string, rows int, numbered bool) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	k := 0
	for r := range rows {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteByte(',')
			}
			k++
			if numbered {
				b.WriteString("$" + strconv.Itoa(k))
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}
