package geo

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// centreOf returns the WGS-84 centre of an H3 cell.
func centreOf(c h3.Cell) orb.Point {
	ll := h3.CellToLatLng(c)
	return orb.Point{ll.Lng, ll.Lat}
}

// walkCells returns three res-12 cells in Dazhigu in a row: a, its
// neighbour b, and c, a neighbour of b two steps from a.
func walkCells(t *testing.T) (a, b, c h3.Cell) {
	t.Helper()
	a = Cell(orb.Point{117.2300, 39.1200}, 12)
	b = h3.GridDisk(a, 1)[1]
	for _, n := range h3.GridDisk(b, 1) {
		if h3.GridDistance(a, n) == 2 {
			return a, b, n
		}
	}
	t.Fatal("no cell two steps away")
	return
}

type cellSeconds struct {
	cell    h3.Cell
	hour    string // RFC 3339, UTC
	seconds float64
}

func TestDwell(t *testing.T) {
	a, b, c := walkCells(t)
	pa, pb, pc := centreOf(a), centreOf(b), centreOf(c)
	// Walking at 1.25 m/s between cell centres: the straight line between two
	// neighbouring centres crosses their shared edge half-way, so each leg is
	// half in one cell and half in the other.
	const speed = 1.25 // m/s
	leg := func(p, q orb.Point) time.Duration {
		return time.Duration(Length(orb.LineString{p, q}) / speed * float64(time.Second))
	}
	ab, bc := leg(pa, pb), leg(pb, pc)
	t0 := time.Date(2026, 5, 11, 9, 0, 0, 0, time.UTC)
	walk := []Fix{{t0, pa}, {t0.Add(ab), pb}, {t0.Add(ab + bc), pc}}
	far := orb.Point{pb[0] + 0.05, pb[1]} // 4.3 km east of b
	shanghai := time.FixedZone("CST", 8*3600)
	h9 := "2026-05-11T09:00:00Z"

	cases := []struct {
		name string
		fix  []Fix
		opt  DwellOptions
		want []cellSeconds
		sum  DwellSummary
	}{
		{
			name: "walk at known speed across three cells",
			fix:  walk,
			want: []cellSeconds{{a, h9, ab.Seconds() / 2}, {b, h9, (ab + bc).Seconds() / 2}, {c, h9, bc.Seconds() / 2}},
			sum:  DwellSummary{Fixes: 3, Counted: ab + bc},
		},
		{
			name: "gap longer than MaxGap dropped",
			fix:  []Fix{walk[0], walk[1], {t0.Add(ab + 10*time.Minute), pb}, {t0.Add(ab + 10*time.Minute + bc), pc}},
			want: []cellSeconds{{a, h9, ab.Seconds() / 2}, {b, h9, (ab + bc).Seconds() / 2}, {c, h9, bc.Seconds() / 2}},
			sum:  DwellSummary{Fixes: 4, Counted: ab + bc, DroppedGap: 10 * time.Minute},
		},
		{
			name: "gap within a longer MaxGap counted",
			fix:  []Fix{{t0, pb}, {t0.Add(10 * time.Minute), pb}},
			opt:  DwellOptions{MaxGap: 15 * time.Minute},
			want: []cellSeconds{{b, h9, 600}},
			sum:  DwellSummary{Fixes: 2, Counted: 10 * time.Minute},
		},
		{
			name: "impossible-speed jump dropped both ways",
			fix: []Fix{walk[0], walk[1], {t0.Add(ab + 10*time.Second), far},
				{t0.Add(ab + 20*time.Second), pb}, {t0.Add(ab + 20*time.Second + bc), pc}},
			want: []cellSeconds{{a, h9, ab.Seconds() / 2}, {b, h9, (ab + bc).Seconds() / 2}, {c, h9, bc.Seconds() / 2}},
			sum:  DwellSummary{Fixes: 5, Counted: ab + bc, DroppedSpeed: 20 * time.Second},
		},
		{
			name: "hour boundary split, local times in, UTC hours out",
			fix: []Fix{
				{time.Date(2026, 5, 11, 9, 59, 30, 0, shanghai), pa},
				{time.Date(2026, 5, 11, 9, 59, 50, 0, shanghai), pa},
				{time.Date(2026, 5, 11, 10, 0, 10, 0, shanghai), pa},
				{time.Date(2026, 5, 11, 10, 0, 30, 0, shanghai), pa},
			},
			want: []cellSeconds{{a, "2026-05-11T01:00:00Z", 30}, {a, "2026-05-11T02:00:00Z", 30}},
			sum:  DwellSummary{Fixes: 4, Counted: time.Minute},
		},
		{
			name: "a walk across an hour boundary",
			fix:  []Fix{{t0.Add(-ab / 2), pa}, {t0.Add(ab / 2), pb}},
			want: []cellSeconds{{a, "2026-05-11T08:00:00Z", ab.Seconds() / 2}, {b, h9, ab.Seconds() / 2}},
			sum:  DwellSummary{Fixes: 2, Counted: ab},
		},
		{
			name: "a long gap split over several hours",
			fix:  []Fix{{t0.Add(30 * time.Minute), pa}, {t0.Add(3 * time.Hour), pa}},
			opt:  DwellOptions{MaxGap: 4 * time.Hour},
			want: []cellSeconds{{a, h9, 1800}, {a, "2026-05-11T10:00:00Z", 3600}, {a, "2026-05-11T11:00:00Z", 3600}},
			sum:  DwellSummary{Fixes: 2, Counted: 150 * time.Minute},
		},
		{
			name: "fixes out of order or at one instant add nothing",
			fix:  []Fix{{t0, pa}, {t0, pb}, {t0.Add(-time.Minute), pa}, {t0.Add(-time.Minute + 10*time.Second), pa}},
			want: []cellSeconds{{a, "2026-05-11T08:00:00Z", 10}},
			sum:  DwellSummary{Fixes: 4, Counted: 10 * time.Second},
		},
		{
			name: "one fix",
			fix:  walk[:1],
			sum:  DwellSummary{Fixes: 1},
		},
	}
	const tol = 1e-6 // seconds
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, sum := Dwell(tc.fix, tc.opt)
			if sum != tc.sum {
				t.Errorf("summary=%+v, want %+v", sum, tc.sum)
			}
			slices.SortFunc(tc.want, func(x, y cellSeconds) int {
				if x.hour != y.hour {
					return strings.Compare(x.hour, y.hour)
				}
				return cmp.Compare(x.cell, y.cell)
			})
			if len(got) != len(tc.want) {
				t.Fatalf("got %d rows %v, want %d", len(got), got, len(tc.want))
			}
			var total float64
			for i, g := range got {
				w := tc.want[i]
				if g.Cell != w.cell || g.Hour.Format(time.RFC3339) != w.hour || math.Abs(g.Seconds-w.seconds) > tol {
					t.Errorf("row %d: %v %s %.6f, want %v %s %.6f", i, g.Cell, g.Hour.Format(time.RFC3339), g.Seconds, w.cell, w.hour, w.seconds)
				}
				total += g.Seconds
			}
			if math.Abs(total-sum.Counted.Seconds()) > tol {
				t.Errorf("sum of seconds %.6f, Counted %v", total, sum.Counted)
			}
		})
	}
}

// TestDwellLongWalk walks 2 km at 1.4 m/s with a fix every second across
// many res-12 cells, and checks that every second is credited to the cells
// the walk passes through.
func TestDwellLongWalk(t *testing.T) {
	start := orb.Point{117.2212, 39.1270}
	end := orb.Point{117.2337, 39.1150}
	dist := Length(orb.LineString{start, end})
	n := int(dist / 1.4)
	t0 := time.Date(2026, 5, 11, 1, 50, 0, 0, time.UTC) // crosses 02:00Z
	fixes := make([]Fix, n+1)
	for i := range fixes {
		fixes[i] = Fix{t0.Add(time.Duration(i) * time.Second), pointAt(start, end, float64(i)/float64(n))}
	}
	got, sum := Dwell(fixes, DwellOptions{})
	if want := time.Duration(n) * time.Second; sum.Counted != want || sum.DroppedGap != 0 || sum.DroppedSpeed != 0 {
		t.Fatalf("summary=%+v, want Counted %v", sum, want)
	}
	through := lineCells(orb.LineString{start, end}, 12)
	var total float64
	for i, g := range got {
		if !through[g.Cell] {
			t.Errorf("cell %v is off the walk", g.Cell)
		}
		if i > 0 {
			p := got[i-1]
			if p.Hour.After(g.Hour) || (p.Hour.Equal(g.Hour) && p.Cell >= g.Cell) {
				t.Errorf("rows %d, %d out of order", i-1, i)
			}
		}
		total += g.Seconds
	}
	if math.Abs(total-sum.Counted.Seconds()) > 1e-6 {
		t.Errorf("sum of seconds %.6f, Counted %v", total, sum.Counted)
	}
	// The walk crosses about dist / (1.5 * edge) cells; most of them get time.
	cells := map[h3.Cell]bool{}
	for _, g := range got {
		cells[g.Cell] = true
	}
	if len(cells) < len(through)*3/4 {
		t.Errorf("%d cells credited, want most of the %d passed through", len(cells), len(through))
	}
	if !slices.ContainsFunc(got, func(c CellHour) bool { return c.Hour.Hour() == 2 }) {
		t.Errorf("no row after 02:00Z")
	}
}

// TestCellCache checks the cached cell of many points around Dazhigu, at
// several resolutions, against the H3 library.
func TestCellCache(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, res := range []int{5, 9, 11, 12, 15} {
		cc := newCellCache(res)
		for _, f := range benchTrack(20000) {
			if got, want := cc.cell(f.Point), Cell(f.Point, res); got != want {
				t.Fatalf("res %d: cell(%v)=%v, want %v", res, f.Point, got, want)
			}
		}
		// Points scattered over 40 m, many of them near cell edges; and
		// points by the antimeridian and the poles, where longitudes wrap.
		for _, spot := range []orb.Point{{117.23, 39.12}, {179.9995, 14.528}, {-179.9995, -40.1}, {12.5, 89.995}, {-60, -89.993}} {
			for range 20000 {
				p := orb.Point{spot[0] + (r.Float64()-0.5)*0.001, spot[1] + (r.Float64()-0.5)*0.0008}
				p[0] -= 360 * math.Floor((p[0]+180)/360) // keep within −180..180
				if got, want := cc.cell(p), Cell(p, res); got != want {
					t.Fatalf("res %d: cell(%v)=%v, want %v", res, p, got, want)
				}
			}
		}
	}
}
