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
	var b Batch
	seen := map[[2]string]int{}
	for b.Read < max {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		b.Read++
		rules.Violation(&rec, datum)
		key := [2]string{string(rec.V.Source), rec.V.SourceID}
		if first, dup := seen[key]; dup && rec.V.SourceID != "" {
			rec.Problems = append(rec.Problems, data.Problem{Record: rec.N, Field: "source_id",
				Reason: "repeats record " + strconv.Itoa(first) + " of this batch"})
		} else {
			seen[key] = rec.N
		}
		if len(rec.Problems) > 0 {
			b.Problems = append(b.Problems, rec.Problems...)
			b.Rejected++
			continue
		}
		b.Violations = append(b.Violations, rec.V)
		b.Records = append(b.Records, rec.N)
	}
	return b, nil
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
	var b TrackBatch
	seen := map[[2]string]int{}
	for b.Read < max {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		b.Read++
		sum := rules.Track(&rec, datum)
		key := [2]string{rec.Track.Officer, rec.Track.SourceID}
		if first, dup := seen[key]; dup && rec.Track.SourceID != "" {
			rec.Problems = append(rec.Problems, data.Problem{Record: rec.N, Field: "source_id",
				Reason: "repeats track " + strconv.Itoa(first) + " of this batch"})
		} else {
			seen[key] = rec.N
		}
		if len(rec.Problems) > 0 {
			b.Problems = append(b.Problems, rec.Problems...)
			b.Rejected++
			continue
		}
		b.Tracks = append(b.Tracks, rec.Track)
		b.Summaries = append(b.Summaries, sum)
		b.Records = append(b.Records, rec.N)
	}
	return b, nil
}
