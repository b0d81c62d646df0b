package cql2

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// intersects reports whether a and b share at least one point, boundaries
// included (the DE-9IM intersects of 21-065r2, Spatial Functions). It is
// planar: edges are straight lines in longitude/latitude degrees.
func intersects(a, b orb.Geometry) bool {
	if !a.Bound().Intersects(b.Bound()) {
		return false
	}
	var pa, pb parts
	pa.add(a)
	pb.add(b)
	return pa.intersects(&pb)
}

// parts is a geometry taken apart into points, lines and polygons.
type parts struct {
	points []orb.Point
	lines  []orb.LineString
	polys  []orb.Polygon
}

func (s *parts) add(g orb.Geometry) {
	switch g := g.(type) {
	case orb.Point:
		s.points = append(s.points, g)
	case orb.MultiPoint:
		s.points = append(s.points, g...)
	case orb.LineString:
		s.addLine(g)
	case orb.MultiLineString:
		for _, ls := range g {
			s.addLine(ls)
		}
	case orb.Ring:
		s.addPolygon(orb.Polygon{g})
	case orb.Polygon:
		s.addPolygon(g)
	case orb.MultiPolygon:
		for _, pg := range g {
			s.addPolygon(pg)
		}
	case orb.Bound:
		if !g.IsEmpty() {
			s.addPolygon(g.ToPolygon())
		}
	case orb.Collection:
		for _, m := range g {
			if m != nil {
				s.add(m)
			}
		}
	}
}

func (s *parts) addLine(ls orb.LineString) {
	switch len(ls) {
	case 0:
	case 1:
		s.points = append(s.points, ls[0])
	default:
		s.lines = append(s.lines, ls)
	}
}

// addPolygon adds pg without its empty rings; a polygon without an outer ring
// is nothing.
func (s *parts) addPolygon(pg orb.Polygon) {
	if len(pg) == 0 || len(pg[0]) == 0 {
		return
	}
	clean := orb.Polygon{pg[0]}
	for _, r := range pg[1:] {
		if len(r) > 0 {
			clean = append(clean, r)
		}
	}
	s.polys = append(s.polys, clean)
}

func (s *parts) intersects(o *parts) bool {
	for _, pt := range s.points {
		if o.touches(pt) {
			return true
		}
	}
	for _, pt := range o.points {
		if s.touches(pt) {
			return true
		}
	}
	for _, ls := range s.lines {
		for _, ol := range o.lines {
			if linesCross(ls, ol) {
				return true
			}
		}
		for _, pg := range o.polys {
			if lineMeetsPolygon(ls, pg) {
				return true
			}
		}
	}
	for _, ol := range o.lines {
		for _, pg := range s.polys {
			if lineMeetsPolygon(ol, pg) {
				return true
			}
		}
	}
	for _, pg := range s.polys {
		for _, op := range o.polys {
			if polygonsMeet(pg, op) {
				return true
			}
		}
	}
	return false
}

// touches reports whether pt lies on any of s's points, lines or polygons.
func (s *parts) touches(pt orb.Point) bool {
	for _, q := range s.points {
		if q == pt {
			return true
		}
	}
	for _, ls := range s.lines {
		if onPath(ls, false, pt) {
			return true
		}
	}
	for _, pg := range s.polys {
		if inPolygon(pg, pt) {
			return true
		}
	}
	return false
}

// inPolygon reports whether pt is inside pg or on any of its rings.
// planar.PolygonContains counts the boundary of a hole as outside, so rings
// are checked first.
func inPolygon(pg orb.Polygon, pt orb.Point) bool {
	if !pg.Bound().Contains(pt) {
		return false
	}
	for _, r := range pg {
		if onPath(r, true, pt) {
			return true
		}
	}
	return planar.PolygonContains(pg, pt)
}

// onPath reports whether pt lies on the path through pts, closed back to its
// start when closed is set.
func onPath(pts []orb.Point, closed bool, pt orb.Point) bool {
	found := false
	eachSegment(pts, closed, func(a, b orb.Point) bool {
		found = orient(a, b, pt) == 0 && inBox(a, b, pt)
		return found
	})
	return found
}

// linesCross reports whether two paths share a point.
func linesCross(a, b []orb.Point) bool {
	return pathsCross(a, false, b, false)
}

// lineMeetsPolygon reports whether ls crosses or touches a ring of pg, or
// lies inside it.
func lineMeetsPolygon(ls orb.LineString, pg orb.Polygon) bool {
	if !ls.Bound().Intersects(pg.Bound()) {
		return false
	}
	for _, r := range pg {
		if pathsCross(ls, false, r, true) {
			return true
		}
	}
	// No edge meets a ring, so the line is wholly inside or wholly outside.
	return planar.PolygonContains(pg, ls[0])
}

// polygonsMeet reports whether the polygons' rings cross or touch, or one
// lies inside the other.
func polygonsMeet(a, b orb.Polygon) bool {
	if !a.Bound().Intersects(b.Bound()) {
		return false
	}
	for _, ra := range a {
		for _, rb := range b {
			if pathsCross(ra, true, rb, true) {
				return true
			}
		}
	}
	// No rings meet: either one is inside the other (not in a hole) or
	// they are apart.
	return planar.PolygonContains(b, a[0][0]) || planar.PolygonContains(a, b[0][0])
}

// pathsCross reports whether any segment of path a meets any segment of b.
func pathsCross(a []orb.Point, aClosed bool, b []orb.Point, bClosed bool) bool {
	found := false
	eachSegment(a, aClosed, func(p1, p2 orb.Point) bool {
		sb := orb.MultiPoint{p1, p2}.Bound()
		eachSegment(b, bClosed, func(q1, q2 orb.Point) bool {
			found = sb.Intersects(orb.MultiPoint{q1, q2}.Bound()) && segmentsMeet(p1, p2, q1, q2)
			return found
		})
		return found
	})
	return found
}

// eachSegment calls f for each segment of the path through pts, and for the
// closing segment when closed is set and the path does not end at its start;
// a one-point path is a zero-length segment. It stops when f returns true.
func eachSegment(pts []orb.Point, closed bool, f func(a, b orb.Point) bool) {
	switch len(pts) {
	case 0:
		return
	case 1:
		f(pts[0], pts[0])
		return
	}
	for i := 1; i < len(pts); i++ {
		if f(pts[i-1], pts[i]) {
			return
		}
	}
	if closed && pts[0] != pts[len(pts)-1] {
		f(pts[len(pts)-1], pts[0])
	}
}

// segmentsMeet reports whether segments p1p2 and q1q2 share a point,
// touching and collinear overlap included.
func segmentsMeet(p1, p2, q1, q2 orb.Point) bool {
	d1, d2 := orient(q1, q2, p1), orient(q1, q2, p2)
	d3, d4 := orient(p1, p2, q1), orient(p1, p2, q2)
	if d1*d2 < 0 && d3*d4 < 0 {
		return true
	}
	return d1 == 0 && inBox(q1, q2, p1) ||
		d2 == 0 && inBox(q1, q2, p2) ||
		d3 == 0 && inBox(p1, p2, q1) ||
		d4 == 0 && inBox(p1, p2, q2)
}

// orient returns the sign of the turn a→b→c: +1 left, -1 right, 0 collinear.
func orient(a, b, c orb.Point) int {
	v := (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// inBox reports whether c lies in the box spanned by a and b; for a point
// known to be collinear with ab, that means on the segment.
func inBox(a, b, c orb.Point) bool {
	return min(a[0], b[0]) <= c[0] && c[0] <= max(a[0], b[0]) &&
		min(a[1], b[1]) <= c[1] && c[1] <= max(a[1], b[1])
}
