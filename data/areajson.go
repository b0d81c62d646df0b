package data

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// DecodeArea reads an area from a GeoJSON Feature with a Polygon geometry
// (WGS-84): its id from the properties' "id", else the feature's id; "name"
// and "parent" from the properties. The area is validated on its own.
func DecodeArea(raw []byte) (Area, error) {
	f, err := geojson.UnmarshalFeature(raw)
	if err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return Area{}, Errorf(EINVALID, "the body is not JSON (at byte %d): an area is a GeoJSON Feature", syntax.Offset)
		}
		return Area{}, Errorf(EINVALID, `an area is a GeoJSON Feature: {"type":"Feature","id":"street:…","properties":{"name":…,"parent":…},"geometry":{"type":"Polygon",…}}`)
	}
	return AreaOfFeature(f)
}

// AreaOfFeature reads an area from a decoded GeoJSON Feature, as
// DecodeArea does.
func AreaOfFeature(f *geojson.Feature) (Area, error) {
	str := func(name string) (string, error) {
		v, ok := f.Properties[name]
		if !ok || v == nil {
			return "", nil
		}
		s, ok := v.(string)
		if !ok {
			return "", &Error{Code: EINVALID, Message: "area property " + name + " must be a string",
				Problems: []Problem{{Field: name, Reason: "must be a string"}}}
		}
		return s, nil
	}
	var a Area
	var err error
	if a.ID, err = str("id"); err != nil {
		return Area{}, err
	}
	if a.ID == "" && f.ID != nil {
		a.ID = fmt.Sprint(f.ID)
	}
	if a.Name, err = str("name"); err != nil {
		return Area{}, err
	}
	if a.Parent, err = str("parent"); err != nil {
		return Area{}, err
	}
	poly, ok := f.Geometry.(orb.Polygon)
	if !ok {
		return Area{}, &Error{Code: EINVALID, Message: "an area's geometry must be a Polygon (its boundary)",
			Problems: []Problem{{Field: "geometry", Reason: "must be a Polygon"}}}
	}
	a.Boundary = poly
	if ps := a.Validate(); len(ps) > 0 {
		return Area{}, &Error{Code: EINVALID, Message: "the area is invalid", Problems: ps}
	}
	return a, nil
}

// AreaFeature encodes an area as a GeoJSON Feature (WGS-84).
func AreaFeature(a Area) *geojson.Feature {
	f := geojson.NewFeature(a.Boundary)
	f.ID = a.ID
	f.Properties = geojson.Properties{"id": a.ID, "name": a.Name, "kind": a.Kind(), "parent": a.Parent}
	return f
}
