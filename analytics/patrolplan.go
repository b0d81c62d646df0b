package analytics

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/analytics/patrol"
	"github.com/dazhigu/hotspot/analytics/stat"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

// WalkMetersPerMinute is the walking speed of patrol plans: 4.5 km/h.
const WalkMetersPerMinute = 75

// PatrolQuery is what a day's patrol plan is made from.
type PatrolQuery struct {
	Query            // the selection the forecast counts, and the analysis the reasons come from
	Day    time.Time // any time of the local day to plan
	Shifts []patrol.Shift
	Roads  []string // road ids to cover; none: every road
	patrol.Options
}

// PatrolSegment is one segment a plan may visit, with the figures that
// explain a visit there.
type PatrolSegment struct {
	SegmentKey
	Name                 string // the road's
	KeyRoad              bool
	FromMeters, ToMeters float64
	Mid                  orb.Point // the segment's midpoint, WGS-84
	Expected             float64   // violations expected in the day
	HotBin               int       // Gi* bin of its busiest cell over the last twelve weeks
	HotShare             float64
	Emerging             stat.Outcome
	Trend                stat.Trend
	BlindSpot            bool // one of its cells is a blind spot
}

// PatrolResult is a day's plan.
type PatrolResult struct {
	Params   Params
	Day      time.Time
	Week     cube.Bins // the week whose forecast the plan follows
	Plan     patrol.Plan
	Blocks   []patrol.Block
	Shifts   []patrol.Shift
	Segments []PatrolSegment // Plan's segment indexes point here
}

// PatrolPlan plans a day's visits (patrol.Solve): the expected violations
// of each (segment, two-hour block) are the segment's forecast for the
// week times the share of its hour-of-week profile in the block's hours;
// walking between segments is along the roads, through the nearest point
// of two roads, at WalkMetersPerMinute. Without a seed, the day's date
// (YYYYMMDD) is the seed.
func (e *Engine) PatrolPlan(ctx context.Context, q PatrolQuery) (PatrolResult, error) {
	day := cube.DayStart(q.Day, e.zone)
	if q.Seed == 0 {
		y, m, d := day.Date()
		q.Seed = uint64(y*10000 + int(m)*100 + d)
	}
	fc, err := e.Forecast(ctx, q.Query, ForecastOptions{Week: day, Profiles: true})
	if err != nil {
		return PatrolResult{}, err
	}
	reasons, err := e.segmentReasons(ctx, q.Query, day)
	if err != nil {
		return PatrolResult{}, err
	}
	roads, err := e.roadsFor(ctx, q.Query)
	if err != nil {
		return PatrolResult{}, err
	}
	blocks := patrol.Blocks(day)
	r := PatrolResult{Params: fc.Params, Day: day, Week: fc.Week, Blocks: blocks, Shifts: q.Shifts}
	var expected [][]float64
	var segs []patrol.Segment
	for _, sf := range fc.Segments {
		if len(q.Roads) > 0 && !slices.Contains(q.Roads, sf.Road) {
			continue
		}
		rd := roadOf(roads, sf.Road)
		ps := PatrolSegment{SegmentKey: sf.SegmentKey, Name: sf.Name, KeyRoad: rd.Key, FromMeters: sf.FromMeters,
			ToMeters: sf.ToMeters, Mid: geo.PointAlong(rd.Geometry, (sf.FromMeters+sf.ToMeters)/2)}
		if rs, ok := reasons[sf.SegmentKey]; ok {
			ps.HotBin, ps.HotShare, ps.Emerging, ps.Trend, ps.BlindSpot = rs.HotBin, rs.HotShare, rs.Emerging, rs.Trend, rs.BlindSpot
		}
		row := make([]float64, len(blocks))
		for b, blk := range blocks {
			for h := blk.Start; h.Before(blk.End); h = h.Add(time.Hour) {
				row[b] += sf.Expected * sf.Profile[hourOfWeek(h, e.zone)]
			}
			ps.Expected += row[b]
		}
		r.Segments = append(r.Segments, ps)
		expected = append(expected, row)
		segs = append(segs, patrol.Segment{Road: sf.Road, Key: rd.Key})
	}
	if len(segs) == 0 {
		return PatrolResult{}, invalid("roads", "names no road of the service (GET /api/v1/roads lists them)")
	}
	travel := e.travel(roads, r.Segments)
	plan, err := patrol.Solve(patrol.Problem{Segments: segs, Blocks: blocks, Expected: expected, Shifts: q.Shifts,
		Travel: travel, Options: q.Options})
	if err != nil {
		return PatrolResult{}, planError(err)
	}
	r.Plan = plan
	return r, nil
}

// planError turns the planner's refusals into the service's.
func planError(err error) error {
	switch e := err.(type) {
	case *patrol.KeyRoadError:
		return data.Errorf(data.EINVALID, "key road %s cannot get its visit within the shifts and the budget; give more officers, longer shifts or a larger budget_minutes", e.Road)
	}
	switch err {
	case patrol.ErrNoShift:
		return invalid("shifts", "give at least one shift with officers (e.g. shifts=07:00-11:00,16:00-20:00&officers=2)")
	case patrol.ErrVisitTime:
		return invalid("visit_minutes", "must be within 10..15")
	}
	return err
}

// hourOfWeek is the index of t's local hour in an hour-of-week profile.
func hourOfWeek(t time.Time, zone *time.Location) int {
	l := t.In(zone)
	return (int(l.Weekday())+6)%7*24 + l.Hour()
}

func roadOf(roads []data.Road, id string) data.Road {
	for _, r := range roads {
		if r.ID == id {
			return r
		}
	}
	return data.Road{}
}

// travel returns the walking minutes between two segments: along their
// road, or along each road to the two roads' nearest points (their
// crossing, or across the gap between them).
func (e *Engine) travel(roads []data.Road, segs []PatrolSegment) func(a, b int) float64 {
	type pair struct{ a, b string }
	junctions := map[pair][3]float64{}
	for _, ra := range roads {
		for _, rb := range roads {
			if ra.ID < rb.ID {
				x, y, gap := geo.Junction(ra.Geometry, rb.Geometry)
				junctions[pair{ra.ID, rb.ID}] = [3]float64{x, y, gap}
			}
		}
	}
	along := func(s PatrolSegment) float64 { return (s.FromMeters + s.ToMeters) / 2 }
	return func(a, b int) float64 {
		sa, sb := segs[a], segs[b]
		if sa.Road == sb.Road {
			return math.Abs(along(sa)-along(sb)) / WalkMetersPerMinute
		}
		if sa.Road > sb.Road {
			sa, sb = sb, sa
		}
		j := junctions[pair{sa.Road, sb.Road}]
		return (math.Abs(along(sa)-j[0]) + j[2] + math.Abs(along(sb)-j[1])) / WalkMetersPerMinute
	}
}

// segmentReason is what explains a visit to a segment.
type segmentReason struct {
	HotBin    int
	HotShare  float64
	Emerging  stat.Outcome
	Trend     stat.Trend
	BlindSpot bool
}

// segmentReasons ranks the segments over the twelve weeks before day and
// flags those with a blind spot among their cells.
func (e *Engine) segmentReasons(ctx context.Context, q Query, day time.Time) (map[SegmentKey]segmentReason, error) {
	q.Window = Window{From: day.Add(-DefaultWindow), To: day, Given: true}
	q.Area = Area{}
	rk, err := e.Ranking(ctx, q)
	if err != nil {
		return nil, err
	}
	rates, err := e.Rates(ctx, q)
	if err != nil {
		return nil, err
	}
	blind := map[SegmentKey]bool{}
	roads, err := e.roadsFor(ctx, q)
	if err != nil {
		return nil, err
	}
	flagged := map[int64]bool{}
	for _, c := range rates.Cells {
		if c.BlindSpot {
			flagged[int64(c.Cell)] = true
		}
	}
	for key, cells := range e.segmentsOf(roads).cellsAt(q.Res) {
		for _, c := range cells {
			if flagged[int64(c)] {
				blind[key] = true
			}
		}
	}
	out := map[SegmentKey]segmentReason{}
	for _, rr := range rk.Roads {
		for _, s := range rr.Segments {
			out[s.SegmentKey] = segmentReason{HotBin: s.HotBin, HotShare: s.HotShare, Emerging: s.Emerging, Trend: s.Trend,
				BlindSpot: blind[s.SegmentKey]}
		}
	}
	return out, nil
}

// Delivery is a past day's plan against the patrol dwell recorded on each
// planned (segment, block).
type Delivery struct {
	PatrolResult
	Delivered []float64 // per visit of the plan: minutes of dwell recorded on its segment in its block
	Missed    []bool    // per visit: less than half its minutes were recorded
	// Totals.
	PlannedMinutes, DeliveredMinutes float64 // delivered counts each visit's dwell up to its own length
	VisitsMissed                     int
}

// PatrolDelivery remakes the plan of q's day (the same rules, seed and
// forecast make the same plan) and compares it with the dwell the tracks
// recorded: each visit is delivered up to its length by the dwell on its
// segment's cells in its block, and missed when that is under half its
// length.
func (e *Engine) PatrolDelivery(ctx context.Context, q PatrolQuery) (Delivery, error) {
	pr, err := e.PatrolPlan(ctx, q)
	if err != nil {
		return Delivery{}, err
	}
	dq := q.Query
	dq.Window = Window{From: pr.Day, To: pr.Day.AddDate(0, 0, 1), Given: true}
	dq.Area = Area{}
	dwell := map[[2]int]float64{} // (segment, block) → minutes
	pos := map[SegmentKey]int{}
	for i, s := range pr.Segments {
		pos[s.SegmentKey] = i
	}
	_, err = e.prepare(ctx, dq, prep{segments: true}, func(a *analysis, v cube.View) error {
		v.EachDwell(a.f, func(cells cube.Cells, hour time.Time, seconds float64) {
			i, ok := pos[a.segs.byCell[cells.At(cube.MaxRes)]]
			if !ok {
				return
			}
			b := int(hour.In(e.zone).Sub(pr.Day).Hours()) / patrol.BlockHours
			if b >= 0 && b < len(pr.Blocks) {
				dwell[[2]int{i, b}] += seconds / 60
			}
		})
		return nil
	})
	if err != nil {
		return Delivery{}, err
	}
	d := Delivery{PatrolResult: pr}
	for _, v := range pr.Plan.Visits {
		got := dwell[[2]int{v.Segment, v.Block}]
		length := v.End.Sub(v.Start).Minutes()
		d.Delivered = append(d.Delivered, got)
		d.Missed = append(d.Missed, got < length/2)
		d.PlannedMinutes += length
		d.DeliveredMinutes += math.Min(got, length)
		if got < length/2 {
			d.VisitsMissed++
		}
	}
	return d, nil
}
