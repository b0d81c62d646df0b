package analytics

import (
	"cmp"
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/analytics/stat"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

// ZoneOptions shape the search for line-marking pilot zones.
type ZoneOptions struct {
	Weeks int    // whole weeks of evidence before the current week (default 26, at least 8)
	Paint int    // stretches there is paint for: the answer proposes a random split of the best 2·Paint into pilot and control (0: none)
	Seed  uint64 // of the split (default 1)
}

// Thresholds of a pilot zone (docs/recommendations.md).
const (
	ZoneMinWeeks      = 8   // weeks of dose and response a zone needs
	ZoneMinRecurrence = 0.5 // share of violations at res-12 cells seen in an earlier week
	DefaultZoneWeeks  = 26
)

// ZoneSegment is one segment of a zone with the evidence for it.
type ZoneSegment struct {
	SegmentRank
	RecurrentShare float64
	Dose           stat.Slope // weekly violations on weekly patrol hours
}

// Zone is a stretch of consecutive segments of one road where shop lines
// would likely do more than patrols.
type Zone struct {
	Road, Name           string
	FromMeters, ToMeters float64
	Polygon              orb.Polygon // the stretch's corridor, WGS-84
	Segments             []ZoneSegment
	Count                float64 // shop-front violations in the weeks
	RecurrentShare       float64
	Score                float64 // the violations at places seen before: Count·RecurrentShare
	Rank                 int     // 1 the best; 0 under a pilot already
	UnderPilot           bool
	Split                string // "pilot" or "control" when a split was asked for
}

// ZoneResult is the zones found, best first, those under a pilot last.
type ZoneResult struct {
	Params     Params
	Weeks      cube.Bins
	Categories []string
	Zones      []Zone
	Seed       uint64
}

// PilotZones finds contiguous stretches of segments where shop-front
// violations (a) form persistent or intensifying hot spots, (b) recur at
// the same places (ZoneMinRecurrence of them at res-12 cells with one in an
// earlier week), and (c) did not fall as patrol dwell rose (the 95 %
// interval of the slope of weekly violations on weekly patrol hours, over
// at least ZoneMinWeeks weeks with patrol varying, reaches zero or above).
func (e *Engine) PilotZones(ctx context.Context, q Query, o ZoneOptions) (ZoneResult, error) {
	if o.Weeks <= 0 {
		o.Weeks = DefaultZoneWeeks
	}
	if o.Weeks < ZoneMinWeeks {
		return ZoneResult{}, invalid("weeks", "must be at least 8: the dose–response needs eight weeks")
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if len(q.Categories) == 0 {
		cats, err := e.shopFront(ctx)
		if err != nil {
			return ZoneResult{}, err
		}
		q.Categories = cats
	}
	end := cube.WeekStart(e.now(), e.zone)
	q.Window = Window{From: end.AddDate(0, 0, -7*o.Weeks), To: end, Given: true}
	var rr rankingRead
	a, err := e.prepare(ctx, q, prep{area: AreaRoads, segments: true}, func(a *analysis, v cube.View) error {
		return rr.read(e, a, v)
	})
	if err != nil {
		return ZoneResult{}, err
	}
	rk := rr.result(a)
	r := ZoneResult{Params: a.Params, Weeks: rk.Weeks, Categories: q.Categories, Seed: o.Seed}
	for _, rd := range a.roads {
		r.Zones = append(r.Zones, stretches(rd, rk, end)...)
	}
	rankZones(r.Zones)
	split(r.Zones, o.Paint, o.Seed)
	return r, nil
}

// qualifies reports whether a segment meets the three criteria.
func qualifies(s ZoneSegment) bool {
	hot := s.Emerging == stat.PersistentHotSpot || s.Emerging == stat.IntensifyingHotSpot
	dose := s.Dose.N >= ZoneMinWeeks && !math.IsNaN(s.Dose.Hi) && s.Dose.Hi >= 0
	return hot && s.RecurrentShare >= ZoneMinRecurrence && dose
}

// stretches returns the road's runs of consecutive qualifying segments.
func stretches(rd data.Road, rk RankingResult, end time.Time) []Zone {
	bySeg := map[int]SegmentRank{}
	for _, rr := range rk.Roads {
		if rr.Road == rd.ID {
			for _, s := range rr.Segments {
				bySeg[s.Segment] = s
			}
		}
	}
	under := pilotAt(rd, end)
	var out []Zone
	var cur *Zone
	for _, sg := range rd.Segments {
		s := evidence(bySeg[sg.Index])
		if !qualifies(s) {
			cur = nil
			continue
		}
		if cur == nil {
			out = append(out, Zone{Road: rd.ID, Name: rd.Name, FromMeters: sg.FromMeters, UnderPilot: under})
			cur = &out[len(out)-1]
		}
		cur.ToMeters = sg.ToMeters
		cur.Segments = append(cur.Segments, s)
	}
	for i := range out {
		z := &out[i]
		var line orb.LineString
		var recurrent float64
		for _, s := range z.Segments {
			line = append(line, rd.Segments[s.Segment].Line...)
			z.Count += s.Count
			recurrent += s.Recurrent
		}
		if z.Count > 0 {
			z.RecurrentShare = recurrent / z.Count
		}
		z.Score = recurrent
		z.Polygon = geo.Corridor(line, rd.BufferMeters)
	}
	return out
}

// evidence adds a segment's recurrence and dose–response.
func evidence(s SegmentRank) ZoneSegment {
	z := ZoneSegment{SegmentRank: s}
	var total float64
	for _, n := range s.WeeklyCounts {
		total += n
	}
	if total > 0 {
		z.RecurrentShare = s.Recurrent / total
	}
	z.Dose = stat.Regress(s.WeeklyPatrolHours, s.WeeklyCounts)
	return z
}

// pilotAt reports whether the road has a pilot in force at t.
func pilotAt(r data.Road, t time.Time) bool {
	for _, p := range r.Pilots {
		if !p.Start.After(t) && (p.End.IsZero() || p.End.After(t)) {
			return true
		}
	}
	return false
}

// rankZones orders the zones by score, those under a pilot last and
// unranked.
func rankZones(zs []Zone) {
	slices.SortStableFunc(zs, func(a, b Zone) int {
		if a.UnderPilot != b.UnderPilot {
			if a.UnderPilot {
				return 1
			}
			return -1
		}
		return cmp.Compare(b.Score, a.Score)
	})
	rank := 0
	for i := range zs {
		if !zs[i].UnderPilot {
			rank++
			zs[i].Rank = rank
		}
	}
}

// split draws, with the seed, which of the best 2·paint zones get the
// paint and which are kept as controls, half each.
func split(zs []Zone, paint int, seed uint64) {
	var pool []int
	for i, z := range zs {
		if z.Rank > 0 && z.Rank <= 2*paint {
			pool = append(pool, i)
		}
	}
	r := rand.New(rand.NewPCG(seed, 0x243f6a8885a308d3))
	r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	for k, i := range pool {
		if k < (len(pool)+1)/2 {
			zs[i].Split = "pilot"
		} else {
			zs[i].Split = "control"
		}
	}
}
