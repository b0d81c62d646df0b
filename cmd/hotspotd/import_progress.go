package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dazhigu/hotspot/data"
)

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// tally counts what one pass read and stored.
type tally struct {
	m                               *meter
	read, rejected, stored, created int
	updated                         int   // earlier records the file updated (a later updated_at)
	fixes                           int   // of the stored tracks
	bytes                           int64 // of the file, as read (compressed, for a .gz)
	counted, droppedGap             time.Duration
	droppedSpeed                    time.Duration
}

// add counts one stored record.
func (t *tally) add(created bool) {
	t.stored++
	if created {
		t.created++
	}
	t.m.stored.Store(int64(t.stored))
}

// summary is the last line of an import, after "imported KIND from FILE: ".
// Its rates are of the whole run, d: the records and bytes of the file over
// both passes' time, without -partial.
func (t *tally) summary(kind string, d time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "read %d, stored %d (created %d, already stored %d), rejected %d",
		t.read, t.stored, t.created, t.stored-t.created, t.rejected)
	if t.updated > 0 {
		fmt.Fprintf(&b, "; %d of the stored ones updated", t.updated)
	}
	if kind == "tracks" {
		fmt.Fprintf(&b, "; %d fixes, %.2f presence hours, dropped %.0f s for gaps and %.0f s for speed",
			t.fixes, t.counted.Hours(), t.droppedGap.Seconds(), t.droppedSpeed.Seconds())
	}
	fmt.Fprintf(&b, " in %.1f s (%.0f records/s, %.1f MB/s)", d.Seconds(), rate(t.read, d), rate(int(t.bytes), d)/1e6)
	return b.String()
}

func rate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// meter writes to stderr: the problems found, and, on a terminal, a
// progress line redrawn at most every interval. Counters are updated by the
// import and read by the drawing goroutine.
type meter struct {
	w     io.Writer
	tty   bool
	every time.Duration

	mu      sync.Mutex // guards w, drawn, shown and more
	drawn   bool       // whether a progress line is on the screen
	shown   int        // problems printed
	more    int        // problems counted past maxShownProblems
	stopc   chan struct{}
	stopped chan struct{}

	pass, passes, storing         atomic.Int32
	size                          atomic.Int64 // bytes of the input, -1 unknown
	begun                         atomic.Int64 // start of the pass, Unix nanoseconds
	bytes, read, stored, rejected atomic.Int64
}

func newMeter(w io.Writer, tty bool, every time.Duration) *meter {
	m := &meter{w: w, tty: tty, every: every}
	m.size.Store(-1)
	return m
}

// start begins redrawing the progress line, on a terminal.
func (m *meter) start() {
	if !m.tty {
		return
	}
	m.stopc, m.stopped = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(m.stopped)
		tick := time.NewTicker(m.every)
		defer tick.Stop()
		for {
			select {
			case <-m.stopc:
				return
			case now := <-tick.C:
				m.mu.Lock()
				fmt.Fprint(m.w, "\r\033[K"+m.line(now))
				m.drawn = true
				m.mu.Unlock()
			}
		}
	}()
}

// stop stops redrawing and clears the progress line.
func (m *meter) stop() {
	if m.stopc == nil {
		return
	}
	close(m.stopc)
	<-m.stopped
	m.stopc = nil
	m.mu.Lock()
	m.clear()
	m.mu.Unlock()
}

// clear removes the progress line; m.mu is held.
func (m *meter) clear() {
	if m.drawn {
		fmt.Fprint(m.w, "\r\033[K")
		m.drawn = false
	}
}

// startPass resets the counters for pass n of passes over size bytes.
func (m *meter) startPass(n, passes int, storing bool, size int64) {
	m.pass.Store(int32(n))
	m.passes.Store(int32(passes))
	var s int32
	if storing {
		s = 1
	}
	m.storing.Store(s)
	m.size.Store(size)
	m.begun.Store(time.Now().UnixNano())
	m.bytes.Store(0)
	m.read.Store(0)
	m.stored.Store(0)
	m.rejected.Store(0)
}

// line is the progress line at now.
func (m *meter) line(now time.Time) string {
	what := "checking"
	if m.storing.Load() == 1 {
		what = "storing"
	}
	read := m.read.Load()
	s := fmt.Sprintf("pass %d/%d %s: read %d, stored %d, rejected %d", m.pass.Load(), m.passes.Load(), what,
		read, m.stored.Load(), m.rejected.Load())
	if size := m.size.Load(); size > 0 {
		s += fmt.Sprintf(", %.0f%%", 100*float64(min(m.bytes.Load(), size))/float64(size))
	}
	return s + fmt.Sprintf(", %.0f records/s", rate(int(read), now.Sub(time.Unix(0, m.begun.Load()))))
}

// problems prints the first maxShownProblems problems and counts the rest.
func (m *meter) problems(ps []data.Problem) {
	if len(ps) == 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.clear()
	for _, p := range ps {
		if m.shown >= maxShownProblems {
			m.more++
			continue
		}
		m.shown++
		p.Reason = strings.ReplaceAll(p.Reason, "?crs", "-crs") // the readers' hint speaks of the API's parameter
		switch {
		case p.Record > 0 && p.Field != "":
			fmt.Fprintf(m.w, "record %d: %s: %s\n", p.Record, p.Field, p.Reason)
		case p.Record > 0:
			fmt.Fprintf(m.w, "record %d: %s\n", p.Record, p.Reason)
		default:
			fmt.Fprintln(m.w, p.Reason)
		}
	}
}

// closeProblems says how many problems were not printed.
func (m *meter) closeProblems() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.more > 0 {
		m.clear()
		fmt.Fprintf(m.w, "… and %d more\n", m.more)
		m.more = 0
	}
}
