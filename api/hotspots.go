package api

import (
	"math"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/analytics"
)

// gistarJSON states a Gi* answer.
type gistarJSON struct {
	*analysisJSON
	GiStar analytics.GiStarStats `json:"gistar"`
}

// hotspotCells are the cells of a Gi* analysis and its parameters.
func hotspotCells(r analytics.HotSpotResult, crs string) ([]cellValue, *gistarJSON) {
	params := &gistarJSON{analysisJSON: &analysisJSON{Params: r.Params, CRS: crs, Metric: "gistar",
		Value: "Gi* z-score over the study area"}, GiStar: r.GiStar}
	out := make([]cellValue, len(r.Cells))
	for i, h := range r.Cells {
		fields := []field{{"bin", h.Bin}, {"count", h.Count}, {"neighbours", h.Neighbours}, {"p", h.P}, {"z", round(h.Z, 6)}}
		if !math.IsNaN(h.PPerm) { // sorted: after p
			fields = slices.Insert(fields, 4, field{"p_permutation", h.PPerm})
		}
		out[i] = cellValue{cell: h.Cell, value: h.Z, fields: fields}
	}
	return out, params
}

// hotspots answers GET /api/v1/hotspots: Gi* per study-area cell.
func (s *server) hotspots(c echo.Context) error {
	a, crs, q := s.readAnalysis(c, "fdr", "permutations", "seed", "format")
	o := analytics.HotSpotOptions{FDR: q.boolean("fdr"), Permutations: q.integer("permutations", 0, 0, 9999),
		Seed: uint64(q.integer("seed", 1, 0, math.MaxInt32))}
	format := s.readFormat(q, &a)
	if q.err != nil {
		return q.err
	}
	r, err := s.Engine.HotSpots(c.Request().Context(), a, o)
	if err != nil {
		return err
	}
	cells, params := hotspotCells(r, crs)
	return s.writeCells(c, cells, params.analysisJSON, params, format)
}
