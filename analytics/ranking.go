package analytics

import (
	"cmp"
	"context"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/analytics/stat"
	"github.com/dazhigu/hotspot/data"
)

// SegmentKey names one segment of one key road.
type SegmentKey struct {
	Road    string
	Segment int
}

// segmentIndex assigns every resolution-12 cell of the roads' covers to one
// segment: the segment data.Place puts the cell's centre on, or, for a
// centre just outside every corridor, the first segment whose cover lists
// the cell. Counting by cell then counts each violation once.
type segmentIndex struct {
	roads  []data.Road // the roads it was built from
	byCell map[h3.Cell]SegmentKey
	mu     sync.Mutex
	at     map[int]map[SegmentKey][]h3.Cell // cellsAt's, by resolution
}

func newSegmentIndex(roads []data.Road) *segmentIndex {
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
	return &segmentIndex{roads: roads, byCell: out, at: map[int]map[SegmentKey][]h3.Cell{}}
}

// cellsAt returns each segment's cells at resolution res: those holding
// the centres of its res-12 cells.
func (si *segmentIndex) cellsAt(res int) map[SegmentKey][]h3.Cell {
	si.mu.Lock()
	defer si.mu.Unlock()
	if m, ok := si.at[res]; ok {
		return m
	}
	seen := map[SegmentKey]map[h3.Cell]bool{}
	for cell, key := range si.byCell {
		if seen[key] == nil {
			seen[key] = map[h3.Cell]bool{}
		}
		seen[key][cube.CentreCells(cell).At(res)] = true
	}
	m := make(map[SegmentKey][]h3.Cell, len(seen))
	for key, cells := range seen {
		for c := range cells {
			m[key] = append(m[key], c)
		}
	}
	si.at[res] = m
	return m
}

// segmentsOf returns the segment index of roads: the cached one when it was
// built from the same roads.
func (e *Engine) segmentsOf(roads []data.Road) *segmentIndex {
	e.cache.mu.Lock()
	si := e.cache.segments
	e.cache.mu.Unlock()
	if si != nil && sameRoads(si.roads, roads) {
		return si
	}
	si = newSegmentIndex(roads)
	e.cache.mu.Lock()
	if sameRoads(e.cache.roads, roads) {
		e.cache.segments = si
	}
	e.cache.mu.Unlock()
	return si
}

// sameRoads reports whether a and b are the same load of the roads.
func sameRoads(a, b []data.Road) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// SegmentRank is one segment's figures and score.
type SegmentRank struct {
	SegmentKey
	FromMeters, ToMeters float64
	Count                float64
	ByCategory           map[string]float64
	PatrolHours          float64
	Rate                 float64      // EB-smoothed violations per patrol hour; NaN without patrol
	HotShare             float64      // share of the segment's cells that are hot spots at 95 % or more
	HotBin               int          // the Gi* bin of the segment's busiest cell
	Emerging             stat.Outcome // class of the segment's busiest cell at the analysis resolution
	Trend                stat.Trend   // Mann–Kendall of the counts of the whole weeks of the window
	WeeklyCounts         []float64    // violations in each whole week of the window
	WeeklyPatrolHours    []float64    // patrol dwell in each whole week
	Recurrent            float64      // violations of the whole weeks at a res-12 cell with one in an earlier week
	PeakHours            []int        // the three busiest hours of the day, local time
	PeakDays             []time.Weekday
	Score                float64
}

// RoadRank is one road's figures: its segments ranked, and its score, the
// mean of its three best segment scores.
type RoadRank struct {
	Road     string
	Name     string
	Count    float64
	Score    float64
	Segments []SegmentRank
}

// RankingResult ranks the key roads and their segments.
type RankingResult struct {
	Params Params
	Weeks  cube.Bins  // the whole weeks within the window, for trends and emerging classes
	Roads  []RoadRank // best score first
}

// ScoreFormula is the ranking score, as stated in answers.
const ScoreFormula = "score = 0.4·count/max count + 0.3·hot share + 0.2·rate/max rate + 0.1·max(0, Kendall tau of weekly counts); " +
	"maxima over all segments; a road scores the mean of its three best segments"

// Ranking ranks the key roads and their segments by ScoreFormula over the
// window, with Gi* and emerging hot spots computed over the study area
// (default: the key roads) at q.Res, all from one state of the cube.
func (e *Engine) Ranking(ctx context.Context, q Query) (RankingResult, error) {
	var rr rankingRead
	a, err := e.prepare(ctx, q, prep{area: AreaRoads, segments: true}, func(a *analysis, v cube.View) error {
		return rr.read(e, a, v)
	})
	if err != nil {
		return RankingResult{}, err
	}
	return rr.result(a), nil
}

// rankingRead is what a ranking takes from the cube.
type rankingRead struct {
	x      []float64
	series [][]float64
	weeks  cube.Bins
	segs   map[SegmentKey]*segmentTally
	order  []*segmentTally
}

func (rr *rankingRead) read(e *Engine, a *analysis, v cube.View) error {
	rr.weeks = cube.WeeksWithin(a.From, a.To, e.zone)
	if err := tooLarge(len(a.area.Cells)*rr.weeks.N(), e.limits.MaxCellBins, "cell weeks"); err != nil {
		return err
	}
	rr.x = a.area.Values(v.Counts(a.f, a.q.Res))
	rr.series = binned(v, a.f, a.area, rr.weeks)
	rr.segs, rr.order = newSegmentTallies(a.roads, rr.weeks.N())
	e.tally(v, a, rr.weeks, rr.segs)
	return nil
}

// result computes the ranking from what was read.
func (rr *rankingRead) result(a *analysis) RankingResult {
	hot, emerging := map[h3.Cell]int{}, map[h3.Cell]stat.Outcome{}
	for _, h := range hotSpots(a, rr.x, HotSpotOptions{}).Cells {
		hot[h.Cell] = h.Bin
	}
	for i, c := range stat.Emerging(rr.series, a.area.Weights, SpaceTimeWindow) {
		emerging[a.area.Cells[i]] = c.Outcome
	}
	ranks := make([]*SegmentRank, len(rr.order))
	for i, t := range rr.order {
		t.finish(hot, emerging)
		ranks[i] = &t.rank
	}
	score(ranks)
	return RankingResult{Params: a.Params, Weeks: rr.weeks, Roads: roadRanks(a.roads, rr.order)}
}

// tally adds the view's violations and dwell on each segment to its tally.
func (e *Engine) tally(v cube.View, a *analysis, weeks cube.Bins, segs map[SegmentKey]*segmentTally) {
	idx := a.segs
	res := a.q.Res
	perCell := v.Counts(a.f, res)
	first := map[h3.Cell]int{} // the first whole week each res-12 cell had a violation in
	type cellWeek struct {
		cell h3.Cell
		week int
	}
	byCellWeek := map[cellWeek]float64{}
	v.Each(a.f, func(cells cube.Cells, hour time.Time, category string, _ data.Source, n int) {
		t, ok := segs[idx.byCell[cells.At(cube.MaxRes)]]
		if !ok {
			return
		}
		t.add(hour.In(e.zone), category, float64(n), weeks)
		if k := weeks.Index(hour); k >= 0 {
			c := cells.At(cube.MaxRes)
			if f, seen := first[c]; !seen || k < f {
				first[c] = k
			}
			byCellWeek[cellWeek{c, k}] += float64(n)
		}
		if c := cells.At(res); perCell[c] > t.busiest {
			t.busiest, t.busiestCell = perCell[c], c
		}
	})
	v.EachDwell(a.f, func(cells cube.Cells, hour time.Time, seconds float64) {
		if t, ok := segs[idx.byCell[cells.At(cube.MaxRes)]]; ok {
			t.rank.PatrolHours += seconds / 3600
			if k := weeks.Index(hour); k >= 0 {
				t.rank.WeeklyPatrolHours[k] += seconds / 3600
			}
		}
	})
	for cw, n := range byCellWeek { // violations at a cell seen in an earlier week
		if t, ok := segs[idx.byCell[cw.cell]]; ok && cw.week > first[cw.cell] {
			t.rank.Recurrent += n
		}
	}
	for key, cells := range idx.cellsAt(res) {
		if t, ok := segs[key]; ok {
			for _, c := range cells {
				t.cells[c] = true
			}
		}
	}
}

// segmentTally gathers one segment's figures.
type segmentTally struct {
	key         SegmentKey
	rank        SegmentRank
	hours       [24]float64
	days        [7]float64
	weekly      []float64
	cells       map[h3.Cell]bool // the segment's cells at the analysis resolution
	busiest     float64          // the count of its busiest cell
	busiestCell h3.Cell
}

func newSegmentTallies(roads []data.Road, weeks int) (map[SegmentKey]*segmentTally, []*segmentTally) {
	m := map[SegmentKey]*segmentTally{}
	var order []*segmentTally
	for _, r := range roads {
		for _, s := range r.Segments {
			k := SegmentKey{r.ID, s.Index}
			t := &segmentTally{key: k, weekly: make([]float64, weeks), cells: map[h3.Cell]bool{},
				rank: SegmentRank{SegmentKey: k, FromMeters: s.FromMeters, ToMeters: s.ToMeters,
					ByCategory: map[string]float64{}, Emerging: stat.NoPattern, WeeklyPatrolHours: make([]float64, weeks)}}
			m[k] = t
			order = append(order, t)
		}
	}
	return m, order
}

func (t *segmentTally) add(local time.Time, category string, n float64, weeks cube.Bins) {
	t.rank.Count += n
	t.rank.ByCategory[category] += n
	t.hours[local.Hour()] += n
	t.days[local.Weekday()] += n
	if k := weeks.Index(local); k >= 0 { // whole weeks only: a part week would bias the trend
		t.weekly[k] += n
	}
}

// finish computes the segment's peaks, trend, hot share and emerging class
// from the Gi* bins and emerging classes of the analysis's cells.
func (t *segmentTally) finish(hot map[h3.Cell]int, emerging map[h3.Cell]stat.Outcome) {
	t.rank.PeakHours = top(t.hours[:], 3)
	for _, d := range top(t.days[:], 2) {
		t.rank.PeakDays = append(t.rank.PeakDays, time.Weekday(d))
	}
	t.rank.Trend = stat.MannKendall(t.weekly)
	t.rank.WeeklyCounts = t.weekly
	n := 0
	for c := range t.cells {
		if hot[c] >= 2 {
			n++
		}
	}
	if len(t.cells) > 0 {
		t.rank.HotShare = float64(n) / float64(len(t.cells))
	}
	if o, ok := emerging[t.busiestCell]; ok && t.busiest > 0 {
		t.rank.Emerging = o
	}
	if t.busiest > 0 {
		t.rank.HotBin = hot[t.busiestCell]
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
		eb := stat.EBRates(counts, hours)
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
		rr := &RoadRank{Road: r.ID, Name: r.Name}
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
