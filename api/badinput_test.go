package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/api"
	"github.com/dazhigu/hotspot/data"
)

// The paths written to.
const (
	pathViolations = "/api/v1/violations"
	pathTracks     = "/api/v1/tracks"
	pathOpen311    = "/open311/v2/requests.json"
)

// Content types used below.
const (
	ctGeoJSON = "application/geo+json"
	ctNDJSON  = "application/x-ndjson"
	ctCSV     = "text/csv"
	ctGPX     = "application/gpx+xml"
	ctForm    = "application/x-www-form-urlencoded"
	ctNone    = "-" // send no Content-Type header
)

// badCase is one write that must be refused (or, for resend, accepted
// without storing anything).
type badCase struct {
	name   string
	path   string // POST to this path; "{ingest}" is replaced by the ingest key
	ct     string // Content-Type; ctNone sends none
	body   string // "{ingest}" is replaced by the ingest key
	role   data.Role
	auth   string // a raw Authorization header instead of the role's key
	enc    string // a Content-Encoding header ("": none)
	small  bool   // sent to the env with small limits
	status int
	record int    // some problem names this record (0: not checked)
	field  string // ... and this field ("": not checked)
	resend string // a valid batch sent again: "violations" or "tracks"
}

// storeState is what must not change when a write is refused.
type storeState struct {
	violations     int
	lastViolation  int64
	tracks         int
	lastTrack      int64
	changes        int
	lastChangeSeq  int64
	trackFixes     int
	violationsHash string
}

func snapshot(t *testing.T, e *env) storeState {
	t.Helper()
	ctx := context.Background()
	vs, err := e.store.Violations(ctx, data.ViolationFilter{Limit: data.MaxPage})
	if err != nil {
		t.Fatal(err)
	}
	ts, err := e.store.Tracks(ctx, data.TrackFilter{Limit: data.MaxPage})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := e.store.Changes(ctx, 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	var s storeState
	s.violations, s.tracks, s.changes = len(vs), len(ts), len(cs)
	if len(vs) > 0 {
		s.lastViolation = vs[len(vs)-1].ID
	}
	if len(ts) > 0 {
		s.lastTrack = ts[len(ts)-1].ID
	}
	if len(cs) > 0 {
		s.lastChangeSeq = cs[len(cs)-1].Seq
	}
	for _, tr := range ts {
		s.trackFixes += tr.NFixes
	}
	// A digest of every stored violation's fields, so that an overwrite of
	// an existing record (same id, other values) is seen too.
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "%d|%s|%s|%s|%s|%v|%s|%s|%s|%s|%s\n", v.ID, v.Source, v.SourceID, v.Category,
			v.ObservedAt.UTC().Format(time.RFC3339Nano), v.Point, v.Datum, v.MerchantID, v.Severity, v.Disposition, v.Attributes)
	}
	s.violationsHash = b.String()
	return s
}

// leaks are what a message for a person must not hold: Go error prefixes
// and Go type names.
var leaks = []string{"json:", "strconv.", "xml:", "http: ", "float64", "int64", "int32", "uint8", "interface {}",
	"map[string]", "json.", "reflect.", "runtime error", "panic", "Go value", "Go struct", "*data.", "orb.", ".go:",
	"encoding/", "goroutine"}

func checkNoLeak(t *testing.T, what, s string) {
	t.Helper()
	for _, l := range leaks {
		if strings.Contains(s, l) {
			t.Errorf("%s leaks Go internals (%q): %q", what, l, s)
		}
	}
}

// send posts c to e and returns the response, its raw body and the decoded JSON.
func send(t *testing.T, e *env, c badCase) (*http.Response, []byte, map[string]any) {
	t.Helper()
	path := strings.ReplaceAll(c.path, "{ingest}", e.keys[data.RoleIngest])
	body := strings.ReplaceAll(c.body, "{ingest}", e.keys[data.RoleIngest])
	req, err := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if c.ct != ctNone {
		req.Header.Set("Content-Type", c.ct)
	}
	if c.enc != "" {
		req.Header.Set("Content-Encoding", c.enc)
	}
	switch {
	case c.auth != "":
		req.Header.Set("Authorization", c.auth)
	case c.role != "":
		req.Header.Set("Authorization", "Bearer "+e.keys[c.role])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if strings.Contains(res.Header.Get("Content-Type"), "json") && !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("[")) {
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("body is not a JSON object: %v\n%s", err, raw)
		}
	}
	return res, raw, m
}

// ---- bodies ----

// flatRec is a valid flat NDJSON violation with edits: pairs of a key and its
// raw JSON value; an empty value drops the key, a new key is appended.
func flatRec(edits ...string) string {
	keys := []string{"source", "source_id", "category", "observed_at", "lon", "lat"}
	vals := map[string]string{"source": `"patrol"`, "source_id": `"bad-1"`, "category": `"dumping"`,
		"observed_at": `"2026-05-12T08:00:00+08:00"`, "lon": "117.2301", "lat": "39.1133"}
	for i := 0; i+1 < len(edits); i += 2 {
		k, v := edits[i], edits[i+1]
		if _, ok := vals[k]; !ok {
			keys = append(keys, k)
		}
		vals[k] = v
	}
	var parts []string
	for _, k := range keys {
		if vals[k] != "" {
			parts = append(parts, fmt.Sprintf("%q:%s", k, vals[k]))
		}
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// ndjson joins records into lines.
func ndjson(recs ...string) string { return strings.Join(recs, "\n") + "\n" }

// jstr is s as a JSON string.
func jstr(s string) string { b, _ := json.Marshal(s); return string(b) }

// feature is a violation Feature with a Point at lon, lat and source id id.
func feature(id string, lon, lat float64) string {
	return fmt.Sprintf(`{"type":"Feature","geometry":{"type":"Point","coordinates":[%v,%v]},"properties":{"source":"patrol","source_id":%q,"category":"dumping","observed_at":"2026-05-12T08:00:00+08:00"}}`, lon, lat, id)
}

func fc(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

const csvHeader = "source,source_id,category,observed_at,lon,lat\n"

func csvRow(id, lon, lat string) string {
	return "patrol," + id + ",dumping,2026-05-12T08:00:00+08:00," + lon + "," + lat + "\n"
}

// trackFeature is a track Feature with the given geometry and properties JSON.
func trackFeature(geometry, props string) string {
	return `{"type":"Feature","geometry":` + geometry + `,"properties":` + props + `}`
}

func lineString(coords string) string { return `{"type":"LineString","coordinates":` + coords + `}` }

// fixLine is one NDJSON fix of officer T-9's track bad-t.
func fixLine(time string, lon, lat string) string {
	return `{"officer":"T-9","track":"bad-t","time":` + time + `,"lon":` + lon + `,"lat":` + lat + `}`
}

const gpxHead = `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><metadata><author><name>T-7</name></author></metadata>`

func trkpt(lat, lon, tm string) string {
	s := `<trkpt lat="` + lat + `" lon="` + lon + `">`
	if tm != "" {
		s += "<time>" + tm + "</time>"
	}
	return s + "</trkpt>"
}

func gpxDoc(pts ...string) string {
	return gpxHead + "<trk><trkseg>" + strings.Join(pts, "") + "</trkseg></trk></gpx>"
}

var goodPts = []string{
	trkpt("39.1120", "117.2255", "2026-05-11T00:30:00Z"),
	trkpt("39.1120", "117.2256", "2026-05-11T00:30:10Z"),
	trkpt("39.1120", "117.2257", "2026-05-11T00:30:20Z"),
}

// gz is s compressed with gzip.
func gz(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

// gzBadCRC is s compressed with gzip, its checksum spoilt.
func gzBadCRC(s string) string {
	b := []byte(gz(s))
	b[len(b)-8] ^= 0xff
	return string(b)
}

// pad is n bytes of filler.
func pad(n int) string { return strings.Repeat("x", n) }

// badInputCases are the table of TestBadInput.
func badInputCases() []badCase {
	future := jstr(time.Now().Add(48 * time.Hour).Format(time.RFC3339))
	v := func(name, ct, body string, status, record int, field string) badCase {
		return badCase{name: "violations/" + name, path: pathViolations, ct: ct, body: body, role: data.RoleIngest,
			status: status, record: record, field: field}
	}
	nd := func(name, body string, record int, field string) badCase {
		return v(name, ctNDJSON, body, 400, record, field)
	}
	tr := func(name, ct, body string, status, record int, field string) badCase {
		return badCase{name: "tracks/" + name, path: pathTracks, ct: ct, body: body, role: data.RoleIngest,
			status: status, record: record, field: field}
	}
	o := func(name, form string, status, record int, field string) badCase {
		return badCase{name: "open311/" + name, path: pathOpen311, ct: ctForm, body: form, role: data.RoleIngest,
			status: status, record: record, field: field}
	}
	small := func(c badCase) badCase { c.small = true; return c }
	with := func(c badCase, f func(*badCase)) badCase { f(&c); return c }

	good1, good2 := feature("bad-g1", 117.2301, 39.1133), feature("bad-g2", 117.2262, 39.1158)
	good := flatRec("source_id", `"bad-ok"`)
	pt1 := `{"type":"Point","coordinates":[117.2301,39.1133]}` // good1's geometry
	tTimes := `"times":["2026-05-11T08:30:00+08:00","2026-05-11T08:30:10+08:00","2026-05-11T08:30:20+08:00"]`
	tCoords := `[[117.2255,39.112],[117.2256,39.112],[117.2257,39.112]]`
	var sixRecs, sixFeatures, sixRows, sixTracks []string
	for i := range 6 {
		id := fmt.Sprintf("many-%d", i+1)
		sixRecs = append(sixRecs, flatRec("source_id", jstr(id)))
		sixFeatures = append(sixFeatures, feature(id, 117.2301, 39.1133))
		sixRows = append(sixRows, csvRow(id, "117.2301", "39.1133"))
		for j := range 2 {
			sixTracks = append(sixTracks, fmt.Sprintf(`{"officer":"M-%d","track":"m","time":"2026-05-11T08:3%d:00+08:00","lon":117.2255,"lat":39.112}`, i, j))
		}
	}

	return []badCase{
		// ---- malformed GeoJSON ----
		v("geojson/truncated after feature 1", ctGeoJSON, `{"type":"FeatureCollection","features":[`+good1, 400, 2, "body"),
		v("geojson/truncated after a comma", ctGeoJSON, `{"type":"FeatureCollection","features":[`+good1+",", 400, 2, "body"),
		v("geojson/truncated inside feature 1", ctGeoJSON, `{"type":"FeatureCollection","features":[`+good1[:60], 400, 1, "body"),
		v("geojson/syntax error in feature 2", ctGeoJSON, fc(good1,
			`{"type":"Feature","geometry":{"type":"Point","coordinates":[117.23,39.11]},"properties":{"source":"patrol" "source_id":"x"}}`), 400, 2, "body"),
		v("geojson/trailing garbage", ctGeoJSON, fc(good1, good2)+" garbage", 400, 0, "body"),
		v("geojson/a second object after the first", ctGeoJSON, fc(good1)+"\n"+fc(good2), 400, 0, "body"),
		v("geojson/an array at the top", ctGeoJSON, `[`+good1+`]`, 400, 1, "body"),
		v("geojson/not a Feature or FeatureCollection", ctGeoJSON, `{"type":"Topology","objects":{}}`, 400, 1, "body"),
		v("geojson/features is an object", ctGeoJSON, `{"type":"FeatureCollection","features":{}}`, 400, 1, "body"),
		v("geojson/member is not a Feature", ctGeoJSON, fc(`{"type":"Polygon"}`), 400, 1, "type"),
		v("geojson/properties is an array", ctGeoJSON, fc(`{"type":"Feature","geometry":{"type":"Point","coordinates":[117.23,39.11]},"properties":[1]}`), 400, 1, "properties"),
		v("geojson/LineString geometry", ctGeoJSON, fc(good1, strings.Replace(good2, `{"type":"Point","coordinates":[117.2262,39.1158]}`, lineString(`[[117.2,39.1],[117.3,39.2]]`), 1)), 400, 2, "geometry"),
		v("geojson/coordinate 1e400", ctGeoJSON, fc(strings.Replace(good1, "117.2301", "1e400", 1)), 400, 1, "geometry"),
		v("geojson/coordinates are strings", ctGeoJSON, fc(strings.Replace(good1, "117.2301", `"117.2301"`, 1)), 400, 1, "geometry"),
		v("geojson/no geometry and no lon/lat", ctGeoJSON, fc(`{"type":"Feature","geometry":null,"properties":{"source":"patrol","source_id":"g","category":"dumping","observed_at":"2026-05-12T08:00:00+08:00"}}`), 400, 1, "lon/lat"),
		v("geojson/deeply nested", ctGeoJSON, fc(`{"type":"Feature","geometry":null,"properties":{"attributes":`+strings.Repeat("[", 20000)+strings.Repeat("]", 20000)+`}}`), 400, 1, ""),

		// ---- malformed NDJSON ----
		nd("ndjson/line 2 truncated", ndjson(good, `{"source":"patrol","source_id":`), 2, "body"),
		nd("ndjson/line is an array", ndjson(`[1,2,3]`), 1, "body"),
		nd("ndjson/line is null", ndjson(good, `null`), 2, "body"),
		nd("ndjson/garbage after the object", ndjson(flatRec()+` trailing`), 1, "body"),
		nd("ndjson/NaN literal", ndjson(flatRec("lon", "NaN")), 1, "body"),
		nd("ndjson/two objects on one line", ndjson(flatRec()+flatRec("source_id", `"bad-2"`)), 1, "body"),

		// ---- malformed CSV ----
		v("csv/bare quote", ctCSV, csvHeader+`patrol,a"b,dumping,2026-05-12T08:00:00+08:00,117.2301,39.1133`+"\n", 400, 1, "body"),
		v("csv/unterminated quote", ctCSV, csvHeader+`patrol,"abc,dumping,2026-05-12T08:00:00+08:00,117.2301,39.1133`+"\n", 400, 1, "body"),
		v("csv/wrong field count", ctCSV, csvHeader+csvRow("c-1", "117.2301", "39.1133")+"patrol,c-2,dumping,117.2301,39.1133\n", 400, 2, "body"),
		v("csv/no lon/lat header", ctCSV, "source,source_id,category,observed_at,easting,northing\n"+csvRow("c-1", "117.2301", "39.1133"), 400, 1, "body"),
		v("csv/empty", ctCSV, "", 400, 1, "body"),
		v("csv/duplicate header", ctCSV, "source,source_id,source_id,observed_at,lon,lat\n"+csvRow("c-1", "117.2301", "39.1133"), 400, 1, "body"),
		v("csv/empty header column", ctCSV, "source,source_id,,category,observed_at,lon,lat\npatrol,c-1,,dumping,2026-05-12T08:00:00+08:00,117.2301,39.1133\n", 400, 1, "body"),
		v("csv/header only", ctCSV, csvHeader, 400, 0, ""),
		v("csv/NaN longitude", ctCSV, csvHeader+csvRow("c-1", "NaN", "39.1133"), 400, 1, "lon/lat"),
		v("csv/Inf latitude", ctCSV, csvHeader+csvRow("c-1", "117.2301", "Inf"), 400, 1, "lon/lat"),
		v("csv/-Inf longitude", ctCSV, csvHeader+csvRow("c-1", "-Inf", "39.1133"), 400, 1, "lon/lat"),
		v("csv/lon is text", ctCSV, csvHeader+csvRow("c-1", "117°13'", "39.1133"), 400, 1, "lon/lat"),
		v("csv/invalid UTF-8 in source_id", ctCSV, csvHeader+csvRow("c-\xff\xfe", "117.2301", "39.1133"), 400, 1, "source_id"),
		v("csv/attributes not an object", ctCSV, "source,source_id,category,observed_at,lon,lat,attributes\npatrol,c-1,dumping,2026-05-12T08:00:00+08:00,117.2301,39.1133,[1]\n", 400, 1, "attributes"),
		v("csv/bad record 2 of 2", ctCSV, csvHeader+csvRow("c-1", "117.2301", "39.1133")+csvRow("c-2", "117.2301", "91"), 400, 2, "lon/lat"),

		// ---- wrong JSON types of wire fields ----
		nd("type/source is a number", ndjson(flatRec("source", "1")), 1, "source"),
		nd("type/source_id is a float", ndjson(flatRec("source_id", "1.5")), 1, "source_id"),
		nd("type/source_id is a bool", ndjson(flatRec("source_id", "true")), 1, "source_id"),
		nd("type/source_id is an object", ndjson(flatRec("source_id", `{"id":1}`)), 1, "source_id"),
		nd("type/source_id is an array", ndjson(flatRec("source_id", `["a"]`)), 1, "source_id"),
		nd("type/category is a number", ndjson(flatRec("category", "7")), 1, "category"),
		nd("type/observed_at is a number", ndjson(flatRec("observed_at", "1778459400")), 1, "observed_at"),
		nd("type/lon is a string", ndjson(flatRec("lon", `"117.2301"`)), 1, "lon/lat"),
		nd("type/lat is a bool", ndjson(flatRec("lat", "true")), 1, "lon/lat"),
		nd("type/attributes is an array", ndjson(flatRec("attributes", `[1,2]`)), 1, "attributes"),
		nd("type/attributes is a string", ndjson(flatRec("attributes", `"{\"a\":1}"`)), 1, "attributes"),
		nd("type/severity is a number", ndjson(flatRec("severity", "2")), 1, "severity"),
		nd("type/disposition is a bool", ndjson(flatRec("disposition", "false")), 1, "disposition"),
		nd("type/merchant_id is an array", ndjson(flatRec("merchant_id", `["m"]`)), 1, "merchant_id"),
		v("type/geojson source_id is a float", ctGeoJSON, fc(strings.Replace(good1, `"bad-g1"`, "3.25", 1)), 400, 1, "source_id"),

		// ---- missing required fields ----
		nd("missing/source", ndjson(flatRec("source", "")), 1, "source"),
		nd("missing/source_id", ndjson(flatRec("source_id", "")), 1, "source_id"),
		nd("missing/category", ndjson(flatRec("category", "")), 1, "category"),
		nd("missing/observed_at", ndjson(flatRec("observed_at", "")), 1, "observed_at"),
		nd("missing/lon", ndjson(flatRec("lon", "")), 1, "lon/lat"),
		nd("missing/lat", ndjson(flatRec("lat", "")), 1, "lon/lat"),
		nd("missing/source_id is null", ndjson(flatRec("source_id", "null")), 1, "source_id"),
		nd("missing/source_id is blank", ndjson(flatRec("source_id", `"   "`)), 1, "source_id"),
		v("missing/csv category cell", ctCSV, csvHeader+"patrol,c-1,,2026-05-12T08:00:00+08:00,117.2301,39.1133\n", 400, 1, "category"),

		// ---- numbers that are not finite, places that are not ours ----
		nd("place/lon 1e400", ndjson(flatRec("lon", "1e400")), 1, "lon/lat"),
		nd("place/lon 181", ndjson(flatRec("lon", "181")), 1, "lon/lat"),
		nd("place/lat -91", ndjson(flatRec("lat", "-91")), 1, "lon/lat"),
		nd("place/lon and lat swapped", ndjson(flatRec("lon", "39.1133", "lat", "117.2301")), 1, "lon/lat"),
		nd("place/0,0", ndjson(flatRec("lon", "0", "lat", "0")), 1, "lon/lat"),
		nd("place/Beijing", ndjson(flatRec("lon", "116.404", "lat", "39.915")), 1, "lon/lat"),
		v("place/geojson swapped", ctGeoJSON, fc(feature("g-sw", 39.1133, 117.2301)), 400, 1, "lon/lat"),
		// 117.1925,39.1206 is 1.77 km west of the area read as WGS-84 (accepted),
		// but 2.32 km west once converted from GCJ-02.
		// (the subtest "gcj02 control" shows the same record is accepted in WGS-84).
		{name: "violations/place/outside only after gcj02 conversion", path: pathViolations + "?crs=gcj02", ct: ctNDJSON,
			body: ndjson(flatRec("lon", "117.1925", "lat", "39.1206")), role: data.RoleIngest, status: 400, record: 1, field: "lon/lat"},

		// ---- values that are not codes ----
		nd("value/unknown category", ndjson(flatRec("category", `"parking"`)), 1, "category"),
		nd("value/category in another case", ndjson(flatRec("category", `"Dumping"`)), 1, "category"),
		nd("value/unknown source", ndjson(flatRec("source", `"radio"`)), 1, "source"),
		nd("value/invalid severity", ndjson(flatRec("severity", `"critical"`)), 1, "severity"),
		nd("value/invalid disposition", ndjson(flatRec("disposition", `"pardoned"`)), 1, "disposition"),
		nd("value/source_id over 128 bytes", ndjson(flatRec("source_id", jstr(pad(129)))), 1, "source_id"),
		nd("value/source_id of 43 CJK chars (129 bytes)", ndjson(flatRec("source_id", jstr(strings.Repeat("违", 43)))), 1, "source_id"),
		nd("value/merchant_id over 128 bytes", ndjson(flatRec("merchant_id", jstr(pad(200)))), 1, "merchant_id"),
		nd("value/source_id with NUL", ndjson(flatRec("source_id", `"a\u0000b"`)), 1, "source_id"),
		nd("value/source_id with newline", ndjson(flatRec("source_id", `"a\nb"`)), 1, "source_id"),
		nd("value/source_id with ESC", ndjson(flatRec("source_id", `"a\u001b[31mb"`)), 1, "source_id"),
		nd("value/source_id with invalid UTF-8", ndjson(flatRec("source_id", "\"bad-\xff\xfe\"")), 1, "source_id"),
		nd("value/attributes over 8 KiB", ndjson(flatRec("attributes", `{"note":`+jstr(pad(9000))+`}`)), 1, "attributes"),
		nd("value/SQL in category", ndjson(flatRec("category", jstr("'; DROP TABLE violations; --"))), 1, "category"),

		// ---- times ----
		nd("time/no zone", ndjson(flatRec("observed_at", `"2026-05-12T08:00:00"`)), 1, "observed_at"),
		nd("time/date only", ndjson(flatRec("observed_at", `"2026-05-12"`)), 1, "observed_at"),
		nd("time/two days ahead", ndjson(flatRec("observed_at", future)), 1, "observed_at"),
		nd("time/1970", ndjson(flatRec("observed_at", `"1970-01-01T00:00:00Z"`)), 1, "observed_at"),
		nd("time/not a time", ndjson(flatRec("observed_at", `"yesterday"`)), 1, "observed_at"),
		nd("time/month 13", ndjson(flatRec("observed_at", `"2026-13-01T08:00:00+08:00"`)), 1, "observed_at"),

		// ---- batches ----
		nd("batch/duplicate source_id", ndjson(flatRec("source_id", `"dup-1"`), flatRec("source_id", `"dup-1"`, "lon", "117.2262")), 2, "source_id"),
		nd("batch/duplicate integer and string source_id", ndjson(flatRec("source_id", `"77"`), flatRec("source_id", "77")), 2, "source_id"),
		nd("batch/good then bad is all or nothing", ndjson(good, flatRec("source_id", `"bad-2"`, "category", `"parking"`)), 2, "category"),
		{name: "violations/batch/every record bad, partial", path: pathViolations + "?partial=true", ct: ctNDJSON,
			body: ndjson(flatRec("category", `"parking"`)), role: data.RoleIngest, status: 400, record: 1, field: "category"},
		{name: "violations/batch/resend ndjson", path: pathViolations, ct: ctNDJSON, role: data.RoleIngest, status: 200, resend: "violations"},
		{name: "violations/batch/resend geojson", path: pathViolations, ct: ctGeoJSON, role: data.RoleIngest, status: 200, resend: "violations"},
		{name: "violations/batch/resend csv", path: pathViolations, ct: ctCSV, role: data.RoleIngest, status: 200, resend: "violations"},

		// ---- empty bodies ----
		v("empty/geojson body", ctGeoJSON, "", 400, 0, ""),
		v("empty/ndjson body", ctNDJSON, "", 400, 0, ""),
		v("empty/ndjson blank lines", ctNDJSON, "\n  \n\n", 400, 0, ""),
		v("empty/zero features", ctGeoJSON, fc(), 400, 0, ""),

		// ---- limits (MaxBody 4096, MaxRecords 5) ----
		small(v("limit/ndjson body too large", ctNDJSON, ndjson(flatRec("note", jstr(pad(5000)))), 413, 0, "")),
		small(v("limit/ndjson many lines too large", ctNDJSON, strings.Repeat("\n", 5000)+ndjson(good), 413, 0, "")),
		small(v("limit/geojson body too large", ctGeoJSON, fc(strings.Replace(good1, `"category"`, `"note":`+jstr(pad(5000))+`,"category"`, 1)), 413, 0, "")),
		small(v("limit/geojson too large after the features", ctGeoJSON, `{"type":"FeatureCollection","features":[`+good1+`],"pad":`+jstr(pad(5000))+`}`, 413, 0, "")),
		small(v("limit/csv body too large", ctCSV, csvHeader+csvRow("c-"+pad(5000), "117.2301", "39.1133"), 413, 0, "")),
		small(v("limit/csv too large inside a quoted field", ctCSV, csvHeader+`patrol,"`+pad(5000), 413, 0, "")),
		small(v("limit/ndjson 6 records", ctNDJSON, ndjson(sixRecs...), 413, 0, "")),
		small(v("limit/geojson 6 features", ctGeoJSON, fc(sixFeatures...), 413, 0, "")),
		small(v("limit/csv 6 rows", ctCSV, csvHeader+strings.Join(sixRows, ""), 413, 0, "")),

		// ---- media types ----
		v("media/text/plain", "text/plain", ndjson(good), 415, 0, ""),
		v("media/application/xml", "application/xml", ndjson(good), 415, 0, ""),
		v("media/gpx", ctGPX, gpxDoc(goodPts...), 415, 0, ""),
		v("media/form", ctForm, "source=patrol", 415, 0, ""),
		v("media/none", ctNone, ndjson(good), 415, 0, ""),
		v("media/unparseable", "application/", ndjson(good), 415, 0, ""),
		v("media/html in the media type", "text/<script>alert(1)</script>", ndjson(good), 415, 0, ""),

		// ---- query ----
		with(v("query/bad crs", ctNDJSON, ndjson(good), 400, 0, "crs"), func(c *badCase) { c.path += "?crs=utm50" }),
		with(v("query/crs in upper case", ctNDJSON, ndjson(good), 400, 0, "crs"), func(c *badCase) { c.path += "?crs=WGS84" }),
		with(v("query/bad partial", ctNDJSON, ndjson(good), 400, 0, "partial"), func(c *badCase) { c.path += "?partial=yes" }),
		with(v("query/unknown parameter", ctNDJSON, ndjson(good), 400, 0, "dry_run"), func(c *badCase) { c.path += "?dry_run=true" }),

		// ---- access ----
		with(v("access/no key", ctNDJSON, ndjson(good), 401, 0, ""), func(c *badCase) { c.role = "" }),
		with(v("access/unknown key", ctNDJSON, ndjson(good), 401, 0, ""), func(c *badCase) { c.auth = "Bearer hs_notakey" }),
		with(v("access/basic auth", ctNDJSON, ndjson(good), 401, 0, ""), func(c *badCase) { c.auth = "Basic dXNlcjpwYXNz" }),
		with(v("access/viewer key", ctNDJSON, ndjson(good), 403, 0, ""), func(c *badCase) { c.role = data.RoleViewer }),
		with(v("access/scheduler key", ctNDJSON, ndjson(good), 403, 0, ""), func(c *badCase) { c.role = data.RoleScheduler }),
		with(v("access/api_key parameter off Open311", ctNDJSON, ndjson(good), 401, 0, ""), func(c *badCase) { c.role = ""; c.path += "?api_key={ingest}" }),

		// ---- GeoJSON: types and shapes ----
		v("geojson/FeatureCollection without features", ctGeoJSON, `{"type":"FeatureCollection"}`, 400, 1, "body"),
		v("geojson/type in lower case", ctGeoJSON, `{"type":"featurecollection","features":[`+good1+`]}`, 400, 1, "body"),
		v("geojson/a Feature type with features", ctGeoJSON, `{"type":"Feature","features":[`+good1+`]}`, 400, 1, "body"),
		v("geojson/type after the features says Feature", ctGeoJSON, `{"features":[`+good1+`],"type":"Feature"}`, 400, 0, "body"),
		v("geojson/features twice", ctGeoJSON, `{"type":"FeatureCollection","features":[`+good1+`],"features":[`+good2+`]}`, 400, 0, "body"),
		v("geojson/a GeometryCollection at the top", ctGeoJSON, `{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[117.2301,39.1133]}]}`, 400, 1, "body"),
		v("geojson/a bare Point at the top", ctGeoJSON, pt1, 400, 1, "body"),
		v("geojson/features is null", ctGeoJSON, `{"type":"FeatureCollection","features":null}`, 400, 1, "body"),
		v("geojson/features is a string", ctGeoJSON, `{"type":"FeatureCollection","features":"[]"}`, 400, 1, "body"),
		v("geojson/member is null", ctGeoJSON, fc(good1, "null"), 400, 2, "type"),
		v("geojson/member is a number", ctGeoJSON, fc("1"), 400, 1, "type"),
		v("geojson/member is an array", ctGeoJSON, fc("["+good1+"]"), 400, 1, "type"),
		v("geojson/Feature type in lower case", ctGeoJSON, fc(strings.Replace(good1, `"Feature"`, `"feature"`, 1)), 400, 1, "type"),
		v("geojson/properties is a string", ctGeoJSON, fc(strings.Replace(good1, `"properties":{`, `"properties":"source=patrol","p":{`, 1)), 400, 1, "properties"),
		v("geojson/properties is a number", ctGeoJSON, fc(strings.Replace(good1, `"properties":{`, `"properties":7,"p":{`, 1)), 400, 1, "properties"),
		v("geojson/properties is null", ctGeoJSON, fc(`{"type":"Feature","geometry":`+pt1+`,"properties":null}`), 400, 1, "source"),
		v("geojson/geometry is missing", ctGeoJSON, fc(`{"type":"Feature","properties":{"source":"patrol","source_id":"g","category":"dumping","observed_at":"2026-05-12T08:00:00+08:00"}}`), 400, 1, "lon/lat"),
		v("geojson/geometry is an empty object", ctGeoJSON, fc(strings.Replace(good1, pt1, `{}`, 1)), 400, 1, "geometry"),
		v("geojson/geometry is a string", ctGeoJSON, fc(strings.Replace(good1, pt1, `"POINT(117.2301 39.1133)"`, 1)), 400, 1, "geometry"),
		v("geojson/GeometryCollection geometry", ctGeoJSON, fc(strings.Replace(good1, pt1, `{"type":"GeometryCollection","geometries":[`+pt1+`]}`, 1)), 400, 1, "geometry"),
		v("geojson/MultiPoint geometry", ctGeoJSON, fc(strings.Replace(good1, pt1, `{"type":"MultiPoint","coordinates":[[117.2301,39.1133]]}`, 1)), 400, 1, "geometry"),
		v("geojson/Polygon geometry", ctGeoJSON, fc(strings.Replace(good1, pt1, `{"type":"Polygon","coordinates":[[[117.23,39.11],[117.24,39.11],[117.24,39.12],[117.23,39.11]]]}`, 1)), 400, 1, "geometry"),
		v("geojson/Point type in lower case", ctGeoJSON, fc(strings.Replace(good1, `"Point"`, `"point"`, 1)), 400, 1, "geometry"),
		v("geojson/Point with 4 coordinates", ctGeoJSON, fc(strings.Replace(good1, "39.1133]", "39.1133,2.5,1778544000]", 1)), 400, 1, "geometry"),
		v("geojson/Point with 1 coordinate", ctGeoJSON, fc(strings.Replace(good1, "[117.2301,39.1133]", "[117.2301]", 1)), 400, 1, "geometry"),
		v("geojson/Point with no coordinates", ctGeoJSON, fc(strings.Replace(good1, "[117.2301,39.1133]", "[]", 1)), 400, 1, "geometry"),
		v("geojson/Point with nested coordinates", ctGeoJSON, fc(strings.Replace(good1, "[117.2301,39.1133]", "[[117.2301,39.1133]]", 1)), 400, 1, "geometry"),
		v("geojson/Point coordinates null", ctGeoJSON, fc(strings.Replace(good1, "[117.2301,39.1133]", "null", 1)), 400, 1, "geometry"),
		v("geojson/Point without coordinates", ctGeoJSON, fc(strings.Replace(good1, pt1, `{"type":"Point"}`, 1)), 400, 1, "geometry"),
		v("geojson/elevation is a string", ctGeoJSON, fc(strings.Replace(good1, "39.1133]", `39.1133,"3 m"]`, 1)), 400, 1, "geometry"),
		v("geojson/NaN literal", ctGeoJSON, fc(strings.Replace(good1, "117.2301", "NaN", 1)), 400, 1, "body"),
		v("geojson/Infinity literal", ctGeoJSON, fc(strings.Replace(good1, "39.1133", "Infinity", 1)), 400, 1, "body"),
		v("geojson/coordinates swapped far outside", ctGeoJSON, fc(feature("g-far", -117.2301, -39.1133)), 400, 1, "lon/lat"),
		v("geojson/trailing comma in features", ctGeoJSON, `{"type":"FeatureCollection","features":[`+good1+`,]}`, 400, 2, "body"),
		v("geojson/BOM between features", ctGeoJSON, `{"type":"FeatureCollection","features":[`+good1+",\ufeff"+good2+`]}`, 400, 2, "body"),
		v("geojson/comment", ctGeoJSON, "// exported 2026-05-12\n"+fc(good1), 400, 1, "body"),
		v("geojson/single quotes", ctGeoJSON, fc(strings.ReplaceAll(good1, `"`, `'`)), 400, 1, "body"),
		v("geojson/invalid UTF-8 in category", ctGeoJSON, fc(strings.Replace(good1, `"dumping"`, "\"dump\xffing\"", 1)), 400, 1, "category"),
		v("geojson/NUL in source_id", ctGeoJSON, fc(strings.Replace(good1, `"bad-g1"`, `"bad\u0000g1"`, 1)), 400, 1, "source_id"),
		v("geojson/properties deeply nested", ctGeoJSON, fc(strings.Replace(good1, `"properties":{`, `"properties":{"attributes":`+strings.Repeat(`{"a":`, 20000)+"1"+strings.Repeat("}", 20000)+",", 1)), 400, 1, "body"),

		// ---- NDJSON: literals JSON does not have ----
		nd("ndjson/Infinity literal", ndjson(flatRec("lon", "Infinity")), 1, "body"),
		nd("ndjson/-Infinity literal", ndjson(flatRec("lat", "-Infinity")), 1, "body"),
		nd("ndjson/hex number", ndjson(flatRec("lon", "0x75")), 1, "body"),
		nd("ndjson/leading plus", ndjson(flatRec("lon", "+117.2301")), 1, "body"),
		nd("ndjson/leading zero", ndjson(flatRec("lat", "039.1133")), 1, "body"),
		nd("ndjson/trailing decimal point", ndjson(flatRec("lon", "117.")), 1, "body"),
		nd("ndjson/single quotes", ndjson(strings.ReplaceAll(flatRec(), `"`, `'`)), 1, "body"),
		nd("ndjson/unquoted keys", ndjson(`{source:"patrol",source_id:"u-1",category:"dumping",observed_at:"2026-05-12T08:00:00+08:00",lon:117.2301,lat:39.1133}`), 1, "body"),
		nd("ndjson/trailing comma", ndjson(strings.TrimSuffix(flatRec(), "}")+",}"), 1, "body"),
		nd("ndjson/comment line", ndjson("# exported 2026-05-12", good), 1, "body"),
		nd("ndjson/raw NUL byte in a string", ndjson(flatRec("source_id", "\"a\x00b\"")), 1, "body"),
		nd("ndjson/raw tab in a string", ndjson(flatRec("source_id", "\"a\tb\"")), 1, "body"),
		nd("ndjson/unterminated string", ndjson(strings.TrimSuffix(flatRec("lat", `"39.1133`), "}")), 1, "body"),
		nd("ndjson/line is a string", ndjson(good, jstr(good)), 2, "body"),
		nd("ndjson/line is a number", ndjson(`42`), 1, "body"),
		nd("ndjson/line is true", ndjson(`true`), 1, "body"),
		nd("ndjson/empty object", ndjson(`{}`), 1, "source"),
		nd("ndjson/CR line endings", strings.Join([]string{good, flatRec("source_id", `"bad-2"`)}, "\r")+"\r", 1, "body"),
		nd("ndjson/BOM at the start of line 2", ndjson(good, "\ufeff"+flatRec("source_id", `"bad-2"`)), 2, "body"),
		nd("ndjson/BOM inside the object", ndjson(strings.Replace(flatRec(), `,"category"`, ",\ufeff\"category\"", 1)), 1, "body"),
		nd("ndjson/deeply nested attributes", ndjson(flatRec("attributes", strings.Repeat(`{"a":`, 20000)+"1"+strings.Repeat("}", 20000))), 1, "body"),
		nd("ndjson/deeply nested array in source_id", ndjson(flatRec("source_id", strings.Repeat("[", 20000)+strings.Repeat("]", 20000))), 1, "body"),

		// ---- more wrong JSON types ----
		nd("type/lon is an array", ndjson(flatRec("lon", "[117.2301]")), 1, "lon/lat"),
		nd("type/lat is an object", ndjson(flatRec("lat", `{"deg":39,"min":6.8}`)), 1, "lon/lat"),
		nd("type/lon is null", ndjson(flatRec("lon", "null")), 1, "lon/lat"),
		nd("type/category is an array", ndjson(flatRec("category", `["dumping"]`)), 1, "category"),
		nd("type/source is an array", ndjson(flatRec("source", `["patrol"]`)), 1, "source"),
		nd("type/observed_at is an array", ndjson(flatRec("observed_at", `["2026-05-12T08:00:00+08:00"]`)), 1, "observed_at"),
		nd("type/observed_at is an object", ndjson(flatRec("observed_at", `{"$date":"2026-05-12T08:00:00+08:00"}`)), 1, "observed_at"),
		nd("type/severity is an array", ndjson(flatRec("severity", `["minor"]`)), 1, "severity"),
		nd("type/disposition is an object", ndjson(flatRec("disposition", `{"code":"fined"}`)), 1, "disposition"),
		nd("type/merchant_id is a float", ndjson(flatRec("merchant_id", "12.5")), 1, "merchant_id"),
		nd("type/merchant_id is a bool", ndjson(flatRec("merchant_id", "false")), 1, "merchant_id"),
		nd("type/source_id in exponent form", ndjson(flatRec("source_id", "1e3")), 1, "source_id"),
		nd("type/updated_at is a number", ndjson(flatRec("updated_at", "1778544000")), 1, "updated_at"),
		nd("type/updated_at is a bool", ndjson(flatRec("updated_at", "true")), 1, "updated_at"),
		nd("type/attributes is a number", ndjson(flatRec("attributes", "1")), 1, "attributes"),
		nd("type/attributes is a bool", ndjson(flatRec("attributes", "true")), 1, "attributes"),
		nd("type/longitude under its Chinese name is text", ndjson(flatRec("lon", "", "经度", `"117.2301"`)), 1, "lon/lat"),
		nd("type/x is text", ndjson(flatRec("lon", "", "x", `"E117.2301"`)), 1, "lon/lat"),
		nd("type/crs is a number", ndjson(flatRec("crs", "4326")), 1, "crs"),

		// ---- empty and blank values of required fields ----
		nd("missing/source is empty", ndjson(flatRec("source", `""`)), 1, "source"),
		nd("missing/source_id is empty", ndjson(flatRec("source_id", `""`)), 1, "source_id"),
		nd("missing/category is empty", ndjson(flatRec("category", `""`)), 1, "category"),
		nd("missing/observed_at is empty", ndjson(flatRec("observed_at", `""`)), 1, "observed_at"),
		nd("missing/observed_at is blank", ndjson(flatRec("observed_at", `"   "`)), 1, "observed_at"),
		nd("missing/lon is empty", ndjson(flatRec("lon", `""`)), 1, "lon/lat"),
		nd("missing/lat is empty", ndjson(flatRec("lat", `""`)), 1, "lon/lat"),
		nd("missing/source_id is a tab", ndjson(flatRec("source_id", `"\t"`)), 1, "source_id"),
		nd("missing/source_id is an ideographic space", ndjson(flatRec("source_id", `"\u3000"`)), 1, "source_id"),
		nd("missing/category is blank", ndjson(flatRec("category", `"  "`)), 1, "category"),
		nd("missing/merchant_id is blank", ndjson(flatRec("merchant_id", `"  "`)), 1, "merchant_id"),
		nd("missing/every field", ndjson(flatRec("source", "", "source_id", "", "category", "", "observed_at", "", "lon", "", "lat", "", "note", `"x"`)), 1, "observed_at"),

		// ---- more places that are not ours ----
		nd("place/lon -0", ndjson(flatRec("lon", "-0")), 1, "lon/lat"),
		nd("place/lat 1e400", ndjson(flatRec("lat", "1e400")), 1, "lon/lat"),
		nd("place/lon 1e-400", ndjson(flatRec("lon", "1e-400")), 1, "lon/lat"),
		nd("place/southern and western hemispheres", ndjson(flatRec("lon", "-117.2301", "lat", "-39.1133")), 1, "lon/lat"),
		nd("place/swapped and negated", ndjson(flatRec("lon", "-39.1133", "lat", "-117.2301")), 1, "lon/lat"),
		nd("place/lon in microdegrees", ndjson(flatRec("lon", "117230100", "lat", "39113300")), 1, "lon/lat"),
		nd("place/projected metres as x/y", ndjson(flatRec("lon", "", "lat", "", "x", "512345.6", "y", "4329876.5")), 1, "lon/lat"),

		// ---- more values that are not codes ----
		nd("value/source in upper case", ndjson(flatRec("source", `"PATROL"`)), 1, "source"),
		nd("value/source with a trailing space", ndjson(flatRec("source", `"patrol "`)), 1, "source"),
		nd("value/category with a leading space", ndjson(flatRec("category", `" dumping"`)), 1, "category"),
		nd("value/category with NUL", ndjson(flatRec("category", `"dumping\u0000"`)), 1, "category"),
		nd("value/severity in another case", ndjson(flatRec("severity", `"Minor"`)), 1, "severity"),
		nd("value/disposition in Chinese", ndjson(flatRec("disposition", `"罚款"`)), 1, "disposition"),
		nd("value/source_id integer of 200 digits", ndjson(flatRec("source_id", strings.Repeat("9", 200))), 1, "source_id"),
		nd("value/merchant_id with NUL", ndjson(flatRec("merchant_id", `"m\u0000"`)), 1, "merchant_id"),
		nd("value/merchant_id with a carriage return", ndjson(flatRec("merchant_id", `"m-1\r"`)), 1, "merchant_id"),
		nd("value/source_id with DEL", ndjson(flatRec("source_id", `"a\u007fb"`)), 1, "source_id"),
		nd("value/source_id with a C1 control", ndjson(flatRec("source_id", `"a\u0085b"`)), 1, "source_id"),
		nd("value/source_id with overlong UTF-8", ndjson(flatRec("source_id", "\"a\xc0\xafb\"")), 1, "source_id"),
		nd("value/source_id with a UTF-8 encoded surrogate", ndjson(flatRec("source_id", "\"a\xed\xa0\x80b\"")), 1, "source_id"),
		nd("value/source_id cut inside a rune", ndjson(flatRec("source_id", "\"违\xe8\xbf\"")), 1, "source_id"),
		nd("value/source with invalid UTF-8", ndjson(flatRec("source", "\"patrol\xff\"")), 1, "source"),
		nd("value/category with invalid UTF-8", ndjson(flatRec("category", "\"dumping\xfe\"")), 1, "category"),
		nd("value/observed_at with invalid UTF-8", ndjson(flatRec("observed_at", "\"2026-05-12T08:00:00+08:00\xff\"")), 1, "observed_at"),
		nd("value/merchant_id with invalid UTF-8", ndjson(flatRec("merchant_id", "\"m-\xff\"")), 1, "merchant_id"),
		nd("value/severity with invalid UTF-8", ndjson(flatRec("severity", "\"minor\xff\"")), 1, "severity"),
		nd("value/disposition with invalid UTF-8", ndjson(flatRec("disposition", "\"fined\xff\"")), 1, "disposition"),
		nd("value/attributes with invalid UTF-8", ndjson(flatRec("attributes", "{\"note\":\"\xff\"}")), 1, "attributes"),
		nd("value/attributes key with invalid UTF-8", ndjson(flatRec("attributes", "{\"n\xffote\":1}")), 1, "attributes"),
		nd("value/extra field with invalid UTF-8", ndjson(flatRec("工单来源", "\"12345\xff\"")), 1, "attributes"),
		nd("value/source_id with a lone high surrogate", ndjson(flatRec("source_id", `"a\ud800b"`)), 1, "source_id"),
		nd("value/source_id with a lone low surrogate", ndjson(flatRec("source_id", `"a\udc00"`)), 1, "source_id"),
		nd("value/extra field name with invalid UTF-8", ndjson(strings.Replace(flatRec(), `"lon"`, "\"工单\xff来源\":\"12345\",\"lon\"", 1)), 1, "body"),
		nd("value/extra field name with a lone surrogate", ndjson(strings.Replace(flatRec(), `"lon"`, `"note\udc00":1,"lon"`, 1)), 1, "body"),
		v("geojson/property name with invalid UTF-8", ctGeoJSON, fc(strings.Replace(good1, `"category"`, "\"no\xffte\":1,\"category\"", 1)), 400, 1, "body"),
		nd("value/attributes with a lone surrogate", ndjson(flatRec("attributes", `{"note":"\udbff"}`)), 1, "attributes"),
		nd("value/extra field with a lone surrogate", ndjson(flatRec("note", `"\ud800\u0041"`)), 1, "attributes"),
		nd("value/category with a lone surrogate", ndjson(flatRec("category", `"dumping\ud800"`)), 1, "category"),
		nd("value/record crs disagrees with the request", ndjson(flatRec("crs", `"gcj02"`)), 1, "crs"),
		nd("value/record crs unknown", ndjson(flatRec("crs", `"utm50"`)), 1, "crs"),

		// ---- more times ----
		nd("time/space and no zone", ndjson(flatRec("observed_at", `"2026-05-12 08:00:00"`)), 1, "observed_at"),
		nd("time/year 1", ndjson(flatRec("observed_at", `"0001-06-01T00:00:00Z"`)), 1, "observed_at"),
		nd("time/1999-12-31", ndjson(flatRec("observed_at", `"1999-12-31T23:59:59Z"`)), 1, "observed_at"),
		nd("time/year 9999", ndjson(flatRec("observed_at", `"9999-12-31T23:59:59Z"`)), 1, "observed_at"),
		nd("time/year 10000", ndjson(flatRec("observed_at", `"10000-01-01T00:00:00Z"`)), 1, "observed_at"),
		nd("time/2100", ndjson(flatRec("observed_at", `"2100-05-12T08:00:00+08:00"`)), 1, "observed_at"),
		nd("time/leap second", ndjson(flatRec("observed_at", `"2016-12-31T23:59:60Z"`)), 1, "observed_at"),
		nd("time/hour 24", ndjson(flatRec("observed_at", `"2026-05-12T24:00:00+08:00"`)), 1, "observed_at"),
		nd("time/February 30", ndjson(flatRec("observed_at", `"2026-02-30T08:00:00+08:00"`)), 1, "observed_at"),
		nd("time/zone +99:00", ndjson(flatRec("observed_at", `"2026-05-12T08:00:00+99:00"`)), 1, "observed_at"),
		nd("time/zone without a colon", ndjson(flatRec("observed_at", `"2026-05-12T08:00:00+0800"`)), 1, "observed_at"),
		nd("time/zone as a name", ndjson(flatRec("observed_at", `"2026-05-12T08:00:00 CST"`)), 1, "observed_at"),
		nd("time/RFC 9557 suffix", ndjson(flatRec("observed_at", `"2026-05-12T08:00:00+08:00[Asia/Shanghai]"`)), 1, "observed_at"),
		nd("time/Unix time as a string", ndjson(flatRec("observed_at", `"1778544000"`)), 1, "observed_at"),
		nd("time/updated_at without a zone", ndjson(flatRec("updated_at", `"2026-05-12T09:00:00"`)), 1, "updated_at"),
		nd("time/updated_at two days ahead", ndjson(flatRec("updated_at", future)), 1, "updated_at"),
		nd("time/updated_at in 1970", ndjson(flatRec("updated_at", `"1970-01-01T00:00:00Z"`)), 1, "updated_at"),

		// ---- more CSV ----
		v("csv/semicolon-separated", ctCSV, strings.ReplaceAll(csvHeader+csvRow("c-1", "117.2301", "39.1133"), ",", ";"), 400, 1, "body"),
		v("csv/tab-separated", ctCSV, strings.ReplaceAll(csvHeader+csvRow("c-1", "117.2301", "39.1133"), ",", "\t"), 400, 1, "body"),
		v("csv/no category column", ctCSV, "source,source_id,observed_at,lon,lat\npatrol,c-1,2026-05-12T08:00:00+08:00,117.2301,39.1133\n", 400, 1, "category"),
		v("csv/no observed_at column", ctCSV, "source,source_id,category,lon,lat\npatrol,c-1,dumping,117.2301,39.1133\n", 400, 1, "observed_at"),
		v("csv/no source_id column", ctCSV, "source,category,observed_at,lon,lat\npatrol,dumping,2026-05-12T08:00:00+08:00,117.2301,39.1133\n", 400, 1, "source_id"),
		v("csv/no lat column", ctCSV, "source,source_id,category,observed_at,lon\npatrol,c-1,dumping,2026-05-12T08:00:00+08:00,117.2301\n", 400, 1, "body"),
		v("csv/too many fields", ctCSV, csvHeader+strings.TrimSuffix(csvRow("c-1", "117.2301", "39.1133"), "\n")+",extra\n", 400, 1, "body"),
		v("csv/extra column with a bare quote", ctCSV, strings.TrimSuffix(csvHeader, "\n")+",note\n"+strings.TrimSuffix(csvRow("c-1", "117.2301", "39.1133"), "\n")+`,say "hi"`+"\n", 400, 1, "body"),
		v("csv/text after a closing quote", ctCSV, strings.TrimSuffix(csvHeader, "\n")+",note\n"+strings.TrimSuffix(csvRow("c-1", "117.2301", "39.1133"), "\n")+`,"hi"x`+"\n", 400, 1, "body"),
		v("csv/CRLF with an unterminated quote", ctCSV, strings.ReplaceAll(csvHeader+csvRow("c-1", "117.2301", "39.1133"), "\n", "\r\n")+"patrol,\"c-2\r\n", 400, 2, "body"),
		v("csv/CR line endings", ctCSV, strings.ReplaceAll(csvHeader+csvRow("c-1", "117.2301", "39.1133"), "\n", "\r"), 400, 1, "body"),
		v("csv/header only, CRLF", ctCSV, strings.ReplaceAll(csvHeader, "\n", "\r\n"), 400, 0, ""),
		v("csv/only a BOM", ctCSV, "\ufeff", 400, 1, "body"),
		v("csv/BOM in the middle", ctCSV, csvHeader+csvRow("c-1", "117.2301", "39.1133")+"\ufeff"+csvRow("c-2", "117.2301", "39.1133"), 400, 2, "source"),
		v("csv/NUL in source_id", ctCSV, csvHeader+csvRow("c-\x00", "117.2301", "39.1133"), 400, 1, "source_id"),
		v("csv/blank source_id cell", ctCSV, csvHeader+csvRow("   ", "117.2301", "39.1133"), 400, 1, "source_id"),
		v("csv/every cell empty", ctCSV, csvHeader+",,,,,\n", 400, 1, "source"),
		v("csv/overlong UTF-8 in source_id", ctCSV, csvHeader+csvRow("c-\xc0\xaf", "117.2301", "39.1133"), 400, 1, "source_id"),
		v("csv/invalid UTF-8 in category", ctCSV, csvHeader+"patrol,c-1,dump\xffing,2026-05-12T08:00:00+08:00,117.2301,39.1133\n", 400, 1, "category"),
		v("csv/invalid UTF-8 in merchant_id", ctCSV, strings.TrimSuffix(csvHeader, "\n")+",merchant_id\n"+strings.TrimSuffix(csvRow("c-1", "117.2301", "39.1133"), "\n")+",m-\xff\n", 400, 1, "merchant_id"),
		v("csv/invalid UTF-8 in an extra column", ctCSV, strings.TrimSuffix(csvHeader, "\n")+",note\n"+strings.TrimSuffix(csvRow("c-1", "117.2301", "39.1133"), "\n")+",门\xff口\n", 400, 1, "attributes"),
		v("csv/invalid UTF-8 in a header name", ctCSV, strings.TrimSuffix(csvHeader, "\n")+",no\xffte\n"+strings.TrimSuffix(csvRow("c-1", "117.2301", "39.1133"), "\n")+",x\n", 400, 1, "attributes"),
		v("csv/observed_at without zone", ctCSV, csvHeader+"patrol,c-1,dumping,2026-05-12 08:00:00,117.2301,39.1133\n", 400, 1, "observed_at"),
		v("csv/observed_at as a Unix time", ctCSV, csvHeader+"patrol,c-1,dumping,1778544000,117.2301,39.1133\n", 400, 1, "observed_at"),
		v("csv/decimal comma", ctCSV, csvHeader+csvRow("c-1", `"117,2301"`, `"39,1133"`), 400, 1, "lon/lat"),
		v("csv/lon 1e400", ctCSV, csvHeader+csvRow("c-1", "1e400", "39.1133"), 400, 1, "lon/lat"),
		v("csv/lon and lat swapped", ctCSV, csvHeader+csvRow("c-1", "39.1133", "117.2301"), 400, 1, "lon/lat"),
		v("csv/degrees minutes seconds", ctCSV, csvHeader+csvRow("c-1", `"117°13'48""E"`, "39.1133"), 400, 1, "lon/lat"),
		v("csv/source in upper case", ctCSV, csvHeader+"PATROL,c-1,dumping,2026-05-12T08:00:00+08:00,117.2301,39.1133\n", 400, 1, "source"),
		v("csv/unknown severity", ctCSV, strings.TrimSuffix(csvHeader, "\n")+",severity\n"+strings.TrimSuffix(csvRow("c-1", "117.2301", "39.1133"), "\n")+",严重\n", 400, 1, "severity"),
		v("csv/unknown disposition", ctCSV, strings.TrimSuffix(csvHeader, "\n")+",disposition\n"+strings.TrimSuffix(csvRow("c-1", "117.2301", "39.1133"), "\n")+",pardoned\n", 400, 1, "disposition"),
		v("csv/attributes not JSON", ctCSV, strings.TrimSuffix(csvHeader, "\n")+",attributes\n"+strings.TrimSuffix(csvRow("c-1", "117.2301", "39.1133"), "\n")+",{note:1}\n", 400, 1, "attributes"),
		v("csv/attributes deeply nested", ctCSV, strings.TrimSuffix(csvHeader, "\n")+",attributes\n"+strings.TrimSuffix(csvRow("c-1", "117.2301", "39.1133"), "\n")+`,"{""a"":`+strings.Repeat("[", 20000)+strings.Repeat("]", 20000)+`}"`+"\n", 400, 1, "attributes"),
		v("csv/duplicate source_id", ctCSV, csvHeader+csvRow("c-1", "117.2301", "39.1133")+csvRow("c-1", "117.2262", "39.1158"), 400, 2, "source_id"),
		v("csv/duplicate header in another case", ctCSV, "source,source_id,SOURCE_ID,category,observed_at,lon,lat\npatrol,c-1,c-2,dumping,2026-05-12T08:00:00+08:00,117.2301,39.1133\n", 400, 1, "body"),

		// ---- more media types, charsets and encodings ----
		v("media/text/xml", "text/xml", ndjson(good), 415, 0, ""),
		v("media/multipart", "multipart/form-data; boundary=x", "--x\r\n\r\n"+good+"\r\n--x--\r\n", 415, 0, ""),
		v("media/malformed parameters", ctNDJSON+"; charset", ndjson(good), 415, 0, ""),
		v("media/two media types", ctNDJSON+", "+ctCSV, ndjson(good), 415, 0, ""),
		v("media/ndjson sent as text/csv", ctCSV, ndjson(good), 400, 1, "body"),
		v("media/csv sent as geo+json", ctGeoJSON, csvHeader+csvRow("c-1", "117.2301", "39.1133"), 400, 1, "body"),
		v("media/ndjson sent as geo+json", ctGeoJSON, ndjson(good, flatRec("source_id", `"bad-2"`)), 400, 0, "body"),
		v("media/a FeatureCollection sent as ndjson", ctNDJSON, fc(good1), 400, 1, "source"),
		v("media/charset GBK contradicted by the bytes, csv", ctCSV+"; charset=GBK", strings.TrimSuffix(csvHeader, "\n")+",note\n"+strings.TrimSuffix(csvRow("c-1", "117.2301", "39.1133"), "\n")+",门口\n", 400, 0, ""),
		v("media/charset GB18030 contradicted by the bytes, geojson", ctGeoJSON+"; charset=GB18030", fc(strings.Replace(good1, `"category"`, `"note":"门口","category"`, 1)), 400, 0, ""),
		v("media/unknown charset", ctNDJSON+"; charset=x-klingon", ndjson(good), 415, 0, ""),
		v("media/charset UTF-16 on UTF-8 bytes", ctNDJSON+"; charset=utf-16", ndjson(good), 400, 0, ""),
		with(v("encoding/gzip label on a plain body, csv", ctCSV, csvHeader+csvRow("c-1", "117.2301", "39.1133"), 400, 0, ""), func(c *badCase) { c.enc = "gzip" }),
		with(v("encoding/gzip label on a plain body, geojson", ctGeoJSON, fc(good1), 400, 0, ""), func(c *badCase) { c.enc = "gzip" }),
		with(v("encoding/deflate", ctNDJSON, ndjson(good), 415, 0, ""), func(c *badCase) { c.enc = "deflate" }),
		with(v("encoding/gzip twice", ctNDJSON, gz(gz(ndjson(good))), 415, 0, ""), func(c *badCase) { c.enc = "gzip, gzip" }),
		with(v("encoding/unknown", ctNDJSON, ndjson(good), 415, 0, ""), func(c *badCase) { c.enc = "x-klingon" }),
		with(v("encoding/truncated gzip", ctNDJSON, gz(ndjson(good))[:30], 400, 0, ""), func(c *badCase) { c.enc = "gzip" }),
		with(v("encoding/gzip with a bad checksum", ctNDJSON, gzBadCRC(ndjson(good)), 400, 0, ""), func(c *badCase) { c.enc = "gzip" }),
		with(v("encoding/gzip of a bad record", ctNDJSON, gz(ndjson(flatRec("category", `"parking"`))), 400, 1, "category"), func(c *badCase) { c.enc = "gzip" }),
		small(with(v("limit/gzip inflating past the limit", ctNDJSON, gz(ndjson(flatRec("note", jstr(pad(8000))))), 413, 0, ""), func(c *badCase) { c.enc = "gzip" })),

		// ---- more query ----
		with(v("query/crs utm", ctNDJSON, ndjson(good), 400, 0, "crs"), func(c *badCase) { c.path += "?crs=utm" }),
		with(v("query/crs EPSG code", ctNDJSON, ndjson(good), 400, 0, "crs"), func(c *badCase) { c.path += "?crs=EPSG:4326" }),
		with(v("query/partial maybe", ctNDJSON, ndjson(good), 400, 0, "partial"), func(c *badCase) { c.path += "?partial=maybe" }),
		with(v("query/partial in upper case", ctNDJSON, ndjson(good), 400, 0, "partial"), func(c *badCase) { c.path += "?partial=TRUE" }),
		with(v("query/officer is not a parameter here", ctNDJSON, ndjson(good), 400, 0, "officer"), func(c *badCase) { c.path += "?officer=T-1" }),
		with(v("query/crs with NUL", ctNDJSON, ndjson(good), 400, 0, "crs"), func(c *badCase) { c.path += "?crs=wgs84%00" }),
		with(v("query/malformed percent-encoding", ctNDJSON, ndjson(good), 400, 0, ""), func(c *badCase) { c.path += "?crs=gcj%zz02" }),
		with(v("query/semicolon separator", ctNDJSON, ndjson(good), 400, 0, ""), func(c *badCase) { c.path += "?partial=true;crs=gcj02" }),
		with(v("query/crs twice", ctNDJSON, ndjson(good), 400, 0, "crs"), func(c *badCase) { c.path += "?crs=gcj02&crs=wgs84" }),

		// ---- more access ----
		with(v("access/Bearer without a token", ctNDJSON, ndjson(good), 401, 0, ""), func(c *badCase) { c.auth = "Bearer" }),
		with(v("access/Bearer with an empty token", ctNDJSON, ndjson(good), 401, 0, ""), func(c *badCase) { c.auth = "Bearer    " }),
		with(v("access/Token scheme", ctNDJSON, ndjson(good), 401, 0, ""), func(c *badCase) { c.auth = "Token hs_notakey" }),
		with(v("access/Digest scheme", ctNDJSON, ndjson(good), 401, 0, ""), func(c *badCase) { c.auth = `Digest username="u", realm="r", nonce="n", uri="/", response="0"` }),
		with(v("access/huge garbage key", ctNDJSON, ndjson(good), 401, 0, ""), func(c *badCase) { c.auth = "Bearer " + pad(8000) }),
		with(v("access/SQL as a key", ctNDJSON, ndjson(good), 401, 0, ""), func(c *badCase) { c.auth = "Bearer ' OR '1'='1" }),
		with(v("access/api_key in the body off Open311", ctNDJSON, ndjson(good), 401, 0, ""), func(c *badCase) { c.role = ""; c.ct = ctForm; c.body = "api_key={ingest}" }),

		// ---- tracks: GeoJSON ----
		tr("geojson/single fix", ctGeoJSON, fc(trackFeature(lineString(`[[117.2255,39.112]]`), `{"officer":"T-1","times":["2026-05-11T08:30:00+08:00"]}`)), 400, 1, "fixes"),
		tr("geojson/fixes out of time order", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"T-1","times":["2026-05-11T08:30:00+08:00","2026-05-11T08:30:20+08:00","2026-05-11T08:30:10+08:00"]}`)), 400, 1, "time"),
		tr("geojson/LineString without times", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"T-1"}`)), 400, 1, "times"),
		tr("geojson/times length mismatch", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"T-1","times":["2026-05-11T08:30:00+08:00","2026-05-11T08:30:10+08:00"]}`)), 400, 1, "times"),
		tr("geojson/time without zone", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"T-1","times":["2026-05-11T08:30:00","2026-05-11T08:30:10","2026-05-11T08:30:20"]}`)), 400, 1, "times"),
		tr("geojson/Point geometry", ctGeoJSON, fc(trackFeature(`{"type":"Point","coordinates":[117.2255,39.112]}`, `{"officer":"T-1",`+tTimes+`}`)), 400, 1, "geometry"),
		tr("geojson/MultiLineString geometry", ctGeoJSON, fc(trackFeature(`{"type":"MultiLineString","coordinates":[`+tCoords+`]}`, `{"officer":"T-1",`+tTimes+`}`)), 400, 1, "geometry"),
		tr("geojson/null in coordinates", ctGeoJSON, fc(trackFeature(lineString(`[[117.2255,39.112],[null,39.112],[117.2257,39.112]]`), `{"officer":"T-1",`+tTimes+`}`)), 400, 1, "geometry"),
		tr("geojson/fix far outside the area", ctGeoJSON, fc(trackFeature(lineString(`[[117.2255,39.112],[116.404,39.915],[117.2257,39.112]]`), `{"officer":"T-1",`+tTimes+`}`)), 400, 1, "lon/lat"),
		tr("geojson/fix with lat 95", ctGeoJSON, fc(trackFeature(lineString(`[[117.2255,39.112],[117.2256,95],[117.2257,39.112]]`), `{"officer":"T-1",`+tTimes+`}`)), 400, 1, ""),
		tr("geojson/officer is a number", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":7,`+tTimes+`}`)), 400, 1, "officer"),
		tr("geojson/no officer", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{`+tTimes+`}`)), 400, 1, "officer"),
		tr("geojson/source_id is a float", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"T-1","source_id":1.5,`+tTimes+`}`)), 400, 1, "source_id"),
		tr("geojson/bad track 2 of 2", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"T-1","source_id":"a",`+tTimes+`}`),
			trackFeature(lineString(tCoords), `{"officer":"T-1","source_id":"b"}`)), 400, 2, "times"),
		tr("geojson/duplicate track", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"T-1","source_id":"a",`+tTimes+`}`),
			trackFeature(lineString(tCoords), `{"officer":"T-1","source_id":"a",`+tTimes+`}`)), 400, 2, "source_id"),
		tr("geojson/truncated", ctGeoJSON, `{"type":"FeatureCollection","features":[`+trackFeature(lineString(tCoords), `{"officer":"T-1",`+tTimes+`}`), 400, 0, "body"),
		tr("geojson/zero features", ctGeoJSON, fc(), 400, 0, ""),

		// ---- tracks: NDJSON fixes ----
		tr("ndjson/single fix", ctNDJSON, ndjson(fixLine(`"2026-05-11T08:30:00+08:00"`, "117.2255", "39.112")), 400, 1, "fixes"),
		tr("ndjson/fixes out of time order", ctNDJSON, ndjson(fixLine(`"2026-05-11T08:30:10+08:00"`, "117.2255", "39.112"),
			fixLine(`"2026-05-11T08:30:00+08:00"`, "117.2256", "39.112")), 400, 1, "time"),
		tr("ndjson/malformed line", ctNDJSON, ndjson(fixLine(`"2026-05-11T08:30:00+08:00"`, "117.2255", "39.112"), `{"officer":"T-9",`,
			fixLine(`"2026-05-11T08:30:10+08:00"`, "117.2256", "39.112")), 400, 1, "body"),
		tr("ndjson/no time", ctNDJSON, ndjson(fixLine(`"2026-05-11T08:30:00+08:00"`, "117.2255", "39.112"), fixLine(`null`, "117.2256", "39.112")), 400, 1, "time"),
		tr("ndjson/lon is a string", ctNDJSON, ndjson(fixLine(`"2026-05-11T08:30:00+08:00"`, `"117.2255"`, "39.112"), fixLine(`"2026-05-11T08:30:10+08:00"`, "117.2256", "39.112")), 400, 1, "lon"),
		tr("ndjson/time in 1970", ctNDJSON, ndjson(fixLine("0", "117.2255", "39.112"), fixLine("10", "117.2256", "39.112")), 400, 1, "time"),
		tr("ndjson/time two days ahead", ctNDJSON, ndjson(fixLine(future, "117.2255", "39.112"), fixLine(future, "117.2256", "39.112")), 400, 1, "time"),
		tr("ndjson/officer is an object", ctNDJSON, ndjson(`{"officer":{"id":1},"time":"2026-05-11T08:30:00+08:00","lon":117.2255,"lat":39.112}`), 400, 1, "officer"),
		tr("ndjson/interleaved tracks", ctNDJSON, ndjson(fixLine(`"2026-05-11T08:30:00+08:00"`, "117.2255", "39.112"), fixLine(`"2026-05-11T08:30:10+08:00"`, "117.2256", "39.112"),
			`{"officer":"T-8","time":"2026-05-11T08:30:00+08:00","lon":117.2255,"lat":39.112}`, `{"officer":"T-8","time":"2026-05-11T08:30:10+08:00","lon":117.2256,"lat":39.112}`,
			fixLine(`"2026-05-11T08:30:20+08:00"`, "117.2257", "39.112"), fixLine(`"2026-05-11T08:30:30+08:00"`, "117.2258", "39.112")), 400, 3, "officer"),

		// ---- tracks: GPX ----
		tr("gpx/broken tag", ctGPX, gpxHead+"<trk><trkseg>"+goodPts[0]+`<trkpt lat="39.112" lon="117.2256"><time>2026-05-11T00:30:10Z</time></trkpt`+"</trkseg></trk></gpx>", 400, 1, "body"),
		tr("gpx/mismatched end tag", ctGPX, gpxHead+"<trk><trkseg>"+goodPts[0]+goodPts[1]+"</trk></trkseg></gpx>", 400, 1, "body"),
		tr("gpx/root is not gpx", ctGPX, `<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>`, 400, 1, "body"),
		tr("gpx/not XML", ctGPX, `{"type":"FeatureCollection","features":[]}`, 400, 1, "body"),
		tr("gpx/trkpt without time", ctGPX, gpxDoc(goodPts[0], trkpt("39.1120", "117.2256", ""), goodPts[2]), 400, 1, "time"),
		tr("gpx/bad time", ctGPX, gpxDoc(goodPts[0], trkpt("39.1120", "117.2256", "yesterday"), goodPts[2]), 400, 1, "time"),
		tr("gpx/lat not a number", ctGPX, gpxDoc(goodPts[0], trkpt("north", "117.2256", "2026-05-11T00:30:10Z"), goodPts[2]), 400, 1, "lat"),
		tr("gpx/lon missing", ctGPX, gpxDoc(goodPts[0], `<trkpt lat="39.112"><time>2026-05-11T00:30:10Z</time></trkpt>`, goodPts[2]), 400, 1, "lon"),
		tr("gpx/unknown encoding", ctGPX, strings.Replace(gpxDoc(goodPts...), `encoding="UTF-8"`, `encoding="x-no-such-charset"`, 1), 400, 1, "body"),
		tr("gpx/empty", ctGPX, "", 400, 1, "body"),
		tr("gpx/truncated", ctGPX, gpxDoc(goodPts...)[:len(gpxHead)+60], 400, 1, "body"),
		tr("gpx/no tracks", ctGPX, gpxHead+"</gpx>", 400, 0, ""),
		tr("gpx/no officer", ctGPX, strings.Replace(gpxDoc(goodPts...), "<metadata><author><name>T-7</name></author></metadata>", "", 1), 400, 1, "officer"),
		tr("gpx/text after the end", ctGPX, gpxDoc(goodPts...)+"trailing", 400, 1, "body"),

		// ---- tracks: envelope ----
		tr("media/text/csv", ctCSV, "officer,time,lon,lat\n", 415, 0, ""),
		tr("media/none", ctNone, ndjson(fixLine(`"2026-05-11T08:30:00+08:00"`, "117.2255", "39.112")), 415, 0, ""),
		with(tr("query/bad crs", ctGPX, gpxDoc(goodPts...), 400, 0, "crs"), func(c *badCase) { c.path += "?crs=bd-09" }),
		with(tr("query/unknown parameter", ctGPX, gpxDoc(goodPts...), 400, 0, "device"), func(c *badCase) { c.path += "?device=x" }),
		with(tr("query/bad partial", ctGPX, gpxDoc(goodPts...), 400, 0, "partial"), func(c *badCase) { c.path += "?partial=1" }),
		with(tr("access/no key", ctGPX, gpxDoc(goodPts...), 401, 0, ""), func(c *badCase) { c.role = "" }),
		with(tr("access/viewer key", ctGPX, gpxDoc(goodPts...), 403, 0, ""), func(c *badCase) { c.role = data.RoleViewer }),
		small(tr("limit/geojson body too large", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"T-1","note":`+jstr(pad(5000))+`,`+tTimes+`}`)), 413, 0, "")),
		small(tr("limit/gpx body too large", ctGPX, gpxDoc(append([]string{"<!--" + pad(5000) + "-->"}, goodPts...)...), 413, 0, "")),
		small(tr("limit/ndjson body too large", ctNDJSON, ndjson(strings.Replace(fixLine(`"2026-05-11T08:30:00+08:00"`, "117.2255", "39.112"), "}", `,"note":`+jstr(pad(5000))+"}", 1)), 413, 0, "")),
		small(tr("limit/gpx too large inside an attribute", ctGPX, gpxHead+`<trk><trkseg><trkpt lat="`+pad(5000), 413, 0, "")),
		small(tr("limit/ndjson 6 tracks", ctNDJSON, ndjson(sixTracks...), 413, 0, "")),
		{name: "tracks/batch/resend ndjson", path: pathTracks, ct: ctNDJSON, role: data.RoleIngest, status: 200, resend: "tracks"},
		{name: "tracks/batch/resend geojson", path: pathTracks, ct: ctGeoJSON, role: data.RoleIngest, status: 200, resend: "tracks"},

		// ---- tracks: more GeoJSON ----
		tr("geojson/geometry null", ctGeoJSON, fc(trackFeature("null", `{"officer":"T-1",`+tTimes+`}`)), 400, 1, "geometry"),
		tr("geojson/geometry missing", ctGeoJSON, fc(`{"type":"Feature","properties":{"officer":"T-1",`+tTimes+`}}`), 400, 1, "geometry"),
		tr("geojson/GeometryCollection geometry", ctGeoJSON, fc(trackFeature(`{"type":"GeometryCollection","geometries":[`+lineString(tCoords)+`]}`, `{"officer":"T-1",`+tTimes+`}`)), 400, 1, "geometry"),
		tr("geojson/Polygon geometry", ctGeoJSON, fc(trackFeature(`{"type":"Polygon","coordinates":[`+tCoords+`]}`, `{"officer":"T-1",`+tTimes+`}`)), 400, 1, "geometry"),
		tr("geojson/geometry type missing", ctGeoJSON, fc(trackFeature(`{"coordinates":`+tCoords+`}`, `{"officer":"T-1",`+tTimes+`}`)), 400, 1, "geometry"),
		tr("geojson/coordinates missing", ctGeoJSON, fc(trackFeature(`{"type":"LineString"}`, `{"officer":"T-1",`+tTimes+`}`)), 400, 1, "geometry"),
		tr("geojson/coordinates is a string", ctGeoJSON, fc(trackFeature(lineString(`"117.2255 39.112, 117.2256 39.112"`), `{"officer":"T-1",`+tTimes+`}`)), 400, 1, "geometry"),
		tr("geojson/position with 5 values", ctGeoJSON, fc(trackFeature(lineString(`[[117.2255,39.112],[117.2256,39.112,2,1778459410,9],[117.2257,39.112]]`), `{"officer":"T-1",`+tTimes+`}`)), 400, 1, "geometry"),
		tr("geojson/position with 1 value", ctGeoJSON, fc(trackFeature(lineString(`[[117.2255,39.112],[117.2256],[117.2257,39.112]]`), `{"officer":"T-1",`+tTimes+`}`)), 400, 1, "geometry"),
		tr("geojson/position value is a string", ctGeoJSON, fc(trackFeature(lineString(`[[117.2255,39.112],["117.2256",39.112],[117.2257,39.112]]`), `{"officer":"T-1",`+tTimes+`}`)), 400, 1, "geometry"),
		tr("geojson/coordinate 1e400", ctGeoJSON, fc(trackFeature(lineString(`[[117.2255,39.112],[1e400,39.112],[117.2257,39.112]]`), `{"officer":"T-1",`+tTimes+`}`)), 400, 1, "geometry"),
		tr("geojson/NaN literal", ctGeoJSON, fc(trackFeature(lineString(`[[117.2255,39.112],[NaN,39.112],[117.2257,39.112]]`), `{"officer":"T-1",`+tTimes+`}`)), 400, 1, "body"),
		tr("geojson/fixes 1000 km apart", ctGeoJSON, fc(trackFeature(lineString(`[[117.2255,39.112],[117.2256,39.112],[126.5,45.8]]`), `{"officer":"T-1",`+tTimes+`}`)), 400, 1, "lon/lat"),
		tr("geojson/a time going backwards by a second", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"T-1","times":["2026-05-11T08:30:00+08:00","2026-05-11T08:30:10+08:00","2026-05-11T08:30:09+08:00"]}`)), 400, 1, "time"),
		tr("geojson/4th coordinate times out of order", ctGeoJSON, fc(trackFeature(lineString(`[[117.2255,39.112,0,1778459420],[117.2256,39.112,0,1778459410],[117.2257,39.112,0,1778459430]]`), `{"officer":"T-1"}`)), 400, 1, "time"),
		tr("geojson/4th coordinate negative", ctGeoJSON, fc(trackFeature(lineString(`[[117.2255,39.112,0,-1],[117.2256,39.112,0,1778459410]]`), `{"officer":"T-1"}`)), 400, 1, "times"),
		tr("geojson/4th coordinate in 1970", ctGeoJSON, fc(trackFeature(lineString(`[[117.2255,39.112,0,10],[117.2256,39.112,0,20]]`), `{"officer":"T-1"}`)), 400, 1, "time"),
		tr("geojson/4th coordinate missing on position 2", ctGeoJSON, fc(trackFeature(lineString(`[[117.2255,39.112,0,1778459400],[117.2256,39.112]]`), `{"officer":"T-1"}`)), 400, 1, "times"),
		tr("geojson/times is a string", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"T-1","times":"2026-05-11T08:30:00+08:00"}`)), 400, 1, "times"),
		tr("geojson/times is an object", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"T-1","times":{"0":"2026-05-11T08:30:00+08:00"}}`)), 400, 1, "times"),
		tr("geojson/times holds null", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"T-1","times":["2026-05-11T08:30:00+08:00",null,"2026-05-11T08:30:20+08:00"]}`)), 400, 1, "times"),
		tr("geojson/times holds a bool", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"T-1","times":["2026-05-11T08:30:00+08:00",true,"2026-05-11T08:30:20+08:00"]}`)), 400, 1, "times"),
		tr("geojson/times with a leap second", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"T-1","times":["2016-12-31T23:59:58Z","2016-12-31T23:59:59Z","2016-12-31T23:59:60Z"]}`)), 400, 1, "times"),
		tr("geojson/times in year 9999", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"T-1","times":["9999-05-11T08:30:00+08:00","9999-05-11T08:30:10+08:00","9999-05-11T08:30:20+08:00"]}`)), 400, 1, "time"),
		tr("geojson/coordTimes length mismatch", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"T-1","coordTimes":["2026-05-11T08:30:00+08:00"]}`)), 400, 1, "coordTimes"),
		tr("geojson/officer empty", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"",`+tTimes+`}`)), 400, 1, "officer"),
		tr("geojson/officer blank", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"   ",`+tTimes+`}`)), 400, 1, "officer"),
		tr("geojson/officer with NUL", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"T\u00001",`+tTimes+`}`)), 400, 1, "officer"),
		tr("geojson/officer over 128 bytes", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":`+jstr(pad(129))+`,`+tTimes+`}`)), 400, 1, "officer"),
		tr("geojson/officer with invalid UTF-8", ctGeoJSON, fc(trackFeature(lineString(tCoords), "{\"officer\":\"T-\xff\","+tTimes+"}")), 400, 1, "officer"),
		tr("geojson/officer with a lone surrogate", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"T-\udfff",`+tTimes+`}`)), 400, 1, "officer"),
		tr("geojson/officer is an array", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":["T-1"],`+tTimes+`}`)), 400, 1, "officer"),
		tr("geojson/source_id is a bool", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"T-1","source_id":true,`+tTimes+`}`)), 400, 1, "source_id"),
		tr("geojson/source_id over 128 bytes", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"T-1","source_id":`+jstr(pad(200))+`,`+tTimes+`}`)), 400, 1, "source_id"),
		tr("geojson/properties is an array", ctGeoJSON, fc(trackFeature(lineString(tCoords), `["T-1"]`)), 400, 1, "properties"),
		tr("geojson/properties null", ctGeoJSON, fc(trackFeature(lineString(tCoords), `null`)), 400, 1, "officer"),
		tr("geojson/member is not a Feature", ctGeoJSON, fc(lineString(tCoords)), 400, 1, "type"),
		tr("geojson/a bare LineString at the top", ctGeoJSON, lineString(tCoords), 400, 1, "body"),
		tr("geojson/features is an object", ctGeoJSON, `{"type":"FeatureCollection","features":{}}`, 400, 1, "body"),
		tr("geojson/features is null", ctGeoJSON, `{"type":"FeatureCollection","features":null}`, 400, 1, "body"),
		tr("geojson/trailing garbage", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"T-1",`+tTimes+`}`))+"]", 400, 0, "body"),
		tr("geojson/empty body", ctGeoJSON, "", 400, 1, "body"),
		tr("geojson/deeply nested properties", ctGeoJSON, fc(trackFeature(lineString(tCoords), `{"officer":"T-1","note":`+strings.Repeat("[", 20000)+strings.Repeat("]", 20000)+`,`+tTimes+`}`)), 400, 1, "body"),

		// ---- tracks: more NDJSON fixes ----
		tr("ndjson/no officer", ctNDJSON, ndjson(`{"track":"t","time":"2026-05-11T08:30:00+08:00","lon":117.2255,"lat":39.112}`, `{"track":"t","time":"2026-05-11T08:30:10+08:00","lon":117.2256,"lat":39.112}`), 400, 1, "officer"),
		tr("ndjson/officer empty", ctNDJSON, ndjson(`{"officer":"","time":"2026-05-11T08:30:00+08:00","lon":117.2255,"lat":39.112}`, `{"officer":"","time":"2026-05-11T08:30:10+08:00","lon":117.2256,"lat":39.112}`), 400, 1, "officer"),
		tr("ndjson/officer with NUL", ctNDJSON, ndjson(`{"officer":"T\u0000","time":"2026-05-11T08:30:00+08:00","lon":117.2255,"lat":39.112}`, `{"officer":"T\u0000","time":"2026-05-11T08:30:10+08:00","lon":117.2256,"lat":39.112}`), 400, 1, "officer"),
		tr("ndjson/officer over 128 bytes", ctNDJSON, ndjson(strings.Replace(fixLine(`"2026-05-11T08:30:00+08:00"`, "117.2255", "39.112"), `"T-9"`, jstr(pad(129)), 1), strings.Replace(fixLine(`"2026-05-11T08:30:10+08:00"`, "117.2256", "39.112"), `"T-9"`, jstr(pad(129)), 1)), 400, 1, "officer"),
		tr("ndjson/officer with invalid UTF-8", ctNDJSON, ndjson(strings.Replace(fixLine(`"2026-05-11T08:30:00+08:00"`, "117.2255", "39.112"), `"T-9"`, "\"T-\xff\"", 1), strings.Replace(fixLine(`"2026-05-11T08:30:10+08:00"`, "117.2256", "39.112"), `"T-9"`, "\"T-\xff\"", 1)), 400, 1, "officer"),
		tr("ndjson/officer is a number", ctNDJSON, ndjson(`{"officer":9,"time":"2026-05-11T08:30:00+08:00","lon":117.2255,"lat":39.112}`), 400, 1, "officer"),
		tr("ndjson/track is a float", ctNDJSON, ndjson(strings.Replace(fixLine(`"2026-05-11T08:30:00+08:00"`, "117.2255", "39.112"), `"bad-t"`, "1.5", 1)), 400, 1, "track"),
		tr("ndjson/track is a bool", ctNDJSON, ndjson(strings.Replace(fixLine(`"2026-05-11T08:30:00+08:00"`, "117.2255", "39.112"), `"bad-t"`, "true", 1)), 400, 1, "track"),
		tr("ndjson/track over 128 bytes", ctNDJSON, ndjson(strings.Replace(fixLine(`"2026-05-11T08:30:00+08:00"`, "117.2255", "39.112"), `"bad-t"`, jstr(pad(129)), 1), strings.Replace(fixLine(`"2026-05-11T08:30:10+08:00"`, "117.2256", "39.112"), `"bad-t"`, jstr(pad(129)), 1)), 400, 1, "source_id"),
		tr("ndjson/lat missing", ctNDJSON, ndjson(fixLine(`"2026-05-11T08:30:00+08:00"`, "117.2255", "39.112"), `{"officer":"T-9","track":"bad-t","time":"2026-05-11T08:30:10+08:00","lon":117.2256}`), 400, 1, "lat"),
		tr("ndjson/lon null", ctNDJSON, ndjson(fixLine(`"2026-05-11T08:30:00+08:00"`, "null", "39.112"), fixLine(`"2026-05-11T08:30:10+08:00"`, "117.2256", "39.112")), 400, 1, "lon"),
		tr("ndjson/lat is an array", ctNDJSON, ndjson(fixLine(`"2026-05-11T08:30:00+08:00"`, "117.2255", "[39.112]"), fixLine(`"2026-05-11T08:30:10+08:00"`, "117.2256", "39.112")), 400, 1, "lat"),
		tr("ndjson/lon 181", ctNDJSON, ndjson(fixLine(`"2026-05-11T08:30:00+08:00"`, "181", "39.112"), fixLine(`"2026-05-11T08:30:10+08:00"`, "117.2256", "39.112")), 400, 1, "fixes"),
		tr("ndjson/lat 1e400", ctNDJSON, ndjson(fixLine(`"2026-05-11T08:30:00+08:00"`, "117.2255", "1e400"), fixLine(`"2026-05-11T08:30:10+08:00"`, "117.2256", "39.112")), 400, 1, "lat"),
		tr("ndjson/NaN literal", ctNDJSON, ndjson(fixLine(`"2026-05-11T08:30:00+08:00"`, "NaN", "39.112"), fixLine(`"2026-05-11T08:30:10+08:00"`, "117.2256", "39.112")), 400, 1, "body"),
		tr("ndjson/fixes 1000 km apart", ctNDJSON, ndjson(fixLine(`"2026-05-11T08:30:00+08:00"`, "117.2255", "39.112"), fixLine(`"2026-05-11T08:30:10+08:00"`, "126.5", "45.8")), 400, 1, "lon/lat"),
		tr("ndjson/lon and lat swapped", ctNDJSON, ndjson(fixLine(`"2026-05-11T08:30:00+08:00"`, "39.112", "117.2255"), fixLine(`"2026-05-11T08:30:10+08:00"`, "39.112", "117.2256")), 400, 1, "fixes"),
		tr("ndjson/a time going backwards", ctNDJSON, ndjson(fixLine("1778459400", "117.2255", "39.112"), fixLine("1778459410", "117.2256", "39.112"), fixLine("1778459405", "117.2257", "39.112")), 400, 1, "time"),
		tr("ndjson/time is a bool", ctNDJSON, ndjson(fixLine("true", "117.2255", "39.112"), fixLine(`"2026-05-11T08:30:10+08:00"`, "117.2256", "39.112")), 400, 1, "time"),
		tr("ndjson/time is an object", ctNDJSON, ndjson(fixLine(`{"$date":1778459400000}`, "117.2255", "39.112"), fixLine(`"2026-05-11T08:30:10+08:00"`, "117.2256", "39.112")), 400, 1, "time"),
		tr("ndjson/time without a zone", ctNDJSON, ndjson(fixLine(`"2026-05-11T08:30:00"`, "117.2255", "39.112"), fixLine(`"2026-05-11T08:30:10"`, "117.2256", "39.112")), 400, 1, "time"),
		tr("ndjson/time with a leap second", ctNDJSON, ndjson(fixLine(`"2016-12-31T23:59:59Z"`, "117.2255", "39.112"), fixLine(`"2016-12-31T23:59:60Z"`, "117.2256", "39.112")), 400, 1, "time"),
		tr("ndjson/time negative", ctNDJSON, ndjson(fixLine("-10", "117.2255", "39.112"), fixLine("-5", "117.2256", "39.112")), 400, 1, "time"),
		tr("ndjson/time beyond milliseconds", ctNDJSON, ndjson(fixLine("1e15", "117.2255", "39.112"), fixLine("2e15", "117.2256", "39.112")), 400, 1, "time"),
		tr("ndjson/time 1e400", ctNDJSON, ndjson(fixLine("1e400", "117.2255", "39.112"), fixLine(`"2026-05-11T08:30:10+08:00"`, "117.2256", "39.112")), 400, 1, "time"),
		tr("ndjson/time in milliseconds far ahead", ctNDJSON, ndjson(fixLine("99999999999999", "117.2255", "39.112"), fixLine("99999999999999", "117.2256", "39.112")), 400, 1, "time"),
		tr("ndjson/line is an array", ctNDJSON, ndjson(`["T-9","2026-05-11T08:30:00+08:00",117.2255,39.112]`), 400, 1, "body"),
		tr("ndjson/a fix as a GeoJSON Feature", ctNDJSON, ndjson(`{"type":"Feature","geometry":{"type":"Point","coordinates":[117.2255,39.112]},"properties":{"officer":"T-9","time":"2026-05-11T08:30:00+08:00"}}`), 400, 1, "time"),
		tr("ndjson/blank lines only", ctNDJSON, "\n\n  \n", 400, 0, ""),
		tr("ndjson/empty body", ctNDJSON, "", 400, 0, ""),

		// ---- tracks: more GPX ----
		tr("gpx/no trkpt", ctGPX, gpxDoc(), 400, 1, "fixes"),
		tr("gpx/one trkpt", ctGPX, gpxDoc(goodPts[0]), 400, 1, "fixes"),
		tr("gpx/lat missing", ctGPX, gpxDoc(goodPts[0], `<trkpt lon="117.2256"><time>2026-05-11T00:30:10Z</time></trkpt>`, goodPts[2]), 400, 1, "lat"),
		tr("gpx/lat and lon missing", ctGPX, gpxDoc(goodPts[0], `<trkpt><time>2026-05-11T00:30:10Z</time></trkpt>`, goodPts[2]), 400, 1, "lon"),
		tr("gpx/lat and lon as elements", ctGPX, gpxDoc(goodPts[0], `<trkpt><lat>39.112</lat><lon>117.2256</lon><time>2026-05-11T00:30:10Z</time></trkpt>`, goodPts[2]), 400, 1, "lat"),
		tr("gpx/lat 95", ctGPX, gpxDoc(goodPts[0], trkpt("95", "117.2256", "2026-05-11T00:30:10Z"), goodPts[2]), 400, 1, "fixes"),
		tr("gpx/lat 1e400", ctGPX, gpxDoc(goodPts[0], trkpt("1e400", "117.2256", "2026-05-11T00:30:10Z"), goodPts[2]), 400, 1, "lat"),
		tr("gpx/lon NaN", ctGPX, gpxDoc(goodPts[0], trkpt("39.1120", "NaN", "2026-05-11T00:30:10Z"), goodPts[2]), 400, 1, ""),
		tr("gpx/lon empty", ctGPX, gpxDoc(goodPts[0], trkpt("39.1120", "", "2026-05-11T00:30:10Z"), goodPts[2]), 400, 1, "lon"),
		tr("gpx/fixes out of time order", ctGPX, gpxDoc(goodPts[0], goodPts[2], goodPts[1]), 400, 1, "time"),
		tr("gpx/fixes 1000 km apart", ctGPX, gpxDoc(goodPts[0], goodPts[1], trkpt("45.8", "126.5", "2026-05-11T00:30:30Z")), 400, 1, "lon/lat"),
		tr("gpx/time in 1970", ctGPX, gpxDoc(trkpt("39.1120", "117.2255", "1970-01-01T00:00:00Z"), trkpt("39.1120", "117.2256", "1970-01-01T00:00:10Z")), 400, 1, "time"),
		tr("gpx/time two days ahead", ctGPX, gpxDoc(trkpt("39.1120", "117.2255", strings.Trim(future, `"`)), trkpt("39.1120", "117.2256", strings.Trim(future, `"`))), 400, 1, "time"),
		tr("gpx/time with a leap second", ctGPX, gpxDoc(goodPts[0], trkpt("39.1120", "117.2256", "2016-12-31T23:59:60Z"), goodPts[2]), 400, 1, "time"),
		tr("gpx/ele not a number", ctGPX, gpxDoc(goodPts[0], `<trkpt lat="39.112" lon="117.2256"><ele>high</ele><time>2026-05-11T00:30:10Z</time></trkpt>`, goodPts[2]), 400, 1, "trkpt"),
		tr("gpx/undefined entity", ctGPX, strings.Replace(gpxDoc(goodPts...), "T-7", "&officer;", 1), 400, 1, "body"),
		tr("gpx/internal entity", ctGPX, strings.Replace(strings.Replace(gpxDoc(goodPts...), "<gpx ", `<!DOCTYPE gpx [<!ENTITY who "T-7">]><gpx `, 1), "T-7</name>", "&who;</name>", 1), 400, 1, "body"),
		tr("gpx/external entity (XXE)", ctGPX, strings.Replace(strings.Replace(gpxDoc(goodPts...), "<gpx ", `<!DOCTYPE gpx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><gpx `, 1), "T-7</name>", "&xxe;</name>", 1), 400, 1, "body"),
		tr("gpx/external entity over HTTP", ctGPX, strings.Replace(strings.Replace(gpxDoc(goodPts...), "<gpx ", `<!DOCTYPE gpx [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/x">]><gpx `, 1), "<time>2026-05-11T00:30:00Z", "<time>&xxe;2026-05-11T00:30:00Z", 1), 400, 1, "body"),
		tr("gpx/billion laughs", ctGPX, strings.Replace(strings.Replace(gpxDoc(goodPts...), "<gpx ", `<!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><gpx `, 1), "T-7</name>", "&c;</name>", 1), 400, 1, "body"),
		tr("gpx/bad character reference", ctGPX, strings.Replace(gpxDoc(goodPts...), "T-7", "T&#0;7", 1), 400, 1, "body"),
		tr("gpx/raw NUL byte", ctGPX, strings.Replace(gpxDoc(goodPts...), "T-7", "T\x007", 1), 400, 1, "body"),
		tr("gpx/invalid UTF-8", ctGPX, strings.Replace(gpxDoc(goodPts...), "T-7", "T-\xff", 1), 400, 1, "body"),
		tr("gpx/unclosed comment", ctGPX, gpxHead+"<!-- no end", 400, 1, "body"),
		tr("gpx/a second root element", ctGPX, gpxDoc(goodPts...)+`<gpx version="1.1"></gpx>`, 400, 1, "body"),
		tr("gpx/XML declaration only", ctGPX, `<?xml version="1.0" encoding="UTF-8"?>`, 400, 1, "body"),
		tr("gpx/UTF-16 declared, UTF-8 bytes", ctGPX, strings.Replace(gpxDoc(goodPts...), `encoding="UTF-8"`, `encoding="UTF-16"`, 1), 400, 1, "body"),
		tr("gpx/author name over 128 bytes", ctGPX, strings.Replace(gpxDoc(goodPts...), "T-7", pad(200), 1), 400, 1, "officer"),
		tr("gpx/author name with an ESC character reference", ctGPX, strings.Replace(gpxDoc(goodPts...), "T-7", "T&#x1b;[31m7", 1), 400, 1, "body"),
		tr("gpx/author name with a tab only", ctGPX, strings.Replace(gpxDoc(goodPts...), "T-7", "&#x9;", 1), 400, 1, "officer"),
		tr("gpx/a route only", ctGPX, gpxHead+`<rte>`+strings.ReplaceAll(strings.Join(goodPts, ""), "trkpt", "rtept")+`</rte></gpx>`, 400, 0, ""),
		tr("gpx/waypoints only", ctGPX, gpxHead+strings.ReplaceAll(strings.Join(goodPts, ""), "trkpt", "wpt")+`</gpx>`, 400, 0, ""),
		tr("gpx/broken XML as text/xml", "text/xml", gpxDoc(goodPts...)[:len(gpxHead)+40], 400, 1, "body"),
		with(tr("gpx/officer over 128 bytes in the query", ctGPX, gpxDoc(goodPts...), 400, 1, "officer"), func(c *badCase) { c.path += "?officer=" + pad(129) }),
		with(tr("gpx/officer with a control character in the query", ctGPX, gpxDoc(goodPts...), 400, 1, "officer"), func(c *badCase) { c.path += "?officer=T%0A7" }),
		with(tr("gpx/source_id over 128 bytes in the query", ctGPX, gpxDoc(goodPts...), 400, 1, "source_id"), func(c *badCase) { c.path += "?source_id=" + pad(129) }),

		// ---- tracks: more envelope ----
		tr("media/form", ctForm, "officer=T-1", 415, 0, ""),
		tr("media/text/plain", "text/plain", ndjson(fixLine(`"2026-05-11T08:30:00+08:00"`, "117.2255", "39.112")), 415, 0, ""),
		tr("media/multipart", "multipart/form-data; boundary=x", "--x\r\n\r\n--x--\r\n", 415, 0, ""),
		tr("media/gpx sent as ndjson", ctNDJSON, gpxDoc(goodPts...), 400, 1, "body"),
		tr("media/ndjson sent as geo+json", ctGeoJSON, ndjson(fixLine(`"2026-05-11T08:30:00+08:00"`, "117.2255", "39.112"), fixLine(`"2026-05-11T08:30:10+08:00"`, "117.2256", "39.112")), 400, 0, "body"),
		tr("media/geojson sent as gpx", ctGPX, fc(trackFeature(lineString(tCoords), `{"officer":"T-1",`+tTimes+`}`)), 400, 1, "body"),
		tr("media/charset GBK contradicted by the bytes", ctGPX+"; charset=GBK", strings.Replace(gpxDoc(goodPts...), "T-7", "巡逻七", 1), 400, 0, ""),
		tr("media/unknown charset", ctNDJSON+"; charset=x-klingon", ndjson(fixLine(`"2026-05-11T08:30:00+08:00"`, "117.2255", "39.112")), 415, 0, ""),
		with(tr("encoding/gzip label on a plain body", ctGPX, gpxDoc(goodPts...), 400, 0, ""), func(c *badCase) { c.enc = "gzip" }),
		with(tr("encoding/br", ctNDJSON, ndjson(fixLine(`"2026-05-11T08:30:00+08:00"`, "117.2255", "39.112")), 415, 0, ""), func(c *badCase) { c.enc = "br" }),
		with(tr("encoding/truncated gzip", ctGPX, gz(gpxDoc(goodPts...))[:40], 400, 0, ""), func(c *badCase) { c.enc = "gzip" }),
		with(tr("query/crs utm", ctNDJSON, ndjson(fixLine(`"2026-05-11T08:30:00+08:00"`, "117.2255", "39.112")), 400, 0, "crs"), func(c *badCase) { c.path += "?crs=utm" }),
		with(tr("query/partial maybe", ctNDJSON, ndjson(fixLine(`"2026-05-11T08:30:00+08:00"`, "117.2255", "39.112")), 400, 0, "partial"), func(c *badCase) { c.path += "?partial=maybe" }),
		with(tr("query/malformed percent-encoding", ctGPX, gpxDoc(goodPts...), 400, 0, ""), func(c *badCase) { c.path += "?officer=T%zz7" }),
		with(tr("access/scheduler key", ctGPX, gpxDoc(goodPts...), 403, 0, ""), func(c *badCase) { c.role = data.RoleScheduler }),
		with(tr("access/unknown key", ctGPX, gpxDoc(goodPts...), 401, 0, ""), func(c *badCase) { c.auth = "Bearer hs_notakey" }),
		with(tr("access/basic auth", ctGPX, gpxDoc(goodPts...), 401, 0, ""), func(c *badCase) { c.auth = "Basic dXNlcjpwYXNz" }),
		with(tr("access/Bearer without a token", ctGPX, gpxDoc(goodPts...), 401, 0, ""), func(c *badCase) { c.auth = "Bearer" }),
		with(tr("access/api_key parameter", ctGPX, gpxDoc(goodPts...), 401, 0, ""), func(c *badCase) { c.role = ""; c.path += "?api_key={ingest}" }),

		// ---- Open311 ----
		o("missing service_code", "lat=39.1133&long=117.2301", 400, 1, "service_code"),
		o("missing lat", "service_code=dumping&long=117.2301", 400, 1, "lat/long"),
		o("missing long", "service_code=dumping&lat=39.1133", 400, 1, "lat/long"),
		o("empty form", "", 400, 1, "service_code"),
		o("unknown service_code", "service_code=parking&lat=39.1133&long=117.2301", 400, 1, "service_code"),
		o("lat not a number", "service_code=dumping&lat=north&long=117.2301", 400, 1, "lat/long"),
		o("lat NaN", "service_code=dumping&lat=NaN&long=117.2301", 400, 1, "lat/long"),
		o("lat 91", "service_code=dumping&lat=91&long=117.2301", 400, 1, "lat/long"),
		o("Beijing", "service_code=dumping&lat=39.915&long=116.404", 400, 1, "lat/long"),
		o("HTML in description, unknown code", "service_code=%3Cb%3Ex%3C%2Fb%3E&lat=39.1133&long=117.2301&description=%3Cscript%3Ealert(1)%3C%2Fscript%3E", 400, 1, ""),
		o("api_key in the form, missing long", "api_key={ingest}&service_code=dumping&lat=39.1133", 400, 1, "lat/long"),
		o("bad percent-encoding", "service_code=dumping&lat=39.1133&long=117.2301&description=%zz", 400, 0, ""),
		with(o("non-form content type", `{"service_code":"dumping","lat":39.1133,"long":117.2301}`, 415, 0, ""), func(c *badCase) { c.ct = "application/json" }),
		with(o("multipart content type", "--x\r\n\r\n", 415, 0, ""), func(c *badCase) { c.ct = "multipart/form-data; boundary=x" }),
		with(o("no content type", "service_code=dumping&lat=39.1133&long=117.2301", 415, 0, ""), func(c *badCase) { c.ct = ctNone }),
		o("form too large", "service_code=dumping&lat=39.1133&long=117.2301&description="+pad(70<<10), 413, 0, ""),
		with(o("bad crs", "service_code=dumping&lat=39.1133&long=117.2301", 400, 0, "crs"), func(c *badCase) { c.path += "?crs=mars" }),
		with(o("unknown parameter", "service_code=dumping&lat=39.1133&long=117.2301", 400, 0, "format"), func(c *badCase) { c.path += "?format=xml" }),
		with(o("api_key wrong in the query", "service_code=dumping&lat=39.1133&long=117.2301", 401, 0, ""), func(c *badCase) { c.role = ""; c.path += "?api_key=wrong" }),
		with(o("api_key wrong in the form", "api_key=wrong&service_code=dumping&lat=39.1133&long=117.2301", 401, 0, ""), func(c *badCase) { c.role = "" }),
		with(o("no key", "service_code=dumping&lat=39.1133&long=117.2301", 401, 0, ""), func(c *badCase) { c.role = "" }),
		with(o("viewer key", "service_code=dumping&lat=39.1133&long=117.2301", 403, 0, ""), func(c *badCase) { c.role = data.RoleViewer }),
		o("lat 1e400", "service_code=dumping&lat=1e400&long=117.2301", 400, 1, "lat/long"),
		o("long 181", "service_code=dumping&lat=39.1133&long=181", 400, 1, "lat/long"),
		o("lat Infinity", "service_code=dumping&lat=Infinity&long=117.2301", 400, 1, "lat/long"),
		o("lat blank", "service_code=dumping&lat=+++&long=117.2301", 400, 1, "lat/long"),
		o("lat with trailing text", "service_code=dumping&lat=39.1133N&long=117.2301", 400, 1, "lat/long"),
		o("lat with a decimal comma", "service_code=dumping&lat=39%2C1133&long=117.2301", 400, 1, "lat/long"),
		o("lat and long swapped", "service_code=dumping&lat=117.2301&long=39.1133", 400, 1, "lat/long"),
		o("long -0", "service_code=dumping&lat=39.1133&long=-0", 400, 1, "lat/long"),
		o("service_code empty", "service_code=&lat=39.1133&long=117.2301", 400, 1, "service_code"),
		o("service_code in another case", "service_code=Dumping&lat=39.1133&long=117.2301", 400, 1, "service_code"),
		o("service_code with NUL", "service_code=dumping%00&lat=39.1133&long=117.2301", 400, 1, "service_code"),
		o("service_code SQL", "service_code=%27%3B+DROP+TABLE+violations%3B--&lat=39.1133&long=117.2301", 400, 1, "service_code"),
		o("service_code repeated", "service_code=dumping&service_code=street-vending&lat=39.1133&long=117.2301", 400, 1, "service_code"),
		o("lat repeated", "service_code=dumping&lat=39.1133&lat=39.2&long=117.2301", 400, 1, "lat"),
		o("description over 8 KiB", "service_code=dumping&lat=39.1133&long=117.2301&description="+pad(9000), 400, 1, "description"),
		o("address_string with invalid UTF-8", "service_code=dumping&lat=39.1133&long=117.2301&address_string=%C3%28", 400, 1, "address_string"),
		o("media_url with invalid UTF-8", "service_code=dumping&lat=39.1133&long=117.2301&media_url=http://x/%FF", 400, 1, "media_url"),
		o("an unknown field with invalid UTF-8", "service_code=dumping&lat=39.1133&long=117.2301&email=%FE", 400, 1, "email"),
		o("semicolon separators", "service_code=dumping;lat=39.1133;long=117.2301", 400, 0, ""),
		o("a JSON body labelled as a form", `{"service_code":"dumping","lat":39.1133,"long":117.2301}`, 400, 1, "service_code"),
		with(o("gzip label on a plain form", "service_code=dumping&lat=39.1133&long=117.2301", 400, 0, ""), func(c *badCase) { c.enc = "gzip" }),
		with(o("gzip of a form without long", gz("service_code=dumping&lat=39.1133"), 400, 1, "lat/long"), func(c *badCase) { c.enc = "gzip" }),
		with(o("truncated gzip", gz("service_code=dumping&lat=39.1133&long=117.2301")[:20], 400, 0, ""), func(c *badCase) { c.enc = "gzip" }),
		with(o("gzip inflating past 64 KiB", gz("service_code=dumping&lat=39.1133&long=117.2301&description="+pad(70<<10)), 413, 0, ""), func(c *badCase) { c.enc = "gzip" }),
		with(o("unknown content encoding", "service_code=dumping&lat=39.1133&long=117.2301", 415, 0, ""), func(c *badCase) { c.enc = "br" }),
		with(o("malformed percent-encoding in the query", "service_code=dumping&lat=39.1133&long=117.2301", 400, 0, ""), func(c *badCase) { c.path += "?crs=gcj%zz02" }),
		with(o("crs utm", "service_code=dumping&lat=39.1133&long=117.2301", 400, 0, "crs"), func(c *badCase) { c.path += "?crs=utm" }),
		with(o("text/plain content type", "service_code=dumping&lat=39.1133&long=117.2301", 415, 0, ""), func(c *badCase) { c.ct = "text/plain" }),
		with(o("basic auth", "service_code=dumping&lat=39.1133&long=117.2301", 401, 0, ""), func(c *badCase) { c.auth = "Basic dXNlcjpwYXNz" }),
		with(o("scheduler key", "service_code=dumping&lat=39.1133&long=117.2301", 403, 0, ""), func(c *badCase) { c.role = data.RoleScheduler }),
		with(o("api_key empty in the form", "api_key=&service_code=dumping&lat=39.1133&long=117.2301", 401, 0, ""), func(c *badCase) { c.role = "" }),
	}
}

// TestBadInput sends writes that must be refused and checks each answer is a
// problem a person can act on and that the store did not change.
func TestBadInput(t *testing.T) {
	ctx := context.Background()
	e := newSeededEnv(t)
	es := newSeededEnv(t, func(o *api.Options) { o.Limits = api.Limits{MaxBody: 4096, MaxRecords: 5} })
	seeded := map[*env]map[string][]any{}
	for _, x := range []*env{e, es} {
		res, reply := x.post(t, pathViolations, ctNDJSON, data.RoleIngest, fixture(t, "violations.ndjson"))
		if res.StatusCode != 200 || reply["created"] != float64(3) {
			t.Fatalf("seeding violations: %d %v", res.StatusCode, reply)
		}
		walk := fixture(t, "walk.ndjson")
		if x == es { // within its 4096 bytes: the first ten fixes
			walk = []byte(strings.Join(strings.SplitAfter(string(walk), "\n")[:10], ""))
		}
		resT, replyT := x.post(t, pathTracks, ctNDJSON, data.RoleIngest, walk)
		if resT.StatusCode != 200 || replyT["created"] != float64(1) {
			t.Fatalf("seeding tracks: %d %v", resT.StatusCode, replyT)
		}
		seeded[x] = map[string][]any{"violations": ids(reply), "tracks": ids(replyT)}
	}
	resendBody := map[string]string{
		"violations" + ctNDJSON: "violations.ndjson", "violations" + ctGeoJSON: "violations.geojson", "violations" + ctCSV: "violations.csv",
		"tracks" + ctNDJSON: "walk.ndjson", "tracks" + ctGeoJSON: "walk.geojson",
	}

	cases := badInputCases()
	if len(cases) < 70 {
		t.Fatalf("only %d cases", len(cases))
	}
	names := map[string]bool{}
	for _, c := range cases {
		if names[c.name] {
			t.Fatalf("case %q twice", c.name)
		}
		names[c.name] = true
	}
	t.Logf("%d cases", len(cases))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := e
			if c.small {
				x = es
			}
			if c.resend != "" {
				c.body = string(fixture(t, resendBody[c.resend+c.ct]))
			}
			before := snapshot(t, x)
			res, raw, body := send(t, x, c)
			after := snapshot(t, x)
			if after != before {
				t.Errorf("the store changed:\nbefore %+v\nafter  %+v", before, after)
			}
			if bytes.Contains(raw, []byte("<script")) || bytes.Contains(raw, []byte("<b>")) {
				t.Errorf("the answer echoes HTML unescaped: %s", raw)
			}
			if c.resend != "" {
				checkResend(t, res, body, seeded[x][c.resend])
				return
			}
			wantProblem(t, res, body, c.status)
			t.Logf("%d %s", res.StatusCode, body["detail"])
			checkProblem(t, c, body)
		})
	}

	// Strings that look like attacks are data: stored and read back as sent,
	// with '<' escaped in the JSON.
	t.Run("hostile strings are stored as data", func(t *testing.T) {
		const sourceID, merchant = "x'); DROP TABLE violations;--", "<script>alert(1)</script>"
		rec := flatRec("source_id", jstr(sourceID), "merchant_id", jstr(merchant))
		before := countViolations(t, e)
		res, reply := e.post(t, pathViolations, ctNDJSON, data.RoleIngest, []byte(ndjson(rec)))
		if res.StatusCode != 200 || reply["created"] != float64(1) {
			t.Fatalf("POST: %d %v", res.StatusCode, reply)
		}
		id := fmt.Sprint(ids(reply)[0])
		req, _ := http.NewRequest("GET", e.srv.URL+pathViolations+"/"+id, nil)
		req.Header.Set("Authorization", "Bearer "+e.keys[data.RoleViewer])
		res2, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(res2.Body)
		res2.Body.Close()
		if res2.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", id, res2.StatusCode, raw)
		}
		if bytes.Contains(raw, []byte("<script>")) || !bytes.Contains(raw, []byte(`\u003cscript\u003e`)) {
			t.Errorf("the answer does not escape '<': %s", raw)
		}
		var f struct {
			Properties map[string]any `json:"properties"`
		}
		if err := json.Unmarshal(raw, &f); err != nil {
			t.Fatal(err)
		}
		if f.Properties["source_id"] != sourceID || f.Properties["merchant_id"] != merchant {
			t.Errorf("read back source_id %q merchant_id %q", f.Properties["source_id"], f.Properties["merchant_id"])
		}
		if got := countViolations(t, e); got != before+1 {
			t.Errorf("the store holds %d violations, want %d", got, before+1)
		}
		v, err := e.store.Violation(ctx, int64(ids(reply)[0].(float64)))
		if err != nil || v.SourceID != sourceID || v.MerchantID != merchant {
			t.Errorf("stored %+v, %v", v, err)
		}
	})
	// The gcj02 case above is refused only because of the conversion: the
	// same record read as WGS-84 lies within the area's margin.
	t.Run("gcj02 control", func(t *testing.T) {
		res, reply := e.post(t, pathViolations, ctNDJSON, data.RoleIngest, []byte(ndjson(flatRec("source_id", `"gcj-control"`, "lon", "117.1925", "lat", "39.1206"))))
		if res.StatusCode != 200 || reply["created"] != float64(1) {
			t.Fatalf("the point as WGS-84: %d %v, want it stored", res.StatusCode, reply)
		}
	})
	t.Run("HTML in an Open311 description is stored as data", func(t *testing.T) {
		const desc = `<img src=x onerror="alert(1)"> 门前 & 'quotes'`
		form := "service_code=dumping&lat=39.1133&long=117.2301&description=" + urlQueryEscape(desc)
		res, raw, _ := send(t, e, badCase{path: pathOpen311, ct: ctForm, body: form, role: data.RoleIngest})
		if res.StatusCode != 201 {
			t.Fatalf("POST: %d %s", res.StatusCode, raw)
		}
		var created []map[string]any
		if err := json.Unmarshal(raw, &created); err != nil || len(created) != 1 {
			t.Fatalf("reply %s: %v", raw, err)
		}
		get, _ := http.NewRequest("GET", fmt.Sprintf("%s%s?service_request_id=%s", e.srv.URL, pathOpen311, created[0]["service_request_id"]), nil)
		get.Header.Set("Authorization", "Bearer "+e.keys[data.RoleViewer])
		res2, err := http.DefaultClient.Do(get)
		if err != nil {
			t.Fatal(err)
		}
		raw2, _ := io.ReadAll(res2.Body)
		res2.Body.Close()
		if res2.StatusCode != 200 || bytes.Contains(raw2, []byte("<img")) {
			t.Fatalf("GET: %d %s", res2.StatusCode, raw2)
		}
		var got []map[string]any
		if err := json.Unmarshal(raw2, &got); err != nil || len(got) != 1 || got[0]["description"] != desc {
			t.Fatalf("read back %s (%v), want description %q", raw2, err, desc)
		}
	})
}

// checkProblem checks the problem body of a refused write: the members, the
// record and field named, and that no message leaks Go internals.
func checkProblem(t *testing.T, c badCase, body map[string]any) {
	t.Helper()
	for _, k := range []string{"type", "title", "detail"} {
		if s, ok := body[k].(string); !ok || strings.TrimSpace(s) == "" {
			t.Errorf("problem member %q = %v, want a non-empty string", k, body[k])
		}
	}
	detail, _ := body["detail"].(string)
	checkNoLeak(t, "detail", detail)
	probs, _ := body["problems"].([]any)
	found := false
	var listed []string
	for _, p := range probs {
		pm, ok := p.(map[string]any)
		if !ok {
			t.Errorf("problem entry %v is not an object", p)
			continue
		}
		reason, _ := pm["reason"].(string)
		field, _ := pm["field"].(string)
		rec, _ := pm["record"].(float64)
		if strings.TrimSpace(reason) == "" {
			t.Errorf("problem entry %v has no reason", pm)
		}
		checkNoLeak(t, "reason", reason)
		listed = append(listed, fmt.Sprintf("record %v %s: %s", rec, field, reason))
		if (c.record == 0 || int(rec) == c.record) && (c.field == "" || field == c.field) {
			found = true
		}
	}
	if (c.record != 0 || c.field != "") && !found {
		t.Errorf("no problem names record %d field %q; problems: %s", c.record, c.field, strings.Join(listed, "; "))
	}
	if len(listed) > 0 {
		t.Logf("problems: %s", strings.Join(listed, "; "))
	}
}

// checkResend checks the answer to a valid batch sent again: accepted,
// nothing created, and the ids of the first send.
func checkResend(t *testing.T, res *http.Response, body map[string]any, want []any) {
	t.Helper()
	if res.StatusCode != 200 {
		t.Fatalf("status %d, want 200: %v", res.StatusCode, body)
	}
	if body["created"] != float64(0) || body["stored"] != float64(len(want)) || body["rejected"] != float64(0) {
		t.Errorf("reply %v, want stored %d created 0 rejected 0", body, len(want))
	}
	if got := ids(body); !slices.Equal(got, want) {
		t.Errorf("ids %v, want the first send's %v", got, want)
	}
	for _, r := range body["records"].([]any) {
		if r.(map[string]any)["created"] != false {
			t.Errorf("record %v says created", r)
		}
	}
}

// ids are the ids of a write reply's records, in order.
func ids(reply map[string]any) []any {
	var out []any
	recs, _ := reply["records"].([]any)
	for _, r := range recs {
		out = append(out, r.(map[string]any)["id"])
	}
	return out
}

func urlQueryEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// TestPartialListsEachRejected stores the valid records of a batch under
// ?partial=true and lists each rejected one.
func TestPartialListsEachRejected(t *testing.T) {
	e := newSeededEnv(t)
	before := snapshot(t, e)
	body := ndjson(
		flatRec("source_id", `"p-1"`),
		flatRec("source_id", `"p-2"`, "category", `"parking"`),
		flatRec("source_id", `"p-3"`, "lon", "117.2262", "lat", "39.1158"),
		flatRec("source_id", `"p-4"`, "lon", `"east"`),
		flatRec("source_id", `"p-5"`, "source", `"camera"`),
	)
	res, reply := e.post(t, pathViolations+"?partial=true", ctNDJSON, data.RoleIngest, []byte(body))
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %v", res.StatusCode, reply)
	}
	for k, want := range map[string]float64{"received": 5, "stored": 3, "created": 3, "rejected": 2} {
		if reply[k] != want {
			t.Errorf("%s = %v, want %v", k, reply[k], want)
		}
	}
	var stored []float64
	for _, r := range reply["records"].([]any) {
		stored = append(stored, r.(map[string]any)["record"].(float64))
	}
	if !slices.Equal(stored, []float64{1, 3, 5}) {
		t.Errorf("stored records %v, want 1, 3, 5", stored)
	}
	rejected := map[float64]string{}
	for _, p := range reply["problems"].([]any) {
		pm := p.(map[string]any)
		rejected[pm["record"].(float64)] = pm["field"].(string)
		checkNoLeak(t, "reason", pm["reason"].(string))
	}
	if len(rejected) != 2 || rejected[2] != "category" || rejected[4] != "lon/lat" {
		t.Errorf("problems %v, want record 2 category and record 4 lon/lat", reply["problems"])
	}
	after := snapshot(t, e)
	if after.violations != before.violations+3 || after.changes != before.changes+3 {
		t.Errorf("store went from %d to %d violations (%d to %d changes), want 3 more", before.violations, after.violations, before.changes, after.changes)
	}
	vs, err := e.store.Violations(context.Background(), data.ViolationFilter{Limit: data.MaxPage})
	if err != nil {
		t.Fatal(err)
	}
	var srcIDs []string
	for _, v := range vs {
		srcIDs = append(srcIDs, v.SourceID)
	}
	slices.Sort(srcIDs)
	if !slices.Equal(srcIDs, []string{"p-1", "p-3", "p-5"}) {
		t.Errorf("stored source ids %v, want p-1, p-3, p-5", srcIDs)
	}
}
