package analytics

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/analytics/stat"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/demo"
	"github.com/dazhigu/hotspot/data/seed"
)

// demoEngine is an engine over the demo year ending 2026-11-22, and the key
// roads.
func demoEngine(t testing.TB) (*Engine, []data.Road, time.Time) {
	t.Helper()
	roads, err := seed.Roads()
	if err != nil {
		t.Fatal(err)
	}
	cats, err := seed.Categories()
	if err != nil {
		t.Fatal(err)
	}
	shanghai := time.FixedZone("CST", 8*3600)
	end := time.Date(2026, 11, 23, 0, 0, 0, 0, shanghai) // a Monday: whole weeks end here
	vs := demo.Violations(roads, demo.Options{Seed: 2026, End: end.Add(-time.Hour), Days: 364})
	src := NewMemory(roads, cats)
	for _, v := range vs {
		src.Append(data.Change{Kind: data.ChangeViolation, Cell: v.Cell, Point: v.Point,
			Hour: data.Hour(v.ObservedAt), Category: v.Category, Source: v.Source})
	}
	return New(Options{Source: src, Zone: shanghai, Now: func() time.Time { return end.Add(-time.Hour) }}), roads, end
}

// demoPatrol is demoEngine with the demo's patrol dwell too, built once for
// the tests that only read it.
var demoPatrol = sync.OnceValues(func() (*Engine, error) {
	roads, err := seed.Roads()
	if err != nil {
		return nil, err
	}
	cats, err := seed.Categories()
	if err != nil {
		return nil, err
	}
	shanghai := time.FixedZone("CST", 8*3600)
	end := time.Date(2026, 11, 23, 0, 0, 0, 0, shanghai)
	opts := demo.Options{Seed: 2026, End: end.Add(-time.Hour), Days: 364}
	src := NewMemory(roads, cats)
	for _, v := range demo.Violations(roads, opts) {
		src.Append(data.Change{Kind: data.ChangeViolation, Cell: v.Cell, Point: v.Point,
			Hour: data.Hour(v.ObservedAt), Category: v.Category, Source: v.Source})
	}
	for tr := range demo.Tracks(roads, opts) {
		for _, d := range tr.Dwell {
			src.Append(data.Change{Kind: data.ChangeDwell, Cell: d.Cell, Hour: d.Hour, Seconds: d.Seconds})
		}
	}
	return New(Options{Source: src, Zone: shanghai, Now: func() time.Time { return end.Add(-time.Hour) }}), nil
})

// roadCells returns the study-area cells (res 11) of one road's segments.
func roadCells(e *Engine, id string) map[h3.Cell]bool {
	out := map[h3.Cell]bool{}
	roads, _ := e.Roads(ctx)
	for cell, key := range e.segmentsOf(roads).byCell {
		if key.Road == id {
			out[cube.CentreCells(cell).At(11)] = true
		}
	}
	return out
}

// TestDemoHotSpots checks that Gi* over the demo year finds the patterns
// planted in it: the markets' vending on 后台西路 and 大直沽中路 and the
// restaurants' night dumping on 宫前街 are hot spots at 95 % or more, with
// the FDR correction.
func TestDemoHotSpots(t *testing.T) {
	e, _, end := demoEngine(t)
	year := Window{From: end.AddDate(0, 0, -364), To: end, Given: true}
	cases := []struct{ road, category string }{
		{"houtai-xilu", "street-vending"},
		{"dazhigu-zhonglu", "street-vending"},
		{"gongqian-jie", "dumping"},
	}
	for _, tc := range cases {
		t.Run(tc.road+"/"+tc.category, func(t *testing.T) {
			r, err := e.HotSpots(context.Background(), Query{Res: 11, K: 1, Window: year, Categories: []string{tc.category}}, HotSpotOptions{FDR: true})
			if err != nil {
				t.Fatal(err)
			}
			cells := roadCells(e, tc.road)
			var best *HotSpot
			for i, h := range r.Cells {
				if cells[h.Cell] && (best == nil || h.Count > best.Count) {
					best = &r.Cells[i]
				}
			}
			if best == nil || best.Count == 0 {
				t.Fatalf("no %s on %s", tc.category, tc.road)
			}
			if best.Bin < 2 {
				t.Fatalf("busiest cell %v (%.0f events, z %.2f) is in bin %d, want a hot spot at 95 %%", best.Cell, best.Count, best.Z, best.Bin)
			}
		})
	}
}

// TestDemoPilotDiminishing checks the line-marking pilot on 后台西路 (from
// 2026-05-11, acting on shop fronts and markets): over the year's weeks,
// most of the road's hot spots are diminishing.
func TestDemoPilotDiminishing(t *testing.T) {
	e, _, end := demoEngine(t)
	r, err := e.Emerging(context.Background(), Query{Res: 11, K: 1, Window: Window{To: end, Given: true}}, EmergingOptions{Steps: 52})
	if err != nil {
		t.Fatal(err)
	}
	cells := roadCells(e, "houtai-xilu")
	outcomes := map[stat.Outcome]int{}
	for _, c := range r.Cells {
		if cells[c.Cell] && c.Outcome != stat.NoPattern {
			outcomes[c.Outcome]++
		}
	}
	t.Logf("后台西路 outcomes: %v", outcomes)
	total := 0
	for _, n := range outcomes {
		total += n
	}
	if outcomes[stat.DiminishingHotSpot] == 0 || outcomes[stat.DiminishingHotSpot]*2 < total {
		t.Fatalf("outcomes %v: want most of the road's hot cells diminishing", outcomes)
	}
}
