package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uber/h3-go/v4"
)

// csvEvent is one line of a backtest CSV.
type csvEvent struct {
	lon, lat float64
	at       time.Time
}

// writeEventsCSV writes events in New York time (offsets −05:00 and −04:00
// across the 2015 daylight-saving changes): a few busy corners and a
// scatter, from 2015-01-01 to 2015-05-20 (a Wednesday).
func writeEventsCSV(t *testing.T, path string) []csvEvent {
	t.Helper()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time-zone database:", err)
	}
	r := rand.New(rand.NewPCG(21, 22))
	start, end := time.Date(2015, 1, 1, 0, 0, 0, 0, ny), time.Date(2015, 5, 20, 18, 0, 0, 0, ny)
	corners := [][2]float64{{-71.0603, 42.3555}, {-71.0589, 42.3601}, {-71.0700, 42.3500}, {-71.0830, 42.3420}}
	var evs []csvEvent
	for at := start; at.Before(end); at = at.Add(time.Duration(20+r.IntN(200)) * time.Minute) {
		p := [2]float64{-71.12 + r.Float64()*0.1, 42.30 + r.Float64()*0.08}
		if k := r.IntN(10); k < len(corners) {
			p = [2]float64{corners[k][0] + r.NormFloat64()*2e-4, corners[k][1] + r.NormFloat64()*2e-4}
		}
		evs = append(evs, csvEvent{p[0], p[1], at})
	}
	var b strings.Builder
	b.WriteString("lon,lat,time,category\n")
	for i, e := range evs {
		_, off := e.at.Zone()
		fmt.Fprintf(&b, "%.6f,%.6f,%s,%s\n", e.lon, e.lat, e.at.In(time.FixedZone("", off)).Format(time.RFC3339), []string{"graffiti", "litter"}[i%2])
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return evs
}

// TestBacktestCSV runs the documented command on a CSV and checks its JSON
// against the contract (cells, test_weeks, models with their figures at 1,
// 5 and 10 %), and the last-four-weeks model's weekly hit rates against a
// count made here from the file's lines: weeks from Monday 00:00 at the
// events' own offsets, the 6 whole weeks before the final one, cells by
// LatLngToCell at res 9, ties broken pessimistically.
func TestBacktestCSV(t *testing.T) {
	dir := t.TempDir()
	file, db := filepath.Join(dir, "events.csv"), filepath.Join(dir, "never.db")
	evs := writeEventsCSV(t, file)
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"backtest", "-csv", file, "-weeks", "6", "-json", "-store.db", db}, &out, &errb); err != nil {
		t.Fatalf("backtest: %v\n%s", err, errb.String())
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Fatalf("a backtest of a CSV touched the store %s", db)
	}
	var rep struct {
		Cells     int `json:"cells"`
		TestWeeks int `json:"test_weeks"`
		Models    []struct {
			Name     string
			HitRate  map[string]*float64 `json:"hit_rate"`
			PAI      map[string]*float64 `json:"pai"`
			PEI      map[string]*float64 `json:"pei"`
			RRI      map[string]*float64 `json:"rri"`
			PAIRatio map[string]*float64 `json:"pai_ratio_last4"`
		} `json:"models"`
		Weeks []struct {
			Start   time.Time                      `json:"start"`
			HitRate map[string]map[string]*float64 `json:"hit_rate"`
		} `json:"weeks"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out.String())
	}
	cells := map[h3.Cell]bool{}
	for _, e := range evs {
		cells[h3.LatLngToCell(h3.NewLatLng(e.lat, e.lon), 9)] = true
	}
	if rep.Cells != len(cells) || rep.TestWeeks != 6 || len(rep.Weeks) != 6 {
		t.Fatalf("cells %d (want %d), test_weeks %d", rep.Cells, len(cells), rep.TestWeeks)
	}
	var names []string
	for _, m := range rep.Models {
		names = append(names, m.Name)
		for _, figs := range []map[string]*float64{m.HitRate, m.PAI, m.PEI, m.RRI, m.PAIRatio} {
			for _, k := range []string{"1", "5", "10"} {
				if figs[k] == nil {
					t.Fatalf("%s: no figure at %s %%: %+v", m.Name, k, m)
				}
			}
		}
	}
	if want := []string{"forecast", "last4", "kde8", "alltime", "ewma"}; !slices.Equal(names, want) {
		t.Fatalf("models %v, want %v", names, want)
	}
	// The final week holds 2015-05-20 and starts Monday 2015-05-18; the
	// test weeks are the six before it, in daylight-saving time (−04:00).
	first := time.Date(2015, 4, 6, 0, 0, 0, 0, time.FixedZone("", -4*3600))
	if !rep.Weeks[0].Start.Equal(first) {
		t.Fatalf("first test week starts %v, want %v", rep.Weeks[0].Start, first)
	}
	want := last4HitRates(evs, cells, first, 6)
	for k, w := range rep.Weeks {
		if got := *w.HitRate["last4"]["5"]; math.Abs(got-want[k]) > 1e-6 {
			t.Errorf("week %v: last4 hits %.6f at 5 %%, counted here %.6f", w.Start, got, want[k])
		}
	}
}

// last4HitRates counts, for each of n weeks from first, the share of its
// events in the 5 % of cells with the most events in the four weeks before.
func last4HitRates(evs []csvEvent, cells map[h3.Cell]bool, first time.Time, n int) []float64 {
	week := func(e csvEvent) int { // whole weeks from first, by the event's own local date
		_, off := e.at.Zone()
		local := e.at.Add(time.Duration(off) * time.Second).UTC()
		day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
		f := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, time.UTC)
		return int(math.Floor(day.Sub(f).Hours() / 24 / 7))
	}
	var list []h3.Cell
	for c := range cells {
		list = append(list, c)
	}
	m := max(1, int(math.Floor(0.05*float64(len(list)))))
	out := make([]float64, n)
	for k := range n {
		past, now := map[h3.Cell]float64{}, map[h3.Cell]float64{}
		var total float64
		for _, e := range evs {
			c := h3.LatLngToCell(h3.NewLatLng(e.lat, e.lon), 9)
			switch w := week(e); {
			case w >= k-4 && w < k:
				past[c]++
			case w == k:
				now[c]++
				total++
			}
		}
		slices.SortFunc(list, func(a, b h3.Cell) int {
			if past[a] != past[b] {
				return int(past[b] - past[a])
			}
			return int(now[a] - now[b]) // pessimistic: fewer actual events first
		})
		var hits float64
		for _, c := range list[:m] {
			hits += now[c]
		}
		out[k] = hits / total
	}
	return out
}

// TestBacktestCSVRefusals names the bad lines of a file and scores nothing.
func TestBacktestCSVRefusals(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "bad.csv")
	os.WriteFile(file, []byte("lon,lat,time\n-71.06,42.35,2015-03-02T08:00:00-05:00\n-71.06,42.35,not a time\n"), 0o644)
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"backtest", "-csv", file}, &out, &errb)
	if err == nil || !strings.Contains(errb.String(), "line 3: time") || out.Len() != 0 {
		t.Fatalf("err %v, stderr %q, stdout %q", err, errb.String(), out.String())
	}
	os.WriteFile(file, []byte("x,y\n1,2\n"), 0o644)
	if err := run(context.Background(), []string{"backtest", "-csv", file}, &out, &errb); err == nil || !strings.Contains(err.Error(), "lon, lat and time") {
		t.Fatalf("header: %v", err)
	}
}

// TestBacktestTable checks the readable table names every model.
func TestBacktestTable(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "events.csv")
	writeEventsCSV(t, file)
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"backtest", "-csv", file, "-weeks", "4"}, &out, &errb); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	mustContain(t, "table", out.String(), "4 test weeks 2015-04-20 – 2015-05-17", "PAI 5%", "forecast ", "last4 ", "kde8 ", "alltime ", "ewma ")
}
