package cube

import (
	"cmp"
	"slices"
	"time"

	"github.com/dazhigu/hotspot/data"
)

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

// matcher is a Filter resolved against the cube's dictionaries.
type matcher struct {
	lo, hi   int32
	cat, src []bool // by dictionary id; nil: any
}

func (c *Cube) matcher(f Filter) matcher {
	m := matcher{}
	m.lo, m.hi = f.hours()
	if len(f.Categories) > 0 {
		m.cat = make([]bool, len(c.cats.names))
		for _, name := range f.Categories {
			if id, ok := c.cats.ids[name]; ok {
				m.cat[id] = true
			}
		}
	}
	if len(f.Sources) > 0 {
		m.src = make([]bool, len(c.srcs.names))
		for _, s := range f.Sources {
			if id, ok := c.srcs.ids[string(s)]; ok {
				m.src[id] = true
			}
		}
	}
	return m
}

func (m matcher) counts(es []countEntry) []countEntry {
	return within(es, func(e countEntry) int32 { return e.hour }, m.lo, m.hi)
}

func (m matcher) keep(e countEntry) bool {
	return (m.cat == nil || m.cat[e.cat]) && (m.src == nil || m.src[e.src])
}

func (m matcher) dwell(es []dwellEntry) []dwellEntry {
	return within(es, func(e dwellEntry) int32 { return e.hour }, m.lo, m.hi)
}

// within returns the entries of es (sorted by hour) whose hour is in
// [lo, hi).
func within[E any](es []E, hour func(E) int32, lo, hi int32) []E {
	by := func(e E, h int32) int { return cmp.Compare(hour(e), h) }
	i, _ := slices.BinarySearchFunc(es, lo, by)
	j, _ := slices.BinarySearchFunc(es, hi, by)
	return es[i:j]
}
