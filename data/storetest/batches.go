package storetest

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data"
)

// tracksOf counts the stored tracks whose source ids start with prefix.
func tracksOf(t *testing.T, s data.Store, prefix string) int {
	t.Helper()
	ts, err := s.Tracks(context.Background(), data.TrackFilter{Limit: data.MaxPage})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, tr := range ts {
		if len(tr.SourceID) >= len(prefix) && tr.SourceID[:len(prefix)] == prefix {
			n++
		}
	}
	return n
}

// testTrackBatch stores a batch with a re-sent track in it: one outcome per
// track, in order; the re-sent one found, not written again.
func testTrackBatch(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	first := putTrack(t, s, newTrack("o-1", "batch-a", t0, t0.Add(time.Hour), 5))
	batch := []data.Track{
		newTrack("o-1", "batch-b", t0.Add(2*time.Hour), t0.Add(3*time.Hour), 4),
		newTrack("o-1", "batch-a", t0, t0.Add(time.Hour), 5),
		newTrack("o-2", "batch-c", t0, t0.Add(30*time.Minute), 3),
	}
	out, err := s.PutTracks(ctx, batch)
	if err != nil || len(out) != 3 {
		t.Fatalf("PutTracks = %v, %v", out, err)
	}
	if !out[0].Created || out[1].Created || out[1].ID != first || !out[2].Created {
		t.Errorf("outcomes %+v; want created, the stored id %d found, created", out, first)
	}
	for i, o := range out {
		got, err := s.Track(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		checkTrack(t, got, batch[i], o.ID, true)
	}
	if n := tracksOf(t, s, "batch-"); n != 3 {
		t.Errorf("%d tracks stored, want 3", n)
	}
}

// testTrackBatchAllOrNothing: one invalid track refuses the whole batch,
// naming its record, and nothing of it is stored.
func testTrackBatchAllOrNothing(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	bad := newTrack("o-1", "aon-c", t0, t0.Add(time.Hour), 3)
	bad.Fixes[2].Time = bad.Fixes[0].Time.Add(-time.Minute) // out of order
	_, err := s.PutTracks(ctx, []data.Track{
		newTrack("o-1", "aon-a", t0, t0.Add(time.Hour), 4), newTrack("o-1", "aon-b", t0, t0.Add(time.Hour), 4), bad})
	var de *data.Error
	if data.ErrorCode(err) != data.EINVALID || !asDataError(err, &de) || len(de.Problems) == 0 || de.Problems[0].Record != 3 {
		t.Fatalf("PutTracks with an invalid third track = %v; want EINVALID naming record 3", err)
	}
	if n := tracksOf(t, s, "aon-"); n != 0 {
		t.Errorf("%d tracks of the refused batch stored, want none", n)
	}
	wantChangeCount(t, s, 0, "after a refused track batch")
}

// testTrackBatchCancelled cancels a big batch of tracks while it is being
// written: it is stored whole or not at all.
func testTrackBatchCancelled(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	for i, delay := range []time.Duration{0, time.Millisecond, 5 * time.Millisecond, 20 * time.Millisecond} {
		prefix := fmt.Sprintf("cancel-%d-", i)
		var batch []data.Track
		for j := range 200 {
			start := t0.Add(time.Duration(j) * time.Hour)
			batch = append(batch, newTrack("o-9", fmt.Sprintf("%s%03d", prefix, j), start, start.Add(3*time.Hour), 200))
		}
		cctx, cancel := context.WithCancel(ctx)
		timer := time.AfterFunc(delay, cancel)
		_, err := s.PutTracks(cctx, batch)
		timer.Stop()
		cancel()
		switch n := tracksOf(t, s, prefix); {
		case err != nil && n != 0:
			t.Errorf("cancelled after %v: PutTracks failed (%v) but stored %d of %d tracks", delay, err, n, len(batch))
		case err == nil && n != len(batch):
			t.Errorf("cancelled after %v: PutTracks succeeded but stored %d of %d tracks", delay, n, len(batch))
		}
	}
}

func asDataError(err error, target **data.Error) bool {
	de, ok := err.(*data.Error)
	*target = de
	return ok
}

// testAudit: each admin action records its entry in its own transaction,
// so an action that fails records none, and the log reads back in order, by
// page.
func testAudit(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	by := func(action, detail string) data.AuditEntry {
		return data.AuditEntry{Actor: "admin-key", Action: action, Detail: detail}
	}
	k, err := s.CreateKey(ctx, data.Key{Name: "测试", Role: data.RoleViewer, Hash: bytes.Repeat([]byte{7}, 32)}, by("key.create", "role viewer, name 测试"))
	if err != nil {
		t.Fatal(err)
	}
	road := newRoad("audited", "审计路", 2, 39.12)
	if err := s.PutRoad(ctx, road, data.AuditEntry{Actor: "admin-key", Action: "road.put", Target: road.ID}); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeKey(ctx, k.ID, data.AuditEntry{Actor: "admin-key", Action: "key.revoke", Target: fmt.Sprint(k.ID)}); err != nil {
		t.Fatal(err)
	}
	// Failed actions: nothing done, nothing recorded.
	wantCode(t, s.RevokeKey(ctx, k.ID+1000, by("key.revoke", "missing")), data.ENOTFOUND, "RevokeKey of a missing key")
	bad := newRoad("", "无名", 2, 39.12)
	wantCode(t, s.PutRoad(ctx, bad, by("road.put", "invalid")), data.EINVALID, "PutRoad of a road without id")
	if _, err := s.CreateKey(ctx, data.Key{Name: "again", Role: data.RoleViewer, Hash: bytes.Repeat([]byte{7}, 32)}, by("key.create", "same hash")); err == nil {
		t.Fatal("CreateKey with a stored hash succeeded")
	}
	// Unaudited actions (seeds) record nothing.
	if err := s.PutRoad(ctx, newRoad("seeded", "种子路", 2, 39.13), data.AuditEntry{}); err != nil {
		t.Fatal(err)
	}

	all, err := s.Audit(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i, e := range all {
		got = append(got, e.Action+" "+e.Target)
		if e.Seq <= 0 || e.At.IsZero() || time.Since(e.At) > time.Minute || (i > 0 && e.Seq <= all[i-1].Seq) || e.Actor != "admin-key" {
			t.Errorf("entry %+v: want an increasing Seq, the time now and the actor", e)
		}
	}
	want := []string{"key.create " + fmt.Sprint(k.ID), "road.put audited", "key.revoke " + fmt.Sprint(k.ID)}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("audit log %q, want %q: the done actions only, in order", got, want)
	}
	if all[0].Detail != "role viewer, name 测试" {
		t.Errorf("detail %q", all[0].Detail)
	}
	page, err := s.Audit(ctx, all[0].Seq, 1)
	if err != nil || len(page) != 1 || page[0].Seq != all[1].Seq {
		t.Errorf("Audit(after the first, 1) = %+v, %v", page, err)
	}
}

// testRefusedAlike: every store refuses the same records with the same
// problems, since each checks a batch with data.CheckBatch and
// data.CheckTracks.
func testRefusedAlike(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	coarse := newViolation("coarse", t0, lon0, lat0)
	coarse.Cell = cellAt(lon0, lat0).Parent(11) // res 11: not placed
	badSeg := newViolation("bad-seg", t0, lon0, lat0)
	badSeg.Segment = -5
	twice := newViolation("twice", t0, lon0, lat0)
	for _, c := range []struct {
		name  string
		batch []data.Violation
		field string
	}{
		{"a res-11 cell", []data.Violation{coarse}, "h3"},
		{"a segment below -1", []data.Violation{badSeg}, "segment"},
		{"a source id twice", []data.Violation{twice, twice}, "source_id"},
	} {
		_, err := s.PutViolations(ctx, c.batch)
		var de *data.Error
		if data.ErrorCode(err) != data.EINVALID || !asDataError(err, &de) || len(de.Problems) == 0 || de.Problems[len(de.Problems)-1].Field != c.field {
			t.Errorf("%s: PutViolations = %v; want EINVALID naming %s", c.name, err, c.field)
		}
	}
	dwell := newTrack("o-1", "coarse-dwell", t0, t0.Add(time.Hour), 3)
	dwell.Dwell[0].Cell = dwell.Dwell[0].Cell.Parent(11)
	repeat := newTrack("o-1", "repeat-dwell", t0, t0.Add(2*time.Hour), 3)
	repeat.Dwell = append(repeat.Dwell, repeat.Dwell[0])
	for _, tr := range []data.Track{dwell, repeat} {
		if _, err := s.PutTracks(ctx, []data.Track{tr}); data.ErrorCode(err) != data.EINVALID {
			t.Errorf("track %s: PutTracks = %v; want EINVALID", tr.SourceID, err)
		}
	}
	wantChangeCount(t, s, 0, "after refused batches")
}
