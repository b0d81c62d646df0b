package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/postgres"
	"github.com/dazhigu/hotspot/data/sqlite"
	"github.com/dazhigu/hotspot/data/storetest"
)

// killBatch is how many records a batch of a kill trial holds.
const killBatch = 40

// TestKillDuringIngest kills the server (SIGKILL) while a client posts
// batches of violations, then of tracks, on each store: every batch the
// server acknowledged is found whole, and no batch is found in part.
// HOTSPOT_KILL_TRIALS sets the trials a store and kind (default 2; make
// reliability runs 10).
func TestKillDuringIngest(t *testing.T) {
	trials, _ := strconv.Atoi(os.Getenv("HOTSPOT_KILL_TRIALS"))
	trials = max(trials, 2)
	bin := buildBinary(t)
	stores := map[string]string{"sqlite": filepath.Join(t.TempDir(), "hs.db")}
	if os.Getenv("HOTSPOT_TEST_DB") != "" || os.Getenv("CI") != "" {
		stores["postgres"] = storetest.PostgresSchema(t)
	}
	for name, db := range stores {
		if out, err := exec.Command(bin, "migrate", "-store.db", db).CombinedOutput(); err != nil {
			t.Fatalf("%s: migrate: %v\n%s", name, err, out)
		}
		out, err := exec.Command(bin, "token", "create", "-role", "ingest", "-name", "kill-test", "-store.db", db).Output()
		if err != nil {
			t.Fatalf("%s: token create: %v", name, err)
		}
		key := strings.TrimSpace(string(out[strings.LastIndex(strings.TrimSpace(string(out)), "\n")+1:]))
		for _, kind := range []string{"violations", "tracks"} {
			var acked, found, half int
			for trial := range trials {
				a, f, h := killTrial(t, bin, db, key, kind, fmt.Sprintf("%s-%d", kind, trial))
				acked, found, half = acked+a, found+f, half+h
			}
			if found < acked || half > 0 {
				t.Errorf("%s, %s: %d batches acknowledged, %d found whole, %d found in part", name, kind, acked, found, half)
			}
			t.Logf("kill -9 during %s ingest, %s, %d trials: %d batches acknowledged, %d found whole (some were stored but unacknowledged), %d in part",
				kind, name, trials, acked, found, half)
		}
	}
}

// killTrial serves db, posts batches named prefix-N until a SIGKILL at a
// random moment, and counts the batches acknowledged, found whole and
// found in part.
func killTrial(t *testing.T, bin, db, key, kind, prefix string) (acked, whole, part int) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "-web.listen-address", "127.0.0.1:0", "-store.db", db)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	m, err := readLines(stdout).await(regexp.MustCompile(`listening on (http://\S+/)`), 30*time.Second)
	if err != nil {
		cmd.Process.Kill()
		t.Fatal(err)
	}
	if err := awaitReady(m[1], time.Minute); err != nil {
		cmd.Process.Kill()
		t.Fatal(err)
	}
	time.AfterFunc(time.Duration(200+rand.IntN(800))*time.Millisecond, func() { cmd.Process.Signal(syscall.SIGKILL) })
	client := &http.Client{Timeout: 10 * time.Second}
	var ackedNames []string
	for n := 0; ; n++ {
		name := fmt.Sprintf("%s-%d", prefix, n)
		req, _ := http.NewRequest("POST", m[1]+"api/v1/"+kind, bytes.NewReader(killBody(kind, name)))
		req.Header.Set("Content-Type", "application/x-ndjson")
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := client.Do(req)
		if err != nil {
			break // killed
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("batch %d: %d", n, res.StatusCode)
		}
		acked++
		ackedNames = append(ackedNames, name)
	}
	cmd.Wait()
	counts := storedBatches(t, db, kind, prefix)
	for _, name := range ackedNames {
		if counts[name] != killBatch {
			t.Errorf("batch %s was acknowledged; %d of its %d records are stored", name, counts[name], killBatch)
		}
	}
	for n, c := range counts {
		switch {
		case c == killBatch:
			whole++
		default:
			part++
			t.Errorf("batch %s is stored in part: %d of %d", n, c, killBatch)
		}
	}
	return acked, whole, part
}

// killBody is a batch of violations or tracks whose source ids start with name.
func killBody(kind, name string) []byte {
	var b bytes.Buffer
	at := time.Now().Add(-2 * time.Hour)
	for i := range killBatch {
		if kind == "violations" {
			fmt.Fprintf(&b, `{"source":"patrol","source_id":"%s-%d","category":"street-vending","observed_at":%q,"lon":%.6f,"lat":39.1175}`+"\n",
				name, i, at.Add(time.Duration(i)*time.Minute).Format(time.RFC3339), 117.2232+float64(i)*1e-5)
			continue
		}
		for f := range 20 {
			fmt.Fprintf(&b, `{"officer":"kill","track":"%s-%d","time":%q,"lon":%.7f,"lat":39.1175}`+"\n",
				name, i, at.Add(time.Duration(f)*10*time.Second).Format(time.RFC3339), 117.2232+float64(f)*1e-4)
		}
	}
	return b.Bytes()
}

// storedBatches counts the stored records of each batch named prefix-N.
func storedBatches(t *testing.T, db, kind, prefix string) map[string]int {
	t.Helper()
	ctx := context.Background()
	var s data.Store
	var err error
	if strings.HasPrefix(db, "postgres") {
		s, err = postgres.Open(ctx, db)
	} else {
		s, err = sqlite.Open(ctx, db)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var ids []string
	if kind == "violations" {
		for after := int64(0); ; {
			vs, err := s.Violations(ctx, data.ViolationFilter{After: after, Limit: data.MaxPage})
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				ids = append(ids, v.SourceID)
			}
			if len(vs) < data.MaxPage {
				break
			}
			after = vs[len(vs)-1].ID
		}
	} else {
		for after := int64(0); ; {
			ts, err := s.Tracks(ctx, data.TrackFilter{Officer: "kill", After: after, Limit: data.MaxPage})
			if err != nil {
				t.Fatal(err)
			}
			for _, tr := range ts {
				ids = append(ids, tr.SourceID)
			}
			if len(ts) < data.MaxPage {
				break
			}
			after = ts[len(ts)-1].ID
		}
	}
	counts := map[string]int{}
	for _, id := range ids {
		if rest, ok := strings.CutPrefix(id, prefix+"-"); ok {
			counts[prefix+"-"+rest[:strings.LastIndex(rest, "-")]]++
		}
	}
	return counts
}
