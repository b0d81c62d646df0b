package cube

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

// MinRes and MaxRes are the resolutions at which the cube keeps each
// violation's own cell: the analysis resolutions (9 ≈ 0.105 km² to
// 12 ≈ 307 m²).
const (
	MinRes = 9
	MaxRes = data.CellResolution
)

const levels = MaxRes - MinRes + 1

// Cells holds one place's H3 cell at each resolution MinRes..MaxRes. For a
// violation these are the cells that hold its point (H3 LatLngToCell at each
// resolution): H3 children do not tile their parent, so a point's res-11
// cell is not always the parent of its res-12 cell. For patrol dwell, which
// the store keeps per res-12 cell, they are the cells holding that cell's
// centre (see CentreCells).
type Cells [levels]h3.Cell

// At returns the cell at resolution res. Below MinRes it is the parent of
// the MinRes cell (children do not tile their parents, so such counts are
// approximate); above MaxRes it is the MaxRes cell.
func (c Cells) At(res int) h3.Cell {
	switch {
	case res < MinRes:
		return c[0].Parent(res)
	case res > MaxRes:
		return c[levels-1]
	}
	return c[res-MinRes]
}

// PointCells returns the cells that hold the WGS-84 point p, with cell12 its
// known res-12 cell.
func PointCells(p orb.Point, cell12 h3.Cell) Cells {
	var cs Cells
	for r := MinRes; r < MaxRes; r++ {
		cs[r-MinRes] = geo.Cell(p, r)
	}
	cs[levels-1] = cell12
	return cs
}

// CentreCells returns the cells that hold the centre of a res-12 cell. Dwell
// is counted this way: presence anywhere in the res-12 cell goes to the
// coarser cell holding its centre. The error this makes is bounded: only
// presence within one res-12 cell (circumradius ≈ 10.8 m) of a coarser
// cell's edge can be put in the neighbouring cell (docs/analytics.md gives
// the measured share of area).
func CentreCells(cell12 h3.Cell) Cells {
	ll := cell12.LatLng()
	return PointCells(orb.Point{ll.Lng, ll.Lat}, cell12)
}

// locator finds the cells of violations' points. Most points lie in the
// parent of their res-12 cell at each coarser resolution, well inside it: a
// cached geo.CellShape tells so with a few multiplications, and only points
// near an edge are looked up in H3. The result is always H3's LatLngToCell.
type locator struct {
	shapes map[h3.Cell]*geo.CellShape
}

// maxShapes bounds a locator's cache (about 450 bytes a shape).
const maxShapes = 1 << 16

// cells returns the cells of a violation's point p in res-12 cell cell12,
// or of that cell's centre when p is missing (zero).
func (l *locator) cells(p orb.Point, cell12 h3.Cell) Cells {
	if (p[0] == 0 && p[1] == 0) || math.IsNaN(p[0]+p[1]) || math.IsInf(p[0]+p[1], 0) {
		return CentreCells(cell12)
	}
	var cs Cells
	for r := MinRes; r < MaxRes; r++ {
		parent := geo.Parent(cell12, r)
		if l.shape(parent).Holds(p) {
			cs[r-MinRes] = parent
		} else {
			cs[r-MinRes] = geo.Cell(p, r)
		}
	}
	cs[levels-1] = cell12
	return cs
}

func (l *locator) shape(c h3.Cell) *geo.CellShape {
	if s, ok := l.shapes[c]; ok {
		return s
	}
	if l.shapes == nil || len(l.shapes) >= maxShapes {
		l.shapes = make(map[h3.Cell]*geo.CellShape)
	}
	s := geo.NewCellShape(c)
	l.shapes[c] = &s
	return &s
}
