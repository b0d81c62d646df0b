package stat

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
)

// zp returns z and its two-sided normal p-values (computed here, so that
// Classify's tests stand on their own).
func zp(z ...float64) ([]float64, []float64) {
	p := make([]float64, len(z))
	for i, v := range z {
		p[i] = math.Erfc(math.Abs(v) / math.Sqrt2)
	}
	return z, p
}

// neg returns -z.
func neg(z []float64) []float64 {
	out := make([]float64, len(z))
	for i, v := range z {
		out[i] = -v
	}
	return out
}

// Ten weekly z-score series, one per hot spot outcome. |z| ≥ 1.645 is
// significant at 90 %; "." in the comments marks a bin that is not.
var (
	zNew          = []float64{0.1, -0.3, 0.2, 0.5, 0.1, 0.4, -0.2, 0.3, 0.6, 2.1}     // . . . . . . . . . H
	zConsecutive  = []float64{0.2, -0.4, 0.3, 0.1, 0.5, -0.1, 0.4, 1.9, 2.2, 2.5}     // . . . . . . . H H H
	zIntensifying = []float64{1.8, 2.0, 2.2, 2.4, 2.6, 2.8, 3.0, 3.2, 3.4, 3.6}       // H×10, rising
	zPersistent   = []float64{2.3, 2.0, 2.5, 1.9, 2.4, 2.1, 2.6, 1.8, 2.2, 2.3}       // H×10, no trend
	zDiminishing  = []float64{3.6, 3.4, 3.2, 3.0, 2.8, 2.6, 2.4, 2.2, 2.0, 1.8}       // H×10, falling
	zSporadic     = []float64{2.0, 0.1, 0.3, 1.9, 0.2, 0.1, 2.2, 0.4, 0.2, 2.3}       // H . . H . . H . . H
	zOscillating  = []float64{-2.0, 0.1, 2.1, 0.3, -1.9, 0.2, 0.1, 0.4, 0.3, 2.0}     // C . H . C . . . . H
	zHistorical   = []float64{2.5, 2.4, 2.6, 2.2, 2.8, 2.1, 2.3, 2.0, 1.9, 0.5}       // H×9 .
	zNothing      = []float64{0.5, -1.2, 1.6, -1.6, 0.0, 1.0, -0.3, 1.64, -1.64, 0.9} // all .
)

// TestClassify has one row per outcome: 17 named rows, each a constructed
// z/p series whose trend is its own Mann–Kendall test.
func TestClassify(t *testing.T) {
	cases := []struct {
		name string
		z    []float64
		want Outcome
	}{
		{"no pattern", zNothing, NoPattern},
		{"new hot spot", zNew, NewHotSpot},
		{"consecutive hot spot", zConsecutive, ConsecutiveHotSpot},
		{"intensifying hot spot", zIntensifying, IntensifyingHotSpot},
		{"persistent hot spot", zPersistent, PersistentHotSpot},
		{"diminishing hot spot", zDiminishing, DiminishingHotSpot},
		{"sporadic hot spot", zSporadic, SporadicHotSpot},
		{"oscillating hot spot", zOscillating, OscillatingHotSpot},
		{"historical hot spot", zHistorical, HistoricalHotSpot},
		{"new cold spot", neg(zNew), NewColdSpot},
		{"consecutive cold spot", neg(zConsecutive), ConsecutiveColdSpot},
		{"intensifying cold spot", neg(zIntensifying), IntensifyingColdSpot}, // ever colder
		{"persistent cold spot", neg(zPersistent), PersistentColdSpot},
		{"diminishing cold spot", neg(zDiminishing), DiminishingColdSpot}, // warming
		{"sporadic cold spot", neg(zSporadic), SporadicColdSpot},
		{"oscillating cold spot", neg(zOscillating), OscillatingColdSpot},
		{"historical cold spot", neg(zHistorical), HistoricalColdSpot},
	}
	seen := map[Outcome]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			z, p := zp(c.z...)
			tr := MannKendall(z)
			if got := Classify(z, p, tr); got != c.want {
				t.Fatalf("Classify(%v)=%q, want %q (trend %+v)", z, got, c.want, tr)
			}
		})
		seen[c.want] = true
	}
	for _, o := range Outcomes() {
		if !seen[o] {
			t.Errorf("no row for %q", o)
		}
	}
	if len(Outcomes()) != 17 || len(seen) != 17 {
		t.Errorf("%d outcomes, %d rows; want 17", len(Outcomes()), len(seen))
	}
	// The rows must be what their names say about the trend.
	if tr := MannKendall(zPersistent); tr.P < EmergingAlpha {
		t.Errorf("persistent series has a significant trend: %+v", tr)
	}
	if tr := MannKendall(zIntensifying); tr.P >= EmergingAlpha || tr.S <= 0 {
		t.Errorf("intensifying series has no significant rise: %+v", tr)
	}
}

// TestClassifyPrecedence pins the choices docs/emerging.md makes where
// ArcGIS's definitions overlap or leave a gap.
func TestClassifyPrecedence(t *testing.T) {
	hot, cold, none := 2.5, -2.5, 0.2
	rep := func(v float64, n int) []float64 { return slices.Repeat([]float64{v}, n) }
	cat := func(parts ...[]float64) []float64 { return slices.Concat(parts...) }
	cases := []struct {
		name  string
		z     []float64
		trend *Trend // nil: MannKendall(z)
		want  Outcome
	}{
		{"hot only in the final bin after a cold spot is oscillating, not new",
			cat(rep(cold, 1), rep(none, 8), rep(hot, 1)), nil, OscillatingHotSpot},
		{"final hot run after a cold spot is oscillating, not consecutive",
			cat(rep(cold, 1), rep(none, 6), rep(hot, 3)), nil, OscillatingHotSpot},
		{"a final run of one bin after earlier hot bins is sporadic",
			cat(rep(hot, 2), rep(none, 7), rep(hot, 1)), nil, SporadicHotSpot},
		{"a final run of two after an earlier hot bin is sporadic",
			cat(rep(hot, 1), rep(none, 7), rep(hot, 2)), nil, SporadicHotSpot},
		{"90 % hot, then cold in the final bin, is oscillating cold",
			cat(rep(hot, 9), rep(cold, 1)), nil, OscillatingColdSpot},
		{"90 % hot, final bin not significant, with no trend, is historical",
			cat(rep(hot, 9), rep(none, 1)), &Trend{P: 0.9}, HistoricalHotSpot},
		{"90 % hot, final bin not significant, with a falling trend, is historical",
			cat(rep(hot, 9), rep(none, 1)), &Trend{S: -30, P: 0.001}, HistoricalHotSpot},
		{"exactly 90 % (18 of 20) with the final bin hot is persistent",
			cat(rep(none, 2), rep(hot, 18)), &Trend{P: 0.5}, PersistentHotSpot},
		{"17 of 20 is not 90 %: a long final run is consecutive",
			cat(rep(none, 3), rep(hot, 17)), nil, ConsecutiveHotSpot},
		{"90 % hot with a cold bin and a rising trend is still intensifying",
			cat(rep(cold, 1), rep(hot, 9)), &Trend{S: 20, P: 0.01}, IntensifyingHotSpot},
		{"a trend at p = alpha does not count",
			rep(hot, 10), &Trend{S: 20, P: EmergingAlpha}, PersistentHotSpot},
		{"hot and cold before, neither in the final bin nor 90 %, is no pattern",
			cat(rep(hot, 3), rep(cold, 3), rep(none, 4)), nil, NoPattern},
		{"two bins, both hot, is persistent (too short for a trend)",
			rep(hot, 2), nil, PersistentHotSpot},
		{"two bins, hot only in the last, is new",
			cat(rep(none, 1), rep(hot, 1)), nil, NewHotSpot},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			z, p := zp(c.z...)
			tr := MannKendall(z)
			if c.trend != nil {
				tr = *c.trend
			}
			if got := Classify(z, p, tr); got != c.want {
				t.Fatalf("Classify(%v)=%q, want %q (trend %+v)", z, got, c.want, tr)
			}
		})
	}
}

func TestClassifyEdges(t *testing.T) {
	cases := []struct {
		name string
		z, p []float64
		want Outcome
	}{
		{"no bins", nil, nil, NoPattern},
		{"one bin, hot", []float64{3}, []float64{0.001}, NoPattern},
		{"unequal lengths", []float64{3, 3, 3}, []float64{0.001, 0.001}, NoPattern},
		{"all insignificant", []float64{1, 1.2, 1.5, 1.6, 1.64}, []float64{0.32, 0.23, 0.13, 0.11, 0.101}, NoPattern},
		{"significant p with z = 0 is neither hot nor cold", []float64{0, 0, 0}, []float64{0.01, 0.01, 0.01}, NoPattern},
		{"p exactly alpha is not significant", []float64{2, 2, 2}, []float64{0.1, 0.1, 0.1}, NoPattern},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Classify(c.z, c.p, MannKendall(c.z)); got != c.want {
				t.Fatalf("Classify(%v, %v)=%q, want %q", c.z, c.p, got, c.want)
			}
		})
	}
}

func TestOutcomeSides(t *testing.T) {
	var hot, cold int
	for _, o := range Outcomes() {
		if o.Hot() && o.Cold() {
			t.Errorf("%q is both hot and cold", o)
		}
		if o.Hot() {
			hot++
		}
		if o.Cold() {
			cold++
		}
	}
	if hot != 8 || cold != 8 || NoPattern.Hot() || NoPattern.Cold() {
		t.Fatalf("%d hot and %d cold outcomes, want 8 and 8, no pattern neither", hot, cold)
	}
}

// spaceTimeReference is testdata/emerging_spacetime.json, written by
// emerging_spacetime.R with R's spdep::localG.
type spaceTimeReference struct {
	Neighbours [][]int32   `json:"neighbours"`
	X          [][]float64 `json:"x"`
	Cases      []struct {
		Window int         `json:"window"`
		Z      [][]float64 `json:"z"`
	} `json:"cases"`
}

func readSpaceTimeReference(t *testing.T) spaceTimeReference {
	t.Helper()
	raw, err := os.ReadFile("testdata/emerging_spacetime.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref spaceTimeReference
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	return ref
}

// flatten lays the cube out as n·T cells, cell i of bin t at t·n + i, with
// the space-time neighbours written out explicitly (in increasing order).
func flatten(x [][]float64, w Weights, window int) ([]float64, Weights) {
	nt, n := len(x), w.N()
	flat := make([]float64, 0, nt*n)
	st := Weights{Neighbours: make([][]int32, nt*n)}
	for t := range nt {
		flat = append(flat, x[t]...)
		for i, nb := range w.Neighbours {
			var all []int32
			for s := max(0, t-window); s <= t; s++ {
				for _, j := range nb {
					all = append(all, int32(s*n)+j)
				}
			}
			st.Neighbours[t*n+i] = all
		}
	}
	return flat, st
}

// TestSpaceTimeGiStarSpdep compares SpaceTimeGiStar with R's spdep::localG
// on the explicitly written space-time graph of a 6-cell × 5-bin cube, for
// windows 0, 1 and 2.
func TestSpaceTimeGiStarSpdep(t *testing.T) {
	ref := readSpaceTimeReference(t)
	w := Weights{Neighbours: ref.Neighbours}
	var worst float64
	for _, c := range ref.Cases {
		got := SpaceTimeGiStar(ref.X, w, c.Window)
		for tt := range c.Z {
			for i, want := range c.Z[tt] {
				d := math.Abs(got[tt][i] - want)
				worst = max(worst, d)
				if d > 1e-9 {
					t.Errorf("window %d: z[%d][%d]=%.15g, want %.15g (spdep)", c.Window, tt, i, got[tt][i], want)
				}
			}
		}
	}
	t.Logf("largest difference from spdep::localG: %.3g", worst)
}

// TestSpaceTimeGiStarFlattened cross-checks SpaceTimeGiStar with GiStar on
// the flattened space-time graph, on a random cube.
func TestSpaceTimeGiStarFlattened(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 52))
	const n, nt = 40, 9
	w := pathWeights(n)
	x := make([][]float64, nt)
	for tt := range x {
		x[tt] = make([]float64, n)
		for i := range x[tt] {
			x[tt][i] = float64(r.IntN(6))
		}
	}
	for _, window := range []int{0, 1, 3, nt + 2} {
		got := SpaceTimeGiStar(x, w, window)
		flat, st := flatten(x, w, window)
		want := GiStar(flat, st)
		for tt := range got {
			for i := range got[tt] {
				if d := math.Abs(got[tt][i] - want[tt*n+i]); d > 1e-12 {
					t.Fatalf("window %d: z[%d][%d]=%.15g, GiStar on the flattened cube %.15g", window, tt, i, got[tt][i], want[tt*n+i])
				}
			}
		}
	}
}

func TestSpaceTimeGiStarEdges(t *testing.T) {
	w := pathWeights(3)
	cases := []struct {
		name string
		x    [][]float64
		w    Weights
	}{
		{"no bins", nil, w},
		{"no cells", [][]float64{{}, {}}, Weights{}},
		{"one value", [][]float64{{4}}, Weights{Neighbours: [][]int32{{0}}}},
		{"constant", [][]float64{{0.1, 0.1, 0.1}, {0.1, 0.1, 0.1}}, w},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			z := SpaceTimeGiStar(c.x, c.w, 1)
			if len(z) != len(c.x) {
				t.Fatalf("%d bins, want %d", len(z), len(c.x))
			}
			for tt := range z {
				if len(z[tt]) != c.w.N() {
					t.Fatalf("bin %d has %d cells, want %d", tt, len(z[tt]), c.w.N())
				}
				for _, v := range z[tt] {
					if v != 0 {
						t.Fatalf("z=%v, want all 0", z)
					}
				}
			}
		})
	}
}

// pathWeights are the weights of n cells on a line: i−1, i, i+1.
func pathWeights(n int) Weights {
	w := Weights{Neighbours: make([][]int32, n)}
	for i := range n {
		for j := max(0, i-1); j <= min(n-1, i+1); j++ {
			w.Neighbours[i] = append(w.Neighbours[i], int32(j))
		}
	}
	return w
}

// hexWeights are the k=1 weights of a rows×cols patch of a hexagonal grid
// (axial coordinates, like an H3 k-ring away from pentagons), cell r·cols+c.
func hexWeights(rows, cols int) Weights {
	w := Weights{Neighbours: make([][]int32, rows*cols)}
	for r := range rows {
		for c := range cols {
			var nb []int32
			for _, d := range [][2]int{{-1, 0}, {-1, 1}, {0, -1}, {0, 0}, {0, 1}, {1, -1}, {1, 0}} {
				rr, cc := r+d[0], c+d[1]
				if rr >= 0 && rr < rows && cc >= 0 && cc < cols {
					nb = append(nb, int32(rr*cols+cc))
				}
			}
			w.Neighbours[r*cols+c] = nb
		}
	}
	return w
}

// plantedCube is weeks of counts on a hex patch with background noise and
// planted patterns: a hot stretch that is always busy and growing, one that
// starts only in the last weeks, and one that stops.
func plantedCube(rows, cols, weeks int, seed uint64) ([][]float64, map[string][]int) {
	r := rand.New(rand.NewPCG(seed, 3))
	x := make([][]float64, weeks)
	for t := range x {
		x[t] = make([]float64, rows*cols)
		for i := range x[t] {
			x[t][i] = float64(r.IntN(3)) // 0..2
		}
	}
	at := func(row, col int) int { return row*cols + col }
	planted := map[string][]int{
		"growing": {at(5, 5), at(5, 6), at(6, 5)},
		"new":     {at(15, 15), at(15, 16), at(16, 15)},
		"stopped": {at(5, 20), at(5, 21), at(6, 20)},
	}
	for t := range weeks {
		for _, i := range planted["growing"] {
			x[t][i] += 6 + float64(t)
		}
		if t >= weeks-3 {
			for _, i := range planted["new"] {
				x[t][i] += 25
			}
		}
		if t < weeks-2 {
			for _, i := range planted["stopped"] {
				x[t][i] += 10
			}
		}
	}
	return x, planted
}

func TestEmerging(t *testing.T) {
	const rows, cols, weeks = 25, 30, 20
	x, planted := plantedCube(rows, cols, weeks, 1)
	w := hexWeights(rows, cols)
	cells := Emerging(x, w, 1)
	if len(cells) != rows*cols {
		t.Fatalf("%d cells, want %d", len(cells), rows*cols)
	}
	z := SpaceTimeGiStar(x, w, 1)
	for i, c := range cells {
		if len(c.Z) != weeks || len(c.P) != weeks {
			t.Fatalf("cell %d: %d z, %d p, want %d", i, len(c.Z), len(c.P), weeks)
		}
		for tt := range weeks {
			if c.Z[tt] != z[tt][i] {
				t.Fatalf("cell %d: Z[%d]=%v, SpaceTimeGiStar %v", i, tt, c.Z[tt], z[tt][i])
			}
		}
		if c.Trend != MannKendall(c.Z) || c.Outcome != Classify(c.Z, c.P, c.Trend) {
			t.Fatalf("cell %d: trend or outcome is not MannKendall and Classify of its series", i)
		}
	}
	wants := map[string]Outcome{"growing": IntensifyingHotSpot, "new": ConsecutiveHotSpot, "stopped": HistoricalHotSpot}
	for name, idx := range planted {
		for _, i := range idx {
			if got := cells[i].Outcome; got != wants[name] {
				t.Errorf("%s cell %d: %q, want %q (z %.2f)", name, i, got, wants[name], cells[i].Z)
			}
		}
	}
	counts := map[Outcome]int{}
	for _, c := range cells {
		counts[c.Outcome]++
	}
	t.Logf("outcomes: %v", counts)
	if counts[NoPattern] < rows*cols/2 {
		t.Errorf("only %d of %d cells without a pattern in a mostly random cube", counts[NoPattern], rows*cols)
	}
}

func TestEmergingEmpty(t *testing.T) {
	if got := Emerging(nil, pathWeights(4), 1); len(got) != 4 || got[0].Outcome != NoPattern || len(got[0].Z) != 0 {
		t.Fatalf("Emerging with no bins = %+v", got)
	}
	if got := Emerging([][]float64{{}}, Weights{}, 1); len(got) != 0 {
		t.Fatalf("Emerging with no cells = %+v", got)
	}
}

// BenchmarkEmerging is a year of weekly bins over ~3,000 cells (a 55×55
// hex patch).
func BenchmarkEmerging(b *testing.B) {
	x, _ := plantedCube(55, 55, 52, 2)
	w := hexWeights(55, 55)
	b.ResetTimer()
	for b.Loop() {
		Emerging(x, w, 1)
	}
}

func ExampleClassify() {
	// Weekly Gi* z-scores of one cell: nothing for seven weeks, then a hot
	// spot three weeks running.
	z := []float64{0.2, -0.4, 0.3, 0.1, 0.5, -0.1, 0.4, 1.9, 2.2, 2.5}
	p := PValues(z)
	fmt.Println(Classify(z, p, MannKendall(z)))
	// Output: consecutive hot spot
}
