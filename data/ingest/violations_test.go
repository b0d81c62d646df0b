package ingest

import (
	"errors"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/data"
)

// readAll reads every record of an input in format f.
func readAll(t testing.TB, input string, f Format) ([]ViolationRecord, error) {
	t.Helper()
	rd, err := NewViolationReader(strings.NewReader(input), f)
	if err != nil {
		t.Fatal(err)
	}
	var recs []ViolationRecord
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return recs, nil
		}
		if err != nil {
			return recs, err
		}
		recs = append(recs, rec)
	}
}

func TestViolationFormatsAgree(t *testing.T) {
	want := []data.Violation{
		{Source: "patrol", SourceID: "fx-1", Category: "street-vending",
			ObservedAt: time.Date(2026, 5, 12, 7, 45, 10, 0, time.FixedZone("", 8*3600)),
			Point:      orb.Point{117.22712, 39.11471}, MerchantID: "m-0042", Severity: "minor", Disposition: "warned",
			Attributes: []byte(`{"officer":"zf-07","photos":2}`)},
		{Source: "hotline", SourceID: "12345001", Category: "dumping",
			ObservedAt: time.Date(2026, 5, 12, 22, 10, 0, 5e8, time.FixedZone("", 8*3600)),
			Point:      orb.Point{117.2301, 39.1133}, Attributes: []byte(`{"工单来源":"12345"}`)},
		{Source: "camera", SourceID: "cam-9-001", Category: "outside-shop",
			ObservedAt: time.Date(2026, 5, 13, 10, 0, 0, 0, time.UTC), Point: orb.Point{117.2262, 39.1158}},
	}
	for _, tc := range []struct {
		file string
		f    Format
	}{{"violations.geojson", GeoJSON}, {"violations.ndjson", NDJSON}, {"violations.csv", CSV}} {
		t.Run(tc.file, func(t *testing.T) {
			raw, err := os.ReadFile("testdata/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			recs, err := readAll(t, string(raw), tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != len(want) {
				t.Fatalf("read %d records, want %d", len(recs), len(want))
			}
			for i, rec := range recs {
				if rec.N != i+1 || len(rec.Problems) > 0 {
					t.Fatalf("record %d: N=%d problems %v", i+1, rec.N, rec.Problems)
				}
				got, w := rec.V, want[i]
				if !got.ObservedAt.Equal(w.ObservedAt) {
					t.Errorf("record %d: observed_at %v, want %v", i+1, got.ObservedAt, w.ObservedAt)
				}
				got.ObservedAt, w.ObservedAt = time.Time{}, time.Time{}
				w.Segment = -1
				if string(got.Attributes) != string(w.Attributes) {
					t.Errorf("record %d: attributes %s, want %s", i+1, got.Attributes, w.Attributes)
				}
				got.Attributes, w.Attributes = nil, nil
				if !reflect.DeepEqual(got, w) {
					t.Errorf("record %d:\n got %+v\nwant %+v", i+1, got, w)
				}
			}
		})
	}
}

func TestViolationRecordProblems(t *testing.T) {
	const ok = `"source":"patrol","source_id":"a","category":"dumping","observed_at":"2026-05-12T07:45:10+08:00"`
	cases := []struct {
		name, input string
		f           Format
		field       string
	}{
		{"wrong type", `{` + ok + `,"lon":"117.2","lat":39.1}`, NDJSON, "lon/lat"},
		{"no longitude", `{` + ok + `,"lat":39.1}`, NDJSON, "lon/lat"},
		{"time without zone", `{"source":"patrol","source_id":"a","category":"dumping","observed_at":"2026-05-12T07:45:10","lon":117.2,"lat":39.1}`, NDJSON, "observed_at"},
		{"missing category", `{"source":"patrol","source_id":"a","observed_at":"2026-05-12T07:45:10Z","lon":117.2,"lat":39.1}`, NDJSON, "category"},
		{"id as float", `{"source":"patrol","source_id":1.5,"category":"dumping","observed_at":"2026-05-12T07:45:10Z","lon":117.2,"lat":39.1}`, NDJSON, "source_id"},
		{"attributes not object", `{` + ok + `,"lon":117.2,"lat":39.1,"attributes":[1]}`, NDJSON, "attributes"},
		{"not an object", `[1,2]`, NDJSON, "body"},
		{"line geometry", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]},"properties":{` + ok + `}}]}`, GeoJSON, "geometry"},
		{"member not a feature", `{"type":"FeatureCollection","features":[7]}`, GeoJSON, "type"},
		{"csv short row", "source,lon,lat\npatrol,1\n", CSV, "body"},
		{"csv number", "source,source_id,category,observed_at,lon,lat\npatrol,a,dumping,2026-05-12T07:45:10Z,east,39\n", CSV, "lon/lat"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			recs, err := readAll(t, tc.input, tc.f)
			if err != nil {
				t.Fatalf("fatal error %v; want a record problem", err)
			}
			if len(recs) != 1 || !hasField(recs[0].Problems, tc.field) {
				t.Fatalf("records %+v; want one with a problem on %s", recs, tc.field)
			}
			for _, p := range recs[0].Problems {
				if p.Record != 1 || strings.Contains(p.Reason, "json:") {
					t.Errorf("problem %+v: want record 1 and a reason for people", p)
				}
			}
		})
	}
}

func TestViolationFatal(t *testing.T) {
	cases := []struct {
		name, input string
		f           Format
		record      int
	}{
		{"truncated collection", `{"type":"FeatureCollection","features":[{"type":"Feature"`, GeoJSON, 1},
		{"syntax in second", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{}}, {,}]}`, GeoJSON, 2},
		{"not geojson", `{"foo": 1}`, GeoJSON, 1},
		{"array", `[]`, GeoJSON, 1},
		{"wrong type", `{"type":"Topology","features":[]}`, GeoJSON, 1},
		{"trailing data", `{"type":"Feature","geometry":null,"properties":{}} {}`, GeoJSON, 1},
		{"empty csv", ``, CSV, 1},
		{"no lat column", "source,lon\npatrol,1\n", CSV, 1},
		{"repeated column", "lon,lat,lat\n1,2,3\n", CSV, 1},
		{"bad quote", "lon,lat\n1,\"2\n", CSV, 1},
		{"long line", strings.Repeat(" ", MaxLine+10) + "x", NDJSON, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readAll(t, tc.input, tc.f)
			var de *data.Error
			if !errors.As(err, &de) || de.Code != data.EINVALID || len(de.Problems) != 1 || de.Problems[0].Record != tc.record {
				t.Fatalf("err = %#v; want EINVALID at record %d", err, tc.record)
			}
		})
	}
}

func stringsReader(s string) io.Reader { return strings.NewReader(s) }

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
