package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// gdalTools finds ogrinfo and ogr2ogr, or skips the test in a developer's
// run and fails it in CI.
func gdalTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"ogrinfo", "ogr2ogr"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("CI needs GDAL's %s (apt-get install gdal-bin): %v", tool, err)
			}
			t.Skipf("SKIPPED: GDAL's %s not found (%v); CI runs this test (.ci/run installs gdal-bin)", tool, err)
		}
	}
}

// gdal runs a GDAL tool and returns its standard output.
func gdal(t *testing.T, tool string, args ...string) string {
	t.Helper()
	out, _ := gdalDebug(t, false, tool, args...)
	return out
}

// gdalDebug runs a GDAL tool, with CPL_DEBUG on if debug, and returns its
// standard output and error (where GDAL logs the URLs it fetches).
func gdalDebug(t *testing.T, debug bool, tool string, args ...string) (stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(tool, args...)
	cmd.Env = append(os.Environ(), "GDAL_HTTP_TIMEOUT=120", "CPL_VSIL_CURL_ALLOWED_EXTENSIONS=.mvt,.json")
	if debug {
		cmd.Env = append(cmd.Env, "CPL_DEBUG=ON")
	}
	var errOut strings.Builder
	cmd.Stderr = &errOut
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s%s", tool, strings.Join(args, " "), err, out, errOut.String())
	}
	return string(out), errOut.String()
}

var featureCount = regexp.MustCompile(`Feature Count: (\d+)`)

// countOf reads "Feature Count: N" from ogrinfo -so.
func countOf(t *testing.T, info string) int {
	t.Helper()
	m := featureCount.FindStringSubmatch(info)
	if m == nil {
		t.Fatalf("ogrinfo printed no feature count:\n%s", info)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestGDAL reads the make-run demo as a GIS user would, with GDAL and the
// key as a query parameter (QGIS's OGR provider sends no headers):
// ogrinfo lists every collection of /ogc; ogr2ogr copies every collection,
// all pages, to a GeoPackage whose counts equal numberMatched and the
// /api/v1 answers' own counts; a CQL2 filter (pushed down by GDAL from
// -where) selects what the equivalent property filter does; GDAL's MVT
// driver reads a tile with its layers and fields.
func TestGDAL(t *testing.T) {
	gdalTools(t)
	bin, store := seededDemo(t)
	d := startDemo(t, bin, store)
	waitReady(t, d.base, 2*time.Minute)
	dir := t.TempDir()
	key := d.viewer
	oapif := "OAPIF:" + d.base + "ogc?api_key=" + key

	_, colls := get(t, d.base+"ogc/collections", key)
	var ids []string
	for _, c := range colls["collections"].([]any) {
		ids = append(ids, c.(map[string]any)["id"].(string))
	}
	listed := gdal(t, "ogrinfo", "-ro", "-q", oapif)
	for _, id := range ids {
		if !regexp.MustCompile(`(?m)^\d+: ` + regexp.QuoteMeta(id) + ` `).MatchString(listed) {
			t.Errorf("ogrinfo does not list collection %s:\n%s", id, listed)
		}
	}
	if len(ids) < 7 {
		t.Errorf("collections = %v, want violations, roads, segments, hotspots, forecast, pilot-zones, tracks", ids)
	}

	gpkg := filepath.Join(dir, "hotspot.gpkg")
	start := time.Now()
	gdal(t, "ogr2ogr", "-f", "GPKG", gpkg, oapif, "-oo", "PAGE_SIZE=2000")
	t.Logf("ogr2ogr copied %d collections in %s", len(ids), time.Since(start).Round(time.Millisecond))
	own := apiCounts(t, d.base, d.scheduler)
	for _, id := range ids {
		copied := countOf(t, gdal(t, "ogrinfo", "-ro", "-so", gpkg, id))
		_, page := get(t, d.base+"ogc/collections/"+id+"/items?limit=1", key)
		matched, _ := page["numberMatched"].(float64)
		if copied != int(matched) || copied != own[id] || copied == 0 {
			t.Errorf("%s: the GeoPackage holds %d features, numberMatched is %v, the API's own count %d", id, copied, matched, own[id])
		}
	}

	// A CQL2 filter gives the same features as the property filter.
	ids1 := itemIDs(t, d.base+"ogc/collections/violations/items?limit=10000&category=street-vending&source=hotline", key)
	ids2 := itemIDs(t, d.base+"ogc/collections/violations/items?limit=10000&filter="+
		url.QueryEscape("category = 'street-vending' AND source='hotline'"), key)
	if len(ids1) == 0 || !slices.Equal(ids1, ids2) {
		t.Errorf("the CQL2 filter selects %d features, the property filter %d, or they differ", len(ids2), len(ids1))
	}
	out, log := gdalDebug(t, true, "ogrinfo", "-ro", "-so", oapif, "violations", "-where", "category = 'street-vending' AND source = 'hotline'")
	if where := countOf(t, out); where != len(ids1) {
		t.Errorf("ogrinfo -where counts %d, the property filter %d", where, len(ids1))
	}
	if !regexp.MustCompile(`Fetch\(\S+/ogc/collections/violations/items\?\S*filter=`).MatchString(log) {
		t.Errorf("GDAL did not push -where down as filter=; it fetched:\n%s", grepLines(log, "Fetch("))
	}

	// GDAL's MVT driver reads a tile over 后台西路 with the expected layers and fields.
	for layer, fields := range map[string][]string{"roads": {"name", "approximate"}, "violations": {"category", "source", "observed_at"},
		"hotspots": {"h3", "count", "z", "bin"}} {
		tl := maptile.At(orb.Point{117.2232, 39.1175}, 16)
		path := filepath.Join(dir, layer, "16", fmt.Sprint(tl.X), fmt.Sprint(tl.Y)+".mvt")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		code, raw := fetch(t, fmt.Sprintf("%stiles/%s/16/%d/%d.mvt?api_key=%s", d.base, layer, tl.X, tl.Y, key))
		if code != 200 {
			t.Fatalf("tile %s/16/%d/%d = %d", layer, tl.X, tl.Y, code)
		}
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		info := gdal(t, "ogrinfo", "-ro", "-al", "-so", "MVT:"+path)
		if !strings.Contains(info, "Layer name: "+layer) || countOf(t, info) == 0 {
			t.Errorf("GDAL's MVT driver finds no layer %s with features in the tile:\n%s", layer, info)
		}
		for _, f := range fields {
			if !regexp.MustCompile(`(?m)^` + f + `: `).MatchString(info) {
				t.Errorf("tile layer %s has no field %s:\n%s", layer, f, info)
			}
		}
	}
}

// apiCounts are the features each collection should hold, counted from the
// /api/v1 answers (pages followed to the end).
func apiCounts(t *testing.T, base, key string) map[string]int {
	t.Helper()
	features := func(path string) []any {
		code, body := get(t, base+path, key)
		fs, ok := body["features"].([]any)
		if code != 200 || !ok {
			t.Fatalf("GET %s = %d %v", path, code, body)
		}
		return fs
	}
	paged := func(path string) int {
		n := 0
		for cursor := ""; ; {
			code, body := get(t, base+path+cursor, key)
			fs, ok := body["features"].([]any)
			if code != 200 || !ok {
				t.Fatalf("GET %s%s = %d", path, cursor, code)
			}
			n += len(fs)
			next, _ := body["next"].(string)
			if next == "" {
				return n
			}
			cursor = "&cursor=" + next
		}
	}
	roads := features("api/v1/roads")
	segments := 0
	for _, r := range roads {
		segments += len(r.(map[string]any)["properties"].(map[string]any)["segments"].([]any))
	}
	return map[string]int{
		"violations": paged("api/v1/violations?limit=10000"), "tracks": paged("api/v1/tracks?limit=1000"),
		"roads": len(roads), "segments": segments,
		"hotspots": len(features("api/v1/hotspots")), "forecast": len(features("api/v1/forecast?profile=false")),
		"pilot-zones": len(features("api/v1/recommendations/pilot-zones")),
	}
}

// itemIDs follows an items answer's next links and returns every feature id.
func itemIDs(t *testing.T, url, key string) []string {
	t.Helper()
	var ids []string
	for url != "" {
		code, body := get(t, url, key)
		fs, ok := body["features"].([]any)
		if code != 200 || !ok {
			t.Fatalf("GET %s = %d %v", url, code, body)
		}
		for _, f := range fs {
			ids = append(ids, fmt.Sprint(f.(map[string]any)["id"]))
		}
		url = ""
		for _, l := range body["links"].([]any) {
			if l := l.(map[string]any); l["rel"] == "next" {
				url = l["href"].(string)
			}
		}
	}
	return ids
}

// fetch GETs a URL and returns the status and the body.
func fetch(t *testing.T, url string) (int, []byte) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, raw
}

// grepLines returns the lines of s that contain sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
