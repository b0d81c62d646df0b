package api

import (
	"context"
	"slices"
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

	defaultWindow bool // no datetime given: the last DefaultWindow
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
	a.defaultWindow = c.QueryParam("datetime") == ""
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
	return a, q
}

// studyArea returns the study area at the analysis resolution, the key
// roads' corridors or the configured boundary, and states its size in the
// parameters.
func (s *server) studyArea(ctx context.Context, a *analysis) (analytics.StudyArea, error) {
	definition := "the cells covering the key roads' buffered corridors"
	if a.area == "boundary" {
		definition = "the cells whose centres lie within the configured boundary"
	}
	area, err := s.roads.area(ctx, s.Store, areaKey{a.area, a.res, a.k}, func(roads []data.Road) analytics.StudyArea {
		if a.area == "boundary" {
			return analytics.BoundaryArea(s.Area, a.res, a.k)
		}
		return analytics.RoadArea(roads, a.res, a.k)
	})
	if err != nil {
		return analytics.StudyArea{}, err
	}
	a.params["study_area"] = map[string]any{
		"definition": definition,
		"cells":      len(area.Cells),
		"km2":        round(float64(len(area.Cells))*cellAreaKm2(a.res), 3),
	}
	return area, nil
}

// cube returns the analytic index caught up with the store, so an answer
// includes every write acknowledged before it, and settles the analysis's
// window: without datetime the last DefaultWindow; an open end runs to the
// next hour, an open start from the first violation held.
func (s *server) cube(ctx context.Context, a *analysis) (*analytics.Cube, error) {
	if err := s.Cube.CatchUp(ctx, s.Store); err != nil {
		return nil, err
	}
	if err := s.checkCategories(ctx, a.filter.Categories); err != nil {
		return nil, err
	}
	f := &a.filter
	if f.To.IsZero() {
		f.To = time.Now().Truncate(time.Hour).Add(time.Hour)
	}
	if a.defaultWindow {
		f.From = f.To.Add(-DefaultWindow)
	}
	if f.From.IsZero() {
		if f.From, _ = s.Cube.Span(); f.From.IsZero() || f.From.After(f.To) {
			f.From = f.To.Add(-DefaultWindow)
		}
	}
	if f.To.Sub(f.From) > MaxWindow {
		return nil, data.Errorf(data.EINVALID, "parameter datetime spans more than ten years; narrow it")
	}
	a.params["from"] = f.From.In(s.Zone).Format(time.RFC3339)
	a.params["to"] = f.To.In(s.Zone).Format(time.RFC3339)
	return s.Cube, nil
}

// MaxWindow is the longest window an analysis takes.
const MaxWindow = 10 * 366 * 24 * time.Hour

// checkCategories refuses category codes the taxonomy does not have.
func (s *server) checkCategories(ctx context.Context, codes []string) error {
	if len(codes) == 0 {
		return nil
	}
	cats, err := s.Store.Categories(ctx)
	if err != nil {
		return err
	}
	for _, code := range codes {
		if !slices.ContainsFunc(cats, func(c data.Category) bool { return c.Code == code }) {
			return &data.Error{Code: data.EINVALID, Message: "parameter category " + code + " is not a code of the taxonomy (GET /api/v1/categories lists them)",
				Problems: []data.Problem{{Field: "category", Reason: code + " is not a code of the taxonomy"}}}
		}
	}
	return nil
}

// tooLarge refuses an analysis whose work (cells × bins, or cells ×
// permutations) is over limit.
func tooLarge(work, limit int, what string) error {
	if work <= limit {
		return nil
	}
	return data.Errorf(data.EINVALID, "the analysis is too large (%d %s, at most %d); lower res, k, steps or permutations, or use area=roads", work, what, limit)
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

// cubeAndArea returns the caught-up cube (settling the window, see cube)
// and the analysis's study area.
func (s *server) cubeAndArea(ctx context.Context, a *analysis) (*analytics.Cube, analytics.StudyArea, error) {
	cube, err := s.cube(ctx, a)
	if err != nil {
		return nil, analytics.StudyArea{}, err
	}
	area, err := s.studyArea(ctx, a)
	return cube, area, err
}
