package ingest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"time"
)

// Offsets gathers the UTC offsets that a file's times were written in, hour
// by hour, to give the file its own time zone: weeks of a backtest start on
// Monday 00:00 at the offset the file's own events show for that time
// (Boston's, for instance, moves between −05:00 and −04:00 with daylight
// saving).
type Offsets struct {
	byHour map[int64]int // UTC hour → offset in seconds
}

// Add records the offset of t.
func (o *Offsets) Add(t time.Time) {
	if o.byHour == nil {
		o.byHour = map[int64]int{}
	}
	_, off := t.Zone()
	o.byHour[t.Unix()/3600] = off
}

// Zone returns a time zone whose offset changes where the file's does: from
// the first hour recorded at its offset, each later change taking effect at
// the first hour written in the new offset. Without any time it is UTC.
func (o *Offsets) Zone() (*time.Location, error) {
	hours := make([]int64, 0, len(o.byHour))
	for h := range o.byHour {
		hours = append(hours, h)
	}
	slices.Sort(hours)
	if len(hours) == 0 {
		return time.UTC, nil
	}
	first := o.byHour[hours[0]]
	var at []int64
	var offs []int
	last := first
	for _, h := range hours[1:] {
		if off := o.byHour[h]; off != last {
			at, offs, last = append(at, h*3600), append(offs, off), off
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
