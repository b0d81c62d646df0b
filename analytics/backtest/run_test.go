package backtest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
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
	r, err := Run(context.Background(), p, []forecast.Model{forecast.LastWeeks{N: 4}}, []int{8, 9})
	if err != nil {
		t.Fatal(err)
	}
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

// cancelling is a model that ends the run's context while it forecasts, as
// a deadline passing mid-run does, and counts its calls.
type cancelling struct {
	forecast.Model
	cancel func()
	calls  *int
}

func (m cancelling) Forecast(p *forecast.Panel, weeks []int) [][]float64 {
	*m.calls++
	m.cancel()
	if !p.Stop() {
		panic("the panel's Stop does not see the run's context")
	}
	return m.Model.Forecast(p, weeks)
}

// TestRunStops: once the context ends, the models are asked to stop through
// the panel and Run returns the context's error without starting another
// model or scoring half-made forecasts. (On one core, so that the models
// run one after the other.)
func TestRunStops(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	counts := make([][]float64, 60)
	for w := range counts {
		counts[w] = []float64{1, 2, 3}
	}
	p := &forecast.Panel{Counts: counts, Neighbours: make([][]int32, 3)}
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	models := []forecast.Model{cancelling{forecast.Blend{FitWeeks: 52}, cancel, &calls}, cancelling{forecast.LastWeeks{N: 4}, cancel, &calls}}
	if _, err := Run(ctx, p, models, []int{55, 56, 57}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run after its context ended: %v, want context.Canceled", err)
	}
	if calls != 1 {
		t.Fatalf("%d models ran; the run should stop after the first", calls)
	}
}

// TestRunSideBySide: models run side by side score as each does alone, and
// the answer lists them in the order asked.
func TestRunSideBySide(t *testing.T) {
	counts := make([][]float64, 30)
	for w := range counts {
		counts[w] = make([]float64, 50)
		for i := range counts[w] {
			counts[w][i] = float64((w*7 + i*i) % 5)
		}
	}
	p := &forecast.Panel{Counts: counts, Neighbours: make([][]int32, 50)}
	models := []forecast.Model{forecast.LastWeeks{N: 4}, forecast.AllTime{}, forecast.EWMA{HalfLife: 6}, forecast.LastWeeks{N: 1}}
	test := []int{26, 27, 28, 29}
	together, err := Run(context.Background(), p, models, test)
	if err != nil {
		t.Fatal(err)
	}
	for x, m := range models {
		alone, err := Run(context.Background(), p, []forecast.Model{m}, test)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fmt.Sprint(together.Models[x]), fmt.Sprint(alone.Models[0]); got != want {
			t.Fatalf("model %d (%s) side by side:\n%s\nalone:\n%s", x, m.Name(), got, want)
		}
	}
}
