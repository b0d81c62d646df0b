package patrol

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// BlockHours is the length of a planning block.
const BlockHours = 2

// Block is one two-hour block of the planned day, local time.
type Block struct{ Start, End time.Time }

// Blocks returns the twelve blocks of the local day that holds day.
func Blocks(day time.Time) []Block {
	y, m, d := day.Date()
	out := make([]Block, 24/BlockHours)
	for k := range out {
		out[k] = Block{time.Date(y, m, d, k*BlockHours, 0, 0, 0, day.Location()),
			time.Date(y, m, d, (k+1)*BlockHours, 0, 0, 0, day.Location())}
	}
	return out
}

// Segment is one segment that may be visited.
type Segment struct {
	Road string
	Key  bool // on a key road: the road gets its daily minimum of visits
}

// Shift is a span of the day with officers on patrol.
type Shift struct {
	Start, End time.Time
	Officers   int
}

// Options are a plan's rules; zero fields take the defaults.
type Options struct {
	VisitMinutes float64 // length of a visit, 10–15 (default 15: Koper 1995)
	P            float64 // share of a block's expected violations one visit covers (default 0.5)
	MaxPerDay    int     // visits to one segment in a day (default 4)
	KeyRoadMin   int     // visits each key road gets in the day (default 1)
	// PeakShare makes a block a peak block of a segment when its expected
	// violations are at least this share of the segment's busiest block
	// of the day (default 0.5), and among the busiest quarter of all the
	// day's (segment, block)s that a shift covers.
	PeakShare float64
	Budget    float64 // officer-minutes of visits and walking; 0: the shifts' officer-minutes
	Seed      uint64  // of the visit times
}

// Defaults of Options.
const (
	DefaultVisitMinutes = 15
	DefaultP            = 0.5
	DefaultMaxPerDay    = 4
	DefaultKeyRoadMin   = 1
	DefaultPeakShare    = 0.5
)

func (o Options) withDefaults() Options {
	if o.VisitMinutes <= 0 {
		o.VisitMinutes = DefaultVisitMinutes
	}
	if o.P <= 0 {
		o.P = DefaultP
	}
	if o.MaxPerDay <= 0 {
		o.MaxPerDay = DefaultMaxPerDay
	}
	if o.KeyRoadMin < 0 {
		o.KeyRoadMin = 0
	} else if o.KeyRoadMin == 0 {
		o.KeyRoadMin = DefaultKeyRoadMin
	}
	if o.PeakShare <= 0 {
		o.PeakShare = DefaultPeakShare
	}
	return o
}

// Problem is what a plan is made from.
type Problem struct {
	Segments []Segment
	Blocks   []Block     // the day's blocks (Blocks)
	Expected [][]float64 // Expected[s][b]: violations expected on segment s in block b
	Shifts   []Shift
	// Travel returns the minutes an officer walks from segment a to b.
	Travel func(a, b int) float64
	Options
}

// Visit is one planned visit.
type Visit struct {
	Officer      int // 0-based officer slot of the day (see Plan.Officers)
	Segment      int
	Block        int
	Start, End   time.Time
	Expected     float64 // violations expected on the segment in the block
	Covered      float64 // Expected·p: what the visit covers
	Peak         bool    // in a peak block of the segment
	KeyMinimum   bool    // placed to give a key road its daily visits
	TravelBefore float64 // minutes walked from the officer's previous visit (0 for a first)
}

// Officer is one officer's place in a shift.
type Officer struct {
	Shift int // index into Problem.Shifts
	Index int // 1-based within the shift
}

// Plan is a day's visits and the figures behind them.
type Plan struct {
	Visits        []Visit // by officer, then start
	Officers      []Officer
	Budget        float64 // officer-minutes allowed
	Used          float64 // visits plus walking
	VisitMinutes  float64
	TravelMinutes float64
	Covered       float64 // expected violations the visits cover
	// BestPossible is what the budget could cover if walking took no time
	// and visits could go anywhere in the shifts: an upper bound.
	BestPossible float64
	KeyRoadShare float64  // share of the visits on key roads
	Phases       []int    // each segment's phase: minutes past a block's start its visit times count from
	Peak         [][]bool // Peak[s][b]: block b is a peak block of segment s
	Seed         uint64
	Options      Options // the rules as applied
}

// Errors of Solve.
var (
	ErrNoShift   = errors.New("patrol: no shift with officers")
	ErrShape     = errors.New("patrol: Expected must have one row per segment and one column per block")
	ErrVisitTime = errors.New("patrol: a visit lasts 10 to 15 minutes")
)

// KeyRoadError says a key road could not get its daily visit.
type KeyRoadError struct{ Road string }

func (e *KeyRoadError) Error() string {
	return fmt.Sprintf("patrol: key road %s cannot be visited within the shifts and the budget", e.Road)
}

// Solve plans the day (docs/recommendations.md):
//
//  1. Each segment gets a phase drawn from the seed, and its visits start
//     that many minutes past their block's start, or 5, 10, … minutes
//     later (wrapping within the block) where the phase does not fit an
//     officer's round: officers' rounds are not predictable, and two visits
//     to one segment are always two hours or more apart.
//  2. A segment's peak blocks (PeakShare of its busiest) that follow one
//     another within a shift form one item, visited in every block or not
//     at all: in a peak window a segment is revisited every two hours.
//     Every other block that a shift covers is an item of one visit.
//  3. Each key road first gets KeyRoadMin visits: its items with the most
//     expected violations per visit, as long as they fit; when that leaves
//     a key road without a visit, the minimum is searched for instead
//     (keyRoads).
//  4. Then, greedily, the item with the most expected violations covered
//     per officer-minute (its visits plus the walking its insertion adds) is
//     inserted into the officers' rounds, while it fits: in a shift that
//     covers its visit times, between the officer's previous and next
//     visits with the walking in between, within the budget and the
//     per-day cap of the segment.
func Solve(p Problem) (Plan, error) {
	o := p.Options.withDefaults()
	if o.VisitMinutes < 10 || o.VisitMinutes > 15 {
		return Plan{}, ErrVisitTime
	}
	if len(p.Expected) != len(p.Segments) {
		return Plan{}, ErrShape
	}
	for _, row := range p.Expected {
		if len(row) != len(p.Blocks) {
			return Plan{}, ErrShape
		}
	}
	pl := &planner{p: p, o: o}
	if err := pl.officers(); err != nil {
		return Plan{}, err
	}
	pl.phases()
	pl.items()
	if err := pl.keyRoads(); err != nil {
		return Plan{}, err
	}
	pl.greedy()
	return pl.plan(), nil
}

// planner holds a plan being made.
type planner struct {
	p       Problem
	o       Options
	slots   []Officer
	rounds  [][]Visit // per officer slot, by start
	phase   []int
	peak    [][]bool
	cands   []cand // every (segment, block) a shift covers
	list    []*item
	used    float64
	perSeg  []int
	budget  float64
	visited map[[2]int]bool
	packed  bool // the key roads are being searched for (keyRoadsSearch): the earliest of equal visit times
}

// cand is a (segment, block) a visit can be placed in.
type cand struct{ seg, block int }

// item is what the greedy choice takes or leaves whole.
type item struct {
	visits  []cand
	benefit float64
	peak    bool
	done    bool
}

func (pl *planner) officers() error {
	var total float64
	for k, s := range pl.p.Shifts {
		if s.Officers <= 0 || !s.End.After(s.Start) {
			continue
		}
		for j := range s.Officers {
			pl.slots = append(pl.slots, Officer{Shift: k, Index: j + 1})
		}
		total += s.End.Sub(s.Start).Minutes() * float64(s.Officers)
	}
	if len(pl.slots) == 0 {
		return ErrNoShift
	}
	pl.budget = total
	if pl.o.Budget > 0 {
		pl.budget = math.Min(total, pl.o.Budget)
	}
	pl.rounds = make([][]Visit, len(pl.slots))
	pl.perSeg = make([]int, len(pl.p.Segments))
	pl.visited = map[[2]int]bool{}
	return nil
}

// phases draws each segment's minutes past the block start.
func (pl *planner) phases() {
	r := rand.New(rand.NewPCG(pl.o.Seed, 0x9e3779b97f4a7c15))
	pl.phase = make([]int, len(pl.p.Segments))
	for s := range pl.phase {
		pl.phase[s] = r.IntN(pl.span() + 1)
	}
}

// items lists the candidates and groups them into items.
func (pl *planner) items() {
	for s := range pl.p.Segments {
		for b := range pl.p.Blocks {
			for k := range pl.options() {
				if _, _, ok := pl.start(cand{s, b}, k); ok {
					pl.cands = append(pl.cands, cand{s, b})
					break
				}
			}
		}
	}
	busy := pl.busyLevel()
	for s := range pl.p.Segments {
		row := pl.candsOf(s)
		peak := pl.peakBlocks(s, busy)
		pl.peak = append(pl.peak, peak)
		for i := 0; i < len(row); {
			j := i + 1
			for peak[row[i].block] && j < len(row) && peak[row[j].block] && row[j].block == row[j-1].block+1 {
				j++
			}
			it := &item{visits: row[i:j], peak: peak[row[i].block]}
			for _, c := range it.visits {
				it.benefit += pl.p.Expected[c.seg][c.block] * pl.o.P
			}
			pl.list = append(pl.list, it)
			i = j
		}
	}
}

// phaseStep is the spacing of the visit times a segment's visits may take
// within a block, from its own phase on.
const phaseStep = 5

// options returns how many visit times a block offers a segment.
func (pl *planner) options() int {
	return pl.span()/phaseStep + 1
}

// span is the latest start of a visit within a block, in minutes.
func (pl *planner) span() int { return BlockHours*60 - int(math.Ceil(pl.o.VisitMinutes)) }

// start returns the k-th visit time of c, from the segment's phase on,
// wrapping within the block, and the shift that covers it.
func (pl *planner) start(c cand, k int) (time.Time, int, bool) {
	off := (pl.phase[c.seg] + k*phaseStep) % (pl.span() + 1)
	t := pl.p.Blocks[c.block].Start.Add(time.Duration(off) * time.Minute)
	end := t.Add(minutes(pl.o.VisitMinutes))
	for i, sh := range pl.p.Shifts {
		if sh.Officers > 0 && !t.Before(sh.Start) && !end.After(sh.End) {
			return t, i, true
		}
	}
	return time.Time{}, 0, false
}

// peakBlocks marks the blocks whose expected violations are at least
// PeakShare of the segment's busiest block and at least busy.
func (pl *planner) peakBlocks(s int, busy float64) []bool {
	out := make([]bool, len(pl.p.Blocks))
	top := slices.Max(append([]float64{0}, pl.p.Expected[s]...))
	for b, v := range pl.p.Expected[s] {
		out[b] = top > 0 && v > 0 && v >= pl.o.PeakShare*top && v >= busy
	}
	return out
}

// busyLevel is the expected violations of the busiest quarter's least
// busy candidate (the 75th percentile by the nearest-rank method).
func (pl *planner) busyLevel() float64 {
	if len(pl.cands) == 0 {
		return 0
	}
	v := make([]float64, len(pl.cands))
	for i, c := range pl.cands {
		v[i] = pl.p.Expected[c.seg][c.block]
	}
	slices.Sort(v)
	return v[min(len(v)-1, int(math.Ceil(0.75*float64(len(v))))-1)]
}

// candsOf returns segment s's candidates, by block.
func (pl *planner) candsOf(s int) []cand {
	var out []cand
	for _, c := range pl.cands {
		if c.seg == s {
			out = append(out, c)
		}
	}
	return out
}

// keyRoads gives every key road its minimum of visits: first by the
// preferred rule (keyRoadsByBenefit), and when that leaves a key road
// without a visit that fits, again from the start by a search
// (keyRoadsSearch). The preferred rule takes the roads one by one in a
// fixed order, and its visits (a road's best item may be a whole peak
// window, two visits two hours apart, at the segments' own phases) can
// break an officer's round into gaps too short for a later road's visit
// and its walking, or take the minutes a later road's peak window needs,
// though the shifts have time for every key road.
func (pl *planner) keyRoads() error {
	var roads []string
	for _, s := range pl.p.Segments {
		if s.Key && !slices.Contains(roads, s.Road) {
			roads = append(roads, s.Road)
		}
	}
	if len(roads) == 0 || pl.o.KeyRoadMin <= 0 {
		return nil
	}
	before := pl.snapshot()
	err := pl.keyRoadsByBenefit(roads)
	if err == nil {
		return nil
	}
	pl.restore(before)
	need := map[string]int{}
	for _, road := range roads {
		need[road] = pl.o.KeyRoadMin
	}
	pl.packed = true
	defer func() { pl.packed = false }()
	tries := keySearchTries
	if pl.keyRoadsSearch(roads, need, &tries) {
		return nil
	}
	pl.restore(before)
	return err
}

// keyRoadsByBenefit gives each key road in turn its items with the most
// expected violations per visit, as long as they fit.
func (pl *planner) keyRoadsByBenefit(roads []string) error {
	for _, road := range roads {
		got := 0
		for got < pl.o.KeyRoadMin {
			var best *item
			var bestRatio float64
			for _, it := range pl.list {
				if it.done || pl.p.Segments[it.visits[0].seg].Road != road {
					continue
				}
				if _, _, ok := pl.place(it, true, false); !ok {
					continue
				}
				if ratio := it.benefit / float64(len(it.visits)); best == nil || ratio > bestRatio {
					best, bestRatio = it, ratio
				}
			}
			if best == nil {
				return &KeyRoadError{Road: road}
			}
			pl.insert(best, true)
			got += len(best.visits)
		}
	}
	return nil
}

// keySearchTries bounds the items keyRoadsSearch inserts and takes back.
const keySearchTries = 2000

// keyChoice is an item that fits, with what placing it costs.
type keyChoice struct {
	it    *item
	cost  float64 // officer-minutes per visit the road still needs
	start time.Time
	ratio float64 // expected violations per visit
}

// keyRoadsSearch gives the roads still short of their minimum (need) their
// visits by a depth-first search: the road with the fewest items that fit
// goes first, its items the cheapest first (officer-minutes added per
// visit the road still needs, then the earliest, then the most expected
// violations per visit), each placed at the earliest of its cheapest visit
// times; an item that leaves some road without one that fits is taken
// back for the next. It reports whether every road got its minimum; tries
// bounds the insertions.
func (pl *planner) keyRoadsSearch(roads []string, need map[string]int, tries *int) bool {
	var road string
	var choices []keyChoice
	for _, r := range roads {
		if need[r] <= 0 {
			continue
		}
		c := pl.keyChoices(r, need[r])
		if len(c) == 0 {
			return false
		}
		if road == "" || len(c) < len(choices) {
			road, choices = r, c
		}
	}
	if road == "" {
		return true
	}
	for _, c := range choices {
		if *tries <= 0 {
			return false
		}
		*tries--
		st := pl.snapshot()
		pl.insert(c.it, true)
		need[road] -= len(c.it.visits)
		if pl.keyRoadsSearch(roads, need, tries) {
			return true
		}
		need[road] += len(c.it.visits)
		pl.restore(st)
	}
	return false
}

// keyChoices returns the items of road that fit, in the order
// keyRoadsSearch tries them.
func (pl *planner) keyChoices(road string, need int) []keyChoice {
	var out []keyChoice
	for _, it := range pl.list {
		if it.done || pl.p.Segments[it.visits[0].seg].Road != road {
			continue
		}
		cost, start, ok := pl.place(it, true, false)
		if !ok {
			continue
		}
		out = append(out, keyChoice{it: it, cost: cost / float64(min(len(it.visits), need)), start: start,
			ratio: it.benefit / float64(len(it.visits))})
	}
	slices.SortStableFunc(out, func(a, b keyChoice) int {
		switch {
		case a.cost < b.cost-1e-9:
			return -1
		case a.cost > b.cost+1e-9:
			return 1
		case !a.start.Equal(b.start):
			return a.start.Compare(b.start)
		}
		return cmp.Compare(b.ratio, a.ratio)
	})
	return out
}

// state is what inserting items changes in a planner.
type state struct {
	rounds  [][]Visit
	used    float64
	perSeg  []int
	visited map[[2]int]bool
	done    []bool
}

// snapshot returns the planner's state, for restore.
func (pl *planner) snapshot() state {
	st := state{used: pl.used, perSeg: slices.Clone(pl.perSeg), visited: maps.Clone(pl.visited)}
	for _, r := range pl.rounds {
		st.rounds = append(st.rounds, slices.Clone(r))
	}
	for _, it := range pl.list {
		st.done = append(st.done, it.done)
	}
	return st
}

// restore puts the planner back in the state of a snapshot.
func (pl *planner) restore(st state) {
	pl.rounds, pl.used, pl.perSeg, pl.visited = st.rounds, st.used, st.perSeg, st.visited
	for i, it := range pl.list {
		it.done = st.done[i]
	}
}

// greedy inserts the item with the most benefit per officer-minute while
// any fits.
func (pl *planner) greedy() {
	for {
		var best *item
		var bestRatio float64
		for _, it := range pl.list {
			if it.done || it.benefit <= 0 {
				continue
			}
			cost, ok := pl.cost(it)
			if !ok {
				continue
			}
			if ratio := it.benefit / cost; best == nil || ratio > bestRatio {
				best, bestRatio = it, ratio
			}
		}
		if best == nil {
			return
		}
		pl.insert(best, false)
	}
}

// cost returns the officer-minutes inserting it adds (its visits and the
// walking), and whether it fits.
func (pl *planner) cost(it *item) (float64, bool) {
	cost, _, ok := pl.place(it, false, false)
	return cost, ok
}

// insert places every visit of it, all or none, and marks it done.
func (pl *planner) insert(it *item, key bool) {
	pl.place(it, key, true)
	it.done = true
}

// place puts it's visits in the officers' rounds at one of the visit
// times a block offers (the same for all its visits, so a peak window's
// visits are two hours apart), each in the slot where it adds the least
// time, and returns the time added, the start of its first visit and
// whether all fit (within the per-day cap, two hours or more from the
// segment's other visits, and within the budget). Of the times that fit,
// the one adding least is taken; among equals the segment's own phase
// first, or, while the key roads are searched for, the earliest. Unless commit
// is set, the rounds are left as they were.
func (pl *planner) place(it *item, key, commit bool) (float64, time.Time, bool) {
	seg := it.visits[0].seg
	if pl.perSeg[seg]+len(it.visits) > pl.o.MaxPerDay {
		return 0, time.Time{}, false
	}
	for _, c := range it.visits {
		if pl.visited[[2]int{c.seg, c.block}] {
			return 0, time.Time{}, false
		}
	}
	best, bestK := math.Inf(1), -1
	var bestStart time.Time
	for k := range pl.options() {
		cost, ok := pl.tryOption(it, k, key, false)
		if !ok {
			continue
		}
		start, _, _ := pl.start(it.visits[0], k)
		if cost < best-1e-9 || pl.packed && cost < best+1e-9 && start.Before(bestStart) {
			best, bestK, bestStart = cost, k, start
		}
	}
	if bestK < 0 {
		return 0, time.Time{}, false
	}
	if commit {
		pl.tryOption(it, bestK, key, true)
	}
	return best, bestStart, true
}

// tryOption places it's visits at option k; see place.
func (pl *planner) tryOption(it *item, k int, key, commit bool) (float64, bool) {
	seg := it.visits[0].seg
	saved := map[int][]Visit{}
	restore := func() {
		for slot, r := range saved {
			pl.rounds[slot] = r
		}
	}
	var total float64
	for _, c := range it.visits {
		start, shift, ok := pl.start(c, k)
		if !ok || !pl.spaced(seg, start) {
			restore()
			return 0, false
		}
		slot, pos, delta, fits := pl.bestSlot(c.seg, start, shift)
		if !fits {
			restore()
			return 0, false
		}
		if _, done := saved[slot]; !done {
			saved[slot] = slices.Clone(pl.rounds[slot])
		}
		v := Visit{Officer: slot, Segment: c.seg, Block: c.block, Start: start, End: start.Add(minutes(pl.o.VisitMinutes)),
			Expected: pl.p.Expected[c.seg][c.block], Peak: it.peak, KeyMinimum: key}
		v.Covered = v.Expected * pl.o.P
		pl.rounds[slot] = slices.Insert(pl.rounds[slot], pos, v)
		total += delta
	}
	if pl.used+total > pl.budget+1e-9 || !commit {
		restore()
		return total, pl.used+total <= pl.budget+1e-9
	}
	pl.used += total
	pl.perSeg[seg] += len(it.visits)
	for _, c := range it.visits {
		pl.visited[[2]int{c.seg, c.block}] = true
	}
	return total, true
}

// spaced reports whether a visit to seg at t is two hours or more from
// every visit to seg in the rounds.
func (pl *planner) spaced(seg int, t time.Time) bool {
	for _, r := range pl.rounds {
		for _, v := range r {
			if v.Segment == seg && v.Start.Sub(t).Abs() < BlockHours*time.Hour {
				return false
			}
		}
	}
	return true
}

// plan writes the rounds out with their totals.
func (pl *planner) plan() Plan {
	out := Plan{Officers: pl.slots, Budget: pl.budget, Used: pl.used, Phases: pl.phase, Peak: pl.peak, Seed: pl.o.Seed, Options: pl.o}
	key := 0
	for k, r := range pl.rounds {
		for i := range r {
			v := r[i]
			if i > 0 {
				v.TravelBefore = pl.p.Travel(r[i-1].Segment, v.Segment)
			}
			out.TravelMinutes += v.TravelBefore
			out.VisitMinutes += pl.o.VisitMinutes
			out.Covered += v.Covered
			if pl.p.Segments[v.Segment].Key {
				key++
			}
			v.Officer = k
			out.Visits = append(out.Visits, v)
		}
	}
	if len(out.Visits) > 0 {
		out.KeyRoadShare = float64(key) / float64(len(out.Visits))
	}
	out.BestPossible = pl.bestPossible()
	return out
}

// bestPossible is the cover of the budget's visits placed where the most
// is expected, one a (segment, block) a shift covers, without walking.
func (pl *planner) bestPossible() float64 {
	marginal := make([][]float64, len(pl.cands))
	for i, c := range pl.cands {
		marginal[i] = []float64{pl.p.Expected[c.seg][c.block] * pl.o.P}
	}
	_, v := Allocate(marginal, int(pl.budget/pl.o.VisitMinutes))
	return v
}

// bestSlot finds the officer of shift and the position in its round where
// a visit to seg at start adds the least time, and that time: the visit and
// the walking from the visit before and to the visit after, less the walk
// between those two.
func (pl *planner) bestSlot(seg int, start time.Time, shift int) (slot, pos int, delta float64, ok bool) {
	end := start.Add(minutes(pl.o.VisitMinutes))
	delta = math.Inf(1)
	for k, off := range pl.slots {
		if off.Shift != shift {
			continue
		}
		r := pl.rounds[k]
		i, _ := slices.BinarySearchFunc(r, start, func(v Visit, t time.Time) int { return v.Start.Compare(t) })
		d := pl.o.VisitMinutes
		if i > 0 {
			t := pl.p.Travel(r[i-1].Segment, seg)
			if r[i-1].End.Add(minutes(t)).After(start) {
				continue
			}
			d += t
		}
		if i < len(r) {
			t := pl.p.Travel(seg, r[i].Segment)
			if end.Add(minutes(t)).After(r[i].Start) {
				continue
			}
			d += t
			if i > 0 {
				d -= pl.p.Travel(r[i-1].Segment, r[i].Segment)
			}
		}
		if d < delta {
			slot, pos, delta, ok = k, i, d, true
		}
	}
	return slot, pos, delta, ok
}

func minutes(m float64) time.Duration { return time.Duration(m * float64(time.Minute)) }
