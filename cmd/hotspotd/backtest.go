package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dazhigu/hotspot/analytics"
	"github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/ingest"
	"github.com/dazhigu/hotspot/geo"
)

const backtestUsage = `Usage: hotspotd backtest [-csv FILE] [flags]

Forecasts each of the last -weeks whole weeks from the weeks before it, with
the service's forecast and four baselines (last4, kde8, alltime, ewma), and
scores each at 1, 5 and 10 % of the study area's cells: hit rate, PAI, PEI
and RRI (docs/forecast.md defines them).

With -csv, FILE holds events with a header of lon,lat,time[,category] (WGS-84
degrees; RFC 3339 times with their UTC offset) from any city: nothing is
written to the store. Weeks start on Monday 00:00 at the file's own UTC
offset; the test weeks are the -weeks whole weeks before the file's final
(possibly partial) week; the study area is the cells with any event in the
file. Without -csv the store's violations are backtested (HOTSPOT_DB), with
the test weeks before the current week.

Flags:
`

// backtestMaxProblems is how many bad lines of a CSV are listed.
const backtestMaxProblems = 20

func backtestCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := newFlags("backtest", stderr)
	fs.Usage = func() { fmt.Fprint(stderr, backtestUsage); fs.PrintDefaults() }
	c.storeFlags(fs)
	path := fs.String("csv", "", "CSV of events (lon,lat,time[,category]) to backtest instead of the store")
	res := fs.Int("res", 0, "H3 resolution, 9-12 (default 9 with -csv, 11 on the store)")
	weeks := fs.Int("weeks", 12, "test weeks")
	area := fs.String("area", "", "study area: events, roads or boundary (default events with -csv, roads on the store)")
	k := fs.Int("k", 1, "k-ring of the neighbours, 1-3")
	category := fs.String("category", "", "comma-separated categories to count (default: all)")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	q := analytics.Query{Res: *res, K: *k, Area: analytics.Area{Kind: analytics.AreaKind(*area)}, Categories: splitList(*category)}
	var engine *analytics.Engine
	var o analytics.BacktestOptions
	o.Weeks = *weeks
	if *path != "" {
		if q.Res == 0 {
			q.Res = 9
		}
		if q.Area.Kind == "" {
			q.Area.Kind = analytics.AreaEvents
		}
		var last time.Time
		var err error
		if engine, last, err = csvEngine(*path, stderr); err != nil {
			return err
		}
		o.End = last
	} else {
		if q.Res == 0 {
			q.Res = 11
		}
		s, area, err := c.openSeeded(ctx)
		if err != nil {
			return err
		}
		defer s.Close()
		engine = analytics.New(analytics.Options{Source: s, Boundary: area})
	}
	r, err := engine.Backtest(ctx, q, o)
	if err != nil {
		return err
	}
	report := r.Report()
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	writeBacktestTable(stdout, report, r)
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// csvEngine reads a CSV of events into an engine of its own, in the file's
// own time zone, and returns the time of the file's last event. A file with
// bad lines is refused, naming the first of them.
func csvEngine(path string, stderr io.Writer) (*analytics.Engine, time.Time, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer f.Close()
	r := ingest.NewEventReader(bufio.NewReaderSize(f, 256<<10))
	if err := r.Header(); err != nil {
		return nil, time.Time{}, fmt.Errorf("%s: %w", path, err)
	}
	c := cube.New()
	var offsets ingest.Offsets
	var batch []data.Change
	var last time.Time
	cats := map[string]bool{}
	bad, n := 0, 0
	for {
		e, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var de *data.Error
		if errors.As(err, &de) {
			if bad++; bad <= backtestMaxProblems {
				fmt.Fprintf(stderr, "%s: %s\n", path, de.Message)
			}
			continue
		}
		if err != nil {
			return nil, time.Time{}, err
		}
		n++
		offsets.Add(e.Time)
		cats[e.Category] = true
		if e.Time.After(last) {
			last = e.Time
		}
		batch = append(batch, data.Change{Seq: int64(n), Kind: data.ChangeViolation, Cell: geo.Cell(e.Point, data.CellResolution),
			Point: e.Point, Hour: data.Hour(e.Time), Category: e.Category})
		if len(batch) == data.MaxPage {
			c.Apply(batch)
			batch = batch[:0]
		}
	}
	c.Apply(batch)
	if bad > 0 {
		return nil, time.Time{}, fmt.Errorf("%s: %d bad lines (the first %d are listed above); fix them and run again", path, bad, min(bad, backtestMaxProblems))
	}
	if n == 0 {
		return nil, time.Time{}, fmt.Errorf("%s holds no events", path)
	}
	zone, err := offsets.Zone()
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("%s: the time zone of its offsets: %w", path, err)
	}
	var taxonomy []data.Category
	for code := range cats {
		taxonomy = append(taxonomy, data.Category{Code: code})
	}
	src := analytics.NewMemory(nil, taxonomy)
	return analytics.New(analytics.Options{Source: src, Cube: c, Zone: zone, Now: func() time.Time { return last }}), last, nil
}

// writeBacktestTable prints a backtest as a table a person reads.
func writeBacktestTable(w io.Writer, rep analytics.BacktestReport, r analytics.BacktestResult) {
	p := rep.Parameters
	fmt.Fprintf(w, "Backtest over %d cells at res %d (%s), %d test weeks %s – %s, after %d weeks of history from %s.\n",
		rep.Cells, p.Res, p.StudyArea.Definition, rep.TestWeeks, r.Test.Start().Format(time.DateOnly),
		r.Test.End().AddDate(0, 0, -1).Format(time.DateOnly), r.History.N()-r.Test.N(), r.History.Start().Format(time.DateOnly))
	fmt.Fprintf(w, "Means over the test weeks; the columns flag 1, 5 and 10 %% of the cells.\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "model\thit 1%\thit 5%\thit 10%\tPAI 1%\tPAI 5%\tPAI 10%\tPEI 1%\tPEI 5%\tPEI 10%\tRRI 5%\tPAI 5% ÷ last4\t")
	for _, m := range rep.Models {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", m.Name,
			cell(m.HitRate["1"]), cell(m.HitRate["5"]), cell(m.HitRate["10"]),
			cell(m.PAI["1"]), cell(m.PAI["5"]), cell(m.PAI["10"]),
			cell(m.PEI["1"]), cell(m.PEI["5"]), cell(m.PEI["10"]), cell(m.RRI["5"]), cell(m.PAIRatio["5"]))
	}
	tw.Flush()
	fmt.Fprintln(w)
	for _, m := range rep.Models {
		fmt.Fprintf(w, "%-8s %s\n", m.Name, m.Method)
	}
}

func cell(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.3f", *v)
}
