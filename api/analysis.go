package api

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/analytics"
	"github.com/dazhigu/hotspot/data"
)

// DefaultWindow is the time window of an analysis whose datetime is not
// given: the last twelve weeks.
const DefaultWindow = 12 * 7 * 24 * time.Hour

// analysis is what every analytics route reads from its query: the cube
// filter, the study area and the parameters the answer states.
type analysis struct {
	filter analytics.Filter
	res, k int
	crs    string
	area   string // roads or boundary
	params map[string]any
}

// readAnalysis reads the parameters common to the analytics routes, beside
// the route's own (extra). defRes is the route's default resolution.
func (s *server) readAnalysis(c echo.Context, defRes int, extra ...string) (*analysis, *query) {
	names := append([]string{"res", "datetime", "category", "source", "k", "crs", "area"}, extra...)
	q := newQuery(c.QueryParams(), names...)
	a := &analysis{res: q.integer("res", defRes, 9, 12), k: q.integer("k", 1, 1, 3), crs: q.datum("crs"),
		area: q.oneOf("area", "roads", "roads", "boundary")}
	if a.area == "boundary" && s.Area == nil {
		q.fail("area", "is boundary but the service has no boundary configured (-ingest.area)")
	}
	a.filter.From, a.filter.To = q.interval("datetime")
	if a.filter.From.IsZero() && a.filter.To.IsZero() {
		a.filter.To = time.Now().Truncate(time.Hour).Add(time.Hour)
		a.filter.From = a.filter.To.Add(-DefaultWindow)
	}
	a.filter.Categories = q.list("category")
	for _, src := range q.list("source") {
		if !data.Source(src).Valid() {
			q.fail("source", "must be a comma-separated list of patrol, hotline, camera, campaign, citizen")
		}
		a.filter.Sources = append(a.filter.Sources, data.Source(src))
	}
	a.params = map[string]any{
		"res": a.res, "k": a.k, "crs": a.crs,
		"weights":    "binary: the k-ring of each cell within the study area, the cell itself included",
		"categories": nonNil(a.filter.Categories), "sources": nonNil(a.filter.Sources),
	}
	if !a.filter.From.IsZero() {
		a.params["from"] = a.filter.From.In(s.Zone).Format(time.RFC3339)
	}
	if !a.filter.To.IsZero() {
		a.params["to"] = a.filter.To.In(s.Zone).Format(time.RFC3339)
	}
	return a, q
}

// studyArea returns the study area at the analysis resolution, the key
// roads' corridors or the configured boundary, and states its size in the
// parameters.
func (s *server) studyArea(ctx context.Context, a *analysis) (analytics.StudyArea, error) {
	var area analytics.StudyArea
	definition := "the cells covering the key roads' buffered corridors"
	if a.area == "boundary" {
		area = analytics.BoundaryArea(s.Area, a.res, a.k)
		definition = "the cells whose centres lie within the configured boundary"
	} else {
		roads, err := s.Store.Roads(ctx)
		if err != nil {
			return analytics.StudyArea{}, err
		}
		area = analytics.RoadArea(roads, a.res, a.k)
	}
	a.params["study_area"] = map[string]any{
		"definition": definition,
		"cells":      len(area.Cells),
		"km2":        round(float64(len(area.Cells))*cellAreaKm2(a.res), 3),
	}
	return area, nil
}

// cube returns the analytic index caught up with the store, so an answer
// includes every write acknowledged before it.
func (s *server) cube(ctx context.Context) (*analytics.Cube, error) {
	if err := s.Cube.CatchUp(ctx, s.Store); err != nil {
		return nil, err
	}
	return s.Cube, nil
}

// cellAreaKm2 is the average area of an H3 cell at res (H3's published
// table), in km².
func cellAreaKm2(res int) float64 {
	return []float64{4357449.416078381, 609788.441794133, 86801.780398997, 12393.434655088,
		1770.347654491, 252.903858182, 36.129062164, 5.161293360, 0.737327598, 0.105332513,
		0.015047502, 0.002149643, 0.000307092, 0.000043870, 0.000006267, 0.000000895}[res]
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
