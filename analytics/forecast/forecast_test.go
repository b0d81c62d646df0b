package forecast

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/uber/h3-go/v4"
)

// line is a panel of n units in a row, each the neighbour of the next.
func line(counts [][]float64) *Panel {
	n := len(counts[0])
	p := &Panel{Counts: counts, Neighbours: make([][]int32, n)}
	for i := range n {
		if i > 0 {
			p.Neighbours[i] = append(p.Neighbours[i], int32(i-1))
		}
		if i+1 < n {
			p.Neighbours[i] = append(p.Neighbours[i], int32(i+1))
		}
	}
	return p
}

func models() []Model {
	return []Model{Blend{}, LastWeeks{N: 4}, AllTime{}, EWMA{HalfLife: 6}, KDE{N: 8, Bandwidth: 400}}
}

// TestSeesOnlyThePast changes every week from t on and checks that no
// model's forecast for week t moves.
func TestSeesOnlyThePast(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	counts := make([][]float64, 40)
	for w := range counts {
		counts[w] = make([]float64, 30)
		for i := range counts[w] {
			counts[w][i] = float64(r.IntN(4))
		}
	}
	p := line(counts)
	const week = 30
	for _, m := range models() {
		before := m.Forecast(p, []int{week})[0]
		changed := line(slices.Clone(counts))
		for w := week; w < len(counts); w++ {
			changed.Counts[w] = make([]float64, 30)
			for i := range changed.Counts[w] {
				changed.Counts[w][i] = 100 * float64(r.IntN(3))
			}
		}
		if after := m.Forecast(changed, []int{week})[0]; !slices.Equal(before, after) {
			t.Errorf("%s: the forecast of week %d changes with weeks from %d on", m.Name(), week, week)
		}
	}
}

// TestBaselines checks the simple models on hand-worked cases.
func TestBaselines(t *testing.T) {
	p := line([][]float64{{1, 0}, {2, 0}, {0, 3}, {4, 1}, {0, 0}, {5, 2}})
	for _, tc := range []struct {
		m    Model
		week int
		want []float64
	}{
		{LastWeeks{N: 4}, 6, []float64{9, 6}},      // weeks 2..5
		{LastWeeks{N: 4}, 2, []float64{3, 0}},      // only weeks 0, 1 exist before
		{AllTime{}, 6, []float64{12, 6}},           // weeks 0..5
		{AllTime{}, 0, []float64{0, 0}},            // nothing before
		{EWMA{HalfLife: 1}, 3, []float64{1.25, 3}}, // 0·1 + 2·½ + 1·¼ ; 3·1
	} {
		got := tc.m.Forecast(p, []int{tc.week})[0]
		for i := range got {
			if math.Abs(got[i]-tc.want[i]) > 1e-12 {
				t.Errorf("%s week %d: %v, want %v", tc.m.Name(), tc.week, got, tc.want)
				break
			}
		}
	}
}

// TestKDE checks the quartic kernel on a cell and its six neighbours at
// res 9: with the bandwidth at 1.5 cell spacings, a neighbour's events count
// (1 − (d/h)²)² at distance d ≈ one spacing.
func TestKDE(t *testing.T) {
	c := h3.LatLngToCell(h3.NewLatLng(39.12, 117.23), 9)
	cells := c.GridDisk(1)
	counts := [][]float64{make([]float64, len(cells))}
	centreIdx := slices.Index(cells, c)
	counts[0][centreIdx] = 10
	p := &Panel{Counts: counts, Neighbours: make([][]int32, len(cells)), Cells: cells}
	m := KDE{N: 8, Bandwidth: 10}
	h := m.bandwidth(9)
	got := m.Forecast(p, []int{1})[0]
	for i, cell := range cells {
		d := distance(centre(cell), centre(c))
		want := 10 * math.Pow(1-(d/h)*(d/h), 2)
		if math.Abs(got[i]-want) > 1e-9 {
			t.Fatalf("cell %d at %.0f m: %v, want %v", i, d, got[i], want)
		}
		if i != centreIdx && (got[i] <= 0 || got[i] >= 10) {
			t.Fatalf("a neighbour gets %v of the centre's 10", got[i])
		}
	}
}

// TestFitRecoversWeights draws counts from a known blend of two memories
// and checks that the fit finds the weights.
func TestFitRecoversWeights(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	want := []float64{0.7, 0.2, 0.5}
	var weeks []*weekRows
	for range 40 {
		n := 400
		fs := make([][]float64, 3)
		for k := range fs {
			fs[k] = make([]float64, n)
			for i := range fs[k] {
				fs[k][i] = r.ExpFloat64() * float64(k+1)
			}
		}
		counts := make([]float64, n)
		for i := range counts {
			lam := 0.0
			for k := range fs {
				lam += want[k] * fs[k][i]
			}
			counts[i] = float64(poisson(r, lam))
		}
		weeks = append(weeks, rowsOf(counts, fs))
	}
	got := fitWeights(weeks, 3)
	for k := range want {
		if math.Abs(got[k]-want[k]) > 0.05 {
			t.Fatalf("weights %v, want %v", got, want)
		}
	}
}

func poisson(r *rand.Rand, lam float64) int {
	n := 0
	for s := r.ExpFloat64(); s < lam; s += r.ExpFloat64() {
		n++
	}
	return n
}

// TestFitAgainstR fits the weights of testdata/blend_fit.csv and compares
// them with R's glm (Poisson, identity link, no intercept), which
// testdata/blend_fit.R wrote into blend_fit.json, to 1e-8.
func TestFitAgainstR(t *testing.T) {
	raw, err := os.ReadFile("testdata/blend_fit.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct{ Coefficients []float64 }
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("testdata/blend_fit.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	k := len(ref.Coefficients)
	counts := make([]float64, len(rows)-1)
	fs := make([][]float64, k)
	for j := range fs {
		fs[j] = make([]float64, len(counts))
	}
	for i, row := range rows[1:] {
		counts[i], _ = strconv.ParseFloat(row[0], 64)
		for j := range k {
			fs[j][i], _ = strconv.ParseFloat(row[j+1], 64)
		}
	}
	got := fitWeights([]*weekRows{rowsOf(counts, fs)}, k)
	for j, want := range ref.Coefficients {
		if math.Abs(got[j]-want) > 1e-8 {
			t.Fatalf("weights %v, R's glm %v", got, ref.Coefficients)
		}
	}
}

// TestBeyondThePanel forecasts weeks after the panel's last: from the whole
// panel, without failing, the same for every week ahead.
func TestBeyondThePanel(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	counts := make([][]float64, 30)
	for w := range counts {
		counts[w] = make([]float64, 20)
		for i := range counts[w] {
			counts[w][i] = float64(r.IntN(i%5 + 1))
		}
	}
	counts[0][3] = 4 // a unit whose every feature is zero in week 1 except its own
	p := line(counts)
	for _, m := range models() {
		out := m.Forecast(p, []int{30, 31, 40})
		if !slices.Equal(out[0], out[1]) || !slices.Equal(out[1], out[2]) {
			t.Errorf("%s: forecasts past the panel differ", m.Name())
		}
	}
}

// TestBlendStops: a panel whose Stop says stop ends the blend's loops early
// (no forecast is made), and one whose Stop never does gives the forecast
// of a panel without Stop.
func TestBlendStops(t *testing.T) {
	counts := make([][]float64, 40)
	for w := range counts {
		counts[w] = []float64{float64(w % 3), 1, 0, 2}
	}
	p := &Panel{Counts: counts, Neighbours: [][]int32{{1}, {0, 2}, {1, 3}, {2}}}
	m := Blend{FitWeeks: 30}
	want := m.Forecast(p, []int{39})[0]
	p.Stop = func() bool { return false }
	if got := m.Forecast(p, []int{39})[0]; !slices.Equal(got, want) {
		t.Fatalf("with a Stop that never stops: %v, want %v", got, want)
	}
	asked := 0
	p.Stop = func() bool { asked++; return true }
	if got := m.Forecast(p, []int{39})[0]; got != nil || asked == 0 {
		t.Fatalf("with a Stop that stops: forecast %v after %d asks; want none", got, asked)
	}
}

// TestWarmFitsAgree forecasts twenty weeks in one call (each fit starting
// from the one before, summing again only the weeks it has not) and each of
// them alone (a cold fit): the weights and the forecasts agree within the
// fit's tolerance. (Before the Newton steps set a weight that blocks them
// to zero, a cold fit stopped short here, in week 43, at a log-likelihood
// 2.4 below the optimum.)
func TestWarmFitsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	const units = 80
	rate := make([]float64, units)
	for i := range rate {
		rate[i] = math.Exp(r.NormFloat64())
	}
	counts := make([][]float64, 60)
	for w := range counts {
		counts[w] = make([]float64, units)
		for i := range counts[w] {
			rate[i] *= math.Exp(0.1 * r.NormFloat64())
			counts[w][i] = float64(poisson(r, rate[i]))
		}
	}
	p := line(counts)
	m := Blend{FitWeeks: 30}
	weeks := make([]int, 20)
	for k := range weeks {
		weeks[k] = 40 + k
	}
	together, fits := m.ForecastFits(p, weeks)
	for k, week := range weeks {
		alone, fit := m.ForecastFits(p, []int{week})
		for j, w := range fit[0].Weights {
			if math.Abs(w-fits[k].Weights[j]) > 1e-5*(1+w) {
				t.Fatalf("week %d: weights %v together, %v alone", week, fits[k].Weights, fit[0].Weights)
			}
		}
		for i, v := range alone[0] {
			if math.Abs(v-together[k][i]) > 1e-6*v {
				t.Fatalf("week %d, unit %d: %v together, %v alone", week, i, together[k][i], v)
			}
		}
	}
}

// rowsOf returns the fit rows of counts with the features fs[j][i].
func rowsOf(counts []float64, fs [][]float64) *weekRows {
	return newWeekRows(counts, len(fs), func(j, i int) float64 { return fs[j][i] })
}
