package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/sqlite"
)

// buildBinary compiles hotspotd once per test into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hotspotd")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// lineReader collects a process's output lines and lets a test wait for one.
type lineReader struct{ lines chan string }

func readLines(r io.Reader) *lineReader {
	l := &lineReader{lines: make(chan string, 10000)}
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			l.lines <- sc.Text()
		}
		close(l.lines)
	}()
	return l
}

func (l *lineReader) waitFor(t *testing.T, re *regexp.Regexp, within time.Duration) []string {
	t.Helper()
	m, err := l.await(re, within)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// await returns the submatches of the first line matching re.
func (l *lineReader) await(re *regexp.Regexp, within time.Duration) ([]string, error) {
	deadline := time.After(within)
	for {
		select {
		case line, ok := <-l.lines:
			if !ok {
				return nil, fmt.Errorf("output ended before a line matching %s", re)
			}
			if m := re.FindStringSubmatch(line); m != nil {
				return m, nil
			}
		case <-deadline:
			return nil, fmt.Errorf("no line matching %s within %s", re, within)
		}
	}
}

func get(t *testing.T, url, key string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	json.NewDecoder(res.Body).Decode(&m)
	return res.StatusCode, m
}

// TestServeDemo is the make-run promise: health at once, the six roads with
// segments, demo violations, 401 without a key, 403 for the wrong role, and
// a graceful stop on SIGTERM.
func TestServeDemo(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	d := startDemo(t, bin, dir, "-demo.days", "60")
	cmd, base, key, scheduler := d.cmd, d.base, d.viewer, d.scheduler

	if code, _ := get(t, base+"healthz", ""); code != 200 {
		t.Fatalf("healthz = %d", code)
	}
	code, roads := get(t, base+"api/v1/roads", key)
	if code != 200 {
		t.Fatalf("roads = %d", code)
	}
	// The data source printed for GIS tools opens with the key in its query.
	if gis := strings.TrimPrefix(d.gis, "OAPIF:"); !strings.HasPrefix(gis, base+"ogc?api_key="+key) {
		t.Errorf("GIS line %q, want OAPIF:%sogc?api_key=<viewer key>", d.gis, base)
	} else if code, colls := get(t, strings.Replace(gis, "/ogc?", "/ogc/collections?", 1), ""); code != 200 || len(colls["collections"].([]any)) == 0 {
		t.Errorf("the GIS line's collections = %d %v", code, colls)
	}
	feats := roads["features"].([]any)
	if len(feats) != 6 {
		t.Fatalf("%d roads, want 6", len(feats))
	}
	for _, f := range feats {
		p := f.(map[string]any)["properties"].(map[string]any)
		if segs, _ := p["segments"].([]any); len(segs) == 0 {
			t.Errorf("road %v has no segments", p["name"])
		}
	}
	waitReady(t, base, 2*time.Minute)
	code, vs := get(t, base+"api/v1/violations?limit=10", key)
	if code != 200 || len(vs["features"].([]any)) != 10 {
		t.Fatalf("violations = %d with %v features, want 200 with 10", code, len(vs["features"].([]any)))
	}
	if code, _ := get(t, base+"api/v1/merchants?limit=1", scheduler); code != 200 {
		t.Fatalf("merchants with the scheduler key = %d", code)
	}
	if code, _ := get(t, base+"api/v1/merchants?limit=1", key); code != 403 {
		t.Fatalf("merchants with the viewer key = %d, want 403", code)
	}
	if code, _ := get(t, base+"api/v1/roads", ""); code != 401 {
		t.Fatalf("no key: %d, want 401", code)
	}
	ingest := createToken(t, bin, dir, "ingest")
	req, _ := http.NewRequest("PUT", base+"api/v1/roads/jintang-lu", strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer "+ingest)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 403 {
		t.Fatalf("ingest key on admin route: %v %v, want 403", res.StatusCode, err)
	}
	res.Body.Close()

	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve exited with %v after SIGTERM, want a clean exit", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30 s of SIGTERM")
	}
}

// demoServer is a running `serve -demo`: its process, URL and keys.
type demoServer struct {
	cmd                     *exec.Cmd
	base, viewer, scheduler string
	gis                     string // the OAPIF: data source it prints for GIS tools
	err                     error  // why it did not start
}

// startDemo starts `serve -demo` on a store in dir, with more flags, and
// reads the URL and the keys it prints; the process is killed at the end
// of the test.
func startDemo(t testing.TB, bin, dir string, flags ...string) demoServer {
	t.Helper()
	d := startDemoIn(bin, dir, flags...)
	if d.cmd != nil {
		t.Cleanup(func() { d.cmd.Process.Kill(); d.cmd.Wait() })
	}
	if d.err != nil {
		t.Fatal(d.err)
	}
	return d
}

// startDemoIn is startDemo outside a test: the caller stops the process.
func startDemoIn(bin, dir string, flags ...string) demoServer {
	cmd := exec.Command(bin, append([]string{"serve", "-demo", "-web.listen-address", "127.0.0.1:0",
		"-store.db", filepath.Join(dir, "hs.db"), "-demo.key-file", filepath.Join(dir, "viewer.key"),
		"-demo.scheduler-key-file", filepath.Join(dir, "scheduler.key")}, flags...)...)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		return demoServer{err: err}
	}
	out := readLines(stdout)
	d := demoServer{cmd: cmd}
	for _, want := range []struct {
		re     string
		within time.Duration
		into   *string
	}{{`listening on (http://\S+/)`, time.Minute, &d.base}, {`^Viewer key: +(hs_\w+) `, 10 * time.Second, &d.viewer},
		{`^Scheduler key: +(hs_\w+) `, time.Second, &d.scheduler}, {`^GIS \(QGIS, GDAL\): (OAPIF:\S+)$`, time.Second, &d.gis}} {
		m, err := out.await(regexp.MustCompile(want.re), want.within)
		if err != nil {
			d.err = err
			return d
		}
		*want.into = m[1]
	}
	return d
}

func waitReady(t testing.TB, base string, within time.Duration) {
	t.Helper()
	if err := awaitReady(base, within); err != nil {
		t.Fatal(err)
	}
}

// awaitReady polls /readyz until it answers 200.
func awaitReady(base string, within time.Duration) error {
	for end := time.Now().Add(within); time.Now().Before(end); time.Sleep(250 * time.Millisecond) {
		if res, err := http.Get(base + "readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return nil
			}
		}
	}
	return fmt.Errorf("not ready within %s", within)
}

func createToken(t testing.TB, bin, dir, role string) string {
	t.Helper()
	out, err := exec.Command(bin, "token", "create", "-role", role, "-name", "test-"+role,
		"-store.db", filepath.Join(dir, "hs.db")).Output()
	if err != nil {
		t.Fatalf("token create: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1]
}

// TestDemoSurvivesSIGKILL kills the demo writer mid-stream and checks that
// every batch it reported committed is in the store.
func TestDemoSurvivesSIGKILL(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "hs.db")
	cmd := exec.Command(bin, "demo", "-store.db", db)
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	out := readLines(stdout)
	re := regexp.MustCompile(`^committed violations=(\d+) tracks=(\d+) last_violation_id=(\d+)$`)
	var m []string
	for i := 0; i < 8; i++ { // let several batches commit, then kill without warning
		m = out.waitFor(t, re, time.Minute)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	for line := range out.lines { // an acknowledgement may have raced the kill
		if mm := re.FindStringSubmatch(line); mm != nil {
			m = mm
		}
	}
	acked, _ := strconv.Atoi(m[1])
	ackedTracks, _ := strconv.Atoi(m[2])

	s, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	stored := countViolations(t, s)
	if stored < acked {
		t.Fatalf("after SIGKILL the store has %d violations, but %d were acknowledged", stored, acked)
	}
	ts, err := s.Tracks(context.Background(), data.TrackFilter{Limit: data.MaxPage})
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) < ackedTracks {
		t.Fatalf("after SIGKILL the store has %d tracks, but %d were acknowledged", len(ts), ackedTracks)
	}
	t.Logf("acknowledged %d violations and %d tracks before SIGKILL; store holds %d and %d", acked, ackedTracks, stored, len(ts))
}

func countViolations(t *testing.T, s data.ViolationStore) int {
	t.Helper()
	n, after := 0, int64(0)
	for {
		vs, err := s.Violations(context.Background(), data.ViolationFilter{After: after, Limit: data.MaxPage})
		if err != nil {
			t.Fatal(err)
		}
		n += len(vs)
		if len(vs) < data.MaxPage {
			return n
		}
		after = vs[len(vs)-1].ID
	}
}

// TestHelpHidesPasswords: -h prints the flags' defaults, and HOTSPOT_DB's
// password must not be among them.
func TestHelpHidesPasswords(t *testing.T) {
	for _, db := range []string{"postgres://hotspot:s3cret@db.example/hotspot", "host=db user=hotspot password=s3cret dbname=hotspot",
		"host=db password='s3 cret' dbname=hotspot"} {
		t.Setenv("HOTSPOT_DB", db)
		var out strings.Builder
		serve(t.Context(), []string{"-h"}, &out, &out)
		if strings.Contains(out.String(), "s3") || !strings.Contains(out.String(), "store.db") {
			t.Errorf("-h with HOTSPOT_DB=%q prints:\n%s", db, out.String())
		}
	}
}
