package ingest

import (
	"testing"
	"time"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/seed"
	"github.com/dazhigu/hotspot/geo"
)

func seededRules(t *testing.T) *Rules {
	t.Helper()
	roads, err := seed.Roads()
	if err != nil {
		t.Fatal(err)
	}
	area, err := seed.Boundary()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	return &Rules{Categories: map[string]bool{"dumping": true}, Area: area, Roads: roads,
		Now: func() time.Time { return now }}
}

// onRoad returns a point 5 m off the middle of the first seeded road.
func onRoad(t *testing.T, r *Rules) orb.Point {
	t.Helper()
	line := r.Roads[0].Geometry
	return line[len(line)/2]
}

func TestRulesViolation(t *testing.T) {
	r := seededRules(t)
	wgs := onRoad(t, r)
	good := func() ViolationRecord {
		return ViolationRecord{N: 3, V: data.Violation{Source: "patrol", SourceID: "a", Category: "dumping",
			ObservedAt: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC), Point: wgs, Segment: -1}}
	}
	t.Run("placed", func(t *testing.T) {
		rec := good()
		r.Violation(&rec, geo.WGS84)
		if len(rec.Problems) > 0 || rec.V.Road != r.Roads[0].ID || rec.V.Segment < 0 || !rec.V.Cell.IsValid() || rec.V.Cell.Resolution() != 12 {
			t.Fatalf("got %+v problems %v; want placed on %s", rec.V, rec.Problems, r.Roads[0].ID)
		}
	})
	for _, d := range []string{geo.GCJ02, geo.BD09} {
		t.Run("datum "+d, func(t *testing.T) {
			rec := good()
			rec.V.Point = geo.FromWGS84(wgs, d)
			r.Violation(&rec, d)
			if dist := orbgeo.DistanceHaversine(rec.V.Point, wgs); dist > 0.5 || rec.V.Datum != d || len(rec.Problems) > 0 {
				t.Fatalf("converted to %v (%.3f m from the truth), datum %q, problems %v", rec.V.Point, dist, rec.V.Datum, rec.Problems)
			}
			if rec.V.Road != r.Roads[0].ID {
				t.Fatalf("placed on %q, want %q", rec.V.Road, r.Roads[0].ID)
			}
		})
	}
	cases := []struct {
		name  string
		edit  func(*data.Violation)
		field string
	}{
		{"unknown category", func(v *data.Violation) { v.Category = "parking" }, "category"},
		{"future", func(v *data.Violation) { v.ObservedAt = time.Date(2026, 11, 24, 14, 0, 0, 0, time.UTC) }, "observed_at"},
		{"before 2000", func(v *data.Violation) { v.ObservedAt = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC) }, "observed_at"},
		{"Beijing", func(v *data.Violation) { v.Point = orb.Point{116.404, 39.915} }, "lon/lat"},
		{"swapped", func(v *data.Violation) { v.Point = orb.Point{wgs[1], wgs[0]} }, "lon/lat"},
		{"bad source", func(v *data.Violation) { v.Source = "radio" }, "source"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := good()
			tc.edit(&rec.V)
			r.Violation(&rec, geo.WGS84)
			if !hasField(rec.Problems, tc.field) || rec.Problems[0].Record != 3 {
				t.Fatalf("problems %v; want one on %s for record 3", rec.Problems, tc.field)
			}
			if rec.V.Cell != 0 {
				t.Fatalf("a rejected record was placed")
			}
		})
	}
}

func TestReadViolationsDuplicates(t *testing.T) {
	r := seededRules(t)
	p := onRoad(t, r)
	line := `{"source":"patrol","source_id":"same","category":"dumping","observed_at":"2026-05-01T08:00:00Z","lon":` +
		ftoa(p[0]) + `,"lat":` + ftoa(p[1]) + "}\n"
	rd, _ := NewViolationReader(stringsReader(line+line+line), NDJSON)
	b, err := ReadViolations(rd, r, geo.WGS84, 10)
	if err != nil {
		t.Fatal(err)
	}
	if b.Read != 3 || len(b.Violations) != 1 || b.Rejected != 2 || b.Problems[0].Record != 2 || b.Problems[1].Record != 3 {
		t.Fatalf("batch %+v; want record 1 kept, 2 and 3 rejected as repeats", b)
	}
	rd, _ = NewViolationReader(stringsReader(line+line+line), NDJSON)
	if b, _ := ReadViolations(rd, r, geo.WGS84, 2); b.Read != 2 {
		t.Fatalf("read %d records with max 2", b.Read)
	}
}
