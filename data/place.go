package data

import "github.com/dazhigu/hotspot/geo"

// Place sets v's H3 cell and matches it to the nearest road whose corridor
// (BufferMeters either side of the centreline) contains it: road, segment,
// distance along the road and from its centreline. A point on no road gets
// Road "" and Segment -1.
func Place(v *Violation, roads []Road) {
	v.Cell = geo.Cell(v.Point, CellResolution)
	v.Road, v.Segment, v.Along, v.Offset = "", -1, 0, 0
	best := -1.0
	for i := range roads {
		along, offset := geo.Locate(roads[i].Geometry, v.Point)
		if offset > roads[i].BufferMeters || (best >= 0 && offset >= best) {
			continue
		}
		best = offset
		v.Road, v.Along, v.Offset = roads[i].ID, along, offset
		v.Segment = segmentAt(roads[i].Segments, along)
	}
}

// segmentAt returns the index of the segment holding the distance along a
// road, the last one for the road's very end, -1 when there are none.
func segmentAt(segs []Segment, along float64) int {
	for _, s := range segs {
		if along < s.ToMeters {
			return s.Index
		}
	}
	if len(segs) == 0 {
		return -1
	}
	return segs[len(segs)-1].Index
}
