package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/sqlite"
	"github.com/dazhigu/hotspot/geo"
)

func backupViolation(id string, i int) data.Violation {
	p := orb.Point{117.2232 + float64(i%100)*1e-5, 39.1175}
	return data.Violation{Source: data.SourcePatrol, SourceID: id, Category: "street-vending",
		ObservedAt: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
		Point:      p, Datum: geo.WGS84, Cell: geo.Cell(p, data.CellResolution), Segment: -1}
}

// TestBackupRestore backs the embedded store up while a writer keeps
// writing: the backup holds every batch acknowledged before it began, and
// a restore brings exactly the backup back.
func TestBackupRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "hs.db")
	s, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	put := func(batch int) {
		vs := make([]data.Violation, 100)
		for i := range vs {
			vs[i] = backupViolation(fmt.Sprintf("b%d-%d", batch, i), i)
		}
		if _, err := s.PutViolations(ctx, vs); err != nil {
			t.Error(err)
		}
	}
	for b := range 20 {
		put(b)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // a writer that keeps writing during the backup
		defer wg.Done()
		for b := 20; ; b++ {
			select {
			case <-stop:
				return
			default:
				put(b)
			}
		}
	}()
	time.Sleep(20 * time.Millisecond)
	acked, err := s.CountViolations(ctx, data.ViolationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "backup.db")
	if err := run(ctx, []string{"backup", "-store.db", db, file}, io.Discard, io.Discard); err != nil {
		t.Fatalf("backup: %v", err)
	}
	close(stop)
	wg.Wait()
	b, err := sqlite.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	inBackup, _ := b.CountViolations(ctx, data.ViolationFilter{})
	b.Close()
	if inBackup < acked || inBackup%100 != 0 {
		t.Errorf("the backup holds %d violations; %d were acknowledged before it began (batches of 100: whole ones only)", inBackup, acked)
	}
	if err := run(ctx, []string{"backup", "-store.db", db, file}, io.Discard, io.Discard); err == nil {
		t.Error("a backup over an existing file was written")
	}

	to := filepath.Join(t.TempDir(), "restored.db")
	var out strings.Builder
	if err := run(ctx, []string{"restore", "-store.db", to, file}, &out, io.Discard); err != nil {
		t.Fatalf("restore: %v", err)
	}
	r, err := sqlite.Open(ctx, to)
	if err != nil {
		t.Fatal(err)
	}
	restored, _ := r.CountViolations(ctx, data.ViolationFilter{})
	r.Close()
	if restored != inBackup {
		t.Errorf("restored %d violations, the backup holds %d", restored, inBackup)
	}
	if err := run(ctx, []string{"restore", "-store.db", to, file}, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "-force") {
		t.Errorf("a restore over an existing store without -force: %v", err)
	}
	if err := run(ctx, []string{"restore", "-store.db", to, "-force", filepath.Join(dir, "nothing.db")}, io.Discard, io.Discard); err == nil {
		t.Error("a restore from no file succeeded")
	}
	t.Logf("%d acknowledged before the backup, %d in it; %s", acked, inBackup, strings.TrimSpace(out.String()))
}

// TestTokenExpires: token create -expires makes a key that lists its
// expiry; a duration that is not one is refused.
func TestTokenExpires(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hs.db")
	var out strings.Builder
	if err := run(context.Background(), []string{"token", "create", "-role", "viewer", "-name", "qgis", "-expires", "90d", "-store.db", db}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	want := time.Now().Add(90 * 24 * time.Hour).Format(time.DateOnly)
	if !strings.Contains(out.String(), "good until "+want) {
		t.Errorf("token create -expires 90d said %q, want good until %s", out.String(), want)
	}
	out.Reset()
	if err := run(context.Background(), []string{"token", "list", "-store.db", db}, &out, io.Discard); err != nil || !strings.Contains(out.String(), want) {
		t.Errorf("token list: %v\n%s", err, out.String())
	}
	for _, bad := range []string{"0d", "-3h", "soon"} {
		if err := run(context.Background(), []string{"token", "create", "-role", "viewer", "-name", "x", "-expires", bad, "-store.db", db}, io.Discard, io.Discard); err == nil {
			t.Errorf("-expires %s was taken", bad)
		}
	}
}

// TestTokenAudit: creating and revoking keys with hotspotd is in the audit log.
func TestTokenAudit(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "hs.db")
	if err := run(ctx, []string{"token", "create", "-role", "viewer", "-name", "qgis", "-store.db", db}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"token", "revoke", "-store.db", db, "1"}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	es, err := s.Audit(ctx, 0, 10)
	if err != nil || len(es) != 2 || es[0].Action != "key.create" || es[0].Target != "1" || !strings.Contains(es[0].Detail, "name qgis") || es[1].Action != "key.revoke" ||
		es[1].Target != "1" || !strings.HasPrefix(es[0].Actor, "cli") {
		t.Errorf("audit log = %+v, %v", es, err)
	}
}
