package analytics

import (
	"time"

	"github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/analytics/forecast"
)

// MaxHistoryWeeks is the most weeks of history a forecast or a backtest
// reads before the first week it forecasts.
const MaxHistoryWeeks = 104

// MaxCellWeeks bounds cells × weeks of the history a forecast or a backtest
// holds (80 MB of counts).
const MaxCellWeeks = 10_000_000

// history returns the whole weeks from the week of the first violation
// held to end, a Monday 00:00, of which the last test are forecast: at most
// MaxHistoryWeeks before those.
func (e *Engine) history(v cube.View, end time.Time, test int) cube.Bins {
	first, _ := v.Span()
	start := end.AddDate(0, 0, -7*(MaxHistoryWeeks+test))
	if !first.IsZero() && first.After(start) {
		start = cube.WeekStart(first, e.zone)
	}
	if !start.Before(end) {
		return cube.Bins{Edges: []time.Time{end}}
	}
	return cube.WeeksWithin(start, end, e.zone)
}

// cellPanel is the weekly counts of the study area's cells in the bins,
// with the k-ring neighbours of each cell.
func cellPanel(v cube.View, a *analysis, bins cube.Bins) *forecast.Panel {
	p := &forecast.Panel{Counts: binned(v, a.f, a.area, bins), Cells: a.area.Cells,
		Neighbours: make([][]int32, len(a.area.Cells)), RingSize: 3 * a.q.K * (a.q.K + 1)}
	for i, nb := range a.area.Weights.Neighbours {
		for _, j := range nb {
			if int(j) != i {
				p.Neighbours[i] = append(p.Neighbours[i], j)
			}
		}
	}
	return p
}
