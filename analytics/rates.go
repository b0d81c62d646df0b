package analytics

import (
	"context"
	"math"

	"github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/analytics/stat"
	"github.com/dazhigu/hotspot/data"
	"github.com/uber/h3-go/v4"
)

// RateCell is one study-area cell's violations per patrol hour.
type RateCell struct {
	Cell        h3.Cell
	Count       float64 // violations q selects
	PatrolHours float64
	Complaints  float64 // hotline and citizen reports in the window
	Raw, Rate   float64 // raw and EB-smoothed rate; NaN without patrol
	BlindSpot   bool
}

// RateResult is a rate analysis: the cells with patrol or complaints, and
// the EB fit over the patrolled ones.
type RateResult struct {
	Params        Params
	Cells         []RateCell
	EB            stat.EB // Mean and Variance of the fit; its slices are spread over Cells
	Patrolled     int
	WithoutPatrol int // study-area cells without patrol
	BlindSpots    int
}

// Rates computes violations per patrol hour over the study area (default:
// the key roads), smoothed by global empirical Bayes over the patrolled
// cells, and flags blind spots (stat.BlindSpots). Cells with neither patrol
// nor complaints are left out.
func (e *Engine) Rates(ctx context.Context, q Query) (RateResult, error) {
	var counts, dwell, complaints []float64
	a, err := e.prepare(ctx, q, prep{area: AreaRoads}, func(a *analysis, v cube.View) error {
		res := a.q.Res
		counts, dwell = a.area.Values(v.Counts(a.f, res)), a.area.Values(v.Dwell(a.f, res))
		cf := a.f
		cf.Sources = []data.Source{data.SourceHotline, data.SourceCitizen}
		complaints = a.area.Values(v.Counts(cf, res))
		return nil
	})
	if err != nil {
		return RateResult{}, err
	}
	hours := make([]float64, len(dwell))
	var n, x []float64
	for i, d := range dwell {
		hours[i] = d / 3600
		if hours[i] > 0 {
			n, x = append(n, counts[i]), append(x, hours[i])
		}
	}
	eb := stat.EBRates(n, x)
	blind := stat.BlindSpots(complaints, hours)
	r := RateResult{Params: a.Params, EB: stat.EB{Mean: eb.Mean, Variance: eb.Variance}, Patrolled: len(n),
		WithoutPatrol: len(a.area.Cells) - len(n)}
	k := 0
	for i, cell := range a.area.Cells {
		rc := RateCell{Cell: cell, Count: counts[i], PatrolHours: hours[i], Complaints: complaints[i],
			Raw: math.NaN(), Rate: math.NaN(), BlindSpot: blind[i]}
		if hours[i] > 0 {
			rc.Raw, rc.Rate = eb.Raw[k], eb.Smoothed[k]
			k++
		} else if complaints[i] == 0 {
			continue
		}
		if rc.BlindSpot {
			r.BlindSpots++
		}
		r.Cells = append(r.Cells, rc)
	}
	return r, nil
}
