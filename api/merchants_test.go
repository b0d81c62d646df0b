package api_test

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data"
)

// TestMerchants posts three merchants' records: a repeat offender after an
// order to correct, a first minor violation corrected the next day, and one
// corrected too late; the flags and their records follow, the notice says
// they decide nothing, and a viewer is refused.
func TestMerchants(t *testing.T) {
	e := newSeededEnv(t)
	at := func(days int) string { return time.Now().AddDate(0, 0, -days).Format(time.RFC3339) }
	var body bytes.Buffer
	rec := func(id, merchant, severity, disposition, observed, updated string) {
		fmt.Fprintf(&body, `{"source":"patrol","source_id":%q,"category":"outside-shop","observed_at":%q,"lon":117.2250,"lat":39.1150,`+
			`"merchant_id":%q,"severity":%q,"disposition":%q,"updated_at":%q}`+"\n", id, observed, merchant, severity, disposition, updated)
	}
	rec("m1", "shop-A", "minor", "ordered", at(40), at(40))
	rec("m2", "shop-A", "minor", "warned", at(20), at(20))
	rec("m3", "shop-B", "minor", "corrected", at(10), at(9))
	rec("m4", "shop-C", "minor", "corrected", at(30), at(5))
	rec("m5", "shop-D", "minor", "warned", at(400), at(400)) // outside the default window
	rec("m6", "shop/E 东", "minor", "warned", at(50), at(50))
	rec("m7", "shop/E 东", "minor", "warned", at(45), at(45))
	if res, reply := e.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, body.Bytes()); res.StatusCode != 200 {
		t.Fatalf("%d %v", res.StatusCode, reply)
	}
	flagged := func(query string) map[string]map[string]any {
		t.Helper()
		res, b := e.do(t, "GET", "/api/v1/merchants?"+query, data.RoleScheduler, nil)
		if notice, _ := b["notice"].(string); res.StatusCode != 200 || !strings.Contains(notice, "不是处罚决定") {
			t.Fatalf("%s: %d %v", query, res.StatusCode, b)
		}
		out := map[string]map[string]any{}
		for _, m := range b["merchants"].([]any) {
			out[m.(map[string]any)["merchant"].(string)] = m.(map[string]any)
		}
		return out
	}
	all := flagged("")
	if len(all) != 4 || all["shop-D"] != nil {
		t.Fatalf("merchants of the window: %v", all)
	}
	rep := flagged("flag=sanbibifa")
	if len(rep) != 1 || rep["shop-A"] == nil {
		t.Fatalf("三必罚 candidates: %v", rep)
	}
	if recs := rep["shop-A"]["sanbibifa_candidate"].(map[string]any)["records"].([]any); len(recs) != 2 {
		t.Fatalf("the records behind the repeat flag: %v", recs)
	}
	first := flagged("flag=sanbufa")
	if len(first) != 1 || first["shop-B"] == nil {
		t.Fatalf("三不罚 eligible: %v (shop-C was corrected 25 days late)", first)
	}
	if late := flagged("flag=sanbufa&prompt_days=30"); late["shop-C"] == nil {
		t.Fatalf("with prompt_days=30 shop-C is eligible: %v", late)
	}
	if many := flagged("flag=sanbibifa&repeat_limit=1"); len(many) != 2 || many["shop/E 东"] == nil {
		t.Fatalf("repeat_limit=1 makes shop/E's two warnings a candidate too: %v", many)
	}
	if year := flagged("months=24"); year["shop-D"] == nil {
		t.Fatalf("months=24 reaches shop-D: %v", year)
	}

	res, one := e.do(t, "GET", "/api/v1/merchants/shop-A", data.RoleScheduler, nil)
	if notice, _ := one["notice"].(string); res.StatusCode != 200 || len(one["merchant"].(map[string]any)["records"].([]any)) != 2 ||
		!strings.Contains(notice, "never an automatic decision") {
		t.Fatalf("one merchant: %d %v", res.StatusCode, one)
	}
	res, one = e.do(t, "GET", "/api/v1/merchants/"+url.PathEscape("shop/E 东"), data.RoleScheduler, nil)
	if res.StatusCode != 200 || one["merchant"].(map[string]any)["merchant"] != "shop/E 东" {
		t.Fatalf("a merchant id with a slash: %d %v", res.StatusCode, one)
	}
	res, page := e.do(t, "GET", "/api/v1/merchants?limit=1", data.RoleScheduler, nil)
	if res.StatusCode != 200 || page["total"] != float64(4) || page["truncated"] != true || len(page["merchants"].([]any)) != 1 {
		t.Fatalf("limit=1: %d total %v truncated %v", res.StatusCode, page["total"], page["truncated"])
	}
	res, b := e.do(t, "GET", "/api/v1/merchants/shop-Z", data.RoleScheduler, nil)
	wantProblem(t, res, b, 404)
	res, b = e.do(t, "GET", "/api/v1/merchants/shop-A", data.RoleViewer, nil)
	wantProblem(t, res, b, 403)
	res, b = e.do(t, "GET", "/api/v1/merchants?flag=maybe", data.RoleScheduler, nil)
	wantProblem(t, res, b, 400)
	res, b = e.do(t, "GET", "/api/v1/merchants?months=0", data.RoleScheduler, nil)
	wantProblem(t, res, b, 400)
	for _, id := range []string{"%00", "%FF", strings.Repeat("x", 200)} {
		res, b = e.do(t, "GET", "/api/v1/merchants/"+id, data.RoleScheduler, nil)
		wantProblem(t, res, b, 400)
	}
}
