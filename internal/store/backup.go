package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"aidbridge/internal/domain"
)

// Backup writes a consistent copy of a SQLite database to path while the
// store keeps serving: SQLite's VACUUM INTO reads one snapshot, so writes
// committed after it began are not in the copy and none is half in it. The
// copy is written beside path and renamed into place once it is whole and
// checked, so that path is either the complete backup or absent. A file at
// path is refused. PostgreSQL is backed up with pg_dump (see the README).
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect != SQLite {
		return domain.Errorf(domain.EINVALID, "aidbridge backup copies SQLite databases; back up PostgreSQL with pg_dump: pg_dump --format=custom --file=FILE URL")
	}
	if _, err := os.Stat(path); err == nil {
		return domain.Errorf(domain.ECONFLICT, "%s already exists: name a new file for the backup", path)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("create backup folder %s: %w", dir, err)
	}
	tmp := filepath.Join(dir, "."+filepath.Base(path)+".partial-"+time.Now().UTC().Format("20060102T150405.000000000"))
	defer os.Remove(tmp)
	if _, err := s.rdb.ExecContext(ctx, `VACUUM INTO $1`, tmp); err != nil {
		return fmt.Errorf("copy the database: %w", err)
	}
	if err := checkSQLiteFile(ctx, tmp); err != nil {
		return err
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("put the backup in place: %w", err)
	}
	return syncFile(dir)
}

// checkSQLiteFile opens a SQLite file read-only and runs SQLite's integrity
// check and foreign key check on it.
func checkSQLiteFile(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return fmt.Errorf("%s is not a SQLite database aidbridge can read: %w", path, err)
	}
	if result != "ok" {
		return domain.Errorf(domain.EINVALID, "%s fails SQLite's integrity check: %s", path, result)
	}
	rows, err := db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		return domain.Errorf(domain.EINVALID, "%s has records that refer to records it does not hold", path)
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'goose_db_version'`).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return domain.Errorf(domain.EINVALID, "%s is a SQLite database but not an aidbridge one: it has no migration history", path)
	}
	return rows.Err()
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Restore puts the SQLite backup at from in place of the database at the
// sqlite: URL dbURL, which no server may be using. The backup is checked
// first; the database it replaces, if any, is kept beside it, named with
// the time of the restore, and its -wal and -shm files are moved with it.
// It returns the name the replaced database was kept under, "" when there
// was none. Opening the store afterwards brings the backup's schema up to
// date.
func Restore(ctx context.Context, dbURL, from string) (string, error) {
	path, ok := strings.CutPrefix(dbURL, "sqlite:")
	if !ok || path == "" {
		return "", domain.Errorf(domain.EINVALID, "aidbridge restore restores SQLite databases (--db sqlite:PATH); restore PostgreSQL with pg_restore: pg_restore --clean --dbname=URL FILE")
	}
	if err := checkSQLiteFile(ctx, from); err != nil {
		return "", err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	tmp := filepath.Join(dir, "."+filepath.Base(path)+".restoring")
	defer os.Remove(tmp)
	if err := copyFile(from, tmp); err != nil {
		return "", fmt.Errorf("copy the backup: %w", err)
	}
	kept := ""
	if _, err := os.Stat(path); err == nil {
		kept = path + ".before-restore-" + time.Now().UTC().Format("20060102T150405")
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if _, err := os.Stat(path + suffix); err == nil {
				if err := os.Rename(path+suffix, kept+suffix); err != nil {
					return "", fmt.Errorf("keep the database it replaces: %w", err)
				}
			}
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return kept, fmt.Errorf("put the backup in place: %w", err)
	}
	return kept, syncFile(dir)
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	f, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, src); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
