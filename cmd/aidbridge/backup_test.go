package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"aidbridge/internal/store"
)

// TestBackupUnderLoad backs up a SQLite database while the server takes
// writes through the API, restores the backup over another database, and
// checks that the copy holds every write acknowledged before the backup
// began, that its stock ledger balances and every invariant holds, and that
// the database it replaced was kept.
func TestBackupUnderLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	url := "sqlite:" + filepath.Join(dir, "live.db")
	m := startMainURL(t, url, true)
	scmc, n95 := m.orgID(scmcName), m.itemID("N95")
	coord := m.token("coordinator@scmc.example.org")

	var acked atomic.Int64 // movements of the load acknowledged so far
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				r := m.call("POST", "/api/v1/organizations/"+scmc+"/stock/movements", coord,
					map[string]any{"item_id": n95, "kind": "adjustment", "delta": 1, "reason": "backup load"})
				if r.Status != 201 {
					t.Errorf("a movement under load: %d %s", r.Status, r.Body)
					return
				}
				acked.Add(1)
			}
		}()
	}
	for acked.Load() < 20 {
		time.Sleep(5 * time.Millisecond) // the load starts before the backup
	}
	file := filepath.Join(dir, "backups", "aidbridge.db")
	before := acked.Load()
	var out, errs bytes.Buffer
	if err := run(ctx, []string{"backup", "--db", url, file}, nil, &out, &errs); err != nil {
		t.Fatalf("backup: %v\n%s", err, errs.String())
	}
	close(stop)
	wg.Wait()
	if !strings.Contains(out.String(), "backed up") {
		t.Errorf("backup said %q", out.String())
	}
	if err := run(ctx, []string{"backup", "--db", url, file}, nil, &out, &errs); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("a backup over an existing file: %v, want refused", err)
	}

	// Restore over another database, which is kept.
	target := filepath.Join(dir, "restored.db")
	if err := os.WriteFile(target, []byte("an older database"), 0o640); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, []string{"restore", "--db", "sqlite:" + target, file}, nil, &out, &errs); err != nil {
		t.Fatalf("restore: %v\n%s", err, errs.String())
	}
	kept, _ := filepath.Glob(target + ".before-restore-*")
	if len(kept) != 1 {
		t.Errorf("the replaced database is kept as %v, want one file", kept)
	} else if b, _ := os.ReadFile(kept[0]); string(b) != "an older database" {
		t.Errorf("the kept database holds %q", b)
	}
	s, err := store.Open(ctx, "sqlite:"+target)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var moves int64
	if err := s.DB().QueryRow(`SELECT COUNT(*) FROM stock_movements WHERE reason = 'backup load'`).Scan(&moves); err != nil {
		t.Fatal(err)
	}
	if moves < before || moves > acked.Load() {
		t.Errorf("the backup holds %d movements of the load: %d were acknowledged before it began, %d in all", moves, before, acked.Load())
	}
	var unbalanced int
	if err := s.DB().QueryRow(`SELECT COUNT(*) FROM stock_levels l WHERE l.on_hand <>
		(SELECT COALESCE(SUM(mv.delta), 0) FROM stock_movements mv WHERE mv.organization_id = l.organization_id AND mv.item_id = l.item_id)`).Scan(&unbalanced); err != nil {
		t.Fatal(err)
	}
	if unbalanced != 0 {
		t.Errorf("%d stock levels of the backup differ from their ledger", unbalanced)
	}
	for _, v := range invariantViolations(t, s) {
		t.Errorf("the backup: %s", v)
	}

	// What cannot be restored is refused before anything is replaced.
	if err := run(ctx, []string{"restore", "--db", "sqlite:" + target, filepath.Join(dir, "backups")}, nil, &out, &errs); err == nil {
		t.Error("restoring a folder was accepted")
	}
	if _, err := os.Stat(target); err != nil {
		t.Errorf("a refused restore removed the database: %v", err)
	}
	if err := run(ctx, []string{"restore", "--db", "postgres://x@localhost/db", file}, nil, &out, &errs); err == nil || !strings.Contains(err.Error(), "pg_restore") {
		t.Errorf("restoring into PostgreSQL: %v, want the pg_restore procedure", err)
	}
}
