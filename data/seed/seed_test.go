package seed_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/seed"
	"github.com/dazhigu/hotspot/data/sqlite"
	"github.com/dazhigu/hotspot/geo"
)

func TestRoads(t *testing.T) {
	roads, err := seed.Roads()
	if err != nil {
		t.Fatal(err)
	}
	boundary, err := seed.Boundary()
	if err != nil {
		t.Fatal(err)
	}
	// Lengths in meters: 津塘路 inside the street; the others plausible for
	// each street as described in DESIGN.md's data notes.
	want := map[string]struct {
		name        string
		min, max    float64
		approximate bool
	}{
		"houtai-xilu":     {"后台西路", 700, 900, true},
		"jintang-lu":      {"津塘路", 2500, 3600, false},
		"gongqian-jie":    {"宫前街", 300, 500, true},
		"dazhigu-zhonglu": {"大直沽中路", 1000, 1300, true},
		"liuwei-lu":       {"六纬路", 800, 1200, true},
		"zhigu-jie":       {"直沽街", 400, 600, true},
	}
	if len(roads) != len(want) {
		t.Fatalf("%d roads, want %d", len(roads), len(want))
	}
	for _, r := range roads {
		t.Run(r.ID, func(t *testing.T) {
			w, ok := want[r.ID]
			if !ok {
				t.Fatalf("unexpected road %q", r.ID)
			}
			length := geo.Length(r.Geometry)
			if r.Name != w.name || r.Approximate != w.approximate || !r.Key {
				t.Errorf("name, approximate, key = %s, %v, %v; want %s, %v, true", r.Name, r.Approximate, r.Key, w.name, w.approximate)
			}
			if length < w.min || length > w.max {
				t.Errorf("length %.0f m, want %.0f..%.0f", length, w.min, w.max)
			}
			if got, want := len(r.Segments), int(math.Round(length/data.SegmentMeters)); got < want-1 || got > want+1 {
				t.Errorf("%d segments for %.0f m, want %d±1", got, length, want)
			}
			for _, s := range r.Segments {
				if len(s.Cells11) == 0 || len(s.Cells12) == 0 {
					t.Errorf("segment %d has no H3 cover", s.Index)
				}
			}
			for _, p := range r.Geometry {
				if !planar.PolygonContains(boundary, p) {
					t.Errorf("vertex %v lies outside the service boundary", p)
				}
			}
			if r.Attribution == "" {
				t.Error("no attribution")
			}
		})
	}
}

// TestJintangFollowsOSM checks the derived centreline against the OSM ways
// it came from: every point along it lies within 40 m of some way (the dual
// carriageways are about 20-40 m apart, the centreline runs between them).
func TestJintangFollowsOSM(t *testing.T) {
	raw, err := os.ReadFile("jintang-road-osm-wgs84.geojson")
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		t.Fatal(err)
	}
	ways := fc.Features[0].Geometry.(orb.MultiLineString)
	roads, _ := seed.Roads()
	for _, r := range roads {
		if r.ID != "jintang-lu" {
			continue
		}
		for _, s := range r.Segments {
			for _, p := range s.Line {
				best := math.Inf(1)
				for _, w := range ways {
					if _, off := geo.Locate(w, p); off < best {
						best = off
					}
				}
				if best > 40 {
					t.Fatalf("segment %d point %v is %.0f m from the OSM ways", s.Index, p, best)
				}
			}
		}
		return
	}
	t.Fatal("no jintang-lu")
}

func TestCategories(t *testing.T) {
	cs, err := seed.Categories()
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	shopFront := 0
	for _, c := range cs {
		if ps := c.Validate(); len(ps) > 0 {
			t.Errorf("%s: %v", c.Code, ps)
		}
		codes[c.Code] = true
		if c.ShopFront {
			shopFront++
		}
	}
	for _, code := range []string{"street-vending", "outside-shop", "dumping", "illegal-construction", "outdoor-ads",
		"piled-materials", "garbage-sorting", "frontage-duties", "barbecue", "other"} {
		if !codes[code] {
			t.Errorf("taxonomy lacks %s", code)
		}
	}
	if shopFront != 2 {
		t.Errorf("%d shop-front categories, want 2 (vending, outside-shop)", shopFront)
	}
}

func TestLoadOnlyIntoEmptyStore(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "seed.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := seed.Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	rs, _ := s.Roads(ctx)
	r := rs[0]
	r.Name = "改名"
	if err := s.PutRoad(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := seed.Load(ctx, s); err != nil { // a second start keeps the office's change
		t.Fatal(err)
	}
	got, _ := s.Road(ctx, r.ID)
	if got.Name != "改名" || len(got.Segments) != len(r.Segments) {
		t.Fatalf("after a second Load: name %q with %d segments, want 改名 with %d", got.Name, len(got.Segments), len(r.Segments))
	}
	cs, _ := s.Categories(ctx)
	if len(cs) < 10 {
		t.Fatalf("%d categories loaded, want ≥ 10", len(cs))
	}
}
