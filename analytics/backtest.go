package analytics

import (
	"context"
	"strconv"
	"time"

	"github.com/dazhigu/hotspot/analytics/backtest"
	"github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/analytics/forecast"
)

// BacktestOptions choose the test weeks of a backtest.
type BacktestOptions struct {
	Weeks int // test weeks (default 12)
	// End: the test weeks are the whole weeks before the week that holds
	// End (zero: now), so a partial final week is never scored.
	End time.Time
}

// BaselineModels are the simple models every backtest scores beside the
// forecast, in the same run: last-four-weeks counts, kernel density over
// eight weeks, all prior weeks, and an exponentially weighted count.
func BaselineModels() []forecast.Model {
	return []forecast.Model{forecast.LastWeeks{N: 4}, forecast.KDE{N: 8, Bandwidth: 400}, forecast.AllTime{},
		forecast.EWMA{HalfLife: 6}}
}

// MaxKernelPairs bounds the cell pairs the kernel density baseline weighs
// (its kernel reaches 1,657 cells around each at res 12, 331 at res 11).
const MaxKernelPairs = 50_000_000

// kernelCells is the reach of the backtest's kernel density baseline at res.
func kernelCells(res int) int {
	for _, m := range BaselineModels() {
		if k, ok := m.(forecast.KDE); ok {
			return k.KernelCells(res)
		}
	}
	return 1
}

// ForecastModel is the service's forecast, as docs/forecast.md chose it.
func ForecastModel() forecast.Blend { return forecast.Blend{FitWeeks: 52} }

// BacktestResult is a rolling weekly backtest over the study area.
type BacktestResult struct {
	Params  Params
	History cube.Bins // every week the models could read, the test weeks last
	Test    cube.Bins // the weeks scored
	Result  backtest.Result
}

// Backtest forecasts each of the test weeks from the weeks before it with
// the forecast and the baselines, and scores every model on the study area
// (default: the key roads) at 1, 5 and 10 % of its cells. Categories and
// sources filter the events as in every analysis; the window is set by the
// weeks.
func (e *Engine) Backtest(ctx context.Context, q Query, o BacktestOptions) (BacktestResult, error) {
	if o.Weeks <= 0 {
		o.Weeks = 12
	}
	if o.End.IsZero() {
		o.End = e.now()
	}
	if o.Weeks > MaxHistoryWeeks {
		return BacktestResult{}, invalid("weeks", "must be at most 104")
	}
	end := cube.WeekStart(o.End, e.zone)
	q.Window = Window{From: end.AddDate(0, 0, -7*o.Weeks), To: end, Given: true}
	var p *forecast.Panel
	var hist cube.Bins
	a, err := e.prepare(ctx, q, prep{area: AreaRoads}, func(a *analysis, v cube.View) error {
		hist = e.history(v, end, o.Weeks)
		if hist.N() < o.Weeks+1 {
			return invalid("weeks", "leaves no week of history before the test weeks; the data hold "+
				strconv.Itoa(hist.N())+" whole weeks before "+end.Format(time.DateOnly))
		}
		if err := tooLarge(len(a.area.Cells)*hist.N(), MaxCellWeeks, "cell weeks of history"); err != nil {
			return err
		}
		if err := tooLarge(len(a.area.Cells)*kernelCells(q.Res), MaxKernelPairs, "cell pairs of the kernel density baseline"); err != nil {
			return err
		}
		p = cellPanel(v, a, hist)
		return nil
	})
	if err != nil {
		return BacktestResult{}, err
	}
	test := make([]int, o.Weeks)
	for k := range test {
		test[k] = hist.N() - o.Weeks + k
	}
	models := append([]forecast.Model{ForecastModel()}, BaselineModels()...)
	run, err := backtest.Run(ctx, p, models, test)
	if err != nil {
		return BacktestResult{}, err
	}
	r := BacktestResult{Params: a.Params, History: hist, Result: run}
	r.Test = cube.Bins{Edges: hist.Edges[hist.N()-o.Weeks:]}
	r.Params.From, r.Params.To = hist.Start().In(e.zone), hist.End().In(e.zone)
	return r, nil
}
