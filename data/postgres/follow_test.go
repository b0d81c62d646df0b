package postgres_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/paulmach/orb"

	cubepkg "github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/postgres"
	"github.com/dazhigu/hotspot/data/storetest"
	"github.com/dazhigu/hotspot/geo"
)

// TestCubeFollowsOtherInstance writes through one connection pool and
// builds the analytic cube through another, as two instances of the service
// would: the cube counts every violation, past the feed's 10,000-row pages.
func TestCubeFollowsOtherInstance(t *testing.T) {
	u := storetest.PostgresSchema(t)
	if err := postgres.Migrate(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	writer, reader := openStore(t, u), openStore(t, u)
	const n = 2*data.MaxPage + 345
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	vs := make([]data.Violation, n)
	for i := range vs {
		p := orb.Point{117.222 + float64(i%100)*1e-4, 39.112 + float64(i/100%100)*1e-4}
		vs[i] = data.Violation{Source: data.SourcePatrol, SourceID: fmt.Sprint("f-", i), Category: "dumping",
			ObservedAt: at.Add(time.Duration(i) * time.Minute), Point: p, Datum: geo.WGS84,
			Cell: geo.Cell(p, data.CellResolution), Segment: -1}
	}
	if _, err := writer.PutViolations(t.Context(), vs); err != nil {
		t.Fatal(err)
	}
	cube := cubepkg.New()
	if err := cube.CatchUp(t.Context(), reader); err != nil {
		t.Fatal(err)
	}
	if got, _ := cube.Size(); got != n {
		t.Fatalf("the cube holds %d violations, %d were written by the other instance", got, n)
	}
	more := []data.Violation{vs[0]}
	more[0].SourceID = "late"
	if _, err := writer.PutViolations(t.Context(), more); err != nil {
		t.Fatal(err)
	}
	if err := cube.CatchUp(t.Context(), reader); err != nil {
		t.Fatal(err)
	}
	if got, _ := cube.Size(); got != n+1 {
		t.Fatalf("after one more write the cube holds %d, want %d", got, n+1)
	}
}
