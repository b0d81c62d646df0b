package api_test

import (
	"math"
	"strings"
	"testing"

	"github.com/dazhigu/hotspot/data"
)

// TestForecastRoute forecasts the current week after a cluster was posted:
// the cluster's cell expects the most, every cell has a profile of 168
// shares, and the key-road segments come with the answer.
func TestForecastRoute(t *testing.T) {
	e := newSeededEnv(t)
	if res, reply := e.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, []byte(clusterBody(t, 200))); res.StatusCode != 200 {
		t.Fatalf("post: %d %v", res.StatusCode, reply)
	}
	res, fc := e.do(t, "GET", "/api/v1/forecast", data.RoleViewer, nil)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") == "" {
		t.Fatalf("%d %v", res.StatusCode, fc)
	}
	var best map[string]any
	for _, f := range fc["features"].([]any) {
		p := f.(map[string]any)["properties"].(map[string]any)
		prof := p["profile"].([]any)
		var s float64
		for _, v := range prof {
			s += v.(float64)
		}
		if len(prof) != 168 || math.Abs(s-1) > 1e-3 {
			t.Fatalf("cell %v: profile of %d hours summing to %v", p["h3"], len(prof), s)
		}
		if best == nil || p["expected"].(float64) > best["expected"].(float64) {
			best = p
		}
	}
	segs := fc["segments"].([]any)
	var bestSeg map[string]any
	for _, s := range segs {
		if m := s.(map[string]any); bestSeg == nil || m["expected"].(float64) > bestSeg["expected"].(float64) {
			bestSeg = m
		}
	}
	if best["expected"].(float64) < 1 || bestSeg["road"] != "dazhigu-zhonglu" || bestSeg["road_name"] != "大直沽中路" {
		t.Fatalf("busiest cell %v, busiest segment %v: want the cluster on 大直沽中路", best, bestSeg)
	}
	params := fc["parameters"].(map[string]any)
	for _, k := range []string{"week", "history", "method", "weights", "study_area"} {
		if params[k] == nil {
			t.Fatalf("parameters lack %s: %v", k, params)
		}
	}
	if res, body := e.do(t, "GET", "/api/v1/forecast?format=h3&profile=false&week=2026-01-05", data.RoleViewer, nil); res.StatusCode != 200 ||
		body["data"] == nil || body["data"].([]any)[0].(map[string]any)["profile"] != nil {
		t.Fatalf("format=h3 without profiles: %d %v", res.StatusCode, body["parameters"])
	}
	for _, q := range []string{"week=monday", "datetime=../..", "profile=yes", "res=8"} {
		res, body := e.do(t, "GET", "/api/v1/forecast?"+q, data.RoleViewer, nil)
		wantProblem(t, res, body, 400)
	}
	if res, _ := e.do(t, "GET", "/api/v1/forecast", "", nil); res.StatusCode != 401 {
		t.Fatalf("without a key: %d", res.StatusCode)
	}
}

// TestBacktestRoute scores the models over the weeks the posted data
// cover, and says how many weeks there are when asked for more.
func TestBacktestRoute(t *testing.T) {
	e := newSeededEnv(t)
	if res, reply := e.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, []byte(clusterBody(t, 200))); res.StatusCode != 200 {
		t.Fatalf("post: %d %v", res.StatusCode, reply)
	}
	res, body := e.do(t, "GET", "/api/v1/backtest?weeks=2", data.RoleViewer, nil)
	if res.StatusCode != 200 {
		t.Fatalf("%d %v", res.StatusCode, body)
	}
	if body["test_weeks"] != float64(2) || body["cells"].(float64) < 100 || len(body["models"].([]any)) != 5 || len(body["weeks"].([]any)) != 2 {
		t.Fatalf("report %v", body)
	}
	for _, m := range body["models"].([]any) {
		mm := m.(map[string]any)
		if mm["pai"].(map[string]any)["5"] == nil || len(mm["pai_curve"].([]any)) == 0 {
			t.Fatalf("model %v", mm)
		}
	}
	res, body = e.do(t, "GET", "/api/v1/backtest?weeks=40", data.RoleViewer, nil)
	wantProblem(t, res, body, 400)
	if !strings.Contains(body["detail"].(string), "whole weeks before") {
		t.Fatalf("detail %q: want it to say how many weeks the data hold", body["detail"])
	}
	for _, q := range []string{"weeks=0", "weeks=200", "datetime=../..", "area=events&res=12&k=4"} {
		res, body := e.do(t, "GET", "/api/v1/backtest?"+q, data.RoleViewer, nil)
		wantProblem(t, res, body, 400)
	}
}
