package demo

import (
	"context"
	"fmt"
	"iter"
	"math/rand/v2"
	"time"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/data"
)

// City-year sizes: 300 street offices, 10,000,000 violations and the dwell
// of 200,000,000 patrol fixes in a year (docs/scale.md).
const (
	CityOffices    = 300
	CityViolations = 10_000_000
	CityFixes      = 200_000_000
)

// cityColumns is how many street offices CityRoads lays side by side, west
// to east, before starting the next row to the north.
const cityColumns = 20

// officeStep is how far apart (WGS-84 degrees of longitude and latitude)
// CityRoads lays the street offices: the span of the seed district, so
// the offices tile about 5 km² each.
var officeStep = orb.Point{0.026, 0.0206}

// CityRoads lays out offices copies of a district's key roads on a grid of
// street offices, each shifted by officeStep from the last, and cuts them
// into segments again. The first office is the district itself, with its
// ids; the others' ids and names carry the office's number.
func CityRoads(ctx context.Context, district []data.Road, offices int) ([]data.Road, error) {
	out := make([]data.Road, 0, offices*len(district))
	for k := range offices {
		shift := orb.Point{float64(k%cityColumns) * officeStep[0], float64(k/cityColumns) * officeStep[1]}
		for _, rd := range district {
			if k > 0 {
				rd.ID, rd.Name = fmt.Sprintf("%s-%03d", rd.ID, k), fmt.Sprintf("%s %d", rd.Name, k)
				rd.Geometry = shifted(rd.Geometry, shift)
				if err := rd.Cut(ctx, data.SegmentMeters); err != nil {
					return nil, err
				}
			}
			out = append(out, rd)
		}
	}
	return out, nil
}

func shifted(l orb.LineString, by orb.Point) orb.LineString {
	out := make(orb.LineString, len(l))
	for i, p := range l {
		out[i] = orb.Point{p[0] + by[0], p[1] + by[1]}
	}
	return out
}

// CityYear generates a year of city-scale data as a change feed, as
// DistrictYear does (nv violations, a fifth on twenty hot stretches, and
// the dwell of nf patrol fixes, made from the walks directly rather than
// from fixes: see walkDwell), in pages of at most data.MaxPage changes
// in Seq order, as a store's feed returns them: a city year does not fit
// in memory as one slice. A page is valid only until the next is asked
// for. The same arguments give the same changes.
func CityYear(roads []data.Road, nv, nf int) iter.Seq[[]data.Change] {
	return func(yield func([]data.Change) bool) {
		g := newBenchYear(roads, rand.New(rand.NewPCG(2026, 300)))
		page := make([]data.Change, 0, data.MaxPage)
		for i := range nv {
			page = append(page, g.violation())
			if len(page) == data.MaxPage || i == nv-1 {
				if !yield(page) {
					return
				}
				page = page[:0]
			}
		}
		runs := make([][]run, len(roads))
		for i, rd := range roads {
			runs[i] = cellRuns(rd.Geometry)
		}
		for done := 0; done < nf; done += perTrack {
			page = append(page, g.walk(runs)...)
			if len(page) >= data.MaxPage-perTrack || done+perTrack >= nf {
				if !yield(page) {
					return
				}
				page = page[:0]
			}
		}
	}
}

// walk is the dwell of a walk as long as perTrack fixes up and down a
// road, made directly from the road's cell runs.
func (g *benchYear) walk(runs [][]run) []data.Change {
	i := g.r.IntN(len(runs))
	t0 := yearStart.Add(time.Duration(g.r.IntN(365*24*3600)) * time.Second)
	cells := walkDwell(runs[i], t0, (perTrack-1)*fixEvery.Seconds())
	out := make([]data.Change, len(cells))
	for k, c := range cells {
		g.seq++
		out[k] = data.Change{Seq: g.seq, Kind: data.ChangeDwell, Cell: c.Cell, Hour: c.Hour, Seconds: c.Seconds}
	}
	return out
}
