package demo

import (
	"cmp"
	"slices"
	"time"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

// walkSpeed is the pace of a generated patrol walk, in metres a second.
const walkSpeed = 1.4

// walkStep is how finely cellRuns samples a road, in metres: well under a
// res-12 cell's edge (≈ 10.8 m).
const walkStep = 1.0

// run is a stretch of a road's centreline inside one res-12 cell, from and
// to metres along the road.
type run struct {
	cell     h3.Cell
	from, to float64
}

// cellRuns are the res-12 cells a road's centreline passes, in order, with
// the metres spent in each.
func cellRuns(line orb.LineString) []run {
	length := geo.Length(line)
	var out []run
	for d := 0.0; d < length; d += walkStep {
		c := geo.Cell(geo.PointAlong(line, d), data.CellResolution)
		if n := len(out); n > 0 && out[n-1].cell == c {
			out[n-1].to = min(d+walkStep, length)
			continue
		}
		out = append(out, run{cell: c, from: d, to: min(d+walkStep, length)})
	}
	return out
}

// walkDwell is the presence of a walk up and down a road (its cellRuns)
// at walkSpeed from t0 for secs seconds: seconds per res-12 cell and UTC
// hour, sorted by hour and cell, as geo.Dwell gives for the fixes of such
// a walk (up to where within a cell the fixes fall).
func walkDwell(runs []run, t0 time.Time, secs float64) []geo.CellHour {
	type key struct {
		cell h3.Cell
		hour int64
	}
	if len(runs) == 0 {
		return nil
	}
	acc := map[key]float64{}
	start, t := float64(t0.Unix()), 0.0
	for lap := 0; t < secs; lap++ {
		for i := range runs {
			r := runs[i]
			if lap%2 == 1 { // walking back
				r = runs[len(runs)-1-i]
			}
			dt := min((r.to-r.from)/walkSpeed, secs-t)
			for dt > 0 { // split at the hours
				now := start + t
				hour := int64(now) / 3600
				in := min(dt, float64(hour+1)*3600-now)
				acc[key{r.cell, hour}] += in
				t, dt = t+in, dt-in
			}
			if t >= secs {
				break
			}
		}
	}
	out := make([]geo.CellHour, 0, len(acc))
	for k, s := range acc {
		out = append(out, geo.CellHour{Cell: k.cell, Hour: time.Unix(k.hour*3600, 0).UTC(), Seconds: s})
	}
	slices.SortFunc(out, func(a, b geo.CellHour) int {
		return cmp.Or(a.Hour.Compare(b.Hour), cmp.Compare(a.Cell, b.Cell))
	})
	return out
}
