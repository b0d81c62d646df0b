// Command load measures an analytics route's throughput and p99 with and
// without writers posting batches of violations, against a running hotspotd
// (issue 11: reads under writes). See docs/reliability.md; the reliability
// benchmark (BenchmarkReadsUnderWrites) runs the same measurement.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/dazhigu/hotspot/tools/load/loadgen"
)

func main() {
	var o loadgen.Options
	flag.StringVar(&o.Base, "base", "http://127.0.0.1:8080", "the server's URL")
	flag.StringVar(&o.ReadKey, "key", "", "a viewer key")
	flag.StringVar(&o.WriteKey, "ingest", "", "an ingest key (with -w)")
	flag.StringVar(&o.Path, "path", "/api/v1/heatmap?metric=gistar", "the route the readers GET")
	flag.IntVar(&o.Readers, "c", 16, "readers")
	flag.IntVar(&o.Writers, "w", 0, "writers")
	flag.IntVar(&o.Batch, "batch", 500, "violations a write")
	flag.DurationVar(&o.WriteEvery, "every", 0, "pace each writer to a batch per period (0: unpaced)")
	flag.DurationVar(&o.Duration, "d", 15*time.Second, "how long")
	flag.Parse()
	o.Tag = strconv.FormatInt(time.Now().UnixNano(), 36)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
	r := loadgen.Run(context.Background(), client, o)
	fmt.Printf("%s readers=%d writers=%d: %s\n", o.Path, o.Readers, o.Writers, r)
}
