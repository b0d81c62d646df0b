package data

import (
	"context"

	"github.com/dazhigu/hotspot/geo"
)

// SegmentMeters is the default length of a road segment.
const SegmentMeters = 100.0

// Cut fills r.Segments from r.Geometry: stretches of about meters each,
// carrying their H3 cover at resolutions 11 and 12 within r.BufferMeters.
// It stops with ctx's error once ctx is done, leaving r as it was.
func (r *Road) Cut(ctx context.Context, meters float64) error {
	stretches := geo.Cut(r.Geometry, meters)
	c11, err := geo.Cover(ctx, stretches, r.BufferMeters, 11)
	if err != nil {
		return err
	}
	c12, err := geo.Cover(ctx, stretches, r.BufferMeters, 12)
	if err != nil {
		return err
	}
	r.Segments = make([]Segment, len(stretches))
	for i, s := range stretches {
		r.Segments[i] = Segment{Index: i, Line: s.Line, FromMeters: s.From, ToMeters: s.To,
			Cells11: c11[i], Cells12: c12[i]}
	}
	return nil
}
