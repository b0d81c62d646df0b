package data

import (
	"encoding/json"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// roadProperties are the GeoJSON properties of a road feature, as the
// bundled roads file and PUT /api/v1/roads/{id} write them.
type roadProperties struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Pinyin      string   `json:"pinyin"`
	Key         *bool    `json:"key"`
	Approximate bool     `json:"approximate"`
	BufferM     *float64 `json:"buffer_m"`
	Attribution string   `json:"attribution"`
	Pilots      []Pilot  `json:"pilots"`
}

// DefaultBufferMeters is a road's corridor half-width when none is given.
const DefaultBufferMeters = 20.0

// DecodeRoad reads a road from a GeoJSON Feature with a LineString geometry
// (WGS-84). The id comes from the properties, else from the feature's id.
// Omitted key means a key road; omitted buffer_m means DefaultBufferMeters.
// The road is validated and cut into SegmentMeters segments.
func DecodeRoad(raw []byte) (Road, error) {
	f, err := geojson.UnmarshalFeature(raw)
	if err != nil {
		return Road{}, Errorf(EINVALID, "a road must be a GeoJSON Feature: %v", err)
	}
	var p roadProperties
	props, _ := json.Marshal(f.Properties)
	if err := json.Unmarshal(props, &p); err != nil {
		return Road{}, Errorf(EINVALID, "road properties: %v", err)
	}
	if p.ID == "" && f.ID != nil {
		p.ID = fmt.Sprint(f.ID)
	}
	line, ok := f.Geometry.(orb.LineString)
	if !ok {
		return Road{}, &Error{Code: EINVALID, Message: "a road's geometry must be a LineString (its centreline)",
			Problems: []Problem{{Field: "geometry", Reason: "must be a LineString"}}}
	}
	r := Road{ID: p.ID, Name: p.Name, Pinyin: p.Pinyin, Geometry: line, Key: p.Key == nil || *p.Key,
		Approximate: p.Approximate, BufferMeters: DefaultBufferMeters, Attribution: p.Attribution, Pilots: p.Pilots}
	if p.BufferM != nil {
		r.BufferMeters = *p.BufferM
	}
	if ps := r.Validate(); len(ps) > 0 {
		return Road{}, &Error{Code: EINVALID, Message: "the road is invalid", Problems: ps}
	}
	r.Cut(SegmentMeters)
	return r, nil
}
