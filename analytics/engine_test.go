package analytics

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/seed"
	"github.com/dazhigu/hotspot/geo"
)

var ctx = context.Background()

// violation is a change of one violation at p.
func violation(p orb.Point, at time.Time, category string, src data.Source) data.Change {
	return data.Change{Kind: data.ChangeViolation, Cell: geo.Cell(p, data.CellResolution), Point: p,
		Hour: data.Hour(at), Category: category, Source: src}
}

// TestRates checks the rate analysis on two cells of a bbox: one patrolled,
// one with complaints only.
func TestRates(t *testing.T) {
	p := orb.Point{117.225, 39.115}
	disk := geo.Cell(p, 12).GridDisk(2)
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	src := NewMemory(nil, nil)
	for range 4 {
		src.Append(violation(p, at, "dumping", data.SourcePatrol))
	}
	src.Append(data.Change{Kind: data.ChangeDwell, Cell: disk[0], Hour: at, Seconds: 7200})
	e := New(Options{Source: src})
	r, err := e.Rates(ctx, Query{Res: 12, K: 1, Window: Window{From: at, To: at.Add(time.Hour), Given: true},
		Area: Area{Kind: AreaBBox, BBox: orb.Bound{Min: orb.Point{117.2249, 39.1149}, Max: orb.Point{117.2251, 39.1151}}}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Patrolled != 1 || len(r.Cells) != 1 || math.Abs(r.Cells[0].Raw-2) > 1e-12 || r.Cells[0].Rate != 2 {
		t.Fatalf("rates %+v", r)
	}
}

// TestWindows checks how the engine settles a window.
func TestWindows(t *testing.T) {
	now := time.Date(2026, 11, 25, 15, 30, 0, 0, time.UTC)
	first := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	src := NewMemory(nil, nil)
	src.Append(violation(orb.Point{117.225, 39.115}, first, "dumping", data.SourcePatrol))
	e := New(Options{Source: src, Now: func() time.Time { return now }, Zone: time.UTC})
	end := time.Date(2026, 11, 25, 16, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		w        Window
		from, to time.Time
		err      string
	}{
		{"none: the last twelve weeks", Window{}, end.Add(-DefaultWindow), end, ""},
		{"open end", Window{From: first, Given: true}, first, end, ""},
		{"open start: the first violation", Window{To: end, Given: true}, first, end, ""},
		{"all time", Window{Given: true}, first, end, ""},
		{"over ten years", Window{From: end.AddDate(-11, 0, 0), To: end, Given: true}, time.Time{}, time.Time{}, "more than ten years"},
		{"backwards", Window{From: end, To: first, Given: true}, time.Time{}, time.Time{}, "ends before it starts"},
		{"starts after now", Window{From: end.AddDate(1, 0, 0), Given: true}, time.Time{}, time.Time{}, "starts after it ends"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := e.Counts(ctx, Query{Res: 11, K: 1, Window: tc.w})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || data.ErrorCode(err) != data.EINVALID {
					t.Fatalf("err %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !r.Params.From.Equal(tc.from) || !r.Params.To.Equal(tc.to) {
				t.Fatalf("window %v..%v, want %v..%v", r.Params.From, r.Params.To, tc.from, tc.to)
			}
		})
	}
}

// TestStudyAreas checks each kind of study area on data far from Dazhigu
// (Boston), where the key roads hold nothing.
func TestStudyAreas(t *testing.T) {
	roads, err := seed.Roads()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2015, 6, 3, 9, 0, 0, 0, time.UTC)
	src := NewMemory(roads, []data.Category{{Code: "graffiti"}, {Code: "litter"}})
	pts := []orb.Point{{-71.0589, 42.3601}, {-71.0600, 42.3610}, {-71.0700, 42.3500}}
	for i, p := range pts {
		src.Append(violation(p, at.AddDate(0, 0, -400*i), []string{"graffiti", "graffiti", "litter"}[i], data.SourceCitizen))
	}
	e := New(Options{Source: src, Now: func() time.Time { return at.Add(time.Hour) }})
	year := Window{From: at.AddDate(-1, 0, 0), To: at.Add(time.Hour), Given: true}
	box := orb.Bound{Min: orb.Point{-71.07, 42.355}, Max: orb.Point{-71.05, 42.365}}

	t.Run("events: every cell with a violation of the selection, at any time", func(t *testing.T) {
		r, err := e.HotSpots(ctx, Query{Res: 10, K: 1, Window: year, Area: Area{Kind: AreaEvents}, Categories: []string{"graffiti"}}, HotSpotOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := map[h3.Cell]bool{geo.Cell(pts[0], 10): true, geo.Cell(pts[1], 10): true}
		if len(r.Cells) != len(want) || r.Params.StudyArea.Kind != AreaEvents || r.Params.StudyArea.Cells != len(want) {
			t.Fatalf("area %+v with %d cells, want %d", r.Params.StudyArea, len(r.Cells), len(want))
		}
		for _, h := range r.Cells {
			if !want[h.Cell] {
				t.Fatalf("cell %v is not a cell of a graffiti report", h.Cell)
			}
		}
		if r.GiStar.Events != 1 { // only the first falls in the window
			t.Fatalf("%v events in the window, want 1", r.GiStar.Events)
		}
	})
	t.Run("bbox: the cells whose centres lie inside", func(t *testing.T) {
		r, err := e.HotSpots(ctx, Query{Res: 9, K: 1, Window: year, Area: Area{Kind: AreaBBox, BBox: box}}, HotSpotOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Cells) == 0 {
			t.Fatal("no cells")
		}
		for _, h := range r.Cells {
			ll := h.Cell.LatLng()
			if !box.Contains(orb.Point{ll.Lng, ll.Lat}) {
				t.Fatalf("cell %v's centre %v is outside the box", h.Cell, ll)
			}
		}
		if got := geo.Cell(pts[0], 9); r.Cells[r.indexOf(got)].Count != 1 {
			t.Fatalf("the box's cell %v does not count its violation", got)
		}
	})
	t.Run("roads: the key roads hold nothing here", func(t *testing.T) {
		r, err := e.HotSpots(ctx, Query{Res: 11, K: 1, Window: year}, HotSpotOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Params.StudyArea.Kind != AreaRoads || r.GiStar.Events != 0 || len(r.Cells) == 0 {
			t.Fatalf("roads area %+v, %v events", r.Params.StudyArea, r.GiStar.Events)
		}
	})
	t.Run("refusals", func(t *testing.T) {
		for _, tc := range []struct {
			q    Query
			want string
		}{
			{Query{Res: 11, K: 1, Area: Area{Kind: AreaBoundary}}, "no boundary configured"},
			{Query{Res: 12, K: 1, Area: Area{Kind: AreaBBox, BBox: box}, MaxCells: 1000}, "format=h3"},
			{Query{Res: 12, K: 1, Area: Area{Kind: AreaBBox, BBox: orb.Bound{Min: orb.Point{-72, 42}, Max: orb.Point{-70, 43}}}}, "coarser res"},
			{Query{Res: 11, K: 1, Area: Area{Kind: AreaBBox, BBox: orb.Bound{Min: orb.Point{-70, 42}, Max: orb.Point{-71, 43}}}}, "minimum below maximum"},
			{Query{Res: 9, K: 1, Area: Area{Kind: AreaBBox, BBox: orb.Bound{Min: orb.Point{-179, 0}, Max: orb.Point{179, 0.01}}}}, "split it"},
			{Query{Res: 8, K: 1}, "res"},
			{Query{Res: 11, K: 1, Categories: []string{"nope"}}, "not a code of the taxonomy"},
		} {
			_, err := e.HotSpots(ctx, tc.q, HotSpotOptions{})
			var de *data.Error
			if !errors.As(err, &de) || de.Code != data.EINVALID || !strings.Contains(de.Message, tc.want) {
				t.Errorf("%+v: err %v, want one saying %q", tc.q, err, tc.want)
			}
		}
	})
}

func (r HotSpotResult) indexOf(c h3.Cell) int {
	for i, h := range r.Cells {
		if h.Cell == c {
			return i
		}
	}
	return -1
}

// TestOneState runs rankings while violations are written: each answer's
// counts must be those of exactly the changes up to the sequence number it
// states, as if no write happened during it.
func TestOneState(t *testing.T) {
	roads, err := seed.Roads()
	if err != nil {
		t.Fatal(err)
	}
	seg := roads[0].Segments[3]
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	src := NewMemory(roads, nil)
	e := New(Options{Source: src, Now: func() time.Time { return at.AddDate(0, 0, 7) }})
	var wg sync.WaitGroup
	done := make(chan struct{})
	ranked := make(chan struct{}, 1) // a ranking finished since the writer last looked
	wg.Go(func() {
		defer close(done)
		for i := range 3000 {
			if i > 0 && i%500 == 0 {
				<-ranked // interleave on any machine: wait for a ranking now and then
			}
			ll := seg.Cells12[i%len(seg.Cells12)].LatLng()
			src.Append(violation(orb.Point{ll.Lng, ll.Lat}, at, "dumping", data.SourcePatrol))
			if i%10 == 0 {
				if err := e.CatchUp(ctx); err != nil {
					t.Error(err)
					return
				}
			}
		}
	})
	for checks := 0; ; checks++ {
		select {
		case <-done:
			wg.Wait()
			if checks < 5 {
				t.Fatalf("only %d rankings ran during the writes", checks)
			}
			return
		default:
		}
		r, err := e.Ranking(ctx, Query{Res: 11, K: 1})
		if err != nil {
			t.Fatal(err)
		}
		var n float64
		for _, rr := range r.Roads {
			n += rr.Count
		}
		if n != float64(r.Params.Seq) { // every change is a violation on a segment
			t.Fatalf("ranking counts %v violations but states index seq %d", n, r.Params.Seq)
		}
		select {
		case ranked <- struct{}{}:
		default:
		}
	}
}
