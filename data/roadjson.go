package data

import (
	"encoding/json"
	"errors"
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
// The road is validated, not yet cut into segments: its caller checks where
// it lies first, then cuts it (Road.Cut).
func DecodeRoad(raw []byte) (Road, error) {
	f, err := geojson.UnmarshalFeature(raw)
	if err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return Road{}, Errorf(EINVALID, "the body is not JSON (at byte %d): a road is a GeoJSON Feature", syntax.Offset)
		}
		return Road{}, Errorf(EINVALID, `a road is a GeoJSON Feature: {"type":"Feature","id":…,"properties":{…},"geometry":{"type":"LineString",…}}`)
	}
	var p roadProperties
	props, _ := json.Marshal(f.Properties)
	if err := json.Unmarshal(props, &p); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			reason := "must be " + jsonKind(typ.Type.Kind().String()) + ", not " + typ.Value
			return Road{}, &Error{Code: EINVALID, Message: "road property " + typ.Field + " " + reason,
				Problems: []Problem{{Field: typ.Field, Reason: reason}}}
		}
		return Road{}, Errorf(EINVALID, "the road's properties cannot be read: name, pinyin, key, buffer_m, approximate, attribution, pilots")
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
	return r, nil
}

// jsonKind names a Go kind as JSON has it.
func jsonKind(kind string) string {
	switch kind {
	case "float64", "float32", "int", "int64":
		return "a number"
	case "bool":
		return "true or false"
	case "string":
		return "a string"
	case "slice":
		return "an array"
	case "struct", "map":
		return "an object"
	}
	return "another type"
}
