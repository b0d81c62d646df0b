package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dazhigu/hotspot/data/storetest"
)

// postgresSchema returns HOTSPOT_TEST_DB with its search_path set to a new
// empty schema, dropped when the test ends; without the variable it skips
// (fails in CI).
func postgresSchema(t *testing.T) string {
	t.Helper()
	dbURL := os.Getenv("HOTSPOT_TEST_DB")
	if dbURL == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("HOTSPOT_TEST_DB is not set: CI must run the PostgreSQL tests")
		}
		t.Skip("SKIPPED: set HOTSPOT_TEST_DB=postgres://… to run the PostgreSQL outage test")
	}
	conn, err := pgx.Connect(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	name := pgx.Identifier{"servetest_" + hex.EncodeToString(b)}.Sanitize()
	if _, err := conn.Exec(t.Context(), "CREATE SCHEMA "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn.Exec(context.Background(), "DROP SCHEMA "+name+" CASCADE")
		conn.Close(context.Background())
	})
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", strings.Trim(name, `"`))
	u.RawQuery = q.Encode()
	return u.String()
}

// TestServeWaitsForTheStore starts serve while PostgreSQL cannot be
// reached: /healthz answers at once and /readyz 503 until the database is
// reachable; then it migrates, seeds and serves. A later outage answers
// 503 with Retry-After and recovers within a second of the database's
// return.
func TestServeWaitsForTheStore(t *testing.T) {
	dbURL := postgresSchema(t)
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
