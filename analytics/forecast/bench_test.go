package forecast

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/uber/h3-go/v4"
)

// cityPanel is a panel shaped like the city-year benchmark's study area:
// the 99,919 res-10 cells within 182 rings of a centre, 64 weeks of Poisson
// counts whose rates vary by cell (log-normal, about 1.3 events a week on
// average), drift slowly and carry a few short flare-ups.
func cityPanel() *Panel {
	cells := h3.LatLngToCell(h3.NewLatLng(39.1, 117.2), 10).GridDisk(182)
	index := make(map[h3.Cell]int32, len(cells))
	for i, c := range cells {
		index[c] = int32(i)
	}
	p := &Panel{Cells: cells, Neighbours: make([][]int32, len(cells)), RingSize: 6}
	for i, c := range cells {
		for _, d := range c.GridDisk(1) {
			if j, ok := index[d]; ok && d != c {
				p.Neighbours[i] = append(p.Neighbours[i], j)
			}
		}
	}
	r := rand.New(rand.NewPCG(7, 8))
	rate := make([]float64, len(cells))
	for i := range rate {
		rate[i] = math.Exp(r.NormFloat64()*1.2 - 0.45)
	}
	for range 64 {
		week := make([]float64, len(cells))
		for i := range week {
			rate[i] *= math.Exp(0.05 * r.NormFloat64())
			lam := rate[i]
			if r.IntN(200) == 0 {
				lam *= 5
			}
			week[i] = float64(poisson(r, lam))
		}
		p.Counts = append(p.Counts, week)
	}
	return p
}

// BenchmarkBacktestModels forecasts the last 12 weeks of cityPanel with
// each model, as a 12-week backtest does; last4 (a sum of weeks) is the
// baseline the others are measured against.
func BenchmarkBacktestModels(b *testing.B) {
	p := cityPanel()
	test := make([]int, 12)
	for k := range test {
		test[k] = p.Weeks() - 12 + k
	}
	for _, m := range []Model{LastWeeks{N: 4}, Blend{FitWeeks: 52}, KDE{N: 8, Bandwidth: 400}, AllTime{}, EWMA{HalfLife: 6}} {
		b.Run(m.Name(), func(b *testing.B) {
			for b.Loop() {
				m.Forecast(p, test)
			}
		})
	}
}

// BenchmarkMoments is one full pass of the fit over a week of the panel's
// rows.
func BenchmarkMoments(b *testing.B) {
	p := cityPanel()
	rows, _ := Blend{}.features(p, map[int]bool{40: true}, nil, 40)
	w := []float64{0.1, 0.2, 0.1, 0.2, 0.1, 0.1, 0.2}
	b.ResetTimer()
	for b.Loop() {
		rows[40].moments(w, true)
	}
	b.ReportMetric(float64(len(rows[40].counts)), "rows")
}
