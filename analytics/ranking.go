package analytics

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
)

// SegmentKey names one segment of one key road.
type SegmentKey struct {
	Road    string
	Segment int
}

// SegmentCells assigns every resolution-12 cell of the roads' covers to one
// segment: the segment data.Place puts the cell's centre on, or, for a
// centre just outside every corridor, the first segment whose cover lists
// the cell. Counting by cell then counts each violation once.
func SegmentCells(roads []data.Road) map[h3.Cell]SegmentKey {
	out := map[h3.Cell]SegmentKey{}
	for _, r := range roads {
		for _, s := range r.Segments {
			for _, c := range s.Cells12 {
				if _, done := out[c]; done {
					continue
				}
				ll := c.LatLng()
				v := data.Violation{Point: orb.Point{ll.Lng, ll.Lat}}
				data.Place(&v, roads)
				if v.Road != "" && v.Segment >= 0 {
					out[c] = SegmentKey{v.Road, v.Segment}
				} else {
					out[c] = SegmentKey{r.ID, s.Index}
				}
			}
		}
	}
	return out
}

// RankingInput is what Rank reads: the roads, the cube and the window, and
// the per-cell results of the hot spot analyses at resolution HotRes.
type RankingInput struct {
	Roads    []data.Road
	Segments map[h3.Cell]SegmentKey // SegmentCells(Roads); nil: computed here
	Cube     *Cube
	Filter   Filter
	Weeks    TimeBins       // weekly bins over the window, for trends
	Zone     *time.Location // for peak hours and days
	HotRes   int
	Hot      map[h3.Cell]int     // Gi* bin per cell at HotRes
	Emerging map[h3.Cell]Outcome // emerging class per cell at HotRes
}

// SegmentRank is one segment's figures and score.
type SegmentRank struct {
	SegmentKey
	FromMeters, ToMeters float64
	Count                float64
	ByCategory           map[string]float64
	PatrolHours          float64
	Rate                 float64 // EB-smoothed violations per patrol hour; NaN without patrol
	HotShare             float64 // share of the segment's cells that are hot spots at 95 % or more
	Emerging             Outcome // class of the segment's busiest cell at HotRes
	Trend                Trend   // Mann–Kendall of the counts of the whole weeks of Weeks
	PeakHours            []int   // the three busiest hours of the day, local time
	PeakDays             []time.Weekday
	Score                float64
}

// RoadRank is one road's figures: its segments ranked, and its score, the
// mean of its three best segment scores.
type RoadRank struct {
	Road     string
	Count    float64
	Score    float64
	Segments []SegmentRank
}

// ScoreFormula is the ranking score, as stated in answers.
const ScoreFormula = "score = 0.4·count/max count + 0.3·hot share + 0.2·rate/max rate + 0.1·max(0, Kendall tau of weekly counts); " +
	"maxima over all segments; a road scores the mean of its three best segments"

// Rank ranks the key roads and their segments, best score first.
func Rank(in RankingInput) []RoadRank {
	segs, order := newSegmentTallies(in)
	cellSeg := in.Segments
	if cellSeg == nil {
		cellSeg = SegmentCells(in.Roads)
	}
	perCell := in.Cube.Counts(in.Filter, in.HotRes)
	busiest := map[SegmentKey]float64{}
	in.Cube.Each(in.Filter, func(cell h3.Cell, hour time.Time, category string, _ data.Source, n int) {
		t, ok := segs[cellSeg[cell]]
		if !ok {
			return
		}
		t.add(hour.In(in.Zone), category, float64(n), in.Weeks)
		parent := cell.Parent(in.HotRes)
		if c := perCell[parent]; c > busiest[t.key] {
			busiest[t.key] = c
			if o, ok := in.Emerging[parent]; ok {
				t.rank.Emerging = o
			}
		}
	})
	in.Cube.EachDwell(in.Filter, func(cell h3.Cell, _ time.Time, seconds float64) {
		if t, ok := segs[cellSeg[cell]]; ok {
			t.rank.PatrolHours += seconds / 3600
		}
	})
	for cell, key := range cellSeg {
		if t, ok := segs[key]; ok {
			t.hotCells[cell.Parent(in.HotRes)] = in.Hot[cell.Parent(in.HotRes)] >= 2
		}
	}
	ranks := make([]*SegmentRank, len(order))
	for i, t := range order {
		t.finish()
		ranks[i] = &t.rank
	}
	score(ranks)
	return roadRanks(in.Roads, order)
}

// segmentTally gathers one segment's figures.
type segmentTally struct {
	key      SegmentKey
	rank     SegmentRank
	hours    [24]float64
	days     [7]float64
	weekly   []float64
	hotCells map[h3.Cell]bool
}

func newSegmentTallies(in RankingInput) (map[SegmentKey]*segmentTally, []*segmentTally) {
	m := map[SegmentKey]*segmentTally{}
	var order []*segmentTally
	for _, r := range in.Roads {
		for _, s := range r.Segments {
			k := SegmentKey{r.ID, s.Index}
			t := &segmentTally{key: k, weekly: make([]float64, in.Weeks.N), hotCells: map[h3.Cell]bool{},
				rank: SegmentRank{SegmentKey: k, FromMeters: s.FromMeters, ToMeters: s.ToMeters,
					ByCategory: map[string]float64{}, Emerging: NoPattern}}
			m[k] = t
			order = append(order, t)
		}
	}
	return m, order
}

func (t *segmentTally) add(local time.Time, category string, n float64, weeks TimeBins) {
	t.rank.Count += n
	t.rank.ByCategory[category] += n
	t.hours[local.Hour()] += n
	t.days[local.Weekday()] += n
	if !local.Before(weeks.Start) && local.Before(weeks.End()) { // whole weeks only: a part week would bias the trend
		t.weekly[int(local.Sub(weeks.Start)/weeks.Step)] += n
	}
}

func (t *segmentTally) finish() {
	t.rank.PeakHours = top(t.hours[:], 3)
	for _, d := range top(t.days[:], 2) {
		t.rank.PeakDays = append(t.rank.PeakDays, time.Weekday(d))
	}
	t.rank.Trend = MannKendall(t.weekly)
	hot := 0
	for _, h := range t.hotCells {
		if h {
			hot++
		}
	}
	if len(t.hotCells) > 0 {
		t.rank.HotShare = float64(hot) / float64(len(t.hotCells))
	}
}

// top returns the indexes of the k largest positive values, largest first.
func top(x []float64, k int) []int {
	idx := make([]int, 0, len(x))
	for i, v := range x {
		if v > 0 {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(x[b], x[a]) })
	return idx[:min(k, len(idx))]
}

// score smooths the segments' rates by empirical Bayes and computes each
// segment's score by ScoreFormula.
func score(ranks []*SegmentRank) {
	var counts, hours []float64
	var patrolled []*SegmentRank
	for _, r := range ranks {
		r.Rate = math.NaN()
		if r.PatrolHours > 0 {
			patrolled = append(patrolled, r)
			counts, hours = append(counts, r.Count), append(hours, r.PatrolHours)
		}
	}
	if len(patrolled) > 0 {
		eb := EBRates(counts, hours)
		for i, r := range patrolled {
			r.Rate = eb.Smoothed[i]
		}
	}
	var maxCount, maxRate float64
	for _, r := range ranks {
		maxCount = math.Max(maxCount, r.Count)
		if !math.IsNaN(r.Rate) {
			maxRate = math.Max(maxRate, r.Rate)
		}
	}
	for _, r := range ranks {
		s := 0.3*r.HotShare + 0.1*math.Max(0, r.Trend.Tau)
		if maxCount > 0 {
			s += 0.4 * r.Count / maxCount
		}
		if maxRate > 0 && !math.IsNaN(r.Rate) {
			s += 0.2 * r.Rate / maxRate
		}
		r.Score = s
	}
}

// roadRanks groups the ranked segments by road, both ordered by score.
func roadRanks(roads []data.Road, tallies []*segmentTally) []RoadRank {
	byRoad := map[string]*RoadRank{}
	var out []*RoadRank
	for _, r := range roads {
		rr := &RoadRank{Road: r.ID}
		byRoad[r.ID] = rr
		out = append(out, rr)
	}
	for _, t := range tallies {
		rr := byRoad[t.key.Road]
		rr.Segments = append(rr.Segments, t.rank)
		rr.Count += t.rank.Count
	}
	result := make([]RoadRank, len(out))
	for i, rr := range out {
		slices.SortStableFunc(rr.Segments, func(a, b SegmentRank) int { return cmp.Compare(b.Score, a.Score) })
		var s float64
		n := min(3, len(rr.Segments))
		for _, sg := range rr.Segments[:n] {
			s += sg.Score
		}
		if n > 0 {
			rr.Score = s / float64(n)
		}
		result[i] = *rr
	}
	slices.SortStableFunc(result, func(a, b RoadRank) int { return cmp.Compare(b.Score, a.Score) })
	return result
}
