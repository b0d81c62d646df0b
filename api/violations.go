package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

// listViolations answers GET /api/v1/violations: a GeoJSON FeatureCollection
// page in id order with a 'next' link while more remain.
func (s *server) listViolations(c echo.Context) error {
	q := newQuery(c.QueryParams(), "bbox", "datetime", "category", "source", "road", "limit", "cursor", "crs")
	crs := q.datum("crs")
	f := data.ViolationFilter{
		Bound:      boundToWGS84(q.bbox("bbox"), crs),
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
	if err := s.Engine.CheckCategories(c.Request().Context(), f.Categories); err != nil {
		return err
	}
	vs, err := s.store(c.Request().Context()).Violations(c.Request().Context(), f)
	if err != nil {
		return err
	}
	fc := geojson.NewFeatureCollection()
	for _, v := range vs {
		fc.Append(s.violationFeature(v, crs))
	}
	links := []map[string]string{{"rel": "self", "href": c.Request().URL.RequestURI()}}
	fc.ExtraMembers = geojson.Properties{"numberReturned": len(vs)}
	if len(vs) == f.PageLimit() {
		next := encodeCursor(vs[len(vs)-1].ID)
		links = append(links, map[string]string{"rel": "next", "href": withParam(c.Request().URL, "cursor", next)})
		fc.ExtraMembers["next"] = next
	}
	fc.ExtraMembers["links"] = links
	return writeGeoJSON(c, http.StatusOK, fc)
}

func (s *server) getViolation(c echo.Context) error {
	q := newQuery(c.QueryParams(), "crs")
	crs := q.datum("crs")
	if q.err != nil {
		return q.err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return data.Errorf(data.ENOTFOUND, "violation %q not found: ids are positive integers", c.Param("id"))
	}
	v, err := s.store(c.Request().Context()).Violation(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return writeGeoJSON(c, http.StatusOK, s.violationFeature(v, crs))
}

// violationFeature encodes a violation with the wire names of DESIGN.md §3,
// its point in datum crs. The property "received_crs" is the datum the point
// arrived in.
func (s *server) violationFeature(v data.Violation, crs string) *geojson.Feature {
	f := geojson.NewFeature(geo.FromWGS84(v.Point, crs))
	f.ID = v.ID
	p := geojson.Properties{
		"source": string(v.Source), "source_id": v.SourceID, "category": v.Category,
		"observed_at": v.ObservedAt.In(s.Zone).Format(time.RFC3339Nano),
		"h3":          v.Cell.String(), "crs": crs, "received_crs": v.Datum, "road": nil, "segment": nil,
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
	if !v.UpdatedAt.IsZero() {
		p["updated_at"] = v.UpdatedAt.In(s.Zone).Format(time.RFC3339Nano)
	}
	f.Properties = p
	return f
}

// violationHistory answers GET /api/v1/violations/{id}/history: every
// update of a violation, who sent it, when, and what it changed.
func (s *server) violationHistory(c echo.Context) error {
	if q := newQuery(c.QueryParams()); q.err != nil {
		return q.err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return data.Errorf(data.ENOTFOUND, "violation %q not found: ids are positive integers", c.Param("id"))
	}
	hs, err := s.store(c.Request().Context()).ViolationHistory(c.Request().Context(), id)
	if err != nil {
		return err
	}
	out := make([]map[string]any, len(hs))
	for i, h := range hs {
		out[i] = map[string]any{"seq": h.Seq, "changed_at": h.ChangedAt.In(s.Zone).Format(time.RFC3339Nano), "by": h.By,
			"updated_at": h.UpdatedAt.In(s.Zone).Format(time.RFC3339Nano), "fields": h.Fields}
	}
	return c.JSON(http.StatusOK, map[string]any{"id": id, "updates": out})
}

func withParam(u *url.URL, name, value string) string {
	q := u.Query()
	q.Set(name, value)
	next := *u
	next.RawQuery = q.Encode()
	return next.RequestURI()
}

// boundToWGS84 converts a bounding box given in datum crs to the WGS-84 box
// that holds it. The datum offsets vary by well under a meter across a
// street's extent, so converting the corners is enough.
func boundToWGS84(b *orb.Bound, crs string) *orb.Bound {
	if b == nil || crs == geo.WGS84 {
		return b
	}
	out := orb.Bound{Min: geo.ToWGS84(b.Min, crs), Max: geo.ToWGS84(b.Max, crs)}
	out = out.Extend(geo.ToWGS84(orb.Point{b.Min[0], b.Max[1]}, crs)).Extend(geo.ToWGS84(orb.Point{b.Max[0], b.Min[1]}, crs))
	return &out
}
