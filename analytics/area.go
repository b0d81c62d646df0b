package analytics

import (
	"slices"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
)

// StudyArea is the set of cells statistics are computed over (DESIGN.md
// §5): every cell of it counts, with or without events, since Gi* without
// its zeros is wrong. Weights are the binary k-ring weights among its
// cells, each cell its own neighbour.
type StudyArea struct {
	Res     int
	K       int
	Cells   []h3.Cell // sorted
	Weights Weights
	index   map[h3.Cell]int32
}

// RoadArea is the study area of the key roads at resolution res (0..12):
// the parents of the resolution-12 cover of every segment's buffered
// corridor.
func RoadArea(roads []data.Road, res, k int) StudyArea {
	var cells []h3.Cell
	for _, r := range roads {
		for _, s := range r.Segments {
			for _, c := range s.Cells12 {
				cells = append(cells, c.Parent(min(res, data.CellResolution)))
			}
		}
	}
	return newArea(cells, res, k)
}

// BoundaryArea is the study area of a polygon (WGS-84) at resolution res:
// the cells whose centres lie inside it.
func BoundaryArea(poly orb.Polygon, res, k int) StudyArea {
	gp := h3.GeoPolygon{}
	for i, ring := range poly {
		lls := make([]h3.LatLng, len(ring))
		for j, p := range ring {
			lls[j] = h3.LatLng{Lat: p[1], Lng: p[0]}
		}
		if i == 0 {
			gp.GeoLoop = lls
		} else {
			gp.Holes = append(gp.Holes, lls)
		}
	}
	return newArea(h3.PolygonToCells(gp, res), res, k)
}

func newArea(cells []h3.Cell, res, k int) StudyArea {
	slices.Sort(cells)
	cells = slices.Compact(cells)
	a := StudyArea{Res: res, K: k, Cells: cells, index: make(map[h3.Cell]int32, len(cells))}
	for i, c := range cells {
		a.index[c] = int32(i)
	}
	a.Weights.Neighbours = make([][]int32, len(cells))
	for i, c := range cells {
		var nb []int32
		for _, d := range c.GridDisk(k) {
			if j, ok := a.index[d]; ok {
				nb = append(nb, j)
			}
		}
		slices.Sort(nb)
		a.Weights.Neighbours[i] = nb
	}
	return a
}

// Index returns the position of a cell in the area, or -1.
func (a StudyArea) Index(c h3.Cell) int {
	if i, ok := a.index[c]; ok {
		return int(i)
	}
	return -1
}

// Values lays a per-cell map out in the area's order, 0 for cells absent
// from it; cells outside the area are left out.
func (a StudyArea) Values(m map[h3.Cell]float64) []float64 {
	x := make([]float64, len(a.Cells))
	for c, v := range m {
		if i, ok := a.index[c]; ok {
			x[i] = v
		}
	}
	return x
}
