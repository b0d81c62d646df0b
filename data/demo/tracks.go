package demo

import (
	"iter"
	"math"
	"math/rand/v2"
	"runtime"
	"time"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// dwellOptions are what tracks are converted with: geo.Dwell's defaults of
// 5 minutes' gap and 15 m/s, at resolution data.CellResolution.
func dwellOptions() geo.DwellOptions {
	return geo.DwellOptions{MaxGap: geo.DefaultMaxGap, MaxSpeed: geo.DefaultMaxSpeed, Res: data.CellResolution}
}

// Tracks returns the patrol tracks of the period one at a time, with their
// dwell, day by day. The same roads and options give the same tracks. Days
// are computed a few at a time in parallel (tracks are independent), so only
// a few days' fixes are in memory at once.
func Tracks(roads []data.Road, opt Options) iter.Seq[data.Track] {
	return newWorld(roads, opt).tracks()
}

func (w *world) tracks() iter.Seq[data.Track] {
	return func(yield func(data.Track) bool) {
		ahead := 2 * runtime.GOMAXPROCS(0)
		done := make(chan struct{})
		defer close(done)
		days := make([]chan []data.Track, len(w.trips))
		start := func(i int) {
			days[i] = make(chan []data.Track, 1)
			go func() { days[i] <- w.dayTracks(i, done) }()
		}
		for i := range min(ahead, len(w.trips)) {
			start(i)
		}
		for i := range w.trips {
			tracks := <-days[i]
			if next := i + ahead; next < len(w.trips) {
				start(next)
			}
			for _, t := range tracks {
				if !yield(t) {
					return
				}
			}
		}
	}
}

// dayTracks returns the tracks of day i, or fewer once done is closed.
func (w *world) dayTracks(i int, done <-chan struct{}) []data.Track {
	out := make([]data.Track, 0, len(w.trips[i]))
	for k := range w.trips[i] {
		select {
		case <-done:
			return out
		default:
		}
		out = append(out, w.track(&w.trips[i][k]))
	}
	return out
}

// GPS behaviour: the phone logs a fix every 30 s (some phones 15 s or 60 s),
// with correlated errors of a few meters; a trip sometimes loses the signal
// for more than five minutes, and now and then a fix jumps hundreds of
// meters away.
const (
	gapChance   = 0.15  // per trip
	spikeChance = 0.003 // per fix
	stopChance  = 0.35  // that an officer stops at a hotspot passed
)

// track walks the trip and converts its fixes to dwell.
func (w *world) track(t *trip) data.Track {
	r := newRand(w.opt.Seed, streamFixes, dayNumber(t.day), uint64(t.officer), uint64(t.shift), uint64(t.n))
	tr := data.Track{Officer: t.officerID(), SourceID: t.sourceID(), Datum: geo.WGS84, Fixes: w.fixes(r, t)}
	tr.SetDwell(dwellOptions())
	return tr
}

// fixes samples the officer's position along the trip.
func (w *world) fixes(r *rand.Rand, t *trip) []data.Fix {
	k := w.newWalker(r, t)
	interval := []int{30, 15, 60}[pick(r, []float64{0.75, 0.1, 0.15})]
	var gapFrom, gapTo time.Time
	if chance(r, gapChance) {
		gapFrom = t.start.Add(time.Duration(uniform(r, 0.1, 0.8) * float64(t.end.Sub(t.start))))
		gapTo = gapFrom.Add(hoursOf(uniform(r, 5.5, 15) / 60))
	}
	sigma := uniform(r, 4, 7) // meters, per axis
	var ex, ey float64
	fixes := make([]data.Fix, 0, int(t.end.Sub(t.start)/time.Second)/interval+2)
	for now := t.start; !now.After(t.end); {
		if len(t.roads) > 1 && k.leg == 0 && !now.Before(t.split) {
			k.moveOn()
		}
		ex = 0.8*ex + r.NormFloat64()*sigma*0.6
		ey = 0.8*ey + r.NormFloat64()*sigma*0.6
		step := max(5, interval+r.IntN(5)-2)
		if now.Before(gapFrom) || !now.Before(gapTo) {
			p := displace(k.position(), ex, ey)
			if chance(r, spikeChance) && len(fixes) > 0 {
				d := math.Max(uniform(r, 300, 900), 25*float64(step))
				p = orbgeo.PointAtBearingAndDistance(p, uniform(r, 0, 360), d)
			}
			fixes = append(fixes, data.Fix{Time: now, Point: p})
		}
		k.advance(float64(step))
		now = now.Add(time.Duration(step) * time.Second)
	}
	return fixes
}

// walker is an officer moving along the trip's roads: back and forth, on the
// pavement on the right, stopping now and then at a hotspot.
type walker struct {
	w       *world
	r       *rand.Rand
	t       *trip
	leg     int // index into t.roads
	rd      *road
	along   float64
	dir     float64 // +1 or -1
	speed   float64 // m/s
	pause   float64 // seconds still to stand
	at      *spot   // where the officer stands, when pausing at a hotspot
	from    orb.Point
	to      orb.Point
	transit float64 // seconds left moving from `from` to `to` between roads
	total   float64 // seconds the move between roads takes
}

func (w *world) newWalker(r *rand.Rand, t *trip) *walker {
	k := &walker{w: w, r: r, t: t, rd: w.roads[t.roads[0]], dir: 1, speed: uniform(r, 1.0, 1.4)}
	if t.ride {
		k.speed = uniform(r, 3.5, 5)
	}
	if chance(r, 0.5) {
		k.along, k.dir = k.rd.path.length(), -1
	}
	return k
}

// moveOn heads for the nearer end of the trip's second road.
func (k *walker) moveOn() {
	k.from = k.position()
	k.leg, k.rd, k.at, k.pause = 1, k.w.roads[k.t.roads[1]], nil, 0
	start, end := k.rd.path.at(0, 0), k.rd.path.at(k.rd.path.length(), 0)
	k.to, k.along, k.dir = start, 0, 1
	if orbgeo.DistanceHaversine(k.from, end) < orbgeo.DistanceHaversine(k.from, start) {
		k.to, k.along, k.dir = end, k.rd.path.length(), -1
	}
	k.total = orbgeo.DistanceHaversine(k.from, k.to) / math.Max(k.speed, 3)
	k.transit = k.total
}

// position is where the officer is now.
func (k *walker) position() orb.Point {
	switch {
	case k.transit > 0:
		f := 1 - k.transit/k.total
		return orb.Point{k.from[0] + f*(k.to[0]-k.from[0]), k.from[1] + f*(k.to[1]-k.from[1])}
	case k.pause > 0 && k.at != nil:
		return k.rd.path.at(k.along, k.at.side*k.at.kind.offset*k.rd.buffer)
	}
	lane := 0.5
	if k.t.ride {
		lane = 0.3
	}
	return k.rd.path.at(k.along, -k.dir*lane*k.rd.buffer)
}

// advance moves the officer on by secs seconds.
func (k *walker) advance(secs float64) {
	for secs > 1e-9 {
		switch {
		case k.transit > 0:
			use := math.Min(secs, k.transit)
			k.transit, secs = k.transit-use, secs-use
		case k.pause > 0:
			use := math.Min(secs, k.pause)
			k.pause, secs = k.pause-use, secs-use
		default:
			secs = k.walk(secs)
		}
	}
}

// walk moves along the road towards the next hotspot or the road's end,
// whichever is nearer, and returns the seconds left over after arriving.
func (k *walker) walk(secs float64) float64 {
	goal, next := 0.0, -1
	if k.dir > 0 {
		goal = k.rd.path.length()
	}
	for i := range k.rd.spots {
		d := (k.rd.spots[i].along - k.along) * k.dir
		if d > 0.5 && d < (goal-k.along)*k.dir {
			goal, next = k.rd.spots[i].along, i
		}
	}
	need := math.Abs(goal-k.along) / k.speed
	if need > secs {
		k.along += k.dir * k.speed * secs
		return 0
	}
	k.along, k.at = goal, nil
	switch {
	case next < 0: // the road's end: turn back after a short wait
		k.dir, k.pause = -k.dir, uniform(k.r, 30, 180)
	case chance(k.r, stopChance): // a visit of 5–15 minutes (the Koper curve)
		k.at, k.pause = &k.rd.spots[next], uniform(k.r, 300, 900)
	}
	return secs - need
}
