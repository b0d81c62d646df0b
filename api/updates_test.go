package api_test

import (
	"fmt"
	"testing"

	"github.com/dazhigu/hotspot/data"
)

// TestViolationUpdates re-sends a violation as its case moves on: a later
// disposition updates it and its history says who and what; a move to
// another category is counted there; a stale re-send is kept out.
func TestViolationUpdates(t *testing.T) {
	e := newSeededEnv(t)
	rec := func(category, disposition, updated string) []byte {
		u := ""
		if updated != "" {
			u = fmt.Sprintf(`,"updated_at":%q`, updated)
		}
		return []byte(fmt.Sprintf(`{"source":"hotline","source_id":"h-77","category":%q,"observed_at":"2026-11-20T09:00:00+08:00",`+
			`"lon":117.2250,"lat":39.1150,"disposition":%q%s}`+"\n", category, disposition, u))
	}
	post := func(body []byte) map[string]any {
		t.Helper()
		res, reply := e.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, body)
		if res.StatusCode != 200 {
			t.Fatalf("%d %v", res.StatusCode, reply)
		}
		return reply
	}
	count := func(category string) float64 {
		t.Helper()
		_, body := e.do(t, "GET", "/api/v1/heatmap?format=h3&datetime=../..&category="+category, data.RoleViewer, nil)
		var n float64
		for _, r := range body["data"].([]any) {
			n += r.(map[string]any)["count"].(float64)
		}
		return n
	}
	first := post(rec("dumping", "ordered", "2026-11-20T09:30:00+08:00"))
	id := first["records"].([]any)[0].(map[string]any)["id"].(float64)
	if count("dumping") != 1 {
		t.Fatal("the violation is not counted")
	}
	again := post(rec("dumping", "corrected", "2026-11-22T15:00:00+08:00"))
	if r := again["records"].([]any)[0].(map[string]any); r["updated"] != true || again["updated"] != float64(1) || r["kept"] != nil {
		t.Fatalf("a later disposition: %v", again)
	}
	_, v := e.do(t, "GET", fmt.Sprintf("/api/v1/violations/%.0f", id), data.RoleViewer, nil)
	if p := v["properties"].(map[string]any); p["disposition"] != "corrected" || p["updated_at"] != "2026-11-22T15:00:00+08:00" {
		t.Fatalf("after the update: %v", p)
	}
	post(rec("outside-shop", "corrected", "2026-11-23T10:00:00+08:00"))
	if count("dumping") != 0 || count("outside-shop") != 1 {
		t.Fatalf("after the move: dumping %v, outside-shop %v", count("dumping"), count("outside-shop"))
	}
	stale := post(rec("dumping", "warned", "2026-11-21T00:00:00+08:00"))
	if r := stale["records"].([]any)[0].(map[string]any); r["updated"] != false || r["kept"] == nil {
		t.Fatalf("a stale re-send: %v", stale)
	}
	res, h := e.do(t, "GET", fmt.Sprintf("/api/v1/violations/%.0f/history", id), data.RoleScheduler, nil)
	ups := h["updates"].([]any)
	if res.StatusCode != 200 || len(ups) != 2 {
		t.Fatalf("%d history %v", res.StatusCode, h)
	}
	u := ups[0].(map[string]any)
	disp := u["fields"].(map[string]any)["disposition"].([]any)
	if u["by"] != "key:ingest-test" || disp[0] != "ordered" || disp[1] != "corrected" {
		t.Fatalf("first update %v", u)
	}
	if res, _ := e.do(t, "GET", fmt.Sprintf("/api/v1/violations/%.0f/history", id), data.RoleViewer, nil); res.StatusCode != 403 {
		t.Fatalf("a viewer read the history: %d", res.StatusCode)
	}
}
