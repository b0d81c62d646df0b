package api

import (
	"math"

	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/analytics"
)

// hotspotCells computes Gi* over the study area and records the parameters
// behind it.
func hotspotCells(cube *analytics.Cube, area analytics.StudyArea, a *analysis, o analytics.HotSpotOptions) []cellValue {
	r := analytics.HotSpots(cube, area, a.filter, o)
	a.params["gistar"] = map[string]any{
		"n": len(r.Cells), "events": r.Events, "mean": r.Mean, "sd": r.SD,
		"p_values":     "two-sided, standard normal",
		"bins":         "±3, ±2, ±1 at 99, 95, 90 % confidence; 0 not significant",
		"fdr":          o.FDR,
		"permutations": o.Permutations, "seed": o.Seed,
	}
	out := make([]cellValue, len(r.Cells))
	for i, h := range r.Cells {
		props := map[string]any{"count": h.Count, "z": round(h.Z, 6), "p": h.P, "bin": h.Bin, "neighbours": h.Neighbours}
		if !math.IsNaN(h.PPerm) {
			props["p_permutation"] = h.PPerm
		}
		out[i] = cellValue{cell: h.Cell, value: h.Z, props: props}
	}
	return out
}

// hotspots answers GET /api/v1/hotspots: Gi* per study-area cell.
func (s *server) hotspots(c echo.Context) error {
	a, q := s.readAnalysis(c, 11, "fdr", "permutations", "seed", "format")
	o := analytics.HotSpotOptions{FDR: q.boolean("fdr"), Permutations: q.integer("permutations", 0, 0, 9999),
		Seed: uint64(q.integer("seed", 1, 0, math.MaxInt32))}
	format := q.oneOf("format", "geojson", "geojson", "h3")
	if q.err != nil {
		return q.err
	}
	ctx := c.Request().Context()
	cube, area, err := s.cubeAndArea(ctx, a)
	if err != nil {
		return err
	}
	if err := tooLarge(len(area.Cells)*o.Permutations, 20_000_000, "cell permutations"); err != nil {
		return err
	}
	a.params["metric"] = "gistar"
	return s.writeCells(c, hotspotCells(cube, area, a, o), a, format)
}
