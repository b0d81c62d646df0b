package analytics

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/analytics/stat"
)

// CellCount is one cell's violations.
type CellCount struct {
	Cell  h3.Cell
	Count float64
}

// CountResult is a heatmap of counts.
type CountResult struct {
	Params Params
	Cells  []CellCount // sorted by cell
}

// Counts returns the violations per cell of the window: every cell with any
// unless q names a study area, whose cells with any it then keeps.
func (e *Engine) Counts(ctx context.Context, q Query) (CountResult, error) {
	var counts map[h3.Cell]float64
	a, err := e.prepare(ctx, q, prep{}, func(a *analysis, v cube.View) error {
		counts = v.Counts(a.f, a.q.Res)
		return nil
	})
	if err != nil {
		return CountResult{}, err
	}
	r := CountResult{Params: a.Params}
	for c, n := range counts {
		if a.q.Area.Kind == "" || a.area.Index(c) >= 0 {
			r.Cells = append(r.Cells, CellCount{c, n})
		}
	}
	slices.SortFunc(r.Cells, func(x, y CellCount) int { return cmp.Compare(x.Cell, y.Cell) })
	if a.q.Area.Kind == "" {
		if err := e.checkCells(len(r.Cells), a.q); err != nil {
			return CountResult{}, err
		}
		r.Params.StudyArea.Cells = len(r.Cells)
		r.Params.StudyArea.Km2 = round(float64(len(r.Cells))*CellAreaKm2(a.q.Res), 3)
	}
	return r, nil
}

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

// GiStarStats are the figures behind a Gi* analysis, as answers state them.
type GiStarStats struct {
	N            int     `json:"n"`
	Events       float64 `json:"events"`
	Mean         float64 `json:"mean"`
	SD           float64 `json:"sd"` // divisor n
	PValues      string  `json:"p_values"`
	Bins         string  `json:"bins"`
	FDR          bool    `json:"fdr"`
	Permutations int     `json:"permutations"`
	Seed         uint64  `json:"seed"`
}

// HotSpotResult is a Gi* analysis over every cell of the study area.
type HotSpotResult struct {
	Params Params
	GiStar GiStarStats
	Cells  []HotSpot // in the study area's order
}

// HotSpots computes Gi* of the violations q selects over every cell of the
// study area (default: the key roads), those without events included.
func (e *Engine) HotSpots(ctx context.Context, q Query, o HotSpotOptions) (HotSpotResult, error) {
	var x []float64
	a, err := e.prepare(ctx, q, prep{area: AreaRoads}, func(a *analysis, v cube.View) error {
		if err := tooLarge(len(a.area.Cells)*o.Permutations, e.limits.MaxPermutations, "cell permutations"); err != nil {
			return err
		}
		x = a.area.Values(v.Counts(a.f, a.q.Res))
		return nil
	})
	if err != nil {
		return HotSpotResult{}, err
	}
	return hotSpots(a, x, o), nil
}

func hotSpots(a *analysis, x []float64, o HotSpotOptions) HotSpotResult {
	w := a.area.Weights
	z := stat.GiStar(x, w)
	p := stat.PValues(z)
	bins := stat.Bins(z, p, o.FDR)
	var perm []float64
	if o.Permutations > 0 {
		perm = stat.PermutationP(x, w, o.Permutations, o.Seed, 0)
	}
	r := HotSpotResult{Params: a.Params, Cells: make([]HotSpot, len(x)), GiStar: GiStarStats{N: len(x),
		PValues: "two-sided, standard normal", Bins: "±3, ±2, ±1 at 99, 95, 90 % confidence; 0 not significant",
		FDR: o.FDR, Permutations: o.Permutations, Seed: o.Seed}}
	r.GiStar.Events, r.GiStar.Mean, r.GiStar.SD = moments(x)
	for i := range x {
		h := HotSpot{Cell: a.area.Cells[i], Count: x[i], Z: z[i], P: p[i], PPerm: math.NaN(), Bin: bins[i],
			Neighbours: len(w.Neighbours[i]) - 1}
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
