// Package seed holds what the service ships with for Dazhigu street: the six
// key roads (津塘路 from OpenStreetMap, the other five approximate), an
// approximate outline of the service area, and the violation taxonomy. Load
// writes roads and taxonomy into an empty store on first start.
package seed

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/dazhigu/hotspot/data"
)

//go:embed roads.geojson boundary.geojson categories.json
var files embed.FS

// Roads returns the six key roads, validated and cut into segments.
func Roads() ([]data.Road, error) {
	raw, _ := files.ReadFile("roads.geojson") // embedded above
	var fc struct {
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		return nil, fmt.Errorf("seed: roads: %w", err)
	}
	roads := make([]data.Road, len(fc.Features))
	for i, f := range fc.Features {
		r, err := data.DecodeRoad(f)
		if err != nil {
			return nil, fmt.Errorf("seed: road %d: %w", i+1, err)
		}
		roads[i] = r
	}
	return roads, nil
}

// Boundary returns the approximate outline of the service area (WGS-84).
func Boundary() (orb.Polygon, error) {
	raw, _ := files.ReadFile("boundary.geojson")
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil || len(fc.Features) != 1 {
		return nil, fmt.Errorf("seed: boundary: want one feature: %v", err)
	}
	p, ok := fc.Features[0].Geometry.(orb.Polygon)
	if !ok {
		return nil, fmt.Errorf("seed: boundary is not a Polygon")
	}
	return p, nil
}

// Categories returns the violation taxonomy.
func Categories() ([]data.Category, error) {
	raw, _ := files.ReadFile("categories.json")
	var cs []data.Category
	if err := json.Unmarshal(raw, &cs); err != nil {
		return nil, fmt.Errorf("seed: categories: %w", err)
	}
	return cs, nil
}

// Loader is the part of a store Load writes to.
type Loader interface {
	PutRoad(ctx context.Context, r data.Road) error
	Roads(ctx context.Context) ([]data.Road, error)
	PutCategories(ctx context.Context, cs []data.Category) error
	Categories(ctx context.Context) ([]data.Category, error)
}

// Load writes the key roads into a store that has no roads, and the taxonomy
// into one that has no categories. What the office changed is kept.
func Load(ctx context.Context, s Loader) error {
	if err := loadRoads(ctx, s); err != nil {
		return err
	}
	return loadCategories(ctx, s)
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
		if err := s.PutRoad(ctx, r); err != nil {
			return err
		}
	}
	return nil
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
