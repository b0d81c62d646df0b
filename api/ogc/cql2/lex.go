package cql2

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// kind is the kind of a token.
type kind int

const (
	tEOF    kind = iota
	tIdent       // a bare identifier or keyword: city, AND, S_INTERSECTS
	tQuoted      // a double-quoted property name: "date"
	tString      // a character literal: 'Toronto'
	tNumber      // a numeric literal, sign included: -79.5, 1E3
	tLParen
	tRParen
	tComma
	tCompare // =, <>, <, <=, >, >=
	tArith   // +, -, *, /, ^, % on their own: arithmetic, which is unsupported
)

// token is one lexeme of the filter text.
type token struct {
	kind kind
	off  int    // byte offset of the token's first character
	text string // the token as written
	val  string // the decoded value of a tString or tQuoted token
}

// describe names the token for an error message.
func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "the end of the filter"
	case tIdent:
		if isKeyword(t.text) {
			return "keyword " + upper(t.text)
		}
		return "name " + t.text
	case tQuoted:
		return "property " + t.text
	case tString:
		return "the string " + shorten(t.text)
	case tNumber:
		return "the number " + t.text
	default:
		return "'" + t.text + "'"
	}
}

// shorten cuts long source text for an error message.
func shorten(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// lex splits text into tokens, ending with a tEOF token.
func lex(text string) ([]token, error) {
	var toks []token
	i := 0
	for {
		for i < len(text) {
			r, n := utf8.DecodeRuneInString(text[i:])
			if !unicode.IsSpace(r) {
				break
			}
			i += n
		}
		if i == len(text) {
			return append(toks, token{kind: tEOF, off: i}), nil
		}
		t, err := lexOne(text, i)
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
		i += len(t.text)
	}
}

// lexOne reads the token that starts at text[i], which is not a space.
func lexOne(text string, i int) (token, error) {
	c := text[i]
	one := func(k kind) token { return token{kind: k, off: i, text: text[i : i+1]} }
	switch {
	case c == '(':
		return one(tLParen), nil
	case c == ')':
		return one(tRParen), nil
	case c == ',':
		return one(tComma), nil
	case c == '=':
		return one(tCompare), nil
	case c == '<' || c == '>':
		n := 1
		if i+1 < len(text) && (text[i+1] == '=' || c == '<' && text[i+1] == '>') {
			n = 2
		}
		return token{kind: tCompare, off: i, text: text[i : i+n]}, nil
	case c == '!' && i+1 < len(text) && text[i+1] == '=':
		return token{}, &Error{Offset: i, Msg: "'!=' is not CQL2; write '<>' for not equal"}
	case c == '\'':
		return lexString(text, i)
	case c == '"':
		return lexQuoted(text, i)
	case isDigit(c) || c == '.' && digitAt(text, i+1):
		return lexNumber(text, i), nil
	case c == '+' || c == '-':
		if digitAt(text, i+1) || i+2 < len(text) && text[i+1] == '.' && digitAt(text, i+2) {
			return lexNumber(text, i), nil
		}
		return one(tArith), nil
	case c == '*' || c == '/' || c == '^' || c == '%':
		return one(tArith), nil
	}
	r, n := utf8.DecodeRuneInString(text[i:])
	if r == utf8.RuneError && n == 1 {
		return token{}, &Error{Offset: i, Msg: "the filter is not valid UTF-8"}
	}
	if isIdentStart(r) {
		j := i + n
		for j < len(text) {
			r, n := utf8.DecodeRuneInString(text[j:])
			if r == utf8.RuneError && n == 1 || !isIdentPart(r) {
				break // invalid UTF-8 is reported by the next lexOne
			}
			j += n
		}
		return token{kind: tIdent, off: i, text: text[i:j]}, nil
	}
	return token{}, &Error{Offset: i, Msg: fmt.Sprintf("unexpected character %q", r)}
}

// lexString reads a character literal. A quote inside it is written as two
// quotes or as a backslash and a quote; two backslashes stand for one, and
// any other backslash is kept as it is.
func lexString(text string, start int) (token, error) {
	var b strings.Builder
	i := start + 1
	for i < len(text) {
		c := text[i]
		switch {
		case c == '\'' && i+1 < len(text) && text[i+1] == '\'':
			b.WriteByte('\'')
			i += 2
		case c == '\'':
			return token{kind: tString, off: start, text: text[start : i+1], val: b.String()}, nil
		case c == '\\' && i+1 < len(text) && (text[i+1] == '\'' || text[i+1] == '\\'):
			b.WriteByte(text[i+1])
			i += 2
		default:
			r, n := utf8.DecodeRuneInString(text[i:])
			if r == utf8.RuneError && n == 1 {
				return token{}, &Error{Offset: i, Msg: "the filter is not valid UTF-8"}
			}
			b.WriteString(text[i : i+n])
			i += n
		}
	}
	return token{}, &Error{Offset: start, Msg: "string is not closed: add a ' at its end (write '' for a quote inside it)"}
}

// lexQuoted reads a double-quoted property name, in which "" stands for ".
func lexQuoted(text string, start int) (token, error) {
	var b strings.Builder
	i := start + 1
	for i < len(text) {
		c := text[i]
		switch {
		case c == '"' && i+1 < len(text) && text[i+1] == '"':
			b.WriteByte('"')
			i += 2
		case c == '"':
			if b.Len() == 0 {
				return token{}, &Error{Offset: start, Msg: "empty property name \"\""}
			}
			return token{kind: tQuoted, off: start, text: text[start : i+1], val: b.String()}, nil
		default:
			r, n := utf8.DecodeRuneInString(text[i:])
			if r == utf8.RuneError && n == 1 {
				return token{}, &Error{Offset: i, Msg: "the filter is not valid UTF-8"}
			}
			b.WriteString(text[i : i+n])
			i += n
		}
	}
	return token{}, &Error{Offset: start, Msg: "property name is not closed: add a \" at its end"}
}

// lexNumber reads a numeric literal per the BNF rule signedNumericLiteral:
// [sign] (digits [. [digits]] | . digits) [E [sign] digits]. The caller has
// checked that one starts at text[i].
func lexNumber(text string, i int) token {
	j := i
	if text[j] == '+' || text[j] == '-' {
		j++
	}
	for j < len(text) && isDigit(text[j]) {
		j++
	}
	if j < len(text) && text[j] == '.' {
		j++
		for j < len(text) && isDigit(text[j]) {
			j++
		}
	}
	if j < len(text) && (text[j] == 'e' || text[j] == 'E') {
		k := j + 1
		if k < len(text) && (text[k] == '+' || text[k] == '-') {
			k++
		}
		if digitAt(text, k) {
			for k < len(text) && isDigit(text[k]) {
				k++
			}
			j = k
		}
	}
	return token{kind: tNumber, off: i, text: text[i:j]}
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func digitAt(text string, i int) bool { return i < len(text) && isDigit(text[i]) }

// isIdentStart reports whether r may start an identifier (BNF rule
// identifierStart).
func isIdentStart(r rune) bool {
	switch {
	case r == ':' || r == '_' || 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z',
		0xC0 <= r && r <= 0xD6, 0xD8 <= r && r <= 0xF6, 0xF8 <= r && r <= 0x2FF,
		0x370 <= r && r <= 0x37D, 0x37F <= r && r <= 0x1FFE, 0x200C <= r && r <= 0x200D,
		0x2070 <= r && r <= 0x218F, 0x2C00 <= r && r <= 0x2FEF, 0x3001 <= r && r <= 0xD7FF,
		0xF900 <= r && r <= 0xFDCF, 0xFDF0 <= r && r <= 0xFFFD, 0x10000 <= r && r <= 0xEFFFF:
		return true
	}
	return false
}

// isIdentPart reports whether r may continue an identifier (BNF rule
// identifierPart).
func isIdentPart(r rune) bool {
	return isIdentStart(r) || r == '.' || '0' <= r && r <= '9' ||
		0x300 <= r && r <= 0x36F || 0x203F <= r && r <= 0x2040
}

// isIdentifier reports whether s can be written as a bare identifier.
func isIdentifier(s string) bool {
	for i, r := range s {
		if r == utf8.RuneError || i == 0 && !isIdentStart(r) || !isIdentPart(r) {
			return false
		}
	}
	return s != ""
}

// isKeyword reports whether s, in any case, is a keyword of CQL2 Text (the
// list in 21-065r2, Requirements Class "CQL2 Text", with BBOX and INTERVAL
// from its BNF). A property with such a name is written in double quotes.
func isKeyword(s string) bool {
	switch kw := upper(s); kw {
	case "A_CONTAINEDBY", "A_CONTAINS", "A_EQUALS", "A_OVERLAPS", "ACCENTI",
		"BBOX", "CASEI", "DATE", "ENVELOPE", "GEOMETRYCOLLECTION", "INTERVAL",
		"LINESTRING", "MULTILINESTRING", "MULTIPOINT", "MULTIPOLYGON", "POINT",
		"POLYGON", "S_CONTAINS", "S_CROSSES", "S_DISJOINT", "S_EQUALS",
		"S_INTERSECTS", "S_OVERLAPS", "S_TOUCHES", "S_WITHIN", "T_AFTER",
		"T_BEFORE", "T_CONTAINS", "T_DISJOINT", "T_DURING", "T_EQUALS",
		"T_FINISHEDBY", "T_FINISHES", "T_INTERSECTS", "T_MEETS", "T_METBY",
		"T_OVERLAPPEDBY", "T_OVERLAPS", "T_STARTEDBY", "T_STARTS", "TIMESTAMP":
		return true
	default:
		return isOperator(kw)
	}
}

// isOperator reports whether the upper-case keyword kw joins or completes
// predicates, so that it can never be a bare property name; the other
// keywords are read as property names when no '(' follows them.
func isOperator(kw string) bool {
	switch kw {
	case "AND", "BETWEEN", "DIV", "FALSE", "IN", "IS", "LIKE", "NOT", "NULL", "OR", "TRUE":
		return true
	}
	return false
}

// isGeometryTag reports whether the upper-case keyword kw is a WKT geometry
// type of the BNF rule geometryLiteral, or GEOMETRYCOLLECTION.
func isGeometryTag(kw string) bool {
	switch kw {
	case "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING",
		"MULTIPOLYGON", "GEOMETRYCOLLECTION":
		return true
	}
	return false
}

// upper returns s with ASCII letters in upper case. Keywords are compared in
// ASCII only (ABNF strings are US-ASCII), so that the Kelvin sign or a long s
// does not fold into a keyword.
func upper(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'a' <= c && c <= 'z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'a' <= b[j] && b[j] <= 'z' {
					b[j] -= 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
