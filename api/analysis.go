package api

import (
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/analytics"
	"github.com/dazhigu/hotspot/data"
)

// analysisParams are the query names every analytics route reads.
var analysisParams = []string{"res", "datetime", "category", "source", "k", "crs", "area", "bbox"}

// readAnalysis reads the query every analytics route shares, beside the
// route's own parameters (extra): the resolution, window, selection and
// study area, and the datum (crs) of the bbox and of the answer.
func (s *server) readAnalysis(c echo.Context, extra ...string) (analytics.Query, string, *query) {
	q := newQuery(c.QueryParams(), append(analysisParams[:len(analysisParams):len(analysisParams)], extra...)...)
	crs := q.datum("crs")
	a := analytics.Query{Res: q.integer("res", 11, 9, 12), K: q.integer("k", 1, 1, 3), Categories: q.list("category")}
	a.Window.From, a.Window.To = q.interval("datetime")
	a.Window.Given = c.QueryParam("datetime") != ""
	for _, src := range q.list("source") {
		if !data.Source(src).Valid() {
			q.fail("source", "must be a comma-separated list of patrol, hotline, camera, campaign, citizen")
		}
		a.Sources = append(a.Sources, data.Source(src))
	}
	switch v := c.QueryParam("area"); {
	case data.IsAreaID(v): // a named area: the request's scope (setScope)
		a.Area.Kind = analytics.AreaNamed
	case v == "" || slices.Contains([]string{"roads", "boundary", "bbox", "events"}, v):
		a.Area.Kind = analytics.AreaKind(v)
	default:
		q.fail("area", "must be one of roads, boundary, bbox, events, or a named area's id (GET /api/v1/areas lists them)")
	}
	switch box := boundToWGS84(q.bbox("bbox"), crs); {
	case box != nil && a.Area.Kind != "" && a.Area.Kind != analytics.AreaBBox:
		q.fail("bbox", "is given with area="+string(a.Area.Kind)+"; give one or the other")
	case box != nil:
		a.Area = analytics.Area{Kind: analytics.AreaBBox, BBox: *box}
	case a.Area.Kind == analytics.AreaBBox:
		q.fail("area", "is bbox but no bbox=minLon,minLat,maxLon,maxLat is given")
	}
	return s.within(c.Request().Context(), a), crs, q
}

// readFormat reads format=geojson|h3; a GeoJSON answer lists at most
// Limits.MaxFeatures cells.
func (s *server) readFormat(q *query, a *analytics.Query) string {
	format := q.oneOf("format", "geojson", "geojson", "h3")
	if format == "geojson" {
		a.MaxCells = s.Limits.MaxFeatures
	}
	return format
}

// analysisJSON are the parameters every analytics answer states: the
// engine's, and the datum of the answer's coordinates.
type analysisJSON struct {
	analytics.Params
	CRS           string `json:"crs"`
	Metric        string `json:"metric,omitempty"`
	Value         string `json:"value,omitempty"`
	CellsReturned int    `json:"cells_returned"`
}
