package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
	"github.com/paulmach/orb"
)

// rate is how often an activity happens at a place: events per day at level
// 1 (for a spot), or per kilometer of road per day (for the background).
type rate struct {
	act    *activity
	perDay float64
}

// kind is a kind of recurring hotspot.
type kind struct {
	name     string
	merchant bool    // a fixed business that recurs under one merchant id
	front    bool    // a shop front: line-marking acts here
	offset   float64 // distance from the centreline, share of the buffer
	spread   float64 // standard deviation along the road, meters
	rates    []rate
}

// The kinds of hotspot met on the key roads.
var (
	shopStall = kind{"shop", true, true, 0.75, 4, []rate{ // shop fronts that also sell from stalls on the pavement
		{&outsideShop, 1.5}, {&vendingPeak, 0.8}, {&piled, 0.12}, {&frontage, 0.08}}}
	shopMaterials = kind{"shop", true, true, 0.75, 4, []rate{ // hardware and building-materials shops
		{&outsideShop, 1.5}, {&piled, 0.45}, {&frontage, 0.1}, {&ads, 0.05}}}
	shopPlain = kind{"shop", true, true, 0.75, 4, []rate{
		{&outsideShop, 0.9}, {&ads, 0.12}, {&piled, 0.1}, {&frontage, 0.08}}}
	restaurant = kind{"restaurant", true, true, 0.65, 5, []rate{
		{&dumpingNight, 1.1}, {&barbecue, 1.2}, {&outsideTables, 0.7}, {&garbage, 0.1}}}
	market = kind{"market", false, true, 0.45, 15, []rate{ // morning and evening market vending
		{&vendingPeak, 4.5}, {&garbage, 0.2}}}
	roaming = kind{"vendors", false, false, 0.5, 20, []rate{ // 游商 at bus stops and crossings
		{&vendingRoaming, 3.2}}}
	binPoint = kind{"bins", false, false, 0.6, 3, []rate{
		{&garbage, 1.1}, {&dumpingDay, 0.25}, {&piled, 0.1}}}
	site = kind{"site", false, false, 0.8, 5, []rate{
		{&construction, 0.007}, {&piled, 0.05}}}
)

// background is spread thinly along every key road, per kilometer per day.
var background = []rate{
	{&outsideShop, 0.8}, {&vendingAny, 0.8}, {&piled, 0.6}, {&ads, 0.3},
	{&frontage, 0.5}, {&garbage, 0.4}, {&dumpingDay, 0.2}, {&other, 0.4},
}

// placed is a hotspot of a profile: a kind at a share of the road's length,
// on one side (+1 left of the digitised direction, -1 right).
type placed struct {
	kind *kind
	at   float64
	side float64
}

// profile is what is known of one key road: its hotspots, the hotspots a
// camera watches (indexes into spots), how much patrols favour it in each
// shift, and how likely residents are to call the hotline about it.
type profile struct {
	code      string
	spots     []placed
	cameras   []int
	patrol    [nShifts]float64
	complaint float64
}

// profiles of the six key roads of Dazhigu street, by road id.
var profiles = map[string]profile{
	"houtai-xilu": {"HTXL", []placed{
		{&shopStall, 0.12, 1}, {&shopStall, 0.2, -1}, {&shopStall, 0.28, 1}, {&shopStall, 0.36, -1},
		{&market, 0.44, 1}, {&shopStall, 0.52, 1}, {&shopStall, 0.6, -1}, {&shopStall, 0.68, 1},
		{&shopStall, 0.76, -1}, {&market, 0.86, -1}, {&binPoint, 0.95, 1},
	}, nil, [nShifts]float64{0.3, 0.22, 0.05, 0}, 1},
	"jintang-lu": {"JTL", []placed{
		{&roaming, 0.15, 1}, {&shopPlain, 0.25, -1}, {&restaurant, 0.31, 1}, {&roaming, 0.38, -1},
		{&shopPlain, 0.46, 1}, {&shopPlain, 0.55, -1}, {&roaming, 0.62, 1}, {&shopPlain, 0.72, 1},
		{&roaming, 0.85, -1},
	}, []int{0, 6}, [nShifts]float64{0.18, 0.26, 0.3, 0}, 0.9},
	"gongqian-jie": {"GQJ", []placed{
		{&restaurant, 0.15, 1}, {&restaurant, 0.3, -1}, {&restaurant, 0.45, 1}, {&shopPlain, 0.55, -1},
		{&restaurant, 0.62, -1}, {&restaurant, 0.8, 1}, {&binPoint, 0.92, -1},
	}, nil, [nShifts]float64{0.08, 0.14, 0.45, 0}, 1.4},
	"dazhigu-zhonglu": {"DZGZL", []placed{
		{&shopStall, 0.15, 1}, {&shopStall, 0.22, -1}, {&shopStall, 0.3, 1}, {&market, 0.42, -1},
		{&market, 0.5, 1}, {&shopStall, 0.6, -1}, {&shopStall, 0.68, 1}, {&shopStall, 0.75, -1},
		{&binPoint, 0.9, 1},
	}, []int{3, 4}, [nShifts]float64{0.24, 0.2, 0.08, 0}, 1},
	"liuwei-lu": {"LWL", []placed{
		{&shopMaterials, 0.1, 1}, {&shopMaterials, 0.2, -1}, {&shopMaterials, 0.3, 1}, {&site, 0.38, -1},
		{&shopMaterials, 0.45, -1}, {&shopMaterials, 0.55, 1}, {&binPoint, 0.62, -1},
		{&shopMaterials, 0.7, 1}, {&shopMaterials, 0.85, -1},
	}, nil, [nShifts]float64{0.12, 0.1, 0, 0}, 1},
	"zhigu-jie": {"ZGJ", []placed{
		{&site, 0.15, 1}, {&binPoint, 0.25, -1}, {&shopPlain, 0.4, 1}, {&restaurant, 0.5, -1},
		{&shopPlain, 0.6, 1}, {&binPoint, 0.72, -1},
	}, nil, [nShifts]float64{0.08, 0.08, 0.12, 0}, 1.3},
}

// genericProfile is used for a key road the demo knows nothing about.
func genericProfile(id string) profile {
	var code strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part != "" {
			code.WriteString(strings.ToUpper(part[:1]))
		}
	}
	return profile{code.String(), []placed{{&shopPlain, 0.3, 1}, {&binPoint, 0.5, -1}, {&shopPlain, 0.7, -1}},
		nil, [nShifts]float64{0.1, 0.1, 0.05, 0}, 1}
}

// spot is a recurring hotspot placed on a road.
type spot struct {
	name     string // e.g. "HTXL-shop-03"
	merchant string // e.g. "M-HTXL-03"; "" for places without one business
	kind     *kind
	along    float64 // meters
	side     float64
}

// road is a key road ready for generation.
type road struct {
	id, code string
	buffer   float64 // meters
	path     path
	prof     profile
	spots    []spot
	cameras  []float64 // meters along the road, ±45 m watched
	pilot    pilot
}

// pilot is the line-marking period of a road, when it falls in the period.
type pilot struct {
	start, end time.Time // end zero while in force
}

// Line-marking: shop-front violations fall by pilotDrop once the lines have
// been in place for pilotRamp.
const (
	pilotKind = "line-marking"
	pilotDrop = 0.6
	pilotRamp = 21 * 24 * time.Hour
)

// factor returns what the pilot leaves of shop-front violations at t.
func (p pilot) factor(t time.Time) float64 {
	if p.start.IsZero() || t.Before(p.start) || (!p.end.IsZero() && !t.Before(p.end)) {
		return 1
	}
	return 1 - pilotDrop*clamp(float64(t.Sub(p.start))/float64(pilotRamp), 0, 1)
}

// newRoads prepares the key roads (all roads when none is marked key).
func newRoads(rs []data.Road, first, last time.Time) []*road {
	var out []*road
	for i := range rs {
		if rs[i].Key && len(rs[i].Geometry) >= 2 {
			out = append(out, newRoad(&rs[i], first, last))
		}
	}
	if len(out) == 0 {
		for i := range rs {
			if len(rs[i].Geometry) >= 2 {
				out = append(out, newRoad(&rs[i], first, last))
			}
		}
	}
	for _, rd := range out {
		rd.clearCrossings(out)
		for _, i := range rd.prof.cameras {
			if i < len(rd.spots) {
				rd.cameras = append(rd.cameras, rd.spots[i].along)
			}
		}
	}
	return out
}

// clearCrossings moves each hotspot that lies where another road's corridor
// crosses this one along its road, by steps of 20 m either way, until it is
// clear of the other corridor: records there would be matched to the other
// road and blur both roads' patterns.
func (rd *road) clearCrossings(all []*road) {
	for i := range rd.spots {
		s := &rd.spots[i]
		for _, step := range []float64{0, 20, -20, 40, -40, 60, -60, 80, -80, 100, -100, 120, -120} {
			along := s.along + step
			if along > 10 && along < rd.path.length()-10 && !rd.crossed(all, along, s) {
				s.along = along
				break
			}
		}
	}
}

// crossed reports whether a hotspot at along comes near another road.
func (rd *road) crossed(all []*road, along float64, s *spot) bool {
	p := rd.path.at(along, s.side*s.kind.offset*rd.buffer)
	for _, o := range all {
		if _, d := geo.Locate(o.path.line, p); o != rd && d < o.buffer+2*s.kind.spread+5 {
			return true
		}
	}
	return false
}

func newRoad(r *data.Road, first, last time.Time) *road {
	prof, ok := profiles[r.ID]
	if !ok {
		prof = genericProfile(r.ID)
	}
	rd := &road{id: r.ID, code: prof.code, buffer: r.BufferMeters, path: newPath(r.Geometry), prof: prof}
	n := 0
	for i, p := range prof.spots {
		s := spot{name: fmt.Sprintf("%s-%s-%02d", prof.code, p.kind.name, i+1), kind: p.kind,
			along: p.at * rd.path.length(), side: p.side}
		if p.kind.merchant {
			n++
			s.merchant = fmt.Sprintf("M-%s-%02d", prof.code, n)
		}
		rd.spots = append(rd.spots, s)
	}
	for _, p := range r.Pilots {
		if p.Kind == pilotKind && !p.Start.Before(first) && p.Start.Before(last) {
			rd.pilot = pilot{p.Start, p.End}
		}
	}
	return rd
}

// near returns a point around s: a few meters along the road and across it,
// always inside the road's buffer.
func (rd *road) near(r *rand.Rand, s *spot) (orb.Point, float64) {
	along := clamp(s.along+r.NormFloat64()*s.kind.spread, 2, rd.path.length()-2)
	off := s.side * clamp(s.kind.offset*rd.buffer+r.NormFloat64()*1.5, 0.5, 0.9*rd.buffer)
	return rd.path.at(along, off), along
}

// anywhere returns a point anywhere along the road inside its buffer.
func (rd *road) anywhere(r *rand.Rand) (orb.Point, float64) {
	along := uniform(r, 2, rd.path.length()-2)
	return rd.path.at(along, uniform(r, -0.85, 0.85)*rd.buffer), along
}

// vague returns where a hotline caller's address puts a violation at along:
// about 30 m off along the road, anywhere across it.
func (rd *road) vague(r *rand.Rand, along float64) orb.Point {
	along = clamp(along+r.NormFloat64()*25, 2, rd.path.length()-2)
	return rd.path.at(along, uniform(r, -0.85, 0.85)*rd.buffer)
}

// camera reports whether a camera watches the point at along (±45 m).
func (rd *road) camera(along float64) bool {
	for _, c := range rd.cameras {
		if along > c-45 && along < c+45 {
			return true
		}
	}
	return false
}
