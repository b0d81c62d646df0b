package data

import "github.com/dazhigu/hotspot/geo"

// SegmentMeters is the default length of a road segment.
const SegmentMeters = 100.0

// Cut fills r.Segments from r.Geometry: stretches of about meters each,
// carrying their H3 cover at resolutions 11 and 12 within r.BufferMeters.
func (r *Road) Cut(meters float64) {
	stretches := geo.Cut(r.Geometry, meters)
	c11 := geo.Cover(stretches, r.BufferMeters, 11)
	c12 := geo.Cover(stretches, r.BufferMeters, 12)
	r.Segments = make([]Segment, len(stretches))
	for i, s := range stretches {
		r.Segments[i] = Segment{Index: i, Line: s.Line, FromMeters: s.From, ToMeters: s.To,
			Cells11: c11[i], Cells12: c12[i]}
	}
}
