package api_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/api"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/seed"
)

// pointsNDJSON writes violations at the points, an hour apart before now.
func pointsNDJSON(prefix string, pts []orb.Point) []byte {
	var b strings.Builder
	now := time.Now().Add(-time.Hour)
	for i, p := range pts {
		fmt.Fprintf(&b, `{"source":"citizen","source_id":"%s-%d","category":"dumping","observed_at":%q,"lon":%.8f,"lat":%.8f}`+"\n",
			prefix, i, now.Add(-time.Duration(i)*time.Minute).Format(time.RFC3339), p[0], p[1])
	}
	return []byte(b.String())
}

// nearEdges returns points within a metre of the edges of the res-9, 10
// and 11 cells around p, on both sides.
func nearEdges(p orb.Point, perEdge int, r *rand.Rand) []orb.Point {
	var out []orb.Point
	for res := 9; res <= 11; res++ {
		for _, c := range h3.LatLngToCell(h3.NewLatLng(p[1], p[0]), res).GridDisk(1) {
			b := c.Boundary()
			for i := range b {
				v, w := b[i], b[(i+1)%len(b)]
				for range perEdge {
					t := r.Float64()
					out = append(out, orb.Point{v.Lng + (w.Lng-v.Lng)*t + (r.Float64()-0.5)*2e-5, v.Lat + (w.Lat-v.Lat)*t + (r.Float64()-0.5)*2e-5})
				}
			}
		}
	}
	return out
}

// hexCounts reads a format=h3 answer's values.
func hexCounts(t *testing.T, e *env, path string) (map[string]float64, map[string]any) {
	t.Helper()
	res, body := e.do(t, "GET", path, data.RoleViewer, nil)
	if res.StatusCode != 200 {
		t.Fatalf("%s: %d %v", path, res.StatusCode, body)
	}
	out := map[string]float64{}
	for _, row := range body["data"].([]any) {
		r := row.(map[string]any)
		out[r["hex"].(string)] = r["count"].(float64)
	}
	return out, body["parameters"].(map[string]any)
}

// TestServedCellsAreExact posts points within a metre of cell edges and
// checks every served count, at res 9 to 12, against H3's LatLngToCell of
// each point: what a GIS user counting the points in the served hexagons
// finds.
func TestServedCellsAreExact(t *testing.T) {
	e := newSeededEnv(t)
	pts := nearEdges(orb.Point{117.2265, 39.1187}, 8, rand.New(rand.NewPCG(5, 6)))
	if res, reply := e.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, pointsNDJSON("edge", pts)); res.StatusCode != 200 {
		t.Fatalf("post: %d %v", res.StatusCode, reply)
	}
	for res := 9; res <= 12; res++ {
		want := map[string]float64{}
		for _, p := range pts {
			want[h3.LatLngToCell(h3.NewLatLng(p[1], p[0]), res).String()]++
		}
		for _, path := range []string{"/api/v1/heatmap?format=h3&datetime=../..&res=%d", "/api/v1/hotspots?format=h3&area=events&datetime=../..&res=%d"} {
			got, _ := hexCounts(t, e, fmt.Sprintf(path, res))
			if len(got) != len(want) {
				t.Fatalf("%s: %d cells, LatLngToCell gives %d", fmt.Sprintf(path, res), len(got), len(want))
			}
			for cell, n := range want {
				if got[cell] != n {
					t.Fatalf("%s: cell %s counts %v, LatLngToCell puts %v there", fmt.Sprintf(path, res), cell, got[cell], n)
				}
			}
		}
	}
}

// TestAnyStudyArea analyses data far from Dazhigu (Boston) on a server with
// no ingest boundary: area=events and bbox= work without a restart, and an
// answer too large for GeoJSON is refused with the way out.
func TestAnyStudyArea(t *testing.T) {
	e := newEnv(t, func(o *api.Options) { o.Limits.MaxFeatures = 200 })
	if err := seed.Load(t.Context(), e.store); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(7, 8))
	var pts []orb.Point
	for range 600 { // a cluster at Downtown Crossing and a scatter over the city
		pts = append(pts, orb.Point{-71.0603 + r.NormFloat64()*4e-4, 42.3555 + r.NormFloat64()*3e-4})
	}
	for range 300 {
		pts = append(pts, orb.Point{-71.12 + r.Float64()*0.1, 42.30 + r.Float64()*0.08})
	}
	if res, reply := e.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, pointsNDJSON("bos", pts)); res.StatusCode != 200 {
		t.Fatalf("post: %d %v", res.StatusCode, reply)
	}
	t.Run("area=events", func(t *testing.T) {
		res, body := e.do(t, "GET", "/api/v1/hotspots?format=h3&area=events&res=9&fdr=true", data.RoleViewer, nil)
		if res.StatusCode != 200 {
			t.Fatalf("%d %v", res.StatusCode, body)
		}
		cells := map[string]bool{}
		for _, p := range pts {
			cells[h3.LatLngToCell(h3.NewLatLng(p[1], p[0]), 9).String()] = true
		}
		rows := body["data"].([]any)
		area := body["parameters"].(map[string]any)["study_area"].(map[string]any)
		if len(rows) != len(cells) || area["kind"] != "events" || area["cells"] != float64(len(cells)) {
			t.Fatalf("%d cells, area %v; want the %d cells with events", len(rows), area, len(cells))
		}
		hot := h3.LatLngToCell(h3.NewLatLng(42.3555, -71.0603), 9).String()
		for _, row := range rows {
			if m := row.(map[string]any); m["hex"] == hot && m["bin"] != float64(3) {
				t.Fatalf("the cluster's cell %v: want bin 3", m)
			}
		}
	})
	t.Run("bbox", func(t *testing.T) {
		got, params := hexCounts(t, e, "/api/v1/hotspots?format=h3&res=10&bbox=-71.07,42.35,-71.05,42.36")
		area := params["study_area"].(map[string]any)
		if area["kind"] != "bbox" || len(got) == 0 || area["cells"] != float64(len(got)) {
			t.Fatalf("area %v, %d cells", area, len(got))
		}
		var n float64
		for _, v := range got {
			n += v
		}
		if n < 500 {
			t.Fatalf("the box counts %v violations, want most of the 600 of its cluster", n)
		}
	})
	t.Run("too many cells for GeoJSON", func(t *testing.T) {
		res, body := e.do(t, "GET", "/api/v1/hotspots?area=events&res=12", data.RoleViewer, nil)
		wantProblem(t, res, body, 400)
		if d := body["detail"].(string); !strings.Contains(d, "format=h3") || !strings.Contains(d, "coarser res") {
			t.Fatalf("detail %q: want it to say format=h3 or a coarser res", d)
		}
		if res, body := e.do(t, "GET", "/api/v1/hotspots?area=events&res=12&format=h3", data.RoleViewer, nil); res.StatusCode != 200 {
			t.Fatalf("format=h3: %d %v", res.StatusCode, body)
		}
		res, body = e.do(t, "GET", "/api/v1/heatmap?res=12", data.RoleViewer, nil) // every cell with a violation
		wantProblem(t, res, body, 400)
	})
	for _, q := range []string{"area=bbox", "area=roads&bbox=-71.07,42.35,-71.05,42.36", "bbox=-71.05,42.35,-71.07,42.36", "area=city",
		"bbox=-179,0,179,0.01", "datetime=2099-01-01T00:00:00Z/.."} {
		t.Run("bad "+q, func(t *testing.T) {
			res, body := e.do(t, "GET", "/api/v1/hotspots?"+q, data.RoleViewer, nil)
			wantProblem(t, res, body, 400)
		})
	}
}
