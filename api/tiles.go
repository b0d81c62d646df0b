package api

import (
	"context"
	"fmt"
	"hash/fnv"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/dazhigu/hotspot/analytics"
	"github.com/dazhigu/hotspot/api/ogc"
	"github.com/dazhigu/hotspot/api/tiles"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

// mvtType is the media type of a vector tile.
const mvtType = "application/vnd.mapbox-vector-tile"

// tileParams are the parameters a tile and its TileJSON take.
var tileParams = []string{"crs", "datetime", "category", "source"}

// tileLayers are the layers served at /tiles/{layer}.
func tileLayers() []tiles.Layer {
	res := map[string]any{"h3_resolution_by_zoom": map[string]int{"0-13": 9, "14": 10, "15-16": 11, "17-22": 12}}
	return []tiles.Layer{
		{ID: "hotspots", Description: "Gi* per H3 cell (resolution by zoom) over the window datetime= (default: the default window)",
			MinZoom: 10, MaxZoom: 22, Extra: res,
			Fields: map[string]string{"h3": tiles.String, "count": tiles.Number, "z": tiles.Number, "p": tiles.Number, "bin": tiles.Number}},
		{ID: "forecast", Description: "violations expected per H3 cell (resolution by zoom) in the coming week",
			MinZoom: 10, MaxZoom: 22, Extra: res, Fields: map[string]string{"h3": tiles.String, "expected": tiles.Number}},
		{ID: "roads", Description: "the key roads' centrelines; approximate ones are not surveyed (示意)", MinZoom: 10, MaxZoom: 22,
			Fields: map[string]string{"id": tiles.String, "name": tiles.String, "pinyin": tiles.String, "approximate": tiles.Boolean,
				"key": tiles.Boolean, "length_m": tiles.Number}},
		{ID: "segments", Description: "the key roads' segments, id road:index", MinZoom: 12, MaxZoom: 22,
			Fields: map[string]string{"id": tiles.String, "road": tiles.String, "road_name": tiles.String, "index": tiles.Number,
				"from_m": tiles.Number, "to_m": tiles.Number, "approximate": tiles.Boolean}},
		{ID: "pilot-zones", Description: "recommended line-marking (划线治理) pilot stretches", MinZoom: 10, MaxZoom: 22,
			Fields: map[string]string{"id": tiles.String, "rank": tiles.Number, "road": tiles.String, "road_name": tiles.String,
				"from_m": tiles.Number, "to_m": tiles.Number, "score": tiles.Number, "count": tiles.Number,
				"recurrent_share": tiles.Number, "under_pilot": tiles.Boolean, "split": tiles.String}},
		{ID: "violations", Description: fmt.Sprintf("violations as points, at most %d a tile, filtered by datetime=, category=, source=", data.MaxPage),
			MinZoom: 15, MaxZoom: 22,
			Fields: map[string]string{"category": tiles.String, "source": tiles.String, "observed_at": tiles.String,
				"road": tiles.String, "segment": tiles.Number, "source_id": tiles.String}},
	}
}

func findTileLayer(id string) (tiles.Layer, error) {
	var ids []string
	for _, l := range tileLayers() {
		if l.ID == id {
			return l, nil
		}
		ids = append(ids, l.ID)
	}
	return tiles.Layer{}, data.Errorf(data.ENOTFOUND, "no tile layer %q; the layers are %s", id, strings.Join(ids, ", "))
}

// tileJSON answers GET /tiles/{layer}.json with the layer's TileJSON 3.0;
// its tiles URL keeps the request's query (the key, crs and filters).
func (s *server) tileJSON(c echo.Context) error {
	id, ok := strings.CutSuffix(c.Param("layer"), ".json")
	if !ok {
		return data.Errorf(data.ENOTFOUND, "a layer's TileJSON is /tiles/{layer}.json, its tiles /tiles/{layer}/{z}/{x}/{y}.mvt")
	}
	l, err := findTileLayer(id)
	if err != nil {
		return err
	}
	_, crs, err := s.readTileQuery(c, 0)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	srcs, err := s.featureSources(ctx)
	if err != nil {
		return err
	}
	roads, err := s.roads(ctx)
	if err != nil {
		return err
	}
	url := c.Scheme() + "://" + c.Request().Host + "/tiles/" + l.ID + "/{z}/{x}/{y}.mvt"
	if raw := c.Request().URL.RawQuery; raw != "" {
		url += "?" + raw
	}
	b := srcs[0].coll.Extent
	b = orb.Bound{Min: geo.FromWGS84(b.Min, crs), Max: geo.FromWGS84(b.Max, crs)}
	return c.JSON(http.StatusOK, tiles.TileJSON(l, url, b, attributions(roads)))
}

// attributions joins the roads' distinct sources (the OSM line of 津塘路).
func attributions(roads []data.Road) string {
	var out []string
	for _, r := range roads {
		if r.Attribution != "" && !slices.Contains(out, r.Attribution) {
			out = append(out, r.Attribution)
		}
	}
	return strings.Join(out, "; ")
}

// tile answers GET /tiles/{layer}/{z}/{x}/{y}.mvt: the layer's features in
// the tile, in the tile grid of datum crs= (so a GCJ-02 basemap's tiles and
// ours line up). Outside the data, or outside the layer's zooms, it is
// 204 No Content. A strong ETag names the data version; If-None-Match
// gets 304.
func (s *server) tile(c echo.Context) error {
	l, err := findTileLayer(c.Param("layer"))
	if err != nil {
		return err
	}
	yText, ok := strings.CutSuffix(c.Param("y"), ".mvt")
	z, err1 := strconv.Atoi(c.Param("z"))
	x, err2 := strconv.Atoi(c.Param("x"))
	y, err3 := strconv.Atoi(yText)
	t, valid := tiles.Parse(z, x, y)
	if !ok || err1 != nil || err2 != nil || err3 != nil || !valid {
		return data.Errorf(data.ENOTFOUND, "no tile %s/%s/%s: z is 0..22 and x, y are 0..2^z-1; the path ends in .mvt",
			c.Param("z"), c.Param("x"), c.Param("y"))
	}
	a, crs, err := s.readTileQuery(c, z)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	etag, err := s.tileETag(ctx, c, l.ID)
	if err != nil {
		return err
	}
	gz := acceptsGzip(c.Request().Header.Get(echo.HeaderAcceptEncoding))
	if gz {
		etag = strings.TrimSuffix(etag, `"`) + `-gz"`
	}
	h := c.Response().Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, max-age=60, must-revalidate")
	h.Add("Vary", "Accept-Encoding") // beside CORS's Vary: Origin
	if noneMatch(c.Request().Header.Get("If-None-Match"), etag) {
		return c.NoContent(http.StatusNotModified)
	}
	if z < l.MinZoom || z > l.MaxZoom {
		return c.NoContent(http.StatusNoContent)
	}
	raw, ok := s.tiles.get(etag)
	if !ok {
		if raw, err = s.makeTile(ctx, t, l, a, crs, gz); err != nil {
			return err
		}
		s.tiles.put(etag, raw)
	}
	if raw == nil {
		return c.NoContent(http.StatusNoContent)
	}
	if gz {
		h.Set(echo.HeaderContentEncoding, "gzip")
	}
	return c.Blob(http.StatusOK, mvtType, raw)
}

// makeTile encodes the tile: nil when it has no features.
func (s *server) makeTile(ctx context.Context, t maptile.Tile, l tiles.Layer, a analytics.Query, crs string, gz bool) ([]byte, error) {
	tb := t.Bound(tiles.Buffer)
	box := boundToWGS84(&tb, crs)
	fs, err := s.tileFeatures(ctx, l.ID, *box, a)
	if err != nil || len(fs) == 0 {
		return nil, err
	}
	for _, f := range fs {
		f.Geometry = geo.GeometryFromWGS84(f.Geometry, crs)
	}
	return tiles.Encode(t, l, fs, gz)
}

// acceptsGzip reads Accept-Encoding: gzip (or *) with a q above zero.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if coding = strings.TrimSpace(coding); coding != "gzip" && coding != "*" {
			continue
		}
		q := strings.TrimSpace(params)
		if v, ok := strings.CutPrefix(q, "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil && f == 0 {
				return false
			}
		}
		return true
	}
	return false
}

// noneMatch reports whether If-None-Match names etag: "*", or the tag
// compared weakly (RFC 9110 §13.1.2).
func noneMatch(header, etag string) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == etag {
			return true
		}
	}
	return false
}

// readTileQuery reads a tile's (or its TileJSON's) parameters: the datum
// of the tile grid and the selection of the analysis drawn at zoom z, its
// categories checked against the taxonomy (every layer refuses an unknown
// one alike).
func (s *server) readTileQuery(c echo.Context, z int) (analytics.Query, string, error) {
	q := newQuery(c.QueryParams(), tileParams...)
	crs := q.datum("crs")
	a := analytics.Query{Res: tiles.CellResolution(z), K: 1, Categories: q.list("category")}
	a.Window.From, a.Window.To = q.interval("datetime")
	a.Window.Given = c.QueryParam("datetime") != ""
	for _, src := range q.list("source") {
		if !data.Source(src).Valid() {
			q.fail("source", "must be a comma-separated list of patrol, hotline, camera, campaign, citizen")
		}
		a.Sources = append(a.Sources, data.Source(src))
	}
	if q.err != nil {
		return a, crs, q.err
	}
	return a, crs, s.Engine.CheckCategories(c.Request().Context(), a.Categories)
}

// tileFeatures are the layer's features meeting box (WGS-84).
func (s *server) tileFeatures(ctx context.Context, layer string, box orb.Bound, a analytics.Query) ([]*geojson.Feature, error) {
	var fs []*geojson.Feature
	var err error
	switch layer {
	case "violations":
		// At most MaxPage a tile, the newest.
		vs, err := s.store(ctx).Violations(ctx, data.ViolationFilter{Bound: &box, From: a.Window.From, To: a.Window.To,
			Categories: a.Categories, Sources: a.Sources, Limit: data.MaxPage, Newest: true})
		return s.violationFeatures(vs), err
	case "hotspots":
		fs, err = s.hotspotFeatures(ctx, a)
	case "forecast":
		a.Window = analytics.Window{}
		fs, err = s.forecastFeatures(ctx, a)
	default:
		srcs, err := s.featureSources(ctx)
		if err != nil {
			return nil, err
		}
		for _, src := range srcs {
			if src.coll.ID == layer {
				fs, _, err = src.items(ctx, ogc.Query{Bound: &box, Limit: ogc.MaxLimit})
				return withIDs(fs), err
			}
		}
	}
	if err != nil {
		return nil, err
	}
	out := fs[:0]
	for _, f := range fs {
		if f.Geometry.Bound().Intersects(box) {
			out = append(out, f)
		}
	}
	return out, nil
}

// withIDs copies string feature ids into an "id" property, since vector
// tiles carry only numeric ids.
func withIDs(fs []*geojson.Feature) []*geojson.Feature {
	for _, f := range fs {
		if id, ok := f.ID.(string); ok {
			f.Properties["id"] = id
		}
	}
	return fs
}

// tileETag names what a tile is made of: the layer, the path and query
// (the key aside), the data (the index's change sequence and the roads) and
// the engine's clock to the hour (default and open-ended windows end then).
func (s *server) tileETag(ctx context.Context, c echo.Context, layer string) (string, error) {
	seq, err := s.Engine.Seq(ctx)
	if err != nil {
		return "", err
	}
	roads, err := s.Engine.Roads(ctx) // all of them: the scope below says which are the request's
	if err != nil {
		return "", err
	}
	h := fnv.New64a()
	q := maps.Clone(c.QueryParams()) // Echo keeps the request's: leave its key
	q.Del("api_key")
	fmt.Fprintf(h, "%s|%s|%s|%d|%d|%s|", layer, c.Request().URL.Path, q.Encode(), seq, s.Engine.Now().Truncate(time.Hour).Unix(),
		s.roadPrint.of(roads))
	if a := scopeOf(ctx); a != nil { // a scoped key's tile is another tile
		fmt.Fprintf(h, "within %s|", a.Fingerprint())
	}
	return fmt.Sprintf(`"%x"`, h.Sum64()), nil
}
