package analytics

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
)

// Cube is the analytic index: violation counts per (H3 cell, hour,
// category, source) and patrol dwell seconds per (cell, hour), cells at
// data.CellResolution (12), hours in UTC. It is built and kept in step from
// the store's change feed; every statistic reads it, never raw rows. It is
// safe for concurrent use.
type Cube struct {
	feed  sync.Mutex // one CatchUp at a time: the others wait, then find little to read
	mu    sync.RWMutex
	seq   int64             // the last change applied
	cells []cellData        // in order of first appearance
	index map[h3.Cell]int32 // cell → position in cells
	cats  dict
	srcs  dict
	n     int     // violations applied
	dwell float64 // dwell seconds applied
}

// cellData is what the cube holds of one cell, entries sorted by hour.
type cellData struct {
	cell    h3.Cell
	parents [data.CellResolution]h3.Cell // parents[r] is the parent at resolution r
	counts  []countEntry
	dwell   []dwellEntry
}

type countEntry struct {
	hour     int32 // hours since the Unix epoch, UTC
	cat, src uint16
	n        uint32
}

type dwellEntry struct {
	hour    int32
	seconds float32
}

// dict numbers strings (categories, sources) in order of first appearance.
type dict struct {
	ids   map[string]uint16
	names []string
}

func (d *dict) id(s string) uint16 {
	if id, ok := d.ids[s]; ok {
		return id
	}
	if d.ids == nil {
		d.ids = map[string]uint16{}
	}
	id := uint16(len(d.names))
	d.ids[s] = id
	d.names = append(d.names, s)
	return id
}

// NewCube returns an empty cube.
func NewCube() *Cube { return &Cube{index: map[h3.Cell]int32{}} }

// Seq returns the sequence number of the last change applied.
func (c *Cube) Seq() int64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.seq
}

// Size returns the violations and dwell seconds applied so far.
func (c *Cube) Size() (violations int, dwellSeconds float64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.n, c.dwell
}

// Apply adds changes in Seq order; a change at or below Seq is skipped, so
// applying a feed page twice is harmless.
func (c *Cube) Apply(changes []data.Change) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ch := range changes {
		if ch.Seq <= c.seq {
			continue
		}
		c.seq = ch.Seq
		if !ch.Cell.IsValid() || ch.Cell.Resolution() != data.CellResolution {
			continue
		}
		cd := c.cell(ch.Cell)
		hour := int32(ch.Hour.Unix() / 3600)
		switch ch.Kind {
		case data.ChangeViolation:
			cd.addCount(countEntry{hour: hour, cat: c.cats.id(ch.Category), src: c.srcs.id(string(ch.Source)), n: 1})
			c.n++
		case data.ChangeDwell:
			cd.addDwell(dwellEntry{hour: hour, seconds: float32(ch.Seconds)})
			c.dwell += ch.Seconds
		}
	}
}

func (c *Cube) cell(h h3.Cell) *cellData {
	if i, ok := c.index[h]; ok {
		return &c.cells[i]
	}
	cd := cellData{cell: h}
	for r := range data.CellResolution {
		cd.parents[r] = h.Parent(r)
	}
	c.index[h] = int32(len(c.cells))
	c.cells = append(c.cells, cd)
	return &c.cells[len(c.cells)-1]
}

// addCount merges e into the entry with the same hour, category and source,
// keeping entries sorted by hour. Changes arrive mostly in time order, so
// the search usually ends at the tail.
func (cd *cellData) addCount(e countEntry) {
	i, _ := slices.BinarySearchFunc(cd.counts, e.hour, func(x countEntry, h int32) int { return cmp.Compare(x.hour, h) })
	for j := i; j < len(cd.counts) && cd.counts[j].hour == e.hour; j++ {
		if cd.counts[j].cat == e.cat && cd.counts[j].src == e.src {
			cd.counts[j].n += e.n
			return
		}
	}
	cd.counts = slices.Insert(cd.counts, i, e)
}

func (cd *cellData) addDwell(e dwellEntry) {
	i, found := slices.BinarySearchFunc(cd.dwell, e.hour, func(x dwellEntry, h int32) int { return cmp.Compare(x.hour, h) })
	if found {
		cd.dwell[i].seconds += e.seconds
		return
	}
	cd.dwell = slices.Insert(cd.dwell, i, e)
}

// Feed is where a cube reads changes; data.ChangeFeed is one.
type Feed interface {
	Changes(ctx context.Context, after int64, limit int) ([]data.Change, error)
}

// feedPage is how many changes CatchUp asks for at a time; a feed may
// return fewer (stores cap pages at data.MaxPage).
const feedPage = data.MaxPage

// CatchUp applies every change of the feed past Seq, page by page, until
// the feed returns an empty page. Callers are served one at a time, so a
// request that arrives during the first build waits for it instead of
// reading the whole feed again.
func (c *Cube) CatchUp(ctx context.Context, f Feed) error {
	c.feed.Lock()
	defer c.feed.Unlock()
	for {
		page, err := f.Changes(ctx, c.Seq(), feedPage)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		c.Apply(page)
	}
}

// Span returns the first and the end of the last hour holding a violation,
// zero times when there is none.
func (c *Cube) Span() (first, end time.Time) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	lo, hi := int32(1<<31-1), int32(-1<<31)
	for i := range c.cells {
		if cs := c.cells[i].counts; len(cs) > 0 {
			lo, hi = min(lo, cs[0].hour), max(hi, cs[len(cs)-1].hour)
		}
	}
	if lo > hi {
		return time.Time{}, time.Time{}
	}
	return time.Unix(int64(lo)*3600, 0).UTC(), time.Unix(int64(hi+1)*3600, 0).UTC()
}

// Filter selects what a query of the cube counts. Zero fields do not filter.
type Filter struct {
	From, To time.Time // [From, To), widened to whole hours

	Categories []string      // violations only
	Sources    []data.Source // violations only
}

// hours returns the filter's hour range [lo, hi) in cube units: the hours
// that overlap [From, To). The cube keeps hours, so a window is widened to
// whole hours.
func (f Filter) hours() (lo, hi int32) {
	lo, hi = -1<<31, 1<<31-1
	if !f.From.IsZero() {
		lo = int32(f.From.Unix() / 3600)
	}
	if !f.To.IsZero() {
		hi = int32((f.To.UnixNano()-1)/int64(time.Hour)) + 1 // the hours that start before To
	}
	return lo, hi
}

// Parent returns the parent of a res-12 cell at resolution res (res 12: the
// cell itself).
func (cd *cellData) parent(res int) h3.Cell {
	if res >= data.CellResolution {
		return cd.cell
	}
	return cd.parents[res]
}
