package data

import (
	"strconv"
	"time"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/geo"
)

// Fix is one GPS fix of a patrol track. Point is WGS-84.
type Fix struct {
	Time  time.Time
	Point orb.Point
}

// Dwell is patrol presence: seconds spent in one H3 cell (resolution
// CellResolution) during one clock hour starting at Hour (UTC).
type Dwell struct {
	Cell    h3.Cell
	Hour    time.Time
	Seconds float64
}

// Track is one officer's (or unit's) GPS track with the dwell derived from it.
// (Officer, SourceID) is unique: re-sending a track is harmless.
type Track struct {
	ID       int64
	Officer  string
	SourceID string
	Datum    string // datum the fixes arrived in; fixes are stored in WGS-84
	Fixes    []Fix
	Dwell    []Dwell
	Start    time.Time // first fix
	End      time.Time // last fix
	NFixes   int       // len(Fixes) when fixes are not loaded
	Seconds  float64   // total dwell seconds counted as presence
}

// MaxFixes is the most fixes one track may have.
const MaxFixes = 100000

// Validate checks a track's fields and the order of its fixes.
func (t *Track) Validate() []Problem {
	var ps []Problem
	add := func(field, reason string) { ps = append(ps, Problem{Field: field, Reason: reason}) }
	if reason := CheckID(t.Officer); reason != "" {
		add("officer", reason)
	}
	if reason := CheckID(t.SourceID); reason != "" {
		add("source_id", reason)
	}
	if !oneOf(t.Datum, Datums) {
		add("crs", "must be one of wgs84, gcj02, bd09")
	}
	switch {
	case len(t.Fixes) < 2:
		add("fixes", "a track needs at least two fixes")
	case len(t.Fixes) > MaxFixes:
		add("fixes", "a track may have at most 100000 fixes")
	}
	for i, f := range t.Fixes {
		if reason := checkPoint(f.Point); reason != "" {
			add("fixes", "fix "+strconv.Itoa(i+1)+": "+reason)
			break
		}
		if f.Time.IsZero() {
			add("time", "fix "+strconv.Itoa(i+1)+": time is required")
			break
		}
		if i > 0 && f.Time.Before(t.Fixes[i-1].Time) {
			add("time", "fix "+strconv.Itoa(i+1)+": fixes must be in time order")
			break
		}
	}
	type cellHour struct {
		cell h3.Cell
		hour int64
	}
	seen := make(map[cellHour]bool, len(t.Dwell))
	for _, d := range t.Dwell {
		k := cellHour{d.Cell, d.Hour.Unix()}
		switch {
		case d.Seconds < 0 || d.Seconds > 3600 || !d.Cell.IsValid():
			add("dwell", "dwell must be 0..3600 s in a valid cell")
		case d.Cell.Resolution() != CellResolution:
			add("dwell", "dwell cells must be at resolution 12")
		case seen[k]:
			add("dwell", "a cell and hour may appear once in a track's dwell")
		default:
			seen[k] = true
			continue
		}
		break
	}
	return ps
}

// CheckTracks validates every track of a batch: nil, or an EINVALID *Error
// with one Problem per rejected field, numbered from 1. Every store checks
// a batch with it before it writes.
func CheckTracks(ts []Track) error {
	var ps []Problem
	for i := range ts {
		for _, p := range ts[i].Validate() {
			p.Record = i + 1
			ps = append(ps, p)
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "the batch has invalid tracks; nothing was stored", Problems: ps}
}

// TrackFilter selects tracks. Zero fields do not filter.
type TrackFilter struct {
	Officer   string
	From, To  time.Time // tracks overlapping [From, To)
	After     int64     // cursor: ids greater than this
	Offset    int       // skip this many matches (after After) first
	Limit     int
	WithFixes bool // load the fixes too
	WithDwell bool // load the dwell too
}

// SetDwell computes the track's dwell from its WGS-84 fixes with geo.Dwell at
// CellResolution, and sets its totals and time span. It returns what the
// conversion counted and dropped.
func (t *Track) SetDwell(opt geo.DwellOptions) geo.DwellSummary {
	gfs := make([]geo.Fix, len(t.Fixes))
	for i, f := range t.Fixes {
		gfs[i] = geo.Fix{Time: f.Time, Point: f.Point}
	}
	opt.Res = CellResolution
	cells, sum := geo.Dwell(gfs, opt)
	t.Dwell = make([]Dwell, len(cells))
	t.Seconds = 0
	for i, c := range cells {
		t.Dwell[i] = Dwell{Cell: c.Cell, Hour: c.Hour.UTC(), Seconds: c.Seconds}
		t.Seconds += c.Seconds
	}
	t.NFixes = len(t.Fixes)
	if n := len(t.Fixes); n > 0 {
		t.Start, t.End = t.Fixes[0].Time, t.Fixes[n-1].Time
	}
	return sum
}
