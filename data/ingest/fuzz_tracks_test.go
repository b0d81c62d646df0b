package ingest

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/dazhigu/hotspot/data"
)

// fuzzTracks feeds arbitrary input to a track reader and checks what must
// hold for any input: no panic, records numbered 1, 2, 3, … and never more
// of them than the input has bytes, every problem naming its record, a
// record without problems that has an officer and a source id and no more
// than one fix past the limit, a reader error that is one problem naming a
// record next to the last one read, and that error again on the next call.
func fuzzTracks(f *testing.F, format Format, seeds ...string) {
	for _, s := range seeds {
		if raw, err := os.ReadFile(s); err == nil {
			f.Add(raw)
		} else {
			f.Add([]byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, input []byte) {
		d := TrackDefaults{SourceID: "upload"}
		if len(input) > 0 && input[0]&1 == 1 {
			d.Officer = "DZG-01"
		}
		rd, err := NewTrackReader(bytes.NewReader(input), format, d)
		if err != nil {
			t.Fatal(err)
		}
		for n := 1; ; n++ {
			if n > len(input)+1 {
				t.Fatalf("%d records from %d bytes", n, len(input))
			}
			rec, err := rd.Next()
			if errors.Is(err, io.EOF) {
				if _, err := rd.Next(); !errors.Is(err, io.EOF) {
					t.Fatalf("after io.EOF: %v", err)
				}
				return
			}
			if err != nil {
				var de *data.Error
				if !errors.As(err, &de) || de.Code != data.EINVALID || len(de.Problems) != 1 ||
					de.Problems[0].Record < n-1 || de.Problems[0].Record > n || de.Problems[0].Record < 1 {
					t.Fatalf("reader error %#v after %d records is not one problem with its record", err, n-1)
				}
				if _, again := rd.Next(); again != err {
					t.Fatalf("after %v: %v", err, again)
				}
				return
			}
			if rec.N != n {
				t.Fatalf("record numbered %d, want %d", rec.N, n)
			}
			for _, p := range rec.Problems {
				if p.Record != n || p.Reason == "" {
					t.Fatalf("problem %+v of record %d", p, n)
				}
			}
			if len(rec.Problems) == 0 && (rec.Track.Officer == "" || rec.Track.SourceID == "") {
				t.Fatalf("record %d has no problems but officer %q, source id %q", n, rec.Track.Officer, rec.Track.SourceID)
			}
			if len(rec.Track.Fixes) > data.MaxFixes+1 {
				t.Fatalf("record %d holds %d fixes", n, len(rec.Track.Fixes))
			}
		}
	})
}

func FuzzGeoJSONTracks(f *testing.F) {
	fuzzTracks(f, GeoJSON, "1E700", "testdata/walk.geojson", "testdata/walk_m.geojson",
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"officer":"a","source_id":7,"coordTimes":[1,"2026-05-11T08:30:00+08:00"]},"geometry":{"type":"LineString","coordinates":[[1,2],[3,4,null]]}},{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]}}]}`)
}

func FuzzGPXTracks(f *testing.F) {
	fuzzTracks(f, GPX, "testdata/walk.gpx",
		`<?xml version="1.0" encoding="ISO-8859-1"?><gpx><metadata><author><name>a</name></author></metadata><trk><trkseg><trkpt lat="1" lon="x"><time>t</time><ele>e</ele></trkpt><trkpt/></trkseg></trk><trk/></gpx>`)
}

func FuzzFixes(f *testing.F) {
	fuzzTracks(f, NDJSON, "testdata/walk.ndjson",
		"{\"officer\":\"a\",\"track\":1,\"time\":1778459400,\"lon\":1,\"lat\":2}\n\nnot json\n{\"officer\":\"b\",\"time\":\"x\",\"lon\":\"1\"}\n{\"officer\":\"a\",\"track\":1,\"time\":1,\"lon\":1,\"lat\":2}\n")
}
