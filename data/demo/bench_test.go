package demo

import (
	"context"
	"testing"

	"github.com/dazhigu/hotspot/data"
)

// discard is a Writer that stores nothing, to time the generator alone.
type discard struct{ n int64 }

func (d *discard) PutViolations(_ context.Context, vs []data.Violation) ([]data.Outcome, error) {
	outs := make([]data.Outcome, len(vs))
	for i := range outs {
		d.n++
		outs[i] = data.Outcome{ID: d.n, Created: true}
	}
	return outs, nil
}

func (d *discard) PutTrack(context.Context, data.Track) (data.Outcome, error) {
	return data.Outcome{Created: true}, nil
}

// BenchmarkViolations times a default year of violations, placed.
func BenchmarkViolations(b *testing.B) {
	roads := seedRoads(b)
	for b.Loop() {
		b.ReportMetric(float64(len(Violations(roads, yearOptions))), "violations")
	}
}

// BenchmarkGenerate times the whole pure part of a default year, tracks with
// their dwell included, into a writer that keeps nothing. Run it with
// -benchtime=1x: one year takes seconds.
func BenchmarkGenerate(b *testing.B) {
	roads := seedRoads(b)
	for b.Loop() {
		s, err := Generate(context.Background(), &discard{}, roads, yearOptions)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(s.Violations), "violations")
		b.ReportMetric(float64(s.Tracks), "tracks")
		b.ReportMetric(float64(s.Fixes), "fixes")
		b.ReportMetric(float64(s.DwellRows), "dwell-rows")
	}
}
