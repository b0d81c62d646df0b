package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/api"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/seed"
	"github.com/dazhigu/hotspot/geo"
)

// newSeededEnv is a server over a store holding the shipped roads and
// taxonomy, checking writes against the shipped service area.
func newSeededEnv(t *testing.T, configure ...func(*api.Options)) *env {
	t.Helper()
	area, err := seed.Boundary()
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, append([]func(*api.Options){func(o *api.Options) { o.Area = area }}, configure...)...)
	if err := seed.Load(context.Background(), e.store); err != nil {
		t.Fatal(err)
	}
	return e
}

// post sends a body with a Content-Type and the role's key.
func (e *env) post(t *testing.T, path, contentType string, role data.Role, body []byte) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest("POST", e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.keys[role])
	}
	return e.doReq(t, req)
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile("../data/ingest/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// fixtureFeatures are the records of the violation fixtures as GeoJSON
// features would show them, in the fixtures' own coordinates.
var fixtureFeatures = []struct {
	point orb.Point
	props map[string]any
}{
	{orb.Point{117.22712, 39.11471}, map[string]any{"source": "patrol", "source_id": "fx-1", "category": "street-vending",
		"observed_at": "2026-05-12T07:45:10+08:00", "merchant_id": "m-0042", "severity": "minor", "disposition": "warned",
		"attributes": map[string]any{"officer": "zf-07", "photos": float64(2)}}},
	{orb.Point{117.2301, 39.1133}, map[string]any{"source": "hotline", "source_id": "12345001", "category": "dumping",
		"observed_at": "2026-05-12T22:10:00.5+08:00", "attributes": map[string]any{"工单来源": "12345"}}},
	{orb.Point{117.2262, 39.1158}, map[string]any{"source": "camera", "source_id": "cam-9-001", "category": "outside-shop",
		"observed_at": "2026-05-13T18:00:00+08:00"}},
}

// TestViolationsRoundTrip posts each fixture in each datum and reads every
// record back, in that datum, with the same values.
func TestViolationsRoundTrip(t *testing.T) {
	for _, fx := range []struct{ file, contentType string }{
		{"violations.geojson", "application/geo+json"},
		{"violations.ndjson", "application/x-ndjson"},
		{"violations.csv", "text/csv; charset=utf-8"},
	} {
		for _, crs := range []string{geo.WGS84, geo.GCJ02, geo.BD09} {
			t.Run(fx.file+"/"+crs, func(t *testing.T) {
				e := newSeededEnv(t)
				res, reply := e.post(t, "/api/v1/violations?crs="+crs, fx.contentType, data.RoleIngest, fixture(t, fx.file))
				if res.StatusCode != 200 || reply["stored"] != float64(3) || reply["created"] != float64(3) {
					t.Fatalf("status %d reply %v", res.StatusCode, reply)
				}
				for i, r := range reply["records"].([]any) {
					rec := r.(map[string]any)
					id := fmt.Sprint(rec["id"])
					res, f := e.do(t, "GET", "/api/v1/violations/"+id+"?crs="+crs, data.RoleViewer, nil)
					if res.StatusCode != 200 {
						t.Fatalf("GET %s: %d", id, res.StatusCode)
					}
					want := fixtureFeatures[i]
					got := point(t, f)
					if d := math.Max(math.Abs(got[0]-want.point[0]), math.Abs(got[1]-want.point[1])); d > 1e-8 {
						t.Errorf("record %d: point %v, want %v (in %s)", i+1, got, want.point, crs)
					}
					props := f["properties"].(map[string]any)
					for k, w := range want.props {
						if fmt.Sprint(props[k]) != fmt.Sprint(w) {
							t.Errorf("record %d: %s = %v, want %v", i+1, k, props[k], w)
						}
					}
					if props["received_crs"] != crs || props["crs"] != crs || props["h3"] != rec["h3"] {
						t.Errorf("record %d: crs %v received_crs %v h3 %v", i+1, props["crs"], props["received_crs"], props["h3"])
					}
					// Stored in WGS-84: the same record read without crs is the conversion.
					_, f84 := e.do(t, "GET", "/api/v1/violations/"+id, data.RoleViewer, nil)
					w84 := geo.ToWGS84(want.point, crs)
					if g := point(t, f84); math.Abs(g[0]-w84[0]) > 1e-8 || math.Abs(g[1]-w84[1]) > 1e-8 {
						t.Errorf("record %d: WGS-84 point %v, want %v", i+1, g, w84)
					}
				}
			})
		}
	}
}

func point(t *testing.T, f map[string]any) orb.Point {
	t.Helper()
	c := f["geometry"].(map[string]any)["coordinates"].([]any)
	return orb.Point{c[0].(float64), c[1].(float64)}
}

// TestViolationsResend posts a batch twice: the second answer names the same
// ids and nothing new is stored.
func TestViolationsResend(t *testing.T) {
	e := newSeededEnv(t)
	body := fixture(t, "violations.ndjson")
	_, first := e.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, body)
	res, second := e.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, body)
	if res.StatusCode != 200 || second["created"] != float64(0) || second["stored"] != float64(3) {
		t.Fatalf("second send: %d %v", res.StatusCode, second)
	}
	for i := range 3 {
		a := first["records"].([]any)[i].(map[string]any)
		b := second["records"].([]any)[i].(map[string]any)
		if a["id"] != b["id"] || a["h3"] != b["h3"] || b["created"] != false {
			t.Errorf("record %d: first %v, second %v", i+1, a, b)
		}
	}
	if n := countViolations(t, e); n != 3 {
		t.Fatalf("store holds %d violations, want 3", n)
	}
}

func countViolations(t *testing.T, e *env) int {
	t.Helper()
	vs, err := e.store.Violations(context.Background(), data.ViolationFilter{Limit: data.MaxPage})
	if err != nil {
		t.Fatal(err)
	}
	return len(vs)
}

// TestViolationsPartial stores the valid records of a batch with one bad one
// only when asked to.
func TestViolationsPartial(t *testing.T) {
	e := newSeededEnv(t)
	lines := strings.Split(strings.TrimSpace(string(fixture(t, "violations.ndjson"))), "\n")
	lines[2] = strings.Replace(lines[2], `"dumping"`, `"parking"`, 1) // record 2 (line 2 is blank)
	body := []byte(strings.Join(lines, "\n"))
	res, p := e.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, body)
	wantProblem(t, res, p, 400)
	if n := countViolations(t, e); n != 0 {
		t.Fatalf("a rejected batch stored %d violations", n)
	}
	res, reply := e.post(t, "/api/v1/violations?partial=true", "application/x-ndjson", data.RoleIngest, body)
	if res.StatusCode != 200 || reply["stored"] != float64(2) || reply["rejected"] != float64(1) {
		t.Fatalf("partial: %d %v", res.StatusCode, reply)
	}
	prob := reply["problems"].([]any)[0].(map[string]any)
	if prob["record"] != float64(2) || prob["field"] != "category" {
		t.Fatalf("problem %v, want record 2 category", prob)
	}
}

// TestTracksSameWalk posts one walk as GPX and as GeoJSON: the dwell per
// cell and hour is the same.
func TestTracksSameWalk(t *testing.T) {
	dwell := map[string]map[string]float64{}
	for _, fx := range []struct{ file, contentType string }{
		{"walk.gpx", "application/gpx+xml"},
		{"walk.geojson", "application/geo+json"},
		{"walk_m.geojson", "application/geo+json"},
		{"walk.ndjson", "application/x-ndjson"},
	} {
		e := newSeededEnv(t)
		res, reply := e.post(t, "/api/v1/tracks?officer=zf-07", fx.contentType, data.RoleIngest, fixture(t, fx.file))
		if res.StatusCode != 200 || reply["stored"] != float64(1) {
			t.Fatalf("%s: %d %v", fx.file, res.StatusCode, reply)
		}
		rec := reply["records"].([]any)[0].(map[string]any)
		if rec["presence_s"].(float64) <= 0 || rec["cells"].(float64) < 2 {
			t.Fatalf("%s: summary %v", fx.file, rec)
		}
		tr, err := e.store.Track(context.Background(), int64(rec["id"].(float64)))
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]float64{}
		for _, d := range tr.Dwell {
			m[d.Cell.String()+"@"+d.Hour.String()] += d.Seconds
		}
		dwell[fx.file] = m
	}
	want := dwell["walk.gpx"]
	for file, got := range dwell {
		if len(got) != len(want) {
			t.Fatalf("%s: %d cell-hours, GPX %d", file, len(got), len(want))
		}
		for k, w := range want {
			if math.Abs(got[k]-w) > 1e-6 {
				t.Errorf("%s: %s has %.3f s, GPX %.3f s", file, k, got[k], w)
			}
		}
	}
}

func TestOpen311(t *testing.T) {
	e := newSeededEnv(t)
	res, err := http.Get(e.srv.URL + "/open311/v2/services.json?api_key=" + e.keys[data.RoleViewer])
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(raw), `"service_code":"dumping"`) {
		t.Fatalf("services.json: %d %s", res.StatusCode, raw)
	}
	form := "api_key=" + e.keys[data.RoleIngest] + "&service_code=dumping&lat=39.1133&long=117.2301&description=" +
		"%E5%BB%BA%E7%AD%91%E5%9E%83%E5%9C%BE&email=someone%40example.com"
	res, err = http.Post(e.srv.URL+"/open311/v2/requests.json", "application/x-www-form-urlencoded", strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 201 || !strings.Contains(string(raw), `"service_request_id"`) {
		t.Fatalf("POST requests.json: %d %s", res.StatusCode, raw)
	}
	vs, _ := e.store.Violations(context.Background(), data.ViolationFilter{})
	if len(vs) != 1 || vs[0].Source != data.SourceCitizen || vs[0].Category != "dumping" || strings.Contains(string(vs[0].Attributes), "example.com") {
		t.Fatalf("stored %+v; want one citizen report without the email", vs)
	}
	res, err = http.Get(fmt.Sprintf("%s/open311/v2/requests.json?api_key=%s&service_request_id=%d", e.srv.URL, e.keys[data.RoleViewer], vs[0].ID))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(raw), `"description":"建筑垃圾"`) || !strings.Contains(string(raw), `"status":"open"`) {
		t.Fatalf("GET requests.json: %d %s", res.StatusCode, raw)
	}
	for _, bad := range []string{"service_code=dumping&lat=39.1133", "service_code=parking&lat=39.1133&long=117.2301", "service_code=dumping&lat=39.9&long=116.4"} {
		req, _ := http.NewRequest("POST", e.srv.URL+"/open311/v2/requests.json", strings.NewReader(bad))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+e.keys[data.RoleIngest])
		res, body := e.doReq(t, req)
		wantProblem(t, res, body, 400)
	}
	if n := countViolations(t, e); n != 1 {
		t.Fatalf("bad reports stored: %d violations", n)
	}
}

// TestResendChanged re-sends a record with other values: the stored record
// stands, and the answer says so and describes the stored one.
func TestResendChanged(t *testing.T) {
	e := newSeededEnv(t)
	first := `{"source":"hotline","source_id":"wo-1","category":"dumping","observed_at":"2026-05-12T22:10:00+08:00","lon":117.2301,"lat":39.1133}`
	changed := strings.Replace(strings.Replace(first, "117.2301", "117.2262", 1), `"dumping"`, `"street-vending","disposition":"fined"`, 1)
	_, a := e.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, []byte(first))
	_, b := e.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, []byte(changed))
	ra, rb := a["records"].([]any)[0].(map[string]any), b["records"].([]any)[0].(map[string]any)
	if rb["kept"] == nil || rb["h3"] != ra["h3"] || rb["id"] != ra["id"] || rb["created"] != false {
		t.Fatalf("first %v, changed re-send %v: want the stored record described and kept", ra, rb)
	}
	_, again := e.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, []byte(first))
	if r := again["records"].([]any)[0].(map[string]any); r["kept"] != nil {
		t.Fatalf("an identical re-send is reported as differing: %v", r)
	}
	vs, _ := e.store.Violations(context.Background(), data.ViolationFilter{})
	if len(vs) != 1 || vs[0].Category != "dumping" || vs[0].Disposition != "" {
		t.Fatalf("stored %+v", vs)
	}
}

// TestPostBackRead posts a feature read in GCJ-02 back: without ?crs its
// own crs member disagrees and it is refused; with ?crs=gcj02 it lands
// where it was.
func TestPostBackRead(t *testing.T) {
	e := newSeededEnv(t)
	_, reply := e.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, fixture(t, "violations.ndjson"))
	id := fmt.Sprint(reply["records"].([]any)[0].(map[string]any)["id"])
	res, err := http.NewRequest("GET", e.srv.URL+"/api/v1/violations/"+id+"?crs=gcj02", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Header.Set("Authorization", "Bearer "+e.keys[data.RoleViewer])
	resp, err := http.DefaultClient.Do(res)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	body := bytes.Replace(raw, []byte(`"source_id":"fx-1"`), []byte(`"source_id":"fx-1-copy"`), 1)
	r, p := e.post(t, "/api/v1/violations", "application/geo+json", data.RoleIngest, body)
	wantProblem(t, r, p, 400)
	r, p = e.post(t, "/api/v1/violations?crs=gcj02", "application/geo+json", data.RoleIngest, body)
	if r.StatusCode != 200 {
		t.Fatalf("%d %v", r.StatusCode, p)
	}
	copyID := fmt.Sprint(p["records"].([]any)[0].(map[string]any)["id"])
	_, orig := e.do(t, "GET", "/api/v1/violations/"+id, data.RoleViewer, nil)
	_, cp := e.do(t, "GET", "/api/v1/violations/"+copyID, data.RoleViewer, nil)
	if a, b := point(t, orig), point(t, cp); math.Abs(a[0]-b[0]) > 1e-8 || math.Abs(a[1]-b[1]) > 1e-8 {
		t.Fatalf("posted back at %v, read at %v", b, a)
	}
}

// TestCSVCharset posts a GBK export: the Chinese header and cells are read.
func TestCSVCharset(t *testing.T) {
	e := newSeededEnv(t)
	// "source,source_id,category,observed_at,经度,纬度,工单来源" and a row with "市民热线" in GBK.
	gbk := []byte("source,source_id,category,observed_at,\xbe\xad\xb6\xc8,\xce\xb3\xb6\xc8,\xb9\xa4\xb5\xa5\xc0\xb4\xd4\xb4\n" +
		"hotline,g-1,dumping,2026-05-12T22:10:00+08:00,117.2301,39.1133,\xca\xd0\xc3\xf1\xc8\xc8\xcf\xdf\n")
	res, reply := e.post(t, "/api/v1/violations", "text/csv; charset=GBK", data.RoleIngest, gbk)
	if res.StatusCode != 200 {
		t.Fatalf("%d %v", res.StatusCode, reply)
	}
	vs, _ := e.store.Violations(context.Background(), data.ViolationFilter{})
	if len(vs) != 1 || string(vs[0].Attributes) != `{"工单来源":"市民热线"}` {
		t.Fatalf("stored %+v", vs)
	}
	res, p := e.post(t, "/api/v1/violations", "text/csv; charset=x-klingon", data.RoleIngest, gbk)
	wantProblem(t, res, p, 415)
}
