package demo

import (
	"reflect"
	"regexp"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

// fortnight is a short summer period, with night checks, for track tests.
var fortnight = Options{Seed: 5, End: time.Date(2026, 7, 14, 0, 0, 0, 0, shanghai()), Days: 14}

func collect(roads []data.Road, opt Options) []data.Track {
	var ts []data.Track
	for t := range Tracks(roads, opt) {
		ts = append(ts, t)
	}
	return ts
}

func TestTracksDeterministic(t *testing.T) {
	roads := seedRoads(t)
	short := fortnight
	short.Days = 3
	other := short
	other.Seed++
	cases := []struct {
		name string
		a, b Options
		same bool
	}{
		{"same seed", short, short, true},
		{"other seed", short, other, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, b := collect(roads, c.a), collect(roads, c.b)
			if len(a) == 0 {
				t.Fatal("no tracks")
			}
			if got := reflect.DeepEqual(a, b); got != c.same {
				t.Fatalf("identical=%v, want %v", got, c.same)
			}
		})
	}
}

func TestTracksValid(t *testing.T) {
	roads := seedRoads(t)
	id := regexp.MustCompile(`^demo-t-\d{2}-\d{8}-(am|pm|night|camp)2?$`)
	seen := map[string]bool{}
	var fixes, gaps, spikes int
	var counted time.Duration
	for tr := range Tracks(roads, fortnight) {
		if ps := tr.Validate(); len(ps) > 0 {
			t.Fatalf("track %s: %v", tr.SourceID, ps)
		}
		if !id.MatchString(tr.SourceID) || seen[tr.Officer+tr.SourceID] {
			t.Fatalf("track id %q: malformed or repeated", tr.SourceID)
		}
		seen[tr.Officer+tr.SourceID] = true
		if tr.Datum != "wgs84" || tr.NFixes != len(tr.Fixes) || len(tr.Dwell) == 0 || tr.Seconds <= 0 {
			t.Fatalf("track %s: datum %q, %d/%d fixes, %d dwell rows, %.0f s",
				tr.SourceID, tr.Datum, tr.NFixes, len(tr.Fixes), len(tr.Dwell), tr.Seconds)
		}
		gfs := make([]geo.Fix, len(tr.Fixes))
		for i, f := range tr.Fixes {
			gfs[i] = geo.Fix{Time: f.Time, Point: f.Point}
		}
		_, s := geo.Dwell(gfs, dwellOptions())
		fixes += len(tr.Fixes)
		counted += s.Counted
		if s.DroppedGap > 0 {
			gaps++
		}
		if s.DroppedSpeed > 0 {
			spikes++
		}
	}
	perDay := float64(len(seen)) / float64(fortnight.Days)
	cases := []struct {
		name     string
		got      float64
		min, max float64
	}{
		// 9,000 officer-trips a year for a team of 12.
		{"trips per day", perDay, 20, 30},
		{"fixes per trip", float64(fixes) / float64(len(seen)), 100, 400},
		{"hours counted per trip", counted.Hours() / float64(len(seen)), 1.2, 3},
		{"share of trips with a gap dropped", float64(gaps) / float64(len(seen)), 0.05, 0.3},
		{"share of trips with a spike dropped", float64(spikes) / float64(len(seen)), 0.1, 0.8},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Logf("%.3f", c.got)
			if c.got < c.min || c.got > c.max {
				t.Fatalf("got %.3f, want %.3f..%.3f", c.got, c.min, c.max)
			}
		})
	}
}

// TestTracksOnRoads checks that the fixes stay on the key roads: all but
// spikes, noise and moves between roads lie within a buffer and a half.
func TestTracksOnRoads(t *testing.T) {
	roads := seedRoads(t)
	short := fortnight
	short.Days = 2
	var n, off int
	for tr := range Tracks(roads, short) {
		for _, f := range tr.Fixes {
			n++
			if !nearKeyRoad(roads, f) {
				off++
			}
		}
	}
	if share := float64(off) / float64(n); share > 0.1 {
		t.Fatalf("%.1f%% of %d fixes off the key roads, want under 10%%", 100*share, n)
	}
}

func nearKeyRoad(roads []data.Road, f data.Fix) bool {
	for _, r := range roads {
		if _, d := geo.Locate(r.Geometry, f.Point); r.Key && d <= 1.5*r.BufferMeters {
			return true
		}
	}
	return false
}
