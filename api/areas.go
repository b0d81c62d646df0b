package api

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb/geojson"

	"github.com/dazhigu/hotspot/data"
)

// maxAreaBytes bounds a PUT area body: a grid's or a street's boundary is
// a few thousand vertices.
const maxAreaBytes = 4 << 20

// listAreas answers GET /api/v1/areas: the named areas as GeoJSON Polygons
// (a scoped key sees its area and those within it).
func (s *server) listAreas(c echo.Context) error {
	if q := newQuery(c.QueryParams()); q.err != nil {
		return q.err
	}
	ctx := c.Request().Context()
	as, err := s.store(ctx).Areas(ctx)
	if err != nil {
		return err
	}
	fc := geojson.NewFeatureCollection()
	for _, a := range as {
		fc.Append(data.AreaFeature(a))
	}
	return writeGeoJSON(c, http.StatusOK, fc)
}

// getArea answers GET /api/v1/areas/{id}.
func (s *server) getArea(c echo.Context) error {
	if q := newQuery(c.QueryParams()); q.err != nil {
		return q.err
	}
	ctx := c.Request().Context()
	a, err := s.store(ctx).Area(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	return writeGeoJSON(c, http.StatusOK, data.AreaFeature(a))
}

// putArea answers PUT /api/v1/areas/{id}: an admin of the whole service
// defines or redefines an area (a GeoJSON Feature with a Polygon).
func (s *server) putArea(c echo.Context) error {
	if q := newQuery(c.QueryParams()); q.err != nil {
		return q.err
	}
	if err := requireMediaType(c, "application/geo+json", "application/json"); err != nil {
		return err
	}
	raw, err := readBody(c, maxAreaBytes)
	if err != nil {
		return err
	}
	a, err := data.DecodeArea(raw)
	if err != nil {
		return err
	}
	if a.ID != c.Param("id") {
		return data.Errorf(data.EINVALID, "the feature's id %q differs from the path's %q", a.ID, c.Param("id"))
	}
	ctx := c.Request().Context()
	done := data.AuditEntry{Actor: keyName(c), Action: "area.put", Target: a.ID,
		Detail: fmt.Sprintf("%s, parent %q, %d vertices", a.Name, a.Parent, len(a.Boundary[0]))}
	if err := s.store(ctx).PutArea(ctx, a, done); err != nil {
		return err
	}
	return writeGeoJSON(c, http.StatusOK, data.AreaFeature(a))
}
