package ingest

import (
	"bufio"
	"bytes"
	"io"
	"strconv"
	"time"

	"github.com/dazhigu/hotspot/data"
)

// xmlSource is the input of a GPX document: buffered, read byte by byte by
// the XML decoder (which then reads nothing ahead), and read ahead of the
// decoder by the <trkpt> fast path, which takes whole points out of the
// buffer and leaves the decoder where they end.
type xmlSource struct {
	br      *bufio.Reader
	last    [2]byte // the last two bytes the decoder read
	lines   int     // newlines the fast path took past the decoder
	charset bool    // the decoder reads through a charset reader: no fast path
}

func newXMLSource(r io.Reader) *xmlSource {
	return &xmlSource{br: bufio.NewReaderSize(r, 64<<10)}
}

// ReadByte is how the XML decoder reads the document.
func (s *xmlSource) ReadByte() (byte, error) {
	c, err := s.br.ReadByte()
	if err == nil {
		s.last = [2]byte{s.last[1], c}
	}
	return c, err
}

// Read is how a charset reader reads the document.
func (s *xmlSource) Read(p []byte) (int, error) { return s.br.Read(p) }

// takePoints hands add the fix of each <trkpt> of the simple shape
// scanTrkpt reads that follows in the buffer, and consumes them. It must
// be called right after the decoder returned the start of an element that
// is not empty (<trkseg>, not <trkseg/>) or an end, when the decoder holds
// no byte of its own.
func (s *xmlSource) takePoints(add func(data.Fix)) {
	if s.charset || s.last == [2]byte{'/', '>'} {
		return
	}
	buf, _ := s.br.Peek(s.br.Buffered())
	taken := 0
	for {
		f, n, ok := scanTrkpt(buf[taken:])
		if !ok {
			break
		}
		s.lines += bytes.Count(buf[taken:taken+n], []byte{'\n'})
		taken += n
		add(f)
	}
	s.br.Discard(taken)
}

// scanTrkpt reads a <trkpt> of the shape GPS loggers write, after white
// space, from the start of b:
//
//	<trkpt lat="39.1120000" lon="117.2255000"><ele>3.5</ele><time>2026-05-11T00:30:00Z</time></trkpt>
//
// lat and lon (in either order, quoted either way) are its only attributes,
// and <time> and an optional <ele> its only children, with white space
// between them; values hold only the characters of numbers and times. It
// gives what decoding the element with go-gpx gives, and n, the bytes it
// took; ok is false for anything else (a comment, an entity, another
// child, a value go-gpx refuses, a point cut off by the end of b), which
// the decoder then reads.
func scanTrkpt(b []byte) (f data.Fix, n int, ok bool) {
	s := xmlScan{b: b}
	s.space()
	if !s.word("<trkpt") {
		return f, 0, false
	}
	var lat, lon []byte
	for {
		sep := s.space()
		if s.lit('>') {
			break
		}
		if sep == 0 { // attributes are separated by white space
			return f, 0, false
		}
		name := s.name()
		s.space()
		if !s.lit('=') {
			return f, 0, false
		}
		s.space()
		v, ok := s.quoted()
		switch {
		case !ok:
			return f, 0, false
		case string(name) == "lat" && lat == nil:
			lat = v
		case string(name) == "lon" && lon == nil:
			lon = v
		default:
			return f, 0, false
		}
	}
	if lat == nil || lon == nil {
		return f, 0, false
	}
	var ele, when []byte
	for s.space(); !s.word("</trkpt>"); s.space() {
		var ok bool
		switch {
		case s.word("<time>") && when == nil:
			when, ok = s.text(isTimeByte, "</time>")
		case s.word("<ele>") && ele == nil:
			ele, ok = s.text(isNumberByte, "</ele>")
		}
		if !ok {
			return f, 0, false
		}
	}
	f, ok = trkptFix(lat, lon, ele, when)
	return f, s.i, ok
}

// trkptFix converts a <trkpt>'s values as go-gpx does; ok is false when it
// would refuse one, or when the point has no time.
func trkptFix(lat, lon, ele, when []byte) (f data.Fix, ok bool) {
	var err error
	if f.Point[1], err = strconv.ParseFloat(string(lat), 64); err != nil {
		return f, false
	}
	if f.Point[0], err = strconv.ParseFloat(string(lon), 64); err != nil {
		return f, false
	}
	if ele != nil {
		if _, err = strconv.ParseFloat(string(ele), 64); err != nil {
			return f, false
		}
	}
	if when == nil {
		return f, false
	}
	for _, layout := range gpxTimeLayouts {
		if f.Time, err = time.Parse(layout, string(when)); err == nil {
			return f, !f.Time.IsZero()
		}
	}
	return f, false
}

// gpxTimeLayouts are the layouts go-gpx reads a <time> in, in its order.
var gpxTimeLayouts = [...]string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"}

func isTimeByte(c byte) bool {
	return '0' <= c && c <= '9' || c == '-' || c == ':' || c == '.' || c == '+' || c == 'T' || c == 'Z'
}

func isNumberByte(c byte) bool {
	return '0' <= c && c <= '9' || c == '-' || c == '.' || c == '+' || c == 'e' || c == 'E'
}

// xmlScan reads a strict subset of XML from b at i.
type xmlScan struct {
	b []byte
	i int
}

// lit consumes c if it comes next.
func (s *xmlScan) lit(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// word consumes w if it comes next.
func (s *xmlScan) word(w string) bool {
	if !bytes.HasPrefix(s.b[s.i:], []byte(w)) {
		return false
	}
	s.i += len(w)
	return true
}

// space consumes XML white space and returns how many bytes it took.
func (s *xmlScan) space() int {
	start := s.i
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return s.i - start
		}
	}
	return s.i - start
}

// name consumes a run of ASCII letters.
func (s *xmlScan) name() []byte {
	start := s.i
	for s.i < len(s.b) && ('a' <= s.b[s.i] && s.b[s.i] <= 'z' || 'A' <= s.b[s.i] && s.b[s.i] <= 'Z') {
		s.i++
	}
	return s.b[start:s.i]
}

// quoted consumes an attribute value of number characters in either quote.
func (s *xmlScan) quoted() ([]byte, bool) {
	if s.i >= len(s.b) || s.b[s.i] != '"' && s.b[s.i] != '\'' {
		return nil, false
	}
	q := s.b[s.i]
	s.i++
	start := s.i
	for s.i < len(s.b) && isNumberByte(s.b[s.i]) {
		s.i++
	}
	v := s.b[start:s.i]
	return v, len(v) > 0 && s.lit(q)
}

// text consumes a non-empty run of bytes that ok accepts and then end.
func (s *xmlScan) text(ok func(byte) bool, end string) ([]byte, bool) {
	start := s.i
	for s.i < len(s.b) && ok(s.b[s.i]) {
		s.i++
	}
	v := s.b[start:s.i]
	return v, len(v) > 0 && s.word(end)
}
