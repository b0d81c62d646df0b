package ingest

import (
	"errors"
	"io"
	"strconv"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

// Batch is a run of records read and prepared together.
type Batch struct {
	Violations []data.Violation // the records without problems, placed
	Records    []int            // the input position of each of Violations
	Problems   []data.Problem   // every problem of every rejected record
	Rejected   int              // how many records were rejected
	Read       int              // how many records were read
}

// ReadViolations reads up to max records from rd (fewer only at the end of
// the input), prepares each with rules, and rejects a record that repeats an
// earlier (source, source_id) of the batch. Errors are the reader's: a fatal
// one, or the underlying reader's (e.g. a body over its size limit).
func ReadViolations(rd ViolationReader, rules *Rules, datum string, max int) (Batch, error) {
	var s Seen
	return s.Violations(rd, rules, datum, max)
}

// Violations is ReadViolations, with the ids of earlier batches in s; the
// batch's ids are added to it.
func (s *Seen) Violations(rd ViolationReader, rules *Rules, datum string, max int) (Batch, error) {
	var b Batch
	t, err := readBatch(rd.Next, max, "record", s, func(rec *ViolationRecord) prepared {
		rules.Violation(rec, datum)
		return prepared{rec.N, [2]string{string(rec.V.Source), rec.V.SourceID}, &rec.Problems}
	}, func(rec ViolationRecord) {
		b.Violations = append(b.Violations, rec.V)
		b.Records = append(b.Records, rec.N)
	})
	b.Read, b.Rejected, b.Problems = t.read, t.rejected, t.problems
	return b, err
}

// TrackBatch is a run of tracks read and prepared together.
type TrackBatch struct {
	Tracks    []data.Track       // the tracks without problems, with dwell
	Summaries []geo.DwellSummary // what the dwell of each of Tracks counted and dropped
	Records   []int              // the input position of each of Tracks
	Problems  []data.Problem
	Rejected  int
	Read      int
}

// ReadTracks reads up to max tracks from rd, prepares each with rules, and
// rejects a track that repeats an earlier (officer, source_id) of the batch.
func ReadTracks(rd TrackReader, rules *Rules, datum string, max int) (TrackBatch, error) {
	var s Seen
	return s.Tracks(rd, rules, datum, max)
}

// Tracks is ReadTracks, with the ids of earlier batches in s; the batch's
// ids are added to it.
func (s *Seen) Tracks(rd TrackReader, rules *Rules, datum string, max int) (TrackBatch, error) {
	var b TrackBatch
	var sum geo.DwellSummary // of the record just prepared
	t, err := readBatch(rd.Next, max, "track", s, func(rec *TrackRecord) prepared {
		sum = rules.Track(rec, datum)
		return prepared{rec.N, [2]string{rec.Track.Officer, rec.Track.SourceID}, &rec.Problems}
	}, func(rec TrackRecord) {
		b.Tracks = append(b.Tracks, rec.Track)
		b.Summaries = append(b.Summaries, sum)
		b.Records = append(b.Records, rec.N)
	})
	b.Read, b.Rejected, b.Problems = t.read, t.rejected, t.problems
	return b, err
}

// prepared is what readBatch needs of a prepared record: its position, its
// identity within the batch (an empty id is not checked) and its problems.
type prepared struct {
	n        int
	key      [2]string
	problems *[]data.Problem
}

// tally is what readBatch counted.
type tally struct {
	read, rejected int
	problems       []data.Problem
}

// readBatch reads up to max records with next, prepares each, rejects one
// whose key repeats an earlier record's (naming it as what), and hands the
// records without problems to keep.
func readBatch[R any](next func() (R, error), max int, what string, seen *Seen, prepare func(*R) prepared, keep func(R)) (tally, error) {
	var t tally
	for t.read < max {
		rec, err := next()
		if errors.Is(err, io.EOF) {
			return t, nil
		}
		if err != nil {
			return t, err
		}
		t.read++
		p := prepare(&rec)
		if p.key[1] != "" {
			if first := seen.add(p.key, p.n); first > 0 {
				*p.problems = append(*p.problems, data.Problem{Record: p.n, Field: "source_id",
					Reason: "repeats " + what + " " + strconv.Itoa(first) + " of this batch"})
			}
		}
		if len(*p.problems) > 0 {
			t.problems = append(t.problems, *p.problems...)
			t.rejected++
			continue
		}
		keep(rec)
	}
	return t, nil
}
