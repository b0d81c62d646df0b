package geo

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// edgePoints returns points on and near the edges of cell c: each vertex,
// points along each edge (linear in longitude, latitude), and the same
// pushed across the edge and back by 1e-12° to 1e-5° (0.1 µm to 1 m).
func edgePoints(r *rand.Rand, c h3.Cell) []orb.Point {
	b := h3.CellToBoundary(c)
	centre := h3.CellToLatLng(c)
	var ps []orb.Point
	for i, v := range b {
		w := b[(i+1)%len(b)]
		dLng := wrapLon(w.Lng - v.Lng)
		ps = append(ps, orb.Point{v.Lng, v.Lat})
		for range 8 {
			t := r.Float64()
			on := orb.Point{v.Lng + t*dLng, v.Lat + t*(w.Lat-v.Lat)}
			out := orb.Point{wrapLon(on[0] - centre.Lng), on[1] - centre.Lat} // away from the centre
			l := math.Hypot(out[0], out[1])
			for _, d := range []float64{0, 1e-12, 1e-10, 1e-8, 1e-7, 1e-6, 1e-5} {
				for _, sign := range []float64{-1, 1} {
					p := orb.Point{on[0] + sign*d*out[0]/l, on[1] + sign*d*out[1]/l}
					p[0] -= 360 * math.Floor((p[0]+180)/360)
					ps = append(ps, p)
				}
			}
		}
	}
	return ps
}

// TestCellCacheEdges checks the cached cell of points on and near the edges
// and vertices of cells against the H3 library, cell after cell so that the
// cache goes from each to its neighbours, at several resolutions and in
// places where longitudes wrap or cells are pentagons.
func TestCellCacheEdges(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	spots := []orb.Point{{117.2255, 39.112}, {179.9999, 10}, {-0.0001, 51.48}, {0, 0}, {-73.98, 40.75}, {151.2, -33.87}}
	for _, res := range []int{0, 5, 9, 12, 15} {
		starts := []h3.Cell{}
		for _, s := range spots {
			starts = append(starts, Cell(s, res))
		}
		starts = append(starts, h3.Pentagons(res)[:3]...)
		cc := newCellCache(res)
		for _, start := range starts {
			for _, c := range start.GridDisk(1) {
				for _, p := range edgePoints(r, c) {
					if got, want := cc.cell(p), Cell(p, res); got != want {
						t.Fatalf("res %d: cell(%v)=%v, want %v", res, p, got, want)
					}
				}
			}
		}
	}
}

// TestCellCacheRandom checks the cached cell of random points over the
// globe, and of random walks with steps of a few cell widths, against the
// H3 library.
func TestCellCacheRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, res := range []int{3, 8, 12, 14} {
		cc := newCellCache(res)
		for range 20000 {
			p := orb.Point{r.Float64()*360 - 180, math.Asin(2*r.Float64()-1) * 180 / math.Pi}
			if got, want := cc.cell(p), Cell(p, res); got != want {
				t.Fatalf("res %d: cell(%v)=%v, want %v", res, p, got, want)
			}
		}
		step := h3.HexagonEdgeLengthAvgM(res) / degree
		for range 20 {
			p := orb.Point{r.Float64()*360 - 180, r.Float64()*160 - 80}
			for range 2000 {
				p[0] += (r.Float64() - 0.5) * 4 * step / math.Cos(p[1]*math.Pi/180)
				p[1] = math.Max(-89, math.Min(89, p[1]+(r.Float64()-0.5)*4*step))
				p[0] -= 360 * math.Floor((p[0]+180)/360)
				if got, want := cc.cell(p), Cell(p, res); got != want {
					t.Fatalf("res %d: cell(%v)=%v, want %v", res, p, got, want)
				}
			}
		}
	}
}

// TestDwellMatchesH3 checks that Dwell, which finds cells through its
// cache, gives exactly the rows it gives looking every point up in H3.
func TestDwellMatchesH3(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	laps := make([]Fix, 5000) // up and down 300 m of a street, a fix every 5 s
	t0 := time.Date(2026, 5, 11, 0, 30, 0, 0, time.UTC)
	for i := range laps {
		d := math.Mod(float64(i)*7, 600)
		if d > 300 {
			d = 600 - d
		}
		laps[i] = Fix{t0.Add(time.Duration(i) * 5 * time.Second), orb.Point{117.2255 + d/degree/0.776, 39.112 + d/degree/3}}
	}
	jumpy := benchTrack(5000)
	for i := range jumpy {
		if r.IntN(50) == 0 { // a GPS jump
			jumpy[i].Point[0] += (r.Float64() - 0.5) * 0.01
		}
	}
	for name, fixes := range map[string][]Fix{"wander": benchTrack(20000), "laps": laps, "jumps": jumpy} {
		for _, res := range []int{9, 12, 13} {
			opt := DwellOptions{Res: res}
			got, gotSum := Dwell(fixes, opt)
			opt.MaxGap, opt.MaxSpeed = DefaultMaxGap, DefaultMaxSpeed
			want, wantSum := dwell(fixes, opt, func(p orb.Point) h3.Cell { return Cell(p, res) })
			if gotSum != wantSum || !slices.Equal(got, want) {
				t.Errorf("%s, res %d: %d rows (%+v), want %d (%+v)", name, res, len(got), gotSum, len(want), wantSum)
			}
		}
	}
}
