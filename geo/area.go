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
	inside := false
	best := math.Inf(1)
	for i, ring := range poly {
		pts := make([]xy, len(ring))
		for j, q := range ring {
			pts[j] = l.xy(q)
		}
		switch in := inPolygon(here, pts); {
		case i == 0:
			inside = in
		case in: // inside a hole
			inside = false
		}
		for j := 1; j < len(pts); j++ {
			best = math.Min(best, segDist2(here, pts[j-1], pts[j]))
		}
	}
	if inside {
		return 0
	}
	return math.Sqrt(best)
}
