package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/ingest"
)

// importer is one run of the import command.
type importer struct {
	kind     string // "violations" or "tracks"
	path     string // "-" for standard input
	name     string // how messages name the input
	format   ingest.Format
	datum    string
	partial  bool
	batch    int
	defaults ingest.TrackDefaults
	store    data.Store
	rules    *ingest.Rules
	charset  string // the input's charset: "" for UTF-8
	meter    *meter
}

// run imports the input: checked, then stored, or in one pass with partial.
// The tally describes the last pass.
func (im *importer) run(ctx context.Context) (tally, error) {
	im.meter.start()
	defer im.meter.stop()
	defer im.meter.closeProblems()
	passes := 2
	if im.partial {
		passes = 1
	}
	if !im.partial {
		t := tally{m: im.meter}
		if err := im.pass(ctx, 1, passes, false, &t); err != nil {
			return t, im.failure(ctx, err, &t)
		}
		switch {
		case t.read == 0:
			return t, fmt.Errorf("%s holds no %s", im.name, im.kind)
		case t.rejected > 0:
			return t, fmt.Errorf("%d of %d records in %s are invalid; nothing was stored (fix them, or add -partial to store the valid ones)",
				t.rejected, t.read, im.name)
		}
	}
	t := tally{m: im.meter}
	err := im.pass(ctx, passes, passes, true, &t)
	switch {
	case err != nil:
		return t, im.failure(ctx, err, &t)
	case t.read == 0:
		return t, fmt.Errorf("%s holds no %s", im.name, im.kind)
	case t.stored == 0:
		return t, fmt.Errorf("every record in %s is invalid (%d); nothing was stored", im.name, t.rejected)
	}
	return t, nil
}

// changedError is a record that was valid in the check pass and is not in
// the store pass: the input changed in between.
type changedError struct{ record int }

func (e changedError) Error() string { return fmt.Sprintf("record %d changed", e.record) }

// storeError is a write to the store that failed.
type storeError struct{ err error }

func (e storeError) Error() string { return "store: " + e.err.Error() }
func (e storeError) Unwrap() error { return e.err }

// pass reads the whole input once, a chunk at a time, and, when store is
// set, stores each chunk's valid records before reading the next.
func (im *importer) pass(ctx context.Context, n, of int, store bool, t *tally) error {
	f := os.Stdin
	if im.path != "-" {
		var err error
		if f, err = os.Open(im.path); err != nil {
			return err
		}
		defer f.Close()
	}
	size := int64(-1)
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		size = st.Size()
	}
	im.meter.startPass(n, of, store, size)
	defer func() { t.bytes = im.meter.bytes.Load() }()
	// Read as the API reads a body: gzip inflated, the charset decoded
	// (ingest.Decode), so a file imports as it would post.
	raw := bufio.NewReaderSize(countingReader{r: f, n: &im.meter.bytes}, importBufferSize)
	in, err := ingest.Decode(raw, gzipped(raw), im.charset, 0)
	if err != nil {
		return err
	}
	cs, err := im.chunks(in)
	if err != nil {
		return err
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		ch, readErr := cs.next(im.batch)
		t.read += ch.read
		t.rejected += ch.rejected
		im.meter.rejected.Store(int64(t.rejected))
		im.meter.problems(ch.problems)
		if store && ch.rejected > 0 && !im.partial {
			return changedError{ch.problems[0].Record}
		}
		if store && ch.accepted > 0 && (readErr == nil || im.partial) {
			if err := cs.put(ctx, t); err != nil {
				return storeError{err}
			}
		}
		if readErr != nil {
			return readErr
		}
		if ch.read < im.batch {
			return nil
		}
	}
}

// failure words an error that stopped the import, saying what is stored.
func (im *importer) failure(ctx context.Context, err error, t *tally) error {
	key := "(source, source_id)"
	if im.kind == "tracks" {
		key = "(officer, source_id)"
	}
	stored := "nothing was stored"
	if t.stored > 0 {
		stored = fmt.Sprintf("the %d %s stored before it stay stored; fix the input and run the import again: "+
			"what is already stored is recognised by its %s and not stored twice", t.stored, im.kind, key)
	}
	var e *data.Error
	var se storeError
	var ce changedError
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("import interrupted; %s", stored)
	case errors.As(err, &se):
		return fmt.Errorf("importing %s: %w; %s", im.name, err, stored)
	case errors.As(err, &ce):
		return fmt.Errorf("%s changed while it was imported (record %d is invalid now but was valid when checked); %s", im.name, ce.record, stored)
	case ingest.IsFatal(err) && errors.As(err, &e) && len(e.Problems) > 0:
		p := e.Problems[0]
		return fmt.Errorf("%s cannot be read past record %d: %s; %s", im.name, p.Record, p.Reason, stored)
	case ingest.IsFatal(err) || data.ErrorCode(err) == data.EUNSUPPORTED:
		return fmt.Errorf("%s: %s; %s", im.name, data.ErrorMessage(err), stored)
	}
	return fmt.Errorf("reading %s: %w; %s", im.name, err, stored)
}

// chunks returns the reader of the importer's kind over in.
func (im *importer) chunks(in io.Reader) (chunkReader, error) {
	if im.kind == "tracks" {
		rd, err := ingest.NewTrackReader(in, im.format, im.defaults)
		if err != nil {
			return nil, err
		}
		return &trackChunks{rd: countedTracks{rd, &im.meter.read}, w: im.writer(), store: im.store}, nil
	}
	rd, err := ingest.NewViolationReader(in, im.format)
	if err != nil {
		return nil, err
	}
	return &violationChunks{rd: countedViolations{rd, &im.meter.read}, w: im.writer(), store: im.store}, nil
}

// writer is the write path of one pass, the API's: ids are checked across
// every chunk of the pass, as within one batch.
func (im *importer) writer() *ingest.Writer {
	return &ingest.Writer{Rules: im.rules, Datum: im.datum, By: "import"}
}

// gzipped names the gzip encoding when the input starts with gzip's magic
// bytes (a .gz file, or a compressed stream on standard input).
func gzipped(r *bufio.Reader) string {
	if head, _ := r.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		return "gzip"
	}
	return ""
}

// chunk is what reading one chunk found.
type chunk struct {
	read, rejected, accepted int
	problems                 []data.Problem
}

// chunkReader reads one kind of record a chunk at a time and holds only the
// last chunk.
type chunkReader interface {
	// next reads up to max records; fewer only at the end of the input.
	next(max int) (chunk, error)
	// put stores the valid records of the last chunk, counting them in t.
	put(ctx context.Context, t *tally) error
}

type violationChunks struct {
	rd    ingest.ViolationReader
	w     *ingest.Writer
	store data.ViolationStore
	b     ingest.Batch
}

func (c *violationChunks) next(max int) (chunk, error) {
	c.b = ingest.Batch{} // let the last chunk go before reading the next
	b, err := c.w.Violations(c.rd, max)
	c.b = b
	return chunk{read: b.Read, rejected: b.Rejected, accepted: len(b.Violations), problems: b.Problems}, err
}

// put stores the chunk in one transaction.
func (c *violationChunks) put(ctx context.Context, t *tally) error {
	outs, err := c.w.PutViolations(ctx, c.store, c.b)
	if err != nil {
		return err
	}
	for _, o := range outs {
		t.add(o.Created)
		if o.Updated {
			t.updated++
		}
	}
	return nil
}

type trackChunks struct {
	rd    ingest.TrackReader
	w     *ingest.Writer
	store data.TrackStore
	b     ingest.TrackBatch
}

func (c *trackChunks) next(max int) (chunk, error) {
	c.b = ingest.TrackBatch{}
	b, err := c.w.Tracks(c.rd, max)
	c.b = b
	return chunk{read: b.Read, rejected: b.Rejected, accepted: len(b.Tracks), problems: b.Problems}, err
}

// put stores the chunk's tracks in one transaction, as the API stores a
// batch.
func (c *trackChunks) put(ctx context.Context, t *tally) error {
	if len(c.b.Tracks) == 0 {
		return nil
	}
	out, err := c.w.PutTracks(ctx, c.store, c.b)
	if err != nil {
		return fmt.Errorf("tracks %d-%d: %w", c.b.Records[0], c.b.Records[len(c.b.Records)-1], err)
	}
	for i, o := range out {
		t.add(o.Created)
		s := c.b.Summaries[i]
		t.fixes += s.Fixes
		t.counted += s.Counted
		t.droppedGap += s.DroppedGap
		t.droppedSpeed += s.DroppedSpeed
	}
	return nil
}

// countedViolations counts the records its reader returns.
type countedViolations struct {
	ingest.ViolationReader
	n *atomic.Int64
}

func (c countedViolations) Next() (ingest.ViolationRecord, error) {
	rec, err := c.ViolationReader.Next()
	if err == nil {
		c.n.Add(1)
	}
	return rec, err
}

// countedTracks counts the records its reader returns.
type countedTracks struct {
	ingest.TrackReader
	n *atomic.Int64
}

func (c countedTracks) Next() (ingest.TrackRecord, error) {
	rec, err := c.TrackReader.Next()
	if err == nil {
		c.n.Add(1)
	}
	return rec, err
}
