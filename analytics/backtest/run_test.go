package backtest

import (
	"math"
	"testing"

	"github.com/dazhigu/hotspot/analytics/forecast"
)

// TestRun backtests on a panel where one unit holds every event: the
// last-weeks model flags it and scores a perfect PEI, and the mean of the
// weeks is the mean of their scores.
func TestRun(t *testing.T) {
	counts := make([][]float64, 10)
	for w := range counts {
		counts[w] = make([]float64, 100)
		counts[w][42] = float64(w + 1)
	}
	counts[9][7] = 5 // a surprise in the last week
	p := &forecast.Panel{Counts: counts, Neighbours: make([][]int32, 100)}
	r := Run(p, []forecast.Model{forecast.LastWeeks{N: 4}}, []int{8, 9})
	m := r.Models[0]
	if r.Events[0] != 9 || r.Events[1] != 15 {
		t.Fatalf("events %v", r.Events)
	}
	w8, w9 := m.Weeks[0][0], m.Weeks[1][0] // at 1 %: one cell flagged
	if w8.Hits != 9 || w8.PAI != 100 || w8.PEI != 1 || w9.Hits != 10 || math.Abs(w9.PAI-100*10.0/15) > 1e-12 || w9.PEI != 1 {
		t.Fatalf("week scores %+v %+v", w8, w9)
	}
	if got := m.Mean[0].PAI; math.Abs(got-(w8.PAI+w9.PAI)/2) > 1e-12 {
		t.Fatalf("mean PAI %v", got)
	}
	if len(m.Curve) != len(CurveShares) || m.Curve[len(m.Curve)-1] != 1 {
		t.Fatalf("curve %v: flagging every cell gives PAI 1", m.Curve)
	}
}
