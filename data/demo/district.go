package demo

import (
	"math/rand/v2"
	"time"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

// yearStart is where the generated years of DistrictYear and CityYear
// begin: they run a year to 2026-11-24.
var yearStart = time.Date(2025, 11, 24, 0, 0, 0, 0, time.UTC)

// DistrictYear generates a year of district-scale data as a change feed,
// for benchmarks: nv violations on the key roads (a fifth of them on twenty
// hot stretches, uniform in time over the year to 2026-11-24) and patrol
// walks of nf fixes in all, one fix every 5 s at 1.4 m/s along a road,
// turned into dwell as the ingest path does. The same arguments give the
// same changes.
func DistrictYear(roads []data.Road, nv, nf int) []data.Change {
	g := newBenchYear(roads, rand.New(rand.NewPCG(2026, 11)))
	changes := make([]data.Change, 0, nv+nf/4)
	for range nv {
		changes = append(changes, g.violation())
	}
	for done := 0; done < nf; done += perTrack {
		changes = append(changes, g.patrol()...)
	}
	return changes
}

// perTrack is how many fixes one generated patrol walk has, one every
// fixEvery: two hours.
const (
	perTrack = 1440
	fixEvery = 5 * time.Second
)

// benchYear generates the changes of DistrictYear and CityYear, numbering them
// from 1.
type benchYear struct {
	r     *rand.Rand
	roads []data.Road
	segs  []data.Segment
	hot   []data.Segment // the twenty hot stretches
	seq   int64
}

func newBenchYear(roads []data.Road, r *rand.Rand) *benchYear {
	g := &benchYear{r: r, roads: roads}
	for _, rd := range roads {
		g.segs = append(g.segs, rd.Segments...)
	}
	for range 20 {
		g.hot = append(g.hot, g.segs[r.IntN(len(g.segs))])
	}
	return g
}

// violation is one violation near a vertex of a segment, a fifth of them
// on the hot stretches.
func (g *benchYear) violation() data.Change {
	r := g.r
	s := g.segs[r.IntN(len(g.segs))]
	if r.IntN(5) == 0 {
		s = g.hot[r.IntN(len(g.hot))]
	}
	p := s.Line[r.IntN(len(s.Line))]
	p = orb.Point{p[0] + (r.Float64()-0.5)*2e-4, p[1] + (r.Float64()-0.5)*2e-4}
	g.seq++
	return data.Change{Seq: g.seq, Kind: data.ChangeViolation, Cell: geo.Cell(p, data.CellResolution), Point: p,
		Hour:     yearStart.Add(time.Duration(r.IntN(365*24)) * time.Hour),
		Category: []string{"street-vending", "outside-shop", "dumping", "other"}[r.IntN(4)],
		Source:   data.Sources[r.IntN(len(data.Sources))]}
}

// patrol is the dwell of one walk of perTrack fixes up and down a road.
func (g *benchYear) patrol() []data.Change {
	r := g.r
	rd := g.roads[r.IntN(len(g.roads))]
	t0 := yearStart.Add(time.Duration(r.IntN(365*24*3600)) * time.Second)
	fixes := make([]geo.Fix, perTrack)
	length := geo.Length(rd.Geometry)
	for i := range fixes {
		d := float64(i) * 7 // 1.4 m/s
		lap := int(d / length)
		d -= float64(lap) * length
		if lap%2 == 1 {
			d = length - d
		}
		fixes[i] = geo.Fix{Time: t0.Add(time.Duration(i) * fixEvery), Point: geo.PointAlong(rd.Geometry, d)}
	}
	cells, _ := geo.Dwell(fixes, geo.DwellOptions{Res: data.CellResolution})
	out := make([]data.Change, len(cells))
	for i, c := range cells {
		g.seq++
		out[i] = data.Change{Seq: g.seq, Kind: data.ChangeDwell, Cell: c.Cell, Hour: c.Hour, Seconds: c.Seconds}
	}
	return out
}
