package api

import (
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/analytics"
)

// emergingCells runs Emerging Hot Spot Analysis over the study area in the
// given bins and records its parameters.
func emergingCells(cube *analytics.Cube, area analytics.StudyArea, a *analysis, bins analytics.TimeBins) []analytics.EmergingCell {
	a.params["bins"] = map[string]any{"start": bins.Start.Format(time.RFC3339), "end": bins.End().Format(time.RFC3339),
		"step_hours": bins.Step.Hours(), "n": bins.N}
	a.params["space_time_window"] = 1
	a.params["rules"] = "docs/emerging.md (ArcGIS Emerging Hot Spot Analysis: 90 % of bins, final bin, Mann–Kendall on the Gi* z-scores)"
	return analytics.EmergingIn(cube, area, a.filter, bins, 1)
}

// emerging answers GET /api/v1/hotspots/emerging: the Emerging Hot Spot
// class of every study-area cell with events.
func (s *server) emerging(c echo.Context) error {
	a, q := s.readAnalysis(c, 11, "step", "steps", "format")
	step := q.oneOf("step", "week", "week", "day")
	steps := q.integer("steps", 52, 4, 520)
	format := q.oneOf("format", "geojson", "geojson", "h3")
	if q.err != nil {
		return q.err
	}
	ctx := c.Request().Context()
	cube, area, err := s.cubeAndArea(ctx, a)
	if err != nil {
		return err
	}
	bins := analytics.BinsEnding(a.filter.To, step == "week", steps, s.Zone) // the bins' span replaces the window
	delete(a.params, "from")
	delete(a.params, "to")
	if err := tooLarge(len(area.Cells)*steps, 2_000_000, "cell bins"); err != nil {
		return err
	}
	a.params["metric"] = "emerging"
	result := emergingCells(cube, area, a, bins)
	summary := map[analytics.Outcome]int{}
	var cells []cellValue
	for i, e := range result {
		summary[e.Outcome]++
		if e.Outcome == analytics.NoPattern {
			continue
		}
		last := len(e.Z) - 1
		cells = append(cells, cellValue{cell: area.Cells[i], value: round(e.Trend.Tau, 4), props: map[string]any{
			"outcome": e.Outcome, "trend_tau": round(e.Trend.Tau, 4), "trend_z": round(e.Trend.Z, 4), "trend_p": e.Trend.P,
			"last_z": round(e.Z[last], 4), "last_p": e.P[last]}})
	}
	a.params["outcomes"] = summary
	a.params["value"] = "Kendall tau of the cell's Gi* z-scores over the bins; cells with no pattern are left out"
	return s.writeCells(c, cells, a, format)
}
