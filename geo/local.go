package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// local is an equirectangular projection to meters east and north of an
// origin, on the sphere of radius orb.EarthRadius. Over the few hundred
// meters it is used for here its scale error is far below a meter.
type local struct {
	lon0, lat0 float64
	kx, ky     float64 // meters per degree of longitude and latitude
}

type xy struct{ X, Y float64 }

func newLocal(origin orb.Point) local {
	ky := orb.EarthRadius * math.Pi / 180
	return local{lon0: origin[0], lat0: origin[1], kx: ky * math.Cos(origin[1]*math.Pi/180), ky: ky}
}

func (l local) xy(p orb.Point) xy {
	return xy{(p[0] - l.lon0) * l.kx, (p[1] - l.lat0) * l.ky}
}

func dist2(a, b xy) float64 {
	dx, dy := a.X-b.X, a.Y-b.Y
	return dx*dx + dy*dy
}

func lerpXY(a, b xy, t float64) xy {
	return xy{a.X + t*(b.X-a.X), a.Y + t*(b.Y-a.Y)}
}

// footT returns the fraction (0..1) along a-b of the point nearest p.
func footT(p, a, b xy) float64 {
	dx, dy := b.X-a.X, b.Y-a.Y
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return 0
	}
	t := ((p.X-a.X)*dx + (p.Y-a.Y)*dy) / l2
	return math.Max(0, math.Min(1, t))
}

// segDist2 returns the squared distance from p to the segment a-b.
func segDist2(p, a, b xy) float64 {
	return dist2(p, lerpXY(a, b, footT(p, a, b)))
}

// cross returns the z component of (b-a) x (c-a).
func cross(a, b, c xy) float64 {
	return (b.X-a.X)*(c.Y-a.Y) - (b.Y-a.Y)*(c.X-a.X)
}

// segsIntersect reports whether the closed segments p1-p2 and q1-q2 meet.
func segsIntersect(p1, p2, q1, q2 xy) bool {
	d1, d2 := cross(q1, q2, p1), cross(q1, q2, p2)
	d3, d4 := cross(p1, p2, q1), cross(p1, p2, q2)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		return true
	}
	on := func(a, b, c xy, d float64) bool { // c on segment a-b given collinear
		return d == 0 && math.Min(a.X, b.X) <= c.X && c.X <= math.Max(a.X, b.X) &&
			math.Min(a.Y, b.Y) <= c.Y && c.Y <= math.Max(a.Y, b.Y)
	}
	return on(q1, q2, p1, d1) || on(q1, q2, p2, d2) || on(p1, p2, q1, d3) || on(p1, p2, q2, d4)
}

// segSegDist2 returns the squared distance between segments p1-p2 and q1-q2.
func segSegDist2(p1, p2, q1, q2 xy) float64 {
	if segsIntersect(p1, p2, q1, q2) {
		return 0
	}
	return math.Min(math.Min(segDist2(p1, q1, q2), segDist2(p2, q1, q2)),
		math.Min(segDist2(q1, p1, p2), segDist2(q2, p1, p2)))
}

// inPolygon reports whether p lies inside the closed ring (even-odd rule).
func inPolygon(p xy, ring []xy) bool {
	in := false
	for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
		a, b := ring[i], ring[j]
		if (a.Y > p.Y) != (b.Y > p.Y) && p.X < (b.X-a.X)*(p.Y-a.Y)/(b.Y-a.Y)+a.X {
			in = !in
		}
	}
	return in
}
