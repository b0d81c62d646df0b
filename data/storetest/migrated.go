package storetest

import (
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data"
)

// Migrated checks a store opened on a database written under the first
// schema, holding one violation (disposition "ordered", observed at): it
// reads back without updated_at, a later disposition updates it, and the
// feed holds the violation and then its update.
func Migrated(t *testing.T, s data.Store, at time.Time) {
	t.Helper()
	ctx := t.Context()
	vs, err := s.Violations(ctx, data.ViolationFilter{})
	if err != nil || len(vs) != 1 || vs[0].Disposition != "ordered" || !vs[0].UpdatedAt.IsZero() {
		t.Fatalf("Violations after migrating = %+v, %v; want the one record, without updated_at", vs, err)
	}
	v := vs[0]
	v.Disposition, v.UpdatedAt = "corrected", at.Add(48*time.Hour)
	out, err := s.PutViolations(ctx, []data.Violation{v})
	if err != nil || !out[0].Updated {
		t.Fatalf("update after migrating = %+v, %v", out, err)
	}
	cs, err := s.Changes(ctx, 0, 10)
	if err != nil || len(cs) != 2 || cs[0].Kind != data.ChangeViolation || cs[1].Kind != data.ChangeUpdate || cs[1].Seq <= cs[0].Seq {
		t.Fatalf("feed after migrating and updating = %+v, %v; want the violation and then its update", cs, err)
	}
}
