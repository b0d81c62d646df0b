package analytics

import (
	"context"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/dazhigu/hotspot/analytics/stat"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

// TestDemoPilotZones finds zones on the demo's last 26 weeks: each of their
// segments meets the three criteria, the corridor holds the segments, the
// best zone is 大直沽中路's market stretch (the demo's busiest shop fronts,
// patrolled without falling), and the split is drawn from the seed.
func TestDemoPilotZones(t *testing.T) {
	e, err := demoPatrol()
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.PilotZones(ctx, Query{Res: 11, K: 1}, ZoneOptions{Paint: 2, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Zones) < 2 || r.Zones[0].Road != "dazhigu-zhonglu" || r.Zones[0].Rank != 1 {
		t.Fatalf("zones %+v", r.Zones)
	}
	roads, _ := e.Roads(ctx)
	pilots, controls := 0, 0
	for _, z := range r.Zones {
		rd := roadOf(roads, z.Road)
		for _, s := range z.Segments {
			if !qualifies(s) || s.Dose.N < ZoneMinWeeks || s.RecurrentShare < ZoneMinRecurrence {
				t.Fatalf("%s segment %d does not meet the criteria: %+v", z.Road, s.Segment, s)
			}
			mid := geo.PointAlong(rd.Geometry, (s.FromMeters+s.ToMeters)/2)
			if !planar.PolygonContains(z.Polygon, mid) {
				t.Fatalf("the corridor of %s %.0f–%.0f m misses segment %d's midpoint", z.Road, z.FromMeters, z.ToMeters, s.Segment)
			}
		}
		switch z.Split {
		case "pilot":
			pilots++
		case "control":
			controls++
		}
	}
	if pilots != 2 || controls != 2 {
		t.Fatalf("split %d pilot, %d control; want 2 and 2", pilots, controls)
	}
	again, _ := e.PilotZones(ctx, Query{Res: 11, K: 1}, ZoneOptions{Paint: 2, Seed: 5})
	for i := range r.Zones {
		if again.Zones[i].Split != r.Zones[i].Split {
			t.Fatal("the same seed split the zones otherwise")
		}
	}
}

// TestZonesUnderPilot: a qualifying stretch on a road whose pilot is in
// force is marked and left unranked, after the others.
func TestZonesUnderPilot(t *testing.T) {
	end := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	line := orb.LineString{{117.22, 39.12}, {117.23, 39.12}}
	road := func(id string, pilot bool) data.Road {
		r := data.Road{ID: id, Name: id, Geometry: line, BufferMeters: 20}
		if pilot {
			r.Pilots = []data.Pilot{{Kind: "line-marking", Start: end.AddDate(0, -2, 0)}}
		}
		if err := r.Cut(context.Background(), data.SegmentMeters); err != nil {
			panic(err)
		}
		return r
	}
	hot := func(id string, n float64) RoadRank {
		rr := RoadRank{Road: id}
		for i := range 3 {
			s := SegmentRank{SegmentKey: SegmentKey{id, i}, Emerging: stat.PersistentHotSpot, Count: n * 10, Recurrent: n * 9}
			for w := range 10 {
				s.WeeklyCounts = append(s.WeeklyCounts, n+float64(w%3))
				s.WeeklyPatrolHours = append(s.WeeklyPatrolHours, float64(w))
			}
			rr.Segments = append(rr.Segments, s)
		}
		return rr
	}
	rk := RankingResult{Roads: []RoadRank{hot("painted", 9), hot("plain", 3)}}
	zs := append(stretches(road("painted", true), rk, end), stretches(road("plain", false), rk, end)...)
	rankZones(zs)
	if len(zs) != 2 || zs[0].Road != "plain" || zs[0].Rank != 1 || !zs[1].UnderPilot || zs[1].Rank != 0 {
		t.Fatalf("zones %+v", zs)
	}
}
