package storetest

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/data"
)

// newTrack returns a valid track of n fixes evenly spread over [start, end]
// with one dwell entry per UTC hour it touches, consistent in Start, End,
// NFixes and Seconds.
func newTrack(officer, sourceID string, start, end time.Time, n int) data.Track {
	tr := data.Track{Officer: officer, SourceID: sourceID, Datum: "gcj02", Start: start, End: end, NFixes: n}
	step := end.Sub(start) / time.Duration(n-1)
	for i := range n {
		at := start.Add(time.Duration(i) * step).Truncate(time.Millisecond)
		if i == n-1 {
			at = end
		}
		tr.Fixes = append(tr.Fixes, data.Fix{Time: at, Point: orb.Point{lon0 + float64(i)*1.234567e-5, lat0 - float64(i)*7.654321e-6}})
	}
	for hour := start.UTC().Truncate(time.Hour); hour.Before(end); hour = hour.Add(time.Hour) {
		i := len(tr.Dwell)
		d := data.Dwell{Cell: cellAt(lon0+float64(i)*2e-4, lat0), Hour: hour, Seconds: 600.25 + float64(i)}
		tr.Dwell = append(tr.Dwell, d)
		tr.Seconds += d.Seconds
	}
	return tr
}

func sortDwell(ds []data.Dwell) []data.Dwell {
	ds = slices.Clone(ds)
	slices.SortFunc(ds, func(a, b data.Dwell) int {
		return cmp.Or(a.Hour.Compare(b.Hour), cmp.Compare(a.Cell, b.Cell))
	})
	return ds
}

// checkTrack compares a stored track with what was written; fixes and
// dwell are compared exactly (times to the millisecond of the fixtures),
// dwell in any order.
func checkTrack(tb testing.TB, got, want data.Track, id int64, withFixes bool) {
	tb.Helper()
	name := want.Officer + "/" + want.SourceID
	if got.ID != id || got.Officer != want.Officer || got.SourceID != want.SourceID || got.Datum != want.Datum {
		tb.Errorf("%s: ID, Officer, SourceID, Datum = %d %q %q %q, want %d %q %q %q", name,
			got.ID, got.Officer, got.SourceID, got.Datum, id, want.Officer, want.SourceID, want.Datum)
	}
	if !got.Start.Equal(want.Start) || !got.End.Equal(want.End) {
		tb.Errorf("%s: Start, End = %v %v, want %v %v", name, got.Start, got.End, want.Start, want.End)
	}
	if got.NFixes != len(want.Fixes) || !near(got.Seconds, want.Seconds, 1e-6) {
		tb.Errorf("%s: NFixes, Seconds = %d %v, want %d %v", name, got.NFixes, got.Seconds, len(want.Fixes), want.Seconds)
	}
	if !withFixes {
		if len(got.Fixes) != 0 || len(got.Dwell) != 0 {
			tb.Errorf("%s: without WithFixes got %d fixes and %d dwell entries, want none", name, len(got.Fixes), len(got.Dwell))
		}
		return
	}
	if len(got.Fixes) != len(want.Fixes) {
		tb.Fatalf("%s: %d fixes, want %d", name, len(got.Fixes), len(want.Fixes))
	}
	for i, f := range want.Fixes {
		if g := got.Fixes[i]; !g.Time.Equal(f.Time) || g.Point != f.Point {
			tb.Errorf("%s: fix %d = %v %v, want %v %v (exactly)", name, i, g.Time, g.Point, f.Time, f.Point)
			break
		}
	}
	gd, wd := sortDwell(got.Dwell), sortDwell(want.Dwell)
	if len(gd) != len(wd) {
		tb.Fatalf("%s: %d dwell entries, want %d", name, len(gd), len(wd))
	}
	for i := range wd {
		if gd[i].Cell != wd[i].Cell || !gd[i].Hour.Equal(wd[i].Hour) || gd[i].Seconds != wd[i].Seconds {
			tb.Errorf("%s: dwell %d = %+v, want %+v (exactly)", name, i, gd[i], wd[i])
		}
	}
}

func testTrackRoundTrip(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	long := newTrack("officer-07", "gpx-2025-03-03-a", t0.Add(-50*time.Minute), t0.Add(2*time.Hour+10*time.Minute+123*time.Millisecond), 500)
	if len(long.Dwell) != 4 {
		t.Fatalf("fixture: %d dwell entries, want 4", len(long.Dwell))
	}
	// Two fixes at the same instant are allowed (time order is not strict),
	// and a track may have no dwell at all (e.g. all of it was a gap).
	short := newTrack("unit-3 东片", "ndjson/2", t0, t0, 2)
	short.Dwell, short.Seconds, short.Datum = nil, 0, "wgs84"

	for _, want := range []data.Track{long, short} {
		id := putTrack(t, s, want)
		got, err := s.Track(ctx, id)
		if err != nil {
			t.Fatalf("Track(%d): %v", id, err)
		}
		checkTrack(t, got, want, id, true)
	}
}

func testTrackIdempotent(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	tr := newTrack("officer-1", "track-1", t0, t0.Add(90*time.Minute), 10)
	id := putTrack(t, s, tr)
	n := len(allChanges(t, s))
	if n != len(tr.Dwell) {
		t.Fatalf("the change feed has %d entries after a track with %d dwell entries", n, len(tr.Dwell))
	}

	again := tr
	again.Dwell = append(slices.Clone(tr.Dwell), data.Dwell{Cell: cellAt(lon0, lat0+0.001), Hour: t0.Add(5 * time.Hour).UTC(), Seconds: 60})
	o, err := s.PutTrack(ctx, again)
	if err != nil {
		t.Fatalf("PutTrack again: %v", err)
	}
	if o.ID != id || o.Created {
		t.Errorf("re-sent track: outcome %+v, want {ID:%d Created:false}", o, id)
	}
	wantChangeCount(t, s, n, "after re-sending a track")
	got, err := s.Track(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	checkTrack(t, got, tr, id, true)

	// The same source id from another officer is another track.
	other := tr
	other.Officer = "officer-2"
	if id2 := putTrack(t, s, other); id2 == id {
		t.Errorf("another officer's track got the id %d of the first", id2)
	}
	wantChangeCount(t, s, 2*n, "after another officer's track")
}

func testTrackInvalid(t *testing.T, h Harness) {
	cases := []struct {
		name  string
		spoil func(*data.Track)
	}{
		{"one fix", func(tr *data.Track) { tr.Fixes = tr.Fixes[:1] }},
		{"fixes out of order", func(tr *data.Track) { tr.Fixes[1], tr.Fixes[2] = tr.Fixes[2], tr.Fixes[1] }},
		{"dwell over an hour", func(tr *data.Track) { tr.Dwell[len(tr.Dwell)-1].Seconds = 3601 }},
		{"no officer", func(tr *data.Track) { tr.Officer = "" }},
		{"officer too long", func(tr *data.Track) { tr.Officer = strings.Repeat("o", data.MaxIDLength+1) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, s := open(t, h)
			tr := newTrack("officer-1", "bad", t0, t0.Add(3*time.Hour), 6)
			c.spoil(&tr)
			_, err := s.PutTrack(ctx, tr)
			wantCode(t, err, data.EINVALID, "PutTrack("+c.name+")")
			ts, err := s.Tracks(ctx, data.TrackFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(ts) != 0 {
				t.Errorf("after a rejected track the store holds %d tracks", len(ts))
			}
			wantChangeCount(t, s, 0, "after a rejected track")
		})
	}
}

func testTrackNotFound(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	id := putTrack(t, s, newTrack("o", "t", t0, t0.Add(time.Hour), 3))
	for _, missing := range []int64{id + 1, 0, -1} {
		_, err := s.Track(ctx, missing)
		wantCode(t, err, data.ENOTFOUND, fmt.Sprintf("Track(%d)", missing))
	}
}

func testTrackFilter(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	tracks := map[string]data.Track{
		"1": newTrack("o-1", "t1", t0, t0.Add(time.Hour), 4),
		"2": newTrack("o-2", "t2", t0.Add(30*time.Minute), t0.Add(2*time.Hour), 5),
		"3": newTrack("o-1", "t3", t0.Add(3*time.Hour), t0.Add(4*time.Hour), 3),
		"4": newTrack("o-3", "t4", t0.Add(5*time.Hour), t0.Add(5*time.Hour+10*time.Minute), 2),
	}
	id := map[string]int64{}
	byID := map[int64]string{}
	for _, name := range []string{"1", "2", "3", "4"} {
		id[name] = putTrack(t, s, tracks[name])
		byID[id[name]] = name
	}
	cases := []struct {
		name string
		f    data.TrackFilter
		want string // names in id order
	}{
		{"none", data.TrackFilter{}, "1234"},
		{"officer", data.TrackFilter{Officer: "o-1"}, "13"},
		{"unknown officer", data.TrackFilter{Officer: "nobody"}, ""},
		{"from: tracks still running", data.TrackFilter{From: t0.Add(90 * time.Minute)}, "234"},
		{"to (exclusive)", data.TrackFilter{To: t0.Add(3 * time.Hour)}, "12"},
		{"window inside a track", data.TrackFilter{From: t0.Add(3*time.Hour + 10*time.Minute), To: t0.Add(3*time.Hour + 20*time.Minute)}, "3"},
		{"window between tracks", data.TrackFilter{From: t0.Add(4*time.Hour + time.Minute), To: t0.Add(5 * time.Hour)}, ""},
		{"officer and from", data.TrackFilter{Officer: "o-1", From: t0.Add(90 * time.Minute)}, "3"},
		{"limit", data.TrackFilter{Limit: 2}, "12"},
		{"after", data.TrackFilter{After: id["2"]}, "34"},
		{"after and limit", data.TrackFilter{After: id["1"], Limit: 2}, "23"},
		{"offset", data.TrackFilter{Offset: 1}, "234"},
		{"officer, offset and limit", data.TrackFilter{Officer: "o-1", Offset: 1, Limit: 5}, "3"},
		{"after and offset", data.TrackFilter{After: id["1"], Offset: 2}, "4"},
	}
	counts := map[string]int{"none": 4, "officer": 2, "unknown officer": 0, "from: tracks still running": 3, "to (exclusive)": 2,
		"window inside a track": 1, "window between tracks": 0, "officer and from": 1, "limit": 4, "after": 4,
		"after and limit": 4, "offset": 4, "officer, offset and limit": 2, "after and offset": 4}
	for _, c := range cases {
		for _, withFixes := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/WithFixes=%v", c.name, withFixes), func(t *testing.T) {
				f := c.f
				f.WithFixes, f.WithDwell = withFixes, withFixes
				ts, err := s.Tracks(ctx, f)
				if err != nil {
					t.Fatalf("Tracks(%+v): %v", f, err)
				}
				var got strings.Builder
				for _, tr := range ts {
					name, ok := byID[tr.ID]
					if !ok {
						t.Fatalf("Tracks returned unknown id %d", tr.ID)
					}
					got.WriteString(name)
					checkTrack(t, tr, tracks[name], tr.ID, withFixes)
				}
				if got.String() != c.want {
					t.Errorf("Tracks(%s) = %q, want %q (in id order)", c.name, got.String(), c.want)
				}
				if withFixes {
					f.WithDwell = false
					if only, err := s.Tracks(ctx, f); err != nil || len(only) != len(ts) ||
						(len(only) > 0 && (len(only[0].Dwell) != 0 || len(only[0].Fixes) != len(ts[0].Fixes))) {
						t.Errorf("Tracks(%s) with fixes but not dwell: %v; want the fixes without dwell", c.name, err)
					}
				}
				if n, err := s.CountTracks(ctx, f); err != nil || n != counts[c.name] {
					t.Errorf("CountTracks(%s) = %d, %v; want %d (paging aside)", c.name, n, err, counts[c.name])
				}
			})
		}
	}
}
