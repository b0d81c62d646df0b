package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb/geojson"

	"github.com/dazhigu/hotspot/data"
)

// listViolations answers GET /api/v1/violations: a GeoJSON FeatureCollection
// page in id order with a 'next' link while more remain.
func (s *server) listViolations(c echo.Context) error {
	q := newQuery(c.QueryParams(), "bbox", "datetime", "category", "source", "road", "limit", "cursor")
	f := data.ViolationFilter{
		Bound:      q.bbox("bbox"),
		Categories: q.list("category"),
		Road:       c.QueryParam("road"),
		Limit:      q.integer("limit", 100, 1, data.MaxPage),
		After:      q.cursor("cursor"),
	}
	f.From, f.To = q.interval("datetime")
	for _, src := range q.list("source") {
		if !data.Source(src).Valid() {
			q.fail("source", "must be a comma-separated list of patrol, hotline, camera, campaign, citizen")
		}
		f.Sources = append(f.Sources, data.Source(src))
	}
	if q.err != nil {
		return q.err
	}
	vs, err := s.Store.Violations(c.Request().Context(), f)
	if err != nil {
		return err
	}
	fc := geojson.NewFeatureCollection()
	for _, v := range vs {
		fc.Append(s.violationFeature(v))
	}
	links := []map[string]string{{"rel": "self", "href": c.Request().URL.RequestURI()}}
	fc.ExtraMembers = geojson.Properties{"numberReturned": len(vs)}
	if len(vs) == f.PageLimit() {
		next := encodeCursor(vs[len(vs)-1].ID)
		links = append(links, map[string]string{"rel": "next", "href": withParam(c.Request().URL, "cursor", next)})
		fc.ExtraMembers["next"] = next
	}
	fc.ExtraMembers["links"] = links
	return c.JSON(http.StatusOK, fc)
}

func (s *server) getViolation(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return data.Errorf(data.ENOTFOUND, "violation %q not found: ids are positive integers", c.Param("id"))
	}
	v, err := s.Store.Violation(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.violationFeature(v))
}

// violationFeature encodes a violation with the wire names of DESIGN.md §3.
func (s *server) violationFeature(v data.Violation) *geojson.Feature {
	f := geojson.NewFeature(v.Point)
	f.ID = v.ID
	p := geojson.Properties{
		"source": v.Source, "source_id": v.SourceID, "category": v.Category,
		"observed_at": v.ObservedAt.In(s.Zone).Format(time.RFC3339),
		"h3":          v.Cell.String(), "crs": v.Datum, "road": nil, "segment": nil,
	}
	if v.Road != "" {
		p["road"], p["segment"] = v.Road, v.Segment
		p["along_m"], p["offset_m"] = round(v.Along, 1), round(v.Offset, 1)
	}
	for k, val := range map[string]string{"merchant_id": v.MerchantID, "severity": v.Severity, "disposition": v.Disposition} {
		if val != "" {
			p[k] = val
		}
	}
	if len(v.Attributes) > 0 {
		p["attributes"] = json.RawMessage(v.Attributes)
	}
	f.Properties = p
	return f
}

func withParam(u *url.URL, name, value string) string {
	q := u.Query()
	q.Set(name, value)
	next := *u
	next.RawQuery = q.Encode()
	return next.RequestURI()
}
