package geo

import (
	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// cellCache finds the H3 cells of points that mostly fall in the cell of
// the point before, or in a cell next to it, as the fixes of a walking
// patrol do. A point the current cell's CellShape holds is in that cell;
// else the cells seen next to it are tried, and only a point none of them
// holds (near an edge, or in a cell not met yet) is looked up in H3.
type cellCache struct {
	res    int
	cur    *cachedCell
	shapes map[h3.Cell]*cachedCell
}

// cachedCell is a cell's shape and the cells points were found in right
// after (or before) a point in it: usually its neighbours.
type cachedCell struct {
	CellShape
	near [6]*cachedCell
	next int // the slot of near to fill next
}

// maxCachedCells bounds a cellCache (about 500 bytes a cell); past it the
// cache starts afresh.
const maxCachedCells = 4096

func newCellCache(res int) *cellCache {
	return &cellCache{res: res, shapes: make(map[h3.Cell]*cachedCell)}
}

// cell returns the H3 cell of p at the cache's resolution.
func (cc *cellCache) cell(p orb.Point) h3.Cell {
	if cur := cc.cur; cur != nil {
		if cur.Holds(p) {
			return cur.cell
		}
		for _, n := range cur.near {
			if n != nil && n.Holds(p) {
				cc.cur = n
				return n.cell
			}
		}
	}
	c := Cell(p, cc.res)
	if c == 0 {
		return c
	}
	e := cc.shape(c)
	if cur := cc.cur; cur != nil && cur != e {
		cur.link(e)
		e.link(cur)
	}
	cc.cur = e
	return c
}

// shape returns the cached cell c, preparing its shape when it is new.
func (cc *cellCache) shape(c h3.Cell) *cachedCell {
	if e, ok := cc.shapes[c]; ok {
		return e
	}
	if len(cc.shapes) >= maxCachedCells {
		clear(cc.shapes)
		cc.cur = nil
	}
	e := &cachedCell{CellShape: NewCellShape(c)}
	cc.shapes[c] = e
	return e
}

// link notes n as a cell met next to e, unless it is noted already.
func (e *cachedCell) link(n *cachedCell) {
	for _, m := range e.near {
		if m == n {
			return
		}
	}
	e.near[e.next] = n
	e.next = (e.next + 1) % len(e.near)
}
