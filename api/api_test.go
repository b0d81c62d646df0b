package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/api"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/sqlite"
)

// env is a running server over a fresh embedded store, with one key per role.
type env struct {
	dbPath string
	srv    *httptest.Server
	store  data.Store
	keys   map[data.Role]string
	ready  error
}

func newEnv(t *testing.T, configure ...func(*api.Options)) *env {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "api.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return newEnvOn(t, s, path, configure...)
}

// newEnvOn is newEnv on a given store, with a key of each role.
func newEnvOn(t *testing.T, s data.Store, path string, configure ...func(*api.Options)) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{dbPath: path, store: s, keys: map[data.Role]string{}}
	for _, r := range data.Roles {
		tok, hash := data.NewToken()
		if _, err := s.CreateKey(ctx, data.Key{Name: string(r) + "-test", Role: r, Hash: hash}, data.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		e.keys[r] = tok
	}
	opts := api.Options{Store: s, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Ready: func() error { return e.ready }}
	for _, c := range configure {
		c(&opts)
	}
	h := api.New(opts)
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	return e
}

// do sends a request with the role's key ("" for none) and decodes the JSON body.
func (e *env) do(t *testing.T, method, path string, role data.Role, body io.Reader) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.keys[role])
	}
	return e.doReq(t, req)
}

// doReq sends a prepared request and decodes a JSON body.
func (e *env) doReq(t *testing.T, req *http.Request) (*http.Response, map[string]any) {
	t.Helper()
	method, path := req.Method, req.URL.Path
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	raw, _ := io.ReadAll(res.Body)
	if len(raw) > 0 && strings.Contains(res.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s %s: body is not JSON: %v\n%s", method, path, err, raw)
		}
	}
	return res, m
}

// wantProblem checks status, media type and the RFC 9457 members.
func wantProblem(t *testing.T, res *http.Response, body map[string]any, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("status = %d, want %d (body %v)", res.StatusCode, status, body)
	}
	if got := res.Header.Get("Content-Type"); got != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json", got)
	}
	if body["status"] != float64(status) || body["title"] == "" || body["detail"] == "" {
		t.Fatalf("problem body = %v, want status %d with title and detail", body, status)
	}
}

func TestAccess(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name   string
		method string
		path   string
		role   data.Role
		badKey bool
		want   int
	}{
		{"health is open", "GET", "/healthz", "", false, 200},
		{"ready is open", "GET", "/readyz", "", false, 200},
		{"metrics are open", "GET", "/metrics", "", false, 200},
		{"no key", "GET", "/api/v1/roads", "", false, 401},
		{"unknown key", "GET", "/api/v1/roads", "", true, 401},
		{"viewer reads roads", "GET", "/api/v1/roads", data.RoleViewer, false, 200},
		{"ingest may read", "GET", "/api/v1/violations", data.RoleIngest, false, 200},
		{"scheduler reads", "GET", "/api/v1/categories", data.RoleScheduler, false, 200},
		{"ingest on admin route", "PUT", "/api/v1/roads/x", data.RoleIngest, false, 403},
		{"viewer on admin route", "PUT", "/api/v1/roads/x", data.RoleViewer, false, 403},
		{"unknown path", "GET", "/api/v1/nothing", data.RoleViewer, false, 404},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, e.srv.URL+c.path, nil)
			if c.role != "" {
				req.Header.Set("Authorization", "Bearer "+e.keys[c.role])
			}
			if c.badKey {
				req.Header.Set("Authorization", "Bearer hs_notakey")
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var body map[string]any
			json.NewDecoder(res.Body).Decode(&body)
			res.Body.Close()
			if res.StatusCode >= 400 {
				wantProblem(t, res, body, c.want)
				return
			}
			if res.StatusCode != c.want {
				t.Fatalf("status = %d, want %d", res.StatusCode, c.want)
			}
		})
	}
	t.Run("401 names the scheme", func(t *testing.T) {
		res, _ := e.do(t, "GET", "/api/v1/roads", "", nil)
		if got := res.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
			t.Fatalf("WWW-Authenticate = %q, want Bearer", got)
		}
	})
	t.Run("revoked key", func(t *testing.T) {
		ks, _ := e.store.Keys(context.Background())
		for _, k := range ks {
			if k.Role == data.RoleScheduler {
				e.store.RevokeKey(context.Background(), k.ID, data.AuditEntry{})
			}
		}
		res, body := e.do(t, "GET", "/api/v1/roads", data.RoleScheduler, nil)
		wantProblem(t, res, body, 401)
	})
}

func TestReadyz(t *testing.T) {
	e := newEnv(t)
	e.ready = data.Errorf(data.EUNAVAILABLE, "demo data still loading")
	res, body := e.do(t, "GET", "/readyz", "", nil)
	wantProblem(t, res, body, 503)
	if !strings.Contains(body["detail"].(string), "demo data still loading") {
		t.Fatalf("detail = %q, want the reason", body["detail"])
	}
}

func TestMetricsCountRequests(t *testing.T) {
	e := newEnv(t)
	e.do(t, "GET", "/api/v1/roads", "", nil)
	req, _ := http.NewRequest("GET", e.srv.URL+"/metrics", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	want := `hotspot_http_requests_total{code="401",method="GET",route="/api/v1/roads"} 1`
	if !strings.Contains(string(b), want) {
		t.Fatalf("metrics lack %s\n%s", want, b)
	}
}

// putViolations stores n violations on one point an hour apart.
func putViolations(t *testing.T, s data.Store, n int, category string) []data.Outcome {
	t.Helper()
	vs := make([]data.Violation, n)
	start := time.Date(2026, 3, 1, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for i := range vs {
		p := orb.Point{117.2250 + float64(i)*1e-4, 39.1200}
		vs[i] = data.Violation{Source: data.SourcePatrol, SourceID: category + "-" + strconv.Itoa(i),
			Category: category, ObservedAt: start.Add(time.Duration(i) * time.Hour), Point: p, Datum: "wgs84",
			Cell: h3.LatLngToCell(h3.NewLatLng(p[1], p[0]), data.CellResolution), Segment: -1}
	}
	out, err := s.PutViolations(context.Background(), vs)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestViolationPaging(t *testing.T) {
	e := newEnv(t)
	putViolations(t, e.store, 25, "street-vending")
	seen := map[float64]bool{}
	path := "/api/v1/violations?limit=10"
	for pages := 0; path != ""; pages++ {
		if pages > 3 {
			t.Fatal("paging does not end")
		}
		res, body := e.do(t, "GET", path, data.RoleViewer, nil)
		if res.StatusCode != 200 {
			t.Fatalf("status %d: %v", res.StatusCode, body)
		}
		for _, f := range body["features"].([]any) {
			id := f.(map[string]any)["id"].(float64)
			if seen[id] {
				t.Fatalf("id %v on two pages", id)
			}
			seen[id] = true
		}
		path = ""
		for _, l := range body["links"].([]any) {
			if l.(map[string]any)["rel"] == "next" {
				path = l.(map[string]any)["href"].(string)
			}
		}
	}
	if got, want := len(seen), 25; got != want {
		t.Fatalf("saw %d violations over all pages, want %d", got, want)
	}
}

func TestViolationFiltersAndFeature(t *testing.T) {
	e := newSeededEnv(t) // the taxonomy, which category= is checked against
	out := putViolations(t, e.store, 5, "dumping")
	putViolations(t, e.store, 3, "barbecue")
	cases := []struct {
		query string
		want  int
	}{
		{"category=dumping", 5},
		{"category=dumping,barbecue", 8},
		{"source=hotline", 0},
		{"datetime=2026-03-01T09:00:00%2B08:00/..", 6}, // 2 per category before 09:00
		{"datetime=../2026-03-01T09:00:00%2B08:00", 2}, // half-open: 09:00 excluded
		{"datetime=2026-03-01T08:00:00%2B08:00", 2},    // an instant
		{"bbox=117.2249,39.11,117.22505,39.13", 2},     // the first point of each batch
		{"road=houtai-xilu", 0},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			res, body := e.do(t, "GET", "/api/v1/violations?"+c.query, data.RoleViewer, nil)
			if res.StatusCode != 200 {
				t.Fatalf("status %d: %v", res.StatusCode, body)
			}
			if got := len(body["features"].([]any)); got != c.want {
				t.Fatalf("got %d features, want %d", got, c.want)
			}
		})
	}
	t.Run("one feature", func(t *testing.T) {
		res, f := e.do(t, "GET", "/api/v1/violations/"+itoa(out[0].ID), data.RoleViewer, nil)
		if res.StatusCode != 200 {
			t.Fatalf("status %d", res.StatusCode)
		}
		p := f["properties"].(map[string]any)
		for k, want := range map[string]any{"source": "patrol", "category": "dumping",
			"observed_at": "2026-03-01T08:00:00+08:00", "crs": "wgs84", "road": nil} {
			if p[k] != want {
				t.Errorf("%s = %v, want %v", k, p[k], want)
			}
		}
		if h, _ := p["h3"].(string); len(h) != 15 {
			t.Errorf("h3 = %v, want a 15-digit index", p["h3"])
		}
	})
}

func TestBadQueries(t *testing.T) {
	e := newEnv(t)
	for _, q := range []string{
		"bbox=1,2,3", "bbox=3,2,1,4", "bbox=a,b,c,d", "bbox=NaN,1,2,3",
		"datetime=yesterday", "datetime=2026-03-01T08:00:00", "datetime=2026-03-02T00:00:00Z/2026-03-01T00:00:00Z",
		"limit=0", "limit=10001", "limit=ten", "cursor=zzz", "source=radio", "catgory=dumping",
	} {
		t.Run(q, func(t *testing.T) {
			res, body := e.do(t, "GET", "/api/v1/violations?"+q, data.RoleViewer, nil)
			wantProblem(t, res, body, 400)
		})
	}
	for _, p := range []string{"/api/v1/violations/0", "/api/v1/violations/abc", "/api/v1/violations/999"} {
		t.Run(p, func(t *testing.T) {
			res, body := e.do(t, "GET", p, data.RoleViewer, nil)
			wantProblem(t, res, body, 404)
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestGzip(t *testing.T) {
	e := newEnv(t)
	putViolations(t, e.store, 50, "dumping")
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/violations?limit=50", nil)
	req.Header.Set("Authorization", "Bearer "+e.keys[data.RoleViewer])
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get("Content-Encoding"); got != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip for a large page", got)
	}
}
