package cql2

import (
	"testing"

	"github.com/paulmach/orb"
)

// square is 0..10 × 0..10 degrees with a hole 4..6 × 4..6.
var square = orb.Polygon{
	{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}},
	{{4, 4}, {6, 4}, {6, 6}, {4, 6}, {4, 4}},
}

func TestIntersects(t *testing.T) {
	cases := []struct {
		name string
		a, b orb.Geometry
		want bool
	}{
		{"same point", orb.Point{1, 2}, orb.Point{1, 2}, true},
		{"other point", orb.Point{1, 2}, orb.Point{1, 2.0000001}, false},
		{"point in polygon", orb.Point{2, 2}, square, true},
		{"point in hole", orb.Point{5, 5}, square, false},
		{"point on outer ring", orb.Point{10, 5}, square, true},
		{"point on a corner", orb.Point{10, 10}, square, true},
		{"point on hole ring", orb.Point{4, 5}, square, true},
		{"point outside", orb.Point{11, 5}, square, false},
		{"point on line", orb.Point{1, 1}, orb.LineString{{0, 0}, {2, 2}}, true},
		{"point off line", orb.Point{1, 1.1}, orb.LineString{{0, 0}, {2, 2}}, false},
		{"point beyond line end", orb.Point{3, 3}, orb.LineString{{0, 0}, {2, 2}}, false},
		{"lines cross", orb.LineString{{0, 0}, {2, 2}}, orb.LineString{{0, 2}, {2, 0}}, true},
		{"lines touch at an end", orb.LineString{{0, 0}, {1, 1}}, orb.LineString{{1, 1}, {2, 0}}, true},
		{"collinear lines overlap", orb.LineString{{0, 0}, {2, 0}}, orb.LineString{{1, 0}, {3, 0}}, true},
		{"collinear lines apart", orb.LineString{{0, 0}, {1, 0}}, orb.LineString{{2, 0}, {3, 0}}, false},
		{"parallel lines", orb.LineString{{0, 0}, {2, 0}}, orb.LineString{{0, 1}, {2, 1}}, false},
		{"line across polygon, no vertex inside", orb.LineString{{-1, 5}, {11, 5}}, square, true},
		{"line inside polygon", orb.LineString{{1, 1}, {2, 2}}, square, true},
		{"line inside hole", orb.LineString{{4.5, 5}, {5.5, 5}}, square, false},
		{"line touching a corner", orb.LineString{{10, 10}, {12, 12}}, square, true},
		{"line outside", orb.LineString{{11, 0}, {11, 10}}, square, false},
		{"polygons overlap", orb.Polygon{{{8, 8}, {12, 8}, {12, 12}, {8, 12}, {8, 8}}}, square, true},
		{"polygon inside polygon", orb.Polygon{{{1, 1}, {2, 1}, {2, 2}, {1, 1}}}, square, true},
		{"polygon around polygon", square, orb.Polygon{{{1, 1}, {2, 1}, {2, 2}, {1, 1}}}, true},
		{"polygon containing polygon", orb.Polygon{{{-1, -1}, {11, -1}, {11, 11}, {-1, 11}, {-1, -1}}}, square, true},
		{"polygon in hole", orb.Polygon{{{4.5, 4.5}, {5.5, 4.5}, {5.5, 5.5}, {4.5, 4.5}}}, square, false},
		{"polygons touch at an edge", orb.Polygon{{{10, 0}, {20, 0}, {20, 10}, {10, 0}}}, square, true},
		{"polygons apart", orb.Polygon{{{20, 20}, {21, 20}, {21, 21}, {20, 20}}}, square, false},
		{"unclosed ring is closed", orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 10}}}, orb.Point{0, 5}, true},
		{"bound and point", orb.Bound{Min: orb.Point{0, 40}, Max: orb.Point{10, 50}}, orb.Point{7.02, 49.92}, true},
		{"bound and line through it", orb.Bound{Min: orb.Point{0, 40}, Max: orb.Point{10, 50}}, orb.LineString{{-5, 45}, {15, 45}}, true},
		{"ring", orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 0}}, orb.Point{0.9, 0.5}, true},
		{"multipoint", orb.MultiPoint{{50, 50}, {5, 5}, {2, 2}}, square, true},
		{"multilinestring", orb.MultiLineString{{{20, 20}, {21, 21}}, {{1, 1}, {2, 1}}}, square, true},
		{"multipolygon", orb.MultiPolygon{{{{20, 20}, {21, 20}, {21, 21}, {20, 20}}}, square}, orb.Point{1, 1}, true},
		{"collection", orb.Collection{orb.Point{50, 50}, nil, orb.LineString{{1, 1}, {2, 2}}}, square, true},
		{"one-point line is a point", orb.LineString{{2, 2}}, square, true},
		{"empty collection", orb.Collection{}, square, false},
		{"empty polygon", orb.Polygon{}, orb.Point{0, 0}, false},
		{"polygon with empty ring", orb.Polygon{{}}, orb.Point{0, 0}, false},
		{"empty bound", orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{-1, -1}}, orb.Point{0, 0}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := intersects(c.a, c.b); got != c.want {
				t.Fatalf("intersects(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
			}
			if got := intersects(c.b, c.a); got != c.want {
				t.Fatalf("intersects(%v, %v) = %v, want %v (swapped)", c.b, c.a, got, c.want)
			}
		})
	}
}

// TestEvalIntersects runs S_INTERSECTS with POINT, POLYGON and BBOX literals
// against point, line and polygon records.
func TestEvalIntersects(t *testing.T) {
	at := func(g orb.Geometry) rec { return rec{geom: g} }
	const (
		squareWKT = "POLYGON((0 0,10 0,10 10,0 10,0 0),(4 4,6 4,6 6,4 6,4 4))"
		box       = "BBOX(0,40,10,50)"
		wrapped   = "BBOX(150,-90,-150,90)"
	)
	runEval(t, []evalCase{
		{"POINT, point record, equal", "S_INTERSECTS(geometry,POINT(7.02 49.92))", at(orb.Point{7.02, 49.92}), true},
		{"POINT, point record, apart", "S_INTERSECTS(geometry,POINT(7.02 49.92))", at(orb.Point{7.03, 49.92}), false},
		{"POINT, line record through it", "S_INTERSECTS(geometry,POINT(5 5))", at(orb.LineString{{0, 0}, {10, 10}}), true},
		{"POINT, line record missing it", "S_INTERSECTS(geometry,POINT(5 6))", at(orb.LineString{{0, 0}, {10, 10}}), false},
		{"POINT, polygon record", "S_INTERSECTS(geometry,POINT(2 2))", at(square), true},
		{"POINT, polygon record, in hole", "S_INTERSECTS(geometry,POINT(5 5))", at(square), false},
		{"POINT first", "S_INTERSECTS(POINT(2 2),geometry)", at(square), true},

		{"POLYGON, point record inside", "S_INTERSECTS(geometry," + squareWKT + ")", at(orb.Point{1, 9}), true},
		{"POLYGON, point record in hole", "S_INTERSECTS(geometry," + squareWKT + ")", at(orb.Point{5, 5}), false},
		{"POLYGON, point record on edge", "S_INTERSECTS(geometry," + squareWKT + ")", at(orb.Point{0, 3}), true},
		{"POLYGON, line record crossing", "S_INTERSECTS(geometry," + squareWKT + ")", at(orb.LineString{{-5, 5}, {15, 5}}), true},
		{"POLYGON, line record in hole", "S_INTERSECTS(geometry," + squareWKT + ")", at(orb.LineString{{4.5, 5}, {5.5, 5}}), false},
		{"POLYGON, line record outside", "S_INTERSECTS(geometry," + squareWKT + ")", at(orb.LineString{{-5, -5}, {-1, 5}}), false},
		{"POLYGON, polygon record overlapping", "S_INTERSECTS(geometry," + squareWKT + ")", at(orb.Polygon{{{9, 9}, {12, 9}, {12, 12}, {9, 9}}}), true},
		{"POLYGON, polygon record around it", "S_INTERSECTS(geometry," + squareWKT + ")", at(orb.Polygon{{{-1, -1}, {11, -1}, {11, 11}, {-1, -1}}}), true},
		{"POLYGON, polygon record in hole", "S_INTERSECTS(geometry," + squareWKT + ")", at(orb.Polygon{{{4.5, 4.5}, {5.5, 4.5}, {5.5, 5.5}, {4.5, 4.5}}}), false},

		{"BBOX, point record inside", "S_INTERSECTS(geometry," + box + ")", at(orb.Point{6.13, 49.61}), true},
		{"BBOX, point record on edge", "S_INTERSECTS(geometry," + box + ")", at(orb.Point{10, 45}), true},
		{"BBOX, point record outside", "S_INTERSECTS(geometry," + box + ")", at(orb.Point{7.02, 50.1}), false},
		{"BBOX, line record crossing, no vertex inside", "S_INTERSECTS(geometry," + box + ")", at(orb.LineString{{-5, 45}, {15, 45}}), true},
		{"BBOX, line record outside", "S_INTERSECTS(geometry," + box + ")", at(orb.LineString{{-5, 35}, {15, 39}}), false},
		{"BBOX, polygon record around it", "S_INTERSECTS(geometry," + box + ")", at(orb.Polygon{{{-10, 30}, {20, 30}, {20, 60}, {-10, 60}, {-10, 30}}}), true},
		{"BBOX, polygon record inside it", "S_INTERSECTS(geometry," + box + ")", at(orb.Polygon{{{1, 41}, {2, 41}, {2, 42}, {1, 41}}}), true},
		{"BBOX, polygon record apart", "S_INTERSECTS(geometry," + box + ")", at(orb.Polygon{{{11, 41}, {12, 41}, {12, 42}, {11, 41}}}), false},
		{"BBOX with heights", "S_INTERSECTS(geometry,BBOX(0,40,-100,10,50,100))", at(orb.Point{5, 45}), true},
		{"BBOX, multipolygon record", "S_INTERSECTS(geometry," + box + ")", at(orb.MultiPolygon{{{{20, 20}, {21, 20}, {21, 21}, {20, 20}}}, {{{5, 45}, {6, 45}, {6, 46}, {5, 45}}}}), true},

		// A west edge east of the east edge crosses the antimeridian.
		{"wrapped BBOX, east of 150", "S_INTERSECTS(geometry," + wrapped + ")", at(orb.Point{170, 0}), true},
		{"wrapped BBOX, west of -150", "S_INTERSECTS(geometry," + wrapped + ")", at(orb.Point{-170, 0}), true},
		{"wrapped BBOX, on its west edge", "S_INTERSECTS(geometry," + wrapped + ")", at(orb.Point{150, 0}), true},
		{"wrapped BBOX, Greenwich", "S_INTERSECTS(geometry," + wrapped + ")", at(orb.Point{0, 0}), false},
		{"wrapped BBOX, line record outside", "S_INTERSECTS(geometry," + wrapped + ")", at(orb.LineString{{140, 0}, {145, 5}}), false},
		{"wrapped BBOX, polygon record", "S_INTERSECTS(geometry," + wrapped + ")", at(orb.Polygon{{{-160, 0}, {-155, 0}, {-155, 5}, {-160, 0}}}), true},

		{"other WKT types", "S_INTERSECTS(geometry, MULTILINESTRING((20 20,21 21),(0 45,1 45)))", at(orb.Bound{Min: orb.Point{0, 40}, Max: orb.Point{10, 50}}), true},
		{"geometry collection", "S_INTERSECTS(geometry, GEOMETRYCOLLECTION(POINT(50 50), POLYGON((1 1,2 1,2 2,1 1))))", at(square), true},
		{"literal against literal", "S_INTERSECTS(POINT(1 1), BBOX(0,0,2,2))", rec{}, true},
		{"any property name means the geometry", "S_INTERSECTS(footprint, POINT(2 2))", at(square), true},
	})
}
