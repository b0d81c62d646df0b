package analytics

import (
	"bufio"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/demo"
	"github.com/dazhigu/hotspot/data/seed"
)

// BenchmarkDistrictYear measures the analytics on a generated year of
// district data: 1,000,000 violations and 20,000,000 fixes. The setup (not
// timed) takes about a minute. docs/analytics.md records the figures:
//
//	go test ./analytics -run '^$' -bench DistrictYear -benchtime 5x
func BenchmarkDistrictYear(b *testing.B) {
	roads, err := seed.Roads()
	if err != nil {
		b.Fatal(err)
	}
	changes := demo.DistrictYear(roads, 1_000_000, 20_000_000)
	b.Logf("%d changes (%d violations and the dwell of 20M fixes)", len(changes), 1_000_000)
	var c *cube.Cube
	b.Run("cube-build", func(b *testing.B) {
		for b.Loop() {
			c = nil
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			c = cube.New()
			for i := 0; i < len(changes); i += data.MaxPage { // in feed pages, as CatchUp applies them
				c.Apply(changes[i:min(i+data.MaxPage, len(changes))])
			}
			runtime.GC() // the cube's live heap, not the garbage of building it
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MiB-heap")
		}
		b.ReportMetric(float64(len(changes))/(b.Elapsed().Seconds()/float64(b.N)), "changes/s")
	})
	end := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	e := New(Options{Source: NewMemory(roads, nil), Cube: c, Now: func() time.Time { return end.Add(-time.Hour) }})
	window := Window{From: end.AddDate(0, 0, -84), To: end, Given: true}
	q := Query{Res: 11, K: 1, Window: window}
	// The baseline: what a heatmap costs without the cube, a pass over the
	// raw changes (as a scan of the stored rows would be, minus the I/O and
	// minus the H3 look-up of each point at res 11).
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
	// What a server holding the cube keeps resident: the generated changes
	// (which a server reads a page at a time) are let go first.
	changes = nil
	runtime.GC()
	debug.FreeOSMemory()
	b.Logf("resident with the cube built: %.0f MiB (peak while generating the year: %.0f MiB)", rss("VmRSS:")/(1<<20), rss("VmHWM:")/(1<<20))
	run := func(name string, fn func() error) {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if err := fn(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	run("heatmap-res11", func() error { _, err := e.Counts(ctx, q); return err })
	run("gistar-res11", func() error { _, err := e.HotSpots(ctx, q, HotSpotOptions{FDR: true}); return err })
	run("rate-res11", func() error { _, err := e.Rates(ctx, q); return err })
	run("emerging-52w", func() error { _, err := e.Emerging(ctx, q, EmergingOptions{Steps: 52}); return err })
	run("ranking-12w", func() error { _, err := e.Ranking(ctx, q); return err })
	run("forecast-res11", func() error { _, err := e.Forecast(ctx, q, ForecastOptions{Profiles: true}); return err })
	run("backtest-12w-res11", func() error { _, err := e.Backtest(ctx, q, BacktestOptions{Weeks: 12}); return err })
	run("study-area-res11", func() error {
		cells, err := RoadCells(ctx, roads, 11)
		NewStudyArea(cells, 11, 1)
		return err
	})
	runtime.GC()
	debug.FreeOSMemory()
	b.Logf("resident after the analyses: %.0f MiB", rss("VmRSS:")/(1<<20))
}

// rss returns a field of /proc/self/status (VmRSS: resident now, VmHWM:
// peak) in bytes, 0 where /proc does not tell.
func rss(field string) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if kb, ok := strings.CutPrefix(sc.Text(), field); ok {
			n, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(kb), "kB")), 64)
			return n * 1024
		}
	}
	return 0
}
