package analytics

import (
	"slices"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/analytics/patrol"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/seed"
)

// TestDemoPatrolPlan plans a demo day with a budget of five officer-hours
// over the usual shifts and checks that most visits go where the demo's
// violations concentrate: the (segment, two-hour block)s of that weekday
// in the busiest quarter over the twelve weeks before, counted from the
// violations themselves rather than from the forecast.
func TestDemoPatrolPlan(t *testing.T) {
	e, _, end := demoEngine(t)
	day := end.AddDate(0, 0, -5) // a Wednesday of the demo
	at := func(h int) time.Time { return day.Add(time.Duration(h) * time.Hour) }
	q := PatrolQuery{Query: Query{Res: 11, K: 1}, Day: day,
		Shifts:  []patrol.Shift{{Start: at(7), End: at(11), Officers: 2}, {Start: at(16), End: at(20), Officers: 2}},
		Options: patrol.Options{Budget: 300}}
	r, err := e.PatrolPlan(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if r.Plan.Used > 300 || len(r.Plan.Visits) < 10 {
		t.Fatalf("%d visits in %.0f minutes of a 300-minute budget", len(r.Plan.Visits), r.Plan.Used)
	}
	// Observed violations per (segment, block) on Wednesdays of the 12 weeks before.
	seen := map[[2]int]float64{}
	pos := map[SegmentKey]int{}
	for i, s := range r.Segments {
		pos[s.SegmentKey] = i
	}
	roads, _ := e.Roads(ctx)
	idx := e.segmentsOf(roads)
	e.cube.Read(func(v cube.View) {
		v.Each(cube.Filter{From: day.AddDate(0, 0, -84), To: day}, func(cells cube.Cells, hour time.Time, _ string, _ data.Source, n int) {
			l := hour.In(e.zone)
			if i, ok := pos[idx.byCell[cells.At(cube.MaxRes)]]; ok && l.Weekday() == day.Weekday() {
				seen[[2]int{i, l.Hour() / patrol.BlockHours}] += float64(n)
			}
		})
	})
	var counts []float64 // of the units the shifts cover
	for s := range r.Segments {
		for _, b := range []int{3, 4, 5, 8, 9} {
			counts = append(counts, seen[[2]int{s, b}])
		}
	}
	slices.Sort(counts)
	busy := counts[len(counts)*3/4]
	hot := 0
	for _, v := range r.Plan.Visits {
		if seen[[2]int{v.Segment, v.Block}] >= busy {
			hot++
		}
	}
	if share := float64(hot) / float64(len(r.Plan.Visits)); share < 0.6 {
		t.Fatalf("%d of %d visits on the busiest quarter of the (segment, block)s; want most", hot, len(r.Plan.Visits))
	}
	t.Logf("%d of %d visits on the busiest quarter of the day's (segment, block)s", hot, len(r.Plan.Visits))
	keyRoads := map[string]bool{}
	for _, v := range r.Plan.Visits {
		keyRoads[r.Segments[v.Segment].Road] = true
	}
	if len(keyRoads) != len(roads) {
		t.Fatalf("visits on %d of the %d key roads", len(keyRoads), len(roads))
	}
}

// TestPatrolPlanEveryHour plans yesterday for one officer, 07:00–11:00,
// seed 9, over violations recorded every three hours on 大直沽中路 and
// every seven on each key road (the data of api.TestPatrolDelivery), with
// the clock at each half hour of a day: the forecast's busy and quiet
// blocks move with the clock, and every plan must still visit all six key
// roads. With the clock at 05:00–05:59 UTC the key roads taken one by one
// left the last of them no room, and the plan was refused.
func TestPatrolPlanEveryHour(t *testing.T) {
	roads, err := seed.Roads()
	if err != nil {
		t.Fatal(err)
	}
	cats, err := seed.Categories()
	if err != nil {
		t.Fatal(err)
	}
	shanghai := time.FixedZone("CST", 8*3600)
	for m := 0; m < 24*60; m += 30 {
		now := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC).Add(time.Duration(m) * time.Minute)
		src := NewMemory(roads, cats)
		recent := now.Add(-2 * time.Hour)
		for _, r := range roads {
			for i := range 20 {
				src.Append(violation(r.Geometry[i%len(r.Geometry)], recent.Add(-time.Duration(i)*7*time.Hour), "street-vending", data.SourcePatrol))
			}
			if r.ID == "dazhigu-zhonglu" {
				for i := range 200 {
					src.Append(violation(r.Geometry[len(r.Geometry)/2], recent.Add(-time.Duration(i)*3*time.Hour), "street-vending", data.SourcePatrol))
				}
			}
		}
		e := New(Options{Source: src, Zone: shanghai, Now: func() time.Time { return now }})
		y, mo, d := now.In(shanghai).AddDate(0, 0, -1).Date()
		day := time.Date(y, mo, d, 0, 0, 0, 0, shanghai)
		q := PatrolQuery{Query: Query{Res: 11, K: 1}, Day: day,
			Shifts:  []patrol.Shift{{Start: day.Add(7 * time.Hour), End: day.Add(11 * time.Hour), Officers: 1}},
			Options: patrol.Options{Seed: 9}}
		r, err := e.PatrolPlan(ctx, q)
		if err != nil {
			t.Fatalf("clock %s: %v", now.Format("15:04"), err)
		}
		visited := map[string]bool{}
		for _, v := range r.Plan.Visits {
			visited[r.Segments[v.Segment].Road] = true
		}
		if got, want := len(visited), len(roads); got != want {
			t.Fatalf("clock %s: visits on %d of the %d key roads", now.Format("15:04"), got, want)
		}
	}
}
