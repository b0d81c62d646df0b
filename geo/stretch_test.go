package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestCut(t *testing.T) {
	// east returns a line along the equator of the given length in meters,
	// where lengths are exact: 1 degree is degree meters.
	east := func(meters float64) orb.LineString {
		return orb.LineString{{0, 0}, {meters / degree, 0}}
	}
	// A bent line through Dazhigu, about 1746 m (a 146 m tail is merged), with a vertex every few
	// hundred meters.
	bent := orb.LineString{{117.2212, 39.1270}, {117.2240, 39.1245}, {117.2262, 39.1229},
		{117.2300, 39.1190}, {117.2310, 39.1188}, {117.2337, 39.1150}}
	cases := []struct {
		name   string
		line   orb.LineString
		meters float64
		want   []float64 // cut distances in meters: From of each stretch, then the last To
		tol    float64   // meters
	}{
		{"exact multiple", east(500), 100, []float64{0, 100, 200, 300, 400, 500}, 1e-6},
		{"short tail merged", east(540), 100, []float64{0, 100, 200, 300, 400, 540}, 1e-6},
		{"tail of half kept", east(550), 100, []float64{0, 100, 200, 300, 400, 500, 550}, 1e-6},
		{"long tail kept", east(560), 100, []float64{0, 100, 200, 300, 400, 500, 560}, 1e-6},
		{"shorter than meters", east(30), 100, []float64{0, 30}, 1e-6},
		{"non-positive meters", east(250), 0, []float64{0, 250}, 1e-6},
		{"bent", bent, 400, []float64{0, 400, 800, 1200, Length(bent)}, 1e-6},
		{"one point", orb.LineString{{1, 1}}, 100, nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Cut(tc.line, tc.meters)
			if len(tc.want) == 0 {
				if len(got) != 0 {
					t.Fatalf("len=%d, want 0", len(got))
				}
				return
			}
			if len(got) != len(tc.want)-1 {
				t.Fatalf("len=%d, want %d", len(got), len(tc.want)-1)
			}
			for i, s := range got {
				if math.Abs(s.From-tc.want[i]) > tc.tol || math.Abs(s.To-tc.want[i+1]) > tc.tol {
					t.Errorf("stretch %d: [%.6f, %.6f], want [%.6f, %.6f]", i, s.From, s.To, tc.want[i], tc.want[i+1])
				}
				// The stretch's own length matches its span (the linear
				// interpolation within a segment is exact to well under a cm).
				if l := Length(s.Line); math.Abs(l-(s.To-s.From)) > 0.01 {
					t.Errorf("stretch %d: Length=%.4f, want %.4f", i, l, s.To-s.From)
				}
				// Every vertex lies on the original line (in degrees).
				for _, p := range s.Line {
					if d := planar.DistanceFrom(tc.line, p); d > 1e-12 {
						t.Errorf("stretch %d: vertex %v is %g degrees off the line", i, p, d)
					}
				}
				for k := 1; k < len(s.Line); k++ {
					if s.Line[k] == s.Line[k-1] {
						t.Errorf("stretch %d: repeated vertex %v", i, s.Line[k])
					}
				}
				if i > 0 && got[i-1].Line[len(got[i-1].Line)-1] != s.Line[0] {
					t.Errorf("stretch %d does not start where stretch %d ends", i, i-1)
				}
			}
			if first, last := got[0].Line[0], got[len(got)-1].Line; first != tc.line[0] || last[len(last)-1] != tc.line[len(tc.line)-1] {
				t.Errorf("stretches do not span the line's ends")
			}
		})
	}
}
