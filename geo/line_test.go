package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/planar"
	"github.com/uber/h3-go/v4"
)

// degree is the length in meters of one degree of a great circle on the
// sphere of radius orb.EarthRadius: 6378137 * pi / 180 = 111319.4908 m.
const degree = orb.EarthRadius * math.Pi / 180

func TestLength(t *testing.T) {
	cases := []struct {
		name string
		line orb.LineString
		want float64 // meters
		tol  float64 // meters
	}{
		{"empty", nil, 0, 0},
		{"one point", orb.LineString{{117.2, 39.1}}, 0, 0},
		// Rosetta Code "Haversine formula": Nashville BNA (36.12 N, 86.67 W) to
		// Los Angeles LAX (33.94 N, 118.40 W) is 2887.2599506071106 km on a
		// sphere of radius 6372.8 km. Haversine distance is proportional to the
		// radius, so on our sphere it is that times 6378137 / 6372800.
		{"BNA-LAX", orb.LineString{{-86.67, 36.12}, {-118.40, 33.94}},
			2887259.9506071106 * orb.EarthRadius / 6372800, 0.001},
		// One degree of a meridian, and one of the equator, is R*pi/180.
		{"meridian degree", orb.LineString{{117.22, 39}, {117.22, 40}}, degree, 1e-6},
		{"equator two segments", orb.LineString{{0, 0}, {0.5, 0}, {1, 0}}, degree, 1e-6},
		// A closed L: east along the equator then north, both 0.01 degrees.
		{"L shape", orb.LineString{{0, 0}, {0.01, 0}, {0.01, 0.01}}, 0.02 * degree, 1e-6},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Length(tc.line); math.Abs(got-tc.want) > tc.tol {
				t.Fatalf("Length=%.6f, want %.6f (±%g)", got, tc.want, tc.tol)
			}
		})
	}
}

// TestLengthAgainstH3 checks distances against H3's own great-circle
// distance (a different implementation, on a sphere of radius
// 6371.007180918475 km), rescaled to our radius.
func TestLengthAgainstH3(t *testing.T) {
	pairs := [][2]orb.Point{
		{{117.2212, 39.1270}, {117.2438, 39.1070}}, // along 津塘路, about 3 km
		{{117.2200, 39.1200}, {117.2201, 39.1200}}, // about 9 m
		{{116.3912, 39.9067}, {121.4737, 31.2304}}, // Beijing - Shanghai
	}
	const h3Radius = 6371007.180918475 // meters
	for _, p := range pairs {
		want := h3.GreatCircleDistanceM(h3.NewLatLng(p[0][1], p[0][0]), h3.NewLatLng(p[1][1], p[1][0])) *
			orb.EarthRadius / h3Radius
		if got := Length(orb.LineString{p[0], p[1]}); math.Abs(got-want) > 1e-6*want+1e-6 {
			t.Errorf("Length(%v)=%.6f, want %.6f", p, got, want)
		}
	}
}

func TestLocate(t *testing.T) {
	lat := 39.125
	kx := degree * math.Cos(lat*math.Pi/180) // meters per degree of longitude at lat
	cases := []struct {
		name       string
		line       orb.LineString
		p          orb.Point
		along, off float64 // meters
		tol        float64 // meters
	}{
		// Along the equator, lengths are exact multiples of degree.
		{"equator middle", orb.LineString{{0, 0}, {0.01, 0}}, orb.Point{0.005, 0.001}, 0.005 * degree, 0.001 * degree, 1e-6},
		{"equator south side", orb.LineString{{0, 0}, {0.01, 0}}, orb.Point{0.002, -0.0005}, 0.002 * degree, 0.0005 * degree, 1e-6},
		{"before start", orb.LineString{{0, 0}, {0.01, 0}}, orb.Point{-0.001, 0}, 0, 0.001 * degree, 1e-6},
		{"past end", orb.LineString{{0, 0}, {0.01, 0}}, orb.Point{0.012, 0}, 0.01 * degree, 0.002 * degree, 1e-6},
		{"on second leg of L", orb.LineString{{0, 0}, {0.01, 0}, {0.01, 0.01}}, orb.Point{0.0105, 0.004}, 0.014 * degree, 0.0005 * degree, 0.01},
		// A meridian through Dazhigu; the point is 0.001 degrees of longitude
		// east at 39.125 N: 86.3 m away, beside 500 m along. On the sphere the
		// foot moves poleward by well under a centimeter.
		{"meridian Tianjin", orb.LineString{{117.22, 39.12}, {117.22, 39.13}}, orb.Point{117.221, lat}, 0.005 * degree, 0.001 * kx, 0.01},
		{"empty", nil, orb.Point{1, 1}, 0, math.Inf(1), 0},
		{"one point", orb.LineString{{0, 0}}, orb.Point{0, 0.001}, 0, 0.001 * degree, 1e-6},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			along, off := Locate(tc.line, tc.p)
			if math.Abs(along-tc.along) > tc.tol {
				t.Errorf("along=%.4f, want %.4f (±%g)", along, tc.along, tc.tol)
			}
			if !(math.IsInf(tc.off, 1) && math.IsInf(off, 1)) && math.Abs(off-tc.off) > tc.tol {
				t.Errorf("offset=%.4f, want %.4f (±%g)", off, tc.off, tc.tol)
			}
		})
	}
}

func TestCell(t *testing.T) {
	p := orb.Point{117.2300, 39.1200}
	for _, res := range []int{0, 9, 11, 12, 15} {
		got := Cell(p, res)
		want := h3.LatLngToCell(h3.LatLng{Lat: 39.12, Lng: 117.23}, res)
		if got != want || !got.IsValid() || got.Resolution() != res {
			t.Errorf("Cell(res %d)=%v, want %v", res, got, want)
		}
	}
	for _, res := range []int{-1, 16} {
		if got := Cell(p, res); got.IsValid() {
			t.Errorf("Cell(res %d)=%v, want invalid", res, got)
		}
	}
}

func TestPointAlong(t *testing.T) {
	line := orb.LineString{{117.22, 39.11}, {117.23, 39.11}, {117.23, 39.12}}
	first := Length(line[:2])
	for _, tc := range []struct {
		d    float64
		want orb.Point
	}{
		{-5, line[0]}, {0, line[0]}, {first, line[1]}, {first / 2, orb.Point{117.225, 39.11}}, {1e9, line[2]},
	} {
		if got := PointAlong(line, tc.d); math.Abs(got[0]-tc.want[0]) > 1e-9 || math.Abs(got[1]-tc.want[1]) > 1e-9 {
			t.Errorf("PointAlong(%v) = %v, want %v", tc.d, got, tc.want)
		}
	}
}

// TestJunction: two streets crossing at right angles meet where they
// cross; two parallel ones 50 m apart come closest across the gap.
func TestJunction(t *testing.T) {
	east := orb.LineString{{117.2200, 39.1200}, {117.2300, 39.1200}} // about 864 m long
	north := orb.LineString{{117.2250, 39.1150}, {117.2250, 39.1250}}
	alongA, alongB, gap := Junction(east, north)
	if gap > 0.01 || math.Abs(alongA-Length(east)/2) > 1 || math.Abs(alongB-Length(north)/2) > 1 {
		t.Fatalf("crossing: along %.1f and %.1f, gap %.2f", alongA, alongB, gap)
	}
	offset := 50 / (orb.EarthRadius * math.Pi / 180) // 50 m north, in degrees
	parallel := orb.LineString{{117.2250, 39.1200 + offset}, {117.2400, 39.1200 + offset}}
	alongA, alongB, gap = Junction(east, parallel)
	half := Length(east) / 2 // the lines overlap over east's second half: any pair across it is nearest
	if math.Abs(gap-50) > 0.5 || alongA < half-1 || math.Abs((alongA-half)-alongB) > 1 {
		t.Fatalf("parallel: along %.1f and %.1f, gap %.2f", alongA, alongB, gap)
	}
}

// TestCorridor: the corridor of a straight 864 m street 20 m either side
// holds points 19 m off its centreline and not points 21 m off, and its
// area is the rectangle's plus a circle's.
func TestCorridor(t *testing.T) {
	line := orb.LineString{{117.2200, 39.1200}, {117.2300, 39.1200}}
	poly := Corridor(line, 20)
	if poly == nil {
		t.Fatal("no corridor")
	}
	deg := func(m float64) float64 { return m / (orb.EarthRadius * math.Pi / 180) }
	inside := func(p orb.Point) bool { return planar.PolygonContains(poly, p) }
	if !inside(orb.Point{117.225, 39.12 + deg(19)}) || inside(orb.Point{117.225, 39.12 + deg(21)}) || !inside(orb.Point{117.2200 - deg(15)/math.Cos(39.12*math.Pi/180), 39.12}) {
		t.Fatal("the corridor's edges are not 20 m from the line")
	}
	want := 2*20*Length(line) + math.Pi*20*20
	if got := math.Abs(orbgeo.Area(poly)); math.Abs(got-want)/want > 0.02 {
		t.Fatalf("area %.0f m², want about %.0f", got, want)
	}
	if Corridor(orb.LineString{{117.22, 39.12}}, 20) != nil || Corridor(line, 0) != nil {
		t.Fatal("a point or a zero width has no corridor")
	}
}
