package api_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/api"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/seed"
	"github.com/dazhigu/hotspot/data/sqlite"
)

// clusterBody is NDJSON of n violations at one spot of 大直沽中路's middle,
// and n/10 spread along the other roads, in the last weeks.
func clusterBody(t *testing.T, n int) string {
	t.Helper()
	roads, err := seed.Roads()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	now := time.Now().Add(-2 * time.Hour)
	line := func(id string, lon, lat float64, at time.Time) {
		fmt.Fprintf(&b, `{"source":"patrol","source_id":%q,"category":"street-vending","observed_at":%q,"lon":%.7f,"lat":%.7f}`+"\n",
			id, at.Format(time.RFC3339), lon, lat)
	}
	for _, r := range roads {
		mid := r.Geometry[len(r.Geometry)/2]
		for i := range n / 10 {
			p := r.Geometry[i%len(r.Geometry)]
			line(fmt.Sprintf("%s-bg-%d", r.ID, i), p[0], p[1], now.Add(-time.Duration(i)*7*time.Hour))
		}
		if r.ID == "dazhigu-zhonglu" {
			for i := range n {
				line(fmt.Sprintf("cluster-%d", i), mid[0], mid[1], now.Add(-time.Duration(i)*3*time.Hour))
			}
		}
	}
	return b.String()
}

func TestAnalyticsRoutes(t *testing.T) {
	e := newSeededEnv(t)
	res, reply := e.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, []byte(clusterBody(t, 200)))
	if res.StatusCode != 200 {
		t.Fatalf("post: %d %v", res.StatusCode, reply)
	}
	stored := reply["stored"].(float64)

	t.Run("heatmap counts every write", func(t *testing.T) {
		_, fc := e.do(t, "GET", "/api/v1/heatmap", data.RoleViewer, nil)
		var total float64
		for _, f := range fc["features"].([]any) {
			total += f.(map[string]any)["properties"].(map[string]any)["value"].(float64)
		}
		if total != stored {
			t.Fatalf("heatmap counts %v violations, %v were stored", total, stored)
		}
	})
	t.Run("cluster is a hot spot", func(t *testing.T) {
		res, body := e.do(t, "GET", "/api/v1/hotspots?format=h3&fdr=true&permutations=99", data.RoleViewer, nil)
		if res.StatusCode != 200 {
			t.Fatalf("%d %v", res.StatusCode, body)
		}
		var best map[string]any
		for _, row := range body["data"].([]any) {
			r := row.(map[string]any)
			if best == nil || r["count"].(float64) > best["count"].(float64) {
				best = r
			}
		}
		if best["bin"] != float64(3) || best["count"].(float64) < 200 || best["p_permutation"] == nil {
			t.Fatalf("busiest cell %v: want bin 3 with a permutation p-value", best)
		}
		params := body["parameters"].(map[string]any)
		if params["study_area"] == nil || params["gistar"] == nil || params["weights"] == nil {
			t.Fatalf("parameters %v: want the study area, the Gi* figures and the weights", params)
		}
	})
	for _, path := range []string{
		"/api/v1/heatmap?metric=rate", "/api/v1/heatmap?metric=gistar&res=10&crs=gcj02", "/api/v1/heatmap?format=h3&res=12",
		"/api/v1/hotspots/emerging?step=day&steps=14", "/api/v1/roads/ranking", "/api/v1/hotspots?area=boundary&res=10",
	} {
		t.Run(path, func(t *testing.T) {
			res, body := e.do(t, "GET", path, data.RoleViewer, nil)
			if res.StatusCode != 200 || body["parameters"] == nil {
				t.Fatalf("%d %v", res.StatusCode, body)
			}
		})
	}
	t.Run("open-ended windows", func(t *testing.T) {
		for _, path := range []string{"/api/v1/hotspots/emerging?datetime=2026-01-01T00:00:00Z/..&step=day&steps=30",
			"/api/v1/roads/ranking?datetime=../..", "/api/v1/heatmap?datetime=../" + time.Now().Add(time.Hour).UTC().Format(time.RFC3339)} {
			res, body := e.do(t, "GET", path, data.RoleViewer, nil)
			if res.StatusCode != 200 {
				t.Fatalf("%s: %d %v", path, res.StatusCode, body)
			}
			if n := body["parameters"].(map[string]any)["cells_returned"]; path[8] == 'h' && n == float64(0) {
				t.Fatalf("%s: no cells", path)
			}
		}
	})
	t.Run("ranking puts the cluster first", func(t *testing.T) {
		_, body := e.do(t, "GET", "/api/v1/roads/ranking", data.RoleViewer, nil)
		first := body["roads"].([]any)[0].(map[string]any)
		if first["road"] != "dazhigu-zhonglu" {
			t.Fatalf("first road %v, want dazhigu-zhonglu", first["road"])
		}
		seg := first["segments"].([]any)[0].(map[string]any)
		if seg["count"].(float64) < 200 || seg["hot_share"].(float64) == 0 {
			t.Fatalf("first segment %v: want the cluster, hot", seg)
		}
	})
	for _, q := range []string{"res=8", "res=13", "metric=density", "format=kml", "k=0", "category=", "source=radio", "datetime=yesterday", "steps=2",
		"category=parking", "datetime=1990-01-01T00:00:00Z/..", "area=boundary&res=12&k=3&permutations=9999&x=", "steps=520&step=day&area=boundary&res=12"} {
		t.Run("bad "+q, func(t *testing.T) {
			path := "/api/v1/heatmap?" + q
			switch {
			case strings.HasPrefix(q, "steps"):
				path = "/api/v1/hotspots/emerging?" + q
			case strings.Contains(q, "permutations"):
				path = "/api/v1/hotspots?" + strings.TrimSuffix(q, "&x=")
			}
			res, body := e.do(t, "GET", path, data.RoleViewer, nil)
			if q == "category=" { // an empty list filters nothing
				if res.StatusCode != 200 {
					t.Fatalf("%d", res.StatusCode)
				}
				return
			}
			wantProblem(t, res, body, 400)
		})
	}
	t.Run("rebuilt from the store equals the followed cube", func(t *testing.T) {
		rebuilt := cube.New()
		if err := rebuilt.CatchUp(context.Background(), e.store); err != nil {
			t.Fatal(err)
		}
		_, fc := e.do(t, "GET", "/api/v1/heatmap?format=h3&res=12&datetime=../..", data.RoleViewer, nil)
		got := map[string]float64{}
		for _, row := range fc["data"].([]any) {
			r := row.(map[string]any)
			got[r["hex"].(string)] = r["value"].(float64)
		}
		want := map[string]float64{}
		rebuilt.Read(func(v cube.View) {
			for c, n := range v.Counts(cube.Filter{}, 12) {
				want[c.String()] = n
			}
		})
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("the served cube and a rebuilt one differ: %d vs %d cells", len(got), len(want))
		}
	})
}

// TestBlindSpots posts hotline complaints where no patrol goes and a patrol
// walk elsewhere: the complaint cell is a blind spot without a rate.
func TestBlindSpots(t *testing.T) {
	e := newSeededEnv(t)
	roads, _ := seed.Roads()
	var spot []float64
	for _, r := range roads {
		if r.ID == "zhigu-jie" {
			p := r.Geometry[len(r.Geometry)/2]
			spot = []float64{p[0], p[1]}
		}
	}
	var b strings.Builder
	for i := range 6 {
		fmt.Fprintf(&b, `{"source":"hotline","source_id":"h-%d","category":"dumping","observed_at":%q,"lon":%.7f,"lat":%.7f}`+"\n",
			i, time.Now().Add(-time.Duration(i+1)*time.Hour).Format(time.RFC3339), spot[0], spot[1])
	}
	if res, r := e.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, []byte(b.String())); res.StatusCode != 200 {
		t.Fatalf("%d %v", res.StatusCode, r)
	}
	if res, r := e.post(t, "/api/v1/tracks?officer=zf-07", "application/gpx+xml", data.RoleIngest, fixture(t, "walk.gpx")); res.StatusCode != 200 {
		t.Fatalf("%d %v", res.StatusCode, r)
	}
	_, body := e.do(t, "GET", "/api/v1/heatmap?metric=rate&format=h3&datetime=2026-01-01T00:00:00Z/..", data.RoleViewer, nil)
	var blind []map[string]any
	for _, row := range body["data"].([]any) {
		if r := row.(map[string]any); r["blind_spot"] == true {
			blind = append(blind, r)
		}
	}
	if len(blind) != 1 || blind[0]["complaints"] != float64(6) || blind[0]["value"] != nil {
		t.Fatalf("blind spots %v; want the one complaint cell, without a rate", blind)
	}
}

// TestTwoInstances runs two servers over one database, each with its own
// store connection and cube, as two instances behind a balancer would: a
// write through one is in the other's next answer, through the change feed.
func TestTwoInstances(t *testing.T) {
	a := newSeededEnv(t)
	path := a.dbPath
	other, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	b := &env{store: other, keys: a.keys}
	b.srv = httptest.NewServer(api.New(api.Options{Store: other, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	t.Cleanup(b.srv.Close)

	count := func(e *env) float64 {
		_, body := e.do(t, "GET", "/api/v1/heatmap?format=h3", data.RoleViewer, nil)
		var n float64
		for _, row := range body["data"].([]any) {
			n += row.(map[string]any)["value"].(float64)
		}
		return n
	}
	if n := count(b); n != 0 {
		t.Fatalf("instance b counts %v before any write", n)
	}
	res, reply := a.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, []byte(clusterBody(t, 30)))
	if res.StatusCode != 200 {
		t.Fatalf("%d %v", res.StatusCode, reply)
	}
	if got, want := count(b), reply["stored"].(float64); got != want {
		t.Fatalf("instance b counts %v after instance a stored %v", got, want)
	}
}
