package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/postgres"
	"github.com/dazhigu/hotspot/data/storetest"
)

// TestServeWaitsForTheStore starts serve while PostgreSQL cannot be
// reached: /healthz answers at once and /readyz 503 until the database is
// reachable; then it migrates, seeds and serves. A later outage answers
// 503 with Retry-After and recovers within a second of the database's
// return.
func TestServeWaitsForTheStore(t *testing.T) {
	dbURL := storetest.PostgresSchema(t)
	u, _ := url.Parse(dbURL)
	p := storetest.StartProxy(t, u.Host)
	p.Cut()
	bin := buildBinary(t)
	cmd := exec.Command(bin, "serve", "-web.listen-address", "127.0.0.1:0", "-store.db", p.Through(t, dbURL), "-store.migrate")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	m, err := readLines(stdout).await(regexp.MustCompile(`listening on (http://\S+/)`), 10*time.Second)
	if err != nil {
		t.Fatalf("serve with the database down: %v", err)
	}
	d := demoServer{base: m[1]}
	if code, _ := get(t, d.base+"healthz", ""); code != 200 {
		t.Fatalf("healthz with the database down = %d", code)
	}
	code, body := get(t, d.base+"readyz", "")
	if code != 503 || !strings.Contains(body["detail"].(string), "database") {
		t.Fatalf("readyz with the database down = %d %v, want 503 naming the database", code, body)
	}
	p.Restore(t)
	waitReady(t, d.base, 2*time.Minute)
	out, err := exec.Command(bin, "token", "create", "-role", "viewer", "-name", "outage-test", "-store.db", dbURL).Output()
	if err != nil {
		t.Fatalf("token create: %v", err)
	}
	key := strings.TrimSpace(string(out[strings.LastIndex(strings.TrimSpace(string(out)), "\n")+1:]))
	if code, roads := get(t, d.base+"api/v1/roads", key); code != 200 || len(roads["features"].([]any)) != 6 {
		t.Fatalf("roads once the database is up = %d", code)
	}
	p.Cut()
	req, _ := http.NewRequest("GET", d.base+"api/v1/roads", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 503 || res.Header.Get("Retry-After") == "" || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("roads during an outage = %d %v, want a 503 problem with Retry-After", res.StatusCode, res.Header)
	}
	p.Restore(t)
	back := time.Now()
	for {
		if code, _ := get(t, d.base+"api/v1/roads", key); code == 200 {
			break
		}
		if time.Since(back) > time.Second {
			t.Fatalf("not answering a second after the database came back")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestOutageUnderLoad cuts PostgreSQL for two seconds while readers and
// writers keep the binary busy: every answer is 200 or a 503 problem with
// Retry-After (never 500), the outage and its end are logged once each,
// reads answer 200 again within a second of the database's return, and
// every write acknowledged before, during or after is stored.
func TestOutageUnderLoad(t *testing.T) {
	dbURL := storetest.PostgresSchema(t)
	u, _ := url.Parse(dbURL)
	p := storetest.StartProxy(t, u.Host)
	bin := buildBinary(t)
	logs := &syncBuffer{}
	cmd := exec.Command(bin, "serve", "-web.listen-address", "127.0.0.1:0", "-store.db", p.Through(t, dbURL), "-store.migrate")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	m, err := readLines(stdout).await(regexp.MustCompile(`listening on (http://\S+/)`), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	base := strings.TrimSuffix(m[1], "/")
	waitReady(t, m[1], time.Minute)
	key := func(role string) string {
		out, err := exec.Command(bin, "token", "create", "-role", role, "-name", "load-"+role, "-store.db", dbURL).Output()
		if err != nil {
			t.Fatalf("token create: %v", err)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		return lines[len(lines)-1]
	}
	viewer, ingest := key("viewer"), key("ingest")

	var (
		mu      sync.Mutex
		codes   = map[string]map[int]int{} // phase → status → count
		bad     []string
		acked   []string // source ids of acknowledged violations
		phase   = "before"
		restore time.Time
		firstOK time.Duration = -1
	)
	note := func(res *http.Response, err error, read bool) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			bad = append(bad, phase+": "+err.Error())
			return
		}
		if codes[phase] == nil {
			codes[phase] = map[int]int{}
		}
		codes[phase][res.StatusCode]++
		switch {
		case res.StatusCode == 503 && (res.Header.Get("Retry-After") == "" || res.Header.Get("Content-Type") != "application/problem+json"):
			bad = append(bad, phase+": a 503 without Retry-After or problem+json")
		case res.StatusCode != 200 && res.StatusCode != 503:
			bad = append(bad, fmt.Sprintf("%s: status %d", phase, res.StatusCode))
		case read && res.StatusCode == 200 && phase == "after" && firstOK < 0:
			firstOK = time.Since(restore)
		}
	}
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for r := range 4 {
		wg.Go(func() {
			path := []string{"/api/v1/violations?limit=20", "/api/v1/roads", "/api/v1/tracks?fixes=false", "/api/v1/categories"}[r]
			for ctx.Err() == nil {
				req, _ := http.NewRequest("GET", base+path, nil)
				req.Header.Set("Authorization", "Bearer "+viewer)
				res, err := http.DefaultClient.Do(req)
				if err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				note(res, err, true)
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
	for w := range 2 {
		wg.Go(func() {
			for b := 0; ctx.Err() == nil; b++ {
				var body strings.Builder
				var ids []string
				for i := range 20 {
					id := fmt.Sprintf("outage-%d-%d-%d", w, b, i)
					ids = append(ids, id)
					fmt.Fprintf(&body, `{"source":"patrol","source_id":%q,"category":"street-vending","observed_at":%q,"lon":117.2232,"lat":39.1175}`+"\n",
						id, time.Now().Add(-time.Hour).Format(time.RFC3339))
				}
				req, _ := http.NewRequest("POST", base+"/api/v1/violations", strings.NewReader(body.String()))
				req.Header.Set("Authorization", "Bearer "+ingest)
				req.Header.Set("Content-Type", "application/x-ndjson")
				res, err := http.DefaultClient.Do(req)
				if err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode == 200 {
						mu.Lock()
						acked = append(acked, ids...)
						mu.Unlock()
					}
				}
				note(res, err, false)
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
	setPhase := func(p string) { mu.Lock(); phase = p; mu.Unlock() }
	time.Sleep(1500 * time.Millisecond)
	p.Cut()
	setPhase("outage")
	time.Sleep(2 * time.Second)
	mu.Lock()
	phase, restore = "after", time.Now()
	mu.Unlock()
	p.Restore(t)
	time.Sleep(2 * time.Second)
	stop()
	wg.Wait()

	t.Logf("answers by phase (status: count): %v; %d violations acknowledged; first 200 read %s after the database returned",
		codes, len(acked), firstOK.Round(time.Millisecond))
	if len(bad) > 0 {
		t.Errorf("%d wrong answers, e.g. %q", len(bad), bad[:min(5, len(bad))])
	}
	if codes["outage"][503] == 0 || codes["before"][200] == 0 {
		t.Errorf("the load did not meet the outage: %v", codes)
	}
	if firstOK < 0 || firstOK > time.Second {
		t.Errorf("reads answered 200 %s after the database returned, want within a second", firstOK)
	}
	for _, want := range []string{"the store does not answer", "the store answers again"} {
		if n := strings.Count(logs.String(), want); n != 1 {
			t.Errorf("%q is logged %d times, want once:\n%s", want, n, logs.String())
		}
	}
	s, err := postgres.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	stored := map[string]bool{}
	for after := int64(0); ; {
		vs, err := s.Violations(context.Background(), data.ViolationFilter{After: after, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) == 0 {
			break
		}
		for _, v := range vs {
			stored[v.SourceID] = true
		}
		after = vs[len(vs)-1].ID
	}
	for _, id := range acked {
		if !stored[id] {
			t.Fatalf("acknowledged violation %s is not stored", id)
		}
	}
}
