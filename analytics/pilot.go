package analytics

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/analytics/did"
	"github.com/dazhigu/hotspot/data"
)

// EvaluationQuery asks whether a road's pilot worked.
type EvaluationQuery struct {
	Query           // categories (default: the shop-front ones) and sources
	Road  string    // the pilot road
	Start time.Time // the pilot's start; zero: the road's latest pilot. A start before the pilot's own is a placebo, read on the weeks before the pilot only
	Pre   int       // weeks before the start (default 26)
	Post  int       // weeks from the start (default 26, at most the whole weeks since)
	Leads int       // event study: weeks before the start with their own coefficient (default 6)
	Lags  int       // event study: weeks from the start (default 8)
	Reps  int       // wild bootstrap replications (default 999)
	Seed  uint64    // of the bootstrap (default 1)
	Ratio int       // control segments per treated segment (default 2)
}

// Defaults of EvaluationQuery.
const (
	DefaultPreWeeks  = 26
	DefaultPostWeeks = 26
	DefaultLeads     = 6
	DefaultLags      = 8
	DefaultReps      = 999
	DefaultRatio     = 2
)

// ControlSegment is a segment of the evaluation with its pre-period level
// and trend, by which the controls were matched.
type ControlSegment struct {
	SegmentKey
	Name  string  // the road's
	Level float64 // mean weekly count before the start
	Trend float64 // OLS slope of the weekly counts before the start, per week
}

// WeekPoint is one week of the series behind an evaluation.
type WeekPoint struct {
	Start                  time.Time
	Treated, Control       float64 // mean count per segment
	TreatedSum, ControlSum float64
}

// Evaluation is a difference in differences of a pilot.
type Evaluation struct {
	Params    Params
	Road      string
	Name      string
	Pilot     data.Pilot // as the road holds it
	Start     time.Time  // the start evaluated (a placebo's own)
	Placebo   bool       // the start is before the pilot's: pre-period weeks only
	Weeks     cube.Bins
	StartWeek int // index of the start's week in Weeks
	Treated   []ControlSegment
	Controls  []ControlSegment
	TWFE      did.Estimate
	Bootstrap did.Interval
	Study     did.Study
	WDD       did.WDDResult // over the same number of weeks before and after
	WDDWeeks  int
	Series    []WeekPoint
}

// EvaluatePilot estimates the effect of a road's pilot on weekly counts per
// segment by two-way fixed effects (segment and week), with CR1 and wild
// cluster bootstrap intervals, an event study and Wheeler & Ratcliffe's
// WDD, against control segments of roads without a pilot in the window,
// matched to the pilot road's segments by pre-period level and trend
// (docs/recommendations.md).
func (e *Engine) EvaluatePilot(ctx context.Context, q EvaluationQuery) (Evaluation, error) {
	q = q.withDefaults()
	roads, err := e.roadsFor(ctx, q.Query)
	if err != nil {
		return Evaluation{}, err
	}
	road := roadOf(roads, q.Road)
	if road.ID == "" {
		return Evaluation{}, data.Errorf(data.ENOTFOUND, "no road %q (GET /api/v1/roads lists them)", q.Road)
	}
	ev := Evaluation{Road: road.ID, Name: road.Name}
	if ev.Pilot, err = latestPilot(road); err != nil && q.Start.IsZero() {
		return Evaluation{}, err
	}
	if len(q.Categories) == 0 {
		if q.Categories, err = e.shopFront(ctx); err != nil {
			return Evaluation{}, err
		}
	}
	start := q.Start
	if start.IsZero() {
		start = ev.Pilot.Start
	}
	week := cube.WeekStart(start, e.zone)
	end := cube.WeekStart(e.now(), e.zone)
	var first time.Time
	e.cube.Read(func(v cube.View) { first, _ = v.Span() })
	if !first.IsZero() { // no weeks before the data's first
		q.Pre = min(q.Pre, int(week.Sub(cube.WeekStart(first, e.zone)).Hours()/(7*24)+0.5))
	}
	if q.Pre < 2 {
		return Evaluation{}, invalid("start", "leaves fewer than two whole weeks of data before it")
	}
	if !ev.Pilot.Start.IsZero() && start.Before(ev.Pilot.Start) {
		ev.Placebo = true
		end = cube.WeekStart(ev.Pilot.Start, e.zone)
	}
	post := min(q.Post, int(end.Sub(week).Hours()/(7*24)+0.5))
	if post < 2 {
		return Evaluation{}, invalid("start", "leaves fewer than two whole weeks after it")
	}
	bins := cube.WeeksFrom(week.AddDate(0, 0, -7*q.Pre), q.Pre+post, e.zone)
	ev.Start, ev.Weeks, ev.StartWeek = start, bins, q.Pre
	q.Window = Window{From: bins.Start(), To: bins.End(), Given: true}
	var counts map[SegmentKey][]float64
	a, err := e.prepare(ctx, q.Query, prep{segments: true}, func(a *analysis, v cube.View) error {
		counts = segmentSeries(v, a, bins)
		return nil
	})
	if err != nil {
		return Evaluation{}, err
	}
	ev.Params = a.Params
	treated, pool := e.evaluationUnits(roads, road, counts, bins, q.Pre)
	if len(treated) == 0 {
		return Evaluation{}, invalid("road", "has no segments")
	}
	ev.Treated = treated
	ev.Controls = matchControls(treated, pool, q.Ratio)
	if len(ev.Controls) < 2 {
		return Evaluation{}, data.Errorf(data.EINVALID, "only %d control segments of roads without a pilot in the window; an evaluation needs two or more", len(ev.Controls))
	}
	panel := did.Panel{Start: q.Pre}
	for _, group := range [][]ControlSegment{ev.Treated, ev.Controls} {
		for _, s := range group {
			panel.Y = append(panel.Y, counts[s.SegmentKey])
			panel.Treated = append(panel.Treated, len(panel.Treated) < len(ev.Treated))
		}
	}
	if ev.TWFE, err = did.TWFE(panel); err != nil {
		return Evaluation{}, didError(err)
	}
	if ev.Bootstrap, err = did.WildBootstrap(panel, q.Reps, q.Seed); err != nil {
		return Evaluation{}, didError(err)
	}
	leads := min(q.Leads, q.Pre, len(panel.Y)-1)
	if ev.Study, err = did.EventStudy(panel, max(2, leads), min(q.Lags, post-1)); err != nil {
		return Evaluation{}, didError(err)
	}
	ev.WDD, ev.WDDWeeks = wdd(panel, q.Pre, post)
	ev.Series = series(panel, bins, len(ev.Treated))
	return ev, nil
}

func (q EvaluationQuery) withDefaults() EvaluationQuery {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&q.Pre, DefaultPreWeeks)
	def(&q.Post, DefaultPostWeeks)
	def(&q.Leads, DefaultLeads)
	def(&q.Lags, DefaultLags)
	def(&q.Reps, DefaultReps)
	def(&q.Ratio, DefaultRatio)
	if q.Seed == 0 {
		q.Seed = 1
	}
	return q
}

// latestPilot is the road's pilot that started last.
func latestPilot(r data.Road) (data.Pilot, error) {
	if len(r.Pilots) == 0 {
		return data.Pilot{}, data.Errorf(data.EINVALID, "road %s has no pilot; give start= to evaluate a date of your own (a placebo)", r.ID)
	}
	p := r.Pilots[0]
	for _, q := range r.Pilots[1:] {
		if q.Start.After(p.Start) {
			p = q
		}
	}
	return p, nil
}

// shopFront returns the taxonomy's shop-front categories.
func (e *Engine) shopFront(ctx context.Context) ([]string, error) {
	e.cache.mu.Lock()
	defer e.cache.mu.Unlock()
	if err := e.cache.load(ctx, e.src); err != nil {
		return nil, err
	}
	var out []string
	for _, c := range e.cache.categories {
		if c.ShopFront {
			out = append(out, c.Code)
		}
	}
	if len(out) == 0 {
		return nil, invalid("category", "is needed: the taxonomy marks no shop-front category")
	}
	return out, nil
}

// segmentSeries is the weekly counts of every segment in bins.
func segmentSeries(v cube.View, a *analysis, bins cube.Bins) map[SegmentKey][]float64 {
	out := map[SegmentKey][]float64{}
	for _, r := range a.roads {
		for _, s := range r.Segments {
			out[SegmentKey{r.ID, s.Index}] = make([]float64, bins.N())
		}
	}
	f := a.f
	f.From, f.To = bins.Start(), bins.End()
	v.Each(f, func(cells cube.Cells, hour time.Time, _ string, _ data.Source, n int) {
		if row, ok := out[a.segs.byCell[cells.At(cube.MaxRes)]]; ok {
			if w := bins.Index(hour); w >= 0 {
				row[w] += float64(n)
			}
		}
	})
	return out
}

// evaluationUnits returns the pilot road's segments and the pool of
// possible controls: the segments of roads with no pilot in the bins.
func (e *Engine) evaluationUnits(roads []data.Road, road data.Road, counts map[SegmentKey][]float64, bins cube.Bins, pre int) (treated, pool []ControlSegment) {
	for _, r := range roads {
		if r.ID != road.ID && pilotWithin(r, bins) {
			continue
		}
		for _, s := range r.Segments {
			k := SegmentKey{r.ID, s.Index}
			level, trend := levelTrend(counts[k][:pre])
			cs := ControlSegment{SegmentKey: k, Name: r.Name, Level: level, Trend: trend}
			if r.ID == road.ID {
				treated = append(treated, cs)
			} else {
				pool = append(pool, cs)
			}
		}
	}
	return treated, pool
}

// pilotWithin reports whether the road has a pilot in force during bins.
func pilotWithin(r data.Road, bins cube.Bins) bool {
	for _, p := range r.Pilots {
		if p.Start.Before(bins.End()) && (p.End.IsZero() || p.End.After(bins.Start())) {
			return true
		}
	}
	return false
}

// levelTrend returns the mean and the OLS slope per week of y.
func levelTrend(y []float64) (level, trend float64) {
	n := float64(len(y))
	if n == 0 {
		return 0, 0
	}
	var sy, st, stt, sty float64
	for t, v := range y {
		sy += v
		st += float64(t)
		stt += float64(t * t)
		sty += float64(t) * v
	}
	level = sy / n
	if d := n*stt - st*st; d > 0 {
		trend = (n*sty - st*sy) / d
	}
	return level, trend
}

// matchControls pairs every treated segment, busiest first, with the ratio
// pool segments nearest it in pre-period level and trend (each scaled by
// the pool's standard deviation), without replacement.
func matchControls(treated, pool []ControlSegment, ratio int) []ControlSegment {
	sd := func(f func(ControlSegment) float64) float64 {
		var m, ss float64
		for _, p := range pool {
			m += f(p)
		}
		m /= float64(max(1, len(pool)))
		for _, p := range pool {
			ss += (f(p) - m) * (f(p) - m)
		}
		if s := math.Sqrt(ss / float64(max(1, len(pool)))); s > 0 {
			return s
		}
		return 1
	}
	sl, st := sd(func(c ControlSegment) float64 { return c.Level }), sd(func(c ControlSegment) float64 { return c.Trend })
	order := slices.Clone(treated)
	slices.SortStableFunc(order, func(a, b ControlSegment) int { return cmp.Compare(b.Level, a.Level) })
	used := make([]bool, len(pool))
	var out []ControlSegment
	for range ratio {
		for _, t := range order {
			best, bestD := -1, math.Inf(1)
			for i, p := range pool {
				if used[i] {
					continue
				}
				d := math.Hypot((p.Level-t.Level)/sl, (p.Trend-t.Trend)/st)
				if d < bestD {
					best, bestD = i, d
				}
			}
			if best >= 0 {
				used[best] = true
				out = append(out, pool[best])
			}
		}
	}
	return out
}

// wdd is Wheeler & Ratcliffe's test over the same number of weeks before
// and after the start.
func wdd(p did.Panel, pre, post int) (did.WDDResult, int) {
	w := min(pre, post)
	var tb, ta, cb, ca float64
	for i, row := range p.Y {
		for t := pre - w; t < pre+w; t++ {
			v := row[t]
			switch {
			case p.Treated[i] && t < pre:
				tb += v
			case p.Treated[i]:
				ta += v
			case t < pre:
				cb += v
			default:
				ca += v
			}
		}
	}
	return did.WDD(tb, ta, cb, ca), w
}

// series is the weekly mean count per segment of each group.
func series(p did.Panel, bins cube.Bins, treated int) []WeekPoint {
	out := make([]WeekPoint, bins.N())
	for w := range out {
		out[w].Start = bins.Edges[w]
		for i, row := range p.Y {
			if p.Treated[i] {
				out[w].TreatedSum += row[w]
			} else {
				out[w].ControlSum += row[w]
			}
		}
		out[w].Treated = out[w].TreatedSum / float64(treated)
		out[w].Control = out[w].ControlSum / float64(len(p.Y)-treated)
	}
	return out
}

// didError turns the estimator's refusals into the service's.
func didError(err error) error {
	return data.Errorf(data.EINVALID, "the evaluation cannot be estimated: %v; widen the weeks (pre=, post=) or the categories", err)
}
