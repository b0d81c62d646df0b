package cube

import (
	"slices"
	"time"

	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
)

// View reads one consistent state of a cube; it is valid only inside the
// function given to Cube.Read.
type View struct{ c *Cube }

// Seq returns the sequence number of the last change the view holds.
func (v View) Seq() int64 { return v.c.seq }

// Span returns the first and the end of the last hour holding a violation,
// zero times when there is none.
func (v View) Span() (first, end time.Time) {
	lo, hi := int32(1<<31-1), int32(-1<<31)
	for i := range v.c.places {
		if cs := v.c.places[i].counts; len(cs) > 0 {
			lo, hi = min(lo, cs[0].hour), max(hi, cs[len(cs)-1].hour)
		}
	}
	if lo > hi {
		return time.Time{}, time.Time{}
	}
	return hourTime(lo), hourTime(hi + 1)
}

func hourTime(h int32) time.Time { return time.Unix(int64(h)*3600, 0).UTC() }

// Categories returns the category codes the cube has seen.
func (v View) Categories() []string { return slices.Clone(v.c.cats.names) }

// Counts returns the violations per cell at resolution res that pass f.
// Cells without any are absent. The answers of a state of the cube are
// kept (countsMemo): asked again, they are not counted again.
func (v View) Counts(f Filter, res int) map[h3.Cell]float64 {
	key := newCountsKey(f, res)
	if out, ok := v.c.memo.get(v.c.seq, key); ok {
		return out
	}
	out := v.count(f, res)
	v.c.memo.put(v.c.seq, key, out)
	return out
}

// count is Counts, counted.
func (v View) count(f Filter, res int) map[h3.Cell]float64 {
	m := v.c.matcher(f)
	out := map[h3.Cell]float64{}
	for i := range v.c.places {
		p := &v.c.places[i]
		var n uint32
		for _, e := range m.counts(p.counts) {
			if m.keep(e) {
				n += e.n
			}
		}
		if n > 0 {
			out[p.cells.At(res)] += float64(n)
		}
	}
	return out
}

// Cells returns the cells at resolution res holding any violation that
// passes f, sorted.
func (v View) Cells(f Filter, res int) []h3.Cell {
	counts := v.Counts(f, res)
	out := make([]h3.Cell, 0, len(counts))
	for c := range counts {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// Dwell returns patrol dwell seconds per cell at resolution res within f's
// hours (categories and sources do not apply to dwell).
func (v View) Dwell(f Filter, res int) map[h3.Cell]float64 {
	m := v.c.matcher(f)
	out := map[h3.Cell]float64{}
	for i := range v.c.places {
		p := &v.c.places[i]
		var s float64
		for _, e := range m.dwell(p.dwell) {
			s += float64(e.seconds)
		}
		if s > 0 {
			out[p.cells.At(res)] += s
		}
	}
	return out
}

// Series returns, per cell at resolution res, the violations that pass f in
// each bin (f's From and To are replaced by the bins' span).
func (v View) Series(f Filter, res int, b Bins) map[h3.Cell][]float64 {
	out := map[h3.Cell][]float64{}
	if b.N() == 0 {
		return out
	}
	f.From, f.To = b.Start(), b.End()
	m := v.c.matcher(f)
	edges := b.hours()
	m.lo, m.hi = edges[0], edges[len(edges)-1]
	for i := range v.c.places {
		p := &v.c.places[i]
		var series []float64
		k := 0
		for _, e := range m.counts(p.counts) {
			for e.hour >= edges[k+1] {
				k++
			}
			if !m.keep(e) {
				continue
			}
			if series == nil {
				c := p.cells.At(res)
				if series = out[c]; series == nil {
					series = make([]float64, b.N())
					out[c] = series
				}
			}
			series[k] += float64(e.n)
		}
	}
	return out
}

// Each calls fn for every count entry that passes f: its place's cells, its
// hour (UTC), category, source and count.
func (v View) Each(f Filter, fn func(cells Cells, hour time.Time, category string, source data.Source, n int)) {
	m := v.c.matcher(f)
	for i := range v.c.places {
		p := &v.c.places[i]
		for _, e := range m.counts(p.counts) {
			if m.keep(e) {
				fn(p.cells, hourTime(e.hour), v.c.cats.names[e.cat], data.Source(v.c.srcs.names[e.src]), int(e.n))
			}
		}
	}
}

// EachDwell calls fn for every dwell entry within f's hours.
func (v View) EachDwell(f Filter, fn func(cells Cells, hour time.Time, seconds float64)) {
	m := v.c.matcher(f)
	for i := range v.c.places {
		p := &v.c.places[i]
		for _, e := range m.dwell(p.dwell) {
			fn(p.cells, hourTime(e.hour), float64(e.seconds))
		}
	}
}
