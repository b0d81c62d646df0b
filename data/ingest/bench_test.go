package ingest

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/seed"
	"github.com/dazhigu/hotspot/data/sqlite"
	"github.com/dazhigu/hotspot/geo"
)

// benchWalk is an officer walking up and down the first key road at 1.4 m/s
// with a fix every 5 s: n fixes, WGS-84.
func benchWalk(b *testing.B, n int) []data.Fix {
	b.Helper()
	roads, err := seed.Roads()
	if err != nil {
		b.Fatal(err)
	}
	line := roads[0].Geometry
	length := geo.Length(line)
	start := time.Date(2026, 5, 11, 0, 30, 0, 0, time.UTC)
	fixes := make([]data.Fix, n)
	for i := range fixes {
		d := float64(i) * 7 // meters: 1.4 m/s for 5 s
		lap := int(d / length)
		d -= float64(lap) * length
		if lap%2 == 1 {
			d = length - d
		}
		fixes[i] = data.Fix{Time: start.Add(time.Duration(i) * 5 * time.Second), Point: geo.PointAlong(line, d)}
	}
	return fixes
}

func benchNDJSON(fixes []data.Fix, datum string) []byte {
	var buf bytes.Buffer
	for _, f := range fixes {
		p := geo.FromWGS84(f.Point, datum)
		fmt.Fprintf(&buf, `{"officer":"zf-07","track":"bench","time":%q,"lon":%.7f,"lat":%.7f}`+"\n",
			f.Time.Format(time.RFC3339), p[0], p[1])
	}
	return buf.Bytes()
}

func benchGPX(fixes []data.Fix) []byte {
	var buf bytes.Buffer
	buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<gpx version="1.1" creator="bench" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>bench</name><trkseg>` + "\n")
	for _, f := range fixes {
		fmt.Fprintf(&buf, `<trkpt lat="%.7f" lon="%.7f"><time>%s</time></trkpt>`+"\n", f.Point[1], f.Point[0], f.Time.Format(time.RFC3339))
	}
	buf.WriteString("</trkseg></trk></gpx>\n")
	return buf.Bytes()
}

// benchPoints is the number of fixes of the track benchmarks' walk.
const benchPoints = 20000

// benchInput is one body of the track benchmarks.
type benchInput struct {
	name   string
	format Format
	datum  string
	body   []byte
}

// benchInputs are the walk's fixes in each format the benchmarks read.
func benchInputs(fixes []data.Fix) []benchInput {
	return []benchInput{
		{"ndjson", NDJSON, geo.WGS84, benchNDJSON(fixes, geo.WGS84)},
		{"ndjson-gcj02", NDJSON, geo.GCJ02, benchNDJSON(fixes, geo.GCJ02)},
		{"gpx", GPX, geo.WGS84, benchGPX(fixes)},
	}
}

// rawH3 is a raw loop of h3.LatLngToCell over fixes, the floor any
// H3-based pipeline pays.
func rawH3(fixes []data.Fix) (sink h3.Cell) {
	for _, f := range fixes {
		sink ^= h3.LatLngToCell(h3.LatLng{Lat: f.Point[1], Lng: f.Point[0]}, data.CellResolution)
	}
	return sink
}

// benchRawH3 runs rawH3 as a sub-benchmark of its own, for its points per
// second.
func benchRawH3(b *testing.B, fixes []data.Fix) {
	var sink h3.Cell
	b.Run("raw-h3", func(b *testing.B) {
		for b.Loop() {
			sink += rawH3(fixes)
		}
		b.ReportMetric(float64(len(fixes))*float64(b.N)/b.Elapsed().Seconds(), "points/s")
	})
	if sink == 0 {
		b.Log("cells cancel out") // keeps sink live
	}
}

// benchPipeline runs step once an iteration of b and, with the timer
// stopped, rawH3 over fixes before it, so that both meet the same load of
// the machine; it reports step's points per second and x-raw-h3, its rate
// over rawH3's.
func benchPipeline(b *testing.B, fixes []data.Fix, step func()) {
	var raw time.Duration
	var sink h3.Cell
	for b.Loop() {
		b.StopTimer()
		start := time.Now()
		sink += rawH3(fixes)
		raw += time.Since(start)
		b.StartTimer()
		step()
	}
	b.ReportMetric(float64(len(fixes))*float64(b.N)/b.Elapsed().Seconds(), "points/s")
	b.ReportMetric(raw.Seconds()/b.Elapsed().Seconds(), "x-raw-h3")
	if sink == 0 {
		b.Log("cells cancel out") // keeps sink live
	}
}

// benchRead reads in as one track and checks it.
func benchRead(b *testing.B, in benchInput, rules *Rules) TrackBatch {
	rd, err := NewTrackReader(bytes.NewReader(in.body), in.format, TrackDefaults{Officer: "zf-07"})
	if err != nil {
		b.Fatal(err)
	}
	tb, err := ReadTracks(rd, rules, in.datum, 10)
	if err != nil || len(tb.Tracks) != 1 || len(tb.Tracks[0].Fixes) != benchPoints {
		b.Fatalf("read %+v, %v", tb.Problems, err)
	}
	return tb
}

// benchRules are the rules of the track benchmarks: the shipped service area.
func benchRules(b *testing.B) *Rules {
	area, err := seed.Boundary()
	if err != nil {
		b.Fatal(err)
	}
	return &Rules{Area: area}
}

// BenchmarkTrackIngest measures track ingestion (decode, datum conversion,
// checks against the service area, dwell per H3 cell and hour) in points per
// second, next to a raw loop of h3.LatLngToCell over the same points: its
// own sub-benchmark, raw-h3, and, interleaved with each format's reads,
// the loop that x-raw-h3, the ratio of the two rates, is taken against.
// docs/ingest.md records the figures.
func BenchmarkTrackIngest(b *testing.B) {
	fixes := benchWalk(b, benchPoints)
	rules := benchRules(b)
	benchRawH3(b, fixes)
	for _, in := range benchInputs(fixes) {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.body)))
			benchPipeline(b, fixes, func() { benchRead(b, in, rules) })
		})
	}
}

// BenchmarkTrackIngestStored is BenchmarkTrackIngest with the store write:
// each track read and checked is stored, under a source id of its own,
// through a Writer into an SQLite store in a temporary file, so the rate is
// what an import or upload runs at. x-raw-h3 is as in BenchmarkTrackIngest.
func BenchmarkTrackIngestStored(b *testing.B) {
	fixes := benchWalk(b, benchPoints)
	rules := benchRules(b)
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	benchRawH3(b, fixes)
	w := &Writer{Rules: rules}
	stored := 0 // tracks stored, over every run of the sub-benchmarks
	for _, in := range benchInputs(fixes) {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.body)))
			benchPipeline(b, fixes, func() {
				tb := benchRead(b, in, rules)
				stored++
				tb.Tracks[0].SourceID = fmt.Sprintf("%s-%d", in.name, stored)
				out, err := w.PutTracks(ctx, st, tb)
				if err != nil || len(out) != 1 || !out[0].Created {
					b.Fatalf("stored %+v, %v", out, err)
				}
			})
		})
	}
}
