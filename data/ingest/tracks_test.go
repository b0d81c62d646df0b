package ingest

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data"
)

// readTracks reads every record of input in format f. err is the error that
// ended reading, nil at io.EOF.
func readTracks(tb testing.TB, f Format, input string, d TrackDefaults) ([]TrackRecord, error) {
	tb.Helper()
	rd, err := NewTrackReader(strings.NewReader(input), f, d)
	if err != nil {
		tb.Fatalf("NewTrackReader(%s): %v", f, err)
	}
	var recs []TrackRecord
	for i := 0; ; i++ {
		if i > len(input)+10 {
			tb.Fatalf("%s reader returned more records than the input has bytes", f)
		}
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return recs, nil
		}
		if err != nil {
			return recs, err
		}
		recs = append(recs, rec)
	}
}

func readTestdata(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// The walk in testdata: 40 fixes, 10 s apart, eastward along 后台西路. Its
// first and last fixes, as written in the files (times checked with
// `date -u -d @1778459400`).
var (
	walkStart = time.Date(2026, 5, 11, 0, 30, 0, 0, time.UTC)
	walkFirst = data.Fix{Time: walkStart, Point: [2]float64{117.2255, 39.11198}}
	walkLast  = data.Fix{Time: walkStart.Add(390 * time.Second), Point: [2]float64{117.229, 39.11201}}
)

const coordTolerance = 1e-9 // degrees

func sameFix(a, b data.Fix) bool {
	return a.Time.Equal(b.Time) &&
		math.Abs(a.Point[0]-b.Point[0]) <= coordTolerance && math.Abs(a.Point[1]-b.Point[1]) <= coordTolerance
}

func TestTrackFormatsAgree(t *testing.T) {
	ref, err := readTracks(t, NDJSON, readTestdata(t, "walk.ndjson"), TrackDefaults{})
	if err != nil || len(ref) != 1 {
		t.Fatalf("walk.ndjson: %d records, err %v", len(ref), err)
	}
	fixes := ref[0].Track.Fixes
	if got, want := len(fixes), 40; got != want {
		t.Fatalf("walk.ndjson: %d fixes, want %d", got, want)
	}
	if !sameFix(fixes[0], walkFirst) || !sameFix(fixes[39], walkLast) {
		t.Fatalf("walk.ndjson: first %v last %v, want %v and %v", fixes[0], fixes[39], walkFirst, walkLast)
	}
	for i := 1; i < len(fixes); i++ {
		if got := fixes[i].Time.Sub(fixes[i-1].Time); got != 10*time.Second {
			t.Fatalf("walk.ndjson: fix %d is %v after the one before, want 10s", i+1, got)
		}
	}
	derived := DeriveSourceID("DZG-07", fixes)

	cases := []struct {
		file            string
		format          Format
		d               TrackDefaults
		officer, source string
	}{
		{"walk.ndjson", NDJSON, TrackDefaults{}, "DZG-07", "walk-0511"},
		{"walk.ndjson", NDJSON, TrackDefaults{Officer: "X", SourceID: "upload"}, "DZG-07", "walk-0511"},
		{"walk.geojson", GeoJSON, TrackDefaults{}, "DZG-07", "walk-0511"},
		{"walk.geojson", GeoJSON, TrackDefaults{Officer: "X", SourceID: "upload"}, "DZG-07", "walk-0511"},
		{"walk_m.geojson", GeoJSON, TrackDefaults{}, "DZG-07", derived},
		{"walk_m.geojson", GeoJSON, TrackDefaults{SourceID: "upload"}, "DZG-07", "upload"},
		{"walk.gpx", GPX, TrackDefaults{}, "DZG-07", derived},
		{"walk.gpx", GPX, TrackDefaults{Officer: "DZG-09", SourceID: "upload"}, "DZG-09", "upload"},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s %+v", c.file, c.d), func(t *testing.T) {
			recs, err := readTracks(t, c.format, readTestdata(t, c.file), c.d)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 1 {
				t.Fatalf("%d records, want 1", len(recs))
			}
			rec := recs[0]
			if rec.N != 1 || len(rec.Problems) > 0 {
				t.Fatalf("N=%d problems %v, want 1 and none", rec.N, rec.Problems)
			}
			if got, want := rec.Track.Officer, c.officer; got != want {
				t.Errorf("officer %q, want %q", got, want)
			}
			if got, want := rec.Track.SourceID, c.source; got != want {
				t.Errorf("source id %q, want %q", got, want)
			}
			if got, want := len(rec.Track.Fixes), len(fixes); got != want {
				t.Fatalf("%d fixes, want %d", got, want)
			}
			for i, f := range rec.Track.Fixes {
				if !sameFix(f, fixes[i]) {
					t.Fatalf("fix %d is %v, want %v", i+1, f, fixes[i])
				}
			}
		})
	}
}

// trackWant is one expected problem: its record, field, and part of its reason.
type trackWant struct {
	record int
	field  string
	reason string
}

func checkTrackProblems(t *testing.T, recs []TrackRecord, wants []trackWant) {
	t.Helper()
	var got []data.Problem
	for i, rec := range recs {
		if rec.N != i+1 {
			t.Errorf("record %d has N=%d", i+1, rec.N)
		}
		for _, p := range rec.Problems {
			if p.Record != rec.N {
				t.Errorf("record %d has a problem of record %d: %v", rec.N, p.Record, p)
			}
			if strings.Contains(p.Reason, "json:") || strings.Contains(p.Reason, "strconv.") {
				t.Errorf("record %d: a Go error in a reason: %q", rec.N, p.Reason)
			}
		}
		got = append(got, rec.Problems...)
	}
	if len(got) != len(wants) {
		t.Fatalf("problems %+v, want %+v", got, wants)
	}
	for i, w := range wants {
		p := got[i]
		if p.Record != w.record || p.Field != w.field || !strings.Contains(p.Reason, w.reason) {
			t.Errorf("problem %d is %+v, want record %d field %q reason containing %q", i+1, p, w.record, w.field, w.reason)
		}
	}
}

// trackCase is one input and what reading it gives.
type trackCase struct {
	name     string
	input    string
	d        TrackDefaults
	records  int
	problems []trackWant
	fatal    int    // the record a fatal error names; 0: no fatal error
	reason   string // part of the fatal error's reason
	check    func(t *testing.T, recs []TrackRecord)
}

func runTrackCases(t *testing.T, f Format, cases []trackCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			recs, err := readTracks(t, f, c.input, c.d)
			switch {
			case c.fatal == 0 && err != nil:
				t.Fatalf("error %v, want none", err)
			case c.fatal != 0:
				var e *data.Error
				if !IsFatal(err) || !errors.As(err, &e) || len(e.Problems) != 1 {
					t.Fatalf("error %v, want a fatal one", err)
				}
				if got, want := e.Problems[0].Record, c.fatal; got != want {
					t.Errorf("fatal error at record %d, want %d: %v", got, want, err)
				}
				if !strings.Contains(e.Problems[0].Reason, c.reason) {
					t.Errorf("fatal reason %q, want it to contain %q", e.Problems[0].Reason, c.reason)
				}
			}
			if got, want := len(recs), c.records; got != want {
				t.Fatalf("%d records, want %d: %+v", got, want, recs)
			}
			checkTrackProblems(t, recs, c.problems)
			if c.check != nil {
				c.check(t, recs)
			}
		})
	}
}

// trackFeature returns a GeoJSON Feature with the properties and geometry given
// as JSON.
func trackFeature(props, geometry string) string {
	return `{"type":"Feature","properties":` + props + `,"geometry":` + geometry + `}`
}

func trackCollection(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

const (
	geoLine2  = `{"type":"LineString","coordinates":[[117.2255,39.112],[117.2256,39.112]]}`
	geoLine2M = `{"type":"LineString","coordinates":[[117.2255,39.112,3,1778459400],[117.2256,39.112,3,1778459410000]]}`
	geoTimes2 = `["2026-05-11T08:30:00+08:00","2026-05-11T08:30:10+08:00"]`
	geoProps1 = `{"officer":"DZG-07","times":` + geoTimes2 + `}`
)

func wantSourceIDs(want ...string) func(*testing.T, []TrackRecord) {
	return func(t *testing.T, recs []TrackRecord) {
		t.Helper()
		for i, w := range want {
			got := recs[i].Track.SourceID
			if w == "derived" {
				if w = DeriveSourceID(recs[i].Track.Officer, recs[i].Track.Fixes); !strings.HasPrefix(got, "auto-") {
					t.Errorf("record %d: source id %q is not derived", i+1, got)
				}
			}
			if got != w {
				t.Errorf("record %d: source id %q, want %q", i+1, got, w)
			}
		}
	}
}

func wantOfficers(want ...string) func(*testing.T, []TrackRecord) {
	return func(t *testing.T, recs []TrackRecord) {
		t.Helper()
		for i, w := range want {
			if got := recs[i].Track.Officer; got != w {
				t.Errorf("record %d: officer %q, want %q", i+1, got, w)
			}
		}
	}
}

func TestGeoJSONTracks(t *testing.T) {
	runTrackCases(t, GeoJSON, []trackCase{
		{name: "4th coordinate times, seconds and milliseconds", input: trackFeature(`{"officer":"DZG-07"}`, geoLine2M), records: 1,
			check: func(t *testing.T, recs []TrackRecord) {
				fs := recs[0].Track.Fixes
				if len(fs) != 2 || !fs[0].Time.Equal(walkStart) || !fs[1].Time.Equal(walkStart.Add(10*time.Second)) {
					t.Errorf("fixes %v", fs)
				}
			}},
		{name: "coordTimes as togeojson writes them, numbers too", records: 1,
			input: trackFeature(`{"officer":"DZG-07","coordTimes":["2026-05-11T00:30:00Z",1778459410]}`, geoLine2)},
		{name: "times win over 4th values", records: 1,
			input: trackFeature(`{"officer":"DZG-07","times":["2026-05-11T00:40:00Z","2026-05-11T00:40:10Z"]}`, geoLine2M),
			check: func(t *testing.T, recs []TrackRecord) {
				if got := recs[0].Track.Fixes[0].Time; !got.Equal(walkStart.Add(10 * time.Minute)) {
					t.Errorf("first time %v", got)
				}
			}},
		{name: "integer source_id", input: trackFeature(`{"officer":"DZG-07","source_id":42,"times":`+geoTimes2+`}`, geoLine2), records: 1,
			check: wantSourceIDs("42")},
		{name: "default officer and source id for one feature", input: trackCollection(trackFeature(`{"times":`+geoTimes2+`}`, geoLine2)),
			d: TrackDefaults{Officer: "DZG-01", SourceID: "upload-1"}, records: 1,
			check: func(t *testing.T, recs []TrackRecord) {
				wantOfficers("DZG-01")(t, recs)
				wantSourceIDs("upload-1")(t, recs)
			}},
		{name: "several features derive their source ids", records: 3,
			input: trackCollection(trackFeature(geoProps1, geoLine2), trackFeature(`{"officer":"DZG-08","times":`+geoTimes2+`}`, geoLine2), trackFeature(`{"officer":"DZG-07","source_id":"b"}`, geoLine2M)),
			d:     TrackDefaults{SourceID: "upload-1"},
			check: wantSourceIDs("derived", "derived", "b")},
		{name: "empty collection", input: trackCollection(), records: 0},
		{name: "no officer", input: trackFeature(`{"times":`+geoTimes2+`}`, geoLine2), records: 1,
			problems: []trackWant{{1, "officer", `set the feature's "officer" property`}}},
		{name: "wrong types", input: trackFeature(`{"officer":7,"source_id":1.5,"times":`+geoTimes2+`}`, geoLine2), records: 1,
			problems: []trackWant{{1, "officer", "must be a string"}, {1, "source_id", "must be a string or an integer"}}},
		{name: "a Point", input: trackFeature(geoProps1, `{"type":"Point","coordinates":[117.2,39.1]}`), records: 1,
			problems: []trackWant{{1, "geometry", "must be a LineString, not a Point"}}},
		{name: "a MultiLineString", input: trackFeature(geoProps1, `{"type":"MultiLineString","coordinates":[]}`), records: 1,
			problems: []trackWant{{1, "geometry", "each part of a MultiLineString as a Feature of its own"}}},
		{name: "no geometry", input: trackFeature(geoProps1, `null`), records: 1,
			problems: []trackWant{{1, "geometry", "is required"}}},
		{name: "a string coordinate", input: trackFeature(geoProps1, `{"type":"LineString","coordinates":[[117.2,39.1],["117.2",39.1]]}`), records: 1,
			problems: []trackWant{{1, "geometry", "position 2: value 1 must be a number"}}},
		{name: "a null coordinate", input: trackFeature(geoProps1, `{"type":"LineString","coordinates":[[117.2,39.1],[117.2,null]]}`), records: 1,
			problems: []trackWant{{1, "geometry", "position 2: value 2 must be a number"}}},
		{name: "a short position", input: trackFeature(geoProps1, `{"type":"LineString","coordinates":[[117.2,39.1],[117.2]]}`), records: 1,
			problems: []trackWant{{1, "geometry", "position 2 has 1 values"}}},
		{name: "no times", input: trackFeature(`{"officer":"DZG-07"}`, geoLine2), records: 1,
			problems: []trackWant{{1, "times", `in a "times" property`}}},
		{name: "some 4th values missing", records: 1,
			input:    trackFeature(`{"officer":"DZG-07"}`, `{"type":"LineString","coordinates":[[117.2,39.1,3,1778459400],[117.2,39.1,3]]}`),
			problems: []trackWant{{1, "times", "position 2 has no time"}}},
		{name: "a 4th value that is no time", records: 1,
			input:    trackFeature(`{"officer":"DZG-07"}`, `{"type":"LineString","coordinates":[[117.2,39.1,3,-5],[117.2,39.1,3,1]]}`),
			problems: []trackWant{{1, "times", "position 1: the time (4th value) must be a Unix time"}}},
		{name: "times of another length", input: trackFeature(`{"officer":"DZG-07","times":["2026-05-11T08:30:00+08:00"]}`, geoLine2), records: 1,
			problems: []trackWant{{1, "times", "has 1 times for 2 positions"}}},
		{name: "a time that is no time", input: trackFeature(`{"officer":"DZG-07","times":["2026-05-11T08:30:00+08:00",true]}`, geoLine2), records: 1,
			problems: []trackWant{{1, "times", "time 2 must be an RFC 3339 time with a zone"}}},
		{name: "a time without a zone", input: trackFeature(`{"officer":"DZG-07","coordTimes":["2026-05-11T08:30:00","2026-05-11T08:30:10"]}`, geoLine2), records: 1,
			problems: []trackWant{{1, "coordTimes", "time 1 must be an RFC 3339 time with a zone"}}},
		{name: "times that are no array", input: trackFeature(`{"officer":"DZG-07","times":"2026-05-11T08:30:00+08:00"}`, geoLine2), records: 1,
			problems: []trackWant{{1, "times", "must be an array"}}},
		{name: "properties that are no object", input: trackFeature(`[1]`, geoLine2M), records: 1,
			problems: []trackWant{{1, "properties", "must be a JSON object"}, {1, "officer", "is required"}}},
		{name: "a member that is no Feature", input: trackCollection(trackFeature(geoProps1, geoLine2), `7`, `{"type":"Point"}`), records: 3,
			problems: []trackWant{{2, "type", "must be a GeoJSON Feature"}, {3, "type", "must be a GeoJSON Feature"}}},
		{name: "malformed JSON in the second feature", input: trackCollection(trackFeature(geoProps1, geoLine2), `{"type":"Feature",`),
			records: 1, fatal: 2, reason: "malformed JSON"},
		{name: "truncated", input: trackCollection(trackFeature(geoProps1, geoLine2))[:60], fatal: 1},
		{name: "an array", input: `[` + trackFeature(geoProps1, geoLine2) + `]`, fatal: 1, reason: "a GeoJSON FeatureCollection or Feature"},
		{name: "a geometry", input: geoLine2, fatal: 1, reason: "expected a GeoJSON FeatureCollection"},
		{name: "empty", input: ``, fatal: 1},
	})
}

// gpxDoc wraps the children of <gpx> in a GPX 1.1 document.
func gpxDoc(children ...string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">` + strings.Join(children, "\n") + `</gpx>`
}

const (
	gpxAuthor = `<metadata><author><name>DZG-07</name></author></metadata>`
	gpxPt1    = `<trkpt lat="39.112" lon="117.2255"><time>2026-05-11T00:30:00Z</time></trkpt>`
	gpxPt2    = `<trkpt lat="39.112" lon="117.2256"><time>2026-05-11T08:30:10+08:00</time></trkpt>`
	gpxTrk2   = `<trk><name>patrol</name><trkseg>` + gpxPt1 + gpxPt2 + `</trkseg></trk>`
	gpxPt1End = `<time>2026-05-11T00:30:00Z</time></trkpt>` // pt1 after its start tag
)

func TestGPXTracks(t *testing.T) {
	runTrackCases(t, GPX, []trackCase{
		{name: "one track", input: gpxDoc(gpxAuthor, gpxTrk2), records: 1,
			check: func(t *testing.T, recs []TrackRecord) {
				wantOfficers("DZG-07")(t, recs)
				wantSourceIDs("derived")(t, recs)
				fs := recs[0].Track.Fixes
				if len(fs) != 2 || !fs[1].Time.Equal(walkStart.Add(10*time.Second)) || fs[1].Point[0] != 117.2256 {
					t.Errorf("fixes %v", fs)
				}
			}},
		{name: "a default officer wins over the author", input: gpxDoc(gpxAuthor, gpxTrk2), d: TrackDefaults{Officer: "DZG-01", SourceID: "u"},
			records: 1, check: func(t *testing.T, recs []TrackRecord) { wantOfficers("DZG-01")(t, recs); wantSourceIDs("u")(t, recs) }},
		{name: "several tracks derive their source ids", input: gpxDoc(gpxAuthor, gpxTrk2, `<rte><rtept lat="1" lon="2"/></rte>`, gpxTrk2, `<trk/>`),
			d: TrackDefaults{SourceID: "u"}, records: 3,
			check: func(t *testing.T, recs []TrackRecord) {
				wantSourceIDs("derived", "derived", "derived")(t, recs)
				if len(recs[2].Track.Fixes) != 0 {
					t.Errorf("empty <trk> has fixes %v", recs[2].Track.Fixes)
				}
			}},
		{name: "zone-less times are UTC", records: 1,
			input: gpxDoc(gpxAuthor, `<trk><trkseg><trkpt lat="39.112" lon="117.2255"><time>2026-05-11T00:30:00</time></trkpt></trkseg></trk>`),
			check: func(t *testing.T, recs []TrackRecord) {
				if got := recs[0].Track.Fixes[0].Time; !got.Equal(walkStart) {
					t.Errorf("time %v, want %v", got, walkStart)
				}
			}},
		{name: "a declared charset", records: 1,
			input: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><gpx><metadata><author><name>Jos\xe9</name></author></metadata>" + gpxTrk2 + "</gpx>",
			check: wantOfficers("José")},
		{name: "extensions and unknown elements", records: 1,
			input: gpxDoc(gpxAuthor, `<extensions><x:y xmlns:x="urn:x"><trk/></x:y></extensions>`,
				`<trk><trkseg><trkpt lat="39.112" lon="117.2255"><time>2026-05-11T00:30:00Z</time><extensions><a><b/></a></extensions></trkpt><foo/>`+gpxPt2+`</trkseg><desc>d</desc></trk>`),
			check: func(t *testing.T, recs []TrackRecord) {
				if n := len(recs[0].Track.Fixes); n != 2 {
					t.Errorf("%d fixes, want 2", n)
				}
			}},
		{name: "no officer", input: gpxDoc(gpxTrk2), records: 1,
			problems: []trackWant{{1, "officer", "<metadata><author><name>"}}},
		{name: "points without time", records: 1,
			input:    gpxDoc(gpxAuthor, `<trk><trkseg>`+gpxPt1+`<trkpt lat="39.112" lon="117.2255"/></trkseg><trkseg><trkpt lat="39.112" lon="117.2255"></trkpt></trkseg></trk>`),
			problems: []trackWant{{1, "time", "point 2 has no <time>; every <trkpt> needs one (1 more points lack one)"}}},
		{name: "a bad time, then a good track", records: 2,
			input:    gpxDoc(gpxAuthor, `<trk><trkseg><trkpt lat="39.112" lon="117.2255"><time>yesterday</time><extensions><a><b/></a></extensions></trkpt>`+gpxPt2+`</trkseg></trk>`, gpxTrk2),
			problems: []trackWant{{1, "time", `point 1: <time> "yesterday" must be an ISO 8601 time`}}},
		{name: "missing and bad coordinates", records: 1,
			input:    gpxDoc(gpxAuthor, `<trk><trkseg><trkpt lon="117.2255">`+gpxPt1End+`<trkpt lat="39.112" lon="east">`+gpxPt1End+gpxPt2+`</trkseg></trk>`),
			problems: []trackWant{{1, "lat", "point 1: the lat attribute is required"}, {1, "lon", `point 2: the lon attribute must be a number, not "east"`}}},
		{name: "a bad elevation", records: 1,
			input:    gpxDoc(gpxAuthor, `<trk><trkseg><trkpt lat="39.112" lon="117.2255"><ele>high</ele><time>2026-05-11T00:30:00Z</time></trkpt>`+gpxPt2+`</trkseg></trk>`),
			problems: []trackWant{{1, "trkpt", `point 1: "high" is not a number`}}},
		{name: "no tracks", input: gpxDoc(gpxAuthor, `<wpt lat="1" lon="2"/>`), records: 0},
		{name: "broken XML in the second track", input: gpxDoc(gpxAuthor, gpxTrk2, `<trk><trkseg><trkpt lat="1" lon="2"></trkseg></trk>`),
			records: 1, fatal: 2, reason: "malformed XML at line 4"},
		{name: "broken XML after the only track", input: gpxDoc(gpxAuthor, gpxTrk2, `<wpt lat="1" lon="2">`),
			records: 1, fatal: 2, reason: "malformed XML"},
		{name: "the document ends early", input: gpxDoc(gpxAuthor, gpxTrk2)[:200], fatal: 1, reason: "ends early"},
		{name: "another root", input: `<kml><trk/></kml>`, fatal: 1, reason: "root element <gpx>), not <kml>"},
		{name: "JSON", input: trackCollection(), fatal: 1, reason: "expected a GPX document"},
		{name: "empty", input: "  \n", fatal: 1, reason: "the input is empty"},
		{name: "a second root", input: gpxDoc(gpxAuthor, gpxTrk2) + `<gpx/>`, records: 1, fatal: 1, reason: "after </gpx>"},
		{name: "an unknown charset", input: `<?xml version="1.0" encoding="x-nonsense"?><gpx/>`, fatal: 1, reason: "charset"},
	})
}

// fixLines joins lines with newlines.
func fixLines(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

// fixLine returns an NDJSON fix of officer and track (none when "") at second s
// of the walk.
func fixLine(officer, track string, s int) string {
	tr := ""
	if track != "" {
		tr = `,"track":"` + track + `"`
	}
	return fmt.Sprintf(`{"officer":%q%s,"time":"%s","lon":117.2255,"lat":39.112}`, officer, tr,
		walkStart.Add(time.Duration(s)*time.Second).In(time.FixedZone("CST", 8*3600)).Format(time.RFC3339))
}

func TestFixes(t *testing.T) {
	many := make([]string, 30)
	for i := range many {
		many[i] = `{"officer":"A","time":"2026-05-11T08:30:00+08:00","lon":"x","lat":39.1}`
	}
	runTrackCases(t, NDJSON, []trackCase{
		{name: "tracks of officers and track ids", records: 3,
			input: fixLines(fixLine("A", "", 0), fixLine("A", "", 10), fixLine("A", "pm", 20), fixLine("B", "pm", 30), fixLine("B", "pm", 40)),
			d:     TrackDefaults{SourceID: "u"},
			check: func(t *testing.T, recs []TrackRecord) {
				wantOfficers("A", "A", "B")(t, recs)
				wantSourceIDs("derived", "pm", "pm")(t, recs)
				if n := len(recs[0].Track.Fixes); n != 2 {
					t.Errorf("record 1 has %d fixes, want 2", n)
				}
			}},
		{name: "one track gets the default source id", input: fixLines(fixLine("A", "", 0), fixLine("A", "", 10)), d: TrackDefaults{SourceID: "u"},
			records: 1, check: wantSourceIDs("u")},
		{name: "epoch times, an integer track, the default officer", records: 1, d: TrackDefaults{Officer: "DZG-01"},
			input: fixLines(`{"time":1778459400,"lon":117.2255,"lat":39.112,"track":12}`, `{"time":1778459410000,"lon":117.2255,"lat":39.112,"track":12}`),
			check: func(t *testing.T, recs []TrackRecord) {
				wantOfficers("DZG-01")(t, recs)
				wantSourceIDs("12")(t, recs)
				if fs := recs[0].Track.Fixes; !fs[0].Time.Equal(walkStart) || !fs[1].Time.Equal(walkStart.Add(10*time.Second)) {
					t.Errorf("fixes %v", fs)
				}
			}},
		{name: "blank lines are skipped and counted", input: "\n" + fixLine("A", "", 0) + "\n\n  \n" + `{"officer":"A","time":"2026-05-11T08:30:10+08:00","lon":117.2,"lat":"39.1"}` + "\n", records: 1,
			problems: []trackWant{{1, "lat", "line 5: lat must be a number"}}},
		{name: "missing and wrong values", records: 2,
			input: fixLines(fixLine("A", "", 0), `{"officer":"A","lon":117.2,"lat":39.1}`, `{"officer":"B","time":"08:30","lat":39.1}`, `{"officer":"B","time":true,"lon":[1],"lat":null}`),
			problems: []trackWant{{1, "time", "line 2: time is required"},
				{2, "time", "line 3: time must be an RFC 3339 time with a zone"}, {2, "lon", "line 3: lon is required"},
				{2, "time", "line 4: time must be"}, {2, "lon", "line 4: lon must be a number"}, {2, "lat", "line 4: lat is required"}}},
		{name: "no officer", input: fixLines(`{"time":1778459400,"lon":117.2,"lat":39.1}`), records: 1,
			problems: []trackWant{{1, "officer", `give "officer" on every line`}}},
		{name: "a track interrupted", records: 5,
			input: fixLines(fixLine("A", "", 0), fixLine("B", "", 0), fixLine("A", "", 10), fixLine("A", "pm", 20), fixLine("B", "", 10)),
			problems: []trackWant{{3, "officer", `fixes of officer "A" are not contiguous: line 3 continues record 1`},
				{5, "officer", `fixes of officer "B" are not contiguous: line 5 continues record 2`}}},
		{name: "an interrupted track id", records: 3, input: fixLines(fixLine("A", "am", 0), fixLine("A", "pm", 0), fixLine("A", "am", 10)),
			problems: []trackWant{{3, "officer", `officer "A" (track "am") are not contiguous`}}},
		{name: "unusable lines go to the track in progress, or the first", records: 2,
			input: fixLines(`not json`, fixLine("A", "", 0), `[1,2]`, `{"officer":5,"time":1,"lon":1,"lat":1}`, fixLine("B", "", 0), `{"officer":"B","track":{}}`),
			problems: []trackWant{{1, "body", "line 1: is not a JSON object"}, {1, "body", "line 3: is not a JSON object"},
				{1, "officer", "line 4: officer must be a string"}, {2, "track", "line 6: track must be a string or an integer"}},
			check: wantOfficers("A", "B")},
		{name: "only unusable lines", input: fixLines(`{`, `null`), records: 1,
			problems: []trackWant{{1, "body", "line 1: is not a JSON object"}, {1, "body", "line 2: is not a JSON object"}}},
		{name: "problems are counted past a limit", input: fixLines(many...), records: 1,
			problems: func() []trackWant {
				var ws []trackWant
				for i := range maxTrackProblems {
					ws = append(ws, trackWant{1, "lon", fmt.Sprintf("line %d: lon must be a number", i+1)})
				}
				return append(ws, trackWant{1, "fixes", "10 more problems are not listed"})
			}()},
		{name: "an over-long line", input: fixLines(fixLine("A", "", 0), fixLine("B", "", 0), `{"officer":"`+strings.Repeat("x", MaxLine)+`"}`),
			records: 1, fatal: 2, reason: "longer than"},
		{name: "empty", input: "\n\n", records: 0},
	})
}

func TestFixesLimit(t *testing.T) {
	var b strings.Builder
	for i := range data.MaxFixes + 5 {
		b.WriteString(fixLine("A", "", i))
		b.WriteByte('\n')
	}
	recs, err := readTracks(t, NDJSON, b.String(), TrackDefaults{})
	if err != nil || len(recs) != 1 {
		t.Fatalf("%d records, err %v", len(recs), err)
	}
	if got, want := len(recs[0].Track.Fixes), data.MaxFixes+1; got != want {
		t.Errorf("%d fixes kept, want %d", got, want)
	}
	checkTrackProblems(t, recs, []trackWant{{1, "fixes", "at most 100000 fixes"}})
}
