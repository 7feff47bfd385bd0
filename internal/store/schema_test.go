package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"aidbridge/internal/store/storetest"
)

// The parity test compares what the two migration folders build: the tables,
// each table's columns and their nullability, and its CHECK constraints. It
// does not compare types (DATETIME and TIMESTAMPTZ, TEXT and JSONB differ on
// purpose), defaults or indexes.

// gooseTable is goose's own version table, left out of the comparison.
const gooseTable = "goose_db_version"

// schema is what the parity test compares of one migrated database.
type schema struct {
	dialect string           // names the database in differences
	tables  map[string]table // by table name
}

// table is what the parity test compares of one table.
type table struct {
	columns map[string]bool // column name -> nullable
	checks  map[string]int  // checkKey -> how many such checks
}

func TestSchemaParity(t *testing.T) {
	if os.Getenv("AIDBRIDGE_TEST_POSTGRES") == "" {
		storetest.Missing(t, "PostgreSQL schema parity test", "AIDBRIDGE_TEST_POSTGRES is not set")
		t.SkipNow()
	}
	ctx := context.Background()
	// Opening a store applies every migration of its dialect.
	lite := storetest.Open(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	pg := storetest.Open(t, storetest.Backend{Name: "postgres", URL: storetest.PostgresURL})
	a, err := sqliteSchema(ctx, lite.DB())
	if err != nil {
		t.Fatalf("read sqlite schema: %v", err)
	}
	b, err := postgresSchema(ctx, pg.DB())
	if err != nil {
		t.Fatalf("read postgres schema: %v", err)
	}
	if len(a.tables) == 0 {
		t.Fatal("sqlite schema has no tables: the migrations did not run")
	}
	if diff := diffSchemas(a, b); len(diff) > 0 {
		t.Errorf("migrations/sqlite and migrations/postgres build different schemas:\n\t%s", strings.Join(diff, "\n\t"))
	}
}

// diffSchemas returns every difference between a and b, one line each, in
// the order of table, column and check names.
func diffSchemas(a, b schema) []string {
	var out []string
	for _, name := range unionKeys(a.tables, b.tables) {
		ta, inA := a.tables[name]
		tb, inB := b.tables[name]
		switch {
		case !inA:
			out = append(out, fmt.Sprintf("table %s: only in %s", name, b.dialect))
			continue
		case !inB:
			out = append(out, fmt.Sprintf("table %s: only in %s", name, a.dialect))
			continue
		}
		for _, col := range unionKeys(ta.columns, tb.columns) {
			na, inA := ta.columns[col]
			nb, inB := tb.columns[col]
			switch {
			case !inA:
				out = append(out, fmt.Sprintf("table %s: column %s: only in %s", name, col, b.dialect))
			case !inB:
				out = append(out, fmt.Sprintf("table %s: column %s: only in %s", name, col, a.dialect))
			case na != nb:
				out = append(out, fmt.Sprintf("table %s: column %s: %s in %s, %s in %s",
					name, col, nullability(na), a.dialect, nullability(nb), b.dialect))
			}
		}
		for _, key := range unionKeys(ta.checks, tb.checks) {
			ca, cb := ta.checks[key], tb.checks[key]
			switch {
			case ca == cb:
			case cb == 0:
				out = append(out, fmt.Sprintf("table %s: %s: only in %s", name, key, a.dialect))
			case ca == 0:
				out = append(out, fmt.Sprintf("table %s: %s: only in %s", name, key, b.dialect))
			default:
				out = append(out, fmt.Sprintf("table %s: %s: %d in %s, %d in %s", name, key, ca, a.dialect, cb, b.dialect))
			}
		}
	}
	return out
}

func nullability(nullable bool) string {
	if nullable {
		return "nullable"
	}
	return "NOT NULL"
}

// unionKeys returns the keys of a and b, sorted.
func unionKeys[V any](a, b map[string]V) []string {
	keys := slices.Collect(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// checkKey names a CHECK constraint of table for comparison; cols are the
// columns its expression reads. A check the migration names is compared by
// name. A check it leaves unnamed has no name in SQLite, and in PostgreSQL
// the one PostgreSQL chooses: table_column_check when the expression reads
// one column, table_check otherwise, with a number appended when taken. Both
// count as an unnamed check, compared by the columns it reads. A check named
// explicitly as PostgreSQL would have named it counts as unnamed too, on
// both sides.
func checkKey(table, name string, cols []string) string {
	cols = slices.Sorted(slices.Values(cols))
	cols = slices.Compact(cols)
	if name != "" && !generatedCheckName(table, name, cols) {
		return "check " + name
	}
	return "unnamed check on (" + strings.Join(cols, ", ") + ")"
}

// generatedCheckName reports whether name is one PostgreSQL chooses for an
// unnamed check of table reading the distinct columns cols. Names longer
// than 63 bytes, which PostgreSQL truncates, are not recognized.
func generatedCheckName(table, name string, cols []string) bool {
	base := table + "_check"
	if len(cols) == 1 {
		base = table + "_" + cols[0] + "_check"
	}
	rest, ok := strings.CutPrefix(name, base)
	return ok && strings.Trim(rest, "0123456789") == ""
}

// sqliteSchema reads the schema of a SQLite database: columns from
// pragma table_info, checks from the CREATE TABLE text that SQLite keeps.
func sqliteSchema(ctx context.Context, db *sql.DB) (schema, error) {
	s := schema{dialect: "sqlite", tables: map[string]table{}}
	rows, err := db.QueryContext(ctx, `SELECT name, sql FROM sqlite_master
		WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name <> $1`, gooseTable)
	if err != nil {
		return s, err
	}
	ddl := map[string]string{}
	for rows.Next() {
		var name, text string
		if err := rows.Scan(&name, &text); err != nil {
			rows.Close()
			return s, err
		}
		ddl[name] = text
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s, err
	}
	for name, text := range ddl {
		t := table{columns: map[string]bool{}, checks: map[string]int{}}
		rows, err := db.QueryContext(ctx, `SELECT name, "notnull", pk FROM pragma_table_info($1)`, name)
		if err != nil {
			return s, err
		}
		for rows.Next() {
			var col string
			var notNull bool
			var pk int
			if err := rows.Scan(&col, &notNull, &pk); err != nil {
				rows.Close()
				return s, err
			}
			// PostgreSQL makes every primary key column NOT NULL; SQLite does
			// for INTEGER PRIMARY KEY (the rowid) and, for compatibility with
			// a bug of its early versions, not for other primary keys of a
			// rowid table. Both folders declare the same keys, so compare
			// what they declare.
			t.columns[strings.ToLower(col)] = !notNull && pk == 0
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return s, err
		}
		for _, c := range sqliteChecks(text, t.columns) {
			t.checks[checkKey(name, c.name, c.cols)]++
		}
		s.tables[name] = t
	}
	return s, nil
}

// sqliteCheck is a CHECK constraint found in a CREATE TABLE statement.
type sqliteCheck struct {
	name string   // "" when unnamed
	cols []string // columns of the table its expression reads
}

// sqliteChecks returns the CHECK constraints of the CREATE TABLE statement
// ddl, column and table constraints alike, in order; columns holds the
// table's column names, in lower case.
func sqliteChecks(ddl string, columns map[string]bool) []sqliteCheck {
	toks := sqlTokens(ddl)
	var out []sqliteCheck
	for i := 0; i < len(toks); i++ {
		if toks[i].text != "check" || toks[i].quoted || i+1 == len(toks) || toks[i+1].text != "(" {
			continue
		}
		var c sqliteCheck
		if i >= 2 && toks[i-2].text == "constraint" && !toks[i-2].quoted {
			c.name = toks[i-1].text
		}
		depth := 0
		for i++; i < len(toks); i++ {
			switch tok := toks[i]; {
			case tok.text == "(" && !tok.quoted:
				depth++
			case tok.text == ")" && !tok.quoted:
				depth--
			default:
				if _, ok := columns[tok.text]; ok {
					c.cols = append(c.cols, tok.text)
				}
			}
			if depth == 0 {
				break
			}
		}
		out = append(out, c)
	}
	return out
}

// sqlToken is a word, a quoted identifier or a punctuation character of SQL
// text, in lower case.
type sqlToken struct {
	text   string
	quoted bool
}

// sqlTokens splits SQL text into tokens, leaving out white space, comments
// and string literals.
func sqlTokens(text string) []sqlToken {
	var out []sqlToken
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.HasPrefix(text[i:], "--"):
			if j := strings.IndexByte(text[i:], '\n'); j >= 0 {
				i += j + 1
			} else {
				i = len(text)
			}
		case strings.HasPrefix(text[i:], "/*"):
			if j := strings.Index(text[i+2:], "*/"); j >= 0 {
				i += j + 4
			} else {
				i = len(text)
			}
		case c == '\'' || c == '"' || c == '`' || c == '[':
			end := c
			if c == '[' {
				end = ']'
			}
			// A doubled quote stands for itself inside the quotes.
			var b strings.Builder
			j := i + 1
			for j < len(text) {
				if text[j] == end {
					if end != ']' && j+1 < len(text) && text[j+1] == end {
						b.WriteByte(end)
						j += 2
						continue
					}
					break
				}
				b.WriteByte(text[j])
				j++
			}
			if c != '\'' {
				out = append(out, sqlToken{text: strings.ToLower(b.String()), quoted: true})
			}
			i = j + 1
		case isWordByte(c):
			j := i
			for j < len(text) && isWordByte(text[j]) {
				j++
			}
			out = append(out, sqlToken{text: strings.ToLower(text[i:j])})
			i = j
		default:
			out = append(out, sqlToken{text: string(c)})
			i++
		}
	}
	return out
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
}

// postgresSchema reads the schema of the current PostgreSQL schema from
// information_schema.columns and pg_constraint.
func postgresSchema(ctx context.Context, db *sql.DB) (schema, error) {
	s := schema{dialect: "postgres", tables: map[string]table{}}
	rows, err := db.QueryContext(ctx, `SELECT c.table_name, c.column_name, c.is_nullable
		FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> $1`, gooseTable)
	if err != nil {
		return s, err
	}
	for rows.Next() {
		var name, col, nullable string
		if err := rows.Scan(&name, &col, &nullable); err != nil {
			rows.Close()
			return s, err
		}
		t, ok := s.tables[name]
		if !ok {
			t = table{columns: map[string]bool{}, checks: map[string]int{}}
			s.tables[name] = t
		}
		t.columns[col] = nullable == "YES"
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s, err
	}
	rows, err = db.QueryContext(ctx, `SELECT c.relname, con.conname, COALESCE(string_agg(a.attname, ','), '')
		FROM pg_constraint con
		JOIN pg_class c ON c.oid = con.conrelid
		LEFT JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey)
		WHERE con.contype = 'c' AND c.relnamespace = current_schema()::regnamespace AND c.relname <> $1
		GROUP BY c.relname, con.conname`, gooseTable)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var name, con, cols string
		if err := rows.Scan(&name, &con, &cols); err != nil {
			return s, err
		}
		t, ok := s.tables[name]
		if !ok {
			return s, fmt.Errorf("check %s is on table %s, which has no columns", con, name)
		}
		var list []string
		if cols != "" {
			list = strings.Split(cols, ",")
		}
		t.checks[checkKey(name, con, list)]++
	}
	return s, rows.Err()
}

func TestSchemaDiff(t *testing.T) {
	needs := func() table {
		return table{
			columns: map[string]bool{"id": false, "quantity": false, "needed_by": true},
			checks:  map[string]int{"unnamed check on (quantity)": 1, "check needs_pledged_within_quantity": 1},
		}
	}
	items := func() table {
		return table{columns: map[string]bool{"id": false, "code": false}, checks: map[string]int{}}
	}
	build := func(dialect string, edit func(tables map[string]table)) schema {
		s := schema{dialect: dialect, tables: map[string]table{"needs": needs(), "items": items()}}
		if edit != nil {
			edit(s.tables)
		}
		return s
	}
	tests := []struct {
		name       string
		sqlite, pg func(tables map[string]table)
		want       []string
	}{
		{name: "same"},
		{
			name:   "column added to one folder",
			sqlite: func(ts map[string]table) { ts["needs"].columns["priority"] = true },
			want:   []string{"table needs: column priority: only in sqlite"},
		},
		{
			name: "column added to the other folder",
			pg:   func(ts map[string]table) { ts["items"].columns["unit"] = false },
			want: []string{"table items: column unit: only in postgres"},
		},
		{
			name: "nullability",
			pg:   func(ts map[string]table) { ts["needs"].columns["needed_by"] = false },
			want: []string{"table needs: column needed_by: nullable in sqlite, NOT NULL in postgres"},
		},
		{
			name:   "table in one folder",
			sqlite: func(ts map[string]table) { ts["events"] = table{columns: map[string]bool{"id": false}} },
			want:   []string{"table events: only in sqlite"},
		},
		{
			name: "check renamed",
			pg: func(ts map[string]table) {
				delete(ts["needs"].checks, "check needs_pledged_within_quantity")
				ts["needs"].checks["check needs_pledged_le_quantity"] = 1
			},
			want: []string{
				"table needs: check needs_pledged_le_quantity: only in postgres",
				"table needs: check needs_pledged_within_quantity: only in sqlite",
			},
		},
		{
			name: "unnamed check on one side only",
			pg:   func(ts map[string]table) { ts["needs"].checks["unnamed check on (quantity)"] = 2 },
			want: []string{"table needs: unnamed check on (quantity): 1 in sqlite, 2 in postgres"},
		},
		{
			name: "every difference at once, sorted",
			sqlite: func(ts map[string]table) {
				ts["needs"].columns["priority"] = true
				delete(ts["needs"].checks, "unnamed check on (quantity)")
				delete(ts, "items")
			},
			pg: func(ts map[string]table) {
				ts["needs"].columns["needed_by"] = false
				ts["needs"].columns["cancelled_at"] = true
			},
			want: []string{
				"table items: only in postgres",
				"table needs: column cancelled_at: only in postgres",
				"table needs: column needed_by: nullable in sqlite, NOT NULL in postgres",
				"table needs: column priority: only in sqlite",
				"table needs: unnamed check on (quantity): only in postgres",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := diffSchemas(build("sqlite", tt.sqlite), build("postgres", tt.pg))
			if !slices.Equal(got, tt.want) {
				t.Errorf("diffSchemas() =\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

func TestSchemaCheckKey(t *testing.T) {
	tests := []struct {
		table, name string
		cols        []string
		want        string
	}{
		{"needs", "", []string{"quantity"}, "unnamed check on (quantity)"},
		{"needs", "needs_quantity_check", []string{"quantity"}, "unnamed check on (quantity)"},
		{"needs", "needs_quantity_check1", []string{"quantity"}, "unnamed check on (quantity)"},
		{"pledges", "pledges_check", []string{"shipped", "quantity"}, "unnamed check on (quantity, shipped)"},
		{"pledges", "pledges_check12", []string{"received", "damaged", "shipped"}, "unnamed check on (damaged, received, shipped)"},
		{"needs", "", []string{"name", "name"}, "unnamed check on (name)"},
		{"needs", "needs_quantity_positive", []string{"quantity"}, "check needs_quantity_positive"},
		// A one-column check gets table_column_check, so table_check names it.
		{"needs", "needs_check", []string{"quantity"}, "check needs_check"},
		{"needs", "needs_quantity_checked", []string{"quantity"}, "check needs_quantity_checked"},
		{"needs", "pledges_quantity_check", []string{"quantity"}, "check pledges_quantity_check"},
	}
	for _, tt := range tests {
		if got := checkKey(tt.table, tt.name, tt.cols); got != tt.want {
			t.Errorf("checkKey(%q, %q, %q) = %q, want %q", tt.table, tt.name, tt.cols, got, tt.want)
		}
	}
}

func TestSchemaSQLiteChecks(t *testing.T) {
	columns := map[string]bool{"quantity": false, "pledged": false, "status": false, "note": true, "check": true}
	tests := []struct {
		name string
		ddl  string
		want []sqliteCheck
	}{
		{
			name: "column and table checks",
			ddl: `CREATE TABLE needs (
				quantity BIGINT NOT NULL CHECK (quantity > 0),
				pledged BIGINT NOT NULL DEFAULT 0 check(pledged >= 0),
				CHECK (pledged <= quantity)
			)`,
			want: []sqliteCheck{{cols: []string{"quantity"}}, {cols: []string{"pledged"}}, {cols: []string{"pledged", "quantity"}}},
		},
		{
			name: "named checks",
			ddl: `CREATE TABLE needs (quantity BIGINT CONSTRAINT needs_quantity_positive CHECK (quantity > 0),
				CONSTRAINT "Needs_Within" CHECK ((pledged) <= (quantity)))`,
			want: []sqliteCheck{
				{name: "needs_quantity_positive", cols: []string{"quantity"}},
				{name: "needs_within", cols: []string{"pledged", "quantity"}},
			},
		},
		{
			name: "strings, comments and quoted names are not checks or columns",
			ddl: `CREATE TABLE needs (
				status TEXT NOT NULL DEFAULT 'check (quantity)' CHECK (status IN ('quantity', 'it''s pledged')), -- CHECK (pledged)
				/* CHECK (quantity > 0) */ "check" TEXT,
				note TEXT CHECK (length("note") < 10 OR [check] = 'x')
			)`,
			want: []sqliteCheck{{cols: []string{"status"}}, {cols: []string{"note", "check"}}},
		},
		{
			// SQLite splices a column added by ALTER TABLE into the text it keeps.
			name: "columns added by ALTER TABLE",
			ddl: `CREATE TABLE needs (
				quantity BIGINT NOT NULL, note TEXT CHECK (note <> ''), status TEXT CHECK (status IN ('open')),
				CHECK (quantity > 0)
			)`,
			want: []sqliteCheck{{cols: []string{"note"}}, {cols: []string{"status"}}, {cols: []string{"quantity"}}},
		},
		{name: "no checks", ddl: `CREATE TABLE needs (quantity BIGINT NOT NULL)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sqliteChecks(tt.ddl, columns)
			if !slices.EqualFunc(got, tt.want, func(a, b sqliteCheck) bool { return a.name == b.name && slices.Equal(a.cols, b.cols) }) {
				t.Errorf("sqliteChecks() = %+v, want %+v", got, tt.want)
			}
		})
	}
}
