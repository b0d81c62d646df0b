package api_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/seed"
)

// get fetches a path with the role's key and returns the raw answer.
func (e *env) get(t *testing.T, path string, role data.Role) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+e.keys[role])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res, raw
}

// TestPatrolPlanRoute plans tomorrow over the posted cluster: a scheduler's
// route, within budget, every key road visited, the fields scripts rely on.
func TestPatrolPlanRoute(t *testing.T) {
	e := newSeededEnv(t)
	if res, reply := e.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, []byte(clusterBody(t, 200))); res.StatusCode != 200 {
		t.Fatalf("post: %d %v", res.StatusCode, reply)
	}
	const path = "/api/v1/recommendations/patrol?shifts=07:00-11:00,16:00-20:00&officers=2&seed=42"
	res, body := e.do(t, "GET", path, data.RoleScheduler, nil)
	if res.StatusCode != 200 {
		t.Fatalf("%d %v", res.StatusCode, body)
	}
	if body["budget_minutes"] != float64(960) || body["used_minutes"].(float64) > 960 || body["seed"] != float64(42) {
		t.Fatalf("budget %v, used %v, seed %v", body["budget_minutes"], body["used_minutes"], body["seed"])
	}
	visits := body["visits"].([]any)
	roads := map[string]bool{}
	var best map[string]any
	for _, x := range visits {
		v := x.(map[string]any)
		for _, k := range []string{"road", "road_name", "segment", "start", "end", "lon", "lat", "expected", "reason"} {
			if v[k] == nil {
				t.Fatalf("visit without %s: %v", k, v)
			}
		}
		start, err1 := time.Parse(time.RFC3339, v["start"].(string))
		end, err2 := time.Parse(time.RFC3339, v["end"].(string))
		if err1 != nil || err2 != nil || end.Sub(start) != 15*time.Minute {
			t.Fatalf("visit %v–%v", v["start"], v["end"])
		}
		roads[v["road"].(string)] = true
		if best == nil || v["expected"].(float64) > best["expected"].(float64) {
			best = v
		}
	}
	all, _ := seed.Roads()
	if len(roads) != len(all) {
		t.Fatalf("visits on %d of %d key roads", len(roads), len(all))
	}
	if best["road"] != "dazhigu-zhonglu" {
		t.Fatalf("the visit expecting most is on %v, want the cluster's road", best["road"])
	}
	if res, _ := e.do(t, "GET", path, data.RoleViewer, nil); res.StatusCode != 403 {
		t.Fatalf("a viewer got %d; the plan is for schedulers", res.StatusCode)
	}
	for _, q := range []string{"visit_minutes=20", "shifts=11:00-07:00", "shifts=7-11", "officers=0", "p=2", "date=tomorrow",
		"roads=nowhere", "shifts=07:00-07:10&officers=1", "format=pdf", "datetime=../.."} {
		res, body := e.do(t, "GET", "/api/v1/recommendations/patrol?"+q, data.RoleScheduler, nil)
		wantProblem(t, res, body, 400)
	}
	t.Run("csv", func(t *testing.T) {
		res, raw := e.get(t, path+"&format=csv", data.RoleScheduler)
		if res.StatusCode != 200 || !bytes.HasPrefix(raw, []byte("\ufeff")) || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("%d %q %q", res.StatusCode, res.Header.Get("Content-Type"), raw[:min(20, len(raw))])
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(visits)+1 || rows[0][0] != "officer" || !strings.ContainsAny(rows[1][4], "路街") {
			t.Fatalf("%d rows for %d visits; first %v", len(rows), len(visits), rows[:min(2, len(rows))])
		}
	})
	t.Run("ics", func(t *testing.T) {
		res, raw := e.get(t, path+"&format=ics", data.RoleScheduler)
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("%d %q", res.StatusCode, res.Header.Get("Content-Type"))
		}
		cal, err := ics.ParseCalendar(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		events := cal.Events()
		if len(events) != len(visits) {
			t.Fatalf("%d events for %d visits", len(events), len(visits))
		}
		for _, ev := range events {
			if ev.GetProperty(ics.ComponentPropertyLocation) == nil || ev.GetProperty(ics.ComponentPropertyGeo) == nil {
				t.Fatalf("event %s without LOCATION or GEO", ev.Id())
			}
			if _, err := ev.GetStartAt(); err != nil {
				t.Fatal(err)
			}
		}
		pythonICalendar(t, raw, len(visits))
	})
}

// pythonICalendar parses the calendar with Debian's python3-icalendar: the
// test needs it in CI and skips loudly without it elsewhere.
func pythonICalendar(t *testing.T, raw []byte, want int) {
	t.Helper()
	const script = `
import sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
n = 0
for ev in cal.walk("VEVENT"):
    geo = ev.get("GEO")  # icalendar 4 parses GEO into a vGeo already
    lat, lon = float(geo.latitude), float(geo.longitude)
    assert -90 <= lat <= 90 and -180 <= lon <= 180, (lat, lon)
    assert ev.decoded("DTEND") > ev.decoded("DTSTART")
    assert str(ev.get("LOCATION"))
    n += 1
print(n)
`
	py := "/usr/bin/python3" // Debian's, where python3-icalendar is installed
	if err := exec.Command(py, "-c", "import icalendar").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI needs Debian's python3-icalendar (apt-get install python3-icalendar): %v", err)
		}
		t.Skipf("SKIPPED: no python3-icalendar under %s (%v); CI runs this check", py, err)
	}
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = bytes.NewReader(raw)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python icalendar: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != fmt.Sprint(want) {
		t.Fatalf("python icalendar read %s events, want %d", got, want)
	}
}

// TestPatrolDelivery plans yesterday, walks one of its visits with a
// tracked phone, and asks how the plan was delivered: that visit is, the
// others are missed.
func TestPatrolDelivery(t *testing.T) {
	e := newSeededEnv(t)
	if res, reply := e.post(t, "/api/v1/violations", "application/x-ndjson", data.RoleIngest, []byte(clusterBody(t, 200))); res.StatusCode != 200 {
		t.Fatalf("post: %d %v", res.StatusCode, reply)
	}
	yesterday := time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, -1).Format(time.DateOnly)
	path := "/api/v1/recommendations/patrol/delivery?shifts=07:00-11:00&officers=1&seed=9&date=" + yesterday
	res, body := e.do(t, "GET", path, data.RoleScheduler, nil)
	if res.StatusCode != 200 {
		t.Fatalf("%d %v", res.StatusCode, body)
	}
	plan := body["plan"].(map[string]any)
	visits := plan["visits"].([]any)
	if body["visits_missed"] != float64(len(visits)) || body["delivered_minutes"] != float64(0) {
		t.Fatalf("before any track: %v missed of %d, %v minutes delivered", body["visits_missed"], len(visits), body["delivered_minutes"])
	}
	v := visits[0].(map[string]any)
	start, _ := time.Parse(time.RFC3339, v["start"].(string))
	var b strings.Builder // stand on the visit's segment midpoint for its 15 minutes, a fix every 10 s
	for k := 0; k <= 90; k++ {
		fmt.Fprintf(&b, `{"officer":"zf-01","track":"t1","time":%q,"lon":%.7f,"lat":%.7f}`+"\n",
			start.Add(time.Duration(k)*10*time.Second).Format(time.RFC3339), v["lon"].(float64)+float64(k%3)*1e-6, v["lat"].(float64))
	}
	if res, reply := e.post(t, "/api/v1/tracks", "application/x-ndjson", data.RoleIngest, []byte(b.String())); res.StatusCode != 200 {
		t.Fatalf("track: %d %v", res.StatusCode, reply)
	}
	res, body = e.do(t, "GET", path, data.RoleScheduler, nil)
	if res.StatusCode != 200 {
		t.Fatalf("%d %v", res.StatusCode, body)
	}
	first := body["plan"].(map[string]any)["visits"].([]any)[0].(map[string]any)
	if first["missed"] != false || first["delivered_minutes"].(float64) < 14 || body["visits_missed"] != float64(len(visits)-1) {
		t.Fatalf("after walking the first visit: %v, %v missed of %d", first, body["visits_missed"], len(visits))
	}
	if res, body := e.do(t, "GET", "/api/v1/recommendations/patrol/delivery", data.RoleScheduler, nil); res.StatusCode != 400 {
		t.Fatalf("delivery without a date: %d %v", res.StatusCode, body)
	}
}
