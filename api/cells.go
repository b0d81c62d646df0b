package api

import (
	"io"
	"slices"
	"strconv"

	"github.com/uber/h3-go/v4"
)

// cellStrings writes H3 indexes in their usual hexadecimal form.
func cellStrings(cs []h3.Cell) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.String()
	}
	return out
}

// appendCell appends an H3 index as a JSON string in its usual
// hexadecimal form (h3.Cell.String).
func appendCell(b []byte, c h3.Cell) []byte {
	b = append(b, '"')
	b = strconv.AppendUint(b, uint64(c), 16)
	return append(b, '"')
}

// streamFlush is how many bytes a streamed answer gathers before writing
// them on.
const streamFlush = 32 << 10

// streamObject writes a JSON object to w: the members of top as
// encoding/json writes a map (keys sorted, HTML escaped, then a newline),
// with the member list holding n items, each appended by item, written on
// as they are made rather than gathered whole. An error (a value JSON
// cannot hold) ends the object where it is.
func streamObject(w io.Writer, top map[string]any, list string, n int, item func(b []byte, i int) ([]byte, error)) error {
	keys := append(slices.Collect(func(yield func(string) bool) {
		for k := range top {
			if k != list && !yield(k) {
				return
			}
		}
	}), list)
	slices.Sort(keys)
	b := make([]byte, 0, 2*streamFlush)
	b = append(b, '{')
	var err error
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendString(b, k), ':')
		if k != list {
			if b, err = appendJSON(b, top[k]); err != nil {
				return err
			}
			continue
		}
		b = append(b, '[')
		for j := range n {
			if j > 0 {
				b = append(b, ',')
			}
			if b, err = item(b, j); err != nil {
				return err
			}
			if len(b) >= streamFlush {
				if _, err := w.Write(b); err != nil {
					return err
				}
				b = b[:0]
			}
		}
		b = append(b, ']')
	}
	_, err = w.Write(append(b, "}\n"...))
	return err
}

// appendCellObject appends cv as a JSON object: its cell under idKey, its
// value under "value" and its props (which win over those two), keys
// sorted, as encoding/json writes the map of them. keys is scratch space.
func appendCellObject(b []byte, cv cellValue, idKey string, keys *[]string) ([]byte, error) {
	if cv.fields != nil {
		return appendCellFields(b, cv, idKey)
	}
	ks := (*keys)[:0]
	for k := range cv.props {
		ks = append(ks, k)
	}
	for _, k := range []string{idKey, "value"} {
		if _, ok := cv.props[k]; !ok {
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	*keys = ks
	b = append(b, '{')
	var err error
	for i, k := range ks {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendString(b, k), ':')
		v, ok := cv.props[k]
		switch {
		case ok:
			b, err = appendJSON(b, v)
		case k == idKey:
			b = appendCell(b, cv.cell)
		default:
			b, err = appendJSON(b, cv.json())
		}
		if err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// appendCellFields is appendCellObject for a cell whose props are fields,
// sorted: its id and value are merged in at their places.
func appendCellFields(b []byte, cv cellValue, idKey string) ([]byte, error) {
	b = append(b, '{')
	own := [2]string{idKey, "value"} // sorted below
	if own[1] < own[0] {
		own[0], own[1] = own[1], own[0]
	}
	next, first := 0, true
	var err error
	member := func(key string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(appendString(b, key), ':')
	}
	mine := func(key string) {
		member(key)
		if key == idKey {
			b = appendCell(b, cv.cell)
		} else if b, err = appendJSON(b, cv.json()); err != nil {
			return
		}
	}
	for _, f := range cv.fields {
		for next < 2 && own[next] < f.key {
			mine(own[next])
			next++
		}
		member(f.key)
		if b, err = appendJSON(b, f.value); err != nil {
			return b, err
		}
	}
	for ; next < 2; next++ {
		mine(own[next])
	}
	return append(b, '}'), err
}

// appendCellFeature appends cv as the GeoJSON Feature orb's geojson
// encodes: its hexagon in datum crs, its cell as id, and its cell (h3),
// value and props as properties.
func appendCellFeature(b []byte, cv cellValue, crs string, keys *[]string) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = appendCell(b, cv.cell)
	b = append(b, `,"type":"Feature","geometry":{"type":"Polygon","coordinates":[`...)
	var err error
	for i, ring := range hexagon(cv.cell, crs) {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		for j, p := range ring {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, '[')
			if b, err = appendFloat(b, p[0]); err != nil {
				return b, err
			}
			b = append(b, ',')
			if b, err = appendFloat(b, p[1]); err != nil {
				return b, err
			}
			b = append(b, ']')
		}
		b = append(b, ']')
	}
	b = append(b, `]},"properties":`...)
	if b, err = appendCellObject(b, cv, "h3", keys); err != nil {
		return b, err
	}
	return append(b, '}'), nil
}
