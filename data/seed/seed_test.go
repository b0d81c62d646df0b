package seed_test

import (
	"context"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/seed"
	"github.com/dazhigu/hotspot/geo"
)

// area is where the approximate roads must lie: around the north-western end
// of 津塘路, south and east of the Hai River (WGS-84 degrees).
var area = orb.Bound{Min: orb.Point{117.215, 39.115}, Max: orb.Point{117.240, 39.130}}

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
	// each street.
	want := map[string]struct {
		name, pinyin string
		min, max     float64
		approximate  bool
		pilots       int
	}{
		"houtai-xilu":     {"后台西路", "Houtai Xilu", 700, 900, true, 1},
		"jintang-lu":      {"津塘路", "Jintang Lu", 2500, 3000, false, 0},
		"gongqian-jie":    {"宫前街", "Gongqian Jie", 300, 500, true, 0},
		"dazhigu-zhonglu": {"大直沽中路", "Dazhigu Zhonglu", 1000, 1300, true, 0},
		"liuwei-lu":       {"六纬路", "Liuwei Lu", 800, 1200, true, 0},
		"zhigu-jie":       {"直沽街", "Zhigu Jie", 400, 600, true, 0},
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
			if ps := r.Validate(); len(ps) > 0 {
				t.Errorf("invalid: %v", ps)
			}
			if r.Name != w.name || r.Pinyin != w.pinyin || r.Approximate != w.approximate || !r.Key || len(r.Pilots) != w.pilots {
				t.Errorf("name, pinyin, approximate, key, pilots = %s, %s, %v, %v, %d; want %s, %s, %v, true, %d",
					r.Name, r.Pinyin, r.Approximate, r.Key, len(r.Pilots), w.name, w.pinyin, w.approximate, w.pilots)
			}
			length := geo.Length(r.Geometry)
			if length < w.min || length > w.max {
				t.Errorf("length %.0f m, want %.0f..%.0f", length, w.min, w.max)
			}
			if got, want := len(r.Segments), int(math.Round(length/data.SegmentMeters)); got < want-1 || got > want+1 {
				t.Errorf("%d segments for %.0f m, want %d±1", got, length, want)
			}
			for i, s := range r.Segments {
				if s.Index != i || len(s.Cells11) == 0 || len(s.Cells12) == 0 {
					t.Errorf("segment %d (index %d): %d res-11 and %d res-12 cells, want some of each", i, s.Index, len(s.Cells11), len(s.Cells12))
				}
			}
			for _, p := range r.Geometry {
				if !planar.PolygonContains(boundary, p) {
					t.Errorf("vertex %v lies outside the service boundary", p)
				}
			}
			if r.Approximate {
				if n := len(r.Geometry); n < 5 || n > 12 {
					t.Errorf("%d vertices, want 5..12", n)
				}
				if !area.Contains(r.Geometry.Bound().Min) || !area.Contains(r.Geometry.Bound().Max) {
					t.Errorf("bound %v is outside %v", r.Geometry.Bound(), area)
				}
				if !strings.Contains(r.Attribution, "not surveyed") {
					t.Errorf("attribution %q does not say the geometry is not surveyed", r.Attribution)
				}
				// Not dead straight: some vertex is off the chord.
				chord := orb.LineString{r.Geometry[0], r.Geometry[len(r.Geometry)-1]}
				var bend float64
				for _, p := range r.Geometry {
					_, off := geo.Locate(chord, p)
					bend = math.Max(bend, off)
				}
				if bend < 3 {
					t.Errorf("the road is straight: at most %.1f m off its chord", bend)
				}
			} else if !strings.Contains(r.Attribution, "OpenStreetMap") {
				t.Errorf("attribution %q does not credit OpenStreetMap", r.Attribution)
			}
		})
	}
	pilot := roads[slices.IndexFunc(roads, func(r data.Road) bool { return r.ID == "houtai-xilu" })].Pilots[0]
	if want := time.Date(2026, 5, 11, 0, 0, 0, 0, time.FixedZone("CST", 8*3600)); pilot.Kind != "line-marking" || !pilot.Start.Equal(want) || !pilot.End.IsZero() {
		t.Errorf("后台西路 pilot %+v, want line-marking from %v, open-ended", pilot, want)
	}
}

// TestRoadsDoNotOverlap checks that no two roads run along each other: the
// length of a road within the two corridors' reach of another is no more than
// a crossing or a T-junction takes.
func TestRoadsDoNotOverlap(t *testing.T) {
	roads, err := seed.Roads()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range roads {
		for _, b := range roads {
			if a.ID == b.ID {
				continue
			}
			reach := a.BufferMeters + b.BufferMeters
			var near float64
			for _, s := range geo.Cut(a.Geometry, 5) {
				if _, off := geo.Locate(b.Geometry, s.Line[0]); off < reach {
					near += s.To - s.From
				}
			}
			if near > 2*reach+10 {
				t.Errorf("%s runs %.0f m within %.0f m of %s", a.ID, near, reach, b.ID)
			}
		}
	}
}

// TestBoundaryMargin checks that the boundary keeps about 300 m around every
// road vertex.
func TestBoundaryMargin(t *testing.T) {
	roads, _ := seed.Roads()
	boundary, err := seed.Boundary()
	if err != nil {
		t.Fatal(err)
	}
	ring := orb.LineString(boundary[0])
	for _, r := range roads {
		for _, p := range r.Geometry {
			if _, d := geo.Locate(ring, p); d < 290 {
				t.Errorf("%s vertex %v is %.0f m from the boundary, want ≥ 290", r.ID, p, d)
			}
		}
	}
	raw, _ := os.ReadFile("boundary.geojson")
	fc, _ := geojson.UnmarshalFeatureCollection(raw)
	if fc.Features[0].Properties["approximate"] != true {
		t.Error("boundary is not marked approximate")
	}
}

// TestJintangFollowsOSM checks the derived centreline against the OSM ways
// it came from: every point along it, every 10 m, lies within 40 m of some
// way (the dual carriageways are about 12 m apart here, the centreline runs
// between them).
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
	i := slices.IndexFunc(roads, func(r data.Road) bool { return r.ID == "jintang-lu" })
	if i < 0 {
		t.Fatal("no jintang-lu")
	}
	var worst float64
	for _, s := range geo.Cut(roads[i].Geometry, 10) {
		best := math.Inf(1)
		for _, w := range ways {
			if _, off := geo.Locate(w, s.Line[0]); off < best {
				best = off
			}
		}
		worst = math.Max(worst, best)
		if best > 40 {
			t.Errorf("%.0f m along: %v is %.0f m from the OSM ways", s.From, s.Line[0], best)
		}
	}
	t.Logf("at most %.1f m from an OSM way", worst)
}

func TestCategories(t *testing.T) {
	cs, err := seed.Categories()
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]data.Category{}
	for _, c := range cs {
		byCode[c.Code] = c
		if c.National != "" {
			if parts := strings.Split(c.National, "/"); len(parts) != 2 || parts[0] == "" || parts[1] == "" {
				t.Errorf("%s: national %q is not 大类/小类", c.Code, c.National)
			}
		}
	}
	cases := []struct {
		code, zh, alias, national string
		shopFront                 bool
	}{
		{"street-vending", "占道经营", "无照经营游商", "街面秩序/无照经营游商", true},
		{"outside-shop", "店外经营", "超线经营", "街面秩序/店外经营", true},
		{"dumping", "乱泼乱倒", "", "市容环境/暴露垃圾", false},
		{"illegal-construction", "违法建设", "私搭乱建", "市容环境/私搭乱建", false},
		{"outdoor-ads", "违规户外广告", "", "宣传广告/违章张贴悬挂广告牌匾", false},
		{"piled-materials", "乱堆物料", "", "市容环境/乱堆物料", false},
		{"garbage-sorting", "垃圾分类", "", "", false},
		{"frontage-duties", "门前三包", "", "", false},
		{"barbecue", "露天烧烤", "", "街面秩序/露天烧烤", false},
		{"other", "其他", "", "", false},
	}
	for _, tc := range cases {
		c, ok := byCode[tc.code]
		switch {
		case !ok:
			t.Errorf("taxonomy lacks %s", tc.code)
		case c.NameZh != tc.zh || c.National != tc.national || c.ShopFront != tc.shopFront:
			t.Errorf("%s = %s, %s, shop_front %v; want %s, %s, %v", tc.code, c.NameZh, c.National, c.ShopFront, tc.zh, tc.national, tc.shopFront)
		case tc.alias != "" && !slices.Contains(c.Aliases, tc.alias):
			t.Errorf("%s aliases %v lack %s", tc.code, c.Aliases, tc.alias)
		}
	}
	shopFront := 0
	for _, c := range cs {
		if c.ShopFront {
			shopFront++
		}
	}
	if shopFront != 2 {
		t.Errorf("%d shop-front categories, want 2", shopFront)
	}
}

// memStore is a Loader that keeps roads and categories in memory.
type memStore struct {
	roads map[string]data.Road
	cats  []data.Category
	areas []data.Area
	puts  int
}

func (m *memStore) PutArea(_ context.Context, a data.Area, _ data.AuditEntry) error {
	m.areas = append(m.areas, a)
	return nil
}

func (m *memStore) Areas(context.Context) ([]data.Area, error) { return m.areas, nil }

func (m *memStore) PutRoad(_ context.Context, r data.Road, _ data.AuditEntry) error {
	m.roads[r.ID] = r
	m.puts++
	return nil
}

func (m *memStore) PutCategories(_ context.Context, cs []data.Category) error {
	m.cats = append(m.cats, cs...)
	m.puts++
	return nil
}

func (m *memStore) Roads(context.Context) ([]data.Road, error) {
	var rs []data.Road
	for _, r := range m.roads {
		rs = append(rs, r)
	}
	return rs, nil
}

func (m *memStore) Categories(context.Context) ([]data.Category, error) { return m.cats, nil }

func TestLoad(t *testing.T) {
	ctx := context.Background()
	surveyed := data.Road{ID: "houtai-xilu", Name: "后台西路", BufferMeters: 20,
		Geometry: orb.LineString{{117.229, 39.121}, {117.235, 39.124}}}
	cases := []struct {
		name            string
		store           *memStore
		roads, cats     int
		putsOnFirstLoad int
	}{
		{"empty store gets everything", &memStore{roads: map[string]data.Road{}}, 6, 10, 7},
		{"a store with roads keeps them", &memStore{roads: map[string]data.Road{"houtai-xilu": surveyed}}, 1, 10, 1},
		{"a store with categories keeps them", &memStore{roads: map[string]data.Road{},
			cats: []data.Category{{Code: "x", NameZh: "某", NameEn: "X"}}}, 6, 1, 6},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := seed.Load(ctx, tc.store); err != nil {
				t.Fatal(err)
			}
			if got := len(tc.store.roads); got != tc.roads {
				t.Errorf("%d roads, want %d", got, tc.roads)
			}
			if got := len(tc.store.cats); got < tc.cats || (tc.cats == 1 && got != 1) {
				t.Errorf("%d categories, want %d", got, tc.cats)
			}
			if tc.store.puts != tc.putsOnFirstLoad {
				t.Errorf("%d puts, want %d", tc.store.puts, tc.putsOnFirstLoad)
			}
			// A second start writes nothing.
			if err := seed.Load(ctx, tc.store); err != nil {
				t.Fatal(err)
			}
			if tc.store.puts != tc.putsOnFirstLoad {
				t.Errorf("a second Load wrote: %d puts, want %d", tc.store.puts, tc.putsOnFirstLoad)
			}
		})
	}
}

func BenchmarkRoads(b *testing.B) {
	for b.Loop() {
		if _, err := seed.Roads(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDefaultArea: the default area is a valid street office whose boundary
// holds every seeded key road, so a key scoped to it sees them all.
func TestDefaultArea(t *testing.T) {
	a, err := seed.DefaultArea()
	if err != nil {
		t.Fatal(err)
	}
	if ps := a.Validate(); len(ps) > 0 || a.Kind() != "street" {
		t.Fatalf("default area %s: %v", a.ID, ps)
	}
	roads, err := seed.Roads()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range roads {
		if !a.HoldsRoad(&r) {
			t.Errorf("road %s (%s) is not within %s", r.ID, r.Name, a.ID)
		}
	}
}
