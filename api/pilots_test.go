package api_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/seed"
	"github.com/dazhigu/hotspot/geo"
)

// TestPilotEvaluationRoute posts shop-front violations on every key road for
// twenty weeks around 后台西路's line-marking start (2026-05-11), halved on
// 后台西路 after it, and reads the evaluation.
func TestPilotEvaluationRoute(t *testing.T) {
	e := newSeededEnv(t)
	roads, _ := seed.Roads()
	start := time.Date(2026, 5, 11, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	r := rand.New(rand.NewPCG(31, 32))
	var b strings.Builder
	n := 0
	for _, rd := range roads {
		for _, s := range rd.Segments {
			mid := geo.PointAlong(rd.Geometry, (s.FromMeters+s.ToMeters)/2)
			for d := -70; d < 70; d++ {
				rate := 0.6
				if rd.ID == "houtai-xilu" && d >= 0 {
					rate = 0.3
				}
				if r.Float64() >= rate {
					continue
				}
				at := start.AddDate(0, 0, d).Add(10 * time.Hour)
				n++
				fmt.Fprintf(&b, `{"source":"patrol","source_id":"pe-%d","category":"outside-shop","observed_at":%q,"lon":%.7f,"lat":%.7f}`+"\n",
					n, at.Format(time.RFC3339), mid[0], mid[1])
				if n%9000 == 0 {
					e.mustPost(t, b.String())
					b.Reset()
				}
			}
		}
	}
	e.mustPost(t, b.String())
	res, body := e.do(t, "GET", "/api/v1/pilots/houtai-xilu/evaluation?pre=10&post=10&reps=199", data.RoleViewer, nil)
	if res.StatusCode != 200 {
		t.Fatalf("%d %v", res.StatusCode, body)
	}
	effect := body["effect"].(float64)
	ci := body["ci95"].([]any)
	for _, k := range []string{"effect", "ci95", "relative_effect", "pre_trend_p", "treated_segments", "control_segments", "series", "event_study", "wdd", "trust"} {
		if body[k] == nil {
			t.Fatalf("answer without %s", k)
		}
	}
	if effect > -1.5 || effect < -2.7 || ci[1].(float64) >= 0 || ci[0].(float64) > effect || ci[1].(float64) < effect {
		t.Fatalf("effect %v, ci95 %v: want about −2.1 a segment-week (3.5 days of 0.6 halved), below zero", effect, ci)
	}
	if rel := body["relative_effect"].(float64); rel > -0.35 || rel < -0.65 {
		t.Fatalf("relative effect %v, want about −0.5", rel)
	}
	for _, q := range []string{"/api/v1/pilots/nowhere/evaluation", "/api/v1/pilots/jintang-lu/evaluation", "/api/v1/pilots/houtai-xilu/evaluation?reps=5",
		"/api/v1/pilots/houtai-xilu/evaluation?start=someday"} {
		res, body := e.do(t, "GET", q, data.RoleViewer, nil)
		want := 400
		if strings.Contains(q, "nowhere") {
			want = 404
		}
		wantProblem(t, res, body, want)
	}
}

func (e *env) mustPost(t *testing.T, body string) {
	t.Helper()
	if body == "" {
		return
	}
	if res, reply := e.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, []byte(body)); res.StatusCode != 200 {
		t.Fatalf("post: %d %v", res.StatusCode, reply)
	}
}

// TestPilotZonesRoute answers GeoJSON with the criteria stated, for
// schedulers, and refuses evidence shorter than eight weeks.
func TestPilotZonesRoute(t *testing.T) {
	e := newSeededEnv(t)
	e.mustPost(t, clusterBody(t, 200))
	res, body := e.do(t, "GET", "/api/v1/recommendations/pilot-zones?paint=1", data.RoleScheduler, nil)
	if res.StatusCode != 200 || body["type"] != "FeatureCollection" || len(body["criteria"].([]any)) != 3 {
		t.Fatalf("%d %v", res.StatusCode, body)
	}
	for _, q := range []string{"weeks=4", "paint=-1", "datetime=../.."} {
		res, body := e.do(t, "GET", "/api/v1/recommendations/pilot-zones?"+q, data.RoleScheduler, nil)
		wantProblem(t, res, body, 400)
	}
	if res, _ := e.do(t, "GET", "/api/v1/recommendations/pilot-zones", data.RoleViewer, nil); res.StatusCode != 403 {
		t.Fatalf("a viewer got %d", res.StatusCode)
	}
}
