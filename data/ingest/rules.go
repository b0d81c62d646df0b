package ingest

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

// Rules are what records are checked against beyond their own validity: the
// taxonomy, the service area, plausible times, and the key roads they are
// placed on.
type Rules struct {
	Categories map[string]bool // known category codes; nil accepts any
	Area       orb.Polygon     // service area, WGS-84; nil accepts anywhere
	AreaMargin float64         // meters outside Area still accepted; 0: DefaultAreaMargin
	// Scope, when set, is the area a scoped key writes in: a place must lie
	// in it, without margin.
	Scope    *data.Area
	Roads    []data.Road // key roads to place violations on
	Now      func() time.Time
	MaxAhead time.Duration // how far past Now a time may be; 0: DefaultMaxAhead
	Dwell    geo.DwellOptions
}

// Defaults of Rules.
const (
	DefaultAreaMargin = 2000.0 // meters: a block or two past the boundary
	DefaultMaxAhead   = time.Hour
)

// EarliestYear is the first year of observations accepted: older records
// are typos (a year of 0001 or 1970), not history.
const EarliestYear = 2000

// Violation converts rec's point from datum to WGS-84, checks the record and,
// when it has no problems, places it on the roads.
func (r *Rules) Violation(rec *ViolationRecord, datum string) {
	v := &rec.V
	v.Datum = datum
	if geo.ValidDatum(datum) {
		v.Point = geo.ToWGS84(v.Point, datum)
	}
	if hasField(rec.Problems, structural...) {
		return // the record could not be read as one: nothing more to say
	}
	add := func(field, reason string) {
		rec.Problems = append(rec.Problems, data.Problem{Record: rec.N, Field: field, Reason: reason})
	}
	if rec.CRS != "" && rec.CRS != datum { // e.g. a feature read with ?crs=gcj02, posted back without it
		add("crs", "the record says its coordinates are "+rec.CRS+" but the request says "+datum+"; send ?crs="+rec.CRS)
	}
	for _, p := range v.Validate() {
		if !hasField(rec.Problems, p.Field) { // decoding already said what is wrong there
			add(p.Field, p.Reason)
		}
	}
	if v.Category != "" && r.Categories != nil && !r.Categories[v.Category] {
		add("category", "is not a code of the taxonomy (GET /api/v1/categories lists them)")
	}
	if reason := r.checkTime(v.ObservedAt); reason != "" {
		add("observed_at", reason)
	}
	if reason := r.checkTime(v.UpdatedAt); reason != "" {
		add("updated_at", reason)
	}
	if reason := r.CheckPlace(v.Point); reason != "" && !hasField(rec.Problems, "lon/lat") {
		add("lon/lat", reason)
	}
	if len(rec.Problems) == 0 {
		data.Place(v, r.Roads)
	}
}

// structural are the fields of problems that mean a record could not be
// read as a whole, after which its other fields are not worth checking.
var structural = []string{"body", "type", "properties", "geometry"}

// Track converts rec's fixes from datum to WGS-84, checks the track and,
// when it has no problems, computes its dwell.
func (r *Rules) Track(rec *TrackRecord, datum string) geo.DwellSummary {
	t := &rec.Track
	t.Datum = datum
	if geo.ValidDatum(datum) {
		for i := range t.Fixes {
			t.Fixes[i].Point = geo.ToWGS84(t.Fixes[i].Point, datum)
		}
	}
	if len(rec.Problems) > 0 { // decoding problems: the fixes are incomplete
		return geo.DwellSummary{Fixes: len(t.Fixes)}
	}
	add := func(field, reason string) {
		rec.Problems = append(rec.Problems, data.Problem{Record: rec.N, Field: field, Reason: reason})
	}
	for _, p := range t.Validate() {
		add(p.Field, p.Reason)
	}
	for i, f := range t.Fixes {
		if reason := r.checkTime(f.Time); reason != "" {
			add("time", "fix "+strconv.Itoa(i+1)+": "+reason)
			break
		}
		if reason := r.CheckPlace(f.Point); reason != "" && !hasField(rec.Problems, "fixes") {
			add("lon/lat", "fix "+strconv.Itoa(i+1)+": "+reason)
			break
		}
	}
	if len(rec.Problems) > 0 {
		return geo.DwellSummary{Fixes: len(t.Fixes)}
	}
	return t.SetDwell(r.Dwell)
}

func (r *Rules) checkTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	now, ahead := time.Now(), r.MaxAhead
	if r.Now != nil {
		now = r.Now()
	}
	if ahead <= 0 {
		ahead = DefaultMaxAhead
	}
	switch {
	case t.After(now.Add(ahead)):
		return "is in the future (" + t.Format(time.RFC3339) + "); check the device clock and the zone"
	case t.Year() < EarliestYear:
		return "is before 2000; check the date"
	}
	return ""
}

// CheckPlace says why p (WGS-84) lies too far outside the service area to
// be one of its places, "" when it does not (or there is no area).
func (r *Rules) CheckPlace(p orb.Point) string {
	if !finite(p) {
		return ""
	}
	if r.Scope != nil && !r.Scope.Holds(p) {
		return "lies outside " + r.Scope.ID + ", the only area this key may write in"
	}
	if r.Area == nil {
		return ""
	}
	margin := r.AreaMargin
	if margin <= 0 {
		margin = DefaultAreaMargin
	}
	if d := geo.OutsideBy(r.Area, p); d > margin {
		return "lies " + strconv.FormatFloat(d/1000, 'f', 1, 64) + " km outside the service area; check the coordinates, their order (longitude first) and ?crs"
	}
	return ""
}

func finite(p orb.Point) bool {
	return p[0] == p[0] && p[1] == p[1] && p[0]-p[0] == 0 && p[1]-p[1] == 0 &&
		p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90
}

// hasField reports whether a problem names one of fields.
func hasField(ps []data.Problem, fields ...string) bool {
	for _, p := range ps {
		if slices.Contains(fields, p.Field) {
			return true
		}
	}
	return false
}

// RulesSource is where LoadRules finds the taxonomy and the key roads.
type RulesSource interface {
	Roads(ctx context.Context) ([]data.Road, error)
	Categories(ctx context.Context) ([]data.Category, error)
}

// LoadRules returns rules with the store's taxonomy and key roads as they
// are now, and the service area given.
func LoadRules(ctx context.Context, s RulesSource, area orb.Polygon) (*Rules, error) {
	roads, err := s.Roads(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := s.Categories(ctx)
	if err != nil {
		return nil, err
	}
	known := make(map[string]bool, len(cats))
	for _, c := range cats {
		known[c.Code] = true
	}
	return &Rules{Categories: known, Area: area, Roads: roads}, nil
}
