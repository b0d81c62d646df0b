package demo

import (
	"context"
	"errors"
	"testing"

	"github.com/dazhigu/hotspot/data"
)

// memory is an in-memory Writer that, like a store, keeps one record of
// each (source, source_id), updated by a re-send that Updates it, and the
// first of each (officer, source_id).
type memory struct {
	violations map[[2]string]int64
	stored     map[int64]data.Violation
	tracks     map[[2]string]int64
	batches    []int
}

func newMemory() *memory {
	return &memory{violations: map[[2]string]int64{}, stored: map[int64]data.Violation{}, tracks: map[[2]string]int64{}}
}

func (m *memory) PutViolations(_ context.Context, vs []data.Violation) ([]data.Outcome, error) {
	if err := data.CheckBatch(vs); err != nil {
		return nil, err
	}
	m.batches = append(m.batches, len(vs))
	outs := make([]data.Outcome, len(vs))
	for i, v := range vs {
		k := [2]string{string(v.Source), v.SourceID}
		id, ok := m.violations[k]
		if !ok {
			id = int64(len(m.violations) + 1)
			m.violations[k] = id
		}
		outs[i] = data.Outcome{ID: id, Created: !ok}
		if old := m.stored[id]; !ok || v.Updates(&old) {
			m.stored[id], outs[i].Updated = v, ok
		}
	}
	return outs, nil
}

func (m *memory) PutTrack(_ context.Context, t data.Track) (data.Outcome, error) {
	if ps := t.Validate(); len(ps) > 0 {
		return data.Outcome{}, &data.Error{Code: data.EINVALID, Message: "invalid track", Problems: ps}
	}
	k := [2]string{t.Officer, t.SourceID}
	id, ok := m.tracks[k]
	if !ok {
		id = int64(len(m.tracks) + 1)
		m.tracks[k] = id
	}
	return data.Outcome{ID: id, Created: !ok}, nil
}

func TestGenerate(t *testing.T) {
	roads := seedRoads(t)
	m := newMemory()
	var calls []Progress
	opt := fortnight
	opt.Days = 40
	opt.Progress = func(p Progress) { calls = append(calls, p) }

	first, err := Generate(context.Background(), m, roads, opt)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	nCalls := len(calls)
	second, err := Generate(context.Background(), m, roads, opt)
	if err != nil {
		t.Fatalf("Generate again: %v", err)
	}
	last := calls[nCalls-1]
	cases := []struct {
		name      string
		got, want int
	}{
		{"violations stored", len(m.violations), first.Violations},
		{"violations created", first.NewViolations, first.Violations},
		{"tracks stored", len(m.tracks), first.Tracks},
		{"tracks created", first.NewTracks, first.Tracks},
		{"progress calls", nCalls, (first.Violations+BatchSize-1)/BatchSize + (first.Tracks+TrackBatch-1)/TrackBatch},
		{"progress violations", last.Violations, first.Violations},
		{"progress tracks", last.Tracks, first.Tracks},
		{"last violation id", int(last.LastViolationID), first.Violations},
		{"violations created again", second.NewViolations, 0},
		{"cases closed again", second.Closed, 0},
		{"tracks created again", second.NewTracks, 0},
		{"violations the second time", second.Violations, first.Violations},
		{"days", first.Days, opt.Days},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: got %d, want %d", c.name, c.got, c.want)
		}
	}
	if first.Closed == 0 || first.Closed > first.Violations/4 {
		t.Errorf("%d of %d cases closed later, want some", first.Closed, first.Violations)
	}
	for _, v := range Violations(roads, opt) { // the stored records end as the cases closed
		got := m.stored[m.violations[[2]string{string(v.Source), v.SourceID}]]
		if got.Disposition != v.Disposition || !got.UpdatedAt.Equal(v.UpdatedAt) {
			t.Fatalf("%s %s stored %q at %v, want %q at %v", v.Source, v.SourceID, got.Disposition, got.UpdatedAt, v.Disposition, v.UpdatedAt)
		}
	}
	if len(m.batches) < 4 {
		t.Errorf("%d batches, want several for %d violations", len(m.batches), first.Violations)
	}
	for i, n := range m.batches {
		if n > BatchSize {
			t.Errorf("batch %d has %d violations, want at most %d", i, n, BatchSize)
		}
	}
	sum := 0
	for _, n := range first.ByCategory {
		sum += n
	}
	if sum != first.Violations || first.Fixes == 0 || first.DwellRows == 0 || first.DwellHours <= 0 {
		t.Errorf("summary: %d by category of %d, %d fixes, %d dwell rows, %.1f dwell hours",
			sum, first.Violations, first.Fixes, first.DwellRows, first.DwellHours)
	}
}

func TestGenerateErrors(t *testing.T) {
	roads := seedRoads(t)
	opt := fortnight
	opt.Days = 2
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	cases := []struct {
		name  string
		ctx   context.Context
		roads []data.Road
		want  error
	}{
		{"no roads", context.Background(), nil, ErrNoRoads},
		{"canceled", canceled, roads, context.Canceled},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Generate(c.ctx, newMemory(), c.roads, opt)
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
}
