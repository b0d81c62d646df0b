package api

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb/geojson"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

// segmentJSON is a road segment on the wire.
type segmentJSON struct {
	Index    int               `json:"index"`
	FromM    float64           `json:"from_m"`
	ToM      float64           `json:"to_m"`
	Geometry *geojson.Geometry `json:"geometry"`
	H3Res11  []string          `json:"h3_res11"`
	H3Res12  []string          `json:"h3_res12"`
}

func (s *server) listRoads(c echo.Context) error {
	q := newQuery(c.QueryParams(), "crs")
	crs := q.datum("crs")
	if q.err != nil {
		return q.err
	}
	rs, err := s.store(c.Request().Context()).Roads(c.Request().Context())
	if err != nil {
		return err
	}
	fc := geojson.NewFeatureCollection()
	for _, r := range rs {
		fc.Append(roadFeature(r, crs))
	}
	return writeGeoJSON(c, http.StatusOK, fc)
}

func (s *server) getRoad(c echo.Context) error {
	q := newQuery(c.QueryParams(), "crs")
	crs := q.datum("crs")
	if q.err != nil {
		return q.err
	}
	r, err := s.store(c.Request().Context()).Road(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return writeGeoJSON(c, http.StatusOK, roadFeature(r, crs))
}

// roadFeature encodes a road as a GeoJSON feature (in datum crs) whose
// properties carry the road's attributes and its segments with their H3
// cover.
func roadFeature(r data.Road, crs string) *geojson.Feature {
	f := geojson.NewFeature(geo.GeometryFromWGS84(r.Geometry, crs))
	f.ID = r.ID
	segs := make([]segmentJSON, len(r.Segments))
	for i, sg := range r.Segments {
		segs[i] = segmentJSON{Index: sg.Index, FromM: sg.FromMeters, ToM: sg.ToMeters,
			Geometry: geojson.NewGeometry(geo.GeometryFromWGS84(sg.Line, crs)),
			H3Res11:  cellStrings(sg.Cells11), H3Res12: cellStrings(sg.Cells12)}
	}
	pilots := r.Pilots
	if pilots == nil {
		pilots = []data.Pilot{}
	}
	f.Properties = geojson.Properties{
		"id": r.ID, "name": r.Name, "pinyin": r.Pinyin, "key": r.Key,
		"approximate": r.Approximate, "attribution": r.Attribution,
		"buffer_m": r.BufferMeters, "length_m": geo.Length(r.Geometry),
		"pilots": pilots, "segments": segs, "crs": crs,
	}
	return f
}

// maxRoadBytes bounds a PUT road body: a surveyed centreline is a few
// thousand vertices at most.
const maxRoadBytes = 4 << 20

// putRoad answers PUT /api/v1/roads/{id}: the body is a GeoJSON Feature with
// the road's centreline; the road and its segments are replaced atomically.
func (s *server) putRoad(c echo.Context) error {
	if c.Param("id") == "ranking" { // GET /api/v1/roads/ranking is the ranking: a road so named could not be read
		return data.Errorf(data.EINVALID, "road id ranking is reserved (GET /api/v1/roads/ranking is the key-road ranking); choose another id")
	}
	if err := requireMediaType(c, "application/geo+json", "application/json"); err != nil {
		return err
	}
	raw, err := readBody(c, maxRoadBytes)
	if err != nil {
		return err
	}
	r, err := data.DecodeRoad(raw)
	if err != nil {
		return err
	}
	if r.ID != c.Param("id") {
		return data.Errorf(data.EINVALID, "the feature's id %q differs from the path's %q", r.ID, c.Param("id"))
	}
	rules, err := s.rules(c.Request().Context())
	if err != nil {
		return err
	}
	for i, p := range r.Geometry { // a street of the service area (-ingest.area none: anywhere)
		if reason := rules.CheckPlace(p); reason != "" {
			reason = fmt.Sprintf("vertex %d %s", i+1, reason)
			return &data.Error{Code: data.EINVALID, Message: "the road's geometry: " + reason,
				Problems: []data.Problem{{Field: "geometry", Reason: reason}}}
		}
	}
	// The cover is the work that grows with the road: it stops when the
	// client goes (the length bound keeps it to well under a second).
	if err := r.Cut(c.Request().Context(), data.SegmentMeters); err != nil {
		return err
	}
	done := data.AuditEntry{Actor: keyName(c), Action: "road.put", Target: r.ID,
		Detail: fmt.Sprintf("%s, %d vertices, %.0f m, %d segments", r.Name, len(r.Geometry), geo.Length(r.Geometry), len(r.Segments))}
	if err := s.store(c.Request().Context()).PutRoad(c.Request().Context(), r, done); err != nil {
		return err
	}
	s.Engine.RoadsChanged()
	return writeGeoJSON(c, http.StatusOK, roadFeature(r, geo.WGS84))
}
