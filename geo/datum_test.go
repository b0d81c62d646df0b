package geo

import (
	"fmt"
	"math"
	"testing"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// dazhigu is a WGS-84 point in Dazhigu street, Hebei district, Tianjin.
var dazhigu = orb.Point{117.2270, 39.1150}

// The forward transforms against outputs published by other
// implementations. The sources print longitude and latitude to 14 to 17
// significant digits (cran/geoChina, the last case, to 5 decimals); we agree
// with all but that one to within 1e-10 degree, so the tolerance of 1e-9
// degree (0.1 mm) only absorbs the order of floating-point operations.
func TestDatumForwardPublished(t *testing.T) {
	cases := []struct {
		name string
		f    func(orb.Point) orb.Point
		in   orb.Point
		want orb.Point
		tol  float64 // degrees, per coordinate
	}{
		// wandergis/coordtransform, README.md:
		// wgs84togcj02(116.404, 39.915) -> [ 116.41024449916938, 39.91640428150164 ]
		{"wandergis wgs84togcj02", wgs84ToGCJ02, orb.Point{116.404, 39.915}, orb.Point{116.41024449916938, 39.91640428150164}, 1e-9},
		// wandergis/coordtransform, README.md:
		// gcj02tobd09(116.404, 39.915) -> [ 116.41036949371029, 39.92133699351021 ]
		{"wandergis gcj02tobd09", gcj02ToBD09, orb.Point{116.404, 39.915}, orb.Point{116.41036949371029, 39.92133699351021}, 1e-9},
		// feiquan123/coordtransform-go, coordtransform_test.go, at
		// p = Point{114.363089, 30.517411} (Wuhan):
		// expWGS84toGCJ02 = Point{114.36861383019243, 30.515078352018758}
		{"feiquan123 WGS84toGCJ02", wgs84ToGCJ02, orb.Point{114.363089, 30.517411}, orb.Point{114.36861383019243, 30.515078352018758}, 1e-9},
		// expGCJ02toBD09 = Point{114.36951652929112, 30.523754384540837}
		{"feiquan123 GCJ02toBD09", gcj02ToBD09, orb.Point{114.363089, 30.517411}, orb.Point{114.36951652929112, 30.523754384540837}, 1e-9},
		// expWGS84toBD09 = Point{114.3750500836037, 30.521392123098003}
		{"feiquan123 WGS84toBD09", func(p orb.Point) orb.Point { return FromWGS84(p, BD09) }, orb.Point{114.363089, 30.517411}, orb.Point{114.3750500836037, 30.521392123098003}, 1e-9},
		// googollee/eviltransform, go/transform_test.go, as
		// {wgsLat, wgsLng, gcjLat, gcjLng}:
		// {31.1774276, 121.5272106, 31.17530398364597, 121.531541859215}, // shanghai
		{"eviltransform shanghai", wgs84ToGCJ02, orb.Point{121.5272106, 31.1774276}, orb.Point{121.531541859215, 31.17530398364597}, 1e-9},
		// {22.543847, 113.912316, 22.540796131694766, 113.9171764808363}, // shenzhen
		{"eviltransform shenzhen", wgs84ToGCJ02, orb.Point{113.912316, 22.543847}, orb.Point{113.9171764808363, 22.540796131694766}, 1e-9},
		// {39.911954, 116.377817, 39.91334545536069, 116.38404722455657}, // beijing
		{"eviltransform beijing", wgs84ToGCJ02, orb.Point{116.377817, 39.911954}, orb.Point{116.38404722455657, 39.91334545536069}, 1e-9},
		// cran/geoChina, man/wgs2gcj.Rd and man/wgs2bd.Rd, "latitude/longitude
		// coordinates of Beijing railway station", (lat, lon) to 5 decimals:
		// WGS-84: (39.90105, 116.42079), GCJ-02: (39.90245, 116.42703),
		// BD-09: (39.90851, 116.43351). We compute GCJ-02 (116.427022,
		// 39.902446) and BD-09 (116.433501, 39.908500): one unit off in the
		// fifth decimal, hence 1.5e-5 degree (about 1.3 m).
		{"geoChina wgs2gcj", wgs84ToGCJ02, orb.Point{116.42079, 39.90105}, orb.Point{116.42703, 39.90245}, 1.5e-5},
		{"geoChina wgs2bd", func(p orb.Point) orb.Point { return FromWGS84(p, BD09) }, orb.Point{116.42079, 39.90105}, orb.Point{116.43351, 39.90851}, 1.5e-5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.f(c.in)
			if math.Abs(got[0]-c.want[0]) > c.tol || math.Abs(got[1]-c.want[1]) > c.tol {
				t.Errorf("%v -> %.14f, want %.14f (±%g°)", c.in, got, c.want, c.tol)
			}
		})
	}
}

// The inverses against the same published forward pairs: converting their
// output back must give their input. The published inverses (gcj02towgs84,
// bd09togcj02) are approximations and are not used as references here,
// except to bound bd09ToGCJ02 below. The requirement is 0.5 m; we assert
// 1 cm and see about 1e-6 m.
func TestDatumInversePublished(t *testing.T) {
	cases := []struct {
		name string
		f    func(orb.Point) orb.Point // the inverse under test
		in   orb.Point                 // the published output
		want orb.Point                 // the published input
	}{
		// Sources as in TestDatumForwardPublished.
		{"wandergis wgs84togcj02", gcj02ToWGS84, orb.Point{116.41024449916938, 39.91640428150164}, orb.Point{116.404, 39.915}},
		{"wandergis gcj02tobd09", bd09ToGCJ02, orb.Point{116.41036949371029, 39.92133699351021}, orb.Point{116.404, 39.915}},
		{"feiquan123 WGS84toGCJ02", gcj02ToWGS84, orb.Point{114.36861383019243, 30.515078352018758}, orb.Point{114.363089, 30.517411}},
		{"feiquan123 GCJ02toBD09", bd09ToGCJ02, orb.Point{114.36951652929112, 30.523754384540837}, orb.Point{114.363089, 30.517411}},
		{"feiquan123 WGS84toBD09", func(p orb.Point) orb.Point { return ToWGS84(p, BD09) }, orb.Point{114.3750500836037, 30.521392123098003}, orb.Point{114.363089, 30.517411}},
		{"eviltransform shanghai", func(p orb.Point) orb.Point { return ToWGS84(p, GCJ02) }, orb.Point{121.531541859215, 31.17530398364597}, orb.Point{121.5272106, 31.1774276}},
		{"eviltransform shenzhen", func(p orb.Point) orb.Point { return ToWGS84(p, GCJ02) }, orb.Point{113.9171764808363, 22.540796131694766}, orb.Point{113.912316, 22.543847}},
		{"eviltransform beijing", func(p orb.Point) orb.Point { return ToWGS84(p, GCJ02) }, orb.Point{116.38404722455657, 39.91334545536069}, orb.Point{116.377817, 39.911954}},
	}
	const tol = 0.01 // meters
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.f(c.in)
			if d := orbgeo.DistanceHaversine(got, c.want); d > tol {
				t.Errorf("%v -> %.14f, want %.14f: %.3g m off, want < %g m", c.in, got, c.want, d, tol)
			}
		})
	}
}

// The published closed-form bd09togcj02 is an approximation of the inverse
// of gcj02tobd09; over China it stays within about 0.2 m of the exact
// inverse. Our iterative bd09ToGCJ02 must land that close to its outputs.
func TestDatumBD09ClosedForm(t *testing.T) {
	cases := []struct {
		name string
		in   orb.Point // BD-09
		want orb.Point // their GCJ-02
	}{
		// wandergis/coordtransform, README.md:
		// bd09togcj02(116.404, 39.915) -> [ 116.39762729119315, 39.90865673957631 ]
		{"wandergis", orb.Point{116.404, 39.915}, orb.Point{116.39762729119315, 39.90865673957631}},
		// feiquan123/coordtransform-go, coordtransform_test.go:
		// BD09toGCJ02(Point{114.363089, 30.517411}) =
		// expBD09toGCJ02 = Point{114.356659806424, 30.511068245460944}
		{"feiquan123", orb.Point{114.363089, 30.517411}, orb.Point{114.356659806424, 30.511068245460944}},
	}
	const tol = 0.25 // meters
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := bd09ToGCJ02(c.in)
			d := orbgeo.DistanceHaversine(got, c.want)
			if d > tol {
				t.Errorf("%v -> %.14f, want %.14f: %.3g m off, want < %g m", c.in, got, c.want, d, tol)
			}
			t.Logf("iterative vs closed form: %.3f m", d)
		})
	}
}

// In Dazhigu the GCJ-02 offset is 553.0 m (541 m east, 110 m north), BD-09 is
// a further 894.7 m from GCJ-02 and 1363.7 m from WGS-84: a map pin taken
// from Amap or Baidu without conversion lands several blocks away.
func TestDatumOffsetDazhigu(t *testing.T) {
	gcj := FromWGS84(dazhigu, GCJ02)
	bd := FromWGS84(dazhigu, BD09)
	cases := []struct {
		name     string
		a, b     orb.Point
		min, max float64 // meters
	}{
		{"wgs84-gcj02", dazhigu, gcj, 300, 700},
		{"gcj02-bd09", gcj, bd, 700, 1100},
		{"wgs84-bd09", dazhigu, bd, 1100, 1600},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := orbgeo.Distance(c.a, c.b)
			if d < c.min || d > c.max {
				t.Errorf("offset %.1f m, want %g..%g m", d, c.min, c.max)
			}
			t.Logf("offset %.1f m", d)
		})
	}
}

// ToWGS84 undoes FromWGS84 over a grid covering the mainland rectangle every
// half degree and Tianjin's centre every 0.002 degree (about 200 m). The
// requirement is 0.5 m; we assert 1 mm. The largest errors on this grid are
// 1.6e-5 m for GCJ-02 and 2.3e-5 m for BD-09. Distances use the haversine
// formula because orb/geo.Distance, the spherical law of cosines, cannot
// resolve lengths below about 0.1 m.
func TestDatumRoundTrip(t *testing.T) {
	var points []orb.Point
	for lon := 73.75; lon < chinaMaxLon; lon += 0.5 {
		for lat := 4.0; lat < chinaMaxLat; lat += 0.5 {
			points = append(points, orb.Point{lon, lat})
		}
	}
	for lon := 117.10; lon < 117.35; lon += 0.002 {
		for lat := 39.00; lat < 39.25; lat += 0.002 {
			points = append(points, orb.Point{lon, lat})
		}
	}
	const tol = 0.001 // meters
	for _, d := range []string{GCJ02, BD09} {
		t.Run(d, func(t *testing.T) {
			var worst float64
			var worstAt orb.Point
			for _, p := range points {
				q := FromWGS84(p, d)
				if q == p {
					t.Fatalf("FromWGS84(%v, %q) did not move the point", p, d)
				}
				if e := orbgeo.DistanceHaversine(ToWGS84(q, d), p); e > worst {
					worst, worstAt = e, p
				}
			}
			if worst > tol {
				t.Errorf("round trip off by %.3g m at %v, want < %g m", worst, worstAt, tol)
			}
			t.Logf("%d points, largest round-trip error %.2g m at %v", len(points), worst, worstAt)
		})
	}
}

// Outside mainland China's rectangle GCJ-02 is WGS-84; BD-09 still adds
// Baidu's offset, and ToWGS84 removes it.
func TestDatumOutsideChina(t *testing.T) {
	cases := []struct {
		name string
		p    orb.Point
	}{
		{"paris", orb.Point{2.3522, 48.8566}},
		{"tokyo", orb.Point{139.6917, 35.6895}},
		{"sydney", orb.Point{151.2093, -33.8688}},
		{"west of the rectangle", orb.Point{73.5, 39.0}},
		{"north of the rectangle", orb.Point{122.0, 53.6}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := FromWGS84(c.p, GCJ02); got != c.p {
				t.Errorf("FromWGS84(gcj02) = %v, want %v", got, c.p)
			}
			if got := ToWGS84(c.p, GCJ02); got != c.p {
				t.Errorf("ToWGS84(gcj02) = %v, want %v", got, c.p)
			}
			bd := FromWGS84(c.p, BD09)
			if d := orbgeo.Distance(bd, c.p); d < 100 {
				t.Errorf("FromWGS84(bd09) moved the point %.1f m, want Baidu's offset", d)
			}
			if d := orbgeo.DistanceHaversine(ToWGS84(bd, BD09), c.p); d > 0.001 {
				t.Errorf("bd09 round trip off by %.3g m", d)
			}
		})
	}
}

// WGS84, and any name that is not a datum, leave points exactly unchanged.
func TestDatumIdentity(t *testing.T) {
	points := []orb.Point{dazhigu, {116.404, 39.915}, {2.3522, 48.8566}, {0, 0}, {-180, -90}}
	for _, d := range []string{WGS84, "", "WGS84", "GCJ02", "bd09ll", "epsg:4326"} {
		t.Run(fmt.Sprintf("%q", d), func(t *testing.T) {
			for _, p := range points {
				if got := ToWGS84(p, d); got != p {
					t.Errorf("ToWGS84(%v) = %v, want it unchanged", p, got)
				}
				if got := FromWGS84(p, d); got != p {
					t.Errorf("FromWGS84(%v) = %v, want it unchanged", p, got)
				}
			}
		})
	}
}

func TestValidDatum(t *testing.T) {
	cases := []struct {
		d    string
		want bool
	}{
		{"wgs84", true},
		{"gcj02", true},
		{"bd09", true},
		{"", false},
		{"WGS84", false},
		{"bd09ll", false},
		{"bd09mc", false},
		{"epsg:4326", false},
	}
	for _, c := range cases {
		if got := ValidDatum(c.d); got != c.want {
			t.Errorf("ValidDatum(%q) = %v, want %v", c.d, got, c.want)
		}
	}
}

func BenchmarkToWGS84GCJ02(b *testing.B) {
	g := FromWGS84(dazhigu, GCJ02)
	for b.Loop() {
		ToWGS84(g, GCJ02)
	}
}

func BenchmarkToWGS84BD09(b *testing.B) {
	bd := FromWGS84(dazhigu, BD09)
	for b.Loop() {
		ToWGS84(bd, BD09)
	}
}

// A point in Dazhigu read off Amap (GCJ-02) and off Baidu Maps (BD-09),
// taken back to WGS-84: both are the same place, about 550 m and 1.4 km from
// where the raw numbers would put it.
func ExampleToWGS84() {
	amap := orb.Point{117.233273, 39.115993}
	baidu := orb.Point{117.239659, 39.122322}
	fmt.Printf("%.5f\n", ToWGS84(amap, GCJ02))
	fmt.Printf("%.5f\n", ToWGS84(baidu, BD09))
	// Output:
	// [117.22700 39.11500]
	// [117.22700 39.11500]
}
