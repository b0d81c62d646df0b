package geo

import (
	"math"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// Length returns the spherical (haversine) length of a WGS-84 line in meters.
// A line with fewer than two points has length 0.
func Length(line orb.LineString) float64 {
	var sum float64
	for i := 1; i < len(line); i++ {
		sum += orbgeo.DistanceHaversine(line[i-1], line[i])
	}
	return sum
}

// Locate projects the WGS-84 point p onto line and returns the spherical
// distance along the line from its first point to the foot of the
// perpendicular (meters) and the spherical distance from p to that foot
// (meters). The foot is the nearest point of the line; it is found in a local
// equirectangular projection centred on p, which is exact to well under a
// meter for the short segments of street centrelines. For a one-point line
// the foot is that point; for an empty line Locate returns (0, +Inf).
func Locate(line orb.LineString, p orb.Point) (along, offset float64) {
	switch len(line) {
	case 0:
		return 0, math.Inf(1)
	case 1:
		return 0, orbgeo.DistanceHaversine(p, line[0])
	}
	pr := newLocal(p)
	best, bestSeg, bestT := math.Inf(1), 0, 0.0
	a := pr.xy(line[0])
	for i := 1; i < len(line); i++ {
		b := pr.xy(line[i])
		t := footT(xy{}, a, b)
		if d := dist2(xy{}, lerpXY(a, b, t)); d < best {
			best, bestSeg, bestT = d, i-1, t
		}
		a = b
	}
	foot := pointAt(line[bestSeg], line[bestSeg+1], bestT)
	along = Length(line[:bestSeg+1]) + orbgeo.DistanceHaversine(line[bestSeg], foot)
	return along, orbgeo.DistanceHaversine(p, foot)
}

// pointAt returns the point at fraction t (0..1) of the straight segment a-b
// in longitude, latitude; it returns a or b themselves at the ends, so cut
// points at vertices are exactly the vertices.
func pointAt(a, b orb.Point, t float64) orb.Point {
	switch {
	case t <= 0:
		return a
	case t >= 1:
		return b
	}
	return orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
}

// cumulative returns the spherical distance in meters from the first point
// of line to each of its points.
func cumulative(line orb.LineString) []float64 {
	cum := make([]float64, len(line))
	for i := 1; i < len(line); i++ {
		cum[i] = cum[i-1] + orbgeo.DistanceHaversine(line[i-1], line[i])
	}
	return cum
}

// position is a point at a distance along a line: the point, and the index
// of the segment (line[Seg], line[Seg+1]) it lies on.
type position struct {
	Point orb.Point
	Seg   int
}

// interpolate returns the point at d meters along line, where cum is
// cumulative(line) and len(line) >= 2. d is clamped to the line. The point
// lies on the line: it is interpolated linearly in longitude, latitude within
// its segment, at the fraction of that segment's spherical length.
func interpolate(line orb.LineString, cum []float64, d float64) position {
	n := len(line)
	if d <= 0 {
		return position{line[0], 0}
	}
	if d >= cum[n-1] {
		return position{line[n-1], n - 2}
	}
	// Largest i with cum[i] <= d, at most n-2.
	lo, hi := 0, n-1
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if cum[mid] <= d {
			lo = mid
		} else {
			hi = mid
		}
	}
	seg := cum[lo+1] - cum[lo]
	if seg <= 0 {
		return position{line[lo], lo}
	}
	return position{pointAt(line[lo], line[lo+1], (d-cum[lo])/seg), lo}
}

// PointAlong returns the point d meters along line (spherical lengths),
// clamped to its ends; the line's single point, or the zero point for an
// empty line.
func PointAlong(line orb.LineString, d float64) orb.Point {
	switch len(line) {
	case 0:
		return orb.Point{}
	case 1:
		return line[0]
	}
	return interpolate(line, cumulative(line), d).Point
}

// Junction returns where two WGS-84 lines come closest: the distances along
// a and along b (meters from each line's first point) of the nearest pair of
// points, and the distance between them (0 where they cross). Distances are
// measured in a local equirectangular projection around a's first point, as
// good as Locate's at street scale; lines without points give +Inf.
func Junction(a, b orb.LineString) (alongA, alongB, gap float64) {
	if len(a) == 0 || len(b) == 0 {
		return 0, 0, math.Inf(1)
	}
	pr := newLocal(a[0])
	pa, pb := make([]xy, len(a)), make([]xy, len(b))
	for i, p := range a {
		pa[i] = pr.xy(p)
	}
	for i, p := range b {
		pb[i] = pr.xy(p)
	}
	best := math.Inf(1)
	var atA, atB xy
	consider := func(p, q xy) {
		if d := dist2(p, q); d < best {
			best, atA, atB = d, p, q
		}
	}
	for i := 0; i+1 < len(pa) || i == 0; i++ {
		for j := 0; j+1 < len(pb) || j == 0; j++ {
			p1, p2, q1, q2 := pa[i], pa[min(i+1, len(pa)-1)], pb[j], pb[min(j+1, len(pb)-1)]
			if segsIntersect(p1, p2, q1, q2) && cross(p1, p2, q1) != cross(p1, p2, q2) {
				t := cross(q1, q2, p1) / (cross(q1, q2, p1) - cross(q1, q2, p2))
				x := lerpXY(p1, p2, t)
				consider(x, x)
				continue
			}
			for _, p := range []xy{p1, p2} {
				consider(p, lerpXY(q1, q2, footT(p, q1, q2)))
			}
			for _, q := range []xy{q1, q2} {
				consider(lerpXY(p1, p2, footT(q, p1, p2)), q)
			}
		}
	}
	back := func(p xy) orb.Point { return orb.Point{a[0][0] + p.X/pr.kx, a[0][1] + p.Y/pr.ky} }
	alongA, _ = Locate(a, back(atA))
	alongB, _ = Locate(b, back(atB))
	return alongA, alongB, math.Sqrt(best)
}

// Corridor returns a polygon (WGS-84) of the points within about meters of
// the line: its two sides offset by meters (the corners joined by the
// bisector of the two directions, which is close enough for the gentle
// bends of streets) and a half-circle of 8 steps round each end. It is
// computed in a local equirectangular projection around the line's first
// point. A line of fewer than two distinct points, or meters ≤ 0, gives nil.
func Corridor(line orb.LineString, meters float64) orb.Polygon {
	if len(line) < 2 || !(meters > 0) {
		return nil
	}
	pr := newLocal(line[0])
	var pts []xy
	for _, p := range line {
		q := pr.xy(p)
		if len(pts) == 0 || dist2(pts[len(pts)-1], q) > 1e-6 {
			pts = append(pts, q)
		}
	}
	if len(pts) < 2 {
		return nil
	}
	normal := func(a, b xy) xy { // left unit normal of a→b
		dx, dy := b.X-a.X, b.Y-a.Y
		l := math.Hypot(dx, dy)
		return xy{-dy / l, dx / l}
	}
	side := func(sign float64) []xy {
		out := make([]xy, len(pts))
		for i := range pts {
			var n xy
			switch {
			case i == 0:
				n = normal(pts[0], pts[1])
			case i == len(pts)-1:
				n = normal(pts[i-1], pts[i])
			default:
				n1, n2 := normal(pts[i-1], pts[i]), normal(pts[i], pts[i+1])
				n = xy{n1.X + n2.X, n1.Y + n2.Y}
				l := math.Hypot(n.X, n.Y)
				cos := (n1.X*n2.X + n1.Y*n2.Y + 1) / 2 // cos² of half the turn
				n = xy{n.X / l / math.Sqrt(math.Max(cos, 0.25)), n.Y / l / math.Sqrt(math.Max(cos, 0.25))}
			}
			out[i] = xy{pts[i].X + sign*meters*n.X, pts[i].Y + sign*meters*n.Y}
		}
		return out
	}
	cap := func(centre, from xy, steps int) []xy { // half-circle from `from` round centre, clockwise
		a0 := math.Atan2(from.Y-centre.Y, from.X-centre.X)
		var out []xy
		for k := 1; k < steps; k++ {
			a := a0 - math.Pi*float64(k)/float64(steps)
			out = append(out, xy{centre.X + meters*math.Cos(a), centre.Y + meters*math.Sin(a)})
		}
		return out
	}
	left, right := side(1), side(-1)
	var ring []xy
	ring = append(ring, left...)
	ring = append(ring, cap(pts[len(pts)-1], left[len(left)-1], 8)...)
	for i := len(right) - 1; i >= 0; i-- {
		ring = append(ring, right[i])
	}
	ring = append(ring, cap(pts[0], right[0], 8)...)
	out := make(orb.Ring, 0, len(ring)+1)
	for _, q := range ring {
		out = append(out, orb.Point{line[0][0] + q.X/pr.kx, line[0][1] + q.Y/pr.ky})
	}
	out = append(out, out[0])
	if orbgeoArea(out) < 0 { // counter-clockwise, as GeoJSON's right-hand rule asks
		out.Reverse()
	}
	return orb.Polygon{out}
}

// orbgeoArea is the signed planar area of a ring in degrees², positive
// when counter-clockwise.
func orbgeoArea(r orb.Ring) float64 {
	var s float64
	for i := 0; i+1 < len(r); i++ {
		s += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return s / 2
}
