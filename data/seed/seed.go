// Package seed holds what the service ships with for Dazhigu street
// (大直沽街道): the six key roads (津塘路 derived from OpenStreetMap, the
// other five approximate), an approximate outline of the service area, and
// the violation taxonomy. Load writes roads and taxonomy into an empty store
// on first start. See README.md for sources, licences and how the files are
// made.
package seed

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/dazhigu/hotspot/data"
)

//go:embed roads.geojson boundary.geojson categories.json
var files embed.FS

// ErrInvalid is returned (wrapped) when an embedded file does not hold what
// it should; it means the build is broken, not the input.
var ErrInvalid = errors.New("seed: invalid embedded data")

// Roads returns the six key roads in file order, each validated and cut into
// data.SegmentMeters segments with their H3 cover. Geometries are WGS-84.
func Roads() ([]data.Road, error) {
	raw, err := files.ReadFile("roads.geojson")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	var fc struct {
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		return nil, fmt.Errorf("%w: roads.geojson: %v", ErrInvalid, err)
	}
	roads := make([]data.Road, len(fc.Features))
	seen := map[string]bool{}
	for i, f := range fc.Features {
		r, err := data.DecodeRoad(f) // validates
		if err == nil {
			err = r.Cut(context.Background(), data.SegmentMeters) // the seed's own roads: short
		}
		if err != nil {
			return nil, fmt.Errorf("%w: roads.geojson feature %d: %v", ErrInvalid, i+1, err)
		}
		if seen[r.ID] {
			return nil, fmt.Errorf("%w: roads.geojson: road %q twice", ErrInvalid, r.ID)
		}
		seen[r.ID] = true
		roads[i] = r
	}
	return roads, nil
}

// Boundary returns the approximate outline of the service area, a WGS-84
// polygon around all key roads with about 300 m to spare.
func Boundary() (orb.Polygon, error) {
	raw, err := files.ReadFile("boundary.geojson")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: boundary.geojson: %v", ErrInvalid, err)
	}
	if len(fc.Features) != 1 {
		return nil, fmt.Errorf("%w: boundary.geojson: want one feature, have %d", ErrInvalid, len(fc.Features))
	}
	p, ok := fc.Features[0].Geometry.(orb.Polygon)
	if !ok || len(p) == 0 || len(p[0]) < 4 {
		return nil, fmt.Errorf("%w: boundary.geojson: want a Polygon", ErrInvalid)
	}
	return p, nil
}

// Categories returns the violation taxonomy in file order, each validated.
func Categories() ([]data.Category, error) {
	raw, err := files.ReadFile("categories.json")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	var cs []data.Category
	if err := json.Unmarshal(raw, &cs); err != nil {
		return nil, fmt.Errorf("%w: categories.json: %v", ErrInvalid, err)
	}
	seen := map[string]bool{}
	for _, c := range cs {
		if ps := c.Validate(); len(ps) > 0 {
			return nil, fmt.Errorf("%w: categories.json: %q: %s %s", ErrInvalid, c.Code, ps[0].Field, ps[0].Reason)
		}
		if seen[c.Code] {
			return nil, fmt.Errorf("%w: categories.json: code %q twice", ErrInvalid, c.Code)
		}
		seen[c.Code] = true
	}
	return cs, nil
}

// Loader is the part of a store that Load reads and writes; data.Store
// satisfies it.
type Loader interface {
	PutArea(ctx context.Context, area data.Area, a data.AuditEntry) error
	Areas(ctx context.Context) ([]data.Area, error)
	PutRoad(ctx context.Context, r data.Road, a data.AuditEntry) error
	PutCategories(ctx context.Context, cs []data.Category) error
	Roads(ctx context.Context) ([]data.Road, error)
	Categories(ctx context.Context) ([]data.Category, error)
}

var _ Loader = data.Store(nil)

// Load writes the key roads into a store that has no roads, the taxonomy
// into a store that has no categories and the default area (DefaultArea)
// into a store that has no areas (each checked on its own), as on a first
// start. A store that already has roads, categories or areas keeps them:
// what the street office changed is never overwritten.
func Load(ctx context.Context, s Loader) error {
	if err := loadAreas(ctx, s); err != nil {
		return fmt.Errorf("seed: areas: %w", err)
	}
	if err := loadRoads(ctx, s); err != nil {
		return fmt.Errorf("seed: roads: %w", err)
	}
	if err := loadCategories(ctx, s); err != nil {
		return fmt.Errorf("seed: categories: %w", err)
	}
	return nil
}

func loadRoads(ctx context.Context, s Loader) error {
	if rs, err := s.Roads(ctx); err != nil || len(rs) > 0 {
		return err
	}
	roads, err := Roads()
	if err != nil {
		return err
	}
	for _, r := range roads {
		if err := s.PutRoad(ctx, r, data.AuditEntry{}); err != nil {
			return err
		}
	}
	return nil
}

// DefaultAreaID is the id of the first deployment's street office.
const DefaultAreaID = "street:dazhigu"

// DefaultArea is the first deployment's street office, 大直沽街道, with the
// boundary of Boundary: a single-street set-up is this one area.
func DefaultArea() (data.Area, error) {
	b, err := Boundary()
	if err != nil {
		return data.Area{}, err
	}
	return data.Area{ID: DefaultAreaID, Name: "大直沽街道", Boundary: b}, nil
}

func loadAreas(ctx context.Context, s Loader) error {
	if as, err := s.Areas(ctx); err != nil || len(as) > 0 {
		return err
	}
	a, err := DefaultArea()
	if err != nil {
		return err
	}
	return s.PutArea(ctx, a, data.AuditEntry{})
}

func loadCategories(ctx context.Context, s Loader) error {
	if cs, err := s.Categories(ctx); err != nil || len(cs) > 0 {
		return err
	}
	cs, err := Categories()
	if err != nil {
		return err
	}
	return s.PutCategories(ctx, cs)
}
