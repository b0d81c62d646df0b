// Command roads writes data/seed/roads.geojson and data/seed/boundary.geojson
// from the derived centreline of 津塘路 (see ../jintang).
//
// 津塘路 is the OpenStreetMap-derived centreline. The other five key roads
// have no surveyed geometry at hand: they are laid out approximately in a
// frame that follows 津塘路 (u: meters along it from its north-western end;
// n: meters from it, positive to the south-west, negative to the
// north-east), with gentle bends and a vertex every 100-120 m, and are
// marked approximate. The service boundary is the convex hull of the roads
// widened by 300 m, also marked approximate.
//
// Usage, from the repository root:
//
//	go run ./data/seed/internal/jintang data/seed/jintang-road-osm-wgs84.geojson > /tmp/jintang.json
//	go run ./data/seed/internal/roads /tmp/jintang.json
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

const (
	approx = "approximate geometry, not surveyed: replace with the street office's survey (PUT /api/v1/roads/{id})"
	osm    = "© OpenStreetMap contributors, ODbL 1.0 (derived centreline)"
	margin = 300.0 // meters of boundary around the roads
	radius = orb.EarthRadius
)

type pilot struct {
	Kind  string `json:"kind"`
	Start string `json:"start"`
	Note  string `json:"note,omitempty"`
}

type properties struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Pinyin      string  `json:"pinyin"`
	Key         bool    `json:"key"`
	Approximate bool    `json:"approximate"`
	BufferM     float64 `json:"buffer_m"`
	Attribution string  `json:"attribution"`
	Pilots      []pilot `json:"pilots"`
}

type feature struct {
	Type       string            `json:"type"`
	ID         string            `json:"id,omitempty"`
	Properties any               `json:"properties"`
	Geometry   *geojson.Geometry `json:"geometry"`
}

type collection struct {
	Type     string    `json:"type"`
	Features []feature `json:"features"`
}

func main() {
	roadsOut := flag.String("roads", "data/seed/roads.geojson", "roads file to write")
	boundaryOut := flag.String("boundary", "data/seed/boundary.geojson", "boundary file to write")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: roads [-roads file] [-boundary file] jintang.json")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *roadsOut, *boundaryOut); err != nil {
		fmt.Fprintln(os.Stderr, "roads:", err)
		os.Exit(1)
	}
}

func run(in, roadsOut, boundaryOut string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	g, err := geojson.UnmarshalGeometry(raw)
	if err != nil {
		return err
	}
	jt, ok := g.Geometry().(orb.LineString)
	if !ok {
		return fmt.Errorf("%s: want a LineString", in)
	}
	f := newFrame(jt)
	type road struct {
		id, name, pinyin string
		buffer           float64
		line             orb.LineString
		pilots           []pilot
	}
	roads := []road{
		{"houtai-xilu", "后台西路", "Houtai Xilu", 20, f.street(950, 0, 950, -800, 12),
			[]pilot{{Kind: "line-marking", Start: "2026-05-11T00:00:00+08:00", Note: "划线治理 pilot: painted shop lines"}}},
		{"jintang-lu", "津塘路", "Jintang Lu", 30, jt, []pilot{}},
		{"gongqian-jie", "宫前街", "Gongqian Jie", 15, f.street(650, 300, 650, 720, 6), []pilot{}},
		{"dazhigu-zhonglu", "大直沽中路", "Dazhigu Zhonglu", 20, f.street(150, 300, 1320, 300, 15), []pilot{}},
		{"liuwei-lu", "六纬路", "Liuwei Lu", 20, f.street(100, -350, 1120, -350, 14), []pilot{}},
		{"zhigu-jie", "直沽街", "Zhigu Jie", 15, f.street(250, 300, 250, 800, 8), []pilot{}},
	}
	var fc collection
	fc.Type = "FeatureCollection"
	var all []orb.Point
	for _, r := range roads {
		p := properties{ID: r.id, Name: r.name, Pinyin: r.pinyin, Key: true, Approximate: r.id != "jintang-lu",
			BufferM: r.buffer, Attribution: approx, Pilots: r.pilots}
		if !p.Approximate {
			p.Attribution = osm
		}
		fc.Features = append(fc.Features, feature{Type: "Feature", ID: r.id, Properties: p, Geometry: geojson.NewGeometry(r.line)})
		all = append(all, r.line...)
	}
	if err := write(roadsOut, fc); err != nil {
		return err
	}
	boundary := collection{Type: "FeatureCollection", Features: []feature{{
		Type: "Feature",
		Properties: map[string]any{"name": "大直沽街道 service area", "approximate": true,
			"note": "approximate outline: the convex hull of the key roads widened by 300 m; replace with the official boundary"},
		Geometry: geojson.NewGeometry(orb.Polygon{f.hull(all, margin)}),
	}}}
	return write(boundaryOut, boundary)
}

func write(path string, v any) error {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// frame places points by (u, n) relative to a reference line: u meters along
// it, n meters off it, positive to the right of its direction of travel
// (south-west for 津塘路, which runs north-west to south-east).
type frame struct {
	ref    [][2]float64 // reference line in local meters
	cum    []float64
	lon0   float64
	lat0   float64
	kx, ky float64
}

func newFrame(ref orb.LineString) frame {
	f := frame{lon0: ref[0][0], lat0: ref[0][1], ky: radius * math.Pi / 180}
	f.kx = f.ky * math.Cos(f.lat0*math.Pi/180)
	for i, p := range ref {
		q := f.xy(p)
		f.ref = append(f.ref, q)
		if i == 0 {
			f.cum = append(f.cum, 0)
		} else {
			f.cum = append(f.cum, f.cum[i-1]+math.Hypot(q[0]-f.ref[i-1][0], q[1]-f.ref[i-1][1]))
		}
	}
	return f
}

func (f frame) xy(p orb.Point) [2]float64 {
	return [2]float64{(p[0] - f.lon0) * f.kx, (p[1] - f.lat0) * f.ky}
}

func (f frame) lonlat(x, y float64) orb.Point {
	return orb.Point{round7(f.lon0 + x/f.kx), round7(f.lat0 + y/f.ky)}
}

// base returns the local meters of the point u meters along the reference
// line (clamped to it).
func (f frame) base(u float64) [2]float64 {
	u = max(0, min(u, f.cum[len(f.cum)-1]))
	i := 1
	for i < len(f.cum)-1 && f.cum[i] < u {
		i++
	}
	a, b := f.ref[i-1], f.ref[i]
	t := (u - f.cum[i-1]) / (f.cum[i] - f.cum[i-1])
	return [2]float64{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
}

// at returns the local meters of the point (u, n). The offset is taken along
// the normal of the reference line's chord over 400 m around u, so that it
// turns smoothly where the line bends.
func (f frame) at(u, n float64) [2]float64 {
	p, a, b := f.base(u), f.base(u-200), f.base(u+200)
	l := math.Hypot(b[0]-a[0], b[1]-a[1])
	dx, dy := (b[0]-a[0])/l, (b[1]-a[1])/l
	return [2]float64{p[0] + n*dy, p[1] - n*dx}
}

// street returns a street from (u0, n0) to (u1, n1) with 5-12 vertices, bent
// sideways by up to wiggle meters.
func (f frame) street(u0, n0, u1, n1, wiggle float64) orb.LineString {
	length := math.Hypot(u1-u0, n1-n0)
	k := min(11, max(4, int(math.Round(length/110))))
	pu, pn := -(n1-n0)/length, (u1-u0)/length
	var line orb.LineString
	for i := 0; i <= k; i++ {
		t := float64(i) / float64(k)
		w := wiggle * math.Sin(math.Pi*t) * math.Sin(3.1*t+0.7)
		q := f.at(u0+t*(u1-u0)+w*pu, n0+t*(n1-n0)+w*pn)
		line = append(line, f.lonlat(q[0], q[1]))
	}
	return line
}

// hull returns the convex hull (a closed counter-clockwise ring) of circles
// of radius meters around the points; each circle is a 16-gon drawn around
// it, so the hull keeps at least meters from every point.
func (f frame) hull(pts []orb.Point, meters float64) orb.Ring {
	r := meters / math.Cos(math.Pi/16)
	var cloud [][2]float64
	for _, p := range pts {
		q := f.xy(p)
		for k := 0; k < 16; k++ {
			a := 2 * math.Pi * float64(k) / 16
			cloud = append(cloud, [2]float64{q[0] + r*math.Cos(a), q[1] + r*math.Sin(a)})
		}
	}
	// Andrew's monotone chain.
	slices.SortFunc(cloud, func(a, b [2]float64) int {
		if a[0] != b[0] {
			return cmpF(a[0], b[0])
		}
		return cmpF(a[1], b[1])
	})
	cross := func(o, a, b [2]float64) float64 {
		return (a[0]-o[0])*(b[1]-o[1]) - (a[1]-o[1])*(b[0]-o[0])
	}
	var h [][2]float64
	for pass := 0; pass < 2; pass++ {
		start := len(h)
		for _, p := range cloud {
			for len(h) >= start+2 && cross(h[len(h)-2], h[len(h)-1], p) <= 0 {
				h = h[:len(h)-1]
			}
			h = append(h, p)
		}
		h = h[:len(h)-1]
		slices.Reverse(cloud)
	}
	ring := make(orb.Ring, 0, len(h)+1)
	for _, p := range h {
		ring = append(ring, f.lonlat(p[0], p[1]))
	}
	return append(ring, ring[0])
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func round7(x float64) float64 { return math.Round(x*1e7) / 1e7 }
