package cql2

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// maxDepth bounds how deeply parentheses may nest, so that a hostile filter
// cannot exhaust the stack.
const maxDepth = 100

// Parse parses CQL2 text into an Expr. Its errors are *Error, with the byte
// offset of the problem and a message a person can act on, for example
// "cql2: at 14: expected a property or a literal after '>=', found ')'" for
// "population >= )".
//
// The grammar is the BNF annex of 21-065r2, restricted to Basic CQL2,
// S_INTERSECTS and LIKE, IN and BETWEEN; see the package documentation.
func Parse(text string) (Expr, error) {
	toks, err := lex(text)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	if p.peek().kind == tEOF {
		return nil, p.fail(p.peek(), "the filter is empty")
	}
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	switch t := p.peek(); t.kind {
	case tEOF:
		return e, nil
	case tRParen:
		return nil, p.fail(t, "')' has no matching '('")
	default:
		return nil, p.fail(t, "expected AND, OR or the end of the filter, found %s", t.describe())
	}
}

// parser is a recursive-descent parser over the tokens of one filter.
type parser struct {
	toks  []token
	pos   int
	depth int
}

func (p *parser) peek() token { return p.toks[p.pos] }

// peekAt returns the token k places ahead, or the final tEOF.
func (p *parser) peekAt(k int) token {
	if p.pos+k < len(p.toks) {
		return p.toks[p.pos+k]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tEOF {
		p.pos++
	}
	return t
}

func (p *parser) fail(t token, format string, args ...any) error {
	return &Error{Offset: t.off, Msg: fmt.Sprintf(format, args...)}
}

// expect consumes a token of kind k, or fails saying what was wanted.
func (p *parser) expect(k kind, what string) (token, error) {
	t := p.peek()
	if t.kind != k {
		return t, p.fail(t, "expected %s, found %s", what, t.describe())
	}
	return p.next(), nil
}

// is reports whether t is the keyword kw, in any case.
func is(t token, kw string) bool { return t.kind == tIdent && upper(t.text) == kw }

// parseOr reads booleanExpression = booleanTerm {OR booleanTerm}.
func (p *parser) parseOr() (Expr, error) {
	terms, err := p.parseList("OR", p.parseAnd)
	if err != nil || len(terms) == 1 {
		return first(terms), err
	}
	return &orExpr{terms: terms}, nil
}

// parseAnd reads booleanTerm = booleanFactor {AND booleanFactor}.
func (p *parser) parseAnd() (Expr, error) {
	terms, err := p.parseList("AND", p.parseFactor)
	if err != nil || len(terms) == 1 {
		return first(terms), err
	}
	return &andExpr{terms: terms}, nil
}

func (p *parser) parseList(sep string, term func() (Expr, error)) ([]Expr, error) {
	var terms []Expr
	for {
		t, err := term()
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
		if !is(p.peek(), sep) {
			return terms, nil
		}
		p.next()
	}
}

func first(terms []Expr) Expr {
	if len(terms) == 0 {
		return nil
	}
	return terms[0]
}

// parseFactor reads booleanFactor = [NOT] booleanPrimary.
func (p *parser) parseFactor() (Expr, error) {
	if !is(p.peek(), "NOT") {
		return p.parsePrimary()
	}
	p.next()
	if t := p.peek(); is(t, "NOT") {
		return nil, p.fail(t, "NOT cannot follow NOT; write NOT (NOT …)")
	}
	x, err := p.parsePrimary()
	if err != nil {
		return nil, err
	}
	return &notExpr{x: x}, nil
}

// parsePrimary reads booleanPrimary: a parenthesised expression, a spatial
// predicate, a comparison predicate or a boolean literal.
func (p *parser) parsePrimary() (Expr, error) {
	t := p.peek()
	if t.kind == tLParen {
		if p.depth == maxDepth {
			return nil, p.fail(t, "parentheses nest more than %d deep", maxDepth)
		}
		p.depth++
		p.next()
		e, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if end := p.peek(); end.kind != tRParen {
			return nil, p.fail(end, "expected AND, OR or ')' to close the '(' at %d, found %s", t.off, end.describe())
		}
		p.next()
		p.depth--
		return e, nil
	}
	if t.kind == tIdent && p.peekAt(1).kind == tLParen {
		switch kw := upper(t.text); {
		case kw == "S_INTERSECTS":
			return p.parseIntersects()
		case isKeyword(kw) && strings.HasPrefix(kw, "S_"):
			return nil, p.fail(t, "%s is not supported; the only spatial function is S_INTERSECTS", kw)
		case isKeyword(kw) && strings.HasPrefix(kw, "T_"):
			return nil, p.fail(t, "%s is not supported; temporal functions are not implemented (compare with TIMESTAMP or DATE instead)", kw)
		case isKeyword(kw) && strings.HasPrefix(kw, "A_"):
			return nil, p.fail(t, "%s is not supported; array functions are not implemented", kw)
		}
	}
	return p.parsePredicate()
}

// parsePredicate reads a comparison predicate (binary comparison, IS NULL,
// LIKE, IN, BETWEEN) or a boolean literal.
func (p *parser) parsePredicate() (Expr, error) {
	l, err := p.parseOperand("a predicate")
	if err != nil {
		return nil, err
	}
	t := p.peek()
	switch {
	case t.kind == tCompare:
		p.next()
		r, err := p.parseOperand(fmt.Sprintf("a property or a literal after '%s'", t.text))
		if err != nil {
			return nil, err
		}
		return &compareExpr{op: t.text, l: l, r: r}, nil
	case is(t, "IS"):
		p.next()
		not := is(p.peek(), "NOT")
		if not {
			p.next()
		}
		if n := p.peek(); !is(n, "NULL") {
			return nil, p.fail(n, "expected NULL after IS%s, found %s", notWord(not), n.describe())
		}
		p.next()
		return &isNullExpr{x: l, not: not}, nil
	case is(t, "NOT") || is(t, "LIKE") || is(t, "IN") || is(t, "BETWEEN"):
		not := is(t, "NOT")
		if not {
			p.next()
			t = p.peek()
		}
		switch upper(t.text) {
		case "LIKE":
			return p.parseLike(l, not)
		case "IN":
			return p.parseIn(l, not)
		case "BETWEEN":
			return p.parseBetween(l, not)
		}
		return nil, p.fail(t, "expected LIKE, IN or BETWEEN after NOT, found %s", t.describe())
	case t.kind == tArith || is(t, "DIV") || t.kind == tNumber && (t.text[0] == '-' || t.text[0] == '+'):
		sym := t.text[:1]
		if is(t, "DIV") {
			sym = "DIV"
		}
		return nil, p.fail(t, "arithmetic ('%s') is not supported", sym)
	}
	if lit, ok := l.(*literal); ok && lit.v.kind == kindBool {
		return &boolExpr{v: lit.v.b}, nil
	}
	return nil, p.fail(t, "expected a comparison (=, <>, <, <=, >, >=), IS NULL, LIKE, IN or BETWEEN after %s, found %s", l.describe(), t.describe())
}

// parseOperand reads a scalar: a property name or a string, number, boolean,
// TIMESTAMP or DATE literal. what names the operand for an error message.
func (p *parser) parseOperand(what string) (operand, error) {
	t := p.peek()
	switch t.kind {
	case tString:
		p.next()
		return &literal{v: value{kind: kindString, s: t.val}}, nil
	case tNumber:
		p.next()
		n, err := p.number(t)
		if err != nil {
			return nil, err
		}
		return &literal{v: number(n)}, nil
	case tQuoted:
		p.next()
		return &property{name: t.val}, nil
	case tArith:
		return nil, p.fail(t, "arithmetic ('%s') is not supported", t.text)
	case tIdent:
	default:
		return nil, p.fail(t, "expected %s, found %s", what, t.describe())
	}
	kw := upper(t.text)
	call := p.peekAt(1).kind == tLParen
	switch {
	case kw == "TRUE" || kw == "FALSE":
		p.next()
		return &literal{v: value{kind: kindBool, b: kw == "TRUE"}}, nil
	case kw == "NULL":
		return nil, p.fail(t, "NULL can only be tested with IS NULL or IS NOT NULL")
	case isOperator(kw):
		return nil, p.fail(t, "expected %s, found %s", what, t.describe())
	case !call:
		p.next()
		return &property{name: t.text}, nil
	case kw == "TIMESTAMP" || kw == "DATE":
		return p.parseInstant()
	case kw == "INTERVAL":
		return nil, p.fail(t, "INTERVAL is not supported; temporal functions are not implemented")
	case kw == "CASEI" || kw == "ACCENTI":
		return nil, p.fail(t, "%s is not supported; case- and accent-insensitive comparison is not implemented", kw)
	case isGeometryTag(kw) || kw == "BBOX" || kw == "ENVELOPE":
		return nil, p.fail(t, "a geometry such as %s(…) can only be an argument of S_INTERSECTS", kw)
	}
	return nil, p.fail(t, "function %s() is not supported", t.text)
}

// number reads the value of a tNumber token.
func (p *parser) number(t token) (float64, error) {
	n, err := strconv.ParseFloat(t.text, 64)
	if err != nil {
		return 0, p.fail(t, "the number %s is out of range", t.text)
	}
	return n, nil
}

// parseInstant reads TIMESTAMP('YYYY-MM-DDThh:mm:ss[.s…]Z') or
// DATE('YYYY-MM-DD'), the BNF rules timestampInstant and dateInstant.
func (p *parser) parseInstant() (operand, error) {
	kw := upper(p.next().text)
	p.next() // '(', checked by the caller
	s, err := p.expect(tString, fmt.Sprintf("a quoted instant in %s(…)", kw))
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(tRParen, fmt.Sprintf("')' to close %s(", kw)); err != nil {
		return nil, err
	}
	layout, shape, example := time.RFC3339Nano, "dddd-dd-ddTdd:dd:dd", "'2026-05-11T08:30:00Z'"
	if kw == "DATE" {
		layout, shape, example = time.DateOnly, "dddd-dd-dd", "'2026-05-11'"
	}
	if !instantShape(s.val, shape, kw == "TIMESTAMP") {
		return nil, p.fail(s, "%s needs an instant like %s, found %s", kw, example, shorten(s.text))
	}
	t, err := time.Parse(layout, s.val)
	if err != nil {
		reason := err.Error()
		reason = reason[strings.LastIndex(reason, ": ")+2:]
		return nil, p.fail(s, "%s(%s) is not a valid instant: %s", kw, shorten(s.text), reason)
	}
	v := value{kind: kindTimestamp, t: t.UTC()}
	if kw == "DATE" {
		v.kind = kindDate
	}
	return &literal{v: v}, nil
}

// instantShape reports whether s has the shape, where d stands for a digit;
// a timestamp may then have a fraction of a second and must end in Z.
func instantShape(s, shape string, timestamp bool) bool {
	if len(s) < len(shape) {
		return false
	}
	for i := 0; i < len(shape); i++ {
		if shape[i] == 'd' && !isDigit(s[i]) || shape[i] != 'd' && s[i] != shape[i] {
			return false
		}
	}
	rest := s[len(shape):]
	if !timestamp {
		return rest == ""
	}
	if strings.HasPrefix(rest, ".") {
		digits := strings.TrimLeft(rest[1:], "0123456789")
		if len(digits) == len(rest)-1 {
			return false
		}
		rest = digits
	}
	return rest == "Z"
}

// parseLike reads the rest of x [NOT] LIKE 'pattern'.
func (p *parser) parseLike(x operand, not bool) (Expr, error) {
	p.next() // LIKE
	t := p.peek()
	if t.kind == tIdent && (is(t, "CASEI") || is(t, "ACCENTI")) {
		return nil, p.fail(t, "%s is not supported; case- and accent-insensitive comparison is not implemented", upper(t.text))
	}
	if _, err := p.expect(tString, "a quoted pattern after LIKE"); err != nil {
		return nil, err
	}
	return &likeExpr{x: x, pattern: t.val, not: not}, nil
}

// parseIn reads the rest of x [NOT] IN (item, …).
func (p *parser) parseIn(x operand, not bool) (Expr, error) {
	p.next() // IN
	if _, err := p.expect(tLParen, "'(' after IN"); err != nil {
		return nil, err
	}
	e := &inExpr{x: x, not: not}
	for {
		item, err := p.parseOperand("a literal in the IN list")
		if err != nil {
			return nil, err
		}
		e.list = append(e.list, item)
		if p.peek().kind != tComma {
			break
		}
		p.next()
	}
	if _, err := p.expect(tRParen, "',' or ')' in the IN list"); err != nil {
		return nil, err
	}
	return e, nil
}

// parseBetween reads the rest of x [NOT] BETWEEN lo AND hi.
func (p *parser) parseBetween(x operand, not bool) (Expr, error) {
	p.next() // BETWEEN
	lo, err := p.parseOperand("a lower bound after BETWEEN")
	if err != nil {
		return nil, err
	}
	if t := p.peek(); !is(t, "AND") {
		return nil, p.fail(t, "expected AND between the bounds of BETWEEN, found %s", t.describe())
	}
	p.next()
	hi, err := p.parseOperand("an upper bound after BETWEEN … AND")
	if err != nil {
		return nil, err
	}
	return &betweenExpr{x: x, lo: lo, hi: hi, not: not}, nil
}
