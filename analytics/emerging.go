package analytics

import (
	"context"

	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/analytics/stat"
)

// EmergingOptions choose the bins of an emerging hot spot analysis.
type EmergingOptions struct {
	Daily bool // days instead of weeks
	Steps int  // bins, ending at the start of the week (or day) that holds the window's end
}

// SpaceTimeWindow is the number of earlier bins in each space-time
// neighbourhood (ArcGIS's Neighborhood Time Step).
const SpaceTimeWindow = 1

// EmergingCell is one study-area cell's class.
type EmergingCell struct {
	Cell h3.Cell
	stat.EmergingCell
}

// EmergingResult is an Emerging Hot Spot Analysis over the study area.
type EmergingResult struct {
	Params   Params
	Bins     cube.Bins
	Cells    []EmergingCell // in the study area's order
	Outcomes map[stat.Outcome]int
}

// Emerging runs Emerging Hot Spot Analysis of the violations q selects over
// every cell of the study area (default: the key roads). The bins replace
// the window: they end at the start of the week or day holding its end.
func (e *Engine) Emerging(ctx context.Context, q Query, o EmergingOptions) (EmergingResult, error) {
	var x [][]float64
	var bins cube.Bins
	a, err := e.prepare(ctx, q, prep{area: AreaRoads}, func(a *analysis, v cube.View) error {
		if o.Daily {
			bins = cube.Days(a.To, o.Steps, e.zone)
		} else {
			bins = cube.Weeks(a.To, o.Steps, e.zone)
		}
		if err := tooLarge(len(a.area.Cells)*o.Steps, e.limits.MaxCellBins, "cell bins"); err != nil {
			return err
		}
		x = binned(v, a.f, a.area, bins)
		return nil
	})
	if err != nil {
		return EmergingResult{}, err
	}
	a.From, a.To = bins.Start().In(e.zone), bins.End().In(e.zone)
	r := EmergingResult{Params: a.Params, Bins: bins, Outcomes: map[stat.Outcome]int{}}
	for i, c := range stat.Emerging(x, a.area.Weights, SpaceTimeWindow) {
		r.Cells = append(r.Cells, EmergingCell{Cell: a.area.Cells[i], EmergingCell: c})
		r.Outcomes[c.Outcome]++
	}
	return r, nil
}

// binned returns x[t][i], the violations f selects in bin t and cell i of
// the area.
func binned(v cube.View, f cube.Filter, area StudyArea, bins cube.Bins) [][]float64 {
	x := make([][]float64, bins.N())
	for t := range x {
		x[t] = make([]float64, len(area.Cells))
	}
	for cell, s := range v.Series(f, area.Res, bins) {
		if i := area.Index(cell); i >= 0 {
			for t, n := range s {
				x[t][i] = n
			}
		}
	}
	return x
}
