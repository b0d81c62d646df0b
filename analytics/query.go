package analytics

import (
	"cmp"
	"slices"
	"time"

	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
)

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

// Counts returns the violations per cell at resolution res (0..12) that
// pass f. Cells without any are absent.
func (c *Cube) Counts(f Filter, res int) map[h3.Cell]float64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	m := c.matcher(f)
	out := map[h3.Cell]float64{}
	for i := range c.cells {
		cd := &c.cells[i]
		var n uint32
		for _, e := range m.counts(cd.counts) {
			if m.keep(e) {
				n += e.n
			}
		}
		if n > 0 {
			out[cd.parent(res)] += float64(n)
		}
	}
	return out
}

// Dwell returns patrol dwell seconds per cell at resolution res within f's
// hours (categories and sources do not apply to dwell).
func (c *Cube) Dwell(f Filter, res int) map[h3.Cell]float64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	m := c.matcher(f)
	out := map[h3.Cell]float64{}
	for i := range c.cells {
		cd := &c.cells[i]
		var s float64
		for _, e := range m.dwell(cd.dwell) {
			s += float64(e.seconds)
		}
		if s > 0 {
			out[cd.parent(res)] += s
		}
	}
	return out
}

// TimeBins are n consecutive time bins of length Step from Start.
type TimeBins struct {
	Start time.Time
	Step  time.Duration // a whole number of hours
	N     int
}

// End returns the end of the last bin.
func (b TimeBins) End() time.Time { return b.Start.Add(time.Duration(b.N) * b.Step) }

// Series returns, per cell at resolution res, the violations that pass f in
// each bin (f's From and To are replaced by the bins' span).
func (c *Cube) Series(f Filter, res int, b TimeBins) map[h3.Cell][]float64 {
	f.From, f.To = b.Start, b.End()
	c.mu.RLock()
	defer c.mu.RUnlock()
	m := c.matcher(f)
	start, step := int32(b.Start.Unix()/3600), int32(b.Step/time.Hour)
	out := map[h3.Cell][]float64{}
	for i := range c.cells {
		cd := &c.cells[i]
		var series []float64
		for _, e := range m.counts(cd.counts) {
			k := int((e.hour - start) / step)
			if !m.keep(e) || k < 0 || k >= b.N {
				continue
			}
			if series == nil {
				p := cd.parent(res)
				if series = out[p]; series == nil {
					series = make([]float64, b.N)
					out[p] = series
				}
			}
			series[k] += float64(e.n)
		}
	}
	return out
}

// Each calls fn for every count entry that passes f: its cell (resolution
// 12), its hour (UTC), category, source and count.
func (c *Cube) Each(f Filter, fn func(cell h3.Cell, hour time.Time, category string, source data.Source, n int)) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	m := c.matcher(f)
	for i := range c.cells {
		cd := &c.cells[i]
		for _, e := range m.counts(cd.counts) {
			if m.keep(e) {
				fn(cd.cell, time.Unix(int64(e.hour)*3600, 0).UTC(), c.cats.names[e.cat], data.Source(c.srcs.names[e.src]), int(e.n))
			}
		}
	}
}

// EachDwell calls fn for every dwell entry within f's hours.
func (c *Cube) EachDwell(f Filter, fn func(cell h3.Cell, hour time.Time, seconds float64)) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	m := c.matcher(f)
	for i := range c.cells {
		cd := &c.cells[i]
		for _, e := range m.dwell(cd.dwell) {
			fn(cd.cell, time.Unix(int64(e.hour)*3600, 0).UTC(), float64(e.seconds))
		}
	}
}
