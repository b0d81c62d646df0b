package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data"
)

func testPing(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

func testClose(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Ping(ctx); err == nil {
		t.Error("Ping after Close succeeded, want an error")
	}
}

// testCrashSafety writes one of everything, abandons the store without
// closing it, and checks that the reopened store has all of it and carries
// on where it left off.
func testCrashSafety(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	small := manyViolations("crash", 3)
	big := manyViolations("crash-big", 1200)
	smallIDs := putNew(t, s, small...)
	bigIDs := putNew(t, s, big...)
	tr := newTrack("officer-9", "crash", t0, t0.Add(2*time.Hour), 50)
	trackID := putTrack(t, s, tr)
	road := newRoad("dazhigu-zhonglu", "大直沽中路", 3, 39.1230)
	if err := s.PutRoad(ctx, road, data.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	cats := []data.Category{{Code: "dumping", NameZh: "乱泼乱倒", NameEn: "Dumping", Aliases: []string{"乱倒"}}}
	if err := s.PutCategories(ctx, cats); err != nil {
		t.Fatal(err)
	}
	_, hash := data.NewToken()
	key, err := s.CreateKey(ctx, data.Key{Name: "ingest", Role: data.RoleIngest, Hash: hash, CreatedAt: t0}, data.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	_, hash2 := data.NewToken()
	revoked, err := s.CreateKey(ctx, data.Key{Name: "old", Role: data.RoleViewer, Hash: hash2, CreatedAt: t0}, data.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeKey(ctx, revoked.ID, data.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	before := allChanges(t, s)

	s = h.Reopen(t, s)
	if s == nil {
		t.Fatal("Harness.Reopen returned nil")
	}

	all := allViolations(t, s)
	wantIDs := append(slices.Clone(smallIDs), bigIDs...)
	slices.Sort(wantIDs)
	if !slices.Equal(ids(all), wantIDs) {
		t.Fatalf("after a crash the store holds %d violations, want %d", len(all), len(wantIDs))
	}
	for i, v := range small {
		got, err := s.Violation(ctx, smallIDs[i])
		if err != nil {
			t.Fatal(err)
		}
		checkViolation(t, got, v, smallIDs[i])
	}
	gotTrack, err := s.Track(ctx, trackID)
	if err != nil {
		t.Fatalf("Track(%d) after a crash: %v", trackID, err)
	}
	checkTrack(t, gotTrack, tr, trackID, true)
	gotRoad, err := s.Road(ctx, road.ID)
	if err != nil {
		t.Fatalf("Road after a crash: %v", err)
	}
	checkRoad(t, gotRoad, road)
	if cs, err := s.Categories(ctx); err != nil || len(cs) != 1 || cs[0].Code != "dumping" {
		t.Errorf("Categories after a crash = %+v, %v", cs, err)
	}
	if k, err := s.KeyByHash(ctx, hash); err != nil || k.ID != key.ID {
		t.Errorf("KeyByHash after a crash = %+v, %v; want key %d", k, err, key.ID)
	}
	_, err = s.KeyByHash(ctx, hash2)
	wantCode(t, err, data.ENOTFOUND, "KeyByHash of a key revoked before the crash")
	after := allChanges(t, s)
	if !equalSeqs(after, before) {
		t.Errorf("the change feed after a crash has %d changes, before it %d (or their seqs differ)", len(after), len(before))
	}

	// Idempotency and ordering carry on across the crash.
	for i, o := range putViolations(t, s, small...) {
		if o.ID != smallIDs[i] || o.Created {
			t.Errorf("re-sent after a crash: outcome %+v, want {ID:%d Created:false}", o, smallIDs[i])
		}
	}
	id := putNew(t, s, newViolation("after-crash", t0, lon0, lat0))[0]
	if id <= wantIDs[len(wantIDs)-1] {
		t.Errorf("first id after the crash %d is not above the last before %d", id, wantIDs[len(wantIDs)-1])
	}
	feed := allChanges(t, s)
	if len(feed) != len(before)+1 || feed[len(feed)-1].Ref != id {
		t.Errorf("after one more write the feed has %d changes, want %d ending with violation %d", len(feed), len(before)+1, id)
	}
}

// testCancelled calls every method with a cancelled context: each must fail,
// and nothing may be written.
func testCancelled(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	_, hash := data.NewToken()
	key, err := s.CreateKey(ctx, data.Key{Name: "kept", Role: data.RoleAdmin, Hash: hash, CreatedAt: t0}, data.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, hash2 := data.NewToken()
	calls := []struct {
		name string
		call func(context.Context) error
	}{
		{"PutViolations", func(ctx context.Context) error {
			_, err := s.PutViolations(ctx, manyViolations("cancelled", 3))
			return err
		}},
		{"PutTrack", func(ctx context.Context) error {
			_, err := s.PutTrack(ctx, newTrack("o", "cancelled", t0, t0.Add(time.Hour), 3))
			return err
		}},
		{"PutRoad", func(ctx context.Context) error {
			return s.PutRoad(ctx, newRoad("cancelled", "路", 2, 39.12), data.AuditEntry{})
		}},
		{"PutCategories", func(ctx context.Context) error {
			return s.PutCategories(ctx, []data.Category{{Code: "cancelled", NameZh: "取消", NameEn: "Cancelled"}})
		}},
		{"CreateKey", func(ctx context.Context) error {
			_, err := s.CreateKey(ctx, data.Key{Name: "cancelled", Role: data.RoleViewer, Hash: hash2}, data.AuditEntry{})
			return err
		}},
		{"RevokeKey", func(ctx context.Context) error { return s.RevokeKey(ctx, key.ID, data.AuditEntry{}) }},
		{"Violation", func(ctx context.Context) error { _, err := s.Violation(ctx, 1); return err }},
		{"Violations", func(ctx context.Context) error { _, err := s.Violations(ctx, data.ViolationFilter{}); return err }},
		{"ViolationHistory", func(ctx context.Context) error { _, err := s.ViolationHistory(ctx, 1); return err }},
		{"Track", func(ctx context.Context) error { _, err := s.Track(ctx, 1); return err }},
		{"Tracks", func(ctx context.Context) error { _, err := s.Tracks(ctx, data.TrackFilter{}); return err }},
		{"Road", func(ctx context.Context) error { _, err := s.Road(ctx, "x"); return err }},
		{"Roads", func(ctx context.Context) error { _, err := s.Roads(ctx); return err }},
		{"Categories", func(ctx context.Context) error { _, err := s.Categories(ctx); return err }},
		{"KeyByHash", func(ctx context.Context) error { _, err := s.KeyByHash(ctx, hash); return err }},
		{"Keys", func(ctx context.Context) error { _, err := s.Keys(ctx); return err }},
		{"Changes", func(ctx context.Context) error { _, err := s.Changes(ctx, 0, 10); return err }},
		{"Ping", func(ctx context.Context) error { return s.Ping(ctx) }},
	}
	for _, c := range calls {
		if err := c.call(cancelled); err == nil {
			t.Errorf("%s with a cancelled context succeeded, want an error", c.name)
		}
	}

	if vs := allViolations(t, s); len(vs) != 0 {
		t.Errorf("%d violations stored with a cancelled context", len(vs))
	}
	if ts, err := s.Tracks(ctx, data.TrackFilter{}); err != nil || len(ts) != 0 {
		t.Errorf("Tracks = %d tracks, %v; want none", len(ts), err)
	}
	if rs, err := s.Roads(ctx); err != nil || len(rs) != 0 {
		t.Errorf("Roads = %d roads, %v; want none", len(rs), err)
	}
	if cs, err := s.Categories(ctx); err != nil || len(cs) != 0 {
		t.Errorf("Categories = %+v, %v; want none", cs, err)
	}
	if ks, err := s.Keys(ctx); err != nil || len(ks) != 1 || !ks[0].RevokedAt.IsZero() {
		t.Errorf("Keys = %+v, %v; want the one key, not revoked", ks, err)
	}
	wantChangeCount(t, s, 0, "after cancelled writes")
}

// testCancelledMidway cancels a big batch while it is being written: it is
// stored whole or not at all.
func testCancelledMidway(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	for i, delay := range []time.Duration{0, time.Millisecond, 5 * time.Millisecond, 20 * time.Millisecond} {
		vs := manyViolations("midway-"+string(rune('a'+i)), 3000)
		cctx, cancel := context.WithCancel(ctx)
		timer := time.AfterFunc(delay, cancel)
		_, err := s.PutViolations(cctx, vs)
		timer.Stop()
		cancel()
		mine := make(map[string]bool, len(vs))
		for _, v := range vs {
			mine[v.SourceID] = true
		}
		n := 0
		stored := allViolations(t, s)
		for _, v := range stored {
			if mine[v.SourceID] {
				n++
			}
		}
		switch {
		case err != nil && n != 0:
			t.Errorf("cancelled after %v: PutViolations failed (%v) but stored %d of %d records", delay, err, n, len(vs))
		case err == nil && n != len(vs):
			t.Errorf("cancelled after %v: PutViolations succeeded but stored %d of %d records", delay, n, len(vs))
		}
		wantChangeCount(t, s, len(stored), "after a cancelled batch")
	}
}
