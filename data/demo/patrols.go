package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"
)

// shift is a patrol shift.
type shift int

// The shifts: morning 07:00–11:00, evening 16:00–21:30, night checks
// (夜查, summer nights and weekends) and clearance campaigns.
const (
	shiftAM shift = iota
	shiftPM
	shiftNight
	shiftCampaign
	nShifts
)

var shiftNames = [nShifts]string{"am", "pm", "night", "camp"}

// trip is one officer-trip: out on one or two key roads and back.
type trip struct {
	officer    int // 1-based
	day        time.Time
	shift      shift
	n          int // 1 for the first trip of the shift, 2 for a second
	start, end time.Time
	roads      []int     // indexes into world.roads; one or two
	split      time.Time // when a two-road trip moves on to roads[1]
	ride       bool      // on an e-bike rather than on foot
}

// officerID names the officer: "demo-officer-03".
func (t *trip) officerID() string { return fmt.Sprintf("demo-officer-%02d", t.officer) }

// sourceID names the track: "demo-t-03-20260511-am", "-am2" for a second trip.
func (t *trip) sourceID() string {
	s := fmt.Sprintf("demo-t-%02d-%s-%s", t.officer, t.day.Format("20060102"), shiftNames[t.shift])
	if t.n > 1 {
		s += fmt.Sprint(t.n)
	}
	return s
}

// span is a time during which someone is on a road.
type span struct{ start, end time.Time }

// spans returns, per road, when trip t is on it.
func (t *trip) spans() map[int]span {
	if len(t.roads) == 1 {
		return map[int]span{t.roads[0]: {t.start, t.end}}
	}
	return map[int]span{t.roads[0]: {t.start, t.split}, t.roads[1]: {t.split, t.end}}
}

// presence indexes spans by road, sorted by start.
type presence [][]span

func newPresence(nroads int, trips []trip, keep func(*trip) bool) presence {
	p := make(presence, nroads)
	for i := range trips {
		if !keep(&trips[i]) {
			continue
		}
		for r, s := range trips[i].spans() {
			p[r] = append(p[r], s)
		}
	}
	for _, ss := range p {
		sort.Slice(ss, func(i, j int) bool { return ss[i].start.Before(ss[j].start) })
	}
	return p
}

// longest is the longest span a trip can have; it bounds the search below.
const longest = 6 * time.Hour

// overlapping calls f with each span on road that overlaps [from, to), in
// order of start, until f returns false.
func (p presence) overlapping(road int, from, to time.Time, f func(span) bool) {
	ss := p[road]
	i := sort.Search(len(ss), func(i int) bool { return !ss[i].start.Before(from.Add(-longest)) })
	for ; i < len(ss) && ss[i].start.Before(to); i++ {
		if ss[i].end.After(from) && !f(ss[i]) {
			return
		}
	}
}

// planDay returns the trips of one day, given the day's campaign (nil when
// there is none).
func (w *world) planDay(day time.Time, c *campaign) []trip {
	r := newRand(w.opt.Seed, streamPlan, dayNumber(day))
	duty := w.onDuty(r, day)
	night := w.nightCrew(day, duty)
	camp := map[int]bool{}
	if c != nil {
		camp = w.campaignCrew(day, duty, night)
	}
	var trips []trip
	for _, o := range duty {
		switch {
		case c != nil && camp[o]:
			trips = append(trips, w.campaignTrip(r, day, o, c))
			trips = append(trips, w.shiftTrips(r, day, o, c.otherShift())...)
		case night[o]:
			trips = append(trips, w.shiftTrips(r, day, o, shiftAM)...)
			trips = append(trips, w.shiftTrips(r, day, o, shiftNight)...)
		default:
			trips = append(trips, w.shiftTrips(r, day, o, shiftAM)...)
			trips = append(trips, w.shiftTrips(r, day, o, shiftPM)...)
		}
	}
	sort.SliceStable(trips, func(i, j int) bool { return trips[i].start.Before(trips[j].start) })
	return trips
}

// onDuty returns the officers working on day: each has one weekday off, and
// many are away over the Spring Festival holiday.
func (w *world) onDuty(r *rand.Rand, day time.Time) []int {
	holiday := festivalDay(day)
	var duty []int
	for o := 1; o <= w.opt.Officers; o++ {
		if (o-1)%7 == int(day.Weekday()) {
			continue
		}
		if holiday >= -1 && holiday <= 6 && chance(r, 0.4) {
			continue
		}
		duty = append(duty, o)
	}
	return duty
}

// nightCrew returns the officers on night checks: every night from May to
// September, Friday and Saturday nights otherwise, one officer in six,
// taking turns.
func (w *world) nightCrew(day time.Time, duty []int) map[int]bool {
	crew := map[int]bool{}
	wd := day.Weekday()
	if len(duty) == 0 || (!summer[day.Month()-1] && wd != time.Friday && wd != time.Saturday) {
		return crew
	}
	n := max(1, int(math.Round(float64(w.opt.Officers)/6)))
	first := int(dayNumber(day) * uint64(n) % uint64(len(duty)))
	for k := 0; k < n && k < len(duty); k++ {
		crew[duty[(first+k)%len(duty)]] = true
	}
	return crew
}

// campaignCrew returns half the officers on duty (not on night checks), in turn.
func (w *world) campaignCrew(day time.Time, duty []int, night map[int]bool) map[int]bool {
	var free []int
	for _, o := range duty {
		if !night[o] {
			free = append(free, o)
		}
	}
	crew := map[int]bool{}
	if len(free) == 0 {
		return crew
	}
	n := max(1, w.opt.Officers/2)
	first := int(dayNumber(day) % uint64(len(free)))
	for k := 0; k < n && k < len(free); k++ {
		crew[free[(first+k)%len(free)]] = true
	}
	return crew
}

// shiftTrips returns an officer's trips in a regular shift: one, sometimes a
// shorter second one after a break.
func (w *world) shiftTrips(r *rand.Rand, day time.Time, o int, s shift) []trip {
	var begin, hours [2]float64 // first trip: start hour and length range
	switch s {
	case shiftAM:
		begin, hours = [2]float64{7, 7.5}, [2]float64{1.25, 2.5}
	case shiftPM:
		begin, hours = [2]float64{16.25, 17.5}, [2]float64{1.5, 2.75}
	case shiftNight:
		begin, hours = [2]float64{20, 20.75}, [2]float64{2.5, 3.5}
	default:
		return nil
	}
	t := w.newTrip(r, day, o, s, 1, uniform(r, begin[0], begin[1]), uniform(r, hours[0], hours[1]))
	trips := []trip{t}
	if s != shiftNight && chance(r, 0.2) {
		from := float64(t.end.Sub(day))/float64(time.Hour) + uniform(r, 0.33, 0.67)
		trips = append(trips, w.newTrip(r, day, o, s, 2, from, uniform(r, 0.75, 1.25)))
	}
	return trips
}

// newTrip places a trip from hour from for length hours on roads the shift
// favours.
func (w *world) newTrip(r *rand.Rand, day time.Time, o int, s shift, n int, from, length float64) trip {
	t := trip{officer: o, day: day, shift: s, n: n,
		start: day.Add(hoursOf(from)), end: day.Add(hoursOf(from + length))}
	weights := make([]float64, len(w.roads))
	for i, rd := range w.roads {
		weights[i] = rd.prof.patrol[s]
	}
	first := pick(r, weights)
	if first < 0 { // no road favoured in this shift: any road
		first = r.IntN(len(w.roads))
	}
	t.roads = []int{first}
	weights[first] = 0
	if chance(r, 0.35) {
		if j := pick(r, weights); j >= 0 {
			t.roads = append(t.roads, j)
			t.split = t.start.Add(time.Duration(uniform(r, 0.4, 0.6) * float64(t.end.Sub(t.start)))).Truncate(time.Second)
		}
	}
	t.ride = chance(r, 0.2)
	return t
}

// campaignTrip is an officer's trip during a clearance campaign.
func (w *world) campaignTrip(r *rand.Rand, day time.Time, o int, c *campaign) trip {
	t := trip{officer: o, day: day, shift: shiftCampaign, n: 1, roads: c.roads,
		start: c.start.Add(time.Duration(uniform(r, 0, 10)) * time.Minute),
		end:   c.end.Add(-time.Duration(uniform(r, 0, 10)) * time.Minute)}
	if len(c.roads) > 1 {
		t.split = t.start.Add(t.end.Sub(t.start) / 2)
	}
	return t
}

func hoursOf(h float64) time.Duration {
	return time.Duration(h * float64(time.Hour)).Truncate(time.Second)
}
