package cube

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

// edgePoints returns points within a metre of the edges and vertices of
// the res-9, 10 and 11 cells around p, on both sides, where a res-r count
// made of res-12 children goes wrong.
func edgePoints(p orb.Point, r *rand.Rand) []orb.Point {
	var out []orb.Point
	for res := 9; res <= 11; res++ {
		for _, c := range geo.Cell(p, res).GridDisk(1) {
			b := c.Boundary()
			for i := range b {
				v, w := b[i], b[(i+1)%len(b)]
				for range 12 {
					t := r.Float64()
					lat, lng := v.Lat+(w.Lat-v.Lat)*t, v.Lng+(w.Lng-v.Lng)*t
					out = append(out, orb.Point{lng + (r.Float64()-0.5)*2e-5, lat + (r.Float64()-0.5)*2e-5}) // ±1 m
				}
			}
		}
	}
	return out
}

// TestExactCells counts points scattered within a metre of cell edges and
// checks every count, at every resolution 9–12, against H3's own
// LatLngToCell of each point (what GIS tools give when they count the points
// inside the hexagons served).
func TestExactCells(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	pts := edgePoints(orb.Point{117.2265, 39.1187}, r)
	at := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	changes := make([]data.Change, len(pts))
	for i, p := range pts {
		changes[i] = data.Change{Seq: int64(i + 1), Kind: data.ChangeViolation, Cell: geo.Cell(p, 12), Point: p,
			Hour: at, Category: "dumping", Source: data.SourcePatrol}
	}
	c := New()
	c.Apply(changes)
	for res := MinRes; res <= MaxRes; res++ {
		want, byParent := map[h3.Cell]float64{}, map[h3.Cell]float64{}
		for _, p := range pts {
			want[h3.LatLngToCell(h3.NewLatLng(p[1], p[0]), res)]++
			byParent[geo.Cell(p, 12).Parent(res)]++
		}
		got := counts(c, Filter{}, res)
		if len(got) != len(want) {
			t.Fatalf("res %d: %d cells, want %d", res, len(got), len(want))
		}
		for cell, n := range want {
			if got[cell] != n {
				t.Fatalf("res %d: cell %v counts %v, LatLngToCell puts %v there", res, cell, got[cell], n)
			}
		}
		moved := 0.0
		for cell, n := range byParent {
			moved += math.Max(0, n-want[cell])
		}
		if res < MaxRes && moved == 0 { // the test would catch counting by parents
			t.Fatalf("res %d: no point of the test set lies outside its res-12 cell's parent", res)
		}
	}
}

// TestDwellCentreBound measures the error of counting dwell, which the store
// keeps per res-12 cell, in the coarser cell holding each res-12 cell's
// centre: the share of presence (at uniform density) put in another cell,
// and how far from that cell's edge such presence can be.
func TestDwellCentreBound(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	const n = 40000
	// The farthest a point of a res-12 cell is from its centre, with a
	// little slack for the sphere: the most the count can move presence.
	radius := 0.0
	for range 50 {
		c := geo.Cell(orb.Point{117.2 + r.Float64()*0.06, 39.1 + r.Float64()*0.04}, 12)
		ll := c.LatLng()
		for _, v := range c.Boundary() {
			radius = math.Max(radius, orbgeo.Distance(orb.Point{ll.Lng, ll.Lat}, orb.Point{v.Lng, v.Lat}))
		}
	}
	for res, maxShare := range map[int]float64{9: 0.03, 10: 0.07, 11: 0.08} {
		wrong := 0
		for range n {
			p := orb.Point{117.2 + r.Float64()*0.06, 39.1 + r.Float64()*0.04}
			c12 := geo.Cell(p, 12)
			if CentreCells(c12).At(res) == geo.Cell(p, res) {
				continue
			}
			wrong++
			ll := c12.LatLng()
			if d := orbgeo.Distance(p, orb.Point{ll.Lng, ll.Lat}); d > radius*1.001 {
				t.Fatalf("res %d: presence at %v moved %.1f m, more than a res-12 cell's radius %.1f m", res, p, d, radius)
			}
		}
		if share := float64(wrong) / n; share > maxShare {
			t.Errorf("res %d: %.2f %% of presence counted in a neighbouring cell, documented bound %.0f %%", res, 100*share, 100*maxShare)
		}
	}
}
