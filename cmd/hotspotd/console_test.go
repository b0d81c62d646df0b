package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/api"
	"github.com/dazhigu/hotspot/data/sqlite"
	"github.com/dazhigu/hotspot/geo"
)

// browserTools finds headless Chromium and Node.js with playwright-core
// (NODE_PATH), or skips the test in a developer's run and fails it in CI.
func browserTools(t *testing.T) (chromium string) {
	t.Helper()
	missing := func(what string, err error) {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI needs %s: %v", what, err)
		}
		t.Skipf("SKIPPED: %s not found (%v); CI runs this test (.ci/run installs it)", what, err)
	}
	chromium = os.Getenv("HOTSPOT_CHROMIUM")
	if chromium == "" {
		var err error
		if chromium, err = exec.LookPath("chromium"); err != nil {
			missing("Chromium (apt-get install chromium, or HOTSPOT_CHROMIUM)", err)
		}
	}
	if out, err := exec.Command("node", "-e", "require.resolve('playwright-core')").CombinedOutput(); err != nil {
		missing("Node.js with playwright-core on NODE_PATH (npm install playwright-core)", fmt.Errorf("%v: %s", err, out))
	}
	return chromium
}

// screenshotDir is where the console's screenshots are kept as build
// output: $HOTSPOT_SCREENSHOTS, or hotspot-console under the temp folder.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("HOTSPOT_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "hotspot-console")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// consoleView is what testdata/console.cjs reports of the console.
type consoleView struct {
	Errors []string
	Shots  []string
	LoadMs int

	// mode "plain": the console without a basemap.
	Cells, Rows, Markers, Zones, EventPoints, EvaluationFailed  int
	RankingRoads, TrustCurves, SelectedRendered, MarkerSelected int
	MerchantTags                                                []string
	Notice, PlanTitle, Legend, BasemapNote, HashAfterClick      string
	FilterCells, FilterRanking, FilterURL                       bool
	WeekCells, WeekRanking, WeekURL                             bool
	WeekLabel, PlayedLabel, WeekHash, PointsNote, ViewerPlan    string
	Points, PointsURL, AnswerMs, ZonesDrawn, Tracks             int
	Metrics                                                     map[string]int
	Blind                                                       string
	CellCard                                                    *struct {
		H3, Shown          string
		Categories, Charts int
	}
	English struct{ Plan, Legend, Stored string }
	Print   map[string]string

	// mode "basemap": the datum checks.
	Vertex struct {
		GCJ, WGS      struct{ X, Y, Dark int }
		NearestLinePx float64
	}
	LayerRequests, TileRequests int
	WithoutCRS                  []string
}

// runConsole runs testdata/console.cjs in mode against a demo server.
func runConsole(t *testing.T, chromium string, d demoServer, opts map[string]any) consoleView {
	t.Helper()
	o := map[string]any{"base": d.base, "scheduler": d.scheduler, "viewer": d.viewer, "chromium": chromium}
	for k, v := range opts {
		o[k] = v
	}
	arg, _ := json.Marshal(o)
	run := exec.Command("node", "testdata/console.cjs", string(arg))
	var stderr strings.Builder
	run.Stderr = &stderr
	raw, err := run.Output()
	if err != nil {
		t.Fatalf("console.cjs: %v\n%s%s", err, raw, stderr.String())
	}
	var v consoleView
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("console.cjs said %s: %v", raw, err)
	}
	for _, s := range v.Shots {
		t.Logf("screenshot: %s", s)
	}
	if len(v.Errors) > 0 {
		t.Fatalf("the page failed (%s mode): %v", o["mode"], v.Errors)
	}
	return v
}

// TestConsole opens the make-run console (a year of demo data) in headless
// Chromium with the scheduler key it prints, first without a basemap and
// then over a local XYZ tile server in GCJ-02, and checks what a
// scheduler sees against the API's own answers.
func TestConsole(t *testing.T) {
	chromium := browserTools(t)
	bin, dir := seededDemo(t)
	shots := screenshotDir(t)
	d := startDemo(t, bin, dir)
	waitReady(t, d.base, 2*time.Minute)
	v := runConsole(t, chromium, d, map[string]any{"mode": "plain", "shots": shots})
	t.Logf("navigation to hexagons rendered: %d ms, of which %d ms to the hexagons' answer (loopback, demo, headless SwiftShader)", v.LoadMs, v.AnswerMs)
	checkPlain(t, d, v)

	// The same store again, now over a basemap in GCJ-02.
	d.cmd.Process.Signal(syscall.SIGTERM)
	d.cmd.Wait()
	var tileHits atomic.Int64
	tiles := httptest.NewServer(tileHandler(&tileHits))
	defer tiles.Close()
	d = startDemo(t, bin, dir, "-console.basemap", tiles.URL+"/{z}/{x}/{y}.png",
		"-console.basemap-datum", "gcj02", "-console.basemap-attribution", "test tiles")
	waitReady(t, d.base, 2*time.Minute)
	wgs := roadVertex(t, d, "jintang-lu")
	gcj := geo.FromWGS84(wgs, geo.GCJ02)
	b := runConsole(t, chromium, d, map[string]any{"mode": "basemap", "shots": shots, "tiles": tiles.URL,
		"wgs": []float64{wgs[0], wgs[1]}, "gcj": []float64{gcj[0], gcj[1]}})
	checkBasemap(t, b, tileHits.Load())
}

// checkPlain checks the console without a basemap.
func checkPlain(t *testing.T, d demoServer, v consoleView) {
	t.Helper()
	base, viewer, scheduler := d.base, d.viewer, d.scheduler
	if v.Cells == 0 || v.RankingRoads != 6 || v.TrustCurves < 2 || v.Legend == "" {
		t.Errorf("first view: %d hexagons, %d ranked roads, %d PAI curves, legend %q; want hexagons, 6 roads, the forecast and baselines, a legend",
			v.Cells, v.RankingRoads, v.TrustCurves, v.Legend)
	}
	if !strings.Contains(v.BasemapNote, "无底图") {
		t.Errorf("without a basemap the map says %q; want the no-basemap notice", v.BasemapNote)
	}
	if !v.FilterCells || !v.FilterRanking || !v.FilterURL {
		t.Errorf("unticking a category: hexagons changed %v, ranking changed %v, asked with category= %v; want all", v.FilterCells, v.FilterRanking, v.FilterURL)
	}
	if !v.WeekCells || !v.WeekRanking || !v.WeekURL || !strings.Contains(v.WeekHash, "week=") {
		t.Errorf("one week on the slider (%q): hexagons changed %v, ranking changed %v, asked for the week %v, fragment %q",
			v.WeekLabel, v.WeekCells, v.WeekRanking, v.WeekURL, v.WeekHash)
	}
	if v.PlayedLabel == v.WeekLabel {
		t.Errorf("play left the slider at %q", v.PlayedLabel)
	}
	if v.CellCard == nil || !strings.Contains(v.CellCard.Shown, v.CellCard.H3) || v.CellCard.Categories == 0 || v.CellCard.Charts != 2 {
		t.Errorf("a cell's card: %+v; want the clicked cell with its categories, hours and weeks", v.CellCard)
	}
	if v.Points == 0 || v.PointsURL == 0 {
		t.Errorf("at zoom 17: %d violation points or clusters drawn from %d bbox requests", v.Points, v.PointsURL)
	}
	if v.English.Stored != "en" || !strings.Contains(v.English.Plan, "Patrol plan") || strings.ContainsAny(v.English.Legend, "每格违法数") {
		t.Errorf("English: %+v; want English headings and legend, kept in localStorage", v.English)
	}
	for _, m := range []string{"count", "rate", "gistar", "emerging", "forecast"} {
		if v.Metrics[m] == 0 {
			t.Errorf("the %s layer draws no hexagon (%v)", m, v.Metrics)
		}
	}
	if v.Blind == "" || v.ZonesDrawn == 0 || v.Tracks == 0 {
		t.Errorf("overlays: blind-spot legend %q, %d pilot-zone polygons, %d track lines drawn; want all", v.Blind, v.ZonesDrawn, v.Tracks)
	}
	if v.LoadMs > 20000 {
		t.Errorf("the hexagons took %d ms to appear; want well under 20 s even in SwiftShader", v.LoadMs)
	}
	if v.SelectedRendered == 0 {
		t.Errorf("#sel=houtai-xilu:4 draws no selected segment")
	}

	// The plan the console asks for by default: tomorrow in Tianjin, its
	// default shifts, officers and visit length.
	tomorrow := time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, 1).Format(time.DateOnly)
	q := url.Values{"date": {tomorrow}, "shifts": {"07:00-11:00,16:00-20:00"}, "officers": {"2"}, "visit_minutes": {"15"}}
	code, plan := get(t, base+"api/v1/recommendations/patrol?"+q.Encode(), scheduler)
	if code != 200 {
		t.Fatalf("plan: %d %v", code, plan)
	}
	visits := plan["visits"].([]any)
	segs := map[string]bool{}
	type visit struct{ start, at string }
	order := []visit{}
	for _, x := range visits {
		m := x.(map[string]any)
		at := fmt.Sprintf("%s:%.0f", m["road"], m["segment"])
		segs[at] = true
		order = append(order, visit{fmt.Sprintf("%s %03.0f", m["start"], m["officer"]), at})
	}
	slices.SortFunc(order, func(a, b visit) int { return strings.Compare(a.start, b.start) })
	if v.Rows != len(visits) || v.Markers != len(segs) || !strings.HasPrefix(v.PlanTitle, tomorrow) {
		t.Errorf("plan: %d rows and %d markers for %q; the API plans %d visits on %d segments for %s",
			v.Rows, v.Markers, v.PlanTitle, len(visits), len(segs), tomorrow)
	}
	if want := "sel=" + order[0].at; !strings.Contains(v.HashAfterClick, want) || v.MarkerSelected != 1 {
		t.Errorf("clicking the first visit: fragment %q, %d markers selected; want %s and one", v.HashAfterClick, v.MarkerSelected, want)
	}
	if code, zones := get(t, base+"api/v1/recommendations/pilot-zones?paint=2", scheduler); code != 200 || v.Zones != len(zones["features"].([]any)) {
		t.Errorf("pilot zones: the card lists %d, the API (%d) %d", v.Zones, code, len(zones["features"].([]any)))
	}
	if code, ev := get(t, base+"api/v1/pilots/houtai-xilu/evaluation", viewer); code == 200 {
		effects := ev["event_study"].(map[string]any)["effects"].([]any)
		if v.EventPoints != len(effects)+1 {
			t.Errorf("event study: %d points drawn, want the %d leads and lags and the reference week", v.EventPoints, len(effects))
		}
	} else if v.EvaluationFailed != 1 || v.EventPoints != 0 {
		t.Errorf("the evaluation answers %d; the card shows %d failures and %d points, want the failure said", code, v.EvaluationFailed, v.EventPoints)
	}
	if !slices.ContainsFunc(v.MerchantTags, func(s string) bool { return strings.HasPrefix(s, "三必罚候选") }) ||
		!strings.Contains(v.Notice, "不是处罚决定") {
		t.Errorf("segment card: merchant tags %q, notice %q; want a 三必罚 candidate and the notice", v.MerchantTags, v.Notice)
	}
	if v.Print["ranking"] != "none" || v.Print["form"] != "none" || v.Print["plan"] == "none" || v.Print["reason"] == "none" ||
		v.Print["map"] == "none" || v.Print["still"] != "data:image/png;base64," {
		t.Errorf("printing: %v; want the plan with its reasons and a still of the map, without the form and the other cards", v.Print)
	}
	if !strings.Contains(v.ViewerPlan, "scheduler") {
		t.Errorf("a viewer's plan card says %q; want that it needs a scheduler key", v.ViewerPlan)
	}
}

// checkBasemap checks the console over a GCJ-02 basemap: tiles asked for,
// every layer asked in GCJ-02, and a key-road vertex drawn where the
// basemap has its GCJ-02 position, not its WGS-84 one.
func checkBasemap(t *testing.T, v consoleView, tileHits int64) {
	t.Helper()
	if tileHits == 0 || v.TileRequests == 0 || v.BasemapNote != "" {
		t.Errorf("basemap: the tile server served %d tiles, the page asked %d, notice %q; want tiles and no notice", tileHits, v.TileRequests, v.BasemapNote)
	}
	if v.LayerRequests == 0 || len(v.WithoutCRS) > 0 {
		t.Errorf("%d layer requests; without crs=gcj02: %q", v.LayerRequests, v.WithoutCRS)
	}
	if v.Vertex.NearestLinePx > 1.5 || v.Vertex.GCJ.Dark == 0 || v.Vertex.WGS.Dark > 0 {
		t.Errorf("津塘路's vertex: the drawn road passes %.1f px from project(gcj02(p)); road pixels at the GCJ-02 point %+v and at the WGS-84 point %+v; want ≤ 1.5 px, road there and not here",
			v.Vertex.NearestLinePx, v.Vertex.GCJ, v.Vertex.WGS)
	}
}

// roadVertex is the middle vertex of a road's centreline (WGS-84), as the API serves it.
func roadVertex(t *testing.T, d demoServer, id string) orb.Point {
	t.Helper()
	code, road := get(t, d.base+"api/v1/roads/"+id, d.viewer)
	if code != 200 {
		t.Fatalf("road %s: %d", id, code)
	}
	coords := road["geometry"].(map[string]any)["coordinates"].([]any)
	c := coords[len(coords)/2].([]any)
	return orb.Point{c[0].(float64), c[1].(float64)}
}

// tileHandler serves 256 px PNG tiles at /{z}/{x}/{y}.png: a light colour
// of its own per tile with a grid line at its edges, so that a screenshot
// shows the basemap's tiles; hits counts the tiles served.
func tileHandler(hits *atomic.Int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var z, x, y int
		if _, err := fmt.Sscanf(r.URL.Path, "/%d/%d/%d.png", &z, &x, &y); err != nil {
			http.NotFound(w, r)
			return
		}
		hits.Add(1)
		h := fnv.New32a()
		fmt.Fprintf(h, "%d/%d/%d", z, x, y)
		s := h.Sum32()
		fill := color.RGBA{uint8(225 + s%25), uint8(228 + (s>>8)%22), uint8(222 + (s>>16)%25), 255}
		grid := color.RGBA{190, 198, 206, 255}
		img := image.NewRGBA(image.Rect(0, 0, 256, 256))
		for py := 0; py < 256; py++ {
			for px := 0; px < 256; px++ {
				c := fill
				if px == 0 || py == 0 || px%64 == 0 && py%4 < 2 || py%64 == 0 && px%4 < 2 {
					c = grid
				}
				img.SetRGBA(px, py, c)
			}
		}
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		png.Encode(w, img)
	})
}

// TestConsoleBasemapFlags checks that serve refuses a basemap it cannot draw.
func TestConsoleBasemapFlags(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string // part of the error; "" for none
	}{
		{"none", nil, ""},
		{"xyz", []string{"-console.basemap", "https://t0.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=K"}, ""},
		{"style", []string{"-console.basemap", "http://tiles.office.lan/styles/basic/style.json", "-console.basemap-datum", "gcj02"}, ""},
		{"no placeholders", []string{"-console.basemap", "https://tiles.example/base.png"}, "{z}, {x} and {y}"},
		{"not http", []string{"-console.basemap", "file:///tiles/{z}/{x}/{y}.png"}, "http(s) URL"},
		{"datum", []string{"-console.basemap-datum", "cgcs2000"}, "wgs84, gcj02 or bd09"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c config
			fs := newFlags("serve", io.Discard)
			c.storeFlags(fs)
			c.consoleFlags(fs)
			err := c.parse(fs, tc.args)
			if got := fmt.Sprint(err); tc.want == "" && err != nil || tc.want != "" && !strings.Contains(got, tc.want) {
				t.Fatalf("serve %v: %v, want an error with %q", tc.args, err, tc.want)
			}
		})
	}
}

// TestConsoleFiles checks what the console's page is served with: its
// basemap in /console/config.json, a CSP that lets MapLibre and the
// basemap's origin in, ETags that revalidate, and the vendored MapLibre
// build the Makefile pins.
func TestConsoleFiles(t *testing.T) {
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "hs.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(api.New(api.Options{Store: s, Logger: slog.New(slog.DiscardHandler),
		Console: api.ConsoleOptions{Basemap: "https://t0.example.cn/vec/{z}/{x}/{y}.png", BasemapDatum: "gcj02", BasemapAttribution: "© tiles"}}))
	defer srv.Close()

	code, cfg := get(t, srv.URL+"/console/config.json", "")
	bm, _ := cfg["basemap"].(map[string]any)
	if code != 200 || bm["type"] != "raster" || bm["datum"] != "gcj02" || bm["attribution"] != "© tiles" {
		t.Errorf("config.json: %d %v", code, cfg)
	}
	res, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"img-src 'self' data: blob: https://t0.example.cn;", "connect-src 'self' https://t0.example.cn;", "worker-src 'self' blob:", "script-src 'self';"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	req, _ := http.NewRequest("GET", srv.URL+"/console/vendor/maplibre-gl.mjs", nil)
	req.Header.Set("If-None-Match", res.Header.Get("ETag"))
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("maplibre-gl.mjs with the page's ETag: %v %v; want 200 as JavaScript", res.StatusCode, err)
	} else {
		res.Body.Close()
		req.Header.Set("If-None-Match", res.Header.Get("ETag"))
		if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusNotModified {
			t.Errorf("maplibre-gl.mjs with its own ETag: %v %v; want 304", res.StatusCode, err)
		}
	}
	if code, _ := get(t, srv.URL+"/console/nothing.js", ""); code != 404 {
		t.Errorf("a missing console file: %d, want 404", code)
	}

	// The vendored build is the one `make vendor` pins.
	mk, _ := os.ReadFile("../../Makefile")
	version := regexp.MustCompile(`(?m)^MAPLIBRE_VERSION\s*:=\s*(\S+)`).FindSubmatch(mk)
	mjs, _ := os.ReadFile("../../api/console/vendor/maplibre-gl.mjs")
	stamp, _ := os.ReadFile("../../api/console/vendor/VERSION")
	if version == nil || !bytes.Contains(mjs[:min(400, len(mjs))], []byte("v"+string(version[1])+"/LICENSE.txt")) ||
		!bytes.HasPrefix(stamp, []byte("maplibre-gl "+string(version[1])+" ")) {
		t.Errorf("api/console/vendor is not MapLibre %s (VERSION %q): run make vendor", version, stamp)
	}
}
