package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/data"
)

// geojsonTrackReader reads tracks from GeoJSON: a FeatureCollection of
// LineString features, streamed one feature at a time, or one Feature. Each
// feature is one track:
//
//   - geometry: a LineString whose positions are [lon, lat], [lon, lat, ele]
//     or [lon, lat, ele, time], time a Unix time in seconds or milliseconds;
//   - properties: "officer" (a string; TrackDefaults.Officer when absent),
//     "source_id" (a string or an integer; see below), and the times of the
//     positions as "times" or "coordTimes" (the name togeojson writes): an
//     array with one RFC 3339 time with a zone, or one Unix time, per
//     position. The property wins over 4th coordinate values.
//
// A feature without a source_id gets TrackDefaults.SourceID when it is the
// only feature of the input, and DeriveSourceID otherwise.
type geojsonTrackReader struct {
	features *geojsonReader // the feature stream; its n counts features fetched
	d        TrackDefaults
	n        int             // records returned
	started  bool            // whether ahead holds the first feature
	ahead    json.RawMessage // the feature after the last one returned
	aheadErr error           // or why there is none (io.EOF at the end)
}

func newGeoJSONTrackReader(r io.Reader, d TrackDefaults) TrackReader {
	return &geojsonTrackReader{features: newGeoJSONReader(r, nil), d: d}
}

// Next returns the next track. It reads one feature ahead, to know whether
// the first is the only one.
func (g *geojsonTrackReader) Next() (TrackRecord, error) {
	if !g.started {
		g.started = true
		g.ahead, g.aheadErr = g.fetch()
	}
	if g.aheadErr != nil {
		return TrackRecord{}, g.aheadErr
	}
	raw := g.ahead
	g.ahead, g.aheadErr = g.fetch()
	g.n++
	single := g.n == 1 && errors.Is(g.aheadErr, io.EOF)
	return parseTrackFeature(g.n, raw, g.d, single), nil
}

func (g *geojsonTrackReader) fetch() (json.RawMessage, error) {
	raw, err := g.features.nextFeature()
	if err == nil {
		g.features.n++
	}
	return raw, err
}

// Reasons shared by the GeoJSON track checks.
const (
	reasonFeature    = `each member of "features" must be a GeoJSON Feature object`
	reasonLineString = "must be a GeoJSON LineString whose positions are [lon, lat], [lon, lat, ele] or [lon, lat, ele, time]"
	reasonTimeValue  = "must be an RFC 3339 time with a zone (e.g. 2026-05-11T08:30:00+08:00) or a Unix time in seconds or milliseconds"
	reasonNoTimes    = `are required: give each position a time, in a "times" property (one RFC 3339 time per position) or as a 4th coordinate value [lon, lat, ele, unix_time]`
)

// parseTrackFeature reads record n, one GeoJSON Feature holding a track.
func parseTrackFeature(n int, raw json.RawMessage, d TrackDefaults, single bool) TrackRecord {
	b := newTrackBuilder(n)
	var f jsonFields
	if err := json.Unmarshal(raw, &f); err != nil || f == nil || typeOf(f) != "Feature" {
		b.bad("type", reasonFeature)
		return b.rec
	}
	props := jsonFields{}
	if p, ok := f.get("properties"); ok {
		if err := json.Unmarshal(p, &props); err != nil || props == nil {
			b.bad("properties", "must be a JSON object")
			props = jsonFields{}
		}
	}
	officer, _, reason := props.text("officer")
	if reason != "" {
		b.bad("officer", reason)
	}
	sourceID, _, reason := props.text("source_id")
	if reason != "" {
		b.bad("source_id", reason)
	}
	positions, reason := lineStringPositions(f)
	if reason != "" {
		b.bad("geometry", reason)
	}
	times, field, reason := positionTimes(props, positions)
	if reason != "" {
		b.bad(field, reason)
	}
	if len(b.rec.Problems) == 0 {
		for i, p := range positions {
			b.add(data.Fix{Time: times[i], Point: orb.Point{p[0], p[1]}})
		}
	}
	return b.finish(officer, sourceID, d, single, `is required: set the feature's "officer" property, or give a default officer with the upload`)
}

// lineStringPositions reads the positions of a feature's LineString
// geometry; reason says what is wrong when they cannot be read.
func lineStringPositions(f jsonFields) (positions [][]float64, reason string) {
	raw, ok := f.get("geometry")
	if !ok {
		return nil, "is required: " + reasonLineString
	}
	var g jsonFields
	if err := json.Unmarshal(raw, &g); err != nil || g == nil {
		return nil, reasonLineString
	}
	switch t := typeOf(g); t {
	case "LineString":
	case "MultiLineString":
		return nil, "must be a LineString: send each part of a MultiLineString as a Feature of its own"
	case "":
		return nil, reasonLineString
	default:
		return nil, fmt.Sprintf("must be a LineString, not a %s", truncate(t, 40))
	}
	coords, ok := g.get("coordinates")
	if !ok {
		return nil, "a LineString needs coordinates: an array of [lon, lat, ele, time] positions"
	}
	// null decodes into a float64 as 0 without an error, so a null
	// anywhere sends the coordinates through the slow path that names it.
	if err := json.Unmarshal(coords, &positions); err != nil || bytes.Contains(coords, []byte("null")) {
		return nil, badPosition(coords)
	}
	for i, p := range positions {
		if len(p) < 2 || len(p) > 4 {
			return nil, fmt.Sprintf("position %d has %d values; expected [lon, lat], [lon, lat, ele] or [lon, lat, ele, time]", i+1, len(p))
		}
	}
	return positions, ""
}

// badPosition says which position of coordinates that do not decode as
// arrays of numbers is wrong.
func badPosition(coords json.RawMessage) string {
	var ps []json.RawMessage
	if err := json.Unmarshal(coords, &ps); err != nil {
		return "coordinates must be an array of positions, each an array of numbers"
	}
	for i, p := range ps {
		var vs []json.RawMessage
		if err := json.Unmarshal(p, &vs); err != nil || vs == nil {
			return fmt.Sprintf("position %d must be an array of numbers [lon, lat, ele, time]", i+1)
		}
		for j, v := range vs {
			if _, ok := jsonNumber(v); !ok {
				return fmt.Sprintf("position %d: value %d must be a number", i+1, j+1)
			}
		}
	}
	return "coordinates must be arrays of numbers"
}

// positionTimes returns one time per position, from the "times" or
// "coordTimes" property or else from the 4th value of each position. When
// they cannot be read, field and reason say why.
func positionTimes(props jsonFields, positions [][]float64) (times []time.Time, field, reason string) {
	for _, name := range []string{"times", "coordTimes"} {
		raw, ok := props.get(name)
		if !ok {
			continue
		}
		var vs []json.RawMessage
		if err := json.Unmarshal(raw, &vs); err != nil {
			return nil, name, "must be an array with one time per position"
		}
		if positions == nil { // the geometry's problem is reported already
			return nil, "", ""
		}
		if len(vs) != len(positions) {
			return nil, name, fmt.Sprintf("has %d times for %d positions; give exactly one time per position", len(vs), len(positions))
		}
		times = make([]time.Time, len(vs))
		for i, v := range vs {
			t, reason := timeValue(v)
			if reason != "" {
				return nil, name, fmt.Sprintf("time %d %s", i+1, reason)
			}
			times[i] = t
		}
		return times, "", ""
	}
	if positions == nil {
		return nil, "", ""
	}
	times = make([]time.Time, len(positions))
	for i, p := range positions {
		if len(p) < 4 {
			if i == 0 {
				return nil, "times", reasonNoTimes
			}
			return nil, "times", fmt.Sprintf("position %d has no time (a 4th value) though position 1 has one; every position needs a time", i+1)
		}
		t, reason := epochTime(p[3])
		if reason != "" {
			return nil, "times", fmt.Sprintf("position %d: the time (4th value) %s", i+1, reason)
		}
		times[i] = t
	}
	return times, "", ""
}

// timeValue reads a time given as an RFC 3339 string or a Unix time number.
func timeValue(raw json.RawMessage) (time.Time, string) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil && !isNull(raw) {
		if t, reason := parseTime(s); reason == "" {
			return t, ""
		}
		return time.Time{}, reasonTimeValue
	}
	if v, ok := jsonNumber(raw); ok {
		if t, reason := epochTime(v); reason == "" {
			return t, ""
		}
	}
	return time.Time{}, reasonTimeValue
}

// jsonNumber reads a JSON number; null is not one.
func jsonNumber(raw json.RawMessage) (float64, bool) {
	var v float64
	if err := json.Unmarshal(raw, &v); err != nil || isNull(raw) {
		return 0, false
	}
	return v, true
}

func isNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

// maxTrackProblems is how many problems one track record lists; the rest
// are counted in one last problem, so that a long track of bad fixes does
// not fill memory with reasons.
const maxTrackProblems = 20

// trackBuilder collects one track record, for every track reader: fixes up
// to one past data.MaxFixes, and problems up to maxTrackProblems.
type trackBuilder struct {
	rec     TrackRecord
	dropped int // problems not listed
}

func newTrackBuilder(n int) *trackBuilder { return &trackBuilder{rec: TrackRecord{N: n}} }

// bad adds a problem with field, the wire name.
func (b *trackBuilder) bad(field, reason string) {
	if len(b.rec.Problems) >= maxTrackProblems {
		b.dropped++
		return
	}
	b.rec.Problems = append(b.rec.Problems, data.Problem{Record: b.rec.N, Field: field, Reason: reason})
}

// has reports whether a problem with field was added.
func (b *trackBuilder) has(field string) bool {
	for _, p := range b.rec.Problems {
		if p.Field == field {
			return true
		}
	}
	return false
}

// add appends a fix; past data.MaxFixes+1 fixes it only says so once.
func (b *trackBuilder) add(f data.Fix) {
	fs := &b.rec.Track.Fixes
	if len(*fs) > data.MaxFixes {
		return
	}
	*fs = append(*fs, f)
	if len(*fs) > data.MaxFixes {
		b.bad("fixes", fmt.Sprintf("a track may have at most %d fixes; split a longer patrol into several tracks", data.MaxFixes))
	}
}

// finish sets the officer and the source id and returns the record. An
// officer or source id that was present but unreadable has its problem
// already and gets no fallback. Otherwise the officer falls back to
// d.Officer, and a missing one is a problem with reason noOfficer; the
// source id falls back to d.SourceID when the input holds this track only
// (single), and else to DeriveSourceID.
func (b *trackBuilder) finish(officer, sourceID string, d TrackDefaults, single bool, noOfficer string) TrackRecord {
	t := &b.rec.Track
	if officer == "" && !b.has("officer") {
		officer = d.Officer
		if strings.TrimSpace(officer) == "" {
			b.bad("officer", noOfficer)
		}
	}
	if sourceID == "" && !b.has("source_id") {
		if single && d.SourceID != "" {
			sourceID = d.SourceID
		} else {
			sourceID = DeriveSourceID(officer, t.Fixes)
		}
	}
	t.Officer, t.SourceID = officer, sourceID
	if b.dropped > 0 {
		b.rec.Problems = append(b.rec.Problems, data.Problem{Record: b.rec.N, Field: "fixes",
			Reason: fmt.Sprintf("%d more problems are not listed; fix the ones above and send the track again", b.dropped)})
	}
	return b.rec
}
