package data_test

import (
	"context"
	"testing"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/data"
)

// A straight east-west road of about 860 m along latitude 39.12 N: one
// degree of longitude there is 111,320·cos(39.12°) ≈ 86,360 m (WGS-84 sphere
// approximation), so 0.001° ≈ 86.4 m and 0.0001° of latitude ≈ 11.1 m.
func testRoad() data.Road {
	r := data.Road{ID: "test-road", Name: "测试路", BufferMeters: 20,
		Geometry: orb.LineString{{117.220, 39.120}, {117.230, 39.120}}}
	if err := r.Cut(context.Background(), data.SegmentMeters); err != nil {
		panic(err)
	}
	return r
}

func TestPlace(t *testing.T) {
	r := testRoad()
	cases := []struct {
		name        string
		p           orb.Point
		wantRoad    string
		wantSegment int
		wantAlong   float64 // meters, ±2
		wantOffset  float64 // meters, ±1
	}{
		{"on the centreline, 4th segment", orb.Point{117.2235, 39.120}, "test-road", 3, 302, 0},
		{"11 m north of the start", orb.Point{117.2200, 39.1201}, "test-road", 0, 0, 11.1},
		{"outside the 20 m corridor", orb.Point{117.2250, 39.1205}, "", -1, 0, 0},
		{"last segment", orb.Point{117.2299, 39.120}, "test-road", len(r.Segments) - 1, 855, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := data.Violation{Point: c.p}
			data.Place(&v, []data.Road{r})
			if v.Road != c.wantRoad || v.Segment != c.wantSegment {
				t.Fatalf("road, segment = %q, %d; want %q, %d", v.Road, v.Segment, c.wantRoad, c.wantSegment)
			}
			if abs(v.Along-c.wantAlong) > 2 || abs(v.Offset-c.wantOffset) > 1 {
				t.Fatalf("along, offset = %.1f, %.1f; want %.1f, %.1f", v.Along, v.Offset, c.wantAlong, c.wantOffset)
			}
			if !v.Cell.IsValid() || v.Cell.Resolution() != data.CellResolution {
				t.Fatalf("cell %v is not a valid resolution-12 cell", v.Cell)
			}
		})
	}
}

// TestPlacePicksNearestRoad checks the choice between two roads whose
// corridors overlap, a road without segments, and a point past a road's end.
// The first three points are 0.0055° (475 m) along: segment 4.
func TestPlacePicksNearestRoad(t *testing.T) {
	south := testRoad()
	// A second road 0.0003° (33 m) north of the first, with a 30 m corridor.
	north := data.Road{ID: "north-road", Name: "北路", BufferMeters: 30,
		Geometry: orb.LineString{{117.220, 39.1203}, {117.230, 39.1203}}}
	if err := north.Cut(context.Background(), data.SegmentMeters); err != nil {
		t.Fatal(err)
	}
	bare := data.Road{ID: "bare-road", Name: "无段路", BufferMeters: 20,
		Geometry: orb.LineString{{117.240, 39.120}, {117.250, 39.120}}} // not cut: no segments
	roads := []data.Road{south, north, bare}
	cases := []struct {
		name        string
		p           orb.Point
		wantRoad    string
		wantSegment int
		wantOffset  float64 // meters, ±1
	}{
		{"11 m from the south road, 22 m from the north", orb.Point{117.2255, 39.1201}, "test-road", 4, 11.1},
		{"11 m from the north road, 22 m from the south", orb.Point{117.2255, 39.1202}, "north-road", 4, 11.1},
		{"north of both, inside only the 30 m corridor", orb.Point{117.2255, 39.1205}, "north-road", 4, 22.3},
		{"past the end of a road, within its buffer", orb.Point{117.2301, 39.120}, "test-road", len(south.Segments) - 1, 8.6},
		{"on a road with no segments", orb.Point{117.245, 39.120}, "bare-road", -1, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := data.Violation{Point: c.p}
			data.Place(&v, roads)
			if v.Road != c.wantRoad || v.Segment != c.wantSegment || abs(v.Offset-c.wantOffset) > 1 {
				t.Fatalf("road, segment, offset = %q, %d, %.1f; want %q, %d, %.1f", v.Road, v.Segment, v.Offset, c.wantRoad, c.wantSegment, c.wantOffset)
			}
		})
	}
}

func TestCutCoversEverySegment(t *testing.T) {
	r := testRoad()
	if got, want := len(r.Segments), 9; got != want { // 864 m in 100 m stretches, the 64 m tail merged
		t.Fatalf("%d segments, want %d", got, want)
	}
	for _, s := range r.Segments {
		if len(s.Cells11) == 0 || len(s.Cells12) == 0 {
			t.Fatalf("segment %d has no H3 cover", s.Index)
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
