package cql2

import "github.com/paulmach/orb"

// Prefilter is what a store can select by before a filter is evaluated,
// read from the filter's top-level AND terms: a property equal to a string
// literal, and the envelope of a geometry literal the geometry must
// intersect. Every record the filter matches passes it, so a store may
// apply it first; the filter must still be evaluated on what passes.
type Prefilter struct {
	Equal map[string]string // property = 'literal'
	Bound *orb.Bound        // S_INTERSECTS(geometry, literal): the literal's envelope
}

// Prefilters returns the prefilter of e.
func Prefilters(e Expr) Prefilter {
	terms := []Expr{e}
	if and, ok := e.(*andExpr); ok {
		terms = and.terms
	}
	var p Prefilter
	for _, t := range terms {
		switch t := t.(type) {
		case *compareExpr:
			name, s, ok := propertyEqualsString(t)
			if !ok {
				continue
			}
			if p.Equal == nil {
				p.Equal = map[string]string{}
			}
			if _, seen := p.Equal[name]; !seen {
				p.Equal[name] = s
			}
		case *intersectsExpr:
			g := literalGeometry(t.a)
			if g == nil {
				g = literalGeometry(t.b)
			}
			if g == nil {
				continue
			}
			b := g.Bound()
			if p.Bound != nil { // both must hold: a box whose min passes its max selects nothing
				b = orb.Bound{Min: orb.Point{max(b.Min[0], p.Bound.Min[0]), max(b.Min[1], p.Bound.Min[1])},
					Max: orb.Point{min(b.Max[0], p.Bound.Max[0]), min(b.Max[1], p.Bound.Max[1])}}
			}
			p.Bound = &b
		}
	}
	return p
}

// propertyEqualsString matches property = 'string' either way round.
func propertyEqualsString(c *compareExpr) (name, s string, ok bool) {
	if c.op != "=" {
		return "", "", false
	}
	prop, lit := c.l, c.r
	if _, isProp := prop.(*property); !isProp {
		prop, lit = lit, prop
	}
	p, ok1 := prop.(*property)
	l, ok2 := lit.(*literal)
	if !ok1 || !ok2 || l.v.kind != kindString {
		return "", "", false
	}
	return p.name, l.v.s, true
}

func literalGeometry(a spatialArg) orb.Geometry {
	switch l := a.(type) {
	case *wktLit:
		return l.g
	case *bboxLit:
		return l.g
	}
	return nil
}

// Intersects reports whether two geometries share a point, boundaries
// included, with planar arithmetic on longitude and latitude degrees: what
// S_INTERSECTS evaluates.
func Intersects(a, b orb.Geometry) bool { return intersects(a, b) }
