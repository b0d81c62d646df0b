package ingest

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data"
)

func TestEventReader(t *testing.T) {
	in := "\ufeffLon,lat,time,category,extra\n" +
		"-71.0632,42.3722,2015-01-01T08:48:34-05:00,Graffiti,x\n" +
		"-71.0398,42.3345,2015-07-01T10:37:47-04:00,,y\n" +
		"-71.1,42.3,yesterday,Graffiti,z\n" +
		"200,42.3,2015-07-01T10:37:47-04:00,Graffiti,z\n" +
		"-71.1,42.3\n"
	r := NewEventReader(strings.NewReader(in))
	var got []Event
	var problems []string
	for {
		e, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var de *data.Error
		if errors.As(err, &de) {
			problems = append(problems, de.Message)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e)
	}
	if len(got) != 2 || got[0].Category != "Graffiti" || got[1].Category != "" || got[0].Point[0] != -71.0632 {
		t.Fatalf("events %+v", got)
	}
	if _, off := got[1].Time.Zone(); off != -4*3600 {
		t.Fatalf("offset %d, want −4 h as written", off)
	}
	want := []string{"line 4: time", "line 5: longitude", "line 6: 2 fields"}
	if len(problems) != len(want) {
		t.Fatalf("problems %q", problems)
	}
	for i, w := range want {
		if !strings.HasPrefix(problems[i], w) {
			t.Errorf("problem %q, want it to start %q", problems[i], w)
		}
	}
	if _, err := NewEventReader(strings.NewReader("a,b,c\n1,2,3\n")).Next(); err == nil || !strings.Contains(err.Error(), "must name lon, lat and time") {
		t.Fatalf("header error %v", err)
	}
}

// TestOffsetsZone gives the zone of a file written in New York time the
// offsets of New York's 2015 daylight-saving changes, as its events show
// them, and checks the zone against the time-zone database.
func TestOffsetsZone(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time-zone database:", err)
	}
	var o Offsets
	for at := time.Date(2015, 1, 1, 0, 0, 0, 0, ny); at.Year() == 2015; at = at.Add(37 * time.Minute) {
		o.Add(at.In(time.FixedZone("", offsetOf(at))))
	}
	z, err := o.Zone()
	if err != nil {
		t.Fatal(err)
	}
	for at := time.Date(2015, 1, 1, 0, 0, 0, 0, ny); at.Year() == 2015; at = at.Add(time.Hour) {
		_, got := at.In(z).Zone()
		_, want := at.Zone()
		if got != want && !near(at, ny) {
			t.Fatalf("at %v the file's zone says %d, New York %d", at, got, want)
		}
	}
	monday := time.Date(2015, 3, 9, 0, 0, 0, 0, z) // the first Monday of daylight saving
	if _, off := monday.Zone(); off != -4*3600 {
		t.Fatalf("Monday 2015-03-09 00:00 is at %d, want −04:00", off)
	}
	var fixed Offsets
	cst := time.FixedZone("", 8*3600)
	for h := range 24 * 60 { // sixty days at +08:00, with a stray UTC time every 50 hours
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, cst).Add(time.Duration(h) * time.Hour)
		if h%50 == 0 {
			at = at.UTC()
		}
		fixed.Add(at)
	}
	if z, _ := fixed.Zone(); z.String() != "+08:00" {
		t.Fatalf("one offset with strays gives %v", z)
	}
}

func offsetOf(t time.Time) int { _, off := t.Zone(); return off }

// near reports whether t is within an hour of a change of loc's offset
// (where the file's first event at the new offset may come after it).
func near(t time.Time, loc *time.Location) bool {
	return offsetOf(t.Add(-time.Hour)) != offsetOf(t) || offsetOf(t.Add(time.Hour)) != offsetOf(t)
}
