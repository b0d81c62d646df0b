package api

import (
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/analytics"
	"github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/analytics/stat"
)

// emergingJSON states an emerging hot spot answer.
type emergingJSON struct {
	*analysisJSON
	Bins            binsJSON             `json:"bins"`
	SpaceTimeWindow int                  `json:"space_time_window"`
	Rules           string               `json:"rules"`
	Outcomes        map[stat.Outcome]int `json:"outcomes"`
}

// binsJSON states time bins.
type binsJSON struct {
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	StepHours float64   `json:"step_hours"` // of the first bin (a week across a daylight-saving change differs by an hour)
	N         int       `json:"n"`
}

func newBinsJSON(b cube.Bins, zone *time.Location) binsJSON {
	j := binsJSON{N: b.N()}
	if b.N() > 0 {
		j.Start, j.End, j.StepHours = b.Start().In(zone), b.End().In(zone), b.Edges[1].Sub(b.Edges[0]).Hours()
	}
	return j
}

// emergingRules is where the rules of the classes are written out.
const emergingRules = "docs/emerging.md (ArcGIS Emerging Hot Spot Analysis: 90 % of bins, final bin, Mann–Kendall on the Gi* z-scores)"

// emerging answers GET /api/v1/hotspots/emerging: the Emerging Hot Spot
// class of every study-area cell with a pattern.
func (s *server) emerging(c echo.Context) error {
	a, crs, q := s.readAnalysis(c, "step", "steps", "format")
	o := analytics.EmergingOptions{Daily: q.oneOf("step", "week", "week", "day") == "day", Steps: q.integer("steps", 52, 4, 520)}
	format := s.readFormat(q, &a)
	if q.err != nil {
		return q.err
	}
	r, err := s.Engine.Emerging(c.Request().Context(), a, o)
	if err != nil {
		return err
	}
	params := &emergingJSON{analysisJSON: &analysisJSON{Params: r.Params, CRS: crs, Metric: "emerging",
		Value: "Kendall tau of the cell's Gi* z-scores over the bins; cells with no pattern are left out"},
		Bins: newBinsJSON(r.Bins, s.Engine.Zone()), SpaceTimeWindow: analytics.SpaceTimeWindow, Rules: emergingRules, Outcomes: r.Outcomes}
	var cells []cellValue
	for _, e := range r.Cells {
		if e.Outcome == stat.NoPattern {
			continue
		}
		last := len(e.Z) - 1
		cells = append(cells, cellValue{cell: e.Cell, value: round(e.Trend.Tau, 4), props: map[string]any{
			"outcome": e.Outcome, "trend_tau": round(e.Trend.Tau, 4), "trend_z": round(e.Trend.Z, 4), "trend_p": e.Trend.P,
			"last_z": round(e.Z[last], 4), "last_p": e.P[last]}})
	}
	return s.writeCells(c, cells, params.analysisJSON, params, format)
}
