package analytics

import (
	"math"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/seed"
)

// TestRank puts one violation a day on one segment and three a day on
// another for twelve weeks: the busier segment ranks first, and a steady
// series has no trend however the window cuts the weeks.
func TestRank(t *testing.T) {
	roads, err := seed.Roads()
	if err != nil {
		t.Fatal(err)
	}
	quiet, busy := roads[1].Segments[2], roads[0].Segments[3]
	zone := time.FixedZone("CST", 8*3600)
	monday := time.Date(2026, 8, 31, 0, 0, 0, 0, zone)
	var changes []data.Change
	for d := -3; d < 12*7+3; d++ { // a few days past each end of the twelve weeks
		day := monday.AddDate(0, 0, d).Add(10 * time.Hour)
		for i, s := range []data.Segment{quiet, busy, busy, busy} {
			changes = append(changes, data.Change{Seq: int64(len(changes) + 1), Kind: data.ChangeViolation,
				Cell: s.Cells12[len(s.Cells12)/2], Hour: day.Add(time.Duration(i) * time.Minute).Truncate(time.Hour),
				Category: "street-vending", Source: data.SourcePatrol})
		}
	}
	cube := NewCube()
	cube.Apply(changes)
	weeks := TimeBins{Start: monday, Step: 7 * 24 * time.Hour, N: 12}
	for _, f := range []Filter{
		{From: monday.AddDate(0, 0, -3), To: weeks.End().AddDate(0, 0, 3)}, // mid-week to mid-week
		{From: monday, To: weeks.End()},
	} {
		ranked := Rank(RankingInput{Roads: roads, Cube: cube, Filter: f, Weeks: weeks, Zone: zone, HotRes: 11})
		if ranked[0].Road != roads[0].ID || ranked[0].Segments[0].Segment != busy.Index {
			t.Fatalf("first: %s segment %d, want %s segment %d", ranked[0].Road, ranked[0].Segments[0].Segment, roads[0].ID, busy.Index)
		}
		for _, r := range ranked {
			for _, s := range r.Segments {
				if s.Count > 0 && math.Abs(s.Trend.Tau) > 1e-12 {
					t.Fatalf("window %v: %s/%d has tau %v for a steady series", f, r.Road, s.Segment, s.Trend.Tau)
				}
			}
		}
		top := ranked[0].Segments[0]
		if top.PeakHours[0] != 10 || math.Abs(top.Score-0.4) > 1e-12 || top.Emerging != NoPattern { // count share 1, nothing else
			t.Fatalf("top segment %+v", top)
		}
	}
}
