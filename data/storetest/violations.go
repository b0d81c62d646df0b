package storetest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/data"
)

func testViolationRoundTrip(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	full := newViolation("patrol-2025-0001", t0.Add(1234*time.Millisecond), 117.2265312345678, 39.1205123456789)
	full.Category = "shop-front"
	full.Datum = "gcj02"
	full.Road, full.Segment, full.Along, full.Offset = "houtai-xilu", 3, 312.5, 4.25
	full.MerchantID = "津塘路-17号"
	full.Severity, full.Disposition = "serious", "fined"
	full.Attributes = json.RawMessage(`{"note": "门前三包", "photos": ["a.jpg", "b.jpg"], "n": 3, "nested": {"ok": true, "x": null}}`)

	minimal := newViolation("hotline:12345/0002", t0.Add(-36*time.Hour), 117.2, 39.1)
	minimal.Source = data.SourceHotline

	// Stored to at least the millisecond: the sub-millisecond part may go.
	fine := newViolation("camera-0003", time.Date(2025, 3, 3, 23, 59, 59, 123456789, time.UTC), 117.23, 39.13)
	fine.Source = data.SourceCamera
	fine.Datum = "bd09"
	fine.Severity = "minor"
	fine.Attributes = json.RawMessage(`{}`)

	first := newViolation("campaign-0004", t0, 117.21, 39.11)
	first.Source, first.Road, first.Segment = data.SourceCampaign, "jintang-lu", 0
	first.Disposition = "exempted"

	want := []data.Violation{full, minimal, fine, first}
	got := putNew(t, s, want...)

	for i, w := range want {
		v, err := s.Violation(ctx, got[i])
		if err != nil {
			t.Fatalf("Violation(%d): %v", got[i], err)
		}
		checkViolation(t, v, w, got[i])
	}
	all := allViolations(t, s)
	if len(all) != len(want) {
		t.Fatalf("Violations returned %d records, want %d", len(all), len(want))
	}
	if !slices.IsSorted(ids(all)) {
		t.Errorf("Violations ids %v are not ascending", ids(all))
	}
	for _, v := range all {
		i := slices.Index(got, v.ID)
		if i < 0 {
			t.Fatalf("Violations returned id %d, not one of %v", v.ID, got)
		}
		checkViolation(t, v, want[i], got[i])
	}
}

func testViolationEmptyBatch(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	out, err := s.PutViolations(ctx, nil)
	if err != nil || len(out) != 0 {
		t.Fatalf("PutViolations(nil) = %v, %v; want no outcomes and no error", out, err)
	}
	wantChangeCount(t, s, 0, "after an empty batch")
}

func testViolationIdempotent(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	batch := manyViolations("idem", 3)
	batch[1].Source = data.SourceHotline
	first := putNew(t, s, batch...)
	wantChangeCount(t, s, 3, "after the first batch")

	// Re-sent as is: the same ids, nothing created, nothing fed.
	for i, o := range putViolations(t, s, batch...) {
		if o.ID != first[i] || o.Created {
			t.Errorf("re-sent record %d: outcome %+v, want {ID:%d Created:false}", i+1, o, first[i])
		}
	}
	wantChangeCount(t, s, 3, "after re-sending the batch")

	// Re-sent with other content: the earlier write stands.
	changed := slices.Clone(batch)
	changed[0].Category = "dumping"
	changed[0].Severity = "serious"
	// The same source id under another source is another record.
	other := batch[1]
	other.Source = data.SourceCitizen
	fresh := newViolation("idem-new", t0, lon0, lat0)
	out := putViolations(t, s, changed[0], other, batch[2], fresh)
	if out[0].ID != first[0] || out[0].Created {
		t.Errorf("re-sent changed record: outcome %+v, want {ID:%d Created:false}", out[0], first[0])
	}
	if !out[1].Created || slices.Contains(first, out[1].ID) {
		t.Errorf("same source_id under another source: outcome %+v, want a new record", out[1])
	}
	if out[2].ID != first[2] || out[2].Created {
		t.Errorf("re-sent record 3: outcome %+v, want {ID:%d Created:false}", out[2], first[2])
	}
	if !out[3].Created || slices.Contains(first, out[3].ID) || out[3].ID == out[1].ID {
		t.Errorf("new record in a mixed batch: outcome %+v, want a new id", out[3])
	}
	v, err := s.Violation(ctx, first[0])
	if err != nil {
		t.Fatal(err)
	}
	checkViolation(t, v, batch[0], first[0])
	wantChangeCount(t, s, 5, "after a mixed batch with two new records")
	if got := len(allViolations(t, s)); got != 5 {
		t.Errorf("%d violations stored, want 5", got)
	}
}

func testViolationAllOrNothing(t *testing.T, h Harness) {
	cases := []struct {
		name string
		bad  func(batch []data.Violation) data.Violation // the 4th record of a batch of 5
	}{
		{"duplicate in batch", func(b []data.Violation) data.Violation {
			v := newViolation(b[1].SourceID, t0.Add(time.Hour), lon0, lat0) // same (source, source_id) as record 2
			return v
		}},
		{"source_id too long", func([]data.Violation) data.Violation {
			return newViolation(strings.Repeat("x", data.MaxIDLength+1), t0, lon0, lat0)
		}},
		{"not placed", func([]data.Violation) data.Violation {
			v := newViolation("unplaced", t0, lon0, lat0)
			v.Cell = 0
			return v
		}},
		{"unknown source", func([]data.Violation) data.Violation {
			v := newViolation("bad-source", t0, lon0, lat0)
			v.Source = "fax"
			return v
		}},
		{"attributes not an object", func([]data.Violation) data.Violation {
			v := newViolation("bad-attrs", t0, lon0, lat0)
			v.Attributes = json.RawMessage(`[1, 2]`)
			return v
		}},
		{"attributes too large", func([]data.Violation) data.Violation {
			v := newViolation("big-attrs", t0, lon0, lat0)
			v.Attributes = json.RawMessage(`{"x": "` + strings.Repeat("y", data.MaxAttrsLength) + `"}`)
			return v
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, s := open(t, h)
			stored := newViolation("stored-before", t0, lon0, lat0)
			storedID := putNew(t, s, stored)[0]

			batch := manyViolations("aon", 5)
			batch[0] = stored // already stored: must not be touched either
			batch[3] = c.bad(batch)
			out, err := s.PutViolations(ctx, batch)
			if err == nil {
				t.Fatalf("PutViolations with a bad 4th record succeeded: %+v", out)
			}
			wantCode(t, err, data.EINVALID, "bad 4th record")
			if !isProblemAt(err, 4) {
				t.Errorf("error %v does not name record 4 among its Problems", err)
			}
			all := allViolations(t, s)
			if len(all) != 1 || all[0].ID != storedID {
				t.Errorf("after a failed batch the store holds ids %v, want only %d", ids(all), storedID)
			}
			wantChangeCount(t, s, 1, "after a failed batch")

			// Without the bad record the batch goes through.
			good := slices.Delete(slices.Clone(batch), 3, 4)
			out = putViolations(t, s, good...)
			if out[0].ID != storedID || out[0].Created {
				t.Errorf("stored record in the retried batch: outcome %+v, want {ID:%d Created:false}", out[0], storedID)
			}
			for i, o := range out[1:] {
				if !o.Created {
					t.Errorf("record %d of the retried batch: outcome %+v, want Created (the failed batch must have left nothing)", i+2, o)
				}
			}
			wantChangeCount(t, s, 4, "after the retried batch")
		})
	}
}

func testViolationNotFound(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	id := putNew(t, s, newViolation("only", t0, lon0, lat0))[0]
	for _, missing := range []int64{id + 1, id + 1000, 0, -1} {
		_, err := s.Violation(ctx, missing)
		wantCode(t, err, data.ENOTFOUND, fmt.Sprintf("Violation(%d)", missing))
	}
}

func testViolationFilter(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	type rec struct {
		name     string
		source   data.Source
		category string
		at       time.Duration // after t0
		lon, lat float64
		road     string
	}
	recs := []rec{
		{"a", data.SourcePatrol, "street-vending", 0, 117.2200, 39.1200, "jintang-lu"},
		{"b", data.SourceHotline, "street-vending", time.Hour, 117.2210, 39.1210, "jintang-lu"},
		{"c", data.SourceCamera, "shop-front", 2 * time.Hour, 117.2300, 39.1300, "houtai-xilu"},
		{"d", data.SourceCampaign, "dumping", 3 * time.Hour, 117.2400, 39.1400, ""},
		{"e", data.SourceCitizen, "shop-front", 4 * time.Hour, 117.2205, 39.1205, "houtai-xilu"},
		{"f", data.SourcePatrol, "dumping", 5 * time.Hour, 117.2500, 39.1500, ""},
	}
	id := map[string]int64{}
	var prev int64
	for _, r := range recs {
		v := newViolation(r.name, t0.Add(r.at), r.lon, r.lat)
		v.Source, v.Category, v.Road = r.source, r.category, r.road
		if r.road != "" {
			v.Segment = 1
		}
		if r.name == "c" || r.name == "f" {
			v.MerchantID = "m-" + map[string]string{"c": "1", "f": "2"}[r.name]
		}
		id[r.name] = putNew(t, s, v)[0]
		if id[r.name] <= prev {
			t.Fatalf("id %d of a later write is not above %d: the cursor cannot work", id[r.name], prev)
		}
		prev = id[r.name]
	}
	small := &orb.Bound{Min: orb.Point{117.2195, 39.1195}, Max: orb.Point{117.2215, 39.1215}}
	cases := []struct {
		name string
		f    data.ViolationFilter
		want string // names in id order
	}{
		{"none", data.ViolationFilter{}, "abcdef"},
		{"from (inclusive)", data.ViolationFilter{From: t0.Add(time.Hour)}, "bcdef"},
		{"to (exclusive)", data.ViolationFilter{To: t0.Add(2 * time.Hour)}, "ab"},
		{"from and to", data.ViolationFilter{From: t0.Add(time.Hour), To: t0.Add(4 * time.Hour)}, "bcd"},
		{"from and to in UTC", data.ViolationFilter{From: t0.Add(time.Hour).UTC(), To: t0.Add(time.Hour + time.Millisecond).UTC()}, "b"},
		{"bbox", data.ViolationFilter{Bound: small}, "abe"},
		{"one category", data.ViolationFilter{Categories: []string{"shop-front"}}, "ce"},
		{"two categories", data.ViolationFilter{Categories: []string{"shop-front", "dumping"}}, "cdef"},
		{"sources", data.ViolationFilter{Sources: []data.Source{data.SourceHotline, data.SourceCitizen}}, "be"},
		{"road", data.ViolationFilter{Road: "houtai-xilu"}, "ce"},
		{"road and source", data.ViolationFilter{Road: "jintang-lu", Sources: []data.Source{data.SourcePatrol}}, "a"},
		{"merchant", data.ViolationFilter{Merchant: "m-2"}, "f"},
		{"with a merchant", data.ViolationFilter{Merchants: true}, "cf"},
		{"merchant and category", data.ViolationFilter{Merchant: "m-1", Categories: []string{"dumping"}}, ""},
		{"categories, bbox and from", data.ViolationFilter{Categories: []string{"street-vending", "shop-front"}, Bound: small, From: t0.Add(time.Hour)}, "be"},
		{"no match", data.ViolationFilter{Categories: []string{"no-such-category"}}, ""},
		{"empty time range", data.ViolationFilter{From: t0.Add(time.Hour), To: t0.Add(time.Hour)}, ""},
		{"limit", data.ViolationFilter{Limit: 2}, "ab"},
		{"after", data.ViolationFilter{After: id["c"]}, "def"},
		{"after, limit and category", data.ViolationFilter{After: id["b"], Limit: 1, Categories: []string{"shop-front"}}, "c"},
		{"after the last", data.ViolationFilter{After: id["f"]}, ""},
		{"offset", data.ViolationFilter{Offset: 4}, "ef"},
		{"offset and limit", data.ViolationFilter{Offset: 1, Limit: 2}, "bc"},
		{"offset, category and after", data.ViolationFilter{After: id["a"], Offset: 1, Categories: []string{"street-vending", "shop-front"}}, "ce"},
		{"offset past the end", data.ViolationFilter{Offset: 6}, ""},
		{"newest first", data.ViolationFilter{Newest: true}, "fedcba"},
		{"newest first, limit and category", data.ViolationFilter{Newest: true, Limit: 1, Categories: []string{"shop-front"}}, "e"},
		{"newest first below a cursor", data.ViolationFilter{Newest: true, After: id["d"], Offset: 1}, "ba"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vs, err := s.Violations(ctx, c.f)
			if err != nil {
				t.Fatalf("Violations(%+v): %v", c.f, err)
			}
			var got []string
			for _, v := range vs {
				got = append(got, v.SourceID)
			}
			want := strings.Split(c.want, "")
			if strings.Join(got, "") != c.want {
				t.Errorf("Violations(%s) = %v, want %v (in id order, or descending with Newest)", c.name, got, want)
			}
			// CountViolations counts every match, paging aside.
			whole := c.f
			whole.After, whole.Offset, whole.Limit = 0, 0, data.MaxPage
			all, err := s.Violations(ctx, whole)
			if err != nil {
				t.Fatal(err)
			}
			if n, err := s.CountViolations(ctx, c.f); err != nil || n != len(all) {
				t.Errorf("CountViolations(%s) = %d, %v; want %d", c.name, n, err, len(all))
			}
		})
	}
}

func testViolationPaging(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	all := putNew(t, s, manyViolations("page", 25)...)
	const limit = 7
	seen := map[int64]int{}
	var after int64
	for page := 0; ; page++ {
		if page > 20 {
			t.Fatal("paging does not end")
		}
		vs, err := s.Violations(ctx, data.ViolationFilter{After: after, Limit: limit})
		if err != nil {
			t.Fatalf("Violations(After=%d): %v", after, err)
		}
		if len(vs) > limit {
			t.Fatalf("page of %d records, want at most %d", len(vs), limit)
		}
		if len(vs) == 0 {
			break
		}
		for _, v := range vs {
			if v.ID <= after {
				t.Fatalf("page after %d holds id %d", after, v.ID)
			}
			after = v.ID
			seen[v.ID]++
		}
		// Rows written between pages must not disturb the cursor.
		if page < 3 {
			all = append(all, putNew(t, s, manyViolations(fmt.Sprintf("page-new-%d", page), 2)...)...)
		}
	}
	if len(seen) != len(all) {
		t.Errorf("pages covered %d records, want %d", len(seen), len(all))
	}
	for _, id := range all {
		if seen[id] != 1 {
			t.Errorf("id %d appeared on %d pages, want 1", id, seen[id])
		}
	}
}

func testViolationLimit(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	// MaxPage+1 records in big batches, which some stores load differently.
	vs := manyViolations("limit", data.MaxPage+1)
	batches := [][]data.Violation{vs[:2500], vs[2500:5000], vs[5000:7500], vs[7500:]}
	var stored []int64
	for _, b := range batches {
		stored = append(stored, putNew(t, s, b...)...)
	}
	cases := []struct {
		limit, want int
	}{
		{0, 100},
		{-5, 100},
		{1, 1},
		{data.MaxPage, data.MaxPage},
		{data.MaxPage + 1, data.MaxPage},
		{1 << 30, data.MaxPage},
	}
	for _, c := range cases {
		got, err := s.Violations(ctx, data.ViolationFilter{Limit: c.limit})
		if err != nil {
			t.Fatalf("Violations(Limit=%d): %v", c.limit, err)
		}
		if len(got) != c.want {
			t.Errorf("Violations(Limit=%d) returned %d records, want %d", c.limit, len(got), c.want)
		}
	}
	if got := len(allViolations(t, s)); got != len(vs) {
		t.Errorf("%d violations stored, want %d", got, len(vs))
	}
	// A big batch re-sent: nothing new.
	for i, o := range putViolations(t, s, batches[1]...) {
		if want := stored[2500+i]; o.ID != want || o.Created {
			t.Fatalf("re-sent big batch, record %d: outcome %+v, want {ID:%d Created:false}", i+1, o, want)
		}
	}
	wantChangeCount(t, s, len(vs), "after re-sending a big batch")
}
