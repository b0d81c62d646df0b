package api_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/api"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/seed"
)

// syncBuffer is a log sink the server may write to from many goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestHeadOnEveryGet sends HEAD to every GET route of the real route table:
// each answers like its GET (same status and media type) with no body.
func TestHeadOnEveryGet(t *testing.T) {
	e := newEnv(t)
	h := api.New(api.Options{Store: e.store, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	var gets, heads []string
	for _, r := range h.(*echo.Echo).Routes() {
		switch r.Method {
		case http.MethodGet:
			gets = append(gets, r.Path)
		case http.MethodHead:
			heads = append(heads, r.Path)
		}
	}
	if len(gets) < 20 {
		t.Fatalf("only %d GET routes found: %v", len(gets), gets)
	}
	for _, p := range gets {
		if !contains(heads, p) {
			t.Errorf("GET %s has no HEAD route", p)
		}
	}
	for _, path := range []string{"/healthz", "/api/v1/roads", "/api/v1/violations", "/api/v1/heatmap", "/"} {
		get, _ := e.do(t, http.MethodGet, path, data.RoleViewer, nil)
		req, _ := http.NewRequest(http.MethodHead, e.srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+e.keys[data.RoleViewer])
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != get.StatusCode || res.Header.Get("Content-Type") != get.Header.Get("Content-Type") || len(body) != 0 {
			t.Errorf("HEAD %s = %d %q with %d bytes; GET = %d %q", path, res.StatusCode, res.Header.Get("Content-Type"),
				len(body), get.StatusCode, get.Header.Get("Content-Type"))
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestWrongMethod: a known path with a method it does not have is 405 with
// an Allow header listing the methods it has, as a problem.
func TestWrongMethod(t *testing.T) {
	e := newEnv(t)
	cases := []struct{ method, path, allow string }{
		{http.MethodDelete, "/api/v1/violations", "GET, HEAD, POST"},
		{http.MethodPost, "/api/v1/roads/x", "GET, HEAD, PUT"},
		{http.MethodPut, "/healthz", "GET, HEAD"},
	}
	for _, c := range cases {
		res, body := e.do(t, c.method, c.path, data.RoleAdmin, nil)
		wantProblem(t, res, body, http.StatusMethodNotAllowed)
		if got := sortedAllow(res.Header.Get("Allow")); got != c.allow {
			t.Errorf("%s %s: Allow = %q, want %q", c.method, c.path, got, c.allow)
		}
	}
}

// sortedAllow normalises an Allow header: methods sorted, OPTIONS dropped.
func sortedAllow(h string) string {
	var ms []string
	for _, m := range strings.Split(h, ",") {
		if m = strings.TrimSpace(m); m != "" && m != http.MethodOptions {
			ms = append(ms, m)
		}
	}
	for i := range ms {
		for j := i + 1; j < len(ms); j++ {
			if ms[j] < ms[i] {
				ms[i], ms[j] = ms[j], ms[i]
			}
		}
	}
	return strings.Join(ms, ", ")
}

// TestKeyAsQueryParameter: GIS tools send the key as ?api_key= on reads; it
// works on every read route, not on writes, and never reaches the log.
func TestKeyAsQueryParameter(t *testing.T) {
	logs := &syncBuffer{}
	e := newEnv(t, func(o *api.Options) { o.Logger = slog.New(slog.NewJSONHandler(logs, nil)) })
	key := e.keys[data.RoleScheduler]
	for _, path := range []string{"/api/v1/roads", "/api/v1/violations?limit=1", "/api/v1/tracks", "/api/v1/categories",
		"/api/v1/heatmap", "/api/v1/merchants"} {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		res, body := e.do(t, http.MethodGet, path+sep+"api_key="+key, "", nil)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s with api_key = %d %v", path, res.StatusCode, body)
		}
	}
	res, body := e.do(t, http.MethodPost, "/api/v1/violations?api_key="+e.keys[data.RoleIngest], "", strings.NewReader(`{}`))
	wantProblem(t, res, body, http.StatusUnauthorized)
	if strings.Contains(fmt.Sprint(body), e.keys[data.RoleIngest]) {
		t.Errorf("the problem repeats the key: %v", body)
	}
	res, _ = e.do(t, http.MethodGet, "/api/v1/roads?api_key=hs_notakey", "", nil)
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("an unknown api_key = %d, want 401", res.StatusCode)
	}
	metrics, _ := http.Get(e.srv.URL + "/metrics")
	raw, _ := io.ReadAll(metrics.Body)
	metrics.Body.Close()
	for _, k := range []string{key, e.keys[data.RoleIngest], "hs_notakey"} {
		if strings.Contains(logs.String(), k) || strings.Contains(string(raw), k) {
			t.Errorf("the log or /metrics shows the key %s", k)
		}
	}
	if !strings.Contains(logs.String(), "/api/v1/roads") || !strings.Contains(string(raw), "/api/v1/roads") {
		t.Errorf("the log or /metrics has no request at all")
	}
}

// TestCORS: a configured origin gets CORS headers and its preflight is
// answered; any other origin gets none.
func TestCORS(t *testing.T) {
	e := newEnv(t, func(o *api.Options) { o.CORSOrigins = []string{"https://kepler.gl"} })
	pre := func(origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodOptions, e.srv.URL+"/api/v1/roads", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "GET")
		req.Header.Set("Access-Control-Request-Headers", "authorization")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	ok := pre("https://kepler.gl")
	if ok.StatusCode != http.StatusNoContent || ok.Header.Get("Access-Control-Allow-Origin") != "https://kepler.gl" ||
		!strings.Contains(strings.ToLower(ok.Header.Get("Access-Control-Allow-Headers")), "authorization") {
		t.Errorf("preflight from a configured origin = %d %v", ok.StatusCode, ok.Header)
	}
	if other := pre("https://evil.example"); other.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight from another origin got %q", other.Header.Get("Access-Control-Allow-Origin"))
	}
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/api/v1/roads", nil)
	req.Header.Set("Origin", "https://kepler.gl")
	req.Header.Set("Authorization", "Bearer "+e.keys[data.RoleViewer])
	res, _ := e.doReq(t, req)
	if res.StatusCode != 200 || res.Header.Get("Access-Control-Allow-Origin") != "https://kepler.gl" {
		t.Errorf("GET from a configured origin = %d, Allow-Origin %q", res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
	}
	plain := newEnv(t)
	req, _ = http.NewRequest(http.MethodGet, plain.srv.URL+"/api/v1/roads", nil)
	req.Header.Set("Origin", "https://kepler.gl")
	req.Header.Set("Authorization", "Bearer "+plain.keys[data.RoleViewer])
	if res, _ := plain.doReq(t, req); res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("with no origins configured, Allow-Origin = %q", res.Header.Get("Access-Control-Allow-Origin"))
	}
}

// TestUnavailableSaysWhenToRetry: /readyz's 503 carries Retry-After.
func TestUnavailableSaysWhenToRetry(t *testing.T) {
	e := newEnv(t)
	e.ready = errors.New("the demo is loading")
	res, body := e.do(t, http.MethodGet, "/readyz", "", nil)
	wantProblem(t, res, body, http.StatusServiceUnavailable)
	if res.Header.Get("Retry-After") == "" {
		t.Errorf("503 without Retry-After: %v", res.Header)
	}
}

// TestGeoJSONMediaType: every GeoJSON answer is application/geo+json.
func TestGeoJSONMediaType(t *testing.T) {
	e := newEnv(t)
	if err := seed.Load(t.Context(), e.store); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/api/v1/roads", "/api/v1/roads/houtai-xilu", "/api/v1/violations", "/api/v1/tracks",
		"/api/v1/heatmap", "/api/v1/hotspots", "/api/v1/roads/ranking", "/api/v1/recommendations/pilot-zones"} {
		res, body := e.do(t, http.MethodGet, path, data.RoleScheduler, nil)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/geo+json" {
			t.Errorf("GET %s = %d %q: %v", path, res.StatusCode, res.Header.Get("Content-Type"), body)
		}
		if typ := body["type"]; typ != "FeatureCollection" && typ != "Feature" {
			t.Errorf("GET %s: type = %v, want a GeoJSON object", path, typ)
		}
	}
}
