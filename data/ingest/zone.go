package ingest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"time"
)

// Offsets gathers the UTC offsets that a file's times were written in, to
// give the file its own time zone: weeks of a backtest start on Monday 00:00
// at the offset the file's own events show for that time (Boston's, for
// instance, moves between −05:00 and −04:00 with daylight saving). Each UTC
// day takes the offset most of its times were written in, so a few rows in
// another offset (a stray "Z") do not move the weeks.
type Offsets struct {
	byDay  map[int64]map[int]int // UTC day → offset in seconds → times
	byHour map[int64]map[int]int // UTC hour → offset → times
}

// Add records the offset of t.
func (o *Offsets) Add(t time.Time) {
	if o.byDay == nil {
		o.byDay, o.byHour = map[int64]map[int]int{}, map[int64]map[int]int{}
	}
	_, off := t.Zone()
	count(o.byDay, floorDiv(t.Unix(), 86400), off)
	count(o.byHour, floorDiv(t.Unix(), 3600), off)
}

func count(m map[int64]map[int]int, k int64, off int) {
	if m[k] == nil {
		m[k] = map[int]int{}
	}
	m[k][off]++
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// major returns the most common offset of counts, the smaller of equals.
func major(counts map[int]int) int {
	best, n := 0, -1
	for off, c := range counts {
		if c > n || (c == n && off < best) {
			best, n = off, c
		}
	}
	return best
}

// switchHour returns when the offset moved from old to new over the UTC
// days day−1 and day: the first hour written mostly in new after the last
// one written mostly in old (00:00 UTC of day when the hours do not tell).
func (o *Offsets) switchHour(day int64, old, new int) int64 {
	last, first := int64(-1<<62), int64(-1<<62)
	for h := (day - 1) * 24; h < (day+1)*24; h++ {
		if c, ok := o.byHour[h]; ok {
			switch major(c) {
			case old:
				last, first = h, -1<<62
			case new:
				if first == -1<<62 && h > last {
					first = h
				}
			}
		}
	}
	if first == -1<<62 {
		return day * 86400
	}
	return first * 3600
}

// Zone returns a time zone whose offset is each day's most common one (the
// smaller offset of equals), from the first day at its offset; each change
// takes effect at the first hour written mostly in the new offset after the
// last one written mostly in the old, on the day of the change or the day
// before. Without any time it is UTC.
func (o *Offsets) Zone() (*time.Location, error) {
	days := make([]int64, 0, len(o.byDay))
	for d := range o.byDay {
		days = append(days, d)
	}
	slices.Sort(days)
	if len(days) == 0 {
		return time.UTC, nil
	}
	first := major(o.byDay[days[0]])
	var at []int64
	var offs []int
	last := first
	for _, d := range days[1:] {
		if off := major(o.byDay[d]); off != last {
			h := o.switchHour(d, last, off)
			if len(at) > 0 && h <= at[len(at)-1] { // transitions must rise
				h = at[len(at)-1] + 3600
			}
			at, offs, last = append(at, h), append(offs, off), off
		}
	}
	if len(at) == 0 {
		return time.FixedZone(offsetName(first), first), nil
	}
	return time.LoadLocationFromTZData("file", tzif(first, at, offs))
}

// tzif writes a TZif version 2 file (RFC 8536) of the offsets: zone 0 is
// the first offset, in force before any transition; transition k moves to
// offs[k] at at[k] (Unix seconds).
func tzif(first int, at []int64, offs []int) []byte {
	types := []int{first} // type 0 is never the target of a transition
	index := map[int]uint8{}
	var idx []uint8
	for _, off := range offs {
		i, ok := index[off]
		if !ok {
			i = uint8(len(types))
			index[off] = i
			types = append(types, off)
		}
		idx = append(idx, i)
	}
	var chars []byte
	abbr := make([]uint8, len(types))
	for i, off := range types {
		abbr[i] = uint8(len(chars))
		chars = append(append(chars, offsetName(off)...), 0)
	}
	var b bytes.Buffer
	header := func(timecnt, typecnt, charcnt int) {
		b.WriteString("TZif2")
		b.Write(make([]byte, 15))
		for _, n := range []int{0, 0, 0, timecnt, typecnt, charcnt} { // isut, isstd, leap, time, type, char
			binary.Write(&b, binary.BigEndian, uint32(n))
		}
	}
	header(0, 1, 1) // an empty version-1 block: one type, one character
	b.Write([]byte{0, 0, 0, 0, 0, 0})
	b.WriteByte(0)
	header(len(at), len(types), len(chars))
	for _, t := range at {
		binary.Write(&b, binary.BigEndian, t)
	}
	b.Write(idx)
	for i, off := range types {
		binary.Write(&b, binary.BigEndian, int32(off))
		b.Write([]byte{0, abbr[i]})
	}
	b.Write(chars)
	b.WriteString("\n\n") // no rule for times after the last transition: the last offset holds
	return b.Bytes()
}

// offsetName names an offset as ±hh:mm.
func offsetName(off int) string {
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%c%02d:%02d", sign, off/3600, off/60%60)
}
