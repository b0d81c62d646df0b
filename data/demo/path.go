package demo

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// path is a road centreline measured in meters: it turns a distance along
// the road and a signed offset from it into a WGS-84 point.
type path struct {
	line orb.LineString
	cum  []float64 // haversine meters from the first point to each point
}

func newPath(line orb.LineString) path {
	cum := make([]float64, len(line))
	for i := 1; i < len(line); i++ {
		cum[i] = cum[i-1] + orbgeo.DistanceHaversine(line[i-1], line[i])
	}
	return path{line: line, cum: cum}
}

// length is the road's length in meters.
func (p path) length() float64 { return p.cum[len(p.cum)-1] }

// at returns the point along meters from the start (clamped to the road)
// and offset meters to the left of the direction of travel (negative: to
// the right), in a local flat approximation that is exact to centimeters
// over a street's width.
func (p path) at(along, offset float64) orb.Point {
	n := len(p.line)
	along = clamp(along, 0, p.length())
	i := sort.SearchFloat64s(p.cum, along) - 1
	i = max(0, min(i, n-2))
	a, b := p.line[i], p.line[i+1]
	t := 0.0
	if seg := p.cum[i+1] - p.cum[i]; seg > 0 {
		t = (along - p.cum[i]) / seg
	}
	foot := orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
	kx, ky := metersPerDegree(foot[1])
	dx, dy := (b[0]-a[0])*kx, (b[1]-a[1])*ky
	l := math.Hypot(dx, dy)
	if l == 0 {
		return foot
	}
	return displace(foot, -dy/l*offset, dx/l*offset)
}

// metersPerDegree returns meters per degree of longitude and latitude at lat
// on the sphere of orb.EarthRadius.
func metersPerDegree(lat float64) (kx, ky float64) {
	ky = orb.EarthRadius * math.Pi / 180
	return ky * math.Cos(lat*math.Pi/180), ky
}

// displace moves p east and north by the given meters.
func displace(p orb.Point, east, north float64) orb.Point {
	kx, ky := metersPerDegree(p[1])
	return orb.Point{p[0] + east/kx, p[1] + north/ky}
}
