package storetest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/data"
)

// Re-sends that update a stored violation (data.Violation.Updates): other
// content and a strictly later UpdatedAt, a zero UpdatedAt being the
// earliest.

// put stores one record and returns its outcome.
func put(tb testing.TB, s data.Store, v data.Violation) data.Outcome {
	tb.Helper()
	return putViolations(tb, s, v)[0]
}

// wantOutcome fails unless o is what the store should have done with a
// re-send of record id.
func wantOutcome(tb testing.TB, o data.Outcome, id int64, updated bool, what string) {
	tb.Helper()
	if o != (data.Outcome{ID: id, Updated: updated}) {
		tb.Errorf("%s: outcome %+v, want {ID:%d Created:false Updated:%v}", what, o, id, updated)
	}
}

// stored reads violation id and compares it with want.
func stored(tb testing.TB, s data.Store, id int64, want data.Violation) {
	tb.Helper()
	got, err := s.Violation(tb.Context(), id)
	if err != nil {
		tb.Fatalf("Violation(%d): %v", id, err)
	}
	checkViolation(tb, got, want, id)
	for _, v := range allViolations(tb, s) {
		if v.ID == id {
			checkViolation(tb, v, want, id)
		}
	}
}

func history(tb testing.TB, s data.Store, id int64) []data.ViolationUpdate {
	tb.Helper()
	hs, err := s.ViolationHistory(tb.Context(), id)
	if err != nil {
		tb.Fatalf("ViolationHistory(%d): %v", id, err)
	}
	for i := 1; i < len(hs); i++ {
		if hs[i].Seq <= hs[i-1].Seq {
			tb.Errorf("ViolationHistory(%d): Seq %d follows %d, want ascending", id, hs[i].Seq, hs[i-1].Seq)
		}
	}
	return hs
}

// checkUpdate compares one history entry with the update of id from old to
// v, applied between before and after by who.
func checkUpdate(tb testing.TB, got data.ViolationUpdate, id int64, old, v data.Violation, who string, before, after time.Time) {
	tb.Helper()
	if got.ViolationID != id || got.By != who || !sameTime(got.UpdatedAt, v.UpdatedAt) {
		tb.Errorf("update of %d: ViolationID, By, UpdatedAt = %d %q %v, want %d %q %v", id,
			got.ViolationID, got.By, got.UpdatedAt, id, who, v.UpdatedAt)
	}
	if got.ChangedAt.Before(before.Add(-time.Second)) || got.ChangedAt.After(after.Add(time.Second)) {
		tb.Errorf("update of %d: ChangedAt %v is not the time it was applied (%v .. %v)", id, got.ChangedAt, before, after)
	}
	if got.ChangedAt.Location() != time.UTC || got.UpdatedAt.Location() != time.UTC {
		tb.Errorf("update of %d: ChangedAt, UpdatedAt = %v %v, want UTC", id, got.ChangedAt, got.UpdatedAt)
	}
	if !got.Old.Equal(old.Counted()) || !got.New.Equal(v.Counted()) {
		tb.Errorf("update of %d: Old, New = %+v %+v, want %+v %+v", id, got.Old, got.New, old.Counted(), v.Counted())
	}
	want := data.Diff(&old, &v)
	if len(got.Fields) != len(want) {
		tb.Errorf("update of %d: fields %v changed, want %v", id, fieldNames(got.Fields), fieldNames(want))
	}
	for name, w := range want {
		g, ok := got.Fields[name]
		if !ok {
			tb.Errorf("update of %d: no change of %s recorded", id, name)
			continue
		}
		if !sameValue(g.Old, w.Old) || !sameValue(g.New, w.New) {
			tb.Errorf("update of %d: %s went from %s to %s, want from %s to %s", id, name, g.Old, g.New, w.Old, w.New)
		}
	}
}

// sameValue compares JSON values; an absent value is null.
func sameValue(a, b json.RawMessage) bool {
	if len(a) == 0 {
		a = json.RawMessage("null")
	}
	if len(b) == 0 {
		b = json.RawMessage("null")
	}
	return equalJSON(a, b)
}

func fieldNames(fs map[string]data.FieldChange) []string {
	var ns []string
	for n := range fs {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	return ns
}

// countKey is what an analytic index counts a violation by.
type countKey struct {
	c    data.Counted
	hour int64
}

func countOf(c data.Counted) countKey {
	h := c.Hour.Unix()
	c.Hour = time.Time{}
	return countKey{c, h}
}

// checkCounts checks that an index built from the whole feed (each
// violation added, each update taken away at Old and added at its new
// values) counts each stored violation once, where it is now.
func checkCounts(tb testing.TB, s data.Store) {
	tb.Helper()
	fed := map[countKey]int{}
	for _, c := range allChanges(tb, s) {
		switch c.Kind {
		case data.ChangeViolation:
			fed[countOf(c.Counted())]++
		case data.ChangeUpdate:
			fed[countOf(c.Old)]--
			fed[countOf(c.Counted())]++
		}
	}
	want := map[countKey]int{}
	for _, v := range allViolations(tb, s) {
		want[countOf(v.Counted())]++
	}
	for k, n := range fed {
		if n != want[k] {
			tb.Errorf("an index following the feed counts %d at %+v, the store holds %d violations there", n, k, want[k])
		}
	}
	for k, n := range want {
		if _, ok := fed[k]; !ok {
			tb.Errorf("an index following the feed has nothing at %+v, the store holds %d violations there", k, n)
		}
	}
}

func testUpdateDisposition(t *testing.T, h Harness) {
	_, s := open(t, h)
	v := newViolation("hotline-1", t0, lon0, lat0)
	v.Source, v.Severity, v.Disposition = data.SourceHotline, "general", "ordered"
	v.UpdatedAt = t0.Add(time.Hour)
	id := putNew(t, s, v)[0]
	other := putNew(t, s, newViolation("other", t0, lon0, lat0))[0]

	// Closed days later: fined, by another key.
	fined := v
	fined.Disposition, fined.UpdatedAt, fined.UpdatedBy = "fined", t0.Add(72*time.Hour+1500*time.Microsecond), "hotline-sync"
	before := time.Now()
	wantOutcome(t, put(t, s, fined), id, true, "re-send with a new disposition and a later updated_at")
	after := time.Now()
	fined.UpdatedBy = ""
	stored(t, s, id, fined)

	hs := history(t, s, id)
	if len(hs) != 1 {
		t.Fatalf("history of %d: %d entries, want 1", id, len(hs))
	}
	checkUpdate(t, hs[0], id, v, fined, "hotline-sync", before, after)
	if got := fieldNames(hs[0].Fields); !slices.Equal(got, []string{"disposition", "updated_at"}) {
		t.Errorf("fields changed %v, want [disposition updated_at]", got)
	}
	if d := hs[0].Fields["disposition"]; string(d.Old) != `"ordered"` || string(d.New) != `"fined"` {
		t.Errorf("disposition went from %s to %s, want from \"ordered\" to \"fined\"", d.Old, d.New)
	}
	if got := history(t, s, other); len(got) != 0 {
		t.Errorf("history of a record never updated: %+v, want none", got)
	}

	feed := allChanges(t, s)
	checkChanges(t, feed, []data.Change{violationChange(id, v), violationChange(other, newViolation("other", t0, lon0, lat0)),
		updateChange(id, v, fined)})
	if len(feed) != 3 || feed[2].Kind != data.ChangeUpdate || feed[2].Seq != hs[0].Seq {
		t.Fatalf("feed %+v: want the update last, with the Seq of its history entry %d", feed, hs[0].Seq)
	}
	if !feed[2].Old.Equal(feed[2].Counted()) {
		t.Errorf("a change of disposition only moves the count: Old %+v, new %+v", feed[2].Old, feed[2].Counted())
	}
	checkCounts(t, s)
}

func testUpdateMoves(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	// First a record sent without updated_at (zero: the earliest).
	v := newViolation("patrol-7", t0.Add(10*time.Minute), lon0, lat0)
	v.Road, v.Segment, v.Along, v.Offset = "jintang-lu", 2, 250.5, 3.25
	v.MerchantID, v.Severity, v.Disposition = "m-1", "minor", "warned"
	v.Attributes = json.RawMessage(`{"note": "第一次", "photos": 1}`)
	id := putNew(t, s, v)[0]

	// Corrected: another category, time (another hour, another day in
	// Tianjin) and place (another cell, road and datum), no merchant, other
	// attributes.
	moved := v
	moved.Category = "shop-front"
	moved.ObservedAt = t0.Add(-9*time.Hour + 123*time.Millisecond)
	moved.Point, moved.Datum = orb.Point{lon0 + 0.003, lat0 - 0.002}, "gcj02"
	moved.Cell = cellAt(moved.Point[0], moved.Point[1])
	moved.Road, moved.Segment, moved.Along, moved.Offset = "houtai-xilu", 5, 512.75, 1.5
	moved.MerchantID, moved.Attributes = "", json.RawMessage(`{"note": "更正", "photos": 2}`)
	moved.UpdatedAt = t0.Add(24 * time.Hour)
	moved.UpdatedBy = "ingest-key"
	if moved.Cell == v.Cell || data.Hour(moved.ObservedAt).Equal(data.Hour(v.ObservedAt)) {
		t.Fatal("fixture: the update must move the cell and the hour")
	}
	before := time.Now()
	wantOutcome(t, put(t, s, moved), id, true, "re-send that moves the record")
	after := time.Now()
	moved.UpdatedBy = ""
	stored(t, s, id, moved)

	// Once more: back to no road, attributes gone, another source of
	// nothing (source never changes: it names the record).
	again := moved
	again.Point = orb.Point{lon0 - 0.004, lat0 + 0.001}
	again.Datum, again.Cell = "wgs84", cellAt(lon0-0.004, lat0+0.001)
	again.Road, again.Segment, again.Along, again.Offset = "", -1, 0, 0
	again.Attributes, again.Disposition = nil, "corrected"
	again.UpdatedAt = moved.UpdatedAt.Add(time.Millisecond)
	before2 := time.Now()
	wantOutcome(t, put(t, s, again), id, true, "second update")
	after2 := time.Now()
	stored(t, s, id, again)

	hs := history(t, s, id)
	if len(hs) != 2 {
		t.Fatalf("history of %d: %d entries, want 2", id, len(hs))
	}
	checkUpdate(t, hs[0], id, v, moved, "ingest-key", before, after)
	checkUpdate(t, hs[1], id, moved, again, "", before2, after2)
	if d := hs[0].Fields["updated_at"]; string(d.Old) != "null" {
		t.Errorf("updated_at of a record sent without one went from %s, want null", d.Old)
	}
	if d := hs[1].Fields["attributes"]; string(d.New) != "null" || !equalJSON(d.Old, moved.Attributes) {
		t.Errorf("attributes went from %s to %s, want from %s to null", d.Old, d.New, moved.Attributes)
	}

	// The violation's own feed entry still says where it was first counted;
	// the updates move it.
	feed := allChanges(t, s)
	checkChanges(t, feed, []data.Change{violationChange(id, v), updateChange(id, v, moved), updateChange(id, moved, again)})
	if len(feed) == 3 {
		if feed[0].Kind != data.ChangeViolation || feed[1].Seq != hs[0].Seq || feed[2].Seq != hs[1].Seq {
			t.Errorf("feed %+v: want the violation, then its updates with the Seqs of the history %d, %d", feed, hs[0].Seq, hs[1].Seq)
		}
	}
	checkCounts(t, s)

	// Reads filter by the new values.
	for _, c := range []struct {
		f    data.ViolationFilter
		want int
	}{
		{data.ViolationFilter{Categories: []string{"street-vending"}}, 0},
		{data.ViolationFilter{Categories: []string{"shop-front"}}, 1},
		{data.ViolationFilter{From: t0}, 0},
		{data.ViolationFilter{To: t0}, 1},
		{data.ViolationFilter{Road: "houtai-xilu"}, 0},
	} {
		vs, err := s.Violations(ctx, c.f)
		if err != nil || len(vs) != c.want {
			t.Errorf("Violations(%+v) = %d records, %v; want %d", c.f, len(vs), err, c.want)
		}
	}
}

func testUpdateSameContent(t *testing.T, h Harness) {
	_, s := open(t, h)
	v := newViolation("same", t0.Add(1500*time.Microsecond), lon0, lat0)
	v.Disposition, v.Attributes = "warned", json.RawMessage(`{"a": 1, "b": [1, 2]}`)
	v.UpdatedAt = t0.Add(time.Hour)
	id := putNew(t, s, v)[0]
	cases := []struct {
		name   string
		change func(*data.Violation)
	}{
		{"as sent", func(*data.Violation) {}},
		{"a later updated_at", func(w *data.Violation) { w.UpdatedAt = w.UpdatedAt.Add(48 * time.Hour) }},
		{"no updated_at", func(w *data.Violation) { w.UpdatedAt = time.Time{} }},
		{"attributes in another order and spacing", func(w *data.Violation) {
			w.Attributes, w.UpdatedAt = json.RawMessage(`{ "b":[1,2],"a":1 }`), w.UpdatedAt.Add(time.Hour)
		}},
		{"the time in another zone", func(w *data.Violation) {
			w.ObservedAt, w.UpdatedAt = w.ObservedAt.UTC(), w.UpdatedAt.Add(time.Hour)
		}},
		{"another placement of the same point", func(w *data.Violation) {
			w.Road, w.Segment, w.Along, w.UpdatedAt = "new-road", 0, 12, w.UpdatedAt.Add(time.Hour)
		}},
		{"another sender", func(w *data.Violation) { w.UpdatedBy, w.UpdatedAt = "someone", w.UpdatedAt.Add(time.Hour) }},
	}
	for _, c := range cases {
		w := v
		c.change(&w)
		wantOutcome(t, put(t, s, w), id, false, "same content, "+c.name)
	}
	stored(t, s, id, v)
	if hs := history(t, s, id); len(hs) != 0 {
		t.Errorf("same content re-sent: history %+v, want none", hs)
	}
	wantChangeCount(t, s, 1, "after re-sending the same content")
}

func testUpdateStale(t *testing.T, h Harness) {
	_, s := open(t, h)
	v := newViolation("stale", t0, lon0, lat0)
	v.Disposition, v.UpdatedAt = "fined", t0.Add(48*time.Hour)
	id := putNew(t, s, v)[0]
	cases := []struct {
		name string
		at   time.Time
	}{
		{"older updated_at", t0.Add(24 * time.Hour)},
		{"equal updated_at", v.UpdatedAt},
		{"equal to the microsecond", v.UpdatedAt.Add(999 * time.Nanosecond)},
		{"no updated_at", time.Time{}},
	}
	for _, c := range cases {
		w := v
		w.Disposition, w.Severity, w.UpdatedAt = "warned", "serious", c.at
		wantOutcome(t, put(t, s, w), id, false, c.name)
	}
	stored(t, s, id, v)
	if hs := history(t, s, id); len(hs) != 0 {
		t.Errorf("stale re-sends: history %+v, want none", hs)
	}
	wantChangeCount(t, s, 1, "after stale re-sends")

	// A batch may mix all the outcomes.
	fresh := newViolation("stale-fresh", t0, lon0, lat0)
	kept := newViolation("stale-kept", t0, lon0, lat0)
	keptID := putNew(t, s, kept)[0]
	newer := v
	newer.Disposition, newer.UpdatedAt = "corrected", v.UpdatedAt.Add(time.Microsecond)
	keptChanged := kept
	keptChanged.Category = "dumping" // no updated_at: kept
	out := putViolations(t, s, keptChanged, newer, fresh)
	wantOutcome(t, out[0], keptID, false, "changed without updated_at")
	wantOutcome(t, out[1], id, true, "a microsecond later")
	if !out[2].Created || out[2].Updated {
		t.Errorf("new record in a mixed batch: outcome %+v, want Created", out[2])
	}
	stored(t, s, id, newer)
	stored(t, s, keptID, kept)
	wantChangeCount(t, s, 4, "after a mixed batch: two violations, one update, one new violation")
	checkCounts(t, s)
}

func testUpdateAllOrNothing(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	v := newViolation("aon-update", t0, lon0, lat0)
	id := putNew(t, s, v)[0]
	feedBefore := allChanges(t, s)

	changed := v
	changed.Category, changed.Cell, changed.Point = "dumping", cellAt(lon0+0.002, lat0), orb.Point{lon0 + 0.002, lat0}
	changed.UpdatedAt = t0.Add(time.Hour)
	bad := newViolation("aon-bad", t0, lon0, lat0)
	bad.Attributes = json.RawMessage(`"not an object"`)
	for _, batch := range [][]data.Violation{
		{changed, newViolation("aon-new", t0, lon0, lat0), bad},
		{newViolation("aon-new", t0, lon0, lat0), bad, changed},
	} {
		if out, err := s.PutViolations(ctx, batch); err == nil {
			t.Fatalf("a batch with a bad record succeeded: %+v", out)
		} else {
			wantCode(t, err, data.EINVALID, "a batch with an update and a bad record")
		}
	}
	stored(t, s, id, v)
	if hs := history(t, s, id); len(hs) != 0 {
		t.Errorf("a failed batch left history %+v", hs)
	}
	if after := allChanges(t, s); !equalSeqs(after, feedBefore) {
		t.Errorf("a failed batch changed the feed: %d changes, want %d", len(after), len(feedBefore))
	}

	// The same (source, source_id) twice in a batch is refused, even as an
	// update and its newer version.
	newer := changed
	newer.UpdatedAt = changed.UpdatedAt.Add(time.Hour)
	_, err := s.PutViolations(ctx, []data.Violation{changed, newer})
	wantCode(t, err, data.EINVALID, "an update twice in one batch")
	stored(t, s, id, v)

	out := putViolations(t, s, changed, newViolation("aon-new", t0, lon0, lat0))
	wantOutcome(t, out[0], id, true, "the update without the bad record")
	stored(t, s, id, changed)
	if hs := history(t, s, id); len(hs) != 1 {
		t.Errorf("history after the retried batch: %d entries, want 1", len(hs))
	}
	checkCounts(t, s)
}

func testUpdateHistory(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	id := putNew(t, s, newViolation("history", t0, lon0, lat0))[0]
	for _, missing := range []int64{id + 1, 0, -1} {
		_, err := s.ViolationHistory(ctx, missing)
		wantCode(t, err, data.ENOTFOUND, fmt.Sprintf("ViolationHistory(%d)", missing))
	}
	hs, err := s.ViolationHistory(ctx, id)
	if err != nil || len(hs) != 0 {
		t.Fatalf("ViolationHistory of a record never updated = %+v, %v; want none, no error", hs, err)
	}

	// A hotline order's life: ordered, then corrected, each step by the
	// sending system; a record's history survives a crash.
	v := newViolation("history", t0, lon0, lat0)
	steps := []struct{ disposition, by string }{{"ordered", "hotline"}, {"corrected", "hotline"}, {"fined", strings.Repeat("k", data.MaxIDLength)}}
	prev := v
	var versions []data.Violation
	for i, st := range steps {
		w := prev
		w.Disposition, w.UpdatedBy, w.UpdatedAt = st.disposition, st.by, t0.Add(time.Duration(i+1)*24*time.Hour)
		wantOutcome(t, put(t, s, w), id, true, "step "+st.disposition)
		w.UpdatedBy = ""
		versions = append(versions, w)
		prev = w
	}
	s = h.Reopen(t, s)
	hs = history(t, s, id)
	if len(hs) != len(steps) {
		t.Fatalf("history of %d entries after a crash, want %d", len(hs), len(steps))
	}
	old := v
	for i, u := range hs {
		checkUpdate(t, u, id, old, versions[i], steps[i].by, time.Now().Add(-time.Minute), time.Now())
		old = versions[i]
	}
	stored(t, s, id, versions[len(versions)-1])
	checkCounts(t, s)

	// Who must be a short name.
	w := versions[len(versions)-1]
	w.Disposition, w.UpdatedAt, w.UpdatedBy = "warned", w.UpdatedAt.Add(time.Hour), strings.Repeat("x", data.MaxIDLength+1)
	_, err = s.PutViolations(ctx, []data.Violation{w})
	wantCode(t, err, data.EINVALID, "UpdatedBy over 128 bytes")
}

// testUpdateRace has writers update one record at once with different
// updated_at: the latest wins whatever the order they commit in, and the
// history and the feed form one chain from the first version to it.
func testUpdateRace(t *testing.T, h Harness) {
	_, s := open(t, h)
	v := newViolation("race", t0, lon0, lat0)
	id := putNew(t, s, v)[0]
	const writers = 8
	versions := make([]data.Violation, writers)
	var wg sync.WaitGroup
	for i := range writers {
		w := v
		w.Category = fmt.Sprintf("category-%d", i)
		w.Point = orb.Point{lon0 + float64(i)*3e-4, lat0}
		w.Cell = cellAt(w.Point[0], w.Point[1])
		w.UpdatedAt = t0.Add(time.Duration(i+1) * time.Hour)
		versions[i] = w
		wg.Go(func() {
			if _, err := s.PutViolations(t.Context(), []data.Violation{w}); err != nil {
				t.Errorf("writer %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	stored(t, s, id, versions[writers-1])
	hs := history(t, s, id)
	if len(hs) == 0 || len(hs) > writers {
		t.Fatalf("%d updates in the history, want 1..%d", len(hs), writers)
	}
	prev := v.Counted()
	for i, u := range hs {
		if !u.Old.Equal(prev) {
			t.Errorf("update %d starts from %+v, want where the one before left it, %+v", i+1, u.Old, prev)
		}
		if i > 0 && !u.UpdatedAt.After(hs[i-1].UpdatedAt) {
			t.Errorf("update %d has updated_at %v, not after %v", i+1, u.UpdatedAt, hs[i-1].UpdatedAt)
		}
		prev = u.New
	}
	if !prev.Equal(versions[writers-1].Counted()) {
		t.Errorf("the history ends at %+v, want the latest version %+v", prev, versions[writers-1].Counted())
	}
	checkCounts(t, s)
}

// testUpdateBigBatch writes and then updates batches big enough that some
// stores load them differently.
func testUpdateBigBatch(t *testing.T, h Harness) {
	_, s := open(t, h)
	vs := manyViolations("big-update", 1200)
	for i := range vs {
		if i%2 == 0 {
			vs[i].UpdatedAt = t0.Add(time.Duration(i) * time.Millisecond)
		}
	}
	ids := putNew(t, s, vs...)
	for _, i := range []int{0, 1, 2, 1199} {
		stored(t, s, ids[i], vs[i])
	}
	resent := slices.Clone(vs)
	for i := range resent {
		resent[i].Disposition, resent[i].Severity = "fined", "serious"
		switch i % 3 {
		case 0:
			resent[i].UpdatedAt = t0.Add(time.Hour) // later than every stored one: updated
		case 1:
			resent[i].UpdatedAt = vs[i].UpdatedAt // equal (or both zero): kept
		case 2:
			resent[i] = vs[i] // the same: no-op
		}
	}
	updated := 0
	for i, o := range putViolations(t, s, resent...) {
		wantOutcome(t, o, ids[i], i%3 == 0, fmt.Sprintf("record %d of a big re-sent batch", i+1))
		if o.Updated {
			updated++
		}
	}
	for _, i := range []int{0, 1, 2, 3, 1197, 1198} {
		want := vs[i]
		if i%3 == 0 {
			want = resent[i]
		}
		stored(t, s, ids[i], want)
	}
	wantChangeCount(t, s, len(vs)+updated, "after updating a big batch")
	checkCounts(t, s)
}
