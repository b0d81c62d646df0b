package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/dazhigu/hotspot/data"
	"github.com/paulmach/orb"
)

// event is a violation as it happens, before anyone records it.
type event struct {
	road  int
	spot  *spot // nil for the background
	act   *activity
	at    time.Time
	point orb.Point
	along float64 // meters
}

// Detection. A campaign crew finds what is in sight on its roads with
// sweepFind; each passing patrol finds it with patrolFind (less on long
// roads, which one officer cannot watch whole); a camera's video analytics
// with cameraFind, for the categories it is trained on.
const (
	sweepFind  = 0.85
	patrolFind = 0.6
	cameraFind = 0.5
)

var cameraSees = map[string]bool{catVending: true, catOutsideShop: true, catPiled: true, catDumping: true}

// hotlineRate is the chance that a violation draws a 12345 complaint:
// dumping, smoke and building work annoy residents far more than a stall.
var hotlineRate = map[string]float64{
	catVending: 0.05, catOutsideShop: 0.035, catDumping: 0.22, catBarbecue: 0.25, catConstruction: 0.6,
	catPiled: 0.05, catGarbage: 0.06, catFrontage: 0.03, catAds: 0.03, catOther: 0.15,
}

// Violations returns the violations of the period, placed on roads with
// data.Place, in order of observation, with stable source ids
// ("demo-v-20260511-0042": day of observation and number within the day).
// The same roads and options give the same violations.
func Violations(roads []data.Road, opt Options) []data.Violation {
	return newWorld(roads, opt).violations()
}

func (w *world) violations() []data.Violation {
	if len(w.roads) == 0 {
		return nil
	}
	var vs []data.Violation
	for i := range w.days {
		vs = w.dayViolations(i, vs)
	}
	kept := vs[:0]
	for _, v := range vs {
		if !v.ObservedAt.Before(w.first) && v.ObservedAt.Before(w.last) {
			kept = append(kept, v)
		}
	}
	vs = kept
	sort.SliceStable(vs, func(i, j int) bool { return vs[i].ObservedAt.Before(vs[j].ObservedAt) })
	w.name(vs)
	w.dispose(vs)
	for i := range vs {
		data.Place(&vs[i], w.given)
	}
	return vs
}

// name gives each violation its source id: day of observation and number.
func (w *world) name(vs []data.Violation) {
	day, n := "", 0
	for i := range vs {
		d := vs[i].ObservedAt.Format("20060102")
		if d != day {
			day, n = d, 0
		}
		n++
		vs[i].SourceID = fmt.Sprintf("demo-v-%s-%04d", d, n)
	}
}

// dayViolations appends the violations that happen on day i and are
// recorded by someone.
func (w *world) dayViolations(i int, vs []data.Violation) []data.Violation {
	day := w.days[i]
	r := newRand(w.opt.Seed, streamEvents, dayNumber(day))
	for ri, rd := range w.roads {
		for si := range rd.spots {
			s := &rd.spots[si]
			for _, rt := range s.kind.rates {
				n := poisson(r, rt.perDay*rt.act.level(day))
				for range n {
					at := rt.act.at(r, day)
					// Draw always, so that roads without a pilot see the same numbers.
					keep := r.Float64() < w.pilotFactor(rd, s, rt.act.category, at)
					p, along := rd.near(r, s)
					if keep {
						vs = w.record(r, vs, event{ri, s, rt.act, at, p, along})
					}
				}
			}
		}
		km := rd.path.length() / 1000
		for _, rt := range background {
			for range poisson(r, rt.perDay*km*rt.act.level(day)) {
				at := rt.act.at(r, day)
				p, along := rd.anywhere(r)
				vs = w.record(r, vs, event{ri, nil, rt.act, at, p, along})
			}
		}
	}
	if c := w.campaigns[i]; c != nil {
		vs = w.sweep(r, vs, c)
	}
	return vs
}

// pilotFactor is what line-marking leaves of a shop-front violation.
func (w *world) pilotFactor(rd *road, s *spot, category string, at time.Time) float64 {
	if !s.kind.front || (category != catOutsideShop && category != catVending) {
		return 1
	}
	return rd.pilot.factor(at)
}

// record appends what the event leaves in the records: at most one of a
// campaign, camera or patrol record, and independently a hotline complaint.
func (w *world) record(r *rand.Rand, vs []data.Violation, e event) []data.Violation {
	if src, at, ok := w.detect(r, e); ok {
		vs = append(vs, w.violation(e, src, at, e.point))
	}
	rd := w.roads[e.road]
	if chance(r, hotlineRate[e.act.category]*rd.prof.complaint) {
		vs = append(vs, w.violation(e, data.SourceHotline, e.at.Add(complaintDelay(r, e)), rd.vague(r, e.along)))
	}
	return vs
}

// detect decides who, if anyone, finds the event and when.
func (w *world) detect(r *rand.Rand, e event) (data.Source, time.Time, bool) {
	if at, ok := found(r, w.sweeps, e, sweepFind); ok {
		return data.SourceCampaign, at, true
	}
	rd := w.roads[e.road]
	if cameraSees[e.act.category] && rd.camera(e.along) && chance(r, cameraFind) {
		return data.SourceCamera, e.at.Add(time.Duration(r.IntN(300)) * time.Second), true
	}
	q := patrolFind * math.Sqrt(math.Min(1, 1000/rd.path.length()))
	if at, ok := found(r, w.patrols, e, q); ok {
		return data.SourcePatrol, at, true
	}
	return "", time.Time{}, false
}

// found returns when someone present on the event's road while it is
// visible notices it, each span finding it with probability q.
func found(r *rand.Rand, p presence, e event, q float64) (time.Time, bool) {
	var at time.Time
	gone := e.at.Add(e.act.persist)
	p.overlapping(e.road, e.at, gone, func(s span) bool {
		if !chance(r, q) {
			return true
		}
		from, until := later(e.at, s.start), earlier(gone, s.end)
		window := min(until.Sub(from), 15*time.Minute)
		at = from.Add(time.Duration(r.Int64N(int64(window/time.Second)+1)) * time.Second)
		return false
	})
	return at, !at.IsZero()
}

// complaintDelay is how long after the event a hotline call is logged:
// usually within the hour or two; at night within the hour (noise, smoke)
// or, for dumping found on the pavement, the next morning.
func complaintDelay(r *rand.Rand, e event) time.Duration {
	if h := e.at.Hour(); h >= 21 || h < 5 {
		if e.act.category == catDumping && chance(r, 0.25) {
			morning := midnight(e.at.Add(-5*time.Hour), e.at.Location()).AddDate(0, 0, 1).Add(hoursOf(uniform(r, 7, 9.5)))
			return morning.Sub(e.at).Truncate(time.Second)
		}
		return hoursOf(uniform(r, 1.0/6, 1))
	}
	if chance(r, 0.7) {
		return hoursOf(uniform(r, 1.0/6, 1.5))
	}
	return hoursOf(uniform(r, 1.5, 5))
}

// sweep appends the standing violations a campaign clears from its roads:
// goods and signs in front of shops, piles along the kerb.
func (w *world) sweep(r *rand.Rand, vs []data.Violation, c *campaign) []data.Violation {
	for _, ri := range c.roads {
		rd := w.roads[ri]
		for si := range rd.spots {
			s := &rd.spots[si]
			act := standing(r, s.kind.rates)
			if act == nil || !chance(r, 0.5) {
				continue
			}
			at := c.start.Add(time.Duration(r.Int64N(int64(c.end.Sub(c.start)/time.Second))) * time.Second)
			if !chance(r, w.pilotFactor(rd, s, act.category, at)) {
				continue
			}
			p, along := rd.near(r, s)
			vs = append(vs, w.violation(event{ri, s, act, at, p, along}, data.SourceCampaign, at, p))
		}
		for range poisson(r, 2.5*rd.path.length()/1000) {
			act := standing(r, background)
			at := c.start.Add(time.Duration(r.Int64N(int64(c.end.Sub(c.start)/time.Second))) * time.Second)
			p, along := rd.anywhere(r)
			vs = append(vs, w.violation(event{ri, nil, act, at, p, along}, data.SourceCampaign, at, p))
		}
	}
	return vs
}

// standing picks, by rate, one of the long-lasting activities among rates.
func standing(r *rand.Rand, rates []rate) *activity {
	ws := make([]float64, len(rates))
	for i, rt := range rates {
		if rt.act.persist >= 2*time.Hour && rt.act.category != catConstruction && rt.act.category != catBarbecue {
			ws[i] = rt.perDay
		}
	}
	if i := pick(r, ws); i >= 0 {
		return rates[i].act
	}
	return nil
}

// Small shops stand every smallShop metres along each road; a shop-front
// record of the background belongs to the one it is at ("S-HTXL-042").
// They are seldom recorded, so most have one or two records a year: the
// first offenders that 三不罚 is about.
const smallShop = 12.0

// violation makes the record of an event found by src at at, located at p.
// Patrols and campaigns know the merchant; cameras and callers do not.
func (w *world) violation(e event, src data.Source, at time.Time, p orb.Point) data.Violation {
	v := data.Violation{Source: src, Category: e.act.category, ObservedAt: at.In(w.loc),
		Point: p, Datum: "wgs84", Segment: -1}
	name := "background"
	knows := src == data.SourcePatrol || src == data.SourceCampaign
	switch {
	case e.spot != nil:
		name = e.spot.name
		if knows {
			v.MerchantID = e.spot.merchant
		}
	case knows && (e.act.category == catOutsideShop || e.act.category == catFrontage):
		v.MerchantID = fmt.Sprintf("S-%s-%03d", w.roads[e.road].code, int(e.along/smallShop))
	}
	v.Attributes = fmt.Appendf(nil, `{"demo":true,"road":%q,"spot":%q}`, w.roads[e.road].id, name)
	return v
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
