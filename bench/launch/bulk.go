package launch

import (
	"context"
	"database/sql"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// perInsert is the rows of one SQLite INSERT of a bulk load.
const perInsert = 100

// Bulk inserts n rows of table, made by gen in the order of cols, in one
// transaction on conn: COPY on PostgreSQL, a prepared multi-row INSERT on
// SQLite. gen may reuse the slice it is given.
func Bulk(ctx context.Context, conn *sql.Conn, postgres bool, table string, cols []string, n int, gen func(i int, row []any) []any) error {
	if postgres {
		return conn.Raw(func(dc any) error {
			pc := dc.(*stdlib.Conn).Conn()
			k, err := pc.CopyFrom(ctx, pgx.Identifier{table}, cols, &rowSource{gen: gen, n: n})
			if err == nil && k != int64(n) {
				err = fmt.Errorf("copied %d rows into %s, not %d", k, table, n)
			}
			return err
		})
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, insertSQL(table, cols, perInsert))
	if err != nil {
		return err
	}
	defer stmt.Close()
	args := make([]any, 0, perInsert*len(cols))
	var row []any
	for lo := 0; lo < n; lo += perInsert {
		hi := min(lo+perInsert, n)
		args = args[:0]
		for i := lo; i < hi; i++ {
			row = gen(i, row)
			args = append(args, row...)
		}
		if hi-lo == perInsert {
			_, err = stmt.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, insertSQL(table, cols, hi-lo), args...)
		}
		if err != nil {
			return fmt.Errorf("%s %d to %d: %w", table, lo, hi, err)
		}
	}
	return tx.Commit()
}

// insertSQL returns a multi-row INSERT for SQLite. Its parameters are
// anonymous (?): the driver looks up the name of every numbered one on each
// bind, which costs time quadratic in their number.
func insertSQL(table string, cols []string, rows int) string {
	row := "(" + strings.Repeat("?,", len(cols)-1) + "?)"
	return "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " + strings.Repeat(row+",", rows-1) + row
}

// rowSource feeds generated rows to COPY.
type rowSource struct {
	gen  func(i int, row []any) []any
	i, n int
	row  []any
}

func (s *rowSource) Next() bool {
	if s.i >= s.n {
		return false
	}
	s.row = s.gen(s.i, s.row)
	s.i++
	return true
}

func (s *rowSource) Values() ([]any, error) { return s.row, nil }
func (s *rowSource) Err() error             { return nil }

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// NewID makes an id of the store's form, milliseconds then 80 random bits,
// from the record's creation time and the generator, so that a run is
// repeatable.
func NewID(rng *mrand.Rand, at time.Time) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(at.UnixMilli())<<16|uint64(rng.Uint32()&0xffff))
	binary.BigEndian.PutUint64(b[8:], rng.Uint64())
	return idEncoding.EncodeToString(b[:])
}
