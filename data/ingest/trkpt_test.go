package ingest

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// readGPX reads every record of a GPX document, decoding every <trkpt>
// with go-gpx when slow, and returns the records and the error that ended
// reading (nil at io.EOF).
func readGPX(input string, d TrackDefaults, slow bool) ([]TrackRecord, error) {
	rd := newGPXTrackReader(strings.NewReader(input), d).(*gpxTrackReader)
	rd.slow = slow
	var recs []TrackRecord
	for range len(input) + 2 {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return recs, nil
		}
		if err != nil {
			return recs, err
		}
		recs = append(recs, rec)
	}
	return recs, errors.New("more records than bytes")
}

// gpxFastAgrees checks that reading input with the <trkpt> fast path gives
// exactly what decoding every point with go-gpx gives: records, problems
// (with their line numbers) and errors.
func gpxFastAgrees(t *testing.T, input string) {
	t.Helper()
	for _, d := range []TrackDefaults{{}, {Officer: "DZG-01", SourceID: "u"}} {
		got, gotErr := readGPX(input, d, false)
		want, wantErr := readGPX(input, d, true)
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotErr, wantErr) {
			t.Fatalf("%q:\nfast %+v, %v\nslow %+v, %v", input, got, gotErr, want, wantErr)
		}
	}
}

// gpxSegments is a document whose one track holds segs.
func gpxSegments(segs ...string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>` +
		strings.Join(segs, "</trkseg>\n<trkseg>") + "</trkseg></trk></gpx>\n"
}

const (
	pt1 = `<trkpt lat="39.1120000" lon="117.2255000"><time>2026-05-11T00:30:00Z</time></trkpt>`
	pt2 = "\n  <trkpt lon='117.2256' lat='39.1121'>\n\t<ele>3.5</ele>\n\t<time>2026-05-11T08:30:10.5+08:00</time>\n  </trkpt>\n"
	pt3 = `<trkpt lat="39.1122" lon="117.2257"><time>2026-05-11T00:30:20</time></trkpt>`
)

var trkptCases = []struct {
	name, trkpt string
	fast        bool // whether scanTrkpt reads it
}{
	{"a logger's point", pt1, true},
	{"with white space, ele and a zone", pt2, true},
	{"a time without a zone", pt3, true},
	{"no time", `<trkpt lat="39.1" lon="117.2"></trkpt>`, false},
	{"empty", `<trkpt lat="39.1" lon="117.2"/>`, false},
	{"no lat", `<trkpt lon="117.2"><time>2026-05-11T00:30:00Z</time></trkpt>`, false},
	{"a bad lat", `<trkpt lat="39..1" lon="117.2"><time>2026-05-11T00:30:00Z</time></trkpt>`, false},
	{"a bad time", `<trkpt lat="39.1" lon="117.2"><time>2026-13-11T00:30:00Z</time></trkpt>`, false},
	{"the zero time", `<trkpt lat="39.1" lon="117.2"><time>0001-01-01T00:00:00Z</time></trkpt>`, false},
	{"a bad ele", `<trkpt lat="39.1" lon="117.2"><ele>1-</ele><time>2026-05-11T00:30:00Z</time></trkpt>`, false},
	{"another attribute", `<trkpt lat="39.1" lon="117.2" x="1"><time>2026-05-11T00:30:00Z</time></trkpt>`, false},
	{"a repeated attribute", `<trkpt lat="39.1" lat="39.2" lon="117.2"><time>2026-05-11T00:30:00Z</time></trkpt>`, false},
	{"no space between attributes", `<trkpt lat="39.1"lon="117.2"><time>2026-05-11T00:30:00Z</time></trkpt>`, false},
	{"another child", `<trkpt lat="39.1" lon="117.2"><time>2026-05-11T00:30:00Z</time><hdop>x</hdop></trkpt>`, false},
	{"two times", `<trkpt lat="39.1" lon="117.2"><time>2026-05-11T00:30:00Z</time><time>2026-05-11T00:31:00Z</time></trkpt>`, false},
	{"a comment", `<trkpt lat="39.1" lon="117.2"><!-- x --><time>2026-05-11T00:30:00Z</time></trkpt>`, false},
	{"an entity", `<trkpt lat="39.1" lon="117.2"><time>2026-05-11T00:30:00&#x5A;</time></trkpt>`, false},
	{"a prefix", `<g:trkpt xmlns:g="http://www.topografix.com/GPX/1/1" lat="39.1" lon="117.2"><g:time>2026-05-11T00:30:00Z</g:time></g:trkpt>`, false},
	{"a space in the end tag", `<trkpt lat="39.1" lon="117.2"><time>2026-05-11T00:30:00Z</time></trkpt >`, false},
	{"a lat out of range", `<trkpt lat="1e999" lon="117.2"><time>2026-05-11T00:30:00Z</time></trkpt>`, false},
}

// TestTrkpt checks that scanTrkpt reads the points loggers write, leaves
// the others to go-gpx, and that documents of them read the same either way.
func TestTrkpt(t *testing.T) {
	for _, c := range trkptCases {
		t.Run(c.name, func(t *testing.T) {
			if _, _, got := scanTrkpt([]byte(c.trkpt)); got != c.fast {
				t.Errorf("read by scanTrkpt %v, want %v", got, c.fast)
			}
			gpxFastAgrees(t, gpxSegments(pt1+c.trkpt+pt3, c.trkpt, pt2+pt2))
		})
	}
	for _, doc := range []string{
		gpxSegments(pt1 + "\n" + pt2 + "broken</trkseg>"),                                         // malformed XML after fast points: its line
		gpxSegments(pt1+"\n"+pt2) + "<trk>",                                                       // after </gpx>
		gpxSegments(pt1 + "\n" + strings.Repeat(pt2, 3) + "<trkpt lat=\"1"),                       // cut off
		strings.Replace(gpxSegments(pt1+"\n"+pt2), "<trkseg>", "<trkseg/>\n"+pt1+"\n<trkseg>", 1), // a point outside a segment
		strings.Replace(gpxSegments(pt1+pt2), `encoding="UTF-8"`, `encoding="ISO-8859-1"`, 1),
		readTestdata(t, "walk.gpx"),
	} {
		gpxFastAgrees(t, doc)
	}
}

// TestTrkptLong checks a document far larger than the reader's buffer, so
// that points are cut off at its end, reads the same either way.
func TestTrkptLong(t *testing.T) {
	var b strings.Builder
	for range 4000 {
		b.WriteString(pt1 + pt2 + pt3)
	}
	gpxFastAgrees(t, gpxSegments(b.String(), pt1+pt3))
}

// FuzzTrkpt checks that any document reads the same with the <trkpt> fast
// path as with go-gpx alone.
func FuzzTrkpt(f *testing.F) {
	for _, c := range trkptCases {
		f.Add(gpxSegments(pt1 + c.trkpt + pt2))
	}
	f.Add(`<gpx><trk><trkseg>` + pt1 + `</trkseg><trkseg/>` + pt1 + `</trk></gpx>`)
	f.Fuzz(func(t *testing.T, doc string) { gpxFastAgrees(t, doc) })
}
