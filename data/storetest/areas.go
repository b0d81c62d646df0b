package storetest

import (
	"bytes"
	"testing"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/data"
)

// box is a closed square ring around (lon, lat), half a side d degrees.
func box(lon, lat, d float64) orb.Polygon {
	return orb.Polygon{{{lon - d, lat - d}, {lon + d, lat - d}, {lon + d, lat + d}, {lon - d, lat + d}, {lon - d, lat - d}}}
}

// testAreas: areas round-trip, replace, list in id order; a child must lie
// in a stored parent; an invalid area, or a key scoped to an area that is
// not stored, is refused and stores nothing; a key keeps its area.
func testAreas(t *testing.T, h Harness) {
	ctx, s := open(t, h)
	street := data.Area{ID: "street:dazhigu", Name: "大直沽街道", Boundary: box(lon0, lat0, 0.02)}
	grid := data.Area{ID: "grid:dzg-1", Name: "网格一", Parent: street.ID, Boundary: box(lon0, lat0, 0.002)}
	wantCode(t, s.PutArea(ctx, grid, data.AuditEntry{}), data.EINVALID, "PutArea with a parent not stored")
	if err := s.PutArea(ctx, street, data.AuditEntry{Actor: "admin", Action: "area.put", Target: street.ID}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutArea(ctx, grid, data.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	outside := data.Area{ID: "grid:far", Name: "远", Parent: street.ID, Boundary: box(lon0+0.05, lat0, 0.002)}
	wantCode(t, s.PutArea(ctx, outside, data.AuditEntry{}), data.EINVALID, "PutArea of a grid outside its street")
	for _, bad := range []data.Area{
		{ID: "Street:X", Name: "x", Boundary: box(lon0, lat0, 0.01)},
		{ID: "street:open", Name: "x", Boundary: orb.Polygon{{{lon0, lat0}, {lon0 + 0.01, lat0}, {lon0, lat0 + 0.01}}}},
		{ID: "street:noname", Boundary: box(lon0, lat0, 0.01)},
		{ID: "street:huge", Name: "x", Boundary: box(lon0, lat0, 2)},
	} {
		wantCode(t, s.PutArea(ctx, bad, data.AuditEntry{Actor: "admin", Action: "area.put", Target: bad.ID}), data.EINVALID, "PutArea "+bad.ID)
	}
	street.Name = "大直沽街道办事处"
	if err := s.PutArea(ctx, street, data.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Area(ctx, street.ID)
	if err != nil || got.Name != street.Name || len(got.Boundary[0]) != 5 || got.Boundary[0][2] != street.Boundary[0][2] {
		t.Fatalf("Area = %+v, %v; want the replaced street", got, err)
	}
	wantCode(t, func() error { _, err := s.Area(ctx, "street:none"); return err }(), data.ENOTFOUND, "Area of a missing id")
	all, err := s.Areas(ctx)
	if err != nil || len(all) != 2 || all[0].ID != grid.ID || all[1].ID != street.ID || all[0].Parent != street.ID {
		t.Fatalf("Areas = %+v, %v; want the grid and the street, by id", all, err)
	}
	if log, _ := s.Audit(ctx, 0, 0); len(log) != 1 {
		t.Errorf("audit log %+v: want the one audited put", log)
	}

	_, err = s.CreateKey(ctx, data.Key{Name: "stray", Role: data.RoleViewer, Hash: bytes.Repeat([]byte{3}, 32), Area: "street:none"}, data.AuditEntry{})
	wantCode(t, err, data.EINVALID, "CreateKey scoped to an area not stored")
	k, err := s.CreateKey(ctx, data.Key{Name: "grid viewer", Role: data.RoleViewer, Hash: bytes.Repeat([]byte{4}, 32), Area: grid.ID}, data.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	byHash, err := s.KeyByHash(ctx, k.Hash)
	keys, err2 := s.Keys(ctx)
	if err != nil || err2 != nil || byHash.Area != grid.ID || len(keys) != 1 || keys[0].Area != grid.ID {
		t.Fatalf("the scoped key read back: %+v %v, %+v %v; want area %s", byHash, err, keys, err2, grid.ID)
	}
}
