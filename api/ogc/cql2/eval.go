package cql2

import (
	"errors"

	"github.com/paulmach/orb"
)

// Record is what a filter is evaluated against: one feature.
type Record interface {
	// Property returns the value of the named property and whether the
	// record has it. The value is a string, a number (any Go integer or
	// float type, or json.Number), a bool, a time.Time, or nil for null; an
	// orb.Geometry may be returned so that "geometry IS NULL" can be asked.
	// A string is compared with a TIMESTAMP or DATE literal by reading it as
	// RFC 3339.
	Property(name string) (any, bool)

	// Geometry returns the record's geometry in WGS-84 longitude/latitude
	// degrees, or nil if it has none. S_INTERSECTS uses it whatever property
	// name the filter gives.
	Geometry() orb.Geometry
}

// Eval reports whether r satisfies e, that is whether e evaluates to TRUE; a
// filter that evaluates to NULL, because it compares a null or absent
// property, is not satisfied. Comparing values of different types is an error
// that matches ErrTypeMismatch.
func Eval(e Expr, r Record) (bool, error) {
	if e == nil {
		return false, errors.New("cql2: Eval of a nil Expr")
	}
	t, err := e.eval(r)
	return t == truthTrue, err
}

// truth is a value of the three-valued logic of 21-065r2 clause 6, "CQL2
// filter expression": a predicate is TRUE, FALSE or NULL (unknown).
type truth int8

const (
	truthNull truth = iota
	truthFalse
	truthTrue
)

func truthOf(b bool) truth {
	if b {
		return truthTrue
	}
	return truthFalse
}

// not is NOT: NOT NULL is NULL.
func (t truth) not() truth {
	switch t {
	case truthTrue:
		return truthFalse
	case truthFalse:
		return truthTrue
	}
	return truthNull
}

// eval of AND: FALSE if any term is FALSE, else NULL if any is NULL.
func (e *andExpr) eval(r Record) (truth, error) {
	out := truthTrue
	for _, term := range e.terms {
		t, err := term.eval(r)
		if err != nil || t == truthFalse {
			return truthFalse, err
		}
		if t == truthNull {
			out = truthNull
		}
	}
	return out, nil
}

// eval of OR: TRUE if any term is TRUE, else NULL if any is NULL.
func (e *orExpr) eval(r Record) (truth, error) {
	out := truthFalse
	for _, term := range e.terms {
		t, err := term.eval(r)
		if err != nil {
			return truthFalse, err
		}
		if t == truthTrue {
			return truthTrue, nil
		}
		if t == truthNull {
			out = truthNull
		}
	}
	return out, nil
}

func (e *notExpr) eval(r Record) (truth, error) {
	t, err := e.x.eval(r)
	return t.not(), err
}

func (e *boolExpr) eval(Record) (truth, error) { return truthOf(e.v), nil }

func (e *compareExpr) eval(r Record) (truth, error) { return compare(e.op, e.l, e.r, r) }

func (e *isNullExpr) eval(r Record) (truth, error) {
	v, err := e.x.value(r)
	if err != nil {
		return truthNull, err
	}
	return truthOf((v.kind == kindNull) != e.not), nil
}

func (e *likeExpr) eval(r Record) (truth, error) {
	v, err := e.x.value(r)
	switch {
	case err != nil || v.kind == kindNull:
		return truthNull, err
	case v.kind != kindString:
		return truthNull, mismatch("LIKE needs a string, and %s is %s", e.x.describe(), v.kind)
	}
	return truthOf(match(e.pattern, v.s) != e.not), nil
}

// eval of IN: TRUE if x equals an item, else NULL if x or an item is NULL.
func (e *inExpr) eval(r Record) (truth, error) {
	out := truthFalse
	for _, item := range e.list {
		t, err := compare("=", e.x, item, r)
		if err != nil {
			return truthNull, err
		}
		if t == truthTrue {
			out = truthTrue
			break
		}
		if t == truthNull {
			out = truthNull
		}
	}
	if e.not {
		return out.not(), nil
	}
	return out, nil
}

func (e *betweenExpr) eval(r Record) (truth, error) {
	var n [3]float64
	for i, o := range [...]operand{e.x, e.lo, e.hi} {
		v, err := o.value(r)
		switch {
		case err != nil || v.kind == kindNull:
			return truthNull, err
		case v.kind != kindNumber:
			return truthNull, mismatch("BETWEEN needs numbers, and %s is %s", o.describe(), v.kind)
		}
		n[i] = v.n
	}
	return truthOf((n[1] <= n[0] && n[0] <= n[2]) != e.not), nil
}

// eval of S_INTERSECTS: NULL when the record has no geometry.
func (e *intersectsExpr) eval(r Record) (truth, error) {
	a, b := e.a.geometry(r), e.b.geometry(r)
	if a == nil || b == nil {
		return truthNull, nil
	}
	return truthOf(intersects(a, b)), nil
}
