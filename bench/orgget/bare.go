package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"time"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// The two statements that store.FindOrganization ran, word for word, before
// the store read an organization with its accreditations and departments in
// one (internal/store/organizations.go). The bare handler keeps them as the
// reference: a plain handler over the plain SQL, unprepared.
const (
	orgColumns = `o.id, o.name, o.kind, o.country, o.subdivision, o.city, COALESCE(o.parent_id, ''), o.parent_relation,
	o.beds_total, o.beds_in_service, o.clinical_departments, o.website, o.latitude, o.longitude, o.created_at, o.updated_at, o.version`
	orgQuery = `SELECT ` + orgColumns + ` FROM organizations o WHERE o.id = $1`
	accQuery = `SELECT kind, name, granted_by, granted_on, granted_precision FROM accreditations
		WHERE organization_id = $1 ORDER BY granted_on, position`
)

// bare serves GET /api/v1/organizations/{id} with nothing but net/http,
// database/sql and encoding/json: the two queries above, no
// authentication, no middleware, no departments. With tx set it runs them in
// a read transaction.
type bare struct {
	db *sql.DB
	tx bool
}

// openBare opens the database with as many connections as the store's read
// pool (8 on SQLite, 32 on PostgreSQL), keeping idle of them open when idle
// (all of them when idle is 0).
func openBare(d *dataset, idle int) (*sql.DB, error) {
	db, err := sql.Open(d.driver, d.dsn)
	if err != nil {
		return nil, err
	}
	n := 32
	if d.dialect == store.SQLite {
		n = 8
	}
	db.SetMaxOpenConns(n)
	if idle <= 0 {
		idle = n
	}
	db.SetMaxIdleConns(idle)
	return db, nil
}

// serveBare starts the bare handler on a loopback port and returns its URL
// and a function that stops it.
func serveBare(db *sql.DB, tx bool) (string, func(), error) {
	mux := http.NewServeMux()
	mux.Handle("GET /api/v1/organizations/{id}", &bare{db: db, tx: tx})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	go srv.Serve(ln)
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}
	return "http://" + ln.Addr().String(), stop, nil
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (b *bare) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var q querier = b.db
	if b.tx {
		tx, err := b.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer tx.Rollback()
		q = tx
	}
	o, err := find(ctx, q, r.PathValue("id"))
	if err == sql.ErrNoRows {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("ETag", `"`+strconv.FormatInt(o.Version, 10)+`"`)
	json.NewEncoder(w).Encode(o)
}

func find(ctx context.Context, q querier, id string) (domain.Organization, error) {
	var o domain.Organization
	var bt, bs, cd sql.NullInt64
	var lat, lon sql.NullFloat64
	err := q.QueryRowContext(ctx, orgQuery, id).Scan(&o.ID, &o.Name, &o.Kind, &o.Country, &o.Subdivision, &o.City,
		&o.ParentID, &o.ParentRelation, &bt, &bs, &cd, &o.Website, &lat, &lon, &o.CreatedAt, &o.UpdatedAt, &o.Version)
	if err != nil {
		return o, err
	}
	if lat.Valid && lon.Valid {
		o.Latitude, o.Longitude = &lat.Float64, &lon.Float64
	}
	o.BedsTotal, o.BedsInService, o.ClinicalDepartments = nullInt(bt), nullInt(bs), nullInt(cd)
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	rows, err := q.QueryContext(ctx, accQuery, id)
	if err != nil {
		return o, err
	}
	defer rows.Close()
	o.Accreditations = []domain.Accreditation{}
	for rows.Next() {
		var a domain.Accreditation
		if err := rows.Scan(&a.Kind, &a.Name, &a.GrantedBy, &a.GrantedOn.Date, &a.GrantedOn.Precision); err != nil {
			return o, err
		}
		o.Accreditations = append(o.Accreditations, a)
	}
	return o, rows.Err()
}

func nullInt(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}
