package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// OutsideBy returns how far p lies outside the polygon, in meters: 0 inside
// (holes count as outside), else the planar distance to the nearest edge in a
// local projection around p. Good to a meter or so within a few kilometers,
// which is what a service-area check needs; WGS-84 in and out.
func OutsideBy(poly orb.Polygon, p orb.Point) float64 {
	if len(poly) == 0 {
		return math.Inf(1)
	}
	l := newLocal(p)
	here := l.xy(p)
	var buf [64]xy // most rings fit: no allocation
	inside := false
	for i, ring := range poly {
		switch in := inPolygon(here, l.ring(buf[:0], ring)); {
		case i == 0:
			inside = in
		case in: // inside a hole
			inside = false
		}
	}
	if inside {
		return 0
	}
	best := math.Inf(1)
	for _, ring := range poly {
		pts := l.ring(buf[:0], ring)
		for j := 1; j < len(pts); j++ {
			best = math.Min(best, segDist2(here, pts[j-1], pts[j]))
		}
	}
	return math.Sqrt(best)
}

// ring appends the points of r, projected, to dst.
func (l local) ring(dst []xy, r orb.Ring) []xy {
	for _, q := range r {
		dst = append(dst, l.xy(q))
	}
	return dst
}
