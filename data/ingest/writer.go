package ingest

import (
	"context"
	"io"

	"github.com/dazhigu/hotspot/data"
)

// A Writer is the one way records reach the store, for the API's batches
// and for import's chunks alike: each batch is read and checked with the
// same rules (Rules, with ids checked across every batch of the writer, as
// within one), then stored in one transaction under the writer's name.
// A Writer is for one input; it is not safe for concurrent use.
type Writer struct {
	Rules *Rules
	Datum string // the datum the input's coordinates are in
	By    string // who the stored violations are changed by (key:name, import)
	seen  Seen
}

// Violations reads and checks up to max records from rd (fewer only at the
// end of the input), as ReadViolations does.
func (w *Writer) Violations(rd ViolationReader, max int) (Batch, error) {
	return w.seen.Violations(rd, w.Rules, w.Datum, max)
}

// PutViolations stores the batch's valid records in one transaction, each
// changed by the writer's name.
func (w *Writer) PutViolations(ctx context.Context, st data.ViolationStore, b Batch) ([]data.Outcome, error) {
	for i := range b.Violations {
		b.Violations[i].UpdatedBy = w.By
	}
	return st.PutViolations(ctx, b.Violations)
}

// Tracks reads and checks up to max tracks from rd, as ReadTracks does.
func (w *Writer) Tracks(rd TrackReader, max int) (TrackBatch, error) {
	return w.seen.Tracks(rd, w.Rules, w.Datum, max)
}

// PutTracks stores the batch's valid tracks in one transaction.
func (w *Writer) PutTracks(ctx context.Context, st data.TrackStore, b TrackBatch) ([]data.Outcome, error) {
	if len(b.Tracks) == 0 {
		return nil, nil
	}
	return st.PutTracks(ctx, b.Tracks)
}

// One is a reader of the single record rec: a form's report (Open311),
// written through a Writer like any batch.
func One(rec ViolationRecord) ViolationReader { return &one{rec: rec} }

type one struct {
	rec  ViolationRecord
	done bool
}

func (o *one) Next() (ViolationRecord, error) {
	if o.done {
		return ViolationRecord{}, io.EOF
	}
	o.done = true
	return o.rec, nil
}
