package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
)

// newRoad returns a road of n segments along a straight east-west line.
func newRoad(id, name string, n int, lat float64) data.Road {
	r := data.Road{
		ID: id, Name: name, Pinyin: "Houtai Xilu",
		BufferMeters: 12.5, Key: true, Approximate: true,
		Attribution: "© OpenStreetMap contributors, ODbL",
	}
	for i := 0; i <= n; i++ {
		r.Geometry = append(r.Geometry, orb.Point{117.2200 + float64(i)*0.0011583, lat + float64(i)*1e-7})
	}
	for i := range n {
		a, b := r.Geometry[i], r.Geometry[i+1]
		mid := orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}
		c12 := []h3.Cell{cellAt(a[0], a[1]), cellAt(mid[0], mid[1]), cellAt(b[0], b[1])}
		c11 := []h3.Cell{h3.LatLngToCell(h3.NewLatLng(a[1], a[0]), 11), h3.LatLngToCell(h3.NewLatLng(b[1], b[0]), 11)}
		r.Segments = append(r.Segments, data.Segment{
			Index: i, Line: orb.LineString{a, mid, b},
			FromMeters: float64(i) * 100, ToMeters: float64(i+1) * 100,
			Cells11: c11, Cells12: c12,
		})
	}
	return r
}

func checkRoad(tb testing.TB, got, want data.Road) {
	tb.Helper()
	if got.ID != want.ID || got.Name != want.Name || got.Pinyin != want.Pinyin || got.Attribution != want.Attribution {
		tb.Errorf("road %s: ID, Name, Pinyin, Attribution = %q %q %q %q, want %q %q %q %q", want.ID,
			got.ID, got.Name, got.Pinyin, got.Attribution, want.ID, want.Name, want.Pinyin, want.Attribution)
	}
	if got.BufferMeters != want.BufferMeters || got.Key != want.Key || got.Approximate != want.Approximate {
		tb.Errorf("road %s: BufferMeters, Key, Approximate = %v %v %v, want %v %v %v", want.ID,
			got.BufferMeters, got.Key, got.Approximate, want.BufferMeters, want.Key, want.Approximate)
	}
	if !equalLine(got.Geometry, want.Geometry) {
		tb.Errorf("road %s: Geometry=%v, want %v", want.ID, got.Geometry, want.Geometry)
	}
	if len(got.Pilots) != len(want.Pilots) {
		tb.Errorf("road %s: %d pilots, want %d", want.ID, len(got.Pilots), len(want.Pilots))
	} else {
		for i, p := range want.Pilots {
			g := got.Pilots[i]
			if g.Kind != p.Kind || g.Note != p.Note || !g.Start.Equal(p.Start) || !g.End.Equal(p.End) {
				tb.Errorf("road %s: pilot %d = %+v, want %+v", want.ID, i, g, p)
			}
		}
	}
	if len(got.Segments) != len(want.Segments) {
		tb.Fatalf("road %s: %d segments, want %d", want.ID, len(got.Segments), len(want.Segments))
	}
	for i, w := range want.Segments {
		g := got.Segments[i]
		if g.Index != w.Index || g.FromMeters != w.FromMeters || g.ToMeters != w.ToMeters || !equalLine(g.Line, w.Line) ||
			!slices.Equal(g.Cells11, w.Cells11) || !slices.Equal(g.Cells12, w.Cells12) {
			tb.Errorf("road %s: segment %d = %+v, want %+v", want.ID, i, g, w)
		}
	}
}

func equalLine(a, b orb.LineString) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !near(a[i][0], b[i][0], 1e-9) || !near(a[i][1], b[i][1], 1e-9) {
			return false
		}
	}
	return true
}

func testRoadRoundTrip(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	r := newRoad("houtai-xilu", "后台西路", 4, 39.1205)
	r.Pilots = []data.Pilot{
		{Kind: "line-marking", Start: time.Date(2024, 5, 1, 0, 0, 0, 0, cst), Note: "划线治理 pilot"},
		{Kind: "campaign", Start: time.Date(2024, 1, 10, 0, 0, 0, 0, cst), End: time.Date(2024, 2, 10, 0, 0, 0, 0, cst)},
	}
	bare := newRoad("zhigu-jie", "直沽街", 1, 39.125)
	bare.Segments = nil // not segmented yet
	bare.Pinyin, bare.Key, bare.Approximate, bare.Attribution = "", false, false, ""
	for _, want := range []data.Road{r, bare} {
		if err := s.PutRoad(ctx, want, data.AuditEntry{}); err != nil {
			t.Fatalf("PutRoad(%s): %v", want.ID, err)
		}
		got, err := s.Road(ctx, want.ID)
		if err != nil {
			t.Fatalf("Road(%s): %v", want.ID, err)
		}
		checkRoad(t, got, want)
	}
	// An invalid road is refused.
	bad := newRoad("Bad Id", "x", 1, 39.12)
	wantCode(t, s.PutRoad(ctx, bad, data.AuditEntry{}), data.EINVALID, "PutRoad with an invalid id")
	rs, err := s.Roads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 {
		t.Fatalf("Roads returned %d roads, want 2", len(rs))
	}
	checkRoad(t, rs[0], r)
	checkRoad(t, rs[1], bare)
}

func testRoadReplace(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	old := newRoad("jintang-lu", "津塘路", 3, 39.1200)
	old.Pilots = []data.Pilot{{Kind: "line-marking", Start: t0}}
	if err := s.PutRoad(ctx, old, data.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	other := newRoad("liuwei-lu", "六纬路", 2, 39.1300)
	if err := s.PutRoad(ctx, other, data.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	// Re-surveyed: fewer, different segments; the old ones must go.
	nu := newRoad("jintang-lu", "津塘路 (surveyed)", 2, 39.1210)
	nu.Approximate, nu.BufferMeters = false, 20
	if err := s.PutRoad(ctx, nu, data.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Road(ctx, "jintang-lu")
	if err != nil {
		t.Fatal(err)
	}
	checkRoad(t, got, nu)
	rs, err := s.Roads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 {
		t.Fatalf("Roads returned %d roads after a replace, want 2", len(rs))
	}
	checkRoad(t, rs[0], nu)
	checkRoad(t, rs[1], other)
}

func testRoadOrder(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	// Byte order: '-' < '1' < 'b'. A locale collation that ignores
	// punctuation would put a-z last.
	for _, id := range []string{"ab", "a-z", "b", "a1"} {
		if err := s.PutRoad(ctx, newRoad(id, "路 "+id, 1, 39.12), data.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
	}
	rs, err := s.Roads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rs {
		got = append(got, r.ID)
		if len(r.Segments) != 1 || r.Segments[0].Index != 0 {
			t.Errorf("road %s has segments %+v, want its one segment", r.ID, r.Segments)
		}
	}
	if want := []string{"a-z", "a1", "ab", "b"}; !slices.Equal(got, want) {
		t.Errorf("Roads ids = %v, want %v", got, want)
	}
}

func testRoadNotFound(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	if err := s.PutRoad(ctx, newRoad("houtai-xilu", "后台西路", 1, 39.12), data.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	_, err := s.Road(ctx, "houtai-xilu-2")
	wantCode(t, err, data.ENOTFOUND, "Road(houtai-xilu-2)")
}

func testCategories(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	vending := data.Category{Code: "street-vending", NameZh: "占道经营", NameEn: "Street vending",
		Aliases: []string{"无照经营游商", "流动摊贩"}, National: "街面秩序/占道经营", ShopFront: true}
	dumping := data.Category{Code: "dumping", NameZh: "乱泼乱倒", NameEn: "Dumping"}
	shop := data.Category{Code: "shop-front", NameZh: "店外经营", NameEn: "Business outside the shop",
		Aliases: []string{"超线经营"}, National: "街面秩序/店外经营", ShopFront: true}
	check := func(when string, want ...data.Category) {
		t.Helper()
		got, err := s.Categories(ctx)
		if err != nil {
			t.Fatalf("%s: Categories: %v", when, err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d categories, want %d: %+v", when, len(got), len(want), got)
		}
		for i, w := range want {
			g := got[i]
			if g.Code != w.Code || g.NameZh != w.NameZh || g.NameEn != w.NameEn || g.National != w.National ||
				g.ShopFront != w.ShopFront || !slices.Equal(g.Aliases, w.Aliases) {
				t.Errorf("%s: category %d = %+v, want %+v", when, i, g, w)
			}
		}
	}
	if err := s.PutCategories(ctx, []data.Category{vending, dumping}); err != nil {
		t.Fatal(err)
	}
	check("after the first put", dumping, vending)

	// Upsert: vending replaced (aliases replaced, not appended), shop added.
	vending2 := vending
	vending2.NameEn, vending2.Aliases, vending2.ShopFront = "Unlicensed street vending", []string{"游商"}, false
	if err := s.PutCategories(ctx, []data.Category{shop, vending2}); err != nil {
		t.Fatal(err)
	}
	check("after an upsert", dumping, shop, vending2)

	// All or nothing: a bad category spoils the whole call.
	dumping2 := dumping
	dumping2.NameEn = "Dumping and pouring"
	err := s.PutCategories(ctx, []data.Category{dumping2, {Code: "bad", NameZh: "", NameEn: "No Chinese name"}})
	wantCode(t, err, data.EINVALID, "PutCategories with a bad record")
	check("after a failed put", dumping, shop, vending2)
}

func testKeys(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	created := time.Date(2025, 3, 1, 9, 30, 0, 125_000_000, cst)
	_, hash1 := data.NewToken()
	_, hash2 := data.NewToken()
	k1, err := s.CreateKey(ctx, data.Key{Name: "supervisor console", Role: data.RoleAdmin, Hash: hash1, CreatedAt: created}, data.AuditEntry{})
	if err != nil {
		t.Fatalf("CreateKey: %v", err)
	}
	expires := created.Add(90 * 24 * time.Hour)
	k2, err := s.CreateKey(ctx, data.Key{Name: "qgis", Role: data.RoleViewer, Hash: hash2, CreatedAt: created.Add(time.Minute), ExpiresAt: expires}, data.AuditEntry{})
	if err != nil {
		t.Fatalf("CreateKey: %v", err)
	}
	if k1.ID <= 0 || k2.ID <= 0 || k1.ID == k2.ID {
		t.Fatalf("CreateKey ids %d, %d: want distinct positive ids", k1.ID, k2.ID)
	}
	for _, c := range []struct {
		hash []byte
		want data.Key
	}{{hash1, k1}, {hash2, k2}} {
		got, err := s.KeyByHash(ctx, c.hash)
		if err != nil {
			t.Fatalf("KeyByHash(%s): %v", c.want.Name, err)
		}
		if got.ID != c.want.ID || got.Name != c.want.Name || got.Role != c.want.Role || !got.CreatedAt.Equal(c.want.CreatedAt) || !got.RevokedAt.IsZero() ||
			!got.ExpiresAt.Equal(c.want.ExpiresAt) {
			t.Errorf("KeyByHash = %+v, want %+v", got, c.want)
		}
	}
	if !k2.ExpiresAt.Equal(expires) || !k1.ExpiresAt.IsZero() {
		t.Errorf("CreateKey kept expiry %v and %v, want %v and none", k2.ExpiresAt, k1.ExpiresAt, expires)
	}
	if ks, err := s.Keys(ctx); err != nil || len(ks) != 2 || !ks[1].ExpiresAt.Equal(expires) {
		t.Errorf("Keys = %+v, %v; want the second expiring at %v", ks, err, expires)
	}
	if !k1.CreatedAt.Equal(created) {
		t.Errorf("CreatedAt = %v, want %v", k1.CreatedAt, created)
	}

	if err := s.RevokeKey(ctx, k1.ID, data.AuditEntry{}); err != nil {
		t.Fatalf("RevokeKey(%d): %v", k1.ID, err)
	}
	_, err = s.KeyByHash(ctx, hash1)
	wantCode(t, err, data.ENOTFOUND, "KeyByHash of a revoked key")
	if got, err := s.KeyByHash(ctx, hash2); err != nil || got.ID != k2.ID {
		t.Errorf("KeyByHash of the other key = %+v, %v; want id %d", got, err, k2.ID)
	}

	ks, err := s.Keys(ctx)
	if err != nil {
		t.Fatalf("Keys: %v", err)
	}
	if len(ks) != 2 || ks[0].ID != k1.ID || ks[1].ID != k2.ID {
		t.Fatalf("Keys = %+v, want keys %d and %d in id order", ks, k1.ID, k2.ID)
	}
	if ks[0].RevokedAt.IsZero() || time.Since(ks[0].RevokedAt).Abs() > time.Hour {
		t.Errorf("revoked key: RevokedAt = %v, want about now", ks[0].RevokedAt)
	}
	if !ks[1].RevokedAt.IsZero() {
		t.Errorf("valid key: RevokedAt = %v, want zero", ks[1].RevokedAt)
	}
	for i, want := range []data.Key{k1, k2} {
		if g := ks[i]; g.Name != want.Name || g.Role != want.Role || !g.CreatedAt.Equal(want.CreatedAt) {
			t.Errorf("Keys[%d] = %+v, want %+v", i, g, want)
		}
	}
	_, err = s.CreateKey(ctx, data.Key{Name: "", Role: data.RoleViewer, Hash: hash2}, data.AuditEntry{})
	wantCode(t, err, data.EINVALID, "CreateKey without a name")
}

func testKeyNotFound(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	_, hash := data.NewToken()
	k, err := s.CreateKey(ctx, data.Key{Name: "k", Role: data.RoleIngest, Hash: hash, CreatedAt: t0}, data.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	_, other := data.NewToken()
	_, err = s.KeyByHash(ctx, other)
	wantCode(t, err, data.ENOTFOUND, "KeyByHash of an unknown hash")
	for _, id := range []int64{k.ID + 1, 0} {
		wantCode(t, s.RevokeKey(ctx, id, data.AuditEntry{}), data.ENOTFOUND, fmt.Sprintf("RevokeKey(%d)", id))
	}
	if got, err := s.KeyByHash(ctx, hash); err != nil || got.ID != k.ID {
		t.Errorf("KeyByHash after revoking other ids = %+v, %v; want key %d", got, err, k.ID)
	}
}
