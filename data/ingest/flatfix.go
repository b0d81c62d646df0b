package ingest

import (
	"bytes"
	"strconv"
	"unicode/utf8"

	"github.com/dazhigu/hotspot/data"
)

// flatFix is an NDJSON fix of the flat shape most devices write,
// decoded without reflection:
//
//	{"officer":"A01","track":"am","time":"2026-05-11T08:30:00+08:00","lon":117.2255,"lat":39.112}
type flatFix struct {
	officer, track string // "" when absent or null
	fix            data.Fix
}

// parseFlatFix decodes a line that is one JSON object of that shape and has
// no problem: "time", "lon" and "lat" present and readable, "officer" and
// "track" absent, null or strings without escapes ("track" may be an
// integer), each member at most once, and any other member (an ASCII name
// that does not match these in any case) holding a plain number, string,
// true, false or null. For such a line it gives what fixReader.parseSlow
// gives; ok is false for every other line, which parseSlow then reads and,
// when need be, describes.
func parseFlatFix(b []byte) (l flatFix, ok bool) {
	s := jsonScan{b: b}
	if !s.lit('{') {
		return l, false
	}
	var seen [5]bool // officer, track, time, lon, lat
	for first := true; ; first = false {
		s.space()
		if s.lit('}') {
			s.space()
			return l, s.i == len(b) && seen[2] && seen[3] && seen[4]
		}
		if !first && !(s.lit(',') && s.spaceThen()) {
			return l, false
		}
		name, ok := s.str()
		if !ok || !s.spaceThen() || !s.lit(':') || !s.spaceThen() {
			return l, false
		}
		i := fixMember(name)
		switch {
		case i == otherMember:
			if !s.skipScalar() {
				return l, false
			}
			continue
		case i == unsureMember || seen[i]:
			return l, false
		}
		seen[i] = true
		if !l.member(i, &s) {
			return l, false
		}
	}
}

// fixMember is the index of a member name in parseFlatFix's seen;
// otherMember for a name encoding/json matches to no field, and
// unsureMember for one it may match to a field without its being spelt
// exactly so ("Lon", or non-ASCII: the Kelvin sign folds to k).
func fixMember(name []byte) int {
	for i, want := range [...]string{"officer", "track", "time", "lon", "lat"} {
		switch {
		case string(name) == want:
			return i
		case bytes.EqualFold(name, []byte(want)):
			return unsureMember
		}
	}
	for _, c := range name {
		if c >= utf8.RuneSelf {
			return unsureMember
		}
	}
	return otherMember
}

// The values of fixMember that are not members of a fix.
const (
	otherMember  = -1
	unsureMember = -2
)

// member reads the value of member i.
func (l *flatFix) member(i int, s *jsonScan) bool {
	if i <= 1 { // officer, track
		id, ok := s.id(i == 1)
		if i == 0 {
			l.officer = id
		} else {
			l.track = id
		}
		return ok
	}
	if i == 2 { // time
		if s.peek() == '"' {
			v, ok := s.str()
			if !ok {
				return false
			}
			t, reason := parseTime(string(v))
			l.fix.Time = t
			return reason == ""
		}
		v, ok := s.float()
		if !ok {
			return false
		}
		t, reason := epochTime(v)
		l.fix.Time = t
		return reason == ""
	}
	v, ok := s.float() // lon, lat
	l.fix.Point[i-3] = v
	return ok
}

// jsonScan reads a JSON text from b at i, accepting only a strict subset of
// JSON: strings without escapes, which need no decoding.
type jsonScan struct {
	b []byte
	i int
}

func (s *jsonScan) peek() byte {
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// lit consumes c if it comes next.
func (s *jsonScan) lit(c byte) bool {
	if s.peek() != c {
		return false
	}
	s.i++
	return true
}

// word consumes w if it comes next.
func (s *jsonScan) word(w string) bool {
	if !bytes.HasPrefix(s.b[s.i:], []byte(w)) {
		return false
	}
	s.i += len(w)
	return true
}

func (s *jsonScan) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// spaceThen skips white space and reports true, for use in conditions.
func (s *jsonScan) spaceThen() bool { s.space(); return true }

// str reads a string without escapes, of valid UTF-8, and returns its
// content.
func (s *jsonScan) str() ([]byte, bool) {
	if !s.lit('"') {
		return nil, false
	}
	start := s.i
	for s.i < len(s.b) {
		switch c := s.b[s.i]; {
		case c == '"':
			v := s.b[start:s.i]
			s.i++
			return v, utf8.Valid(v)
		case c == '\\' || c < 0x20:
			return nil, false
		}
		s.i++
	}
	return nil, false
}

// number reads a JSON number and returns its text.
func (s *jsonScan) number() ([]byte, bool) {
	start := s.i
	s.lit('-')
	if !s.lit('0') && !s.digits() {
		return nil, false
	}
	if s.lit('.') && !s.digits() {
		return nil, false
	}
	if s.lit('e') || s.lit('E') {
		if !s.lit('+') {
			s.lit('-')
		}
		if !s.digits() {
			return nil, false
		}
	}
	return s.b[start:s.i], true
}

// digits consumes one or more decimal digits.
func (s *jsonScan) digits() bool {
	start := s.i
	for s.i < len(s.b) && '0' <= s.b[s.i] && s.b[s.i] <= '9' {
		s.i++
	}
	return s.i > start
}

// float reads a number as encoding/json reads it into a float64.
func (s *jsonScan) float() (float64, bool) {
	text, ok := s.number()
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(text), 64)
	return v, err == nil
}

// id reads an id as idText does: null, a string or, when integerOK, an
// integer.
func (s *jsonScan) id(integerOK bool) (string, bool) {
	switch c := s.peek(); {
	case c == '"':
		v, ok := s.str()
		return string(v), ok
	case s.word("null"):
		return "", true
	case !integerOK:
		return "", false
	}
	text, ok := s.number()
	if !ok {
		return "", false
	}
	n, err := strconv.ParseInt(string(text), 10, 64)
	return strconv.FormatInt(n, 10), err == nil
}

// skipScalar consumes a plain number, string, true, false or null.
func (s *jsonScan) skipScalar() bool {
	switch s.peek() {
	case '"':
		_, ok := s.str()
		return ok
	case 't':
		return s.word("true")
	case 'f':
		return s.word("false")
	case 'n':
		return s.word("null")
	}
	_, ok := s.number()
	return ok
}
