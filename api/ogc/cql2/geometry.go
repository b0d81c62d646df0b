package cql2

import (
	"strings"

	"github.com/paulmach/orb"
)

// spatialArg is an argument of S_INTERSECTS: a property, which stands for the
// record's geometry, or a geometry literal.
type spatialArg interface {
	write(b *strings.Builder)
	geometry(r Record) orb.Geometry
}

// wktLit is a WKT geometry literal (BNF rule spatialInstance, less BBOX).
// Z coordinates are read and dropped.
type wktLit struct{ g orb.Geometry }

// bboxLit is BBOX(west, south, [minz,] east, north [, maxz]). A west edge
// east of the east edge crosses the antimeridian, so g is then two boxes.
type bboxLit struct {
	nums []float64 // as written: 4 or 6 numbers
	g    orb.Geometry
}

func (p *property) geometry(r Record) orb.Geometry { return r.Geometry() }
func (l *wktLit) geometry(Record) orb.Geometry     { return l.g }
func (l *bboxLit) geometry(Record) orb.Geometry    { return l.g }

func (l *wktLit) write(b *strings.Builder) { writeWKT(b, l.g) }

func (l *bboxLit) write(b *strings.Builder) {
	b.WriteString("BBOX(")
	for i, n := range l.nums {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(formatNumber(n))
	}
	b.WriteByte(')')
}

// parseIntersects reads S_INTERSECTS(a, b).
func (p *parser) parseIntersects() (Expr, error) {
	fn := p.next()
	p.next() // '(', checked by the caller
	a, err := p.parseSpatialArg()
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(tComma, "',' between the arguments of S_INTERSECTS"); err != nil {
		return nil, err
	}
	b, err := p.parseSpatialArg()
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(tRParen, "')' to close S_INTERSECTS("); err != nil {
		return nil, err
	}
	_, ap := a.(*property)
	_, bp := b.(*property)
	if ap && bp {
		return nil, p.fail(fn, "S_INTERSECTS of two properties is not supported; give a geometry literal such as POINT(…) or BBOX(…)")
	}
	return &intersectsExpr{a: a, b: b}, nil
}

// parseSpatialArg reads a geometry property name, a WKT literal or a BBOX.
func (p *parser) parseSpatialArg() (spatialArg, error) {
	const what = "a geometry property, a WKT geometry or BBOX(…) in S_INTERSECTS"
	t := p.peek()
	switch t.kind {
	case tQuoted:
		p.next()
		return &property{name: t.val}, nil
	case tIdent:
	default:
		return nil, p.fail(t, "expected %s, found %s", what, t.describe())
	}
	kw := upper(t.text)
	n := p.peekAt(1)
	switch {
	case kw == "BBOX" && n.kind == tLParen:
		return p.parseBBox()
	case isGeometryTag(kw) && (n.kind == tLParen || is(n, "Z") || is(n, "EMPTY")):
		p.next()
		g, err := p.parseTagged(kw)
		if err != nil {
			return nil, err
		}
		return &wktLit{g: g}, nil
	case kw == "ENVELOPE" && n.kind == tLParen:
		return nil, p.fail(t, "ENVELOPE is from a draft of CQL2; write BBOX(west,south,east,north)")
	case isOperator(kw):
		return nil, p.fail(t, "expected %s, found %s", what, t.describe())
	case n.kind == tLParen:
		return nil, p.fail(t, "function %s() is not supported", t.text)
	}
	p.next()
	return &property{name: t.text}, nil
}

// parseTagged reads the text after a WKT tag (kw, already consumed): an
// optional Z, then the coordinates.
func (p *parser) parseTagged(kw string) (orb.Geometry, error) {
	if is(p.peek(), "Z") {
		p.next()
	}
	if t := p.peek(); is(t, "EMPTY") {
		return nil, p.fail(t, "EMPTY geometries are not supported")
	}
	switch kw {
	case "POINT":
		return p.pointText()
	case "LINESTRING":
		return p.lineText(kw)
	case "POLYGON":
		return p.polygonText()
	case "MULTIPOINT":
		var mp orb.MultiPoint
		err := p.list("MULTIPOINT", func() error {
			// The BNF wants (x y) for each point; plain x y, which older
			// WKT writers emit, is accepted too.
			read := p.pointText
			if p.peek().kind == tNumber {
				read = p.point
			}
			pt, err := read()
			mp = append(mp, pt)
			return err
		})
		return mp, err
	case "MULTILINESTRING":
		var ml orb.MultiLineString
		err := p.list(kw, func() error {
			ls, err := p.lineText(kw)
			ml = append(ml, ls)
			return err
		})
		return ml, err
	case "MULTIPOLYGON":
		var mp orb.MultiPolygon
		err := p.list(kw, func() error {
			pg, err := p.polygonText()
			mp = append(mp, pg)
			return err
		})
		return mp, err
	}
	var c orb.Collection // GEOMETRYCOLLECTION
	err := p.list(kw, func() error {
		t := p.peek()
		tag := upper(t.text)
		if t.kind != tIdent || !isGeometryTag(tag) || tag == "GEOMETRYCOLLECTION" {
			return p.fail(t, "expected a POINT, LINESTRING, POLYGON or MULTI… geometry in GEOMETRYCOLLECTION, found %s", t.describe())
		}
		p.next()
		g, err := p.parseTagged(tag)
		c = append(c, g)
		return err
	})
	return c, err
}

// list reads "(" item {"," item} ")" for the WKT type kw.
func (p *parser) list(kw string, item func() error) error {
	if _, err := p.expect(tLParen, "'(' to open "+kw); err != nil {
		return err
	}
	for {
		if err := item(); err != nil {
			return err
		}
		if p.peek().kind != tComma {
			break
		}
		p.next()
	}
	_, err := p.expect(tRParen, "',' or ')' in "+kw)
	return err
}

// pointText reads "(" x y [z] ")".
func (p *parser) pointText() (orb.Point, error) {
	if _, err := p.expect(tLParen, "'(' before the coordinates of a point"); err != nil {
		return orb.Point{}, err
	}
	pt, err := p.point()
	if err != nil {
		return pt, err
	}
	_, err = p.expect(tRParen, "')' after the coordinates of a point")
	return pt, err
}

// point reads x y [z]: longitude and latitude in degrees, checked to lie in
// [-180, 180] and [-90, 90], and a height that is dropped.
func (p *parser) point() (orb.Point, error) {
	var pt orb.Point
	for i, axis := range [...]string{"longitude", "latitude"} {
		t, err := p.expect(tNumber, "a "+axis+" (a number)")
		if err != nil {
			return pt, err
		}
		if pt[i], err = p.coordinate(t, axis); err != nil {
			return pt, err
		}
	}
	if p.peek().kind == tNumber {
		p.next() // z
	}
	return pt, nil
}

// coordinate reads a longitude or latitude in degrees from t.
func (p *parser) coordinate(t token, axis string) (float64, error) {
	n, err := p.number(t)
	if err != nil {
		return 0, err
	}
	limit := 180.0
	if axis == "latitude" {
		limit = 90
	}
	if n < -limit || n > limit {
		return 0, p.fail(t, "%s %s is outside [%g, %g]; coordinates are longitude and latitude in degrees (CRS84)", axis, t.text, -limit, limit)
	}
	return n, nil
}

// lineText reads "(" point "," point {"," point} ")".
func (p *parser) lineText(kw string) (orb.LineString, error) {
	start := p.peek()
	var ls orb.LineString
	err := p.list(kw, func() error {
		pt, err := p.point()
		ls = append(ls, pt)
		return err
	})
	if err == nil && len(ls) < 2 {
		err = p.fail(start, "a line needs at least 2 points, found %d", len(ls))
	}
	return ls, err
}

// polygonText reads "(" ring {"," ring} ")", each ring having at least four
// points (BNF rule linearRingText).
func (p *parser) polygonText() (orb.Polygon, error) {
	var pg orb.Polygon
	err := p.list("POLYGON", func() error {
		start := p.peek()
		var r orb.Ring
		err := p.list("a polygon ring", func() error {
			pt, err := p.point()
			r = append(r, pt)
			return err
		})
		if err == nil && len(r) < 4 {
			err = p.fail(start, "a polygon ring needs at least 4 points (the last repeating the first), found %d", len(r))
		}
		pg = append(pg, r)
		return err
	})
	return pg, err
}

// parseBBox reads BBOX(west,south,east,north) or
// BBOX(west,south,minz,east,north,maxz).
func (p *parser) parseBBox() (spatialArg, error) {
	start := p.next()
	var toks []token
	err := p.list("BBOX", func() error {
		t, err := p.expect(tNumber, "a number in BBOX")
		toks = append(toks, t)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(toks) != 4 && len(toks) != 6 {
		return nil, p.fail(start, "BBOX needs 4 numbers (west,south,east,north) or 6 (west,south,minz,east,north,maxz), found %d", len(toks))
	}
	xy := toks
	if len(toks) == 6 {
		xy = []token{toks[0], toks[1], toks[3], toks[4]}
	}
	var c [4]float64
	for i, t := range xy {
		axis := [...]string{"longitude", "latitude"}[i%2]
		if c[i], err = p.coordinate(t, axis); err != nil {
			return nil, err
		}
	}
	l := &bboxLit{}
	for _, t := range toks {
		n, err := p.number(t)
		if err != nil {
			return nil, err
		}
		l.nums = append(l.nums, n)
	}
	west, south, east, north := c[0], c[1], c[2], c[3]
	if south > north {
		return nil, p.fail(start, "BBOX south edge %s is north of its north edge %s", xy[1].text, xy[3].text)
	}
	if west <= east {
		l.g = orb.Bound{Min: orb.Point{west, south}, Max: orb.Point{east, north}}
	} else {
		l.g = orb.MultiPolygon{
			orb.Bound{Min: orb.Point{west, south}, Max: orb.Point{180, north}}.ToPolygon(),
			orb.Bound{Min: orb.Point{-180, south}, Max: orb.Point{east, north}}.ToPolygon(),
		}
	}
	return l, nil
}

// writeWKT writes g as WKT in the form parseTagged reads.
func writeWKT(b *strings.Builder, g orb.Geometry) {
	switch g := g.(type) {
	case orb.Point:
		b.WriteString("POINT(")
		writePoint(b, g)
		b.WriteByte(')')
	case orb.LineString:
		b.WriteString("LINESTRING")
		writePoints(b, g)
	case orb.Polygon:
		b.WriteString("POLYGON")
		writeRings(b, g)
	case orb.MultiPoint:
		b.WriteString("MULTIPOINT(")
		for i, pt := range g {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('(')
			writePoint(b, pt)
			b.WriteByte(')')
		}
		b.WriteByte(')')
	case orb.MultiLineString:
		b.WriteString("MULTILINESTRING(")
		for i, ls := range g {
			if i > 0 {
				b.WriteByte(',')
			}
			writePoints(b, ls)
		}
		b.WriteByte(')')
	case orb.MultiPolygon:
		b.WriteString("MULTIPOLYGON(")
		for i, pg := range g {
			if i > 0 {
				b.WriteByte(',')
			}
			writeRings(b, pg)
		}
		b.WriteByte(')')
	case orb.Collection:
		b.WriteString("GEOMETRYCOLLECTION(")
		for i, m := range g {
			if i > 0 {
				b.WriteByte(',')
			}
			writeWKT(b, m)
		}
		b.WriteByte(')')
	}
}

func writePoint(b *strings.Builder, pt orb.Point) {
	b.WriteString(formatNumber(pt[0]))
	b.WriteByte(' ')
	b.WriteString(formatNumber(pt[1]))
}

func writePoints(b *strings.Builder, pts []orb.Point) {
	b.WriteByte('(')
	for i, pt := range pts {
		if i > 0 {
			b.WriteByte(',')
		}
		writePoint(b, pt)
	}
	b.WriteByte(')')
}

func writeRings(b *strings.Builder, pg orb.Polygon) {
	b.WriteByte('(')
	for i, r := range pg {
		if i > 0 {
			b.WriteByte(',')
		}
		writePoints(b, r)
	}
	b.WriteByte(')')
}
