package demo

import (
	"time"

	"github.com/dazhigu/hotspot/data"
)

// world is everything the generator derives from the roads and options
// before drawing a single violation or fix: the days, the prepared roads,
// the campaigns and the patrol plan.
type world struct {
	opt         Options
	given       []data.Road // as passed in; violations are placed on these
	loc         *time.Location
	days        []time.Time // midnights, oldest first
	first, last time.Time   // the period is [first, last)
	roads       []*road
	campaigns   []*campaign // by day; nil when none
	trips       [][]trip    // by day
	patrols     presence    // regular patrols per road
	sweeps      presence    // campaign windows per road

	campaignYears map[int]map[uint64]bool
}

func newWorld(rs []data.Road, opt Options) *world {
	loc := shanghai()
	w := &world{loc: loc, opt: opt.withDefaults(loc), given: rs}
	w.days = period(w.opt.End, w.opt.Days, loc)
	w.first, w.last = w.days[0], w.days[len(w.days)-1].AddDate(0, 0, 1)
	w.roads = newRoads(rs, w.first, w.last)
	if len(w.roads) == 0 {
		return w
	}
	w.campaignYears = map[int]map[uint64]bool{}
	for y := w.first.Year(); y <= w.last.Year(); y++ {
		w.campaignYears[y] = campaignDays(w.opt.Seed, y, loc)
	}
	var all []trip
	for _, day := range w.days {
		c := w.campaignOn(day)
		w.campaigns = append(w.campaigns, c)
		trips := w.planDay(day, c)
		w.trips = append(w.trips, trips)
		all = append(all, trips...)
	}
	w.patrols = newPresence(len(w.roads), all, func(t *trip) bool { return t.shift != shiftCampaign })
	w.sweeps = make(presence, len(w.roads))
	for _, c := range w.campaigns {
		for _, r := range c.roadsOrNone() {
			w.sweeps[r] = append(w.sweeps[r], span{c.start, c.end})
		}
	}
	return w
}

// campaignDays counts the campaign days in the period.
func (w *world) campaignDays() int {
	n := 0
	for _, c := range w.campaigns {
		if c != nil {
			n++
		}
	}
	return n
}
