package analytics

import (
	"slices"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/demo"
	"github.com/dazhigu/hotspot/data/seed"
)

// TestDemoPilotEvaluation evaluates the line-marking pilot the demo planted
// on 后台西路 and checks the interval against the planted effect, measured
// by generating the demo again without the pilot (the generator draws the
// same numbers either way) and counting the difference on the pilot road's
// segments after the start; and two placebos — a start inside the
// pre-period, on pre-period weeks only, and a road without a pilot — whose
// intervals must cover zero.
func TestDemoPilotEvaluation(t *testing.T) {
	e, roads, end := demoEngine(t)
	q := EvaluationQuery{Query: Query{Res: 11, K: 1}, Road: "houtai-xilu"}
	ev, err := e.EvaluatePilot(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	planted := plantedEffect(t, e, roads, end, ev)
	b := ev.Bootstrap
	t.Logf("effect %.3f (CR1 %.3f..%.3f, wild bootstrap %.3f..%.3f), planted %.3f; %d treated, %d controls, pre-trend p %.3f",
		ev.TWFE.Beta, ev.TWFE.Lo, ev.TWFE.Hi, b.Lo, b.Hi, planted, len(ev.Treated), len(ev.Controls), ev.Study.Pretrend.FP)
	if planted >= 0 || b.Lo > planted || b.Hi < planted {
		t.Fatalf("the planted effect %.3f is outside the interval %.3f..%.3f", planted, b.Lo, b.Hi)
	}
	if b.Hi >= 0 {
		t.Fatalf("the interval %.3f..%.3f does not exclude zero for a 60 %% drop", b.Lo, b.Hi)
	}
	for _, placebo := range []EvaluationQuery{
		{Query: Query{Res: 11, K: 1}, Road: "houtai-xilu", Start: ev.Pilot.Start.AddDate(0, 0, -10*7)},
		{Query: Query{Res: 11, K: 1}, Road: "jintang-lu", Start: ev.Pilot.Start},
		{Query: Query{Res: 11, K: 1}, Road: "liuwei-lu", Start: ev.Pilot.Start},
	} {
		pv, err := e.EvaluatePilot(ctx, placebo)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("placebo %s from %s: %.3f, wild bootstrap %.3f..%.3f", placebo.Road, placebo.Start.Format(time.DateOnly), pv.TWFE.Beta, pv.Bootstrap.Lo, pv.Bootstrap.Hi)
		if pv.Bootstrap.Lo > 0 || pv.Bootstrap.Hi < 0 {
			t.Errorf("placebo %s from %v: interval %.3f..%.3f does not cover zero", placebo.Road, placebo.Start, pv.Bootstrap.Lo, pv.Bootstrap.Hi)
		}
		if placebo.Road == "houtai-xilu" && (!pv.Placebo || pv.Weeks.End().After(ev.Pilot.Start)) {
			t.Errorf("a start before the pilot's must read pre-period weeks only: weeks to %v", pv.Weeks.End())
		}
	}
}

// plantedEffect is the difference per treated segment-week after the start
// between the demo as generated and the demo generated without the pilot.
func plantedEffect(t *testing.T, e *Engine, roads []data.Road, end time.Time, ev Evaluation) float64 {
	t.Helper()
	cats, _ := seed.Categories()
	var front []string
	for _, c := range cats {
		if c.ShopFront {
			front = append(front, c.Code)
		}
	}
	without := slices.Clone(roads)
	for i := range without {
		if without[i].ID == ev.Road {
			without[i].Pilots = nil
		}
	}
	opts := demo.Options{Seed: 2026, End: end.Add(-time.Hour), Days: 364}
	idx := e.segmentsOf(roads)
	count := func(vs []data.Violation) float64 {
		var n float64
		from, to := ev.Weeks.Edges[ev.StartWeek], ev.Weeks.End()
		for _, v := range vs {
			if slices.Contains(front, v.Category) && idx.byCell[v.Cell].Road == ev.Road && !v.ObservedAt.Before(from) && v.ObservedAt.Before(to) {
				n++
			}
		}
		return n
	}
	diff := count(demo.Violations(roads, opts)) - count(demo.Violations(without, opts))
	weeks := float64(ev.Weeks.N() - ev.StartWeek)
	return diff / float64(len(ev.Treated)) / weeks
}
