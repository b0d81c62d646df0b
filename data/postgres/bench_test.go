package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/postgres"
	"github.com/dazhigu/hotspot/data/storetest"
	"github.com/dazhigu/hotspot/geo"
)

// Batches of BenchmarkPutViolations: what an import of 50,000 records
// writes, 5,000 a transaction.
const (
	benchBatches   = 10
	benchBatchSize = 5000
)

// benchViolations returns n valid, placed violations with distinct source
// ids, spread over a few hours and a few hundred meters of Dazhigu, each
// with a platform's extra column in attributes.
func benchViolations(n int) []data.Violation {
	t0 := time.Date(2026, 5, 11, 8, 0, 0, 0, time.UTC)
	vs := make([]data.Violation, n)
	for i := range vs {
		p := orb.Point{117.2255 + float64(i%50)*1e-4, 39.112 + float64(i%37)*1e-4}
		vs[i] = data.Violation{
			Source: data.SourceHotline, SourceID: fmt.Sprintf("bench-%07d", i), Category: "street-vending",
			ObservedAt: t0.Add(time.Duration(i) * time.Second), Point: p, Datum: geo.WGS84,
			Cell: geo.Cell(p, data.CellResolution), Segment: -1, Severity: "minor",
			Attributes: []byte(`{"工单来源":"12345"}`),
		}
	}
	return vs
}

// violationCopyColumns are the columns PutViolations writes.
var violationCopyColumns = []string{"region", "source", "source_id", "category", "observed_at", "lon", "lat",
	"datum", "cell", "road", "segment", "along_m", "offset_m", "merchant_id", "severity",
	"disposition", "attributes", "updated_at"}

// copyRow is v as a row of violationCopyColumns.
func copyRow(v data.Violation) []any {
	var attrs, updated any
	if len(v.Attributes) > 0 {
		attrs = string(v.Attributes)
	}
	if !v.UpdatedAt.IsZero() {
		updated = v.UpdatedAt
	}
	return []any{int64(v.Cell.Parent(postgres.RegionResolution)), string(v.Source), v.SourceID, v.Category, v.ObservedAt, v.Point[0], v.Point[1],
		v.Datum, int64(v.Cell), v.Road, int32(v.Segment), v.Along, v.Offset, v.MerchantID,
		v.Severity, v.Disposition, attrs, updated}
}

// BenchmarkPutViolations stores 10 batches of 5,000 prepared violations
// with PutViolations, next to a bare pgx.CopyFrom of the same rows into the
// same table (the floor of any write path): copy runs the copies alone;
// put runs, each iteration, a round of copies with the timer stopped and
// then a round of PutViolations, so that both meet the same load of the
// machine, and reports x-copy, the ratio of their rates. The table is
// emptied before each round.
func BenchmarkPutViolations(b *testing.B) {
	u := storetest.PostgresSchema(b)
	ctx := context.Background()
	if err := postgres.Migrate(ctx, u); err != nil {
		b.Fatal(err)
	}
	st, err := postgres.Open(ctx, u)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	vs := benchViolations(benchBatches * benchBatchSize)
	// The months' partitions, so that the bare copy finds them too.
	if _, err := conn.Exec(ctx, `SELECT create_month_partition('violations', m) FROM partition_months($1, $2) AS m`,
		vs[0].ObservedAt, vs[len(vs)-1].ObservedAt); err != nil {
		b.Fatal(err)
	}
	empty := func(b *testing.B) {
		if _, err := conn.Exec(ctx, "TRUNCATE violations, violation_keys"); err != nil {
			b.Fatal(err)
		}
	}
	copyRound := func(b *testing.B) {
		for i := 0; i < len(vs); i += benchBatchSize {
			batch := vs[i : i+benchBatchSize]
			src := pgx.CopyFromSlice(len(batch), func(j int) ([]any, error) { return copyRow(batch[j]), nil })
			if _, err := conn.CopyFrom(ctx, pgx.Identifier{"violations"}, violationCopyColumns, src); err != nil {
				b.Fatal(err)
			}
		}
	}
	rowsPerSecond := func(b *testing.B) {
		b.ReportMetric(float64(len(vs))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	}
	b.Run("copy", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			empty(b)
			b.StartTimer()
			copyRound(b)
		}
		rowsPerSecond(b)
	})
	b.Run("put", func(b *testing.B) {
		var floor time.Duration
		for b.Loop() {
			b.StopTimer()
			empty(b)
			start := time.Now()
			copyRound(b)
			floor += time.Since(start)
			empty(b)
			b.StartTimer()
			for i := 0; i < len(vs); i += benchBatchSize {
				out, err := st.PutViolations(ctx, vs[i:i+benchBatchSize])
				if err != nil || len(out) != benchBatchSize || !out[0].Created {
					b.Fatalf("PutViolations: %d outcomes, %v", len(out), err)
				}
			}
		}
		rowsPerSecond(b)
		b.ReportMetric(floor.Seconds()/b.Elapsed().Seconds(), "x-copy")
	})
}
