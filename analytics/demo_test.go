package analytics

import (
	"testing"
	"time"

	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/demo"
	"github.com/dazhigu/hotspot/data/seed"
)

// demoCube is a cube of the demo year ending 2026-11-22, and the key roads.
func demoCube(t *testing.T) (*Cube, []data.Road, time.Time) {
	t.Helper()
	roads, err := seed.Roads()
	if err != nil {
		t.Fatal(err)
	}
	shanghai := time.FixedZone("CST", 8*3600)
	end := time.Date(2026, 11, 23, 0, 0, 0, 0, shanghai) // a Monday: whole weeks end here
	vs := demo.Violations(roads, demo.Options{Seed: 2026, End: end.Add(-time.Hour), Days: 364})
	changes := make([]data.Change, len(vs))
	for i, v := range vs {
		changes[i] = data.Change{Seq: int64(i + 1), Kind: data.ChangeViolation, Cell: v.Cell,
			Hour: data.Hour(v.ObservedAt), Category: v.Category, Source: v.Source}
	}
	c := NewCube()
	c.Apply(changes)
	return c, roads, end
}

// roadCells returns the study-area cells (res 11) of one road.
func roadCells(roads []data.Road, id string) map[h3.Cell]bool {
	out := map[h3.Cell]bool{}
	for cell, key := range SegmentCells(roads) {
		if key.Road == id {
			out[cell.Parent(11)] = true
		}
	}
	return out
}

// busiest returns the road's cell with the most events in x.
func busiest(area StudyArea, x []float64, cells map[h3.Cell]bool) int {
	best := -1
	for i, c := range area.Cells {
		if cells[c] && (best < 0 || x[i] > x[best]) {
			best = i
		}
	}
	return best
}

// TestDemoHotSpots checks that Gi* over the demo year finds the patterns
// planted in it: the markets' vending on 后台西路 and 大直沽中路 and the
// restaurants' night dumping on 宫前街 are hot spots at 95 % or more, with
// the FDR correction.
func TestDemoHotSpots(t *testing.T) {
	cube, roads, end := demoCube(t)
	area := RoadArea(roads, 11, 1)
	window := Filter{From: end.AddDate(0, 0, -364), To: end}
	cases := []struct{ road, category string }{
		{"houtai-xilu", "street-vending"},
		{"dazhigu-zhonglu", "street-vending"},
		{"gongqian-jie", "dumping"},
	}
	for _, tc := range cases {
		t.Run(tc.road+"/"+tc.category, func(t *testing.T) {
			f := window
			f.Categories = []string{tc.category}
			x := area.Values(cube.Counts(f, 11))
			z := GiStar(x, area.Weights)
			bins := Bins(z, PValues(z), true)
			i := busiest(area, x, roadCells(roads, tc.road))
			if i < 0 || x[i] == 0 {
				t.Fatalf("no %s on %s", tc.category, tc.road)
			}
			if bins[i] < 2 {
				t.Fatalf("busiest cell %v (%.0f events, z %.2f) is in bin %d, want a hot spot at 95 %%", area.Cells[i], x[i], z[i], bins[i])
			}
		})
	}
}

// TestDemoPilotDiminishing checks the line-marking pilot on 后台西路 (from
// 2026-05-11, acting on shop fronts and markets): over the year's weeks,
// most of the road's hot spots are diminishing.
func TestDemoPilotDiminishing(t *testing.T) {
	cube, roads, end := demoCube(t)
	area := RoadArea(roads, 11, 1)
	bins := TimeBins{Start: end.AddDate(0, 0, -52*7), Step: 7 * 24 * time.Hour, N: 52}
	result := EmergingIn(cube, area, Filter{}, bins, 1)
	cells := roadCells(roads, "houtai-xilu")
	outcomes := map[Outcome]int{}
	for i, c := range area.Cells {
		if cells[c] && result[i].Outcome != NoPattern {
			outcomes[result[i].Outcome]++
		}
	}
	t.Logf("后台西路 outcomes: %v", outcomes)
	total := 0
	for _, n := range outcomes {
		total += n
	}
	if outcomes[DiminishingHotSpot] == 0 || outcomes[DiminishingHotSpot]*2 < total {
		t.Fatalf("outcomes %v: want most of the road's hot cells diminishing", outcomes)
	}
}
