package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// browserTools finds headless Chromium and Node.js with playwright-core
// (NODE_PATH), or skips the test in a developer's run and fails it in CI.
func browserTools(t *testing.T) (chromium string) {
	t.Helper()
	missing := func(what string, err error) {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI needs %s: %v", what, err)
		}
		t.Skipf("SKIPPED: %s not found (%v); CI runs this test (.ci/run installs it)", what, err)
	}
	chromium = os.Getenv("HOTSPOT_CHROMIUM")
	if chromium == "" {
		var err error
		if chromium, err = exec.LookPath("chromium"); err != nil {
			missing("Chromium (apt-get install chromium, or HOTSPOT_CHROMIUM)", err)
		}
	}
	if out, err := exec.Command("node", "-e", "require.resolve('playwright-core')").CombinedOutput(); err != nil {
		missing("Node.js with playwright-core on NODE_PATH (npm install playwright-core)", fmt.Errorf("%v: %s", err, out))
	}
	return chromium
}

// consoleView is what testdata/console.cjs reports of the console.
type consoleView struct {
	Errors           []string
	Rows             int
	Markers          int
	Zones            int
	EventPoints      int
	EvaluationFailed int
	MerchantTags     []string
	Notice           string
	PlanTitle        string
	HashAfterClick   string
	MarkerSelected   int
	Print            map[string]string
	ViewerPlan       string
}

// TestConsole opens the make-run console (a year of demo data) in headless
// Chromium with the scheduler key it prints, and checks what a scheduler
// sees against the API's own answers: tomorrow's plan as a table and as
// markers on the map, the pilot zones, the pilot's event study, the
// selected segment's merchant flags with the notice; clicking a visit
// selects its segment; printing keeps the plan and hides the rest; a viewer
// is told the plan needs a scheduler key.
func TestConsole(t *testing.T) {
	chromium := browserTools(t)
	d := startDemo(t, buildBinary(t), t.TempDir())
	base, viewer, scheduler := d.base, d.viewer, d.scheduler
	waitReady(t, base, 4*time.Minute)

	shot := filepath.Join(os.TempDir(), "hotspot-console.png") // kept, to look at
	run := exec.Command("node", "testdata/console.cjs", base, scheduler, viewer, chromium, shot)
	var stderr strings.Builder
	run.Stderr = &stderr
	raw, err := run.Output()
	if err != nil {
		t.Fatalf("console.cjs: %v\n%s%s", err, raw, stderr.String())
	}
	var v consoleView
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("console.cjs said %s: %v", raw, err)
	}
	if len(v.Errors) > 0 {
		t.Fatalf("the page failed: %v", v.Errors)
	}

	// The plan the console asks for by default: tomorrow in Tianjin, its
	// default shifts, officers and visit length.
	tomorrow := time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, 1).Format(time.DateOnly)
	q := url.Values{"date": {tomorrow}, "shifts": {"07:00-11:00,16:00-20:00"}, "officers": {"2"}, "visit_minutes": {"15"}}
	code, plan := get(t, base+"api/v1/recommendations/patrol?"+q.Encode(), scheduler)
	if code != 200 {
		t.Fatalf("plan: %d %v", code, plan)
	}
	visits := plan["visits"].([]any)
	segs := map[string]bool{}
	type visit struct{ start, at string }
	order := []visit{}
	for _, x := range visits {
		m := x.(map[string]any)
		at := fmt.Sprintf("%s:%.0f", m["road"], m["segment"])
		segs[at] = true
		order = append(order, visit{fmt.Sprintf("%s %03.0f", m["start"], m["officer"]), at})
	}
	slices.SortFunc(order, func(a, b visit) int { return strings.Compare(a.start, b.start) })
	if v.Rows != len(visits) || v.Markers != len(segs) || !strings.HasPrefix(v.PlanTitle, tomorrow) {
		t.Errorf("plan: %d rows and %d markers for %q; the API plans %d visits on %d segments for %s",
			v.Rows, v.Markers, v.PlanTitle, len(visits), len(segs), tomorrow)
	}
	if want := "sel=" + order[0].at; !strings.Contains(v.HashAfterClick, want) || v.MarkerSelected != 1 {
		t.Errorf("clicking the first visit: fragment %q, %d markers selected; want %s and one", v.HashAfterClick, v.MarkerSelected, want)
	}
	if code, zones := get(t, base+"api/v1/recommendations/pilot-zones?paint=2", scheduler); code != 200 || v.Zones != len(zones["features"].([]any)) {
		t.Errorf("pilot zones: the card lists %d, the API (%d) %d", v.Zones, code, len(zones["features"].([]any)))
	}
	if code, ev := get(t, base+"api/v1/pilots/houtai-xilu/evaluation", viewer); code == 200 {
		effects := ev["event_study"].(map[string]any)["effects"].([]any)
		if v.EventPoints != len(effects)+1 {
			t.Errorf("event study: %d points drawn, want the %d leads and lags and the reference week", v.EventPoints, len(effects))
		}
	} else if v.EvaluationFailed != 1 || v.EventPoints != 0 {
		t.Errorf("the evaluation answers %d; the card shows %d failures and %d points, want the failure said", code, v.EvaluationFailed, v.EventPoints)
	}
	if !slices.ContainsFunc(v.MerchantTags, func(s string) bool { return strings.HasPrefix(s, "三必罚候选") }) ||
		!strings.Contains(v.Notice, "不是处罚决定") {
		t.Errorf("segment card: merchant tags %q, notice %q; want a 三必罚 candidate and the notice", v.MerchantTags, v.Notice)
	}
	if v.Print["ranking"] != "none" || v.Print["form"] != "none" || v.Print["plan"] == "none" || v.Print["reason"] == "none" {
		t.Errorf("printing: %v; want the plan with its reasons, without the form and the other cards", v.Print)
	}
	if !strings.Contains(v.ViewerPlan, "scheduler") {
		t.Errorf("a viewer's plan card says %q; want that it needs a scheduler key", v.ViewerPlan)
	}
	if t.Failed() {
		t.Logf("the console as seen: %s", shot)
	}
}
