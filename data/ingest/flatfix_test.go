package ingest

import (
	"testing"

	"github.com/dazhigu/hotspot/data"
)

// flatFixAgrees checks that parseFlatFix, when it reads line, reads what
// the encoding/json path reads, and reports whether it read it.
func flatFixAgrees(t *testing.T, line []byte) bool {
	t.Helper()
	f := &fixReader{d: TrackDefaults{Officer: "DZG-01"}}
	l, ok := parseFlatFix(line)
	if !ok {
		return false
	}
	key, fix, problems := f.parseSlow(line, 1)
	if key == nil || fix == nil || len(problems) > 0 {
		t.Fatalf("%q: the fast path reads %+v, the slow one %v, %v, %v", line, l, key, fix, problems)
	}
	officer := l.officer
	if officer == "" {
		officer = f.d.Officer
	}
	if got, want := (fixKey{officer, l.track}), *key; got != want {
		t.Fatalf("%q: key %+v, want %+v", line, got, want)
	}
	if got, want := l.fix, *fix; !identicalFix(got, want) {
		t.Fatalf("%q: fix %+v, want %+v", line, got, want)
	}
	return true
}

// identicalFix reports whether two fixes hold the same instant, in the same
// zone offset, at the same point. time.Time's == also compares the
// *Location, which two parses of one offset need not share.
func identicalFix(a, b data.Fix) bool {
	_, ao := a.Time.Zone()
	_, bo := b.Time.Zone()
	return a.Time.Equal(b.Time) && ao == bo && a.Point == b.Point
}

var flatFixCases = []struct {
	line string
	fast bool // whether parseFlatFix reads it
}{
	{`{"officer":"zf-07","track":"bench","time":"2026-05-11T00:30:00Z","lon":117.2255000,"lat":39.1120000}`, true},
	{`{ "officer" : "A01" , "time" : "2026-05-11T08:30:00+08:00" , "lon" : 117.2255 , "lat" : 39.112 }`, true},
	{"{\"officer\":\"A01\",\t\"time\":1778459400,\r\n\"lon\":1.5e2,\"lat\":-3.9E+1}", true},
	{`{"time":1778459400123,"lon":117,"lat":39}`, true},
	{`{"officer":null,"track":null,"time":"2026-05-11 08:30:00.123456789+08:00","lon":-0,"lat":0.0}`, true},
	{`{"officer":"巡逻07","track":7,"time":"2026-05-11T00:30:00Z","lon":117,"lat":39}`, true},
	{`{"track":-0,"time":"2026-05-11T00:30:00Z","lon":117,"lat":39,"speed":1.4,"src":"gps","ok":true,"x":null,"f":false}`, true},
	{`{"track":9223372036854775808,"time":"2026-05-11T00:30:00Z","lon":117,"lat":39}`, false}, // beyond int64
	{`{"track":1.5,"time":"2026-05-11T00:30:00Z","lon":117,"lat":39}`, false},
	{`{"track":01,"time":"2026-05-11T00:30:00Z","lon":117,"lat":39}`, false},
	{`{"officer":7,"time":"2026-05-11T00:30:00Z","lon":117,"lat":39}`, false},
	{`{"officer":"a\"b","time":"2026-05-11T00:30:00Z","lon":117,"lat":39}`, false},
	{`{"officer":"a\u00e9","time":"2026-05-11T00:30:00Z","lon":117,"lat":39}`, false},
	{"{\"officer\":\"a\xff\",\"time\":\"2026-05-11T00:30:00Z\",\"lon\":117,\"lat\":39}", false},
	{"{\"officer\":\"a\tb\",\"time\":\"2026-05-11T00:30:00Z\",\"lon\":117,\"lat\":39}", false},
	{`{"Officer":"b","officer":"a","time":"2026-05-11T00:30:00Z","lon":117,"lat":39}`, false},
	{`{"officer":"a","officer":"b","time":"2026-05-11T00:30:00Z","lon":117,"lat":39}`, false},
	{`{"trac` + "\u212a" + `":"b","time":"2026-05-11T00:30:00Z","lon":117,"lat":39}`, false}, // the Kelvin sign folds to k
	{`{"time":"2026-05-11T00:30:00","lon":117,"lat":39}`, false},
	{`{"time":"2026-05-11T00:30:00Z","lon":"117","lat":39}`, false},
	{`{"time":"2026-05-11T00:30:00Z","lon":1e999,"lat":39}`, false},
	{`{"time":"2026-05-11T00:30:00Z","lon":117}`, false},
	{`{"time":"2026-05-11T00:30:00Z","lon":117,"lat":39,}`, false},
	{`{"time":"2026-05-11T00:30:00Z","lon":117,"lat":39} x`, false},
	{`{"time":"2026-05-11T00:30:00Z","lon":117,"lat":39,"more":{}}`, false},
	{`{"time":"2026-05-11T00:30:00Z","lon":117,"lat":39,"more":[1]}`, false},
	{`{"time":true,"lon":117,"lat":39}`, false},
	{`{"time":-1,"lon":117,"lat":39}`, false},
	{`{"time":"2026-05-11T00:30:00Z","lon":.5,"lat":39}`, false},
	{`{"time":"2026-05-11T00:30:00Z","lon":+5,"lat":39}`, false},
	{`{"time":"2026-05-11T00:30:00Z","lon":5.,"lat":39}`, false},
	{`{"time":"2026-05-11T00:30:00Z","lon":nul,"lat":39}`, false},
	{`{}`, false},
	{`[]`, false},
}

// TestFlatFix checks that the hand-written decoder reads the common shapes
// of fix lines, refuses the unusual ones, and reads what encoding/json
// reads.
func TestFlatFix(t *testing.T) {
	for _, c := range flatFixCases {
		if got := flatFixAgrees(t, []byte(c.line)); got != c.fast {
			t.Errorf("%s: read by the fast path %v, want %v", c.line, got, c.fast)
		}
	}
}

// FuzzFlatFix checks that whatever line the hand-written decoder reads, it
// reads as encoding/json does.
func FuzzFlatFix(f *testing.F) {
	for _, c := range flatFixCases {
		f.Add([]byte(c.line))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		if len(line) > 0 {
			flatFixAgrees(t, line)
		}
	})
}
