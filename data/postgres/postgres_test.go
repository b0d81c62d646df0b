package postgres_test

import (
	"database/sql"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/paulmach/orb"
	"github.com/pressly/goose/v3"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/postgres"
	"github.com/dazhigu/hotspot/data/storetest"
	"github.com/dazhigu/hotspot/geo"
	"github.com/dazhigu/hotspot/migrations"
)

func TestMain(m *testing.M) {
	if os.Getenv("HOTSPOT_TEST_DB") == "" && os.Getenv("CI") == "" {
		fmt.Fprintln(os.Stderr, "*** "+storetest.PostgresSkip+" ***")
	}
	os.Exit(m.Run())
}

func openStore(t *testing.T, dbURL string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(t.Context(), dbURL)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() }) // Close is safe to repeat
	return s
}

func TestStore(t *testing.T) {
	var mu sync.Mutex
	urls := map[data.Store]string{}
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T) data.Store {
			u := storetest.PostgresSchema(t)
			if err := postgres.Migrate(t.Context(), u); err != nil {
				t.Fatalf("Migrate: %v", err)
			}
			s := openStore(t, u)
			mu.Lock()
			urls[s] = u
			mu.Unlock()
			return s
		},
		// A crash: the old pool is abandoned as it is (closed only when the
		// test ends), and a new one opens the same schema.
		Reopen: func(t *testing.T, s data.Store) data.Store {
			mu.Lock()
			u, ok := urls[s]
			mu.Unlock()
			if !ok {
				t.Fatal("Reopen: not a store of this harness")
			}
			s2 := openStore(t, u)
			mu.Lock()
			urls[s2] = u
			mu.Unlock()
			return s2
		},
	})
}

// TestMigrate checks that migrating is repeatable, safe to run from several
// instances at once, and reversible.
func TestMigrate(t *testing.T) {
	u := storetest.PostgresSchema(t)
	ctx := t.Context()

	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Go(func() { errs[i] = postgres.Migrate(ctx, u) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("concurrent Migrate %d: %v", i, err)
		}
	}
	if err := postgres.Migrate(ctx, u); err != nil {
		t.Fatalf("Migrate again: %v", err)
	}

	db, p := gooseProvider(t, u)
	tables := func() int {
		var n int
		err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'goose_db_version'`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := tables(); n == 0 {
		t.Fatal("no tables after Migrate")
	}
	if _, err := p.DownTo(ctx, 0); err != nil {
		t.Fatalf("down: %v", err)
	}
	if n := tables(); n != 0 {
		t.Errorf("%d tables left after migrating down", n)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up after down: %v", err)
	}
	s := openStore(t, u)
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestMigrateKeepsData migrates a schema written under the first migration
// (as a database of an earlier release is) and checks that its violations
// read back, without updated_at, and can be updated.
func TestMigrateKeepsData(t *testing.T) {
	u := storetest.PostgresSchema(t)
	ctx := t.Context()
	cfg, err := pgx.ParseConfig(u)
	if err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.Postgres())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)
	p0 := orb.Point{117.2265, 39.1205}
	const v1Insert = `INSERT INTO violations (source, source_id, category, observed_at, lon, lat, datum, cell, disposition)
		VALUES ('hotline', 'wo-1', 'dumping', $1, $2, $3, 'wgs84', $4, 'ordered')`
	if _, err := db.ExecContext(ctx, v1Insert, at, p0[0], p0[1], int64(geo.Cell(p0, data.CellResolution))); err != nil {
		t.Fatal(err)
	}
	if err := postgres.Migrate(ctx, u); err != nil {
		t.Fatalf("Migrate of a first-schema database: %v", err)
	}
	s := openStore(t, u)
	storetest.Migrated(t, s, at)
}

// gooseProvider opens the database at u and a goose provider of the
// PostgreSQL migrations over it, for tests that migrate step by step; both
// close when the test ends.
func gooseProvider(t *testing.T, u string) (*sql.DB, *goose.Provider) {
	t.Helper()
	cfg, err := pgx.ParseConfig(u)
	if err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDB(*cfg)
	t.Cleanup(func() { db.Close() })
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.Postgres())
	if err != nil {
		t.Fatal(err)
	}
	return db, p
}
