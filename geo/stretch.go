package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// Stretch is a part of a WGS-84 centreline between two spherical distances
// along it, From and To, in meters from the centreline's first point.
type Stretch struct {
	Line     orb.LineString
	From, To float64
}

// Cut cuts a WGS-84 line into consecutive stretches of meters (spherical
// length) each. The last stretch may be shorter; if it would be shorter than
// meters/2 it is merged into the one before, so no stretch is shorter than
// meters/2 unless the whole line is. Cut points are interpolated on the
// line's segments, so they lie exactly on the line, and consecutive stretches
// share their cut point. A line shorter than meters (or a non-positive or NaN
// meters) gives one stretch; a line of fewer than two points gives none.
func Cut(line orb.LineString, meters float64) []Stretch {
	if len(line) < 2 {
		return nil
	}
	cum := cumulative(line)
	total := cum[len(cum)-1]
	// Cut distances: 0, meters, 2*meters, ..., total.
	bounds := []float64{0}
	if meters > 0 && !math.IsInf(meters, 1) {
		n := math.Floor(total / meters)
		if total-n*meters < meters/2 {
			n-- // merge a short tail (or an empty one) into the last full stretch
		}
		for k := 1.0; k <= n; k++ {
			bounds = append(bounds, k*meters)
		}
	}
	bounds = append(bounds, total)

	pos := make([]position, len(bounds))
	for i, d := range bounds {
		pos[i] = interpolate(line, cum, d)
	}
	out := make([]Stretch, 0, len(bounds)-1)
	for i := 1; i < len(bounds); i++ {
		out = append(out, Stretch{
			Line: subLine(line, pos[i-1], pos[i]),
			From: bounds[i-1],
			To:   bounds[i],
		})
	}
	return out
}

// subLine returns the part of line from position a to position b (a before b).
func subLine(line orb.LineString, a, b position) orb.LineString {
	ls := make(orb.LineString, 0, b.Seg-a.Seg+2)
	add := func(p orb.Point) {
		if len(ls) == 0 || ls[len(ls)-1] != p {
			ls = append(ls, p)
		}
	}
	add(a.Point)
	for k := a.Seg + 1; k <= b.Seg; k++ {
		add(line[k])
	}
	add(b.Point)
	if len(ls) == 1 { // zero-length stretch: keep it a valid LineString
		ls = append(ls, ls[0])
	}
	return ls
}
