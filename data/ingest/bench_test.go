package ingest

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/seed"
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

// BenchmarkTrackIngest measures track ingestion (decode, datum conversion,
// checks against the service area, dwell per H3 cell and hour) in points per
// second, next to a raw loop of h3.LatLngToCell over the same points: the
// floor any H3-based pipeline pays. docs/ingest.md records the figures.
func BenchmarkTrackIngest(b *testing.B) {
	const n = 20000
	fixes := benchWalk(b, n)
	area, err := seed.Boundary()
	if err != nil {
		b.Fatal(err)
	}
	rules := &Rules{Area: area}
	perSecond := func(b *testing.B) {
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "points/s")
	}
	var sink h3.Cell
	b.Run("raw-h3", func(b *testing.B) {
		for b.Loop() {
			for _, f := range fixes {
				sink ^= h3.LatLngToCell(h3.LatLng{Lat: f.Point[1], Lng: f.Point[0]}, data.CellResolution)
			}
		}
		perSecond(b)
	})
	if sink == 0 {
		b.Log("cells cancel out") // keeps sink live
	}
	inputs := []struct {
		name   string
		format Format
		datum  string
		body   []byte
	}{
		{"ndjson", NDJSON, geo.WGS84, benchNDJSON(fixes, geo.WGS84)},
		{"ndjson-gcj02", NDJSON, geo.GCJ02, benchNDJSON(fixes, geo.GCJ02)},
		{"gpx", GPX, geo.WGS84, benchGPX(fixes)},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.body)))
			for b.Loop() {
				rd, err := NewTrackReader(bytes.NewReader(in.body), in.format, TrackDefaults{Officer: "zf-07"})
				if err != nil {
					b.Fatal(err)
				}
				tb, err := ReadTracks(rd, rules, in.datum, 10)
				if err != nil || len(tb.Tracks) != 1 || len(tb.Tracks[0].Fixes) != n {
					b.Fatalf("read %+v, %v", tb.Problems, err)
				}
			}
			perSecond(b)
		})
	}
}
