package api_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/api"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/seed"
)

// TestHygiene is issue 11's list of small refusals, each as a user meets it.
func TestHygiene(t *testing.T) {
	e := newSeededEnv(t)
	line := `{"source":"patrol","source_id":"hy-%s","category":"street-vending","observed_at":"2026-05-11T08:30:00+08:00","lon":117.2232,"lat":39.1175,"attributes":{"note":"门口"}}`
	post := func(t *testing.T, body []byte, header map[string]string) (*http.Response, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/violations", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/x-ndjson")
		req.Header.Set("Authorization", "Bearer "+e.keys[data.RoleIngest])
		for k, v := range header {
			req.Header.Set(k, v)
		}
		return e.doReq(t, req)
	}

	t.Run("the Bearer scheme is case-insensitive", func(t *testing.T) {
		for _, scheme := range []string{"bearer", "BEARER", "Bearer"} {
			req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/roads", nil)
			req.Header.Set("Authorization", scheme+" "+e.keys[data.RoleViewer])
			if res, _ := e.doReq(t, req); res.StatusCode != 200 {
				t.Errorf("Authorization: %s … = %d", scheme, res.StatusCode)
			}
		}
	})
	t.Run("gzip bodies are read", func(t *testing.T) {
		var z bytes.Buffer
		w := gzip.NewWriter(&z)
		w.Write([]byte(strings.Replace(line, "%s", "gz", 1)))
		w.Close()
		res, body := post(t, z.Bytes(), map[string]string{"Content-Encoding": "gzip"})
		if res.StatusCode != 200 || body["created"] != float64(1) {
			t.Errorf("a gzip body = %d %v", res.StatusCode, body)
		}
		res, body = post(t, []byte("not gzip"), map[string]string{"Content-Encoding": "gzip"})
		wantProblem(t, res, body, 400)
		res, body = post(t, []byte(line), map[string]string{"Content-Encoding": "br"})
		wantProblem(t, res, body, 415)
	})
	t.Run("a gzip bomb is refused", func(t *testing.T) {
		var z bytes.Buffer
		w := gzip.NewWriter(&z)
		w.Write(bytes.Repeat([]byte("\n"), 40<<20)) // 40 MiB of blank lines, over the 32 MiB limit
		w.Close()
		res, body := post(t, z.Bytes(), map[string]string{"Content-Encoding": "gzip"})
		if res.StatusCode != 413 {
			t.Errorf("40 MiB inflated = %d %v, want 413", res.StatusCode, body)
		}
	})
	t.Run("a charset label the bytes contradict is refused", func(t *testing.T) {
		res, body := post(t, []byte(strings.Replace(line, "%s", "gbk", 1)), map[string]string{"Content-Type": "application/x-ndjson; charset=GBK"})
		wantProblem(t, res, body, 400)
		if !strings.Contains(body["detail"].(string), "UTF-8") {
			t.Errorf("detail %q", body["detail"])
		}
	})
	t.Run("unknown parameters and categories are refused", func(t *testing.T) {
		res, body := e.do(t, "GET", "/api/v1/categories?colour=red", data.RoleViewer, nil)
		wantProblem(t, res, body, 400)
		res, body = e.do(t, "GET", "/api/v1/violations?category=nope", data.RoleViewer, nil)
		wantProblem(t, res, body, 400)
	})
	t.Run("times and numbers out of range say so", func(t *testing.T) {
		res, body := post(t, []byte(strings.Replace(strings.Replace(line, "%s", "old", 1), "2026-05-11T08:30:00+08:00", "0001-01-01T00:00:00Z", 1)), nil)
		wantProblem(t, res, body, 400)
		if ps := fmt.Sprint(body["problems"]); !strings.Contains(ps, "before 2000") || strings.Contains(ps, "is required") {
			t.Errorf("observed_at 0001-01-01: %s", ps)
		}
		form := url.Values{"service_code": {"street-vending"}, "lat": {"1e400"}, "long": {"117.22"}, "api_key": {e.keys[data.RoleIngest]}}
		res, body = e.post(t, "/open311/v2/requests.json", "application/x-www-form-urlencoded", "", []byte(form.Encode()))
		wantProblem(t, res, body, 400)
		if ps := fmt.Sprint(body["problems"]); !strings.Contains(ps, "finite number") {
			t.Errorf("lat=1e400: %s", ps)
		}
		form.Set("lat", "39.1175")
		res, body = e.post(t, "/open311/v2/requests.json", "application/x-www-form-urlencoded", "",
			[]byte(form.Encode()+"&description=%C3%28bad"))
		wantProblem(t, res, body, 400)
		if ps := fmt.Sprint(body["problems"]); !strings.Contains(ps, "UTF-8") {
			t.Errorf("invalid UTF-8 in an Open311 form: %s", ps)
		}
		res, body = e.do(t, "GET", "/open311/v2/requests.json?start_date=2026-05-02T00:00:00Z&end_date=2026-05-01T00:00:00Z", data.RoleViewer, nil)
		wantProblem(t, res, body, 400)
	})
	t.Run("the console's folder is no file", func(t *testing.T) {
		res, body := e.do(t, "GET", "/console/", "", nil)
		wantProblem(t, res, body, 404)
	})
}

// TestRoadsAreBounded: a road is a street of the service area, of a
// length a street office has, and its errors name the field, not Go's types.
func TestRoadsAreBounded(t *testing.T) {
	area, _ := seed.Boundary()
	e := newSeededEnv(t, func(o *api.Options) { o.Area = area })
	road := func(props, coords string) string {
		return `{"type":"Feature","id":"test-jie","properties":{"name":"测试街"` + props + `},"geometry":{"type":"LineString","coordinates":` + coords + `}}`
	}
	cases := []struct{ name, body, field, says string }{
		{"3,000 km long", road("", "[[117.22,39.12],[140.0,39.12]]"), "geometry", "km long"},
		{"in Beijing", road("", "[[116.40,39.90],[116.401,39.90]]"), "geometry", "outside the service area"},
		{"zero length", road("", "[[117.22,39.12],[117.22,39.12]]"), "geometry", "m long"},
		{"buffer as a string", road(`,"buffer_m":"wide"`, "[[117.220,39.120],[117.2235,39.120]]"), "buffer_m", "must be a number"},
	}
	for _, c := range cases {
		start := time.Now()
		res, body := e.put(t, "/api/v1/roads/test-jie", "application/geo+json", c.body)
		wantProblem(t, res, body, 400)
		ps := fmt.Sprint(body["problems"]) + fmt.Sprint(body["detail"])
		if !strings.Contains(ps, c.field) || !strings.Contains(ps, c.says) || strings.Contains(ps, "Go struct") || strings.Contains(ps, "json:") {
			t.Errorf("%s: %s", c.name, ps)
		}
		if time.Since(start) > 2*time.Second {
			t.Errorf("%s took %s to refuse", c.name, time.Since(start))
		}
	}
	res, body := e.put(t, "/api/v1/roads/test-jie", "application/geo+json", `{"type":"Feature","geometry":{"type":"LineString","coordinates":"x"}}`)
	wantProblem(t, res, body, 400)
	if d := body["detail"].(string); strings.Contains(d, "nocopy") || strings.Contains(d, "map[") {
		t.Errorf("a broken feature: %q", d)
	}
}
