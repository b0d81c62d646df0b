package ingest

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/dazhigu/hotspot/data"
)

// fuzzViolations feeds arbitrary input to a violation reader and checks what
// must hold for any input: no panic, records numbered 1, 2, 3, …, every
// problem naming its record, a reader error that is a problem people can
// read, and a Rules pass that does not panic either.
func fuzzViolations(f *testing.F, format Format, seeds ...string) {
	for _, s := range seeds {
		if raw, err := os.ReadFile(s); err == nil {
			f.Add(raw)
		} else {
			f.Add([]byte(s))
		}
	}
	rules := &Rules{Categories: map[string]bool{"dumping": true}}
	f.Fuzz(func(t *testing.T, input []byte) {
		rd, err := NewViolationReader(bytes.NewReader(input), format)
		if err != nil {
			t.Fatal(err)
		}
		for n := 1; ; n++ {
			rec, err := rd.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				var de *data.Error
				if !errors.As(err, &de) || de.Code != data.EINVALID || len(de.Problems) != 1 || de.Problems[0].Record < 1 {
					t.Fatalf("reader error %#v is not one problem with its record", err)
				}
				return
			}
			if rec.N != n {
				t.Fatalf("record numbered %d, want %d", rec.N, n)
			}
			rules.Violation(&rec, "gcj02")
			for _, p := range rec.Problems {
				if p.Record != n || p.Reason == "" {
					t.Fatalf("problem %+v of record %d", p, n)
				}
			}
		}
	})
}

func FuzzGeoJSONViolations(f *testing.F) {
	fuzzViolations(f, GeoJSON, "testdata/violations.geojson",
		`{"type":"Feature","geometry":{"type":"Point","coordinates":[117.2,39.1]},"properties":null}`, "1E700", `{"type":"FeatureCollection","features":[]} 1E700`)
}

func FuzzNDJSONViolations(f *testing.F) {
	fuzzViolations(f, NDJSON, "testdata/violations.ndjson", `{"lon":1e400,"lat":"x"}`)
}

func FuzzCSVViolations(f *testing.F) {
	fuzzViolations(f, CSV, "testdata/violations.csv", "lon,lat\n1,2\n\"")
}
