package cql2

import (
	"cmp"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// valueKind is the type of a value during evaluation.
type valueKind int

const (
	kindNull valueKind = iota
	kindString
	kindNumber
	kindBool
	kindTimestamp
	kindDate
	kindGeometry
)

// String returns the kind with its article, as used in error messages.
func (k valueKind) String() string {
	return [...]string{"null", "a string", "a number", "a boolean", "a timestamp", "a date", "a geometry"}[k]
}

// value is a literal's value or a property's value converted for comparison.
// A date is held as midnight UTC of that day.
type value struct {
	kind valueKind
	s    string
	n    float64
	b    bool
	t    time.Time
}

func (p *property) describe() string { return "property " + p.name }

func (l *literal) describe() string {
	var b strings.Builder
	l.write(&b)
	switch l.v.kind {
	case kindString:
		return "the string " + shorten(b.String())
	case kindNumber:
		return "the number " + b.String()
	case kindBool:
		return "the boolean " + b.String()
	}
	return b.String()
}

func (l *literal) value(Record) (value, error) { return l.v, nil }

// value returns the property's value; an absent property is null.
func (p *property) value(r Record) (value, error) {
	v, ok := r.Property(p.name)
	if !ok {
		return value{}, nil
	}
	switch x := v.(type) {
	case nil:
		return value{}, nil
	case string:
		return value{kind: kindString, s: x}, nil
	case bool:
		return value{kind: kindBool, b: x}, nil
	case float64:
		return number(x), nil
	case float32:
		return number(float64(x)), nil
	case int:
		return number(float64(x)), nil
	case int8:
		return number(float64(x)), nil
	case int16:
		return number(float64(x)), nil
	case int32:
		return number(float64(x)), nil
	case int64:
		return number(float64(x)), nil
	case uint:
		return number(float64(x)), nil
	case uint8:
		return number(float64(x)), nil
	case uint16:
		return number(float64(x)), nil
	case uint32:
		return number(float64(x)), nil
	case uint64:
		return number(float64(x)), nil
	case json.Number:
		n, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return value{}, fmt.Errorf("cql2: property %s holds %q, which is not a number", p.name, x)
		}
		return number(n), nil
	case time.Time:
		return value{kind: kindTimestamp, t: x}, nil
	case orb.Geometry:
		return value{kind: kindGeometry}, nil
	}
	return value{}, fmt.Errorf("cql2: property %s holds a %T, which a filter cannot use", p.name, v)
}

func number(n float64) value { return value{kind: kindNumber, n: n} }

// compare evaluates l op r, where op is one of = <> < <= > >=.
func compare(op string, l, r operand, rec Record) (truth, error) {
	lv, err := l.value(rec)
	if err != nil {
		return truthNull, err
	}
	rv, err := r.value(rec)
	if err != nil {
		return truthNull, err
	}
	c, ok, err := order(l, r, lv, rv)
	if !ok || err != nil {
		return truthNull, err
	}
	var holds bool
	switch op {
	case "=":
		holds = c == 0
	case "<>":
		holds = c != 0
	case "<":
		holds = c < 0
	case "<=":
		holds = c <= 0
	case ">":
		holds = c > 0
	case ">=":
		holds = c >= 0
	}
	return truthOf(holds), nil
}

// order compares two values of the same type, returning -1, 0 or +1. It
// reports ok == false when either is null. A string compared with a
// timestamp or a date, literal or property, is read as an RFC 3339 instant;
// a timestamp property compared with a date is cut to its UTC day.
func order(l, r operand, lv, rv value) (c int, ok bool, err error) {
	if lv.kind == kindNull || rv.kind == kindNull {
		return 0, false, nil
	}
	if lv, err = asInstant(l, lv, rv.kind, r); err != nil {
		return 0, false, err
	}
	if rv, err = asInstant(r, rv, lv.kind, l); err != nil {
		return 0, false, err
	}
	lv, rv = toDay(l, lv, rv.kind), toDay(r, rv, lv.kind)
	if lv.kind != rv.kind || lv.kind == kindGeometry {
		return 0, false, mismatchError(l, r, lv, rv)
	}
	switch lv.kind {
	case kindString:
		return strings.Compare(lv.s, rv.s), true, nil
	case kindNumber:
		return cmp.Compare(lv.n, rv.n), true, nil
	case kindBool:
		return cmp.Compare(boolRank(lv.b), boolRank(rv.b)), true, nil
	default:
		return lv.t.Compare(rv.t), true, nil
	}
}

// asInstant reads a string value as the kind of instant it is compared with.
func asInstant(o operand, v value, with valueKind, other operand) (value, error) {
	if v.kind != kindString || with != kindTimestamp && with != kindDate {
		return v, nil
	}
	if with == kindDate {
		if t, err := time.Parse(time.DateOnly, v.s); err == nil {
			return value{kind: kindDate, t: t}, nil
		}
	}
	t, err := time.Parse(time.RFC3339Nano, v.s)
	if err != nil {
		what := strings.TrimPrefix(with.String(), "a ")
		if _, isProp := o.(*property); isProp {
			return v, mismatch("%s holds %s, which is not an RFC 3339 %s, compared with %s",
				o.describe(), shorten(quote(v.s)), what, other.describe())
		}
		return v, mismatch("%s is not an RFC 3339 %s, compared with %s", o.describe(), what, other.describe())
	}
	if with == kindDate {
		return value{kind: kindDate, t: day(t)}, nil
	}
	return value{kind: kindTimestamp, t: t}, nil
}

// toDay cuts a timestamp property's value to its UTC day when it is compared
// with a date. Timestamp literals are not cut: comparing one with a date is a
// type mismatch.
func toDay(o operand, v value, with valueKind) value {
	if _, isProp := o.(*property); isProp && v.kind == kindTimestamp && with == kindDate {
		return value{kind: kindDate, t: day(v.t)}
	}
	return v
}

func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func quote(s string) string {
	var b strings.Builder
	writeString(&b, s)
	return b.String()
}

// mismatchError explains why two values cannot be compared, naming a
// property first when there is one.
func mismatchError(l, r operand, lv, rv value) error {
	_, lp := l.(*property)
	_, rp := r.(*property)
	switch {
	case lp && rp:
		return mismatch("%s is %s, compared with %s, which is %s", l.describe(), lv.kind, r.describe(), rv.kind)
	case lp:
		return mismatch("%s is %s, compared with %s", l.describe(), lv.kind, r.describe())
	case rp:
		return mismatch("%s is %s, compared with %s", r.describe(), rv.kind, l.describe())
	}
	return mismatch("%s cannot be compared with %s", l.describe(), r.describe())
}
