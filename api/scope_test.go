package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/api"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/postgres"
	"github.com/dazhigu/hotspot/data/seed"
	"github.com/dazhigu/hotspot/data/sqlite"
	"github.com/dazhigu/hotspot/data/storetest"
	"github.com/dazhigu/hotspot/geo"
)

// scopeFixture is two grids of the default street, each around the middle
// of a key road, with violations and tracks in each and a track crossing
// out of the first.
type scopeFixture struct {
	a, b       data.Area
	roadA      string
	inA, inB   []orb.Point
	idsA, idsB []float64 // violation ids
	trackB     float64
}

func gridAround(id string, p orb.Point) data.Area {
	const d = 0.0008 // about 70 m east-west, 90 m north-south
	return data.Area{ID: id, Name: id, Parent: seed.DefaultAreaID,
		Boundary: orb.Polygon{{{p[0] - d, p[1] - d}, {p[0] + d, p[1] - d}, {p[0] + d, p[1] + d}, {p[0] - d, p[1] + d}, {p[0] - d, p[1] - d}}}}
}

func newScopeFixture(t *testing.T, e *env) scopeFixture {
	t.Helper()
	ctx := context.Background()
	roads, err := seed.Roads()
	if err != nil {
		t.Fatal(err)
	}
	mid := func(r data.Road) orb.Point { return geo.PointAlong(r.Geometry, geo.Length(r.Geometry)/2) }
	ra, rb := roads[0], roads[1]
	for _, r := range roads[1:] { // the road farthest from the first
		if geo.Length(orb.LineString{mid(ra), mid(r)}) > geo.Length(orb.LineString{mid(ra), mid(rb)}) {
			rb = r
		}
	}
	f := scopeFixture{a: gridAround("grid:a", mid(ra)), b: gridAround("grid:b", mid(rb)), roadA: ra.ID}
	for _, g := range []data.Area{f.a, f.b} {
		if err := e.store.PutArea(ctx, g, data.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 30 {
		off := orb.Point{0.0003 * math.Cos(float64(i)), 0.0003 * math.Sin(float64(i))}
		f.inA = append(f.inA, orb.Point{mid(ra)[0] + off[0], mid(ra)[1] + off[1]})
		f.inB = append(f.inB, orb.Point{mid(rb)[0] + off[0], mid(rb)[1] + off[1]})
	}
	post := func(prefix string, pts []orb.Point) []float64 {
		res, body := e.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, pointsNDJSON(prefix, pts))
		if res.StatusCode != 200 {
			t.Fatalf("post %s: %d %v", prefix, res.StatusCode, body)
		}
		var ids []float64
		for _, r := range body["records"].([]any) {
			ids = append(ids, r.(map[string]any)["id"].(float64))
		}
		return ids
	}
	f.idsA, f.idsB = post("in-a", f.inA), post("in-b", f.inB)
	walk := func(track string, from, to orb.Point) []byte {
		var b bytes.Buffer
		start := time.Now().Add(-3 * time.Hour)
		for k := range 40 {
			s := float64(k) / 39
			fmt.Fprintf(&b, `{"officer":"zf-01","track":%q,"time":%q,"lon":%.7f,"lat":%.7f}`+"\n", track,
				start.Add(time.Duration(k)*10*time.Second).Format(time.RFC3339), from[0]+s*(to[0]-from[0]), from[1]+s*(to[1]-from[1]))
		}
		return b.Bytes()
	}
	var tracks []byte
	tracks = append(tracks, walk("ta", f.inA[0], f.inA[3])...)
	tracks = append(tracks, walk("tb", f.inB[0], f.inB[3])...)
	tracks = append(tracks, walk("cross", f.inA[1], orb.Point{f.inA[1][0] + 0.004, f.inA[1][1]})...)
	res, body := e.post(t, "/api/v1/tracks", "application/x-ndjson", data.RoleIngest, tracks)
	if res.StatusCode != 200 {
		t.Fatalf("post tracks: %d %v", res.StatusCode, body)
	}
	f.trackB = body["records"].([]any)[1].(map[string]any)["id"].(float64)
	return f
}

// addKey adds a key of the role scoped to the area to e, under the name.
func addKey(t *testing.T, e *env, name data.Role, role data.Role, area string) {
	t.Helper()
	tok, hash := data.NewToken()
	if _, err := e.store.CreateKey(context.Background(), data.Key{Name: string(name), Role: role, Hash: hash, Area: area}, data.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	e.keys[name] = tok
}

// TestScopedKeys proves on each store that a key scoped to an area sees
// and changes nothing outside it, on every kind of route, and that area= on
// a key of the whole service narrows alike.
func TestScopedKeys(t *testing.T) {
	stores := map[string]func(t *testing.T) (data.Store, string){
		"sqlite": func(t *testing.T) (data.Store, string) {
			path := filepath.Join(t.TempDir(), "api.db")
			s, err := sqlite.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			return s, path
		},
		"postgres": func(t *testing.T) (data.Store, string) {
			url := storetest.PostgresSchema(t)
			if err := postgres.Migrate(context.Background(), url); err != nil {
				t.Fatal(err)
			}
			s, err := postgres.Open(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			return s, ""
		},
	}
	for name, open := range stores {
		t.Run(name, func(t *testing.T) {
			s, path := open(t)
			t.Cleanup(func() { s.Close() })
			if err := seed.Load(context.Background(), s); err != nil {
				t.Fatal(err)
			}
			area, _ := seed.Boundary()
			e := newEnvOn(t, s, path, func(o *api.Options) { o.Area = area })
			f := newScopeFixture(t, e)
			for _, r := range []data.Role{data.RoleViewer, data.RoleScheduler, data.RoleIngest, data.RoleAdmin} {
				addKey(t, e, "a-"+r, r, f.a.ID)
			}
			t.Run("reads", func(t *testing.T) { checkScopedReads(t, e, f, "a-", "") })
			t.Run("reads with area=", func(t *testing.T) { checkScopedReads(t, e, f, "", "area="+f.a.ID) })
			t.Run("writes", func(t *testing.T) { checkScopedWrites(t, e, f) })
		})
	}
}

// get reads path as key, with the extra query.
func get(t *testing.T, e *env, key data.Role, path, extra string) (*http.Response, map[string]any) {
	t.Helper()
	if extra != "" {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		path += sep + extra
	}
	return e.do(t, "GET", path, key, nil)
}

func checkScopedReads(t *testing.T, e *env, f scopeFixture, prefix data.Role, extra string) {
	viewer, scheduler, admin := prefix+"viewer", prefix+"scheduler", prefix+"admin"
	if prefix == "" {
		viewer, scheduler, admin = data.RoleViewer, data.RoleScheduler, data.RoleAdmin
	}
	ids := func(body map[string]any) map[float64]bool {
		out := map[float64]bool{}
		for _, ft := range body["features"].([]any) {
			out[ft.(map[string]any)["id"].(float64)] = true
		}
		return out
	}
	res, body := get(t, e, viewer, "/api/v1/violations?limit=1000", extra)
	got := ids(body)
	if res.StatusCode != 200 || len(got) != len(f.idsA) {
		t.Fatalf("violations: %d, %d listed, want the %d of %s", res.StatusCode, len(got), len(f.idsA), f.a.ID)
	}
	for _, id := range f.idsA {
		if !got[id] {
			t.Fatalf("violation %v of %s is not listed", id, f.a.ID)
		}
	}
	for path, want := range map[string]int{
		fmt.Sprintf("/api/v1/violations/%d", int64(f.idsA[0])):                200,
		fmt.Sprintf("/api/v1/violations/%d", int64(f.idsB[0])):                404,
		fmt.Sprintf("/api/v1/violations/%d/history", int64(f.idsB[0])):        404,
		fmt.Sprintf("/api/v1/tracks/%d", int64(f.trackB)):                     404,
		fmt.Sprintf("/ogc/collections/violations/items/%d", int64(f.idsB[0])): 404,
		"/api/v1/areas/" + f.b.ID:                                             404,
		"/api/v1/areas/" + f.a.ID:                                             200,
	} {
		key := viewer
		if strings.HasSuffix(path, "/history") {
			key = scheduler
		}
		if res, body := get(t, e, key, path, extra); res.StatusCode != want && !(want == 404 && res.StatusCode == 405) {
			t.Errorf("GET %s = %d %v, want %d", path, res.StatusCode, body["detail"], want)
		}
	}
	if res, _ := get(t, e, viewer, "/api/v1/heatmap", "area="+f.b.ID); prefix != "" && res.StatusCode != 404 {
		t.Errorf("a scoped key asking for another area: %d, want 404", res.StatusCode)
	}
	_, body = get(t, e, viewer, "/api/v1/tracks", extra)
	tracks := body["features"].([]any)
	if len(tracks) != 2 {
		t.Fatalf("tracks: %d listed, want the one in %s and the crossing one", len(tracks), f.a.ID)
	}
	for _, tr := range tracks {
		for _, c := range tr.(map[string]any)["geometry"].(map[string]any)["coordinates"].([]any) {
			p := c.([]any)
			if !f.a.Holds(orb.Point{p[0].(float64), p[1].(float64)}) {
				t.Fatalf("track %v shows a fix outside %s: %v", tr.(map[string]any)["id"], f.a.ID, p)
			}
		}
	}
	_, body = get(t, e, viewer, "/api/v1/roads", extra)
	if rs := body["features"].([]any); len(rs) != 1 || rs[0].(map[string]any)["id"] != f.roadA {
		t.Errorf("roads: %d, want only %s", len(rs), f.roadA)
	}
	_, body = get(t, e, viewer, "/api/v1/roads/ranking", extra)
	if rs := body["features"].([]any); len(rs) != 1 {
		t.Errorf("ranking: %d roads, want only %s", len(rs), f.roadA)
	}
	for _, path := range []string{"/api/v1/heatmap?format=h3&res=12", "/api/v1/hotspots?format=h3&res=12&area=events", "/api/v1/heatmap?format=h3&metric=gistar&res=12"} {
		q := extra
		if strings.Contains(path, "area=") && extra != "" {
			continue // a named area and area=events are one parameter
		}
		res, body := get(t, e, viewer, path, q)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %v", path, res.StatusCode, body)
		}
		rows := body["data"].([]any)
		if len(rows) == 0 {
			t.Fatalf("%s: no cells", path)
		}
		for _, r := range rows {
			c := h3.Cell(h3.IndexFromString(r.(map[string]any)["hex"].(string)))
			ll := h3.CellToLatLng(c)
			if !f.a.Holds(orb.Point{ll.Lng, ll.Lat}) {
				t.Fatalf("%s: cell %s lies outside %s", path, c, f.a.ID)
			}
		}
	}
	_, body = get(t, e, viewer, "/ogc/collections/violations/items?limit=1000", extra)
	if body["numberMatched"] != float64(len(f.idsA)) {
		t.Errorf("OGC violations: numberMatched %v, want %d", body["numberMatched"], len(f.idsA))
	}
	_, body = get(t, e, viewer, "/ogc/collections/roads/items", extra)
	if body["numberMatched"] != float64(1) {
		t.Errorf("OGC roads: numberMatched %v, want 1", body["numberMatched"])
	}
	z, x, y := tileOf(f.inB[0], 16)
	if res, _ := get(t, e, viewer, fmt.Sprintf("/tiles/violations/%d/%d/%d.mvt", z, x, y), extra); res.StatusCode != 204 {
		t.Errorf("the violations tile of %s: %d, want 204 (nothing in the key's area)", f.b.ID, res.StatusCode)
	}
	if res, _ := get(t, e, viewer, fmt.Sprintf("/tiles/violations/%d/%d/%d.mvt", z, x, y), ""); prefix == "" && res.StatusCode != 200 {
		t.Errorf("the same tile for the whole service: %d, want 200", res.StatusCode)
	}
	if prefix != "" { // a tile's ETag depends on the scope: no 304 across scopes
		z, x, y := tileOf(f.inA[0], 16)
		path := fmt.Sprintf("%s/tiles/violations/%d/%d/%d.mvt", e.srv.URL, z, x, y)
		whole, _ := http.NewRequest("GET", path, nil)
		whole.Header.Set("Authorization", "Bearer "+e.keys[data.RoleViewer])
		res, _ := e.doReq(t, whole)
		scopedReq, _ := http.NewRequest("GET", path, nil)
		scopedReq.Header.Set("Authorization", "Bearer "+e.keys[viewer])
		scopedReq.Header.Set("If-None-Match", res.Header.Get("ETag"))
		if res, _ := e.doReq(t, scopedReq); res.StatusCode == http.StatusNotModified {
			t.Error("a scoped key's tile answered 304 to the whole service's ETag")
		}
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/open311/v2/requests.json?"+extra, nil)
	req.Header.Set("Authorization", "Bearer "+e.keys[viewer])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var reqs []map[string]any
	json.NewDecoder(res.Body).Decode(&reqs)
	res.Body.Close()
	if len(reqs) != len(f.idsA) {
		t.Errorf("Open311 requests: %d, want the %d of %s", len(reqs), len(f.idsA), f.a.ID)
	}
	if prefix != "" {
		_, body = get(t, e, viewer, "/api/v1/areas", "")
		if as := body["features"].([]any); len(as) != 1 || as[0].(map[string]any)["id"] != f.a.ID {
			t.Errorf("areas seen by a key of %s: %v", f.a.ID, as)
		}
		if res, body := get(t, e, admin, "/api/v1/audit", ""); res.StatusCode != 403 {
			t.Errorf("the audit log for a scoped admin: %d %v, want 403", res.StatusCode, body["detail"])
		}
	}
}

// tileOf returns the slippy-map tile at zoom z holding p.
func tileOf(p orb.Point, z int) (int, int, int) {
	n := math.Exp2(float64(z))
	x := int((p[0] + 180) / 360 * n)
	lat := p[1] * math.Pi / 180
	y := int((1 - math.Log(math.Tan(lat)+1/math.Cos(lat))/math.Pi) / 2 * n)
	return z, x, y
}

func checkScopedWrites(t *testing.T, e *env, f scopeFixture) {
	before := snapshot(t, e)
	res, body := e.post(t, "/api/v1/violations", "application/x-ndjson", "a-ingest", pointsNDJSON("w-b", f.inB[:2]))
	wantProblem(t, res, body, 400)
	if !strings.Contains(fmt.Sprint(body["problems"]), f.a.ID) {
		t.Errorf("a write outside the key's area: %v, want problems naming %s", body["problems"], f.a.ID)
	}
	res, body = e.post(t, "/api/v1/violations?partial=true", "application/x-ndjson", "a-ingest", pointsNDJSON("w-b2", f.inB[:2]))
	wantProblem(t, res, body, 400)
	fixes := fmt.Sprintf(`{"officer":"zf-02","time":%q,"lon":%.7f,"lat":%.7f}`+"\n"+`{"officer":"zf-02","time":%q,"lon":%.7f,"lat":%.7f}`+"\n",
		time.Now().Add(-time.Hour).Format(time.RFC3339), f.inB[0][0], f.inB[0][1], time.Now().Add(-time.Hour+10*time.Second).Format(time.RFC3339), f.inB[1][0], f.inB[1][1])
	res, body = e.post(t, "/api/v1/tracks", "application/x-ndjson", "a-ingest", []byte(fixes))
	wantProblem(t, res, body, 400)
	form := fmt.Sprintf("service_code=dumping&lat=%.7f&long=%.7f", f.inB[0][1], f.inB[0][0])
	res, body = e.post(t, "/open311/v2/requests.json", "application/x-www-form-urlencoded", "a-ingest", []byte(form))
	if res.StatusCode < 400 || res.StatusCode >= 500 {
		t.Errorf("an Open311 report outside the key's area: %d %v", res.StatusCode, body)
	}
	road := fmt.Sprintf(`{"type":"Feature","id":"outside","properties":{"name":"外路"},"geometry":{"type":"LineString","coordinates":[[%.7f,%.7f],[%.7f,%.7f]]}}`,
		f.inB[0][0], f.inB[0][1], f.inB[1][0]+0.001, f.inB[1][1])
	req, _ := http.NewRequest("PUT", e.srv.URL+"/api/v1/roads/outside", strings.NewReader(road))
	req.Header.Set("Authorization", "Bearer "+e.keys["a-admin"])
	req.Header.Set("Content-Type", "application/geo+json")
	if res, body := e.doReq(t, req); res.StatusCode < 400 || res.StatusCode >= 500 {
		t.Errorf("a road outside the key's area: %d %v", res.StatusCode, body)
	}
	grid := fmt.Sprintf(`{"type":"Feature","id":"grid:c","properties":{"name":"c","parent":%q},"geometry":{"type":"Polygon","coordinates":%s}}`,
		f.a.ID, mustJSON(t, f.a.Boundary))
	req, _ = http.NewRequest("PUT", e.srv.URL+"/api/v1/areas/grid:c", strings.NewReader(grid))
	req.Header.Set("Authorization", "Bearer "+e.keys["a-admin"])
	req.Header.Set("Content-Type", "application/geo+json")
	if res, body := e.doReq(t, req); res.StatusCode != 403 {
		t.Errorf("a scoped admin defining an area: %d %v, want 403", res.StatusCode, body)
	}
	if after := snapshot(t, e); after != before {
		t.Fatalf("refused writes changed the store: %+v → %+v", before, after)
	}
	res, body = e.post(t, "/api/v1/violations", "application/x-ndjson", "a-ingest", pointsNDJSON("w-a", f.inA[:3]))
	if res.StatusCode != 200 || body["created"] != float64(3) {
		t.Fatalf("a write inside the key's area: %d %v", res.StatusCode, body)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
