package geo

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// lineCells returns the cells at res that a line passes through, sampled
// every 0.1 m.
func lineCells(line orb.LineString, res int) map[h3.Cell]bool {
	cells := map[h3.Cell]bool{}
	cum := cumulative(line)
	for d := 0.0; d < cum[len(cum)-1]+0.1; d += 0.1 {
		cells[Cell(interpolate(line, cum, d).Point, res)] = true
	}
	return cells
}

// cellDistance returns the spherical distance in meters from a line to the
// nearest point of cell c, found by sampling the cell's boundary every 0.2 m
// and using Locate; 0 when the line passes through the cell (through is
// lineCells(line)). It is an independent, brute-force check of Cover's
// planar polygon distance.
func cellDistance(line orb.LineString, through map[h3.Cell]bool, c h3.Cell) float64 {
	if through[c] {
		return 0
	}
	b := h3.CellToBoundary(c)
	best := math.Inf(1)
	for i := range b {
		p, q := orb.Point{b[i].Lng, b[i].Lat}, orb.Point{b[(i+1)%len(b)].Lng, b[(i+1)%len(b)].Lat}
		n := int(math.Ceil(Length(orb.LineString{p, q}) / 0.2))
		for k := 0; k <= n; k++ {
			_, off := Locate(line, pointAt(p, q, float64(k)/float64(n)))
			best = math.Min(best, off)
		}
	}
	return best
}

func TestCover(t *testing.T) {
	// A bent line of about 560 m in Dazhigu, cut into 100 m stretches.
	line := orb.LineString{{117.2262, 39.1229}, {117.2280, 39.1212}, {117.2290, 39.1209}, {117.2300, 39.1190}}
	cases := []struct {
		name   string
		buffer float64 // meters
		res    int
	}{
		{"res 12 buffer 20", 20, 12},
		{"res 11 buffer 30", 30, 11},
		{"res 12 bare line", 0, 12},
		{"res 10 buffer 5", 5, 10},
	}
	const tol = 0.3 // meters: the boundary sampling step plus projection error
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			stretches := Cut(line, 100)
			got, err := Cover(context.Background(), stretches, tc.buffer, tc.res)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(stretches) {
				t.Fatalf("len=%d, want %d", len(got), len(stretches))
			}
			owner := map[h3.Cell]int{}
			for i, cells := range got {
				if len(cells) == 0 {
					t.Errorf("stretch %d has no cells", i)
				}
				if !slices.IsSorted(cells) {
					t.Errorf("stretch %d: cells not sorted", i)
				}
				for _, c := range cells {
					if j, dup := owner[c]; dup {
						t.Errorf("cell %v in stretches %d and %d", c, j, i)
					}
					owner[c] = i
					if c.Resolution() != tc.res {
						t.Errorf("cell %v has res %d, want %d", c, c.Resolution(), tc.res)
					}
				}
			}
			// Every cell near the line is in the cover if and only if it
			// touches the corridor; the cover goes to the stretch nearest
			// the cell's centre.
			through := lineCells(line, tc.res)
			edge := h3.HexagonEdgeLengthAvgM(tc.res)
			k := int(math.Ceil((tc.buffer+3*edge)/(1.5*edge))) + 1
			var near []h3.Cell
			for c := range through {
				near = append(near, h3.GridDisk(c, k)...)
			}
			slices.Sort(near)
			near = slices.Compact(near)
			for _, c := range near {
				d := cellDistance(line, through, c)
				i, in := owner[c]
				switch {
				case in && d > tc.buffer+tol:
					t.Errorf("cell %v is %.2f m from the line but in the cover", c, d)
				case !in && d < tc.buffer-tol:
					t.Errorf("cell %v is %.2f m from the line but not in the cover", c, d)
				}
				if !in {
					continue
				}
				ll := h3.CellToLatLng(c)
				_, mine := Locate(stretches[i].Line, orb.Point{ll.Lng, ll.Lat})
				for j, s := range stretches {
					if _, other := Locate(s.Line, orb.Point{ll.Lng, ll.Lat}); other < mine-0.01 {
						t.Errorf("cell %v given to stretch %d (%.2f m) but stretch %d is %.2f m", c, i, mine, j, other)
					}
				}
			}
			for c := range owner {
				if !slices.Contains(near, c) {
					t.Errorf("cell %v is far from the line", c)
				}
			}
		})
	}
}

func TestCoverEdgeCases(t *testing.T) {
	centre := h3.CellToLatLng(Cell(orb.Point{117.23, 39.12}, 9))
	p := orb.Point{centre.Lng, centre.Lat}
	tiny := []Stretch{{Line: orb.LineString{p, {p[0] + 1e-5, p[1]}}, From: 0, To: 0.86}}
	cases := []struct {
		name      string
		stretches []Stretch
		buffer    float64
		res       int
		want      [][]h3.Cell
	}{
		{"tiny line in one cell", tiny, 0, 9, [][]h3.Cell{{Cell(p, 9)}}},
		{"negative buffer is the bare line", tiny, -5, 9, [][]h3.Cell{{Cell(p, 9)}}},
		{"invalid resolution", tiny, 10, 16, [][]h3.Cell{nil}},
		{"no stretches", nil, 10, 12, [][]h3.Cell{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Cover(context.Background(), tc.stretches, tc.buffer, tc.res)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("len=%d, want %d", len(got), len(tc.want))
			}
			for i := range got {
				if !slices.Equal(got[i], tc.want[i]) {
					t.Errorf("stretch %d: %v, want %v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

// TestParent checks Parent against H3's cellToParent.
func TestParent(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for range 20000 {
		c := Cell(orb.Point{-180 + 360*r.Float64(), -89 + 178*r.Float64()}, r.IntN(16))
		for res := 0; res <= c.Resolution(); res++ {
			if got, want := Parent(c, res), c.Parent(res); got != want {
				t.Fatalf("Parent(%v, %d) = %v, want %v", c, res, got, want)
			}
		}
		if got := Parent(c, c.Resolution()+1); got != 0 && c.Resolution() < 15 {
			t.Fatalf("Parent(%v, finer) = %v, want the zero Cell", c, got)
		}
	}
}

// TestIsCellAt checks the bit test against H3 on cells of every resolution
// and on indexes that are not cells.
func TestIsCellAt(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for range 5000 {
		c := Cell(orb.Point{-180 + 360*r.Float64(), -89 + 178*r.Float64()}, r.IntN(16))
		for res := range 16 {
			if got, want := IsCellAt(c, res), c.IsValid() && c.Resolution() == res; got != want {
				t.Fatalf("IsCellAt(%v, %d) = %v, want %v", c, res, got, want)
			}
		}
		if e := c.DirectedEdges(); len(e) > 0 && IsCellAt(h3.Cell(e[0]), c.Resolution()) {
			t.Fatalf("the directed edge %v passes as a cell", e[0])
		}
	}
	if IsCellAt(0, 0) {
		t.Fatal("the zero index passes as a cell")
	}
}

// TestCoverStops: a context that ends while the corridor is flooded stops
// Cover with its error. The corridor (20 km at res 12, 200 m wide, some
// 13,000 cells) takes far longer than the deadline.
func TestCoverStops(t *testing.T) {
	line := orb.LineString{{117.0, 39.1}, {117.23, 39.1}}
	done, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Cover(done, Cut(line, 100), 100, 12); !errors.Is(err, context.Canceled) {
		t.Fatalf("Cover with an ended context: %v, want context.Canceled", err)
	}
	ctx, stop := context.WithTimeout(context.Background(), time.Millisecond)
	defer stop()
	if _, err := Cover(ctx, Cut(line, 100), 100, 12); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Cover past its deadline: %v, want context.DeadlineExceeded", err)
	}
}
