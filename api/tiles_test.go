package api_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	ogeo "github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/maptile"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/analytics"
	"github.com/dazhigu/hotspot/api"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/seed"
	"github.com/dazhigu/hotspot/geo"
)

// getTile fetches a tile with the viewer's key and extra headers.
func getTile(t *testing.T, e *env, path string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+e.keys[data.RoleViewer])
	for k, v := range header {
		req.Header.Set(k, v)
	}
	// The transport would gunzip silently; ask for gzip only when told to.
	req.Header.Set("Accept-Encoding", header["Accept-Encoding"])
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res, raw
}

// clusterPoint is where clusterBody puts its 200 violations.
func clusterPoint(t *testing.T) orb.Point {
	t.Helper()
	roads, _ := seed.Roads()
	for _, r := range roads {
		if r.ID == "dazhigu-zhonglu" {
			return r.Geometry[len(r.Geometry)/2]
		}
	}
	t.Fatal("no dazhigu-zhonglu")
	return orb.Point{}
}

func TestTiles(t *testing.T) {
	e := ogcEnv(t)
	p := clusterPoint(t)
	tl := maptile.At(p, 16)
	path := func(layer string, tl maptile.Tile) string {
		return fmt.Sprintf("/tiles/%s/%d/%d/%d.mvt", layer, tl.Z, tl.X, tl.Y)
	}
	for layer, fields := range map[string][]string{"hotspots": {"h3", "count", "z", "bin"}, "forecast": {"h3", "expected"},
		"roads": {"id", "name", "approximate"}, "segments": {"id", "road", "index"}, "violations": {"category", "source", "observed_at"}} {
		res, raw := getTile(t, e, path(layer, tl), nil)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/vnd.mapbox-vector-tile" {
			t.Fatalf("%s tile = %d %q: %s", layer, res.StatusCode, res.Header.Get("Content-Type"), raw)
		}
		ls, err := mvt.Unmarshal(raw)
		if err != nil || len(ls) != 1 || ls[0].Name != layer || len(ls[0].Features) == 0 {
			t.Fatalf("%s tile decodes to %v layers (err %v)", layer, len(ls), err)
		}
		for _, f := range fields {
			if _, ok := ls[0].Features[0].Properties[f]; !ok {
				t.Errorf("%s tile: a feature lacks %s: %v", layer, f, ls[0].Features[0].Properties)
			}
		}
	}

	t.Run("the H3 resolution follows the zoom", func(t *testing.T) {
		for z, res := range map[maptile.Zoom]int{13: 9, 14: 10, 16: 11, 18: 12} {
			_, raw := getTile(t, e, path("hotspots", maptile.At(p, z)), nil)
			ls, err := mvt.Unmarshal(raw)
			if err != nil || len(ls) == 0 || len(ls[0].Features) == 0 {
				t.Fatalf("hotspots at z%d: %v", z, err)
			}
			if c := h3.Cell(h3.IndexFromString(ls[0].Features[0].Properties["h3"].(string))); c.Resolution() != res {
				t.Errorf("hotspots at z%d draw res-%d cells, want %d", z, c.Resolution(), res)
			}
		}
	})

	t.Run("gzip, ETag and 304", func(t *testing.T) {
		res, raw := getTile(t, e, path("violations", tl), map[string]string{"Accept-Encoding": "gzip"})
		if res.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("Content-Encoding = %q", res.Header.Get("Content-Encoding"))
		}
		if _, err := mvt.UnmarshalGzipped(raw); err != nil {
			t.Fatalf("gzipped tile: %v", err)
		}
		etag := res.Header.Get("ETag")
		if etag == "" || strings.HasPrefix(etag, "W/") || res.Header.Get("Cache-Control") == "" {
			t.Fatalf("ETag %q (want strong), Cache-Control %q", etag, res.Header.Get("Cache-Control"))
		}
		res, _ = getTile(t, e, path("violations", tl), map[string]string{"Accept-Encoding": "gzip", "If-None-Match": etag})
		if res.StatusCode != http.StatusNotModified {
			t.Errorf("If-None-Match of the current ETag = %d, want 304", res.StatusCode)
		}
		plain, _ := getTile(t, e, path("violations", tl), nil)
		if plain.Header.Get("ETag") == etag {
			t.Errorf("the plain and gzipped tiles share ETag %s", etag)
		}
		body := fmt.Sprintf(`{"source":"patrol","source_id":"etag-1","category":"street-vending","observed_at":%q,"lon":%.7f,"lat":%.7f}`,
			time.Now().Add(-time.Hour).Format(time.RFC3339), p[0], p[1])
		if res, reply := e.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, []byte(body)); res.StatusCode != 200 {
			t.Fatalf("post: %d %v", res.StatusCode, reply)
		}
		res, _ = getTile(t, e, path("violations", tl), map[string]string{"Accept-Encoding": "gzip", "If-None-Match": etag})
		if res.StatusCode != 200 || res.Header.Get("ETag") == etag {
			t.Errorf("after a write: %d with ETag %s, want 200 with a new ETag", res.StatusCode, res.Header.Get("ETag"))
		}
	})

	t.Run("empty tiles and bad paths", func(t *testing.T) {
		far := maptile.At(orb.Point{100, 30}, 16)
		for _, pth := range []string{path("violations", far), path("hotspots", far), path("violations", maptile.At(p, 12))} {
			if res, raw := getTile(t, e, pth, nil); res.StatusCode != http.StatusNoContent || len(raw) != 0 {
				t.Errorf("%s = %d with %d bytes, want 204", pth, res.StatusCode, len(raw))
			}
		}
		for _, pth := range []string{"/tiles/violations/16/99999999/1.mvt", "/tiles/violations/23/0/0.mvt", "/tiles/violations/16/1/1.png", "/tiles/nothing/16/1/1.mvt"} {
			res, _ := e.do(t, "GET", pth, data.RoleViewer, nil)
			if res.StatusCode != 404 || res.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s = %d %q, want a 404 problem", pth, res.StatusCode, res.Header.Get("Content-Type"))
			}
		}
		for _, q := range []string{"?source=nobody", "?category=nope", "?datetime=yesterday"} {
			for _, pth := range []string{path("violations", tl), path("roads", tl), "/tiles/violations.json"} {
				res, body := e.do(t, "GET", pth+q, data.RoleViewer, nil)
				wantProblem(t, res, body, 400)
			}
		}
	})

	t.Run("crs=gcj02 draws a known point where a GCJ-02 basemap has it", func(t *testing.T) {
		known := orb.Point{117.2301, 39.1201} // WGS-84, on no road: only this record is there
		body := fmt.Sprintf(`{"source":"citizen","source_id":"known-1","category":"dumping","observed_at":%q,"lon":%.7f,"lat":%.7f}`,
			time.Now().Add(-time.Hour).Format(time.RFC3339), known[0], known[1])
		if res, reply := e.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, []byte(body)); res.StatusCode != 200 {
			t.Fatalf("post: %d %v", res.StatusCode, reply)
		}
		want := geo.FromWGS84(known, geo.GCJ02)
		gt := maptile.At(want, 18) // the tile of the GCJ-02 grid the point is drawn in
		res, raw := getTile(t, e, path("violations", gt)+"?crs=gcj02&source=citizen", nil)
		if res.StatusCode != 200 {
			t.Fatalf("GCJ-02 tile = %d", res.StatusCode)
		}
		ls, err := mvt.Unmarshal(raw)
		if err != nil || len(ls) != 1 || len(ls[0].Features) != 1 {
			t.Fatalf("GCJ-02 tile: %v features, err %v", len(ls), err)
		}
		ls.ProjectToWGS84(gt) // back from tile pixels to the grid's (GCJ-02) degrees
		got := ls[0].Features[0].Geometry.(orb.Point)
		if d := ogeo.Distance(got, want); d > 0.1 {
			t.Errorf("the point is drawn %.2f m from its GCJ-02 position (%.2f m from its WGS-84 one)", d, ogeo.Distance(got, known))
		}
		if res, _ := getTile(t, e, path("violations", maptile.At(known, 18))+"?crs=gcj02&source=citizen", nil); res.StatusCode != http.StatusNoContent {
			t.Errorf("the WGS-84 position's tile in the GCJ-02 grid = %d, want 204 (the point is 550 m away there)", res.StatusCode)
		}
	})
}

func TestTileJSON(t *testing.T) {
	e := ogcEnv(t)
	key := e.keys[data.RoleViewer]
	for _, layer := range []string{"hotspots", "forecast", "roads", "segments", "pilot-zones", "violations"} {
		res, doc := e.do(t, "GET", "/tiles/"+layer+".json?api_key="+key+"&crs=gcj02", "", nil)
		if res.StatusCode != 200 || doc["tilejson"] != "3.0.0" {
			t.Fatalf("%s TileJSON = %d %v", layer, res.StatusCode, doc)
		}
		tiles := doc["tiles"].([]any)
		want := e.srv.URL + "/tiles/" + layer + "/{z}/{x}/{y}.mvt?api_key=" + key + "&crs=gcj02"
		if len(tiles) != 1 || tiles[0] != want {
			t.Errorf("%s tiles = %v, want [%s]", layer, tiles, want)
		}
		vl := doc["vector_layers"].([]any)
		if len(vl) != 1 || vl[0].(map[string]any)["id"] != layer || len(vl[0].(map[string]any)["fields"].(map[string]any)) == 0 {
			t.Errorf("%s vector_layers = %v", layer, vl)
		}
		if b := doc["bounds"].([]any); len(b) != 4 || doc["center"] == nil || doc["minzoom"] == nil || doc["maxzoom"] == nil {
			t.Errorf("%s: bounds %v center %v", layer, b, doc["center"])
		}
		if !strings.Contains(doc["attribution"].(string), "OpenStreetMap") {
			t.Errorf("%s attribution %q lacks the OSM line of 津塘路", layer, doc["attribution"])
		}
	}
	// The bounds are in the grid's datum and hold every record: the cluster's
	// point, drawn in GCJ-02, lies inside them.
	_, doc := e.do(t, "GET", "/tiles/violations.json?crs=gcj02", data.RoleViewer, nil)
	b := doc["bounds"].([]any)
	g := geo.FromWGS84(clusterPoint(t), geo.GCJ02)
	if !(orb.Bound{Min: orb.Point{b[0].(float64), b[1].(float64)}, Max: orb.Point{b[2].(float64), b[3].(float64)}}).Contains(g) {
		t.Errorf("bounds %v do not hold the cluster at %v (GCJ-02)", b, g)
	}
	if _, doc := e.do(t, "GET", "/tiles/hotspots.json", data.RoleViewer, nil); doc["h3_resolution_by_zoom"] == nil {
		t.Errorf("hotspots TileJSON does not state the H3 resolution by zoom")
	}
}

// TestTileETagFollowsTheClock: the default window ends at the engine's
// clock, so an hour later the same tile is another tile.
func TestTileETagFollowsTheClock(t *testing.T) {
	now := time.Now()
	clock := func() time.Time { return now }
	e := ogcEnv(t, func(o *api.Options) {
		o.Engine = analytics.New(analytics.Options{Source: o.Store, Now: func() time.Time { return clock() }})
	})
	path := fmt.Sprintf("/tiles/hotspots/16/%d/%d.mvt", maptile.At(clusterPoint(t), 16).X, maptile.At(clusterPoint(t), 16).Y)
	res, _ := getTile(t, e, path, nil)
	etag := res.Header.Get("ETag")
	if res, _ := getTile(t, e, path, map[string]string{"If-None-Match": "W/" + etag}); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match W/%s = %d, want 304 (weak comparison)", etag, res.StatusCode)
	}
	if res, _ := getTile(t, e, path, map[string]string{"If-None-Match": "*"}); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match * = %d, want 304", res.StatusCode)
	}
	clock = func() time.Time { return now.Add(time.Hour) }
	if res, _ := getTile(t, e, path, map[string]string{"If-None-Match": etag}); res.StatusCode != 200 || res.Header.Get("ETag") == etag {
		t.Errorf("an hour later: %d with ETag %s, want 200 with another ETag", res.StatusCode, res.Header.Get("ETag"))
	}
	if res, _ := getTile(t, e, path, map[string]string{"Accept-Encoding": "gzip;q=0"}); res.Header.Get("Content-Encoding") != "" {
		t.Errorf("Accept-Encoding gzip;q=0 got Content-Encoding %q", res.Header.Get("Content-Encoding"))
	}
}

// TestTilesKeptFollowWrites: a tile is kept by its ETag, so the same
// request gets the same bytes, and a write makes a new tile, never the
// kept one.
func TestTilesKeptFollowWrites(t *testing.T) {
	e := newSeededEnv(t)
	p := clusterPoint(t)
	path := fmt.Sprintf("/tiles/violations/16/%d/%d.mvt", maptile.At(p, 16).X, maptile.At(p, 16).Y)
	count := func() (int, []byte) {
		res, raw := getTile(t, e, path, nil)
		if res.StatusCode == http.StatusNoContent {
			return 0, nil
		}
		ls, err := mvt.Unmarshal(raw)
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("tile: %d %v", res.StatusCode, err)
		}
		return len(ls[0].Features), raw
	}
	if n, _ := count(); n != 0 {
		t.Fatalf("an empty store's tile has %d features", n)
	}
	for i, want := range []int{3, 5} {
		pts := make([]orb.Point, want-max(0, i*3))
		for k := range pts {
			pts[k] = orb.Point{p[0] + float64(k)*1e-5, p[1]}
		}
		if res, body := e.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, pointsNDJSON(fmt.Sprint("kept-", i), pts)); res.StatusCode != 200 {
			t.Fatalf("post: %d %v", res.StatusCode, body)
		}
		n, first := count()
		_, again := count()
		if n != want || !bytes.Equal(first, again) {
			t.Fatalf("after %d writes: %d features (want %d); same bytes again: %v", i+1, n, want, bytes.Equal(first, again))
		}
	}
}
