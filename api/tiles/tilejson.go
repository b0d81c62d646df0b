package tiles

import "github.com/paulmach/orb"

// TileJSON returns the TileJSON 3.0.0 document of layer l whose tiles are
// at url (a template with {z}/{x}/{y}), over bounds (in the datum of the
// tile grid; zero: unknown, left out), with the attribution shown under
// the map.
func TileJSON(l Layer, url string, bounds orb.Bound, attribution string) map[string]any {
	doc := map[string]any{
		"tilejson": "3.0.0", "name": l.ID, "description": l.Description, "scheme": "xyz",
		"tiles": []string{url}, "minzoom": l.MinZoom, "maxzoom": l.MaxZoom, "attribution": attribution,
		"vector_layers": []map[string]any{{"id": l.ID, "description": l.Description, "fields": l.Fields,
			"minzoom": l.MinZoom, "maxzoom": l.MaxZoom}},
	}
	if bounds != (orb.Bound{}) {
		c := bounds.Center()
		doc["bounds"] = []float64{bounds.Min[0], bounds.Min[1], bounds.Max[0], bounds.Max[1]}
		doc["center"] = []float64{c[0], c[1], float64(min(max((l.MinZoom+l.MaxZoom)/2, 15), l.MaxZoom))}
	}
	for k, v := range l.Extra {
		doc[k] = v
	}
	return doc
}
