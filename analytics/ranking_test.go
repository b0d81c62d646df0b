package analytics

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/seed"
)

// TestRanking puts one violation a day on one segment and three a day on
// another for twelve weeks: the busier segment ranks first, and a steady
// series has no trend however the window cuts the weeks.
func TestRanking(t *testing.T) {
	roads, err := seed.Roads()
	if err != nil {
		t.Fatal(err)
	}
	quiet, busy := roads[1].Segments[2], roads[0].Segments[3]
	zone := time.FixedZone("CST", 8*3600)
	monday := time.Date(2026, 8, 31, 0, 0, 0, 0, zone)
	end := monday.AddDate(0, 0, 12*7)
	src := NewMemory(roads, nil)
	for d := -3; d < 12*7+3; d++ { // a few days past each end of the twelve weeks
		day := monday.AddDate(0, 0, d).Add(10 * time.Hour)
		for i, s := range []data.Segment{quiet, busy, busy, busy} {
			src.Append(data.Change{Kind: data.ChangeViolation, Cell: s.Cells12[len(s.Cells12)/2],
				Hour: day.Add(time.Duration(i) * time.Minute).Truncate(time.Hour), Category: "street-vending", Source: data.SourcePatrol})
		}
	}
	e := New(Options{Source: src, Zone: zone})
	for _, tc := range []struct {
		w     Window
		first time.Time // of the whole weeks within the window
		weeks int
	}{
		{Window{From: monday.AddDate(0, 0, 3), To: end.AddDate(0, 0, 3), Given: true}, monday.AddDate(0, 0, 7), 11}, // mid-week to mid-week
		{Window{From: monday, To: end, Given: true}, monday, 12},
	} {
		w := tc.w
		r, err := e.Ranking(context.Background(), Query{Res: 11, K: 1, Window: w})
		if err != nil {
			t.Fatal(err)
		}
		if !r.Weeks.Start().Equal(tc.first) || !r.Weeks.End().Equal(end) || r.Weeks.N() != tc.weeks {
			t.Fatalf("window %v: trend weeks %v..%v (%d), want the %d whole weeks within it", w, r.Weeks.Start(), r.Weeks.End(), r.Weeks.N(), tc.weeks)
		}
		ranked := r.Roads
		if ranked[0].Road != roads[0].ID || ranked[0].Segments[0].Segment != busy.Index {
			t.Fatalf("first: %s segment %d, want %s segment %d", ranked[0].Road, ranked[0].Segments[0].Segment, roads[0].ID, busy.Index)
		}
		for _, r := range ranked {
			for _, s := range r.Segments {
				if s.Count > 0 && math.Abs(s.Trend.Tau) > 1e-12 {
					t.Fatalf("window %v: %s/%d has tau %v for a steady series", w, r.Road, s.Segment, s.Trend.Tau)
				}
			}
		}
		top := ranked[0].Segments[0]
		// count share 1, a hot cell, no patrol and no trend.
		if top.PeakHours[0] != 10 || top.HotShare == 0 || math.Abs(top.Score-(0.4+0.3*top.HotShare)) > 1e-12 || !top.Emerging.Hot() {
			t.Fatalf("top segment %+v", top)
		}
	}
}
