package demo

import (
	"math/rand/v2"
	"time"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

// DistrictYear generates a year of district-scale data as a change feed,
// for benchmarks: nv violations on the key roads (a fifth of them on twenty
// hot stretches, uniform in time over the year to 2026-11-24) and patrol
// walks of nf fixes in all, one fix every 5 s at 1.4 m/s along a road,
// turned into dwell as the ingest path does. The same arguments give the
// same changes.
func DistrictYear(roads []data.Road, nv, nf int) []data.Change {
	r := rand.New(rand.NewPCG(2026, 11))
	start := time.Date(2025, 11, 24, 0, 0, 0, 0, time.UTC)
	var segs []data.Segment
	for _, rd := range roads {
		segs = append(segs, rd.Segments...)
	}
	hot := segs[:0:0]
	for range 20 {
		hot = append(hot, segs[r.IntN(len(segs))])
	}
	changes := make([]data.Change, 0, nv+nf/4)
	seq := int64(0)
	for range nv {
		s := segs[r.IntN(len(segs))]
		if r.IntN(5) == 0 {
			s = hot[r.IntN(len(hot))]
		}
		p := s.Line[r.IntN(len(s.Line))]
		p = orb.Point{p[0] + (r.Float64()-0.5)*2e-4, p[1] + (r.Float64()-0.5)*2e-4}
		seq++
		changes = append(changes, data.Change{Seq: seq, Kind: data.ChangeViolation, Cell: geo.Cell(p, data.CellResolution), Point: p,
			Hour:     start.Add(time.Duration(r.IntN(365*24)) * time.Hour),
			Category: []string{"street-vending", "outside-shop", "dumping", "other"}[r.IntN(4)],
			Source:   data.Sources[r.IntN(len(data.Sources))]})
	}
	const perTrack = 1440 // two hours
	for done := 0; done < nf; done += perTrack {
		rd := roads[r.IntN(len(roads))]
		t0 := start.Add(time.Duration(r.IntN(365*24*3600)) * time.Second)
		fixes := make([]geo.Fix, perTrack)
		length := geo.Length(rd.Geometry)
		for i := range fixes {
			d := float64(i) * 7 // 1.4 m/s
			lap := int(d / length)
			d -= float64(lap) * length
			if lap%2 == 1 {
				d = length - d
			}
			fixes[i] = geo.Fix{Time: t0.Add(time.Duration(i) * 5 * time.Second), Point: geo.PointAlong(rd.Geometry, d)}
		}
		cells, _ := geo.Dwell(fixes, geo.DwellOptions{Res: data.CellResolution})
		for _, c := range cells {
			seq++
			changes = append(changes, data.Change{Seq: seq, Kind: data.ChangeDwell, Cell: c.Cell, Hour: c.Hour, Seconds: c.Seconds})
		}
	}
	return changes
}
