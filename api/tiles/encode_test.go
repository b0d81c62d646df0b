package tiles

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/planar"
)

func TestEncodeRoundTrip(t *testing.T) {
	p := orb.Point{117.2232, 39.1175}
	tl := maptile.At(p, 18)
	line := orb.LineString{{117.2, 39.1175}, {117.25, 39.1175}} // crosses the tile: clipped
	layer := Layer{ID: "things", Fields: map[string]string{"name": String, "n": Number, "ok": Boolean}}
	pt := geojson.NewFeature(p)
	pt.ID = 7
	pt.Properties = geojson.Properties{"name": "x", "n": 3.5, "ok": true, "nested": []int{1}, "n2": "not listed"}
	ln := geojson.NewFeature(line)
	ln.Properties = geojson.Properties{"name": 12, "n": nil} // wrong type and null: left out
	for _, gz := range []bool{false, true} {
		raw, err := Encode(tl, layer, []*geojson.Feature{pt, ln}, gz)
		if err != nil {
			t.Fatal(err)
		}
		decode := mvt.Unmarshal
		if gz {
			decode = mvt.UnmarshalGzipped
		}
		ls, err := decode(raw)
		if err != nil || len(ls) != 1 || ls[0].Name != "things" || len(ls[0].Features) != 2 {
			t.Fatalf("gzip=%v: decoded %d layers, err %v", gz, len(ls), err)
		}
		ls.ProjectToWGS84(tl)
		got := ls[0].Features[0]
		if d := planar.Distance(got.Geometry.(orb.Point), p); d > 1e-6 {
			t.Errorf("the point comes back %g° away", d)
		}
		if len(got.Properties) != 3 || got.Properties["name"] != "x" || got.Properties["n"] != 3.5 || got.Properties["ok"] != true {
			t.Errorf("point properties = %v, want name, n and ok only", got.Properties)
		}
		if id, ok := got.ID.(float64); !ok || id != 7 {
			t.Errorf("id = %v (%T), want 7", got.ID, got.ID)
		}
		clipped := ls[0].Features[1].Geometry.Bound()
		if tb := tl.Bound(Buffer + 0.01); !tb.Contains(clipped.Min) || !tb.Contains(clipped.Max) || len(ls[0].Features[1].Properties) != 0 {
			t.Errorf("the line is not clipped to the tile (%v in %v) or kept bad properties %v", clipped, tb, ls[0].Features[1].Properties)
		}
	}
	if pt.Geometry.(orb.Point) != p || ln.Geometry.(orb.LineString)[0] != line[0] {
		t.Error("Encode changed the features it was given")
	}
}

// TestEncodeWinding: polygons come out as MVT 2.1 has them, whichever way
// their rings ran: the exterior of positive area in tile coordinates, the
// holes negative.
func TestEncodeWinding(t *testing.T) {
	c := orb.Point{117.2232, 39.1175}
	tl := maptile.At(c, 16)
	sq := func(d float64) orb.Ring {
		return orb.Ring{{c[0] - d, c[1] - d}, {c[0] + d, c[1] - d}, {c[0] + d, c[1] + d}, {c[0] - d, c[1] + d}, {c[0] - d, c[1] - d}}
	}
	rev := func(r orb.Ring) orb.Ring { r = append(orb.Ring(nil), r...); r.Reverse(); return r }
	layer := Layer{ID: "zones"}
	for _, p := range []orb.Polygon{{sq(0.001), rev(sq(0.0005))}, {rev(sq(0.001)), sq(0.0005)}} {
		raw, err := Encode(tl, layer, []*geojson.Feature{geojson.NewFeature(p)}, false)
		if err != nil {
			t.Fatal(err)
		}
		ls, err := mvt.Unmarshal(raw) // still in tile coordinates
		if err != nil || len(ls) != 1 || len(ls[0].Features) != 1 {
			t.Fatalf("decoded %v, %v", ls, err)
		}
		if ls[0].Version != 2 {
			t.Errorf("layer version %d, want 2", ls[0].Version)
		}
		got, ok := ls[0].Features[0].Geometry.(orb.Polygon)
		if !ok || len(got) != 2 || planar.Area(got[0]) <= 0 || planar.Area(got[1]) >= 0 {
			t.Errorf("rings %v: want an exterior of positive area and a hole of negative area", got)
		}
	}
}

func TestParseAndResolution(t *testing.T) {
	for _, c := range []struct {
		z, x, y int
		ok      bool
	}{{0, 0, 0, true}, {16, 54107, 25018, true}, {16, 65536, 0, false}, {-1, 0, 0, false}, {23, 0, 0, false}, {3, 0, -1, false}} {
		if _, ok := Parse(c.z, c.x, c.y); ok != c.ok {
			t.Errorf("Parse(%d,%d,%d) = %v, want %v", c.z, c.x, c.y, ok, c.ok)
		}
	}
	prev := 0
	for z := MinZoom; z <= MaxZoom; z++ {
		r := CellResolution(z)
		if r < 9 || r > 12 || r < prev {
			t.Errorf("CellResolution(%d) = %d: want 9..12, never coarser as z grows", z, r)
		}
		prev = r
	}
}
