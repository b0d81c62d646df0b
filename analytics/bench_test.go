package analytics

import (
	"runtime"
	"testing"
	"time"

	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/demo"
	"github.com/dazhigu/hotspot/data/seed"
)

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
	changes := demo.DistrictYear(roads, 1_000_000, 20_000_000)
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
			EmergingIn(cube, area, Filter{}, bins, 1)
		}
	})
	b.Run("study-area-res11", func(b *testing.B) {
		for b.Loop() {
			RoadArea(roads, 11, 1)
		}
	})
}
