package analytics

import (
	"math"
	"time"

	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
)

// HotSpotOptions are the optional parts of a Gi* analysis.
type HotSpotOptions struct {
	FDR          bool   // Benjamini–Hochberg on the bins
	Permutations int    // conditional permutations for pseudo p-values; 0: none
	Seed         uint64 // of the permutations
}

// HotSpot is one study-area cell's Gi* result.
type HotSpot struct {
	Cell       h3.Cell
	Count      float64
	Z, P       float64
	PPerm      float64 // NaN without permutations
	Bin        int
	Neighbours int // other cells in its neighbourhood
}

// HotSpotResult is a Gi* analysis with the figures behind it.
type HotSpotResult struct {
	Cells            []HotSpot // in the study area's order
	Events, Mean, SD float64   // over the study area (SD with divisor n)
}

// HotSpots computes Gi* of the violations f selects over every cell of the
// study area, those without events included.
func HotSpots(c *Cube, area StudyArea, f Filter, o HotSpotOptions) HotSpotResult {
	x := area.Values(c.Counts(f, area.Res))
	z := GiStar(x, area.Weights)
	p := PValues(z)
	bins := Bins(z, p, o.FDR)
	var perm []float64
	if o.Permutations > 0 {
		perm = PermutationP(x, area.Weights, o.Permutations, o.Seed, 0)
	}
	r := HotSpotResult{Cells: make([]HotSpot, len(x))}
	r.Events, r.Mean, r.SD = moments(x)
	for i := range x {
		h := HotSpot{Cell: area.Cells[i], Count: x[i], Z: z[i], P: p[i], PPerm: math.NaN(), Bin: bins[i],
			Neighbours: len(area.Weights.Neighbours[i]) - 1}
		if perm != nil {
			h.PPerm = perm[i]
		}
		r.Cells[i] = h
	}
	return r
}

func moments(x []float64) (sum, mean, sd float64) {
	if len(x) == 0 {
		return 0, 0, 0
	}
	for _, v := range x {
		sum += v
	}
	mean = sum / float64(len(x))
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return sum, mean, math.Sqrt(ss / float64(len(x)))
}

// RateCell is one study-area cell's violations per patrol hour.
type RateCell struct {
	Cell        h3.Cell
	Count       float64 // violations f selects
	PatrolHours float64
	Complaints  float64 // hotline and citizen reports in the window
	Raw, Rate   float64 // raw and EB-smoothed rate; NaN without patrol
	BlindSpot   bool
}

// RateResult is a rate analysis: the cells with patrol or complaints, and
// the EB fit over the patrolled ones.
type RateResult struct {
	Cells         []RateCell
	EB            EB // Mean and Variance of the fit; its slices are spread over Cells
	Patrolled     int
	WithoutPatrol int // study-area cells without patrol
	BlindSpots    int
}

// Rates computes violations per patrol hour over the study area, smoothed
// by global empirical Bayes over the patrolled cells, and flags blind spots
// (BlindSpots). Cells with neither patrol nor complaints are left out.
func Rates(c *Cube, area StudyArea, f Filter) RateResult {
	counts, dwell := area.Values(c.Counts(f, area.Res)), area.Values(c.Dwell(f, area.Res))
	cf := f
	cf.Sources = []data.Source{data.SourceHotline, data.SourceCitizen}
	complaints := area.Values(c.Counts(cf, area.Res))
	hours := make([]float64, len(dwell))
	var n, e []float64
	for i, d := range dwell {
		hours[i] = d / 3600
		if hours[i] > 0 {
			n, e = append(n, counts[i]), append(e, hours[i])
		}
	}
	eb := EBRates(n, e)
	blind := BlindSpots(complaints, hours)
	r := RateResult{EB: EB{Mean: eb.Mean, Variance: eb.Variance}, Patrolled: len(n), WithoutPatrol: len(area.Cells) - len(n)}
	k := 0
	for i, cell := range area.Cells {
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
	return r
}

// EmergingIn runs Emerging Hot Spot Analysis of the violations f selects
// (its window replaced by the bins) over every cell of the study area.
func EmergingIn(c *Cube, area StudyArea, f Filter, bins TimeBins, window int) []EmergingCell {
	series := c.Series(f, area.Res, bins)
	x := make([][]float64, bins.N)
	for t := range x {
		x[t] = make([]float64, len(area.Cells))
	}
	for cell, s := range series {
		if i := area.Index(cell); i >= 0 {
			for t, v := range s {
				x[t][i] = v
			}
		}
	}
	return Emerging(x, area.Weights, window)
}

// BinsEnding returns n whole weeks (Monday 00:00 to Monday 00:00) or days
// in zone, ending at the start of the week or day that holds end, so every
// bin is complete.
func BinsEnding(end time.Time, week bool, n int, zone *time.Location) TimeBins {
	local := end.In(zone)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, zone)
	days := 1
	if week {
		day = day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7)) // back to Monday
		days = 7
	}
	return TimeBins{Start: day.AddDate(0, 0, -n*days), Step: time.Duration(days) * 24 * time.Hour, N: n}
}
