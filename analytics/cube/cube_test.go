package cube

import (
	"context"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

// randomChanges are n changes in seq order over a few dozen cells near
// Dazhigu across 30 days, violations and dwell mixed.
func randomChanges(seed uint64, n int) []data.Change {
	r := rand.New(rand.NewPCG(seed, 1))
	start := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	cats := []string{"street-vending", "dumping", "outside-shop"}
	srcs := []data.Source{data.SourcePatrol, data.SourceHotline, data.SourceCitizen}
	out := make([]data.Change, n)
	for i := range out {
		p := orb.Point{117.222 + r.Float64()*0.01, 39.110 + r.Float64()*0.01}
		ch := data.Change{Seq: int64(i + 1), Ref: int64(i), Cell: geo.Cell(p, data.CellResolution),
			Hour: start.Add(time.Duration(r.IntN(30*24)) * time.Hour)}
		if r.IntN(3) == 0 {
			ch.Kind, ch.Seconds = data.ChangeDwell, float64(1+r.IntN(600))
		} else {
			ch.Kind, ch.Category, ch.Source, ch.Point = data.ChangeViolation, cats[r.IntN(3)], srcs[r.IntN(3)], p
		}
		out[i] = ch
	}
	return out
}

// snapshot is everything a statistic can read of a cube.
func snapshot(c *Cube) map[string]any {
	f := Filter{}
	out := map[string]any{}
	c.Read(func(v View) {
		for res := 9; res <= 12; res++ {
			out["counts"+string(rune('0'+res))] = v.Counts(f, res)
			out["dwell"+string(rune('0'+res))] = v.Dwell(f, res)
		}
		out["vending"] = v.Counts(Filter{Categories: []string{"street-vending"}, Sources: []data.Source{data.SourceHotline}}, 11)
		out["series"] = v.Series(Filter{}, 11, WeeksFrom(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), 5, time.UTC))
	})
	n, s := c.Size()
	out["size"] = [2]float64{float64(n), s}
	return out
}

// counts and dwell read one query through a view.
func counts(c *Cube, f Filter, res int) (out map[h3.Cell]float64) {
	c.Read(func(v View) { out = v.Counts(f, res) })
	return out
}

func dwell(c *Cube, f Filter, res int) (out map[h3.Cell]float64) {
	c.Read(func(v View) { out = v.Dwell(f, res) })
	return out
}

func TestCubeIncrementalEqualsRebuild(t *testing.T) {
	changes := randomChanges(1, 5000)
	whole := New()
	whole.Apply(changes)
	step := New()
	for i := 0; i < len(changes); i += 37 {
		step.Apply(changes[i:min(i+37, len(changes))])
		step.Apply(changes[:min(i+37, len(changes))]) // re-delivered pages are skipped
	}
	if !reflect.DeepEqual(snapshot(whole), snapshot(step)) {
		t.Fatal("a cube built change by change differs from one built at once")
	}
	if whole.Seq() != 5000 {
		t.Fatalf("Seq = %d, want 5000", whole.Seq())
	}
}

// TestCubeCounts checks the cube's sums against a direct count of the
// changes.
func TestCubeCounts(t *testing.T) {
	changes := randomChanges(2, 3000)
	c := New()
	c.Apply(changes)
	from := time.Date(2026, 5, 10, 6, 30, 0, 0, time.UTC) // widened to 06:00
	to := time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC)
	f := Filter{From: from, To: to, Categories: []string{"dumping"}, Sources: []data.Source{data.SourcePatrol, data.SourceCitizen}}
	want, wantDwell := map[h3.Cell]float64{}, map[h3.Cell]float64{}
	for _, ch := range changes {
		if ch.Hour.Before(from.Truncate(time.Hour)) || !ch.Hour.Before(to) {
			continue
		}
		if ch.Kind == data.ChangeDwell { // in the res-10 cell of the res-12 cell's centre
			ll := ch.Cell.LatLng()
			wantDwell[h3.LatLngToCell(ll, 10)] += float64(float32(ch.Seconds))
			continue
		}
		if ch.Category == "dumping" && (ch.Source == data.SourcePatrol || ch.Source == data.SourceCitizen) {
			want[h3.LatLngToCell(h3.NewLatLng(ch.Point[1], ch.Point[0]), 10)]++ // the point's own cell
		}
	}
	if got := counts(c, f, 10); !reflect.DeepEqual(got, want) {
		t.Fatalf("Counts = %v, want %v", got, want)
	}
	got := dwell(c, f, 10)
	for k, w := range wantDwell {
		if d := got[k] - w; d > 1e-6 || d < -1e-6 {
			t.Fatalf("Dwell[%v] = %v, want %v", k, got[k], w)
		}
	}
	if len(got) != len(wantDwell) {
		t.Fatalf("Dwell has %d cells, want %d", len(got), len(wantDwell))
	}
}

// sliceFeed serves changes as a store's feed would, at most 7,000 a page
// (stores cap pages below what CatchUp asks for).
type sliceFeed []data.Change

func (s sliceFeed) Changes(_ context.Context, after int64, limit int) ([]data.Change, error) {
	var out []data.Change
	for _, c := range s {
		if c.Seq > after && len(out) < min(limit, 7000) {
			out = append(out, c)
		}
	}
	return out, nil
}

func TestCubeCatchUp(t *testing.T) {
	changes := randomChanges(3, feedPage+123) // more than one page
	c := New()
	if err := c.CatchUp(context.Background(), sliceFeed(changes)); err != nil {
		t.Fatal(err)
	}
	want := New()
	want.Apply(changes)
	if c.Seq() != int64(len(changes)) || !reflect.DeepEqual(snapshot(c), snapshot(want)) {
		t.Fatalf("caught up to %d of %d", c.Seq(), len(changes))
	}
}

func TestFilterHours(t *testing.T) {
	c := New()
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	c.Apply([]data.Change{{Seq: 1, Kind: data.ChangeViolation, Cell: geo.Cell(orb.Point{117.225, 39.115}, 12), Hour: at, Category: "dumping", Source: "patrol"}})
	for _, tc := range []struct {
		from, to time.Time
		want     float64
	}{
		{at, at.Add(time.Microsecond), 1},                // an instant on the hour
		{at.Add(-time.Hour), at, 0},                      // the hour before
		{at.Add(59 * time.Minute), at.Add(time.Hour), 1}, // widened to the hour
		{at.Add(time.Hour), at.Add(2 * time.Hour), 0},
	} {
		var n float64
		for _, v := range counts(c, Filter{From: tc.from, To: tc.to}, 12) {
			n += v
		}
		if n != tc.want {
			t.Errorf("[%v, %v) counts %v, want %v", tc.from, tc.to, n, tc.want)
		}
	}
	c.Read(func(v View) {
		if first, end := v.Span(); !first.Equal(at) || !end.Equal(at.Add(time.Hour)) {
			t.Errorf("Span = %v, %v", first, end)
		}
	})
}

func TestBins(t *testing.T) {
	zone := time.FixedZone("CST", 8*3600)
	wed := time.Date(2026, 11, 25, 15, 30, 0, 0, zone)
	b := Weeks(wed, 4, zone)
	if want := time.Date(2026, 10, 26, 0, 0, 0, 0, zone); !b.Start().Equal(want) || !b.End().Equal(want.AddDate(0, 0, 28)) || b.N() != 4 {
		t.Fatalf("weeks %v..%v, want 4 weeks from %v to the Monday before %v", b.Start(), b.End(), want, wed)
	}
	d := Days(wed, 3, zone)
	if want := time.Date(2026, 11, 22, 0, 0, 0, 0, zone); !d.Start().Equal(want) || d.N() != 3 || d.Edges[1].Sub(d.Edges[0]) != 24*time.Hour {
		t.Fatalf("days %+v, want 3 from %v", d, want)
	}
	for _, tc := range []struct {
		at   time.Time
		want int
	}{{b.Start().Add(-time.Nanosecond), -1}, {b.Start(), 0}, {wed.AddDate(0, 0, -8), 3}, {b.End().Add(-time.Nanosecond), 3}, {b.End(), -1}} {
		if got := b.Index(tc.at); got != tc.want {
			t.Errorf("Index(%v) = %d, want %d", tc.at, got, tc.want)
		}
	}
	// A week holding a daylight-saving change is an hour shorter.
	boston, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time-zone database:", err)
	}
	spring := Weeks(time.Date(2015, 3, 11, 0, 0, 0, 0, boston), 1, boston) // DST began 2015-03-08
	if got := spring.End().Sub(spring.Start()); got != 167*time.Hour {
		t.Errorf("the week of 2015-03-08 in New York lasts %v, want 167h", got)
	}
}

// TestSeriesEdges checks that Series puts each hour in the bin its start
// is in, with edges on and off the hour.
func TestSeriesEdges(t *testing.T) {
	p := orb.Point{117.225, 39.115}
	at := time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC)
	c := New()
	for i, h := range []int{0, 1, 5, 6, 7, 30} {
		c.Apply([]data.Change{{Seq: int64(i + 1), Kind: data.ChangeViolation, Cell: geo.Cell(p, 12), Point: p,
			Hour: at.Add(time.Duration(h) * time.Hour), Category: "dumping", Source: data.SourcePatrol}})
	}
	bins := Bins{Edges: []time.Time{at, at.Add(5*time.Hour + 30*time.Minute), at.Add(7 * time.Hour), at.Add(48 * time.Hour)}}
	var got []float64
	c.Read(func(v View) { got = v.Series(Filter{}, 11, bins)[geo.Cell(p, 11)] })
	if want := []float64{3, 1, 2}; !reflect.DeepEqual(got, want) { // hours 0, 1, 5 | 6 | 7, 30
		t.Fatalf("series %v, want %v", got, want)
	}
}

// TestUpdatesMoveCounts applies violations and then updates that move some
// of them (another category, hour or place) and change others only in what
// the cube does not count: the cube equals one built from the final values.
func TestUpdatesMoveCounts(t *testing.T) {
	changes := randomChanges(4, 2000)
	r := rand.New(rand.NewPCG(5, 6))
	final := map[int64]data.Change{} // violation ref → its change with the latest values
	for _, ch := range changes {
		if ch.Kind == data.ChangeViolation {
			final[ch.Ref] = ch
		}
	}
	var updates []data.Change
	seq := int64(len(changes))
	for ref, ch := range final {
		if r.IntN(3) > 0 {
			continue
		}
		up := ch
		seq++
		up.Seq, up.Kind, up.Old = seq, data.ChangeUpdate, ch.Counted()
		switch r.IntN(4) {
		case 0:
			up.Category = "outside-shop"
		case 1:
			up.Hour = ch.Hour.Add(-5 * time.Hour)
		case 2:
			up.Point = orb.Point{ch.Point[0] + 0.003, ch.Point[1] - 0.002}
			up.Cell = geo.Cell(up.Point, 12)
		case 3: // a disposition only: nothing the cube counts moves
		}
		updates = append(updates, up)
		final[ref] = up
	}
	c := New()
	c.Apply(changes)
	c.Apply(updates)
	want := New()
	var rebuilt []data.Change
	for _, ch := range changes {
		if ch.Kind == data.ChangeDwell {
			rebuilt = append(rebuilt, ch)
		}
	}
	for _, ch := range final {
		ch.Kind = data.ChangeViolation
		rebuilt = append(rebuilt, ch)
	}
	for i := range rebuilt {
		rebuilt[i].Seq = int64(i + 1)
	}
	want.Apply(rebuilt)
	got, exp := snapshot(c), snapshot(want)
	delete(got, "size") // the count of violations applied is the same; dwell too
	delete(exp, "size")
	if !reflect.DeepEqual(got, exp) {
		t.Fatal("the cube after updates differs from one built from the final values")
	}
	if n, _ := c.Size(); n != len(final) {
		t.Fatalf("%d violations counted, %d held", n, len(final))
	}
}

// slowFeed is a feed that takes a while to answer, as a database under
// writers does, and counts the reads; changes grow as writers commit.
type slowFeed struct {
	mu      sync.Mutex
	changes []data.Change
	reads   int
}

func (s *slowFeed) Changes(ctx context.Context, after int64, limit int) ([]data.Change, error) {
	time.Sleep(5 * time.Millisecond)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reads++
	return sliceFeed(s.changes).Changes(ctx, after, limit)
}

func (s *slowFeed) commit(ch []data.Change) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.changes = append(s.changes, ch...)
}

// TestCatchUpIsShared: 40 requests catching up at once share the feed's
// reads instead of reading it one after another, and each still sees every
// change committed before it asked.
func TestCatchUpIsShared(t *testing.T) {
	all := randomChanges(5, 400)
	f := &slowFeed{changes: all[:100]}
	c := New()
	if err := c.CatchUp(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	f.reads = 0
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%4 == 0 { // writers commit between the readers
				f.commit(all[100+i*7 : 100+i*7+7])
			}
			f.mu.Lock()
			committed := int64(len(f.changes))
			f.mu.Unlock()
			if err := c.CatchUp(context.Background(), f); err != nil {
				t.Error(err)
			}
			if c.Seq() < all[committed-1].Seq {
				t.Errorf("caught up to %d, not to %d committed before the call", c.Seq(), all[committed-1].Seq)
			}
		}()
	}
	wg.Wait()
	f.mu.Lock()
	reads := f.reads
	f.mu.Unlock()
	if reads >= 40 {
		t.Errorf("40 callers read the feed %d times: not shared", reads)
	}
	t.Logf("40 concurrent callers, 10 of them after a commit: %d reads of the feed", reads)
}

// TestCountsMemo: Counts kept for a state are those counted afresh, for
// every filter and resolution; a change applied is counted at once, and a
// caller changing an answer changes no other.
func TestCountsMemo(t *testing.T) {
	changes := randomChanges(7, 3000)
	c := New()
	c.Apply(changes[:2000])
	filters := []Filter{{}, {Categories: []string{"dumping", "street-vending"}}, {Categories: []string{"street-vending", "dumping"}},
		{Sources: []data.Source{data.SourceHotline}, From: time.Date(2026, 5, 10, 0, 0, 0, 0, time.UTC)}}
	for round := range 2 {
		for _, f := range filters {
			for res := MinRes; res <= MaxRes; res++ {
				var got, want map[h3.Cell]float64
				c.Read(func(v View) { got, want = v.Counts(f, res), v.count(f, res) })
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("round %d, %+v at res %d: kept counts differ from those counted", round, f, res)
				}
				for cell := range got {
					got[cell] = -1 // the caller's copy
				}
			}
		}
	}
	before := counts(c, Filter{}, 11)
	c.Apply(changes[2000:])
	if got, want := counts(c, Filter{}, 11), counts(New().applied(changes), Filter{}, 11); reflect.DeepEqual(got, before) || !reflect.DeepEqual(got, want) {
		t.Fatal("counts after more changes are those kept from before")
	}
}

func (c *Cube) applied(changes []data.Change) *Cube {
	c.Apply(changes)
	return c
}
