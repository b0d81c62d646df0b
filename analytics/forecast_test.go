package analytics

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/data"
)

// TestForecast forecasts the demo's next week: one expected count per
// study-area cell and per key-road segment, each with an hour-of-week
// profile summing to 1, and totals in line with the weeks before.
func TestForecast(t *testing.T) {
	e, roads, end := demoEngine(t)
	r, err := e.Forecast(ctx, Query{Res: 11, K: 1}, ForecastOptions{Profiles: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := end.AddDate(0, 0, -7); !r.Week.Start().Equal(want) || r.History.N() != 51 {
		t.Fatalf("week %v with %d weeks of history, want the week of %v after 51", r.Week.Start(), r.History.N(), want)
	}
	var total float64
	for _, c := range r.Cells {
		total += c.Expected
		var s float64
		for _, v := range c.Profile {
			s += v
		}
		if len(c.Profile) != HoursOfWeek || math.Abs(s-1) > 1e-9 || c.Expected < 0 {
			t.Fatalf("cell %v: expected %v, profile of %d hours summing to %v", c.Cell, c.Expected, len(c.Profile), s)
		}
	}
	segments := 0
	for _, rd := range roads {
		segments += len(rd.Segments)
	}
	if len(r.Cells) != r.Params.StudyArea.Cells || len(r.Segments) != segments {
		t.Fatalf("%d cells of %d, %d segments of %d", len(r.Cells), r.Params.StudyArea.Cells, len(r.Segments), segments)
	}
	var recent float64 // the area's mean week over the last eight
	e.cube.Read(func(v cube.View) {
		bins := cube.Weeks(r.Week.Start(), 8, e.zone)
		cells, err := RoadCells(context.Background(), roads, 11)
		if err != nil {
			t.Fatal(err)
		}
		area := NewStudyArea(cells, 11, 1)
		for _, row := range binned(v, cube.Filter{}, area, bins) {
			for _, n := range row {
				recent += n / 8
			}
		}
	})
	if total < recent/2 || total > recent*2 {
		t.Fatalf("the cells expect %.0f violations, the last eight weeks averaged %.0f", total, recent)
	}
}

// TestForecastSeesOnlyThePast forecasts a past week, then writes violations
// into that week and after it: the forecast does not move.
func TestForecastSeesOnlyThePast(t *testing.T) {
	e, roads, end := demoEngine(t)
	week := end.AddDate(0, 0, -21)
	q := Query{Res: 11, K: 1}
	before, err := e.Forecast(ctx, q, ForecastOptions{Week: week})
	if err != nil {
		t.Fatal(err)
	}
	later, err := e.Forecast(ctx, q, ForecastOptions{Week: week.AddDate(0, 0, 14)})
	if err != nil {
		t.Fatal(err)
	}
	src := e.src.(*Memory)
	p := roads[2].Geometry[3]
	for d := range 20 {
		src.Append(violation(orb.Point{p[0], p[1]}, week.Add(time.Duration(d)*24*time.Hour), "dumping", data.SourcePatrol))
	}
	after, err := e.Forecast(ctx, q, ForecastOptions{Week: week})
	if err != nil {
		t.Fatal(err)
	}
	if after.Params.Seq == before.Params.Seq {
		t.Fatal("the writes did not reach the engine")
	}
	laterAfter, err := e.Forecast(ctx, q, ForecastOptions{Week: week.AddDate(0, 0, 14)})
	if err != nil {
		t.Fatal(err)
	}
	if sum(laterAfter.Cells) <= sum(later.Cells) {
		t.Fatalf("a week after the writes expects %v, as before them (%v): the test would not see a leak", sum(laterAfter.Cells), sum(later.Cells))
	}
	for i := range before.Cells {
		if before.Cells[i].Cell != after.Cells[i].Cell || before.Cells[i].Expected != after.Cells[i].Expected {
			t.Fatalf("cell %v: %v before the writes, %v after", before.Cells[i].Cell, before.Cells[i].Expected, after.Cells[i].Expected)
		}
	}
}

// TestBacktestWeeks checks the test weeks and the history a backtest reads.
func TestBacktestWeeks(t *testing.T) {
	e, _, end := demoEngine(t)
	r, err := e.Backtest(ctx, Query{Res: 11, K: 1}, BacktestOptions{Weeks: 12, End: end.Add(50 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Test.End().Equal(end) || r.Test.N() != 12 || !r.History.End().Equal(end) {
		t.Fatalf("test weeks %v..%v (%d), history to %v; want the 12 before %v", r.Test.Start(), r.Test.End(), r.Test.N(), r.History.End(), end)
	}
	if first := end.AddDate(0, 0, -364); !r.History.Start().Equal(first) {
		t.Fatalf("history from %v, want the week of the first violation, %v", r.History.Start(), first)
	}
	if len(r.Result.Models) != 5 || r.Result.Models[0].Name != "forecast" {
		t.Fatalf("models %+v", r.Result.Models)
	}
	if _, err := e.Backtest(ctx, Query{Res: 11, K: 1}, BacktestOptions{Weeks: 60}); err == nil || data.ErrorCode(err) != data.EINVALID {
		t.Fatalf("60 test weeks of 52: err %v", err)
	}
}

func sum(cs []CellForecast) float64 {
	var s float64
	for _, c := range cs {
		s += c.Expected
	}
	return s
}

// TestForecastAhead forecasts weeks after the current one: from the same
// whole weeks as the current week's forecast, with the same answer.
func TestForecastAhead(t *testing.T) {
	e, _, end := demoEngine(t)
	q := Query{Res: 11, K: 1}
	now, err := e.Forecast(ctx, q, ForecastOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ahead := range []int{7, 70} {
		r, err := e.Forecast(ctx, q, ForecastOptions{Week: end.AddDate(0, 0, ahead)})
		if err != nil {
			t.Fatal(err)
		}
		if !r.Week.Start().Equal(cube.WeekStart(end.AddDate(0, 0, ahead), e.zone)) || !r.History.End().Equal(now.History.End()) {
			t.Fatalf("week %v from history to %v", r.Week.Start(), r.History.End())
		}
		for i := range r.Cells {
			if r.Cells[i].Expected != now.Cells[i].Expected {
				t.Fatalf("%d days ahead, cell %v expects %v, this week %v", ahead, r.Cells[i].Cell, r.Cells[i].Expected, now.Cells[i].Expected)
			}
		}
	}
}

// TestBacktestLimits reads at most 104 weeks before the first test week,
// and refuses a study area whose kernel density baseline would be too
// costly.
func TestBacktestLimits(t *testing.T) {
	p := orb.Point{117.225, 39.115}
	end := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	src := NewMemory(nil, nil)
	for d := 3 * 365; d > 0; d -= 2 {
		src.Append(violation(p, end.AddDate(0, 0, -d), "dumping", data.SourcePatrol))
	}
	e := New(Options{Source: src, Zone: time.UTC, Now: func() time.Time { return end }})
	r, err := e.Backtest(ctx, Query{Res: 11, K: 1, Area: Area{Kind: AreaEvents}}, BacktestOptions{Weeks: 12})
	if err != nil {
		t.Fatal(err)
	}
	if r.History.N() != MaxHistoryWeeks+12 || !r.History.End().Equal(end) {
		t.Fatalf("history of %d weeks to %v, want %d", r.History.N(), r.History.End(), MaxHistoryWeeks+12)
	}
	box := Area{Kind: AreaBBox, BBox: orb.Bound{Min: orb.Point{117.20, 39.10}, Max: orb.Point{117.23, 39.14}}}
	_, err = e.Backtest(ctx, Query{Res: 12, K: 1, Area: box}, BacktestOptions{Weeks: 12})
	if err == nil || !strings.Contains(err.Error(), "kernel density") {
		t.Fatalf("a 54,000-cell area at res 12: err %v, want the kernel density baseline's limit", err)
	}
}
