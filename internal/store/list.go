package store

import (
	"unicode/utf8"

	"context"
	"encoding/base64"
	"strconv"
	"strings"

	"aidbridge/internal/domain"
)

// DefaultLimit is the size of a page of a list that names none; the most is
// domain.MaxPageSize.
const DefaultLimit = 50

func clampLimit(n int) int {
	if n <= 0 {
		return DefaultLimit
	}
	return min(n, domain.MaxPageSize)
}

func itoa(i int) string { return strconv.Itoa(i) }

// cursor is a position in a list ordered by (name, id).
type cursor struct{ name, id string }

func encodeCursor(name, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(name + "\x00" + id))
}

// decodeCursor reads a cursor that encodeCursor wrote. A cursor the server
// did not give out (not base64, no id of ours, a name that is not text or
// longer than any name) is refused with EINVALID, so that it never reaches
// the database as a value it cannot compare.
func decodeCursor(s string) (cursor, error) {
	if s == "" {
		return cursor{}, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		name, id, ok := strings.Cut(string(raw), "\x00")
		if ok && domain.ValidText(name) && utf8.RuneCountInString(name) <= domain.MaxName && validID(id) {
			return cursor{name, id}, nil
		}
	}
	return cursor{}, badCursor()
}

func badCursor() error {
	var p domain.Problems
	p.Add("cursor", domain.MsgBadCursor)
	return p.Err("cursor")
}

// validID reports whether id is of the form newID gives.
func validID(id string) bool {
	if len(id) == 0 || len(id) > 32 {
		return false
	}
	_, err := idEncoding.DecodeString(id)
	return err == nil
}

// likePattern returns a LIKE pattern matching names that contain q, case
// folded, with LIKE's own wildcards escaped.
func likePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(q)) + "%"
}

// query builds a WHERE clause with numbered parameters ($1, $2, ...).
type query struct {
	where []string
	args  []any
}

func (q *query) add(cond string, args ...any) {
	for _, a := range args {
		q.args = append(q.args, a)
		cond = strings.Replace(cond, "?", "$"+itoa(len(q.args)), 1)
	}
	q.where = append(q.where, cond)
}

func (q *query) clause() string {
	if len(q.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.where, " AND ")
}

// page adds the keyset condition of a (name, id) ordered list after cur.
func (q *query) page(nameCol, idCol string, cur cursor) {
	if cur.id != "" {
		q.add("("+nameCol+" > ? OR ("+nameCol+" = ? AND "+idCol+" > ?))", cur.name, cur.name, cur.id)
	}
}

// scanner is a row that can be scanned: *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// queryAll runs a query in tx and scans every row with scan.
func queryAll[T any](ctx context.Context, db querier, scan func(scanner) (T, error), q string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// pageOf cuts a list read with limit+1 rows to limit and returns the cursor
// of the next page, made from the (name, id) key of the last item kept; ""
// when there is no next page.
func pageOf[T any](items []T, limit int, key func(T) (string, string)) ([]T, string) {
	if len(items) <= limit {
		return items, ""
	}
	items = items[:limit]
	name, id := key(items[limit-1])
	return items, encodeCursor(name, id)
}
