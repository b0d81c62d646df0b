package postgres_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/postgres"
	"github.com/dazhigu/hotspot/data/storetest"
	"github.com/dazhigu/hotspot/geo"
)

func violationAt(id string, at time.Time, p orb.Point) data.Violation {
	return data.Violation{Source: data.SourcePatrol, SourceID: id, Category: "dumping", ObservedAt: at,
		Point: p, Datum: geo.WGS84, Cell: geo.Cell(p, data.CellResolution), Segment: -1}
}

// partitionsOf lists the partitions of table.
func partitionsOf(t *testing.T, conn *pgx.Conn, table string) map[string]bool {
	t.Helper()
	rows, err := conn.Query(t.Context(), `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = $1::regclass`, table)
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, n := range names {
		out[n] = true
	}
	return out
}

func partitionName(table string, m time.Time) string {
	return fmt.Sprintf("%s_y%04dm%02d", table, m.Year(), int(m.Month()))
}

// TestPartitions: Migrate creates this month's partitions and the next
// three; a write in a month without one creates it, also when two stores
// write that month at once; every row's region is H3's parent of its cell
// at resolution 5, in the row, in the key table and in dwell.
func TestPartitions(t *testing.T) {
	u := storetest.PostgresSchema(t)
	if err := postgres.Migrate(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	now := time.Now().UTC()
	for _, table := range []string{"violations", "dwell"} {
		have := partitionsOf(t, conn, table)
		for i := 0; i <= postgres.AheadMonths; i++ {
			m := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, i, 0)
			if !have[partitionName(table, m)] {
				t.Errorf("after Migrate, %s has no partition for %s: %v", table, m.Format("2006-01"), have)
			}
		}
	}

	a, b := openStore(t, u), openStore(t, u)
	old := time.Date(2001, 3, 31, 23, 59, 0, 0, time.UTC) // the last minute of March 2001, UTC
	p := orb.Point{117.2265, 39.1205}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, s := range []*postgres.Store{a, b} {
		wg.Go(func() {
			_, errs[i] = s.PutViolations(t.Context(), []data.Violation{violationAt(fmt.Sprint("old-", i), old, p)})
		})
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("two stores writing a new month at once: %v, %v", errs[0], errs[1])
	}
	if !partitionsOf(t, conn, "violations")[partitionName("violations", old)] {
		t.Fatal("a write in March 2001 made no partition for it")
	}
	track := data.Track{Officer: "zf-01", SourceID: "old", Datum: geo.WGS84,
		Fixes: []data.Fix{{Time: old.Add(-5 * time.Minute), Point: p}, {Time: old.Add(-4 * time.Minute), Point: orb.Point{p[0] + 1e-4, p[1]}}}}
	track.SetDwell(geo.DwellOptions{})
	if _, err := a.PutTracks(t.Context(), []data.Track{track}); err != nil {
		t.Fatal(err)
	}
	if !partitionsOf(t, conn, "dwell")[partitionName("dwell", old)] {
		t.Fatal("a track in March 2001 made no dwell partition for it")
	}

	want := int64(h3.Cell(geo.Cell(p, data.CellResolution)).Parent(postgres.RegionResolution))
	for _, q := range []string{
		`SELECT DISTINCT region FROM violations`, `SELECT DISTINCT region FROM violation_keys`,
		`SELECT DISTINCT region FROM dwell`, `SELECT DISTINCT h3_parent(cell, 5) FROM violations`,
	} {
		rows, _ := conn.Query(t.Context(), q)
		regions, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil || len(regions) != 1 || regions[0] != want {
			t.Errorf("%s = %v, %v; want H3's parent at res 5, %d", q, regions, err, want)
		}
	}
	var where string
	conn.QueryRow(t.Context(), `SELECT tableoid::regclass::text FROM violations WHERE source_id = 'old-0'`).Scan(&where)
	if where != partitionName("violations", old) {
		t.Errorf("the March 2001 violation is in %q", where)
	}
}

// TestPartitionUpgrade migrates a store holding rows at version 6 to the
// partitioned schema: every row keeps its id and feed number, a re-send of
// a row stored before is recognised, and new rows follow in order.
func TestPartitionUpgrade(t *testing.T) {
	u := storetest.PostgresSchema(t)
	db, prov := gooseProvider(t, u)
	if _, err := prov.UpTo(t.Context(), 6); err != nil {
		t.Fatal(err)
	}
	p := orb.Point{117.2265, 39.1205}
	cell := int64(geo.Cell(p, data.CellResolution))
	for i, at := range []string{"2025-12-31T23:30:00Z", "2026-05-01T08:00:00Z"} {
		if _, err := db.ExecContext(t.Context(), `INSERT INTO violations (source, source_id, category, observed_at, lon, lat, datum, cell)
			VALUES ('patrol', $1, 'dumping', $2, $3, $4, 'wgs84', $5)`, fmt.Sprint("v6-", i), at, p[0], p[1], cell); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(t.Context(), `INSERT INTO dwell (track_id, cell, hour, seconds) VALUES (1, $1, '2026-03-01T05:00:00Z', 60)`, cell); err != nil {
		t.Fatal(err)
	}
	if err := postgres.Migrate(t.Context(), u); err != nil {
		t.Fatalf("migrate a populated store to partitions: %v", err)
	}
	s := openStore(t, u)
	out, err := s.PutViolations(t.Context(), []data.Violation{
		violationAt("v6-1", time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC), p), // stored before
		violationAt("v7-0", time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC), p),
	})
	if err != nil {
		t.Fatal(err)
	}
	if out[0].Created || out[0].ID != 2 || !out[1].Created || out[1].ID <= 2 {
		t.Fatalf("after the upgrade: %+v; want the re-send found as id 2, the new record after it", out)
	}
	cs, err := s.Changes(t.Context(), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for i, c := range cs {
		kinds = append(kinds, fmt.Sprintf("%d:%s:%d", c.Seq, c.Kind, c.Ref))
		if i > 0 && c.Seq <= cs[i-1].Seq {
			t.Fatalf("feed out of order: %v", kinds)
		}
	}
	if fmt.Sprint(kinds) != fmt.Sprintf("[1:violation:1 2:violation:2 3:dwell:1 4:violation:%d]", out[1].ID) {
		t.Errorf("feed after the upgrade %v; want the three rows of version 6 by their seq, then the new one", kinds)
	}
}
