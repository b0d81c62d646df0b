package ingest

import (
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

// TestUpdatedAt reads updated_at in each format: optional, RFC 3339 with a
// zone, never a free attribute.
func TestUpdatedAt(t *testing.T) {
	want := time.Date(2026, 5, 15, 9, 30, 0, 250e6, time.FixedZone("", 8*3600))
	const props = `"source":"hotline","source_id":"wo-1","category":"dumping","observed_at":"2026-05-12T22:10:00+08:00","disposition":"fined"`
	cases := []struct {
		name, input string
		f           Format
	}{
		{"geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[117.2301,39.1133]},"properties":{` + props + `,"updated_at":"2026-05-15T09:30:00.25+08:00"}}]}`, GeoJSON},
		{"ndjson", `{` + props + `,"lon":117.2301,"lat":39.1133,"updated_at":"2026-05-15T09:30:00.25+08:00"}`, NDJSON},
		{"ndjson feature", `{"type":"Feature","geometry":{"type":"Point","coordinates":[117.2301,39.1133]},"properties":{` + props + `,"updated_at":"2026-05-15T01:30:00.25Z"}}`, NDJSON},
		{"csv", "source,source_id,category,observed_at,lon,lat,Updated_At\nhotline,wo-1,dumping,2026-05-12T22:10:00+08:00,117.2301,39.1133,2026-05-15 09:30:00.25+08:00\n", CSV},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			recs, err := readAll(t, tc.input, tc.f)
			if err != nil || len(recs) != 1 || len(recs[0].Problems) > 0 {
				t.Fatalf("records %+v, %v; want one without problems", recs, err)
			}
			v := recs[0].V
			if !v.UpdatedAt.Equal(want) {
				t.Errorf("UpdatedAt = %v, want %v", v.UpdatedAt, want)
			}
			if len(v.Attributes) != 0 {
				t.Errorf("attributes %s: updated_at is a field, not an attribute", v.Attributes)
			}
		})
	}
	t.Run("absent", func(t *testing.T) {
		recs, err := readAll(t, `{`+props+`,"lon":117.2301,"lat":39.1133,"updated_at":null}`, NDJSON)
		if err != nil || len(recs) != 1 || len(recs[0].Problems) > 0 || !recs[0].V.UpdatedAt.IsZero() {
			t.Fatalf("records %+v, %v; want one without updated_at", recs, err)
		}
	})
}

func TestUpdatedAtProblems(t *testing.T) {
	r := seededRules(t) // now is 2026-11-24 12:00 UTC
	p := onRoad(t, r)
	const ok = `"source":"hotline","source_id":"wo-1","category":"dumping","observed_at":"2026-05-12T22:10:00+08:00"`
	cases := []struct {
		name, updated string
		reason        bool // refused when read; otherwise by the rules
	}{
		{"without a zone", `"2026-05-15T09:30:00"`, true},
		{"a date only", `"2026-05-15"`, true},
		{"not a string", `1747272600`, true},
		{"in the future", `"2026-11-24T15:00:00Z"`, false},
		{"before 2000", `"1970-01-01T00:00:00Z"`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			input := `{` + ok + `,"lon":` + ftoa(p[0]) + `,"lat":` + ftoa(p[1]) + `,"updated_at":` + tc.updated + `}`
			recs, err := readAll(t, input, NDJSON)
			if err != nil || len(recs) != 1 {
				t.Fatalf("records %+v, %v", recs, err)
			}
			rec := recs[0]
			if got := hasField(rec.Problems, "updated_at"); got != tc.reason {
				t.Fatalf("problems when read %v; want one on updated_at: %v", rec.Problems, tc.reason)
			}
			r.Violation(&rec, geo.WGS84)
			if !hasField(rec.Problems, "updated_at") {
				t.Fatalf("problems %v; want one on updated_at", rec.Problems)
			}
		})
	}
	t.Run("accepted", func(t *testing.T) {
		rec := ViolationRecord{N: 1, V: data.Violation{Source: "hotline", SourceID: "wo-1", Category: "dumping",
			ObservedAt: time.Date(2026, 5, 12, 14, 10, 0, 0, time.UTC), UpdatedAt: time.Date(2026, 11, 24, 12, 30, 0, 0, time.UTC),
			Disposition: "ordered", Point: p, Segment: -1}}
		r.Violation(&rec, geo.WGS84)
		if len(rec.Problems) > 0 {
			t.Fatalf("problems %v; want none for updated_at within MaxAhead and the disposition ordered", rec.Problems)
		}
	})
}
