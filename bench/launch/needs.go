package launch

import (
	"context"
	"database/sql"
	"fmt"
	mrand "math/rand/v2"
	"strconv"
	"time"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// The needs data set of the supply benchmarks: needs spread over given
// organizations and items, created one a minute from January 2024, with
// figures that agree with their status as the store derives it.

// NeedColumns are the columns of the needs table the data set writes
// (migrations 00002_supply and 00017_needs_country): the country is written
// with the need, so the trigger that keeps it has nothing to do.
var NeedColumns = []string{"id", "organization_id", "item_id", "quantity", "urgency", "urgency_rank", "needed_by", "justification",
	"shortage", "status", "pledged", "received", "damaged", "cancelled_at", "cancel_reason", "created_at", "updated_at", "version", "country"}

// share is a value drawn with a weight.
type share struct {
	name   string
	weight int
}

var (
	needUrgencies = []share{{"critical", 15}, {"high", 30}, {"normal", 55}} // in urgency_rank order
	needStatuses  = []share{{"open", 25}, {"partially_pledged", 15}, {"pledged", 10}, {"partially_delivered", 10}, {"fulfilled", 30}, {"cancelled", 10}}
	needsStart    = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	dueStart      = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

// draw returns the index of one of xs drawn by weight.
func draw(rng *mrand.Rand, xs []share) int {
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

// needRows returns the generator of need i in the order of NeedColumns.
// Dates are time.Time for COPY on PostgreSQL and text on SQLite, as
// domain.Date stores them.
func needRows(dir Directory, postgres bool) func(i int, out []any) []any {
	orgs, items := dir.Orgs, dir.Items
	rng := mrand.New(mrand.NewPCG(7, 11))
	return func(i int, out []any) []any {
		created := needsStart.Add(time.Duration(i) * time.Minute)
		updated := created.Add(time.Duration(1+rng.IntN(72*60)) * time.Minute)
		rank := draw(rng, needUrgencies)
		status := needStatuses[draw(rng, needStatuses)].name
		var neededBy any
		if rng.IntN(5) > 0 {
			due := dueStart.AddDate(0, 0, rng.IntN(730))
			if postgres {
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
		var rankValue any = rank
		if postgres {
			rankValue = int32(rank) // urgency_rank is an INTEGER
		}
		org := orgs[rng.IntN(len(orgs))]
		return append(out[:0], NewID(rng, created), org, items[rng.IntN(len(items))], q, needUrgencies[rank].name, rankValue,
			neededBy, "Bench need "+strconv.Itoa(i)+": stock runs out within the month", rng.IntN(10) == 0, status,
			pledged, received, int64(0), cancelled, reason, created, updated, version, dir.Country[org])
	}
}

// InsertNeeds inserts n needs of the data set into d, in one transaction on
// a connection of db (opened on d.DSN), which must hold dir. The same
// arguments give the same needs.
func InsertNeeds(ctx context.Context, d *Dataset, db *sql.DB, dir Directory, n int) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	postgres := d.Dialect == store.Postgres
	if !postgres {
		// A large page cache for this connection keeps the indexes of the
		// table in memory while they grow.
		if _, err := conn.ExecContext(ctx, "PRAGMA cache_size = -262144"); err != nil {
			return err
		}
	}
	return Bulk(ctx, conn, postgres, "needs", NeedColumns, n, needRows(dir, postgres))
}

// Countries are where the organizations of the data set are, thirty of them.
var Countries = []string{"CN", "US", "FR", "DE", "KE", "BR", "IN", "GB", "IT", "ES", "JP", "KR", "ZA", "NG", "EG",
	"MX", "AR", "CA", "AU", "ID", "PK", "BD", "TH", "VN", "PH", "TR", "ET", "UA", "PL", "CL"}

// Directory is what the needs of the data set hang from: organization ids
// in the order they were created, their countries, and item ids.
type Directory struct {
	Orgs    []string
	Country map[string]string // organization id to country
	Items   []string
}

// CreateDirectory creates orgs organizations, spread over Countries, and
// items catalog items through the store, as the application would.
func CreateDirectory(ctx context.Context, s *store.Store, orgs, items int) (Directory, error) {
	dir := Directory{Country: map[string]string{}}
	kinds := []domain.OrgKind{"hospital", "hospital", "hospital", "foundation", "government", "ngo", "university", "company"}
	for i := range orgs {
		beds := int64(50 + i%3000)
		o := domain.Organization{Name: fmt.Sprintf("Supply Bench Hospital %05d", i), Kind: kinds[i%len(kinds)],
			Country: Countries[i%len(Countries)], City: "City " + strconv.Itoa(i%97), BedsTotal: &beds}
		if err := s.CreateOrganization(ctx, store.Actor{}, &o); err != nil {
			return dir, fmt.Errorf("create organization %d: %w", i, err)
		}
		dir.Orgs = append(dir.Orgs, o.ID)
		dir.Country[o.ID] = o.Country
	}
	categories := domain.ItemCategories
	for i := range items {
		it := domain.Item{Code: fmt.Sprintf("BENCH-%03d", i), Name: fmt.Sprintf("Bench item %03d", i),
			Category: categories[i%len(categories)], Unit: "box"}
		if err := s.CreateItem(ctx, store.Actor{}, &it); err != nil {
			return dir, fmt.Errorf("create item %d: %w", i, err)
		}
		dir.Items = append(dir.Items, it.ID)
	}
	return dir, nil
}
