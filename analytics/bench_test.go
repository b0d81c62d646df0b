package analytics

import (
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/seed"
	"github.com/dazhigu/hotspot/geo"
)

// districtYear generates a year of district data as a change feed: nv
// violations on the key roads (a fifth of them on twenty hot stretches)
// and patrol walks of nf fixes in all, one fix every 5 s, turned into dwell
// as the ingest path does.
func districtYear(b *testing.B, roads []data.Road, nv, nf int) []data.Change {
	b.Helper()
	r := rand.New(rand.NewPCG(2026, 11))
	start := time.Date(2025, 11, 24, 0, 0, 0, 0, time.UTC)
	var segs []data.Segment
	for _, rd := range roads {
		segs = append(segs, rd.Segments...)
	}
	hot := segs[:0:0]
	for range 20 {
		hot = append(hot, segs[r.IntN(len(segs))])
	}
	changes := make([]data.Change, 0, nv+nf/4)
	seq := int64(0)
	for range nv {
		s := segs[r.IntN(len(segs))]
		if r.IntN(5) == 0 {
			s = hot[r.IntN(len(hot))]
		}
		p := s.Line[r.IntN(len(s.Line))]
		p = orb.Point{p[0] + (r.Float64()-0.5)*2e-4, p[1] + (r.Float64()-0.5)*2e-4}
		seq++
		changes = append(changes, data.Change{Seq: seq, Kind: data.ChangeViolation, Cell: geo.Cell(p, data.CellResolution),
			Hour:     start.Add(time.Duration(r.IntN(365*24)) * time.Hour),
			Category: []string{"street-vending", "outside-shop", "dumping", "other"}[r.IntN(4)],
			Source:   data.Sources[r.IntN(len(data.Sources))]})
	}
	const perTrack = 1440 // two hours
	for done := 0; done < nf; done += perTrack {
		rd := roads[r.IntN(len(roads))]
		t0 := start.Add(time.Duration(r.IntN(365*24*3600)) * time.Second)
		fixes := make([]geo.Fix, perTrack)
		length := geo.Length(rd.Geometry)
		for i := range fixes {
			d := float64(i) * 7 // 1.4 m/s
			lap := int(d / length)
			d -= float64(lap) * length
			if lap%2 == 1 {
				d = length - d
			}
			fixes[i] = geo.Fix{Time: t0.Add(time.Duration(i) * 5 * time.Second), Point: along(rd.Geometry, d)}
		}
		cells, _ := geo.Dwell(fixes, geo.DwellOptions{Res: data.CellResolution})
		for _, c := range cells {
			seq++
			changes = append(changes, data.Change{Seq: seq, Kind: data.ChangeDwell, Cell: c.Cell, Hour: c.Hour, Seconds: c.Seconds})
		}
	}
	return changes
}

func along(line orb.LineString, d float64) orb.Point {
	for i := 1; i < len(line); i++ {
		seg := geo.Length(orb.LineString{line[i-1], line[i]})
		if d <= seg {
			t := d / seg
			return orb.Point{line[i-1][0] + t*(line[i][0]-line[i-1][0]), line[i-1][1] + t*(line[i][1]-line[i-1][1])}
		}
		d -= seg
	}
	return line[len(line)-1]
}

// BenchmarkDistrictYear measures the analytics on a generated year of
// district data: 1,000,000 violations and 20,000,000 fixes. The setup (not
// timed) takes about a minute. docs/analytics.md records the figures:
//
//	go test ./analytics -run '^$' -bench DistrictYear -benchtime 20x
func BenchmarkDistrictYear(b *testing.B) {
	roads, err := seed.Roads()
	if err != nil {
		b.Fatal(err)
	}
	changes := districtYear(b, roads, 1_000_000, 20_000_000)
	b.Logf("%d changes (%d violations and the dwell of 20M fixes)", len(changes), 1_000_000)
	var cube *Cube
	b.Run("cube-build", func(b *testing.B) {
		for b.Loop() {
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			cube = NewCube()
			cube.Apply(changes)
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MiB-heap")
		}
		b.ReportMetric(float64(len(changes))/(b.Elapsed().Seconds()/float64(b.N)), "changes/s")
	})
	area := RoadArea(roads, 11, 1)
	end := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	window := Filter{From: end.AddDate(0, 0, -84), To: end}
	// The baseline: what a heatmap costs without the cube, a pass over the
	// raw changes (as a scan of the stored rows would be, minus the I/O).
	b.Run("baseline-raw-scan-res11", func(b *testing.B) {
		lo, hi := window.From.Unix(), window.To.Unix()
		for b.Loop() {
			out := map[h3.Cell]float64{}
			for _, ch := range changes {
				if ch.Kind == data.ChangeViolation && ch.Hour.Unix() >= lo && ch.Hour.Unix() < hi {
					out[ch.Cell.Parent(11)]++
				}
			}
		}
	})
	b.Run("heatmap-res11", func(b *testing.B) {
		for b.Loop() {
			if len(cube.Counts(window, 11)) == 0 {
				b.Fatal("no counts")
			}
		}
	})
	b.Run("gistar-res11", func(b *testing.B) {
		for b.Loop() {
			z := GiStar(area.Values(cube.Counts(window, 11)), area.Weights)
			Bins(z, PValues(z), true)
		}
	})
	b.Run("rate-res11", func(b *testing.B) {
		for b.Loop() {
			cube.Dwell(window, 11)
		}
	})
	b.Run("emerging-52w", func(b *testing.B) {
		bins := TimeBins{Start: end.AddDate(0, 0, -52*7), Step: 7 * 24 * time.Hour, N: 52}
		for b.Loop() {
			series := cube.Series(Filter{}, 11, bins)
			x := make([][]float64, bins.N)
			for t := range x {
				x[t] = make([]float64, len(area.Cells))
			}
			for cell, s := range series {
				if i := area.Index(cell); i >= 0 {
					for t, v := range s {
						x[t][i] = v
					}
				}
			}
			Emerging(x, area.Weights, 1)
		}
	})
	b.Run("study-area-res11", func(b *testing.B) {
		for b.Loop() {
			RoadArea(roads, 11, 1)
		}
	})
}
