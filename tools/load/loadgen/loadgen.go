// Package loadgen drives a running hotspotd with readers of one route and,
// optionally, writers posting violation batches, and measures the readers'
// throughput and latency: the reads-under-writes figures of
// docs/reliability.md. tools/load runs it from the command line and the
// reliability benchmark (cmd/hotspotd) from a test.
package loadgen

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Options say what to run.
type Options struct {
	Base     string // the server's URL, without a trailing slash
	ReadKey  string // a viewer key for the readers
	WriteKey string // an ingest key for the writers
	Path     string // the route the readers GET, with its query
	Readers  int
	Writers  int
	Duration time.Duration
	// Batch is the violations of one write (default 500).
	Batch int
	// WriteEvery paces each writer to one batch per period; 0: unpaced,
	// each writer posts its next batch as soon as the last is answered.
	WriteEvery time.Duration
	// Tag makes the writers' source ids unique to this run.
	Tag string
}

// Result is what a run measured.
type Result struct {
	Reads         int           // answered reads (any status)
	ReadErrors    int           // reads that failed or did not answer 200
	ReadsPerSec   float64       // answered reads a second
	P50, P99      time.Duration // read latency
	Written       int64         // violations acknowledged (200)
	WriteErrors   int64         // writes that failed or did not answer 200
	WrittenPerSec float64
}

func (r Result) String() string {
	return fmt.Sprintf("%.1f req/s, p50 %s, p99 %s, %d read errors; %.0f records/s written, %d write errors",
		r.ReadsPerSec, r.P50.Round(time.Millisecond), r.P99.Round(time.Millisecond), r.ReadErrors, r.WrittenPerSec, r.WriteErrors)
}

// Run drives the server for o.Duration (or until ctx ends).
func Run(ctx context.Context, client *http.Client, o Options) Result {
	if o.Batch <= 0 {
		o.Batch = 500
	}
	ctx, cancel := context.WithTimeout(ctx, o.Duration)
	defer cancel()
	start := time.Now()
	var mu sync.Mutex
	var lat []time.Duration
	var readErrs, written, writeErrs atomic.Int64
	var wg sync.WaitGroup
	for w := range o.Writers {
		wg.Go(func() {
			tick := time.NewTicker(max(o.WriteEvery, time.Nanosecond))
			defer tick.Stop()
			for b := 0; ctx.Err() == nil; b++ {
				if code, err := post(ctx, client, o, batch(o, w, b)); err == nil && code == http.StatusOK {
					written.Add(int64(o.Batch))
				} else if ctx.Err() == nil {
					writeErrs.Add(1)
				}
				if o.WriteEvery > 0 {
					select {
					case <-tick.C:
					case <-ctx.Done():
					}
				}
			}
		})
	}
	for range o.Readers {
		wg.Go(func() {
			for ctx.Err() == nil {
				t := time.Now()
				code, err := getStatus(ctx, client, o.Base+o.Path, o.ReadKey)
				if ctx.Err() != nil {
					return // cut off by the end of the run: not a reading
				}
				if err != nil || code != http.StatusOK {
					readErrs.Add(1)
				}
				mu.Lock()
				lat = append(lat, time.Since(t))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	slices.Sort(lat)
	r := Result{Reads: len(lat), ReadErrors: int(readErrs.Load()), ReadsPerSec: float64(len(lat)) / secs,
		Written: written.Load(), WriteErrors: writeErrs.Load(), WrittenPerSec: float64(written.Load()) / secs}
	if len(lat) > 0 {
		r.P50, r.P99 = lat[len(lat)/2], lat[len(lat)*99/100]
	}
	return r
}

// batch is writer w's b-th batch: NDJSON violations on 大直沽中路, observed
// over the last hours.
func batch(o Options, w, b int) []byte {
	var body bytes.Buffer
	now := time.Now()
	for i := range o.Batch {
		fmt.Fprintf(&body, `{"source":"patrol","source_id":"load-%s-%d-%d-%d","category":"street-vending","observed_at":%q,"lon":%.6f,"lat":%.6f}`+"\n",
			o.Tag, w, b, i, now.Add(-time.Duration(i)*time.Minute).Format(time.RFC3339), 117.2232+float64(i%50)*1e-5, 39.1175+float64(i%40)*1e-5)
	}
	return body.Bytes()
}

func post(ctx context.Context, client *http.Client, o Options, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.Base+"/api/v1/violations", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-ndjson")
	req.Header.Set("Authorization", "Bearer "+o.WriteKey)
	return do(client, req)
}

func getStatus(ctx context.Context, client *http.Client, url, key string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	return do(client, req)
}

func do(client *http.Client, req *http.Request) (int, error) {
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, err = io.Copy(io.Discard, res.Body)
	return res.StatusCode, err
}
