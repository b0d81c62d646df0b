package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/pressly/goose/v3"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/sqlite"
	"github.com/dazhigu/hotspot/data/storetest"
	"github.com/dazhigu/hotspot/geo"
	"github.com/dazhigu/hotspot/migrations"
)

// TestContract runs the storage contract suite against the embedded store.
func TestContract(t *testing.T) {
	var mu sync.Mutex // Open is called from parallel subtests
	paths := map[data.Store]string{}
	open := func(t *testing.T, path string) data.Store {
		t.Helper()
		s, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		paths[s] = path
		mu.Unlock()
		t.Cleanup(func() { s.Close() })
		return s
	}
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T) data.Store {
			return open(t, filepath.Join(t.TempDir(), "contract.db"))
		},
		// Reopen abandons s without Close, as a crash would, and opens the
		// same file again. (The abandoned handle is closed at cleanup.)
		Reopen: func(t *testing.T, s data.Store) data.Store {
			mu.Lock()
			path := paths[s]
			mu.Unlock()
			return open(t, path)
		},
	})
}

// TestMigrateKeepsData opens a database written under the first schema (as
// the file of an earlier release is) and checks that its violations read
// back, without updated_at, and can be updated.
func TestMigrateKeepsData(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, migrations.SQLite())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)
	p0 := orb.Point{117.2265, 39.1205}
	cell := geo.Cell(p0, data.CellResolution)
	const v1Insert = `INSERT INTO violations (seq, source, source_id, category, observed_us, lon, lat, datum,
		cell, disposition, created_us) VALUES (1, 'hotline', 'wo-1', 'dumping', ?, ?, ?, 'wgs84', ?, 'ordered', ?)`
	if _, err := db.ExecContext(ctx, v1Insert, at.UnixMicro(), p0[0], p0[1], int64(cell), at.UnixMicro()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE feed SET last = 1`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("Open of a first-schema database: %v", err)
	}
	defer s.Close()
	storetest.Migrated(t, s, at)
}
