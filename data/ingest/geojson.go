package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/data"
)

// geojsonReader streams the features of a FeatureCollection, or reads one
// Feature, handing each feature's raw JSON to parse.
type geojsonReader struct {
	in    *readErr
	dec   *json.Decoder
	parse func(n int, raw json.RawMessage) ViolationRecord
	n     int
	state int // 0 before the features, 1 inside the array, 2 done
	top   map[string]json.RawMessage
}

func newGeoJSONReader(r io.Reader, parse func(int, json.RawMessage) ViolationRecord) *geojsonReader {
	in := &readErr{r: r}
	return &geojsonReader{in: in, dec: json.NewDecoder(in), parse: parse, top: map[string]json.RawMessage{}}
}

func (g *geojsonReader) Next() (ViolationRecord, error) {
	raw, err := g.nextFeature()
	if err != nil {
		return ViolationRecord{}, err
	}
	g.n++
	return g.parse(g.n, raw), nil
}

// nextFeature returns the next feature's JSON, or io.EOF after the last.
func (g *geojsonReader) nextFeature() (json.RawMessage, error) {
	switch g.state {
	case 0:
		return g.start()
	case 1:
		if g.dec.More() {
			var raw json.RawMessage
			if err := g.dec.Decode(&raw); err != nil {
				return nil, g.malformed(g.n+1, err)
			}
			return raw, nil
		}
		g.state = 2
		if err := g.finish(); err != nil {
			return nil, err
		}
	}
	return nil, io.EOF
}

// start reads the top-level object up to the features array. An object
// without one must be a single Feature, which is returned whole.
func (g *geojsonReader) start() (json.RawMessage, error) {
	if err := g.expect('{', "a GeoJSON FeatureCollection or Feature (a JSON object)"); err != nil {
		return nil, err
	}
	for g.dec.More() {
		key, err := g.key()
		if err != nil {
			return nil, err
		}
		if key == "features" {
			if err := g.expect('[', "the features of a FeatureCollection (a JSON array)"); err != nil {
				return nil, err
			}
			if err := g.checkType("FeatureCollection"); err != nil {
				return nil, err
			}
			g.state = 1
			return g.nextFeature()
		}
		var raw json.RawMessage
		if err := g.dec.Decode(&raw); err != nil {
			return nil, g.malformed(1, err)
		}
		g.top[key] = raw
	}
	g.state = 2
	if err := g.end(); err != nil {
		return nil, err
	}
	if typeOf(g.top) != "Feature" {
		return nil, fatal(1, `expected a GeoJSON FeatureCollection (with "features") or a Feature`)
	}
	b, _ := json.Marshal(g.top)
	return b, nil
}

// finish reads what follows the features array and checks the input ends.
func (g *geojsonReader) finish() error {
	if err := g.expect(']', "the end of the features array"); err != nil {
		return err
	}
	for g.dec.More() {
		key, err := g.key()
		if err != nil {
			return err
		}
		if key == "features" {
			return fatal(max(g.n, 1), `the GeoJSON object has "features" twice`)
		}
		var raw json.RawMessage
		if err := g.dec.Decode(&raw); err != nil {
			return g.malformed(max(g.n, 1), err)
		}
		g.top[key] = raw
	}
	if err := g.end(); err != nil {
		return err
	}
	return g.checkType("FeatureCollection")
}

// end reads the closing brace of the top-level object and the end of input.
func (g *geojsonReader) end() error {
	if err := g.expect('}', "the end of the GeoJSON object"); err != nil {
		return err
	}
	if _, err := g.dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return g.malformed(max(g.n, 1), err)
		}
		return fatal(max(g.n, 1), "unexpected data after the GeoJSON object")
	}
	return nil
}

func (g *geojsonReader) checkType(want string) error {
	if t := typeOf(g.top); t != "" && t != want {
		return fatal(g.n+1, "the GeoJSON type is %q; expected %q", t, want)
	}
	return nil
}

func (g *geojsonReader) key() (string, error) {
	tok, err := g.dec.Token()
	if err != nil {
		return "", g.malformed(g.n+1, err)
	}
	key, ok := tok.(string)
	if !ok {
		return "", fatal(g.n+1, "malformed JSON: expected an object key")
	}
	return key, nil
}

func (g *geojsonReader) expect(delim json.Delim, what string) error {
	tok, err := g.dec.Token()
	if errors.Is(err, io.EOF) {
		return fatal(g.n+1, "the input ended early; expected %s", what)
	}
	if err != nil {
		return g.malformed(g.n+1, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != delim {
		return fatal(g.n+1, "expected %s", what)
	}
	return nil
}

func typeOf(members map[string]json.RawMessage) string {
	var t string
	_ = json.Unmarshal(members["type"], &t)
	return t
}

// malformed is the error for a decoding error at record n: the underlying
// reader's own error (such as a body over its size limit) as it is, and
// anything else fatal, in words for people.
func (g *geojsonReader) malformed(n int, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case g.in.err != nil && !errors.Is(g.in.err, io.EOF) && errors.Is(err, g.in.err):
		return err
	case errors.As(err, &se):
		return fatal(n, "malformed JSON at byte %d: %s", se.Offset, se.Error())
	case errors.As(err, &te):
		return fatal(n, "malformed JSON at byte %d: a %s that cannot be read (a number out of range?)", te.Offset, te.Value)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fatal(n, "malformed JSON: the input ended in the middle of a value")
	}
	return fatal(n, "malformed JSON")
}

// parseViolationFeature reads one GeoJSON Feature holding a violation.
func parseViolationFeature(n int, raw json.RawMessage) ViolationRecord {
	var f struct {
		Type       string          `json:"type"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(raw, &f); err != nil || f.Type != "Feature" {
		return problemRecord(n, "type", `each member of "features" must be a GeoJSON Feature object`)
	}
	props := jsonFields{}
	if p := bytes.TrimSpace(f.Properties); len(p) > 0 && !bytes.Equal(p, []byte("null")) {
		if err := json.Unmarshal(p, &props); err != nil {
			return problemRecord(n, "properties", "must be a JSON object")
		}
	}
	point, reason := pointGeometry(f.Geometry)
	if reason != "" {
		return problemRecord(n, "geometry", reason)
	}
	return checkText(violationFrom(n, props, point), f.Properties)
}

// checkText refuses rec when raw, its JSON, holds no text (see textProblem)
// where its fields' checks did not look: in a member's name, which
// json.Unmarshal quietly repairs.
func checkText(rec ViolationRecord, raw []byte) ViolationRecord {
	if reason := textProblem(raw); reason != "" && len(rec.Problems) == 0 {
		rec.Problems = append(rec.Problems, data.Problem{Record: rec.N, Field: "body", Reason: "a member's name (or an ignored member's value) " + reason})
	}
	return rec
}

// pointGeometry reads a Point geometry; a null geometry gives nil so the
// coordinates are read from the properties instead.
func pointGeometry(raw json.RawMessage) (*orb.Point, string) {
	if t := bytes.TrimSpace(raw); len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return nil, ""
	}
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if err := json.Unmarshal(raw, &g); err != nil || g.Type != "Point" {
		return nil, "must be a GeoJSON Point"
	}
	var c []float64
	if err := json.Unmarshal(g.Coordinates, &c); err != nil || len(c) < 2 || len(c) > 3 {
		return nil, "a Point's coordinates must be [longitude, latitude] numbers"
	}
	return &orb.Point{c[0], c[1]}, ""
}

func problemRecord(n int, field, reason string) ViolationRecord {
	return ViolationRecord{N: n, V: data.Violation{Segment: -1}, Problems: []data.Problem{{Record: n, Field: field, Reason: reason}}}
}
