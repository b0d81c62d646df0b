package cql2

import (
	"strconv"
	"strings"
	"time"
)

// Expr is a parsed filter. Its String method returns the filter as canonical
// CQL2 text, which Parse reads back to the same Expr; Eval evaluates it. An
// Expr is not changed after Parse, so it may be evaluated concurrently.
type Expr interface {
	// String returns the filter as canonical CQL2 text: keywords in upper
	// case, one space around operators, NOT's operand and nested AND/OR in
	// parentheses, numbers in their shortest form.
	String() string

	write(b *strings.Builder)
	eval(r Record) (truth, error)
	props(add func(name string))
}

// Properties returns the names of the properties e refers to, each once, in
// the order they first appear. The property of S_INTERSECTS is included, so a
// server can check every name against its queryables.
func Properties(e Expr) []string {
	var names []string
	seen := map[string]bool{}
	if e != nil {
		e.props(func(name string) {
			if !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		})
	}
	return names
}

// Nodes of the expression tree.
type (
	// andExpr is term AND term AND ….
	andExpr struct{ terms []Expr }
	// orExpr is term OR term OR ….
	orExpr struct{ terms []Expr }
	// notExpr is NOT x.
	notExpr struct{ x Expr }
	// boolExpr is TRUE or FALSE standing as a predicate.
	boolExpr struct{ v bool }
	// compareExpr is l op r.
	compareExpr struct {
		op   string
		l, r operand
	}
	// isNullExpr is x IS [NOT] NULL.
	isNullExpr struct {
		x   operand
		not bool
	}
	// likeExpr is x [NOT] LIKE 'pattern'.
	likeExpr struct {
		x       operand
		pattern string
		not     bool
	}
	// inExpr is x [NOT] IN (list…).
	inExpr struct {
		x    operand
		list []operand
		not  bool
	}
	// betweenExpr is x [NOT] BETWEEN lo AND hi.
	betweenExpr struct {
		x, lo, hi operand
		not       bool
	}
	// intersectsExpr is S_INTERSECTS(a, b).
	intersectsExpr struct{ a, b spatialArg }
)

// operand is a scalar in a predicate: a property or a literal.
type operand interface {
	write(b *strings.Builder)
	value(r Record) (value, error)
	describe() string
}

// property is a reference to a record's property.
type property struct{ name string }

// literal is a string, number, boolean, timestamp or date literal.
type literal struct{ v value }

func (e *andExpr) String() string        { return str(e) }
func (e *orExpr) String() string         { return str(e) }
func (e *notExpr) String() string        { return str(e) }
func (e *boolExpr) String() string       { return str(e) }
func (e *compareExpr) String() string    { return str(e) }
func (e *isNullExpr) String() string     { return str(e) }
func (e *likeExpr) String() string       { return str(e) }
func (e *inExpr) String() string         { return str(e) }
func (e *betweenExpr) String() string    { return str(e) }
func (e *intersectsExpr) String() string { return str(e) }

func str(e Expr) string {
	var b strings.Builder
	e.write(&b)
	return b.String()
}

func (e *andExpr) write(b *strings.Builder) { writeJoined(b, e.terms, " AND ") }
func (e *orExpr) write(b *strings.Builder)  { writeJoined(b, e.terms, " OR ") }

// writeJoined writes terms with sep between them, putting a term that is
// itself an AND or OR in parentheses so that the text reads back to the same
// tree.
func writeJoined(b *strings.Builder, terms []Expr, sep string) {
	for i, t := range terms {
		if i > 0 {
			b.WriteString(sep)
		}
		switch t.(type) {
		case *andExpr, *orExpr:
			b.WriteByte('(')
			t.write(b)
			b.WriteByte(')')
		default:
			t.write(b)
		}
	}
}

func (e *notExpr) write(b *strings.Builder) {
	b.WriteString("NOT (")
	e.x.write(b)
	b.WriteByte(')')
}

func (e *boolExpr) write(b *strings.Builder) { b.WriteString(boolText(e.v)) }

func (e *compareExpr) write(b *strings.Builder) {
	e.l.write(b)
	b.WriteString(" " + e.op + " ")
	e.r.write(b)
}

func (e *isNullExpr) write(b *strings.Builder) {
	e.x.write(b)
	if e.not {
		b.WriteString(" IS NOT NULL")
	} else {
		b.WriteString(" IS NULL")
	}
}

func (e *likeExpr) write(b *strings.Builder) {
	e.x.write(b)
	b.WriteString(notWord(e.not) + " LIKE ")
	writeString(b, e.pattern)
}

func (e *inExpr) write(b *strings.Builder) {
	e.x.write(b)
	b.WriteString(notWord(e.not) + " IN (")
	for i, o := range e.list {
		if i > 0 {
			b.WriteString(", ")
		}
		o.write(b)
	}
	b.WriteByte(')')
}

func (e *betweenExpr) write(b *strings.Builder) {
	e.x.write(b)
	b.WriteString(notWord(e.not) + " BETWEEN ")
	e.lo.write(b)
	b.WriteString(" AND ")
	e.hi.write(b)
}

func (e *intersectsExpr) write(b *strings.Builder) {
	b.WriteString("S_INTERSECTS(")
	e.a.write(b)
	b.WriteByte(',')
	e.b.write(b)
	b.WriteByte(')')
}

func notWord(n bool) string {
	if n {
		return " NOT"
	}
	return ""
}

func (p *property) write(b *strings.Builder) { writeName(b, p.name) }

func (l *literal) write(b *strings.Builder) {
	switch l.v.kind {
	case kindString:
		writeString(b, l.v.s)
	case kindNumber:
		b.WriteString(formatNumber(l.v.n))
	case kindBool:
		b.WriteString(boolText(l.v.b))
	case kindTimestamp:
		b.WriteString("TIMESTAMP('" + l.v.t.UTC().Format(time.RFC3339Nano) + "')")
	case kindDate:
		b.WriteString("DATE('" + l.v.t.Format(time.DateOnly) + "')")
	}
}

// writeName writes a property name, in double quotes unless it is an
// identifier that is not a keyword.
func writeName(b *strings.Builder, name string) {
	if isIdentifier(name) && !isKeyword(name) {
		b.WriteString(name)
		return
	}
	b.WriteByte('"')
	b.WriteString(strings.ReplaceAll(name, `"`, `""`))
	b.WriteByte('"')
}

// writeString writes a character literal, doubling quotes and backslashes.
func writeString(b *strings.Builder, s string) {
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'':
			b.WriteString("''")
		case '\\':
			b.WriteString(`\\`)
		default:
			b.WriteByte(s[i])
		}
	}
	b.WriteByte('\'')
}

// formatNumber writes n in its shortest form that reads back exactly.
func formatNumber(n float64) string {
	if a := n; a != 0 && (a < 1e-6 && a > -1e-6 || a >= 1e21 || a <= -1e21) {
		return strconv.FormatFloat(n, 'g', -1, 64)
	}
	return strconv.FormatFloat(n, 'f', -1, 64)
}

func boolText(v bool) string {
	if v {
		return "TRUE"
	}
	return "FALSE"
}

func (e *andExpr) props(add func(string)) {
	for _, t := range e.terms {
		t.props(add)
	}
}

func (e *orExpr) props(add func(string)) {
	for _, t := range e.terms {
		t.props(add)
	}
}

func (e *notExpr) props(add func(string))  { e.x.props(add) }
func (e *boolExpr) props(add func(string)) {}

func (e *compareExpr) props(add func(string)) { operandProps(add, e.l, e.r) }
func (e *isNullExpr) props(add func(string))  { operandProps(add, e.x) }
func (e *likeExpr) props(add func(string))    { operandProps(add, e.x) }
func (e *inExpr) props(add func(string)) {
	operandProps(add, e.x)
	operandProps(add, e.list...)
}
func (e *betweenExpr) props(add func(string)) { operandProps(add, e.x, e.lo, e.hi) }

func (e *intersectsExpr) props(add func(string)) {
	for _, a := range [...]spatialArg{e.a, e.b} {
		if p, ok := a.(*property); ok {
			add(p.name)
		}
	}
}

func operandProps(add func(string), ops ...operand) {
	for _, o := range ops {
		if p, ok := o.(*property); ok {
			add(p.name)
		}
	}
}
