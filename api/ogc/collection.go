package ogc

import (
	"cmp"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// Queryable types, as JSON Schema names them.
const (
	TypeString  = "string"
	TypeNumber  = "number"
	TypeInteger = "integer"
	TypeBoolean = "boolean"
	TypeTime    = "date-time" // a string with format date-time
)

// Queryable is a property a client may filter and sort by.
type Queryable struct {
	Name        string
	Type        string // one of the Type constants
	Description string
	Enum        []string // allowed values, if few
}

// Collection describes one feature collection.
type Collection struct {
	ID, Title, Description string
	Geometry               string // GeoJSON geometry type of every feature: Point, LineString, Polygon
	Queryables             []Queryable
	Extent                 orb.Bound      // spatial extent, WGS-84; zero: unknown
	Start, End             time.Time      // temporal extent; zero: open
	TimeProperty           string         // instant property datetime= tests; "" none
	TimeInterval           [2]string      // or: properties holding an interval's start and end
	IDType                 string         // type of the ids: TypeString (the default) or TypeInteger
	Extra                  map[string]any // more members of the collection document
}

// Queryable returns the named queryable, and whether there is one. The
// feature id ("id") and the geometry are queryable in every collection.
func (c Collection) Queryable(name string) (Queryable, bool) {
	switch name {
	case "id":
		return Queryable{Name: "id", Type: cmp.Or(c.IDType, TypeString), Description: "the feature's id"}, true
	case "geometry":
		return Queryable{Name: "geometry", Type: "geometry"}, true
	}
	for _, q := range c.Queryables {
		if q.Name == name {
			return q, true
		}
	}
	return Queryable{}, false
}

// names returns the queryables' names, for messages.
func (c Collection) names() []string {
	out := []string{"id"}
	for _, q := range c.Queryables {
		out = append(out, q.Name)
	}
	return out
}

// QueryablesSchema returns the collection's queryables as a JSON Schema
// (OGC API – Features – Part 3, §6.2), with its $id at url.
func (c Collection) QueryablesSchema(url string) map[string]any {
	props := map[string]any{
		"id": map[string]any{"title": "id", "description": "the feature's id", "type": cmp.Or(c.IDType, TypeString)},
		"geometry": map[string]any{"title": "geometry", "description": "the feature's geometry (WGS-84)",
			"format": "geometry-" + strings.ToLower(c.Geometry)},
	}
	for _, q := range c.Queryables {
		p := map[string]any{"title": q.Name, "type": q.Type}
		if q.Type == TypeTime {
			p["type"], p["format"] = "string", "date-time"
		}
		if q.Description != "" {
			p["description"] = q.Description
		}
		if len(q.Enum) > 0 {
			p["enum"] = q.Enum
		}
		props[q.Name] = p
	}
	return map[string]any{
		"$schema": "https://json-schema.org/draft/2019-09/schema", "$id": url, "type": "object",
		"title": c.Title, "properties": props, "additionalProperties": false,
	}
}
