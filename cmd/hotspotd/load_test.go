package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/tools/load/loadgen"
)

// Reads under writes (issue 11): the load of BenchmarkReadsUnderWrites.
const (
	loadReaders = 16
	loadPhase   = 8 * time.Second
	// The paced writers post pacedWriters batches of pacedBatch every
	// second: 100 violations a second, some 10,000 times a district's
	// yearly average (a dozen streets of the demo's ~30,000 a year), the
	// rate a whole district's backlog uploads at.
	pacedWriters = 2
	pacedBatch   = 50
	// The unpaced writers post batches of 500 as fast as they are answered:
	// a stress figure, far above any real rate.
	unpacedWriters = 4
	// minReadRatio is the share of their throughput reads keep with paced
	// writers (issue 11: at least half).
	minReadRatio = 0.5
)

// BenchmarkReadsUnderWrites serves a copy of the demo year and measures
// analytics reads (16 readers) alone, with paced writers and with unpaced
// writers, and /healthz as the server's ceiling, in one run; it reports the
// ratios and fails when reads keep less than half their throughput under
// the paced writers. make reliability and make bench run it.
func BenchmarkReadsUnderWrites(b *testing.B) {
	bin, seededDir := seededDemo(b)
	dir := b.TempDir()
	for _, name := range []string{"hs.db", "hs.db-wal", "viewer.key", "scheduler.key"} {
		copyIfThere(b, filepath.Join(seededDir, name), filepath.Join(dir, name))
	}
	d := startDemo(b, bin, dir)
	waitReady(b, d.base, 5*time.Minute)
	ingest := createToken(b, bin, dir, "ingest")
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
	base := strings.TrimSuffix(d.base, "/")
	run := func(path string, writers int, every time.Duration, batch int, dur time.Duration) loadgen.Result {
		return loadgen.Run(context.Background(), client, loadgen.Options{Base: base, ReadKey: d.viewer, WriteKey: ingest,
			Path: path, Readers: loadReaders, Writers: writers, WriteEvery: every, Batch: batch, Duration: dur,
			Tag: fmt.Sprint(time.Now().UnixNano())})
	}
	var table strings.Builder
	fmt.Fprintf(&table, "\n| route | readers alone | with paced writers (ratio) | with unpaced writers (ratio) | p99 alone → paced → unpaced |\n|---|---|---|---|---|\n")
	ceiling := run("/healthz", 0, 0, 0, 3*time.Second)
	for _, route := range []struct{ name, path string }{
		{"gistar", "/api/v1/heatmap?metric=gistar"},
		{"ranking", "/api/v1/roads/ranking"},
	} {
		run(route.path, 0, 0, 0, time.Second) // warm
		alone := run(route.path, 0, 0, 0, loadPhase)
		paced := run(route.path, pacedWriters, time.Second, pacedBatch, loadPhase)
		unpaced := run(route.path, unpacedWriters, 0, 500, loadPhase)
		rp, ru := paced.ReadsPerSec/alone.ReadsPerSec, unpaced.ReadsPerSec/alone.ReadsPerSec
		b.ReportMetric(alone.ReadsPerSec, route.name+"-req/s")
		b.ReportMetric(rp, route.name+"-paced-ratio")
		b.ReportMetric(ru, route.name+"-unpaced-ratio")
		fmt.Fprintf(&table, "| `%s` | %.1f req/s | %.1f req/s, %.0f records/s written (%.2f) | %.1f req/s, %.0f records/s written (%.2f) | %s → %s → %s |\n",
			route.path, alone.ReadsPerSec, paced.ReadsPerSec, paced.WrittenPerSec, rp, unpaced.ReadsPerSec, unpaced.WrittenPerSec, ru,
			alone.P99.Round(time.Millisecond), paced.P99.Round(time.Millisecond), unpaced.P99.Round(time.Millisecond))
		for what, r := range map[string]loadgen.Result{"alone": alone, "paced": paced, "unpaced": unpaced} {
			if r.ReadErrors > 0 || r.WriteErrors > 0 {
				b.Errorf("%s %s: %s", route.name, what, r)
			}
		}
		if rp < minReadRatio {
			b.Errorf("%s keeps %.2f of its throughput under paced writers, below %.2f", route.name, rp, minReadRatio)
		}
	}
	fmt.Fprintf(&table, "| `/healthz` (the server's ceiling) | %.0f req/s | | | %s |\n", ceiling.ReadsPerSec, ceiling.P99.Round(time.Millisecond))
	b.ReportMetric(ceiling.ReadsPerSec, "healthz-req/s")
	b.Log(table.String())
}

// copyIfThere copies a file that exists.
func copyIfThere(t testing.TB, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if os.IsNotExist(err) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
