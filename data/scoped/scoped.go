// Package scoped narrows a store to one named area: what a key scoped to
// the area may read and write. Reads leave out what lies outside (single
// records outside are not found), writes outside are refused and store
// nothing. The API serves every request of a scoped key through one, so
// that no route can forget the scope.
package scoped

import (
	"context"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

// Store is a store seen from inside one area.
type Store struct {
	data.Store
	area data.Area
}

// New returns s narrowed to area.
func New(s data.Store, area data.Area) *Store { return &Store{Store: s, area: area} }

// outside is the error of a write outside the area.
func (s *Store) outside(what string) error {
	return data.Errorf(data.EFORBIDDEN, "%s lies outside %s, the only area this key may write in; nothing was stored", what, s.area.ID)
}

// bound narrows a filter's bound to the area's; ok is false when the two do
// not meet.
func (s *Store) bound(b *orb.Bound) (*orb.Bound, bool) {
	ab := s.area.Boundary.Bound()
	if b == nil {
		return &ab, true
	}
	if !b.Intersects(ab) {
		return nil, false
	}
	in := orb.Bound{Min: orb.Point{max(b.Min[0], ab.Min[0]), max(b.Min[1], ab.Min[1])},
		Max: orb.Point{min(b.Max[0], ab.Max[0]), min(b.Max[1], ab.Max[1])}}
	return &in, true
}

// Violations returns the violations of f that lie in the area, paged as f
// asks: the store is read a page at a time within the area's bound and each
// record tested against its boundary.
func (s *Store) Violations(ctx context.Context, f data.ViolationFilter) ([]data.Violation, error) {
	var out []data.Violation
	limit, skip := f.PageLimit(), f.Offset
	err := s.eachViolation(ctx, f, func(v data.Violation) bool {
		if skip > 0 {
			skip--
			return true
		}
		out = append(out, v)
		return len(out) < limit
	})
	return out, err
}

// CountViolations counts the violations of f in the area.
func (s *Store) CountViolations(ctx context.Context, f data.ViolationFilter) (int, error) {
	n := 0
	err := s.eachViolation(ctx, f, func(data.Violation) bool { n++; return true })
	return n, err
}

// eachViolation hands each violation of f in the area, in f's order from
// f.After, to keep until it returns false.
func (s *Store) eachViolation(ctx context.Context, f data.ViolationFilter, keep func(data.Violation) bool) error {
	b, ok := s.bound(f.Bound)
	if !ok {
		return nil
	}
	g := f
	g.Bound, g.Offset, g.Limit = b, 0, data.MaxPage
	for {
		vs, err := s.Store.Violations(ctx, g)
		if err != nil {
			return err
		}
		for _, v := range vs {
			if s.area.Holds(v.Point) && !keep(v) {
				return nil
			}
		}
		if len(vs) < g.Limit {
			return nil
		}
		g.After = vs[len(vs)-1].ID
	}
}

// Violation returns a violation in the area; one outside is not found.
func (s *Store) Violation(ctx context.Context, id int64) (data.Violation, error) {
	v, err := s.Store.Violation(ctx, id)
	if err == nil && !s.area.Holds(v.Point) {
		return data.Violation{}, data.Errorf(data.ENOTFOUND, "violation %d not found", id)
	}
	return v, err
}

// PutViolations stores a batch whose every record lies in the area; a batch
// with one outside is refused whole.
func (s *Store) PutViolations(ctx context.Context, vs []data.Violation) ([]data.Outcome, error) {
	for _, v := range vs {
		if !s.area.Holds(v.Point) {
			return nil, s.outside("violation " + v.SourceID)
		}
	}
	return s.Store.PutViolations(ctx, vs)
}

// clip keeps the fixes and dwell of t in the area, and reports whether any
// fix is: a track crossing the area's edge is seen only inside it.
func (s *Store) clip(t *data.Track) bool {
	var fixes []data.Fix
	for _, f := range t.Fixes {
		if s.area.Holds(f.Point) {
			fixes = append(fixes, f)
		}
	}
	if len(fixes) == 0 {
		return false
	}
	if len(fixes) < len(t.Fixes) {
		t.Fixes, t.NFixes = fixes, len(fixes)
		t.Start, t.End = fixes[0].Time, fixes[len(fixes)-1].Time
		var dwell []data.Dwell
		t.Seconds = 0
		for _, d := range t.Dwell {
			if s.area.Holds(cellCentre(d.Cell)) {
				dwell = append(dwell, d)
				t.Seconds += d.Seconds
			}
		}
		t.Dwell = dwell
	}
	return true
}

func cellCentre(c h3.Cell) orb.Point {
	ll := h3.CellToLatLng(c)
	return orb.Point{ll.Lng, ll.Lat}
}

// Tracks returns the tracks of f with a fix in the area, each clipped to it.
func (s *Store) Tracks(ctx context.Context, f data.TrackFilter) ([]data.Track, error) {
	var out []data.Track
	limit, skip := data.PageLimit(f.Limit), f.Offset
	err := s.eachTrack(ctx, f, func(t data.Track) bool {
		if skip > 0 {
			skip--
			return true
		}
		out = append(out, t)
		return len(out) < limit
	})
	return out, err
}

// CountTracks counts the tracks of f with a fix in the area.
func (s *Store) CountTracks(ctx context.Context, f data.TrackFilter) (int, error) {
	n := 0
	err := s.eachTrack(ctx, f, func(data.Track) bool { n++; return true })
	return n, err
}

// trackPage is how many tracks eachTrack reads at a time (with their fixes).
const trackPage = 500

func (s *Store) eachTrack(ctx context.Context, f data.TrackFilter, keep func(data.Track) bool) error {
	g := f
	g.Offset, g.Limit, g.WithFixes = 0, trackPage, true
	for {
		ts, err := s.Store.Tracks(ctx, g)
		if err != nil {
			return err
		}
		for _, t := range ts {
			if !s.clip(&t) {
				continue
			}
			if !f.WithFixes {
				t.Fixes = nil
			}
			if !keep(t) {
				return nil
			}
		}
		if len(ts) < g.Limit {
			return nil
		}
		g.After = ts[len(ts)-1].ID
	}
}

// Track returns a track with a fix in the area, clipped to it.
func (s *Store) Track(ctx context.Context, id int64) (data.Track, error) {
	t, err := s.Store.Track(ctx, id)
	if err == nil && !s.clip(&t) {
		return data.Track{}, data.Errorf(data.ENOTFOUND, "track %d not found", id)
	}
	return t, err
}

// PutTracks stores a batch whose every fix lies in the area.
func (s *Store) PutTracks(ctx context.Context, ts []data.Track) ([]data.Outcome, error) {
	for _, t := range ts {
		for _, f := range t.Fixes {
			if !s.area.Holds(f.Point) {
				return nil, s.outside("track " + t.SourceID)
			}
		}
	}
	return s.Store.PutTracks(ctx, ts)
}

// Roads returns the roads of the area (data.Area.HoldsRoad).
func (s *Store) Roads(ctx context.Context) ([]data.Road, error) {
	rs, err := s.Store.Roads(ctx)
	return s.area.Roads(rs), err
}

// Road returns a road of the area; another is not found.
func (s *Store) Road(ctx context.Context, id string) (data.Road, error) {
	r, err := s.Store.Road(ctx, id)
	if err == nil && !s.area.HoldsRoad(&r) {
		return data.Road{}, data.Errorf(data.ENOTFOUND, "road %q not found", id)
	}
	return r, err
}

// PutRoad stores a road whose every vertex lies in the area.
func (s *Store) PutRoad(ctx context.Context, r data.Road, a data.AuditEntry) error {
	if geo.Length(r.Geometry) > 0 {
		for _, p := range r.Geometry {
			if !s.area.Holds(p) {
				return s.outside("road " + r.ID)
			}
		}
	}
	return s.Store.PutRoad(ctx, r, a)
}

// Areas returns the area and the areas within it (its descendants).
func (s *Store) Areas(ctx context.Context) ([]data.Area, error) {
	all, err := s.Store.Areas(ctx)
	if err != nil {
		return nil, err
	}
	return Within(s.area.ID, all), nil
}

// Within returns the areas of all that are id or descend from it.
func Within(id string, all []data.Area) []data.Area {
	parent := make(map[string]string, len(all))
	for _, a := range all {
		parent[a.ID] = a.Parent
	}
	var out []data.Area
	for _, a := range all {
		for at, hops := a.ID, 0; at != "" && hops <= len(all); at, hops = parent[at], hops+1 {
			if at == id {
				out = append(out, a)
				break
			}
		}
	}
	return out
}

// Area returns the area or one within it; another is not found.
func (s *Store) Area(ctx context.Context, id string) (data.Area, error) {
	as, err := s.Areas(ctx)
	if err != nil {
		return data.Area{}, err
	}
	for _, a := range as {
		if a.ID == id {
			return a, nil
		}
	}
	return data.Area{}, data.Errorf(data.ENOTFOUND, "area %q not found", id)
}

// PutArea is refused: areas are defined by keys of the whole service.
func (s *Store) PutArea(context.Context, data.Area, data.AuditEntry) error {
	return data.Errorf(data.EFORBIDDEN, "a key scoped to %s cannot define areas; use a key of the whole service", s.area.ID)
}

// Audit is refused: the log covers the whole service.
func (s *Store) Audit(context.Context, int64, int) ([]data.AuditEntry, error) {
	return nil, data.Errorf(data.EFORBIDDEN, "the audit log covers the whole service: a key scoped to %s cannot read it", s.area.ID)
}

// ViolationHistory returns the history of a violation in the area.
func (s *Store) ViolationHistory(ctx context.Context, id int64) ([]data.ViolationUpdate, error) {
	if _, err := s.Violation(ctx, id); err != nil {
		return nil, err
	}
	return s.Store.ViolationHistory(ctx, id)
}
