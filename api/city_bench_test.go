package api

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/maptile/tilecover"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/analytics"
	"github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/demo"
	"github.com/dazhigu/hotspot/data/seed"
	"github.com/dazhigu/hotspot/data/sqlite"
	"github.com/dazhigu/hotspot/geo"
)

// BenchmarkCityYear times the service at city scale, through the API: a
// year of 300 street offices' key roads (demo.CityRoads), 10,000,000
// violations and the dwell of 200,000,000 patrol fixes (demo.CityYear),
// and Gi*, a hot-spot tile and a backtest over a study area of about
// 100,000 res-10 cells (a box about the city's centre). Beside them, in the same
// run, the baselines: a pass over the raw changes and R's spdep on the
// same cells. It logs a table of figure, target, measured and ratio;
// docs/scale.md records it. The setup (generating the year, building the
// cube, R) takes about three minutes:
//
//	go test ./api -run '^$' -bench CityYear -benchtime 10x -v
func BenchmarkCityYear(b *testing.B) {
	city := newCityYear(b)
	defer city.close()
	var t table
	t.build(city)
	gistar := "/api/v1/hotspots?res=10&" + city.area + "&" + cityWindow
	h3Time := city.timeRoute(b, "gistar-res10-h3", gistar+"&format=h3", "identity")
	city.timeRoute(b, "gistar-res10-h3-gzip", gistar+"&format=h3", "gzip")
	geoTime := city.timeRoute(b, "gistar-res10-geojson", gistar, "identity")
	city.timeRoute(b, "gistar-res10-geojson-gzip", gistar, "gzip")
	tile := city.timeTiles(b)
	backtest := city.timeRoute(b, "backtest-12w-res10", "/api/v1/backtest?res=10&weeks=12&"+city.area, "gzip")
	rTotal, rLocalG := city.spdep(b)
	t.answers(city, h3Time, geoTime, tile, backtest, rTotal, rLocalG)
	b.Log("\n" + t.String())
}

// cityWindow is the twelve weeks the Gi* figures cover: the last whole
// weeks of the generated year.
const cityWindow = "datetime=2026-09-01T00:00:00%2B08:00/2026-11-24T00:00:00%2B08:00"

// cityYear is the benchmark's setup: the cube of a city year behind a
// server, and what the setup measured.
type cityYear struct {
	srv     *httptest.Server
	token   string
	engine  *analytics.Engine
	box     orb.Bound // the study area, WGS-84
	area    string    // its query
	changes int
	build   time.Duration // applying every change to the cube
	scan    time.Duration // the raw-scan baseline
	heap    float64       // the cube's live heap, bytes
	rss     float64       // resident memory with the cube built, bytes
	peak    float64       // peak resident memory of the setup, bytes
	store   *sqlite.Store
}

func newCityYear(b *testing.B) *cityYear {
	ctx := context.Background()
	start := time.Now()
	district, err := seed.Roads()
	if err != nil {
		b.Fatal(err)
	}
	roads, err := demo.CityRoads(ctx, district, demo.CityOffices)
	if err != nil {
		b.Fatal(err)
	}
	city := &cityYear{box: shrink(roadsBound(roads), cityBoxSide)}
	city.area = fmt.Sprintf("bbox=%.6f,%.6f,%.6f,%.6f", city.box.Min[0], city.box.Min[1], city.box.Max[0], city.box.Max[1])
	c := city.buildCube(roads)
	city.serve(b, roads, c)
	b.Logf("setup: %d roads, %d changes, %s", len(roads), city.changes, time.Since(start).Round(time.Second))
	return city
}

// cityBoxSide shrinks each side of the city's bound, about its centre, to
// a box of about 100,000 res-10 cells (the whole bound holds 148,570).
const cityBoxSide = 0.82

// shrink scales each side of b by f about its centre.
func shrink(b orb.Bound, f float64) orb.Bound {
	c := b.Center()
	dx, dy := (b.Max[0]-b.Min[0])*f/2, (b.Max[1]-b.Min[1])*f/2
	return orb.Bound{Min: orb.Point{c[0] - dx, c[1] - dy}, Max: orb.Point{c[0] + dx, c[1] + dy}}
}

func roadsBound(roads []data.Road) orb.Bound {
	box := roads[0].Geometry.Bound()
	for _, r := range roads {
		box = box.Union(r.Geometry.Bound())
	}
	return box
}

// buildCube applies the city year to a new cube in feed pages, as CatchUp
// does, timing only the Apply calls; beside it, the raw-scan baseline
// counts the violations per res-10 cell in the window by a pass over the
// same pages (as BenchmarkDistrictYear's, timed the same way).
func (city *cityYear) buildCube(roads []data.Road) *cube.Cube {
	from, to := time.Date(2026, 8, 31, 16, 0, 0, 0, time.UTC).Unix(), time.Date(2026, 11, 23, 16, 0, 0, 0, time.UTC).Unix()
	scanned := map[h3.Cell]float64{}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	c := cube.New()
	for page := range demo.CityYear(roads, demo.CityViolations, demo.CityFixes) {
		t := time.Now()
		for _, ch := range page {
			if ch.Kind == data.ChangeViolation && ch.Hour.Unix() >= from && ch.Hour.Unix() < to {
				scanned[ch.Cell.Parent(10)]++
			}
		}
		t1 := time.Now()
		c.Apply(page)
		city.scan += t1.Sub(t)
		city.build += time.Since(t1)
		city.changes += len(page)
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	city.heap = float64(after.HeapAlloc) - float64(before.HeapAlloc)
	debug.FreeOSMemory()
	city.rss, city.peak = procStatus("VmRSS:"), procStatus("VmHWM:")
	return c
}

// serve starts the API over the cube: a SQLite store for the keys and the
// taxonomy, the engine reading the city's roads from memory, its clock in
// the last week of the year, GeoJSON answers of up to 200,000 cells.
func (city *cityYear) serve(b *testing.B, roads []data.Road, c *cube.Cube) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "city.db"))
	if err != nil {
		b.Fatal(err)
	}
	city.store = s
	if err := seed.Load(ctx, s); err != nil {
		b.Fatal(err)
	}
	cats, err := s.Categories(ctx)
	if err != nil {
		b.Fatal(err)
	}
	tok, hash := data.NewToken()
	if _, err := s.CreateKey(ctx, data.Key{Name: "bench", Role: data.RoleViewer, Hash: hash}, data.AuditEntry{}); err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 23, 0, 0, 0, time.UTC)
	city.engine = analytics.New(analytics.Options{Source: analytics.NewMemory(roads, cats), Cube: c, Now: func() time.Time { return now }})
	city.token = tok
	city.srv = httptest.NewServer(New(Options{Store: s, Engine: city.engine, Limits: Limits{MaxFeatures: 200_000},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
}

func (city *cityYear) close() {
	city.srv.Close()
	city.store.Close()
}

// get requests path with Accept-Encoding encoding and returns the bytes
// of the body as sent (compressed when gzip was taken).
func (city *cityYear) get(b *testing.B, path, encoding string) int64 {
	req, _ := http.NewRequest("GET", city.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+city.token)
	req.Header.Set("Accept-Encoding", encoding) // set: the client leaves the body as sent
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	n, _ := io.Copy(io.Discard, res.Body)
	if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusNoContent {
		b.Fatalf("%s: %d", path, res.StatusCode)
	}
	return n
}

// routeTime is a route's time per request, warm, and its body's bytes.
type routeTime struct {
	perOp time.Duration
	bytes int64
}

// bytesPerSecond is the body's bytes over the time per request.
func (r routeTime) bytesPerSecond() float64 { return float64(r.bytes) / r.perOp.Seconds() }

// timeRoute times GET path, warm (after one request: the study area and
// its weights are cached), as a sub-benchmark.
func (city *cityYear) timeRoute(b *testing.B, name, path, encoding string) routeTime {
	var out routeTime
	b.Run(name, func(b *testing.B) {
		out.bytes = city.get(b, path, encoding)
		b.SetBytes(out.bytes)
		for b.Loop() {
			city.get(b, path, encoding)
		}
		out.perOp = b.Elapsed() / time.Duration(b.N)
	})
	return out
}

// tileTimes are the times of the hot-spot tiles of the city at zoom 10.
type tileTimes struct {
	tiles     int
	first     time.Duration // the slowest first request of a tile
	p50, p99  time.Duration // of the requests after the first
	requested int
}

// tileRounds is how many times an iteration of the tile benchmark asks
// for every tile.
const tileRounds = 25

// cityZoom is the zoom of the city-wide tiles: the hot-spot layer's
// smallest, where a tile spans some 35 km.
const cityZoom = 10

// timeTiles requests each z10 tile of the hot-spot layer over the city
// once (the first request of a tile), then tileRounds times more each per
// iteration, round robin,
// with gzip as map clients ask: "when the tiles exist" is after the
// first request of each.
func (city *cityYear) timeTiles(b *testing.B) tileTimes {
	var out tileTimes
	b.Run("tile-hotspots-z10", func(b *testing.B) {
		var ts []maptile.Tile
		for t := range tilecover.Bound(city.box, cityZoom) {
			ts = append(ts, t)
		}
		slices.SortFunc(ts, func(a, b maptile.Tile) int { return cmp.Or(cmp.Compare(a.Y, b.Y), cmp.Compare(a.X, b.X)) })
		out = tileTimes{tiles: len(ts)}
		path := func(t maptile.Tile) string { return fmt.Sprintf("/tiles/hotspots/%d/%d/%d.mvt", t.Z, t.X, t.Y) }
		for _, t := range ts {
			start := time.Now()
			city.get(b, path(t), "gzip")
			out.first = max(out.first, time.Since(start))
		}
		var times []time.Duration
		for b.Loop() {
			for range tileRounds {
				for _, t := range ts {
					start := time.Now()
					city.get(b, path(t), "gzip")
					times = append(times, time.Since(start))
				}
			}
		}
		slices.Sort(times)
		out.requested = len(times)
		out.p50, out.p99 = times[len(times)/2], times[(len(times)*99)/100]
	})
	return out
}

// spdepScript reads cells (a line each: the count, then the 1-based
// neighbours other than the cell itself), builds include.self binary
// weights (nb2listw, style B) and runs localG, as
// analytics/stat/testdata/gistar_reference.R does, timing the weights and
// localG apart from reading; it prints the two times (seconds) and then z.
const spdepScript = `suppressMessages(library(spdep))
args <- commandArgs(TRUE)
f <- strsplit(readLines(args[1]), " ", fixed = TRUE)
x <- as.numeric(vapply(f, function(v) v[1], ""))
nb <- lapply(f, function(v) if (length(v) > 1) as.integer(v[-1]) else 0L)
class(nb) <- "nb"
attr(nb, "region.id") <- as.character(seq_along(nb))
t0 <- proc.time()[["elapsed"]]
lw <- nb2listw(include.self(nb), style = "B")
t1 <- proc.time()[["elapsed"]]
z <- as.numeric(localG(x, lw))
t2 <- proc.time()[["elapsed"]]
cat(t1 - t0, t2 - t1, "\n")
cat(format(z, digits = 17), sep = "\n")
`

// spdep runs R's localG with nb2listw weights on the cells and counts of
// the benchmark's Gi*, timed inside R, and checks that its z agree with
// ours to 1e-9. It returns the time of weights and localG together, and
// of localG alone; zero when Rscript or spdep is missing.
func (city *cityYear) spdep(b *testing.B) (total, localG time.Duration) {
	rscript, err := exec.LookPath("Rscript")
	if err != nil {
		b.Log("Rscript not found: no R baseline")
		return 0, 0
	}
	r, err := city.engine.HotSpots(context.Background(), cityQuery(city.box), analytics.HotSpotOptions{})
	if err != nil {
		b.Fatal(err)
	}
	cells := make([]h3.Cell, len(r.Cells))
	for i, h := range r.Cells {
		cells[i] = h.Cell
	}
	w := analytics.NewStudyArea(cells, 10, 1).Weights
	dir := b.TempDir()
	in, script := filepath.Join(dir, "cells.txt"), filepath.Join(dir, "localg.R")
	if err := os.WriteFile(in, spdepInput(r.Cells, w.Neighbours), 0o600); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(script, []byte(spdepScript), 0o600); err != nil {
		b.Fatal(err)
	}
	out, err := exec.Command(rscript, script, in).Output()
	if err != nil { // R without spdep, say: the other figures still stand
		b.Logf("Rscript (spdep installed?): %v: no R baseline", err)
		return 0, 0
	}
	lines := strings.Fields(string(out))
	weights, _ := strconv.ParseFloat(lines[0], 64)
	g, _ := strconv.ParseFloat(lines[1], 64)
	var worst float64
	for i, v := range lines[2:] {
		z, _ := strconv.ParseFloat(v, 64)
		worst = max(worst, math.Abs(z-r.Cells[i].Z))
	}
	if len(lines)-2 != len(r.Cells) || worst > 1e-9 {
		b.Fatalf("R gave %d z for %d cells, at most %g from ours; want them all within 1e-9", len(lines)-2, len(r.Cells), worst)
	}
	b.Logf("R spdep on %d cells: nb2listw %.2f s, localG %.2f s; z agree to %.1e", len(cells), weights, g, worst)
	return seconds(weights + g), seconds(g)
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// cityQuery is the benchmark's Gi* query: res 10 over the box, in cityWindow.
func cityQuery(box orb.Bound) analytics.Query {
	return analytics.Query{Res: 10, K: 1, Area: analytics.Area{Kind: analytics.AreaBBox, BBox: box},
		Window: analytics.Window{From: time.Date(2026, 8, 31, 16, 0, 0, 0, time.UTC),
			To: time.Date(2026, 11, 23, 16, 0, 0, 0, time.UTC), Given: true}}
}

// spdepInput writes a line per cell: its count, then its neighbours other
// than itself, 1-based.
func spdepInput(cells []analytics.HotSpot, neighbours [][]int32) []byte {
	var b []byte
	for i, h := range cells {
		b = strconv.AppendFloat(b, h.Count, 'f', -1, 64)
		for _, j := range neighbours[i] {
			if int(j) != i {
				b = append(b, ' ')
				b = strconv.AppendInt(b, int64(j+1), 10)
			}
		}
		b = append(b, '\n')
	}
	return b
}

// procStatus returns a field of /proc/self/status (VmRSS: resident now,
// VmHWM: peak) in bytes, 0 where /proc does not tell.
func procStatus(field string) float64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if kb, ok := strings.CutPrefix(line, field); ok {
			n, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(kb), "kB")), 64)
			return n * 1024
		}
	}
	return 0
}

// table is the benchmark's figures: figure, target, measured, ratio (to
// the target or a baseline, as the ratio says).
type table [][4]string

func (t *table) add(figure, target, measured, ratio string) {
	*t = append(*t, [4]string{figure, target, measured, ratio})
}

func (t table) String() string {
	var sb strings.Builder
	sb.WriteString("| figure | target | measured | ratio |\n|---|---|---|---|\n")
	for _, row := range t {
		fmt.Fprintf(&sb, "| %s | %s | %s | %s |\n", row[0], row[1], row[2], row[3])
	}
	return sb.String()
}

const gib = 1 << 30

func (t *table) build(city *cityYear) {
	raw := float64(city.changes) * float64(unsafe.Sizeof(data.Change{}))
	t.add(fmt.Sprintf("cube build, %d changes (Apply only, in feed pages)", city.changes), "",
		fmt.Sprintf("%.1f s (%.2fM changes/s)", city.build.Seconds(), float64(city.changes)/city.build.Seconds()/1e6),
		fmt.Sprintf("%.0f× the raw scan of the same pages", city.build.Seconds()/city.scan.Seconds()))
	t.add("resident memory with the cube built (VmRSS)", "≤ 2 GiB", fmt.Sprintf("%.2f GiB", city.rss/gib),
		fmt.Sprintf("%.2f× target; %.2f× the changes as data.Change (%.1f GiB)", city.rss/(2*gib), city.rss/raw, raw/gib))
	t.add("cube live heap; peak RSS of the setup", "", fmt.Sprintf("%.2f GiB; %.2f GiB", city.heap/gib, city.peak/gib), "")
	t.add("**baseline:** raw scan, violations per res-10 cell in the window", "", ms(city.scan), "1")
}

func (t *table) answers(city *cityYear, h3Time, geo routeTime, tile tileTimes, backtest routeTime, rTotal, rLocalG time.Duration) {
	vsR := func(d time.Duration) string {
		if rTotal == 0 {
			return "no R"
		}
		return versus(d, rTotal, "R")
	}
	t.add("**baseline:** R spdep nb2listw + localG, same cells (localG alone)", "", fmt.Sprintf("%s (%s)", ms(rTotal), ms(rLocalG)), "1")
	t.add("Gi* res 10, ~100k cells, format=h3, warm", "≤ 100 ms", ms(h3Time.perOp),
		vsR(h3Time.perOp)+"; "+versus(h3Time.perOp, city.scan, "the raw scan"))
	t.add("Gi* res 10, GeoJSON streamed (identity)", "≥ 100 MB/s",
		fmt.Sprintf("%.0f MB/s (%.1f MB in %s)", geo.bytesPerSecond()/1e6, float64(geo.bytes)/1e6, ms(geo.perOp)), vsR(geo.perOp))
	t.add(fmt.Sprintf("hot-spot tile z%d, p99 of %d requests over %d tiles after each tile's first", cityZoom, tile.requested, tile.tiles),
		"≤ 20 ms", fmt.Sprintf("%s (p50 %s; first %s)", ms(tile.p99), ms(tile.p50), ms(tile.first)), vsR(tile.p99))
	t.add("backtest 12 weeks, res 10, same area", "≤ 5 s", ms(backtest.perOp), vsR(backtest.perOp))
}

// versus says how d compares with a baseline: N× faster or slower.
func versus(d, baseline time.Duration, name string) string {
	if d <= baseline {
		return fmt.Sprintf("%.1f× faster than %s", baseline.Seconds()/d.Seconds(), name)
	}
	return fmt.Sprintf("%.1f× slower than %s", d.Seconds()/baseline.Seconds(), name)
}

func ms(d time.Duration) string {
	if d >= 10*time.Second {
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}

// TestStreamedCells: the streamed cell answers (writeCellsWith, GeoJSON
// and format=h3) are byte for byte what encoding/json gave for the whole
// answer before they were streamed: an orb FeatureCollection of
// cellFeatures, or a map of rows, encoded at once.
func TestStreamedCells(t *testing.T) {
	cells := streamTestCells(700) // past streamFlush: written in several pieces
	params := &gistarJSON{analysisJSON: &analysisJSON{CRS: geo.WGS84, Metric: "gistar", Value: "a <b> & c"}}
	more := map[string]any{"segments": []map[string]any{{"road": "后台西路", "expected": 1.5e-7}}}
	for _, crs := range []string{geo.WGS84, geo.GCJ02} {
		for _, format := range []string{"geojson", "h3"} {
			params.CRS = crs
			got := httptest.NewRecorder()
			c := echo.New().NewContext(httptest.NewRequest("GET", "/", nil), got)
			if err := (&server{}).writeCellsWith(c, cells, params.analysisJSON, params, format, more); err != nil {
				t.Fatal(err)
			}
			var want bytes.Buffer
			if err := encodeJSON(&want, wholeCells(cells, params, format, crs, more)); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Body.Bytes(), want.Bytes()) {
				t.Errorf("%s %s: the streamed answer (%d bytes) differs from the whole one (%d bytes)", crs, format, got.Body.Len(), want.Len())
			}
		}
	}
}

// wholeCells is the answer as writeCellsWith built it before streaming.
func wholeCells(cells []cellValue, params *gistarJSON, format, crs string, more map[string]any) any {
	if format == "h3" {
		rows := make([]map[string]any, len(cells))
		for i, cv := range cells {
			rows[i] = map[string]any{"hex": cv.cell.String(), "value": cv.json()}
			maps.Copy(rows[i], cv.props)
			for _, f := range cv.fields {
				rows[i][f.key] = f.value
			}
		}
		out := map[string]any{"parameters": params, "data": rows}
		maps.Copy(out, more)
		return out
	}
	fc := geojson.NewFeatureCollection()
	fc.Features = cellFeatures(cells, crs)
	fc.ExtraMembers = geojson.Properties{"parameters": params}
	maps.Copy(fc.ExtraMembers, more)
	return fc
}

// streamTestCells are n cells of Tianjin with every kind of value the
// answers hold: counts, z, p (tiny and large floats, negative zero), bins,
// null rates, booleans, strings to escape, profiles, and props that
// override h3, hex or value.
func streamTestCells(n int) []cellValue {
	out := make([]cellValue, n)
	for i := range out {
		cell := h3.Cell(geo.Cell(orb.Point{117.2 + float64(i)*1e-3, 39.1 + float64(i%7)*1e-3}, 10+i%3))
		props := map[string]any{"count": float64(i % 9), "z": round(math.Sin(float64(i)), 6), "p": math.Pow(10, -float64(i%30)),
			"bin": i%7 - 3, "neighbours": 6, "big": 1e21 * float64(i%3), "zero": math.Copysign(0, -1)}
		switch i % 5 {
		case 0:
			props["rate"], props["blind_spot"] = nil, i%2 == 0
		case 1:
			props["profile"] = []float64{0.1, 2e-7, 0.33333}
		case 2:
			props["road"], props["note"] = "大直沽中路", `"quoted" <tag> & \ `
		case 3:
			props["value"], props["h3"], props["hex"] = "overridden", 7, false
		}
		out[i] = cellValue{cell: cell, value: float64(i) / 3, null: i%4 == 0, props: props}
		if i%5 == 4 { // as hot spots and counts build them: sorted fields, no map
			out[i].props = nil
			out[i].fields = []field{{"a", 1}, {"bin", i%7 - 3}, {"count", float64(i % 9)}, {"i", true},
				{"neighbours", 6}, {"p", math.Pow(10, -float64(i%30))}, {"u", nil}, {"z", round(math.Sin(float64(i)), 6)}}
		}
	}
	return out
}
