package api

import (
	"math"

	"github.com/labstack/echo/v4"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/analytics"
)

// hotspotOptions are the optional parts of a Gi* analysis.
type hotspotOptions struct {
	fdr          bool
	permutations int
	seed         uint64
}

// hotspotCell is one study-area cell's Gi* result.
type hotspotCell struct {
	cell       h3.Cell
	count, z   float64
	p, pPerm   float64
	bin        int
	neighbours int
	perm       bool
}

func (h hotspotCell) props() map[string]any {
	m := map[string]any{"count": h.count, "z": round(h.z, 6), "p": h.p, "bin": h.bin, "neighbours": h.neighbours}
	if h.perm {
		m["p_permutation"] = h.pPerm
	}
	return m
}

// hotspotCells computes Gi* over the study area (cells without events
// included) and records the parameters behind it.
func hotspotCells(cube *analytics.Cube, area analytics.StudyArea, a *analysis, o hotspotOptions) []hotspotCell {
	x := area.Values(cube.Counts(a.filter, a.res))
	z := analytics.GiStar(x, area.Weights)
	p := analytics.PValues(z)
	bins := analytics.Bins(z, p, o.fdr)
	var pPerm []float64
	if o.permutations > 0 {
		pPerm = analytics.PermutationP(x, area.Weights, o.permutations, o.seed, 0)
	}
	mean, sd := meanSD(x)
	a.params["gistar"] = map[string]any{
		"n": len(x), "events": sum(x), "mean": mean, "sd": sd,
		"p_values":     "two-sided, standard normal",
		"bins":         "±3, ±2, ±1 at 99, 95, 90 % confidence; 0 not significant",
		"fdr":          o.fdr,
		"permutations": o.permutations, "seed": o.seed,
	}
	out := make([]hotspotCell, len(x))
	for i := range x {
		out[i] = hotspotCell{cell: area.Cells[i], count: x[i], z: z[i], p: p[i], bin: bins[i],
			neighbours: len(area.Weights.Neighbours[i]) - 1, perm: pPerm != nil}
		if pPerm != nil {
			out[i].pPerm = pPerm[i]
		}
	}
	return out
}

// hotspots answers GET /api/v1/hotspots: Gi* per study-area cell.
func (s *server) hotspots(c echo.Context) error {
	a, q := s.readAnalysis(c, 11, "fdr", "permutations", "seed", "format")
	o := hotspotOptions{fdr: q.boolean("fdr"), permutations: q.integer("permutations", 0, 0, 9999),
		seed: uint64(q.integer("seed", 1, 0, math.MaxInt32))}
	format := q.oneOf("format", "geojson", "geojson", "h3")
	if q.err != nil {
		return q.err
	}
	ctx := c.Request().Context()
	cube, err := s.cube(ctx, a)
	if err != nil {
		return err
	}
	area, err := s.studyArea(ctx, a)
	if err != nil {
		return err
	}
	if err := tooLarge(len(area.Cells)*o.permutations, 20_000_000, "cell permutations"); err != nil {
		return err
	}
	a.params["metric"] = "gistar"
	var cells []cellValue
	for _, h := range hotspotCells(cube, area, a, o) {
		cells = append(cells, cellValue{cell: h.cell, value: h.z, props: h.props()})
	}
	return s.writeCells(c, cells, a, format)
}

func meanSD(x []float64) (mean, sd float64) {
	if len(x) == 0 {
		return 0, 0
	}
	mean = sum(x) / float64(len(x))
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(ss / float64(len(x)))
}

func sum(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s
}
