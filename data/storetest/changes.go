package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
)

// changeKey names what a change records; each stored violation, update and
// dwell row must appear in the feed exactly once. (Two updates of one
// violation that leave its cell and hour where they were have one key: the
// feed must then hold the key as many times.)
type changeKey struct {
	kind    data.ChangeKind
	ref     int64
	cell    h3.Cell
	hour    int64 // unix seconds
	oldCell h3.Cell
	oldHour int64 // unix seconds; 0 but for updates
}

func keyOf(c data.Change) changeKey {
	k := changeKey{kind: c.Kind, ref: c.Ref, cell: c.Cell, hour: c.Hour.Unix()}
	if c.Kind == data.ChangeUpdate {
		k.oldCell, k.oldHour = c.Old.Cell, c.Old.Hour.Unix()
	}
	return k
}

// updateChange is the feed entry of an update of violation id from old to v.
func updateChange(id int64, old, v data.Violation) data.Change {
	c := violationChange(id, v)
	c.Kind, c.Old = data.ChangeUpdate, old.Counted()
	return c
}

func violationChange(id int64, v data.Violation) data.Change {
	return data.Change{Kind: data.ChangeViolation, Ref: id, Cell: v.Cell, Point: v.Point,
		Hour: v.ObservedAt.UTC().Truncate(time.Hour), Category: v.Category, Source: v.Source}
}

func dwellChanges(id int64, tr data.Track) []data.Change {
	var cs []data.Change
	for _, d := range tr.Dwell {
		cs = append(cs, data.Change{Kind: data.ChangeDwell, Ref: id, Cell: d.Cell, Hour: d.Hour, Seconds: d.Seconds})
	}
	return cs
}

// checkChanges checks that got holds each of want exactly once with the
// right fields (in any order; Seq is not compared).
func checkChanges(tb testing.TB, got, want []data.Change) {
	tb.Helper()
	wanted := make(map[changeKey]data.Change, len(want))
	times := make(map[changeKey]int, len(want))
	for _, w := range want {
		wanted[keyOf(w)] = w
		times[keyOf(w)]++
	}
	seen := make(map[changeKey]int, len(got))
	errs := 0
	errorf := func(format string, args ...any) {
		tb.Helper()
		if errs++; errs <= 5 {
			tb.Errorf(format, args...)
		}
	}
	defer func() {
		if errs > 5 {
			tb.Errorf("... and %d more differences in the change feed", errs-5)
		}
	}()
	for _, g := range got {
		k := keyOf(g)
		w, ok := wanted[k]
		switch {
		case !ok:
			errorf("unexpected change %+v", g)
			continue
		case seen[k] >= times[k]:
			errorf("change %+v appears more than once", g)
		}
		seen[k]++
		if g.Hour.Location() != time.UTC || !g.Hour.Equal(g.Hour.Truncate(time.Hour)) {
			errorf("change %+v: Hour %v is not a whole UTC hour", g, g.Hour)
		}
		if g.Category != w.Category || g.Source != w.Source || g.Seconds != w.Seconds || g.Point != w.Point {
			errorf("change of %s %d: Category, Source, Seconds, Point = %q %q %v %v, want %q %q %v %v",
				g.Kind, g.Ref, g.Category, g.Source, g.Seconds, g.Point, w.Category, w.Source, w.Seconds, w.Point)
		}
		if g.Kind == data.ChangeUpdate && (g.Old.Category != w.Old.Category || g.Old.Source != w.Old.Source || g.Old.Point != w.Old.Point ||
			g.Old.Hour.Location() != time.UTC) {
			errorf("update of %d: Old = %+v, want %+v", g.Ref, g.Old, w.Old)
		}
		if g.Kind != data.ChangeUpdate && !g.Old.Equal(data.Counted{}) {
			errorf("%s change %d: Old = %+v, want it zero (only updates have one)", g.Kind, g.Ref, g.Old)
		}
	}
	for k, n := range times {
		if seen[k] < n {
			errorf("change %+v is missing from the feed (seen %d of %d times)", wanted[k], seen[k], n)
		}
	}
}

func testChangeFeed(t *testing.T, h Harness) {
	_, s := open(t, h)
	// 07:30 in Tianjin is 23:30 the day before in UTC: the hour is UTC.
	early := newViolation("early", time.Date(2025, 3, 3, 7, 30, 15, 500_000_000, cst), lon0, lat0)
	early.Source, early.Category = data.SourceHotline, "shop-front"
	late := newViolation("late", t0.Add(6*time.Hour-time.Millisecond), lon0+0.001, lat0)
	last := newViolation("last", t0.Add(24*time.Hour), lon0, lat0+0.001)
	last.Source, last.Category = data.SourceCamera, "dumping"

	first := putNew(t, s, early, late)
	tr := newTrack("officer-1", "feed", t0.Add(-50*time.Minute), t0.Add(110*time.Minute), 20)
	if len(tr.Dwell) != 3 {
		t.Fatalf("fixture: %d dwell entries, want 3", len(tr.Dwell))
	}
	trackID := putTrack(t, s, tr)
	lastID := putNew(t, s, last)[0]

	want := append([]data.Change{violationChange(first[0], early), violationChange(first[1], late)}, dwellChanges(trackID, tr)...)
	want = append(want, violationChange(lastID, last))
	if got := want[0].Hour; !got.Equal(time.Date(2025, 3, 2, 23, 0, 0, 0, time.UTC)) {
		t.Fatalf("fixture: hour of the early violation is %v", got)
	}
	got := allChanges(t, s) // checks Seq increases
	if len(got) != len(want) {
		t.Fatalf("the feed has %d changes, want %d: %+v", len(got), len(want), got)
	}
	checkChanges(t, got, want)
	// Sequential writes appear in the order they were made.
	for i, kind := range []data.ChangeKind{data.ChangeViolation, data.ChangeViolation, data.ChangeDwell, data.ChangeDwell, data.ChangeDwell, data.ChangeViolation} {
		if got[i].Kind != kind {
			t.Errorf("change %d is a %s change, want %s (writes in order)", i, got[i].Kind, kind)
		}
	}
	if got[len(got)-1].Ref != lastID {
		t.Errorf("the last change refers to %d, want the last write %d", got[len(got)-1].Ref, lastID)
	}
}

func testChangePaging(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	putNew(t, s, manyViolations("feed", 10)...)
	putTrack(t, s, newTrack("o", "t", t0, t0.Add(150*time.Minute), 10)) // 3 dwell
	all := allChanges(t, s)
	if len(all) != 13 {
		t.Fatalf("the feed has %d changes, want 13", len(all))
	}
	cases := []struct {
		after int64
		limit int
		want  []data.Change
	}{
		{0, 1, all[:1]},
		{0, 13, all},
		{0, 100, all},
		{all[4].Seq, 2, all[5:7]},
		{all[4].Seq + 0, 100, all[5:]},
		{all[11].Seq, 5, all[12:]},
		{all[12].Seq, 5, nil},
	}
	for _, c := range cases {
		got, err := s.Changes(ctx, c.after, c.limit)
		if err != nil {
			t.Fatalf("Changes(%d, %d): %v", c.after, c.limit, err)
		}
		if !equalSeqs(got, c.want) {
			t.Errorf("Changes(%d, %d) = seqs %v, want %v", c.after, c.limit, seqs(got), seqs(c.want))
		}
	}
	// Paging by 3 covers the feed exactly.
	var paged []data.Change
	var after int64
	for len(paged) <= len(all) {
		page, err := s.Changes(ctx, after, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		if len(page) > 3 {
			t.Fatalf("Changes(%d, 3) returned %d changes", after, len(page))
		}
		paged = append(paged, page...)
		after = page[len(page)-1].Seq
	}
	if !equalSeqs(paged, all) {
		t.Errorf("pages of 3 = seqs %v, want %v", seqs(paged), seqs(all))
	}
}

func seqs(cs []data.Change) []int64 {
	out := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = c.Seq
	}
	return out
}

func equalSeqs(a, b []data.Change) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Seq != b[i].Seq || keyOf(a[i]) != keyOf(b[i]) {
			return false
		}
	}
	return true
}

// testConcurrent has several writers store batches and tracks at once while a
// reader tails the feed the way the analytic index does, remembering only
// the last Seq it saw. A store whose Seq order differs from commit order
// makes the reader skip changes.
func testConcurrent(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	const writers, rounds = 8, 10

	var (
		mu   sync.Mutex
		want []data.Change
	)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var prev []data.Violation // the batch of the round before
			for r := range rounds {
				// Batches of very different sizes, so that small transactions
				// start after big ones and would commit before them.
				n := 1 + (w*37+r*11)%5
				if (w+r)%4 == 0 {
					n = 300 + w*10
				}
				vs := manyViolations(fmt.Sprintf("w%d-r%d", w, r), n)
				update := r%3 == 2 // every third round updates the batch before it
				if update {
					vs = slices.Clone(prev)
					for i := range vs {
						vs[i].Category, vs[i].Disposition = "dumping", "fined"
						vs[i].ObservedAt = vs[i].ObservedAt.Add(time.Duration(i%3) * time.Hour)
						vs[i].UpdatedAt = t0.Add(time.Duration(r) * time.Hour)
					}
				}
				out, err := s.PutViolations(ctx, vs)
				if err != nil {
					t.Errorf("writer %d: PutViolations(%d records): %v", w, len(vs), err)
					return
				}
				mu.Lock()
				for i, o := range out {
					switch {
					case update && (o.Created || !o.Updated):
						t.Errorf("writer %d: re-sent record %d not updated: %+v", w, i, o)
					case update:
						want = append(want, updateChange(o.ID, prev[i], vs[i]))
					case !o.Created:
						t.Errorf("writer %d: new record %d not created: %+v", w, i, o)
					default:
						want = append(want, violationChange(o.ID, vs[i]))
					}
				}
				mu.Unlock()
				prev = vs
				if (w+r)%3 == 0 {
					tr := newTrack(fmt.Sprintf("officer-%d", w), fmt.Sprintf("r%d", r), t0, t0.Add(time.Duration(1+r%4)*time.Hour), 8)
					o, err := s.PutTrack(ctx, tr)
					if err != nil || !o.Created {
						t.Errorf("writer %d: PutTrack = %+v, %v", w, o, err)
						return
					}
					mu.Lock()
					want = append(want, dwellChanges(o.ID, tr)...)
					mu.Unlock()
				}
			}
		}()
	}

	// Tailers with different page sizes: a small page keeps a reader at the
	// head of the feed, where a skip happens.
	done := make(chan struct{})
	pageSizes := []int{25, 250}
	tailed := make([][]data.Change, len(pageSizes))
	reads := make([]int, len(pageSizes))
	var readers sync.WaitGroup
	for i, limit := range pageSizes {
		readers.Go(func() {
			var last int64
			for {
				finished := false
				select {
				case <-done:
					finished = true // every write has returned: one more full read drains the feed
				default:
				}
				page, err := s.Changes(ctx, last, limit)
				reads[i]++
				if err != nil {
					t.Errorf("reader: Changes(%d, %d): %v", last, limit, err)
					return
				}
				for _, c := range page {
					if c.Seq <= last {
						t.Errorf("reader: Seq %d after %d, want strictly increasing", c.Seq, last)
						return
					}
					last = c.Seq
				}
				tailed[i] = append(tailed[i], page...)
				if len(page) == 0 {
					if finished {
						return
					}
					time.Sleep(100 * time.Microsecond)
				}
			}
		})
	}
	wg.Wait()
	close(done)
	readers.Wait()
	if t.Failed() {
		return
	}

	for i, got := range tailed {
		if len(got) != len(want) {
			t.Errorf("a reader tailing with pages of %d saw %d changes in %d reads, want %d: changes were skipped or repeated",
				pageSizes[i], len(got), reads[i], len(want))
		}
		checkChanges(t, got, want)
	}
	all := allChanges(t, s)
	if len(all) != len(want) {
		t.Errorf("the feed holds %d changes, want %d", len(all), len(want))
	}
	if got := len(allViolations(t, s)); got != countKind(want, data.ChangeViolation) {
		t.Errorf("%d violations stored, want %d", got, countKind(want, data.ChangeViolation))
	}
	checkCounts(t, s)
}

func countKind(cs []data.Change, k data.ChangeKind) int {
	n := 0
	for _, c := range cs {
		if c.Kind == k {
			n++
		}
	}
	return n
}

// testCommitOrder catches a big batch in flight: a small write starts while
// it runs, and a reader looks at the feed as soon as the small write returns,
// then again once the big one has. If the small write could commit first with
// a larger Seq, the reader would move past the big batch's Seqs and never
// see them. The big batch is cut in at several delays to find the window.
func testCommitOrder(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	var want, seen []data.Change
	var last int64
	tail := func() {
		for {
			page, err := s.Changes(ctx, last, data.MaxPage)
			if err != nil {
				t.Fatalf("Changes(%d): %v", last, err)
			}
			if len(page) == 0 {
				return
			}
			for _, c := range page {
				if c.Seq <= last {
					t.Fatalf("Seq %d after %d, want strictly increasing", c.Seq, last)
				}
				last = c.Seq
			}
			seen = append(seen, page...)
		}
	}
	// Odd rounds update the records of the round before, big batch and
	// small record alike: updates are fed under the same rule.
	var prevBig []data.Violation
	var prevSmall data.Violation
	for i, delay := range []time.Duration{0, 500 * time.Microsecond, time.Millisecond, 2 * time.Millisecond,
		4 * time.Millisecond, 8 * time.Millisecond, 16 * time.Millisecond, 32 * time.Millisecond} {
		update := i%2 == 1
		big := manyViolations(fmt.Sprintf("big-%d", i), 1500)
		small := newViolation(fmt.Sprintf("small-%d", i), t0, lon0, lat0)
		if update {
			big, small = slices.Clone(prevBig), prevSmall
			for j := range big {
				big[j].Category, big[j].Severity, big[j].UpdatedAt = "shop-front", "serious", t0.Add(time.Duration(i)*time.Hour)
			}
			small.Point, small.Cell, small.UpdatedAt = orb.Point{lon0 + 0.001, lat0}, cellAt(lon0+0.001, lat0), t0.Add(time.Hour)
		}
		bigDone := make(chan []data.Outcome, 1)
		go func() {
			out, err := s.PutViolations(ctx, big)
			if err != nil {
				t.Errorf("PutViolations(big): %v", err)
			}
			bigDone <- out
		}()
		time.Sleep(delay)
		o := putViolations(t, s, small)[0]
		if update {
			want = append(want, updateChange(o.ID, prevSmall, small))
		} else {
			want = append(want, violationChange(o.ID, small))
		}
		tail() // right after the small write: the big one may still be running
		for j, o := range <-bigDone {
			if update {
				want = append(want, updateChange(o.ID, prevBig[j], big[j]))
			} else {
				want = append(want, violationChange(o.ID, big[j]))
			}
		}
		tail()
		if t.Failed() {
			return
		}
		prevBig, prevSmall = big, small
	}
	if len(seen) != len(want) {
		t.Errorf("a reader tailing during writes saw %d changes, want %d: changes committed out of Seq order were skipped", len(seen), len(want))
	}
	checkChanges(t, seen, want)
	checkCounts(t, s)
}
