package api_test

import (
	"context"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

const surveyedRoad = `{"type":"Feature","id":"test-jie",
 "properties":{"name":"测试街","pinyin":"Ceshi Jie","buffer_m":15,
  "pilots":[{"kind":"line-marking","start":"2026-05-11T00:00:00+08:00"}]},
 "geometry":{"type":"LineString","coordinates":[[117.220,39.120],[117.2235,39.120]]}}`

func (e *env) put(t *testing.T, path, contentType, body string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("PUT", e.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+e.keys[data.RoleAdmin])
	req.Header.Set("Content-Type", contentType)
	return e.doReq(t, req)
}

func TestPutRoad(t *testing.T) {
	e := newEnv(t)
	res, f := e.put(t, "/api/v1/roads/test-jie", "application/geo+json", surveyedRoad)
	if res.StatusCode != 200 {
		t.Fatalf("PUT status %d: %v", res.StatusCode, f)
	}
	r, err := e.store.Road(context.Background(), "test-jie")
	if err != nil {
		t.Fatal(err)
	}
	// 0.0035° of longitude at 39.12 N ≈ 302 m: three 100 m segments.
	if r.Name != "测试街" || len(r.Segments) != 3 || !r.Key || len(r.Pilots) != 1 || r.BufferMeters != 15 {
		t.Fatalf("stored road %q with %d segments, key %v, %d pilots, buffer %v; want 测试街, 3, true, 1, 15",
			r.Name, len(r.Segments), r.Key, len(r.Pilots), r.BufferMeters)
	}
	shorter := strings.Replace(surveyedRoad, "117.2235", "117.2215", 1)
	if res, _ := e.put(t, "/api/v1/roads/test-jie", "application/json", shorter); res.StatusCode != 200 {
		t.Fatalf("second PUT status %d", res.StatusCode)
	}
	r, _ = e.store.Road(context.Background(), "test-jie")
	if len(r.Segments) != 1 { // ≈130 m: one segment, the old ones replaced
		t.Fatalf("after replacing: %d segments, want 1", len(r.Segments))
	}

	bad := []struct {
		name, path, ctype, body string
		status                  int
	}{
		{"not JSON", "/api/v1/roads/test-jie", "application/json", "{", 400},
		{"a point is no road", "/api/v1/roads/test-jie", "application/json",
			strings.Replace(strings.Replace(surveyedRoad, `"LineString"`, `"Point"`, 1), `[[117.220,39.120],[117.2235,39.120]]`, `[117.22,39.12]`, 1), 400},
		{"id differs from path", "/api/v1/roads/other-jie", "application/json", surveyedRoad, 400},
		{"no name", "/api/v1/roads/test-jie", "application/json", strings.Replace(surveyedRoad, `"测试街"`, `""`, 1), 400},
		{"latitude out of range", "/api/v1/roads/test-jie", "application/json", strings.Replace(surveyedRoad, "39.120]]", "99.120]]", 1), 400},
		{"wrong media type", "/api/v1/roads/test-jie", "text/csv", surveyedRoad, 415},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			res, body := e.put(t, c.path, c.ctype, c.body)
			wantProblem(t, res, body, c.status)
			after, _ := e.store.Road(context.Background(), "test-jie")
			if len(after.Segments) != 1 || after.Name != "测试街" {
				t.Fatalf("a refused PUT changed the road: %q with %d segments", after.Name, len(after.Segments))
			}
		})
	}
}

// TestRoadsInADatum: crs= draws the roads and their segments in that datum.
func TestRoadsInADatum(t *testing.T) {
	e := newSeededEnv(t)
	_, wgs := e.do(t, "GET", "/api/v1/roads/jintang-lu", data.RoleViewer, nil)
	_, gcj := e.do(t, "GET", "/api/v1/roads/jintang-lu?crs=gcj02", data.RoleViewer, nil)
	first := func(f map[string]any) orb.Point {
		c := f["geometry"].(map[string]any)["coordinates"].([]any)[0].([]any)
		return orb.Point{c[0].(float64), c[1].(float64)}
	}
	want := geo.FromWGS84(first(wgs), geo.GCJ02)
	if got := first(gcj); math.Abs(got[0]-want[0]) > 1e-9 || math.Abs(got[1]-want[1]) > 1e-9 || gcj["properties"].(map[string]any)["crs"] != "gcj02" {
		t.Errorf("crs=gcj02: first vertex %v, want %v", got, want)
	}
	seg := gcj["properties"].(map[string]any)["segments"].([]any)[0].(map[string]any)
	if got := first(seg); math.Abs(got[0]-want[0]) > 1e-9 {
		t.Errorf("crs=gcj02: the first segment starts at %v, want %v", got, want)
	}
	res, body := e.do(t, "GET", "/api/v1/roads?crs=utm", data.RoleViewer, nil)
	wantProblem(t, res, body, 400)
}

// TestRoadIDRankingIsReserved: GET /api/v1/roads/ranking is the ranking, so
// a road of that id could never be read back.
func TestRoadIDRankingIsReserved(t *testing.T) {
	e := newEnv(t)
	res, body := e.put(t, "/api/v1/roads/ranking", "application/geo+json", strings.Replace(surveyedRoad, `"test-jie"`, `"ranking"`, 1))
	wantProblem(t, res, body, 400)
}

// TestAuditLog: a road replaced is in the audit log with the key that did
// it, which admins read and others may not.
func TestAuditLog(t *testing.T) {
	e := newEnv(t)
	if res, body := e.put(t, "/api/v1/roads/test-jie", "application/geo+json", surveyedRoad); res.StatusCode != 200 {
		t.Fatalf("PUT road = %d %v", res.StatusCode, body)
	}
	res, body := e.do(t, "GET", "/api/v1/audit", data.RoleAdmin, nil)
	es, _ := body["entries"].([]any)
	if res.StatusCode != 200 || len(es) != 1 {
		t.Fatalf("audit = %d %v", res.StatusCode, body)
	}
	got := es[0].(map[string]any)
	if got["action"] != "road.put" || got["target"] != "test-jie" || got["actor"] != "key:admin-test" || got["at"] == "" {
		t.Errorf("audit entry %v", got)
	}
	res, body = e.do(t, "GET", "/api/v1/audit", data.RoleScheduler, nil)
	wantProblem(t, res, body, 403)
}
