// Command jintang derives the centreline of 津塘路 (Jintang Road) inside
// Dazhigu street from OpenStreetMap's ways, which come as a MultiLineString of
// unstitched pieces, dual carriageways side by side. It prints the centreline
// as a GeoJSON LineString (WGS-84) on standard output.
//
// The derivation, all in a local equirectangular projection in meters:
//
//  1. keep the ways' points inside the street's bounding box, densified to one
//     every 2 m so that every way weighs by its length;
//  2. take the road's main axis as the principal component of those points,
//     oriented from the north-western end;
//  3. cut the axis into 25 m bins; in each bin, group the points' cross-axis
//     offsets into carriageways (groups more than 8 m apart), average each
//     carriageway and take the mean of the carriageways: the middle of a
//     dual carriageway, the way itself where it is single;
//  4. smooth the cross-axis offsets with a 3-bin moving average, keep the
//     first -length meters from the north-western end, and keep every second
//     bin (a vertex every 50 m) plus the end point.
//
// Usage, from the repository root:
//
//	go run ./data/seed/internal/jintang data/seed/jintang-road-osm-wgs84.geojson > /tmp/jintang.json
//
// Source data © OpenStreetMap contributors, ODbL 1.0; the output is a
// derived database under the same licence.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// box is the part of the road's surroundings searched (WGS-84 degrees): the
// north-western stretch of 津塘路 inside Dazhigu street.
var box = orb.Bound{Min: orb.Point{117.215, 39.100}, Max: orb.Point{117.250, 39.130}}

const (
	binMeters  = 25.0 // bin width along the axis
	gapMeters  = 8.0  // cross-axis gap that separates two carriageways
	stepMeters = 2.0  // densification step
	radius     = orb.EarthRadius
)

func main() {
	length := flag.Float64("length", 2800, "meters of the road to keep from its north-western end")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: jintang [-length meters] jintang-road-osm-wgs84.geojson")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *length); err != nil {
		fmt.Fprintln(os.Stderr, "jintang:", err)
		os.Exit(1)
	}
}

func run(path string, length float64) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		return err
	}
	var ways orb.MultiLineString
	for _, f := range fc.Features {
		switch g := f.Geometry.(type) {
		case orb.MultiLineString:
			ways = append(ways, g...)
		case orb.LineString:
			ways = append(ways, g)
		}
	}
	line, err := centreline(ways, length)
	if err != nil {
		return err
	}
	out, err := json.Marshal(geojson.NewGeometry(line))
	if err != nil {
		return err
	}
	fmt.Println(string(out))
	return nil
}

// frame is a local equirectangular projection in meters around an origin.
type frame struct{ lon0, lat0, kx, ky float64 }

func newFrame(o orb.Point) frame {
	ky := radius * math.Pi / 180
	return frame{o[0], o[1], ky * math.Cos(o[1]*math.Pi/180), ky}
}

func (f frame) xy(p orb.Point) [2]float64 {
	return [2]float64{(p[0] - f.lon0) * f.kx, (p[1] - f.lat0) * f.ky}
}

func (f frame) point(x, y float64) orb.Point {
	return orb.Point{round7(f.lon0 + x/f.kx), round7(f.lat0 + y/f.ky)}
}

func centreline(ways orb.MultiLineString, length float64) (orb.LineString, error) {
	fr := newFrame(box.Center())
	var pts [][2]float64
	for _, w := range ways {
		for i := 1; i < len(w); i++ {
			a, b := fr.xy(w[i-1]), fr.xy(w[i])
			n := int(math.Ceil(math.Hypot(b[0]-a[0], b[1]-a[1]) / stepMeters))
			for k := 0; k < n; k++ {
				t := float64(k) / float64(n)
				p := [2]float64{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
				if box.Contains(fr.point(p[0], p[1])) {
					pts = append(pts, p)
				}
			}
		}
	}
	if len(pts) < 100 {
		return nil, errors.New("too few points of the road inside the box")
	}

	// Principal axis, oriented towards the south-east (the north-western
	// end first).
	var mx, my float64
	for _, p := range pts {
		mx, my = mx+p[0], my+p[1]
	}
	mx, my = mx/float64(len(pts)), my/float64(len(pts))
	var sxx, sxy, syy float64
	for _, p := range pts {
		dx, dy := p[0]-mx, p[1]-my
		sxx, sxy, syy = sxx+dx*dx, sxy+dx*dy, syy+dy*dy
	}
	theta := 0.5 * math.Atan2(2*sxy, sxx-syy)
	ux, uy := math.Cos(theta), math.Sin(theta)
	if ux < 0 { // east-bound
		ux, uy = -ux, -uy
	}
	vx, vy := -uy, ux // cross-axis

	// Bins along the axis: cross-axis offsets of the points in each.
	bins := map[int][]float64{}
	lo, hi := math.MaxInt, math.MinInt
	for _, p := range pts {
		dx, dy := p[0]-mx, p[1]-my
		k := int(math.Floor((dx*ux + dy*uy) / binMeters))
		bins[k] = append(bins[k], dx*vx+dy*vy)
		lo, hi = min(lo, k), max(hi, k)
	}
	var along, across []float64
	for k := lo; k <= hi; k++ {
		ts := bins[k]
		if len(ts) == 0 {
			continue
		}
		along = append(along, (float64(k)+0.5)*binMeters)
		across = append(across, middle(ts))
	}
	// 3-bin moving average of the cross-axis offsets.
	smooth := make([]float64, len(across))
	for i := range across {
		a, b := max(0, i-1), min(len(across)-1, i+1)
		var s float64
		for j := a; j <= b; j++ {
			s += across[j]
		}
		smooth[i] = s / float64(b-a+1)
	}

	// Back to meters east and north, the first `length` meters, a vertex
	// every second bin.
	xy := make([][2]float64, len(along))
	for i := range along {
		xy[i] = [2]float64{mx + along[i]*ux + smooth[i]*vx, my + along[i]*uy + smooth[i]*vy}
	}
	var line orb.LineString
	var walked float64
	for i := range xy {
		if i > 0 {
			d := math.Hypot(xy[i][0]-xy[i-1][0], xy[i][1]-xy[i-1][1])
			if walked+d >= length {
				t := (length - walked) / d
				line = append(line, fr.point(xy[i-1][0]+t*(xy[i][0]-xy[i-1][0]), xy[i-1][1]+t*(xy[i][1]-xy[i-1][1])))
				return line, nil
			}
			walked += d
		}
		if i%2 == 0 {
			line = append(line, fr.point(xy[i][0], xy[i][1]))
		}
	}
	return nil, fmt.Errorf("the road inside the box is only %.0f m long", walked)
}

// middle groups cross-axis offsets into carriageways (runs more than
// gapMeters apart), averages each, and returns the mean of the averages.
func middle(ts []float64) float64 {
	slices.Sort(ts)
	var means []float64
	start := 0
	for i := 1; i <= len(ts); i++ {
		if i == len(ts) || ts[i]-ts[i-1] > gapMeters {
			var s float64
			for _, t := range ts[start:i] {
				s += t
			}
			means = append(means, s/float64(i-start))
			start = i
		}
	}
	var s float64
	for _, m := range means {
		s += m
	}
	return s / float64(len(means))
}

func round7(x float64) float64 { return math.Round(x*1e7) / 1e7 }
