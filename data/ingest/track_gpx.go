package ingest

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-gpx"
	"golang.org/x/net/html/charset"

	"github.com/dazhigu/hotspot/data"
)

// gpxTrackReader reads tracks from a GPX 1.1 (or 1.0) document, one <trk>
// at a time, so that documents far larger than memory stream through. Each
// <trk> is one track: the <trkpt>s of all its <trkseg>s in order (the gap
// between two segments is a gap like any other, and dwell does not count a
// gap longer than its limit). Routes and waypoints are not tracks and are
// skipped.
//
// GPX does not say who walked a track: the officer is TrackDefaults.Officer,
// else the document's <metadata><author><name>. A <trk><name> is not an id
// (the same "Morning patrol" recurs every day), so the source id is
// TrackDefaults.SourceID when the document holds one track, and
// DeriveSourceID otherwise.
//
// Each <trkpt> is decoded with go-gpx's WptType, so its time is read as the
// library reads it: RFC 3339, or without a zone as UTC as GPX prescribes;
// points of the shape loggers write are read to the same values by hand
// (scanTrkpt), far faster.
type gpxTrackReader struct {
	in      *readErr
	src     *xmlSource
	slow    bool // whether to decode every <trkpt> with go-gpx (for tests)
	tokens  *xmlTokens
	d       TrackDefaults
	author  string // <metadata><author><name>
	n       int    // records returned
	started bool   // whether the root element has been read
	pending bool   // whether a <trk> was opened by reading ahead
	err     error  // what every later Next returns
}

func newGPXTrackReader(r io.Reader, d TrackDefaults) TrackReader {
	in := &readErr{r: r}
	src := newXMLSource(in)
	raw := xml.NewDecoder(src)
	raw.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		src.charset = true
		return charset.NewReaderLabel(label, r)
	}
	return &gpxTrackReader{in: in, src: src, tokens: &xmlTokens{raw: raw}, d: d}
}

// Next returns the next track. After the first it reads ahead to the next
// <trk>, to know whether the first is the only one.
func (g *gpxTrackReader) Next() (TrackRecord, error) {
	if g.err != nil {
		return TrackRecord{}, g.err
	}
	if !g.started {
		g.started = true
		if err := g.root(); err != nil {
			g.err = err
			return TrackRecord{}, err
		}
	}
	if !g.pending {
		if err := g.nextTrk(); err != nil {
			g.err = err
			return TrackRecord{}, err
		}
	}
	g.pending = false
	b := newTrackBuilder(g.n + 1)
	if err := g.track(b); err != nil {
		g.err = err
		return TrackRecord{}, err
	}
	g.n++
	single := false
	if g.n == 1 {
		err := g.nextTrk()
		single = errors.Is(err, io.EOF)
		g.pending, g.err = err == nil, err
	}
	officer := g.d.Officer
	if officer == "" {
		officer = g.author
	}
	return b.finish(officer, "", g.d, single,
		"is required: GPX does not say who walked a track; give the officer with the upload, or as the document's <metadata><author><name>"), nil
}

// root reads up to the root element, which must be <gpx>.
func (g *gpxTrackReader) root() error {
	for {
		tok, err := g.tokens.Token()
		if errors.Is(err, io.EOF) {
			return fatal(1, "the input is empty; expected a GPX 1.1 document")
		}
		if err != nil {
			return g.broken(1, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "gpx" {
				return fatal(1, "expected a GPX document (root element <gpx>), not <%s>", truncate(t.Name.Local, 40))
			}
			return nil
		case xml.CharData:
			if len(strings.TrimSpace(string(t))) > 0 {
				return fatal(1, "expected a GPX document (XML with the root element <gpx>)")
			}
		}
	}
}

// nextTrk reads the children of <gpx> up to the start of the next <trk>,
// keeping the author from <metadata> and skipping everything else. At
// </gpx> it checks that the input ends and returns io.EOF.
func (g *gpxTrackReader) nextTrk() error {
	for {
		tok, err := g.tokens.Token()
		if err != nil {
			return g.broken(g.n+1, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "trk":
				return nil
			case "metadata":
				var m struct {
					Author *gpx.PersonType `xml:"author"`
				}
				bad, err := g.decode(&m, &t)
				if err != nil {
					return g.broken(g.n+1, err)
				}
				if bad == nil && m.Author != nil {
					g.author = strings.TrimSpace(m.Author.Name)
				}
			default:
				if err := g.tokens.skip(); err != nil {
					return g.broken(g.n+1, err)
				}
			}
		case xml.EndElement: // </gpx>
			return g.end()
		}
	}
}

// end checks that nothing but comments and white space follows </gpx>, and
// returns io.EOF. Trouble there is at the last record (or the first, when
// there is none).
func (g *gpxTrackReader) end() error {
	n := max(g.n, 1)
	for {
		tok, err := g.tokens.Token()
		if errors.Is(err, io.EOF) {
			return io.EOF
		}
		if err != nil {
			return g.broken(n, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return fatal(n, "unexpected <%s> after </gpx>", truncate(t.Name.Local, 40))
		case xml.CharData:
			if len(strings.TrimSpace(string(t))) > 0 {
				return fatal(n, "unexpected text after </gpx>")
			}
		}
	}
}

// track reads the <trk> just opened into b.
func (g *gpxTrackReader) track(b *trackBuilder) error {
	var (
		point      int // 1-based number of the <trkpt> in the track
		firstNoT   int // the first point without a time
		moreNoTime int // how many more lack one
	)
	for {
		tok, err := g.tokens.Token()
		if err != nil {
			return g.broken(b.rec.N, err)
		}
		switch t := tok.(type) {
		case xml.EndElement: // </trk>
			if firstNoT > 0 {
				reason := fmt.Sprintf("point %d has no <time>; every <trkpt> needs one", firstNoT)
				if moreNoTime > 0 {
					reason += fmt.Sprintf(" (%d more points lack one)", moreNoTime)
				}
				b.bad("time", reason)
			}
			return nil
		case xml.StartElement:
			if t.Name.Local != "trkseg" {
				if err := g.tokens.skip(); err != nil {
					return g.broken(b.rec.N, err)
				}
				continue
			}
			err := g.segment(func(f data.Fix) {
				point++
				b.add(f)
			}, func(pt *xml.StartElement) error {
				point++
				f, err := g.point(b, point, pt)
				switch {
				case err != nil:
					return err
				case f == nil:
				case f.Time.IsZero():
					if firstNoT == 0 {
						firstNoT = point
					} else {
						moreNoTime++
					}
				default:
					b.add(*f)
				}
				return nil
			})
			if err != nil {
				return g.broken(b.rec.N, err)
			}
		}
	}
}

// segment hands the <trkpt>s of the <trkseg> just opened, in order, to
// fast when scanTrkpt reads them and else to each.
func (g *gpxTrackReader) segment(fast func(data.Fix), each func(*xml.StartElement) error) error {
	for {
		if g.tokens.element && !g.slow {
			g.src.takePoints(fast)
		}
		tok, err := g.tokens.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			if t.Name.Local != "trkpt" {
				if err := g.tokens.skip(); err != nil {
					return err
				}
				continue
			}
			if err := each(&t); err != nil {
				return err
			}
		}
	}
}

// point decodes <trkpt> number i. A point whose values cannot be read adds a
// problem to b and gives nil; err is for broken XML.
func (g *gpxTrackReader) point(b *trackBuilder, i int, start *xml.StartElement) (*data.Fix, error) {
	var w gpx.WptType
	bad, err := g.decode(&w, start)
	if err != nil {
		return nil, err
	}
	// The library reads a missing lat or lon as 0; say so instead. Its
	// error for a bad one names neither, so check both first.
	ok := true
	for _, name := range []string{"lat", "lon"} {
		if reason := coordAttr(start, name); reason != "" {
			b.bad(name, fmt.Sprintf("point %d: %s", i, reason))
			ok = false
		}
	}
	if bad != nil && ok {
		field, reason := wptProblem(bad)
		b.bad(field, fmt.Sprintf("point %d: %s", i, reason))
	}
	if bad != nil || !ok {
		return nil, nil
	}
	return &data.Fix{Time: w.Time, Point: orb.Point{w.Lon, w.Lat}}, nil
}

// coordAttr says what is wrong with the lat or lon attribute of start.
func coordAttr(start *xml.StartElement, name string) string {
	for _, a := range start.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			if _, err := strconv.ParseFloat(strings.TrimSpace(a.Value), 64); err != nil {
				return fmt.Sprintf("the %s attribute must be a number, not %q", name, truncate(a.Value, 40))
			}
			return ""
		}
	}
	return fmt.Sprintf("the %s attribute is required: <trkpt lat=\"39.112\" lon=\"117.226\">", name)
}

// wptProblem describes why go-gpx could not read a <trkpt>.
func wptProblem(err error) (field, reason string) {
	var te *time.ParseError
	var ne *strconv.NumError
	switch {
	case errors.As(err, &te):
		return "time", fmt.Sprintf("<time> %q must be an ISO 8601 time, e.g. 2026-05-11T00:30:00Z", truncate(te.Value, 40))
	case errors.As(err, &ne):
		return "trkpt", fmt.Sprintf("%q is not a number (in <ele>, <speed>, <course>, <hdop> or another numeric element)", truncate(ne.Num, 40))
	}
	return "trkpt", "is not a valid GPX 1.1 <trkpt>"
}

// decode decodes the element opened by start into v. A value that cannot be
// read (a bad number or time) comes back as bad, with the rest of the
// element skipped so that reading goes on; broken XML and errors of the
// underlying reader come back as err.
//
// Each element is decoded by a decoder of its own: a failed UnmarshalXML
// leaves encoding/xml's Decoder unable to go on, and this way only the
// throwaway one is.
func (g *gpxTrackReader) decode(v any, start *xml.StartElement) (bad, err error) {
	level := g.tokens.depth // start is open at this depth
	g.tokens.first = *start
	d := xml.NewTokenDecoder(g.tokens)
	tok, err := d.Token() // start, so that d expects its end
	if err == nil {
		s := tok.(xml.StartElement)
		err = d.DecodeElement(v, &s)
	}
	var se *xml.SyntaxError
	switch {
	case err == nil:
		return nil, nil
	case g.tokens.err != nil || errors.As(err, &se):
		return nil, err
	}
	for g.tokens.depth >= level {
		if _, err := g.tokens.Token(); err != nil {
			return nil, err
		}
	}
	return err, nil
}

// broken turns an error met while reading record n into what Next returns:
// the underlying reader's errors (a body over its limit, say) as they are,
// and anything else as fatal.
func (g *gpxTrackReader) broken(n int, err error) error {
	var se *xml.SyntaxError
	switch {
	case g.in.err != nil && errors.Is(err, g.in.err) && !errors.Is(err, io.EOF):
		return err
	case errors.As(err, &se):
		if se.Msg == "unexpected EOF" {
			return fatal(n, "the GPX document ends early, at line %d", se.Line+g.src.lines)
		}
		return fatal(n, "malformed XML at line %d: %s", se.Line+g.src.lines, se.Msg)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fatal(n, "the GPX document ends early")
	}
	if strings.Contains(err.Error(), "charset") {
		return fatal(n, "the character set (charset) the document declares is not supported; send UTF-8")
	}
	return fatal(n, "the GPX document cannot be read; check that it is well-formed GPX 1.1")
}

// xmlTokens hands on the tokens of the decoder that reads the input, which
// checks the syntax, keeping the element depth and the first error.
type xmlTokens struct {
	raw     *xml.Decoder
	depth   int
	err     error
	first   xml.Token // handed on before the input's next token
	element bool      // whether the input's last token was a start or an end
}

func (x *xmlTokens) Token() (xml.Token, error) {
	x.element = false
	if tok := x.first; tok != nil {
		x.first = nil
		return tok, nil
	}
	tok, err := x.raw.Token()
	if err != nil {
		if x.err == nil {
			x.err = err
		}
		return nil, err
	}
	switch tok.(type) {
	case xml.StartElement:
		x.depth++
		x.element = true
	case xml.EndElement:
		x.depth--
		x.element = true
	}
	return tok, nil
}

// skip reads to the end of the element just opened.
func (x *xmlTokens) skip() error {
	for level := x.depth; x.depth >= level; {
		if _, err := x.Token(); err != nil {
			return err
		}
	}
	return nil
}
