// Package cube is the analytic index: violation counts per (place, hour,
// category, source) and patrol dwell seconds per (place, hour), built and
// kept in step from the store's change feed. A place is one set of Cells: a
// violation is counted in the cell that holds its point at every analysis
// resolution. Statistics read the cube through a View, one consistent state
// for a whole analysis; they never scan stored rows.
package cube

import (
	"cmp"
	"context"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

// Cube is the analytic index. Hours are UTC hours since the Unix epoch. It
// is safe for concurrent use.
type Cube struct {
	feed   sync.Mutex // one CatchUp at a time: the others wait, then find little to read
	read   time.Time  // when the last complete read of the feed started; under feed
	mu     sync.RWMutex
	seq    int64             // the last change applied
	places []place           // in order of first appearance
	index  map[Cells]int32   // cells → position in places
	centre map[h3.Cell]int32 // res-12 cell → position of the place of its centre (dwell)
	locMu  sync.Mutex        // guards loc, used outside mu
	loc    []locator         // one per worker of locate
	cats   dict
	srcs   dict
	n      int        // violations applied
	dwell  float64    // dwell seconds applied
	memo   countsMemo // answers of View.Counts for the state at seq
}

// place is what the cube holds of one set of cells, entries sorted by hour.
type place struct {
	cells  Cells
	counts []countEntry
	dwell  []dwellEntry
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

// New returns an empty cube.
func New() *Cube { return &Cube{index: map[Cells]int32{}, centre: map[h3.Cell]int32{}} }

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
// applying a feed page twice is harmless. Changes whose cell is not a valid
// res-12 cell (by its bits: geo.IsCellAt) are skipped too.
func (c *Cube) Apply(changes []data.Change) {
	cells, old := c.locate(changes, c.Seq())
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, ch := range changes {
		if ch.Seq <= c.seq {
			continue
		}
		c.seq = ch.Seq
		if !geo.IsCellAt(ch.Cell, data.CellResolution) {
			continue
		}
		hour := int32(ch.Hour.Unix() / 3600)
		switch ch.Kind {
		case data.ChangeViolation:
			p := c.place(cells[i])
			p.addCount(countEntry{hour: hour, cat: c.cats.id(ch.Category), src: c.srcs.id(string(ch.Source)), n: 1})
			c.n++
		case data.ChangeDwell:
			p := c.centrePlace(ch.Cell)
			p.addDwell(dwellEntry{hour: hour, seconds: float32(ch.Seconds)})
			c.dwell += ch.Seconds
		case data.ChangeUpdate: // the violation moves from what Old counted it by
			if ch.Old.Equal(ch.Counted()) {
				continue
			}
			if j, ok := c.index[old[i]]; ok {
				c.places[j].removeCount(countEntry{hour: int32(ch.Old.Hour.Unix() / 3600), cat: c.cats.id(ch.Old.Category),
					src: c.srcs.id(string(ch.Old.Source)), n: 1})
			}
			c.place(cells[i]).addCount(countEntry{hour: hour, cat: c.cats.id(ch.Category), src: c.srcs.id(string(ch.Source)), n: 1})
		}
	}
}

// removeCount takes e.n away from the entry with the same hour, category
// and source, dropping it at zero; an entry that is not there is left alone
// (the feed never takes away what it did not add).
func (p *place) removeCount(e countEntry) {
	i, _ := slices.BinarySearchFunc(p.counts, e.hour, func(x countEntry, h int32) int { return cmp.Compare(x.hour, h) })
	for j := i; j < len(p.counts) && p.counts[j].hour == e.hour; j++ {
		if p.counts[j].cat == e.cat && p.counts[j].src == e.src {
			if p.counts[j].n <= e.n {
				p.counts = slices.Delete(p.counts, j, j+1)
			} else {
				p.counts[j].n -= e.n
			}
			return
		}
	}
}

// locate finds the cells of every violation past seq (and of an update's
// old values), outside the cube's lock and on every core: three H3 look-ups
// a violation are the costly part of applying it.
func (c *Cube) locate(changes []data.Change, seq int64) (out, old []Cells) {
	c.locMu.Lock()
	defer c.locMu.Unlock()
	out = make([]Cells, len(changes))
	for _, ch := range changes {
		if ch.Kind == data.ChangeUpdate {
			old = make([]Cells, len(changes))
			break
		}
	}
	workers := min(runtime.GOMAXPROCS(0), 1+len(changes)/2048)
	for len(c.loc) < workers {
		c.loc = append(c.loc, locator{})
	}
	var wg sync.WaitGroup
	for w := range workers {
		l := &c.loc[w]
		wg.Go(func() {
			for i := w; i < len(changes); i += workers {
				ch := changes[i]
				if ch.Seq <= seq || ch.Kind == data.ChangeDwell || !geo.IsCellAt(ch.Cell, data.CellResolution) {
					continue
				}
				out[i] = l.cells(ch.Point, ch.Cell)
				if ch.Kind == data.ChangeUpdate && geo.IsCellAt(ch.Old.Cell, data.CellResolution) {
					old[i] = l.cells(ch.Old.Point, ch.Old.Cell)
				}
			}
		})
	}
	wg.Wait()
	return out, old
}

// centrePlace returns the place of a res-12 cell's centre, where its dwell
// is counted; the look-up is kept, as dwell returns to the same cells.
func (c *Cube) centrePlace(cell12 h3.Cell) *place {
	if i, ok := c.centre[cell12]; ok {
		return &c.places[i]
	}
	p := c.place(CentreCells(cell12))
	c.centre[cell12] = c.index[p.cells]
	return p
}

func (c *Cube) place(cs Cells) *place {
	if i, ok := c.index[cs]; ok {
		return &c.places[i]
	}
	c.index[cs] = int32(len(c.places))
	c.places = append(c.places, place{cells: cs})
	return &c.places[len(c.places)-1]
}

// addCount merges e into the entry with the same hour, category and source,
// keeping entries sorted by hour. Changes arrive mostly in time order, so
// the search usually ends at the tail.
func (p *place) addCount(e countEntry) {
	i, _ := slices.BinarySearchFunc(p.counts, e.hour, func(x countEntry, h int32) int { return cmp.Compare(x.hour, h) })
	for j := i; j < len(p.counts) && p.counts[j].hour == e.hour; j++ {
		if p.counts[j].cat == e.cat && p.counts[j].src == e.src {
			p.counts[j].n += e.n
			return
		}
	}
	p.counts = slices.Insert(p.counts, i, e)
}

func (p *place) addDwell(e dwellEntry) {
	i, found := slices.BinarySearchFunc(p.dwell, e.hour, func(x dwellEntry, h int32) int { return cmp.Compare(x.hour, h) })
	if found {
		p.dwell[i].seconds += e.seconds
		return
	}
	p.dwell = slices.Insert(p.dwell, i, e)
}

// Feed is where a cube reads changes; data.ChangeFeed is one.
type Feed interface {
	Changes(ctx context.Context, after int64, limit int) ([]data.Change, error)
}

// feedPage is how many changes CatchUp asks for at a time; a feed may
// return fewer (stores cap pages at data.MaxPage).
const feedPage = data.MaxPage

// CatchUp applies every change of the feed past Seq, page by page, until
// the feed returns an empty page: afterwards the cube holds every change
// committed before CatchUp was called. Callers are served one at a time,
// and share reads: a caller that finds a read of the feed that started
// after it called already complete returns at once, since that read saw
// all it would. So many requests arriving while writers post cost one
// read of the feed between them, not one each in line.
func (c *Cube) CatchUp(ctx context.Context, f Feed) error {
	called := time.Now()
	c.feed.Lock()
	defer c.feed.Unlock()
	if c.read.After(called) {
		return nil
	}
	start := time.Now()
	for {
		page, err := f.Changes(ctx, c.Seq(), feedPage)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			c.read = start
			return nil
		}
		c.Apply(page)
	}
}

// Read calls fn with a view of the cube that does not change while fn
// runs: every query of one analysis sees the same changes. Changes wait
// until fn returns, so fn should read what it needs and compute after.
func (c *Cube) Read(fn func(View)) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	fn(View{c})
}
