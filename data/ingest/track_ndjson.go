package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/dazhigu/hotspot/data"
)

// fixReader reads tracks from NDJSON fixes, one a line:
//
//	{"officer": "A01", "time": "2026-05-11T08:30:00+08:00", "lon": 117.2255, "lat": 39.112, "track": "am"}
//
// time is an RFC 3339 time with a zone or a Unix time in seconds or
// milliseconds; track, optional, is the track's source id (a string or an
// integer); officer falls back to TrackDefaults.Officer. Blank lines are
// skipped and a line may be at most MaxLine bytes.
//
// A track is a maximal run of consecutive lines with the same officer and
// track; its record number is its ordinal in the input, and a problem of one
// of its lines names the line. A run whose officer and track were already
// seen in an earlier run is a problem: fixes must come grouped by track. A
// line that names no usable officer or track (malformed JSON, a wrong type)
// cannot start a run: its problem goes to the run in progress, or, before
// the first run, to the first one (or to a record of its own when no line
// of the input is usable). The source id is the track value, else
// TrackDefaults.SourceID when the input holds one track, else
// DeriveSourceID.
type fixReader struct {
	lines  *lines
	d      TrackDefaults
	n      int            // records returned
	run    *fixRun        // the run in progress
	orphan []fixProblem   // problems of unusable lines before the first run
	done   map[fixKey]int // the record number of each finished run
	err    error          // what every later Next returns
}

// fixKey is what groups fixes into tracks.
type fixKey struct{ officer, track string }

// fixRun is a track being read.
type fixRun struct {
	key fixKey
	b   *trackBuilder
}

func newFixReader(r io.Reader, d TrackDefaults) TrackReader {
	return &fixReader{lines: newLines(r), d: d, done: map[fixKey]int{}}
}

// Next returns the next track: it reads up to the first line of the track
// after it, or to the end of the input.
func (f *fixReader) Next() (TrackRecord, error) {
	if f.err != nil {
		return TrackRecord{}, f.err
	}
	for {
		b, err := f.lines.next(f.n + 1)
		if errors.Is(err, io.EOF) {
			f.err = io.EOF
			switch {
			case f.run != nil:
				return f.close(f.n == 0), nil
			case len(f.orphan) > 0:
				return f.orphanRecord(), nil
			}
			return TrackRecord{}, io.EOF
		}
		if err != nil {
			f.err = err
			return TrackRecord{}, err
		}
		line := f.lines.line
		key, fix, problems := f.parse(b, line)
		if key == nil {
			if f.run == nil {
				f.orphan = append(f.orphan, problems...)
				continue
			}
			for _, p := range problems {
				f.run.b.bad(p.field, p.reason)
			}
			continue
		}
		var rec *TrackRecord
		if f.run != nil && f.run.key != *key {
			r := f.close(false)
			rec = &r
		}
		if f.run == nil {
			f.start(*key, line)
		}
		for _, p := range problems {
			f.run.b.bad(p.field, p.reason)
		}
		if fix != nil {
			f.run.b.add(*fix)
		}
		if rec != nil {
			return *rec, nil
		}
	}
}

// start begins the run of key at line.
func (f *fixReader) start(key fixKey, line int) {
	f.run = &fixRun{key: key, b: newTrackBuilder(f.n + 1)}
	for _, p := range f.orphan {
		f.run.b.bad(p.field, p.reason)
	}
	f.orphan = nil
	if first, seen := f.done[key]; seen {
		who := "officer " + strconv.Quote(key.officer)
		if key.track != "" {
			who += " (track " + strconv.Quote(key.track) + ")"
		}
		f.run.b.bad("officer", fmt.Sprintf("fixes of %s are not contiguous: line %d continues record %d, which other fixes interrupted; group each track's fixes together, in time order", who, line, first))
	}
}

// close finishes the run in progress and returns its record.
func (f *fixReader) close(single bool) TrackRecord {
	run := f.run
	f.run = nil
	f.n++
	if _, seen := f.done[run.key]; !seen {
		f.done[run.key] = run.b.rec.N
	}
	return run.b.finish(run.key.officer, run.key.track, f.d, single, `is required: give "officer" on every line, or a default officer with the upload`)
}

// orphanRecord is a record of its own for unusable lines when no line of the
// input started a track.
func (f *fixReader) orphanRecord() TrackRecord {
	f.n++
	b := newTrackBuilder(f.n)
	for _, p := range f.orphan {
		b.bad(p.field, p.reason)
	}
	f.orphan = nil
	return b.rec
}

// fixProblem is a problem of one line, its reason naming the line.
type fixProblem struct{ field, reason string }

// parse reads one line. A nil key means the line names no usable officer or
// track, and problems say why; otherwise problems are the line's, and fix
// is nil when they leave no usable fix. A line of the common flat shape is
// decoded by hand (parseFlatFix), any other with encoding/json.
func (f *fixReader) parse(b []byte, line int) (key *fixKey, fix *data.Fix, problems []fixProblem) {
	if l, ok := parseFlatFix(b); ok {
		if l.officer == "" {
			l.officer = f.d.Officer
		}
		return &fixKey{officer: l.officer, track: l.track}, &l.fix, nil
	}
	return f.parseSlow(b, line)
}

// parseSlow is parse with encoding/json, for any line.
func (f *fixReader) parseSlow(b []byte, line int) (key *fixKey, fix *data.Fix, problems []fixProblem) {
	at := "line " + strconv.Itoa(line) + ": "
	var v struct {
		Officer, Track, Time, Lon, Lat json.RawMessage
	}
	if b[0] != '{' || json.Unmarshal(b, &v) != nil {
		return nil, nil, []fixProblem{{"body", at + "is not a JSON object (one fix a line, e.g. {\"officer\":\"A01\",\"time\":\"2026-05-11T08:30:00+08:00\",\"lon\":117.2255,\"lat\":39.112})"}}
	}
	officer, reason := idText(v.Officer, false)
	if reason != "" {
		return nil, nil, []fixProblem{{"officer", at + "officer " + reason}}
	}
	if officer == "" {
		officer = f.d.Officer
	}
	track, reason := idText(v.Track, true)
	if reason != "" {
		return nil, nil, []fixProblem{{"track", at + "track " + reason}}
	}
	bad := func(field, reason string) { problems = append(problems, fixProblem{field, at + field + " " + reason}) }
	var t data.Fix
	switch raw := v.Time; {
	case raw == nil || isNull(raw):
		bad("time", "is required")
	default:
		var reason string
		if t.Time, reason = timeValue(raw); reason != "" {
			bad("time", reason)
		}
	}
	for i, c := range []struct {
		name string
		raw  json.RawMessage
	}{{"lon", v.Lon}, {"lat", v.Lat}} {
		switch x, ok := jsonNumber(c.raw); {
		case c.raw == nil || isNull(c.raw):
			bad(c.name, "is required")
		case !ok:
			bad(c.name, "must be a number")
		default:
			t.Point[i] = x
		}
	}
	key = &fixKey{officer: officer, track: track}
	if len(problems) > 0 {
		return key, nil, problems
	}
	return key, &t, nil
}

// idText reads an id given as a JSON string or, when integerOK, an integer
// (platforms often number their records). Absent and null give "".
func idText(raw json.RawMessage, integerOK bool) (s, reason string) {
	if raw == nil || isNull(raw) {
		return "", ""
	}
	if reason := textProblem(raw); reason != "" {
		return "", reason
	}
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, ""
	}
	if !integerOK {
		return "", "must be a string"
	}
	if n, err := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64); err == nil {
		return strconv.FormatInt(n, 10), ""
	}
	return "", "must be a string or an integer"
}
