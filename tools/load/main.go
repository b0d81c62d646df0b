// Command load measures an analytics route's throughput and p99 with and
// without unpaced writers posting batches of 500 violations, against a
// running hotspotd (issue 11: reads under writes). See docs/reliability.md.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8095", "")
	key := flag.String("key", "", "viewer key")
	ingestKey := flag.String("ingest", "", "ingest key")
	path := flag.String("path", "/api/v1/heatmap?metric=gistar", "")
	conc := flag.Int("c", 16, "readers")
	writers := flag.Int("w", 0, "writers")
	dur := flag.Duration("d", 15*time.Second, "")
	flag.Parse()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
	stop := time.Now().Add(*dur)
	var mu sync.Mutex
	var lat []time.Duration
	var errs, written atomic.Int64
	var wg sync.WaitGroup
	for w := range *writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := 0; time.Now().Before(stop); b++ {
				var body bytes.Buffer
				for i := range 500 {
					fmt.Fprintf(&body, `{"source":"patrol","source_id":"load-%d-%d-%d-%d","category":"street-vending","observed_at":"%s","lon":%.6f,"lat":%.6f}`+"\n",
						w, b, i, time.Now().UnixNano(), time.Now().Add(-time.Duration(i)*time.Minute).Format(time.RFC3339), 117.2232+float64(i%50)*1e-5, 39.1175+float64(i%40)*1e-5)
				}
				req, _ := http.NewRequest("POST", *base+"/api/v1/violations", &body)
				req.Header.Set("Content-Type", "application/x-ndjson")
				req.Header.Set("Authorization", "Bearer "+*ingestKey)
				res, err := client.Do(req)
				if err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode == 200 {
						written.Add(500)
					}
				}
			}
		}()
	}
	for range *conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				req, _ := http.NewRequest("GET", *base+*path, nil)
				req.Header.Set("Authorization", "Bearer "+*key)
				t := time.Now()
				res, err := client.Do(req)
				if err != nil {
					errs.Add(1)
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					errs.Add(1)
				}
				d := time.Since(t)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p99 := time.Duration(0)
	if len(lat) > 0 {
		p99 = lat[len(lat)*99/100]
	}
	fmt.Printf("%s readers=%d writers=%d: %.1f req/s, p99 %s, errors %d, written %d/s\n", *path, *conc, *writers,
		float64(len(lat))/dur.Seconds(), p99.Round(time.Millisecond), errs.Load(), written.Load()/int64(dur.Seconds()))
}
