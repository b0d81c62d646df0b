package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dazhigu/hotspot/data/seed"
	"github.com/dazhigu/hotspot/data/sqlite"
	"github.com/dazhigu/hotspot/geo"
)

// TestAreasImport imports a community and its grid (grid first in the
// file), lists them, and scopes a key to the grid; a key for an area not
// stored, or a file with an area outside its parent, is refused.
func TestAreasImport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "hs.db")
	roads, err := seed.Roads()
	if err != nil {
		t.Fatal(err)
	}
	p := geo.PointAlong(roads[0].Geometry, geo.Length(roads[0].Geometry)/2)
	box := func(d float64) string {
		return fmt.Sprintf("[[[%[1]f,%[2]f],[%[3]f,%[2]f],[%[3]f,%[4]f],[%[1]f,%[4]f],[%[1]f,%[2]f]]]", p[0]-d, p[1]-d, p[0]+d, p[1]+d)
	}
	feature := func(id, parent string, d float64) string {
		return fmt.Sprintf(`{"type":"Feature","properties":{"id":%q,"name":"测试 %s","parent":%q},"geometry":{"type":"Polygon","coordinates":%s}}`, id, id, parent, box(d))
	}
	file := filepath.Join(dir, "areas.geojson")
	os.WriteFile(file, []byte(`{"type":"FeatureCollection","features":[`+feature("grid:g1", "community:c1", 0.0005)+","+
		feature("community:c1", seed.DefaultAreaID, 0.001)+`]}`), 0o644)
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"areas", "import", "-store.db", db, file}, &out, &errb); err != nil {
		t.Fatalf("areas import: %v\n%s", err, errb.String())
	}
	out.Reset()
	if err := run(ctx, []string{"areas", "list", "-store.db", db}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"grid:g1", "community:c1", seed.DefaultAreaID} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("areas list lacks %s:\n%s", want, out.String())
		}
	}
	if err := run(ctx, []string{"token", "create", "-role", "viewer", "-name", "g1", "-area", "grid:g1", "-store.db", db}, &out, &errb); err != nil {
		t.Fatalf("token create -area: %v", err)
	}
	if err := run(ctx, []string{"token", "create", "-role", "viewer", "-name", "none", "-area", "grid:none", "-store.db", db}, &out, &errb); err == nil {
		t.Error("a key scoped to an area not stored was created")
	}
	bad := filepath.Join(dir, "bad.geojson")
	os.WriteFile(bad, []byte(`{"type":"FeatureCollection","features":[`+feature("grid:big", "grid:g1", 0.002)+`]}`), 0o644)
	if err := run(ctx, []string{"areas", "import", "-store.db", db, bad}, &out, &errb); err == nil || !strings.Contains(err.Error(), "grid:big") {
		t.Errorf("a grid larger than its parent: %v, want a refusal naming it", err)
	}
	s, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ks, _ := s.Keys(ctx)
	as, _ := s.Areas(ctx)
	log, _ := s.Audit(ctx, 0, 0)
	if len(ks) != 1 || ks[0].Area != "grid:g1" || len(as) != 3 || len(log) != 3 {
		t.Errorf("stored: keys %+v, %d areas, audit %+v; want the scoped key, 3 areas, 3 entries", ks, len(as), log)
	}
}
