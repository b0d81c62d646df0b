package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"
)

// Datum names, as they are written in the ?crs= query parameter. They are
// lower case and matched exactly.
const (
	WGS84 = "wgs84" // GPS, international
	GCJ02 = "gcj02" // China's obfuscated datum: Amap, Tencent
	BD09  = "bd09"  // Baidu's, offset from GCJ-02
)

// ValidDatum reports whether d is one of WGS84, GCJ02 and BD09. The match is
// exact: "WGS84" and "bd09ll" are not valid.
func ValidDatum(d string) bool {
	switch d {
	case WGS84, GCJ02, BD09:
		return true
	}
	return false
}

// ToWGS84 converts the point p (longitude, latitude in degrees) from datum d
// to WGS-84.
//
// A WGS84 point is returned unchanged. GCJ02 and BD09 have no closed-form
// inverse; ToWGS84 inverts FromWGS84 by fixed-point iteration of the forward
// transform until the residual is below 1e-10 degree (about 0.01 mm), which
// takes two to five steps over China; the iteration is bounded at 20 steps.
//
// A GCJ02 point outside the rectangle that the common coordtransform
// implementations use for mainland China (longitude strictly between 73.66 and
// 135.05, latitude strictly between 3.86 and 53.55) is returned unchanged,
// because FromWGS84 does not offset such points. The rectangle is crude: it
// takes in Seoul and Hanoi, which are offset too, and leaves out the western
// tip of Xinjiang. A BD09 point is first taken back to GCJ-02 by inverting
// Baidu's offset, which applies everywhere, and then treated as a GCJ02
// point.
//
// Within a few hundred meters of the rectangle's edges, where FromWGS84 can
// move a point across an edge, the forward transform is not one-to-one and
// ToWGS84 cannot always undo it. The edges run through the sea, the far west
// of Xinjiang and the far north and east of Heilongjiang; Tianjin is
// hundreds of kilometers from all of them.
//
// An unknown datum d is not an error that ToWGS84 can report: the point is
// returned unchanged. Callers check d with ValidDatum first.
func ToWGS84(p orb.Point, d string) orb.Point {
	switch d {
	case GCJ02:
		return gcj02ToWGS84(p)
	case BD09:
		return gcj02ToWGS84(bd09ToGCJ02(p))
	}
	return p
}

// FromWGS84 converts the WGS-84 point p (longitude, latitude in degrees) to
// datum d with the widely published forward transforms. GCJ02 leaves points
// outside mainland China's rectangle (see ToWGS84) unchanged; BD09 is GCJ02
// followed by Baidu's offset, which is applied everywhere, as the common
// coordtransform implementations do. WGS84 and an unknown datum return p
// unchanged.
func FromWGS84(p orb.Point, d string) orb.Point {
	switch d {
	case GCJ02:
		return wgs84ToGCJ02(p)
	case BD09:
		return gcj02ToBD09(wgs84ToGCJ02(p))
	}
	return p
}

// Parameters of the published GCJ-02 and BD-09 transforms.
const (
	krasovskyA  = 6378245.0              // semi-major axis of the Krasovsky 1940 ellipsoid, meters
	krasovskyEE = 0.00669342162296594323 // its first eccentricity squared

	// baiduXPi is the angular frequency of Baidu's offset, radians per degree.
	baiduXPi = 3.14159265358979324 * 3000.0 / 180.0
)

// The rectangle, in degrees, inside which the common coordtransform
// implementations (github.com/wandergis/coordtransform and its ports) apply
// the GCJ-02 offset.
const (
	chinaMinLon, chinaMaxLon = 73.66, 135.05
	chinaMinLat, chinaMaxLat = 3.86, 53.55
)

// The inverses stop when the residual is below inverseTol degree in both
// coordinates (1e-10 degree is about 0.01 mm), or after maxInverse steps.
const (
	inverseTol = 1e-10
	maxInverse = 20
)

// inChina reports whether p lies strictly inside the rectangle that the
// common coordtransform implementations use for mainland China.
func inChina(p orb.Point) bool {
	return p[0] > chinaMinLon && p[0] < chinaMaxLon && p[1] > chinaMinLat && p[1] < chinaMaxLat
}

// wgs84ToGCJ02 is the published WGS-84 to GCJ-02 transform: identity outside
// the mainland rectangle, gcjOffset inside it.
func wgs84ToGCJ02(p orb.Point) orb.Point {
	if !inChina(p) {
		return p
	}
	return gcjOffset(p)
}

// gcjOffset applies the GCJ-02 offset to p without the rectangle test.
func gcjOffset(p orb.Point) orb.Point {
	x, y := p[0]-105, p[1]-35
	dLat := gcjShiftLat(x, y)
	dLon := gcjShiftLon(x, y)
	rad := p[1] * math.Pi / 180
	s := math.Sin(rad)
	w := 1 - krasovskyEE*s*s
	sw := math.Sqrt(w)
	// Meters to degrees on the Krasovsky ellipsoid: meridional and
	// prime-vertical radii of curvature.
	dLat = dLat * 180 / (krasovskyA * (1 - krasovskyEE) / (w * sw) * math.Pi)
	dLon = dLon * 180 / (krasovskyA / sw * math.Cos(rad) * math.Pi)
	return orb.Point{p[0] + dLon, p[1] + dLat}
}

// gcjShiftLat is the published latitude shift of GCJ-02, in meters, at
// x = lon-105, y = lat-35 degrees.
func gcjShiftLat(x, y float64) float64 {
	r := -100 + 2*x + 3*y + 0.2*y*y + 0.1*x*y + 0.2*math.Sqrt(math.Abs(x))
	r += (20*math.Sin(6*x*math.Pi) + 20*math.Sin(2*x*math.Pi)) * 2 / 3
	r += (20*math.Sin(y*math.Pi) + 40*math.Sin(y/3*math.Pi)) * 2 / 3
	r += (160*math.Sin(y/12*math.Pi) + 320*math.Sin(y*math.Pi/30)) * 2 / 3
	return r
}

// gcjShiftLon is the published longitude shift of GCJ-02, in meters, at
// x = lon-105, y = lat-35 degrees.
func gcjShiftLon(x, y float64) float64 {
	r := 300 + x + 2*y + 0.1*x*x + 0.1*x*y + 0.1*math.Sqrt(math.Abs(x))
	r += (20*math.Sin(6*x*math.Pi) + 20*math.Sin(2*x*math.Pi)) * 2 / 3
	r += (20*math.Sin(x*math.Pi) + 40*math.Sin(x/3*math.Pi)) * 2 / 3
	r += (150*math.Sin(x/12*math.Pi) + 300*math.Sin(x/30*math.Pi)) * 2 / 3
	return r
}

// gcj02ToBD09 is the published GCJ-02 to BD-09 transform. It has no
// rectangle test.
func gcj02ToBD09(p orb.Point) orb.Point {
	x, y := p[0], p[1]
	z := math.Hypot(x, y) + 0.00002*math.Sin(y*baiduXPi)
	theta := math.Atan2(y, x) + 0.000003*math.Cos(x*baiduXPi)
	return orb.Point{z*math.Cos(theta) + 0.0065, z*math.Sin(theta) + 0.006}
}

// bd09ToGCJ02 inverts gcj02ToBD09 by iteration. The closed form that the
// common implementations publish evaluates Baidu's sine and cosine terms at
// the BD-09 point shifted back by (0.0065, 0.006) instead of at the GCJ-02
// point, and misses the exact inverse by up to about 0.2 m over China; this
// one is exact to inverseTol.
func bd09ToGCJ02(b orb.Point) orb.Point {
	return invert(gcj02ToBD09, b)
}

// gcj02ToWGS84 inverts wgs84ToGCJ02 by iteration. Points outside the mainland
// rectangle are returned unchanged; inside it the iteration uses the offset
// without the rectangle test, so that it stays smooth near the edges.
func gcj02ToWGS84(g orb.Point) orb.Point {
	if !inChina(g) {
		return g
	}
	return invert(gcjOffset, g)
}

// invert finds p with f(p) = q by fixed-point iteration, p ← p - (f(p) - q),
// starting from q. It converges when f is the identity plus an offset whose
// derivatives are small, as those of GCJ-02 (below about 0.003) and BD-09
// (below about 0.001) are: each step divides the error by some hundreds.
// It stops when the residual is below inverseTol degree in both coordinates,
// or after maxInverse steps. A non-finite q gives a non-finite result.
func invert(f func(orb.Point) orb.Point, q orb.Point) orb.Point {
	p := q
	for range maxInverse {
		r := f(p)
		dx, dy := r[0]-q[0], r[1]-q[1]
		if math.Abs(dx) < inverseTol && math.Abs(dy) < inverseTol {
			return p
		}
		p = orb.Point{p[0] - dx, p[1] - dy}
	}
	return p
}

// GeometryFromWGS84 returns a copy of a WGS-84 geometry with every point
// converted to datum d; g itself is not changed.
func GeometryFromWGS84(g orb.Geometry, d string) orb.Geometry {
	if g == nil || d == WGS84 {
		return g
	}
	return project.Geometry(orb.Clone(g), func(p orb.Point) orb.Point { return FromWGS84(p, d) })
}
