// Command jintang derives the centreline of 津塘路 inside Dazhigu street from
// OpenStreetMap's ways (© OpenStreetMap contributors, ODbL 1.0), which come
// as unstitched dual carriageways. It keeps the vertices inside the street's
// bounding box, projects them onto the road's main axis (principal
// component, local planar meters), averages the carriageways' cross-axis
// positions in 30 m bins, simplifies, and prints the centreline as a GeoJSON LineString.
//
//	go run ./data/seed/internal/jintang data/seed/jintang-road-osm-wgs84.geojson
package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/simplify"
)

// The part of 津塘路 inside Dazhigu street (WGS-84 degrees).
var box = orb.Bound{Min: orb.Point{117.218, 39.105}, Max: orb.Point{117.250, 39.130}}

const binMeters = 30.0

func main() {
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "jintang:", err)
		os.Exit(1)
	}
}

func run(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		return err
	}
	var pts []orb.Point
	for _, f := range fc.Features {
		if ml, ok := f.Geometry.(orb.MultiLineString); ok {
			for _, ls := range ml {
				pts = append(pts, densify(ls)...)
			}
		}
	}
	var in []orb.Point
	for _, p := range pts {
		if box.Contains(p) {
			in = append(in, p)
		}
	}
	// Douglas–Peucker at about 2 m (in degrees) drops the bins' jitter.
	line := simplify.DouglasPeucker(2e-5).LineString(centreline(in))
	out, _ := json.Marshal(geojson.NewGeometry(line))
	fmt.Println(string(out))
	return nil
}

// densify adds points every ~10 m so bins fill evenly.
func densify(ls orb.LineString) []orb.Point {
	var out []orb.Point
	for i := 1; i < len(ls); i++ {
		a, b := ls[i-1], ls[i]
		n := int(math.Ceil(meters(a, b) / 10))
		for k := 0; k < n; k++ {
			t := float64(k) / float64(n)
			out = append(out, orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])})
		}
	}
	return append(out, ls[len(ls)-1])
}

func meters(a, b orb.Point) float64 {
	kx := 111320 * math.Cos(a[1]*math.Pi/180)
	return math.Hypot((b[0]-a[0])*kx, (b[1]-a[1])*110574)
}

// centreline bins points along their principal axis and averages each bin.
func centreline(pts []orb.Point) orb.LineString {
	o := pts[0]
	kx, ky := 111320*math.Cos(o[1]*math.Pi/180), 110574.0
	xy := make([][2]float64, len(pts))
	var mx, my float64
	for i, p := range pts {
		xy[i] = [2]float64{(p[0] - o[0]) * kx, (p[1] - o[1]) * ky}
		mx, my = mx+xy[i][0], my+xy[i][1]
	}
	mx, my = mx/float64(len(xy)), my/float64(len(xy))
	var sxx, sxy, syy float64
	for _, q := range xy {
		dx, dy := q[0]-mx, q[1]-my
		sxx, sxy, syy = sxx+dx*dx, sxy+dx*dy, syy+dy*dy
	}
	theta := 0.5 * math.Atan2(2*sxy, sxx-syy)
	ux, uy := math.Cos(theta), math.Sin(theta)
	if uy < 0 { // run from the north-west end
		ux, uy = -ux, -uy
	}
	type acc struct {
		x, y float64
		n    int
	}
	bins := map[int]*acc{}
	lo, hi := math.MaxInt, math.MinInt
	for _, q := range xy {
		dx, dy := q[0]-mx, q[1]-my
		k := int(math.Floor((dx*ux + dy*uy) / binMeters))
		if bins[k] == nil {
			bins[k] = &acc{}
		}
		bins[k].x, bins[k].y, bins[k].n = bins[k].x+q[0], bins[k].y+q[1], bins[k].n+1
		lo, hi = min(lo, k), max(hi, k)
	}
	var line orb.LineString
	for k := hi; k >= lo; k-- {
		if b := bins[k]; b != nil {
			x, y := b.x/float64(b.n), b.y/float64(b.n)
			line = append(line, orb.Point{round7(o[0] + x/kx), round7(o[1] + y/ky)})
		}
	}
	return line
}

func round7(x float64) float64 { return math.Round(x*1e7) / 1e7 }
