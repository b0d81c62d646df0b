package tiles

import "github.com/paulmach/orb"

// TileJSON returns the TileJSON 3.0.0 document of layer l whose tiles are
// at url (a template with {z}/{x}/{y}), over bounds (WGS-84), with the
// attribution shown under the map.
func TileJSON(l Layer, url string, bounds orb.Bound, attribution string) map[string]any {
	c := bounds.Center()
	center := min(max((l.MinZoom+l.MaxZoom)/2, 15), l.MaxZoom)
	doc := map[string]any{
		"tilejson": "3.0.0", "name": l.ID, "description": l.Description, "scheme": "xyz",
		"tiles": []string{url}, "minzoom": l.MinZoom, "maxzoom": l.MaxZoom,
		"bounds": []float64{bounds.Min[0], bounds.Min[1], bounds.Max[0], bounds.Max[1]},
		"center": []float64{c[0], c[1], float64(center)}, "attribution": attribution,
		"vector_layers": []map[string]any{{"id": l.ID, "description": l.Description, "fields": l.Fields,
			"minzoom": l.MinZoom, "maxzoom": l.MaxZoom}},
	}
	for k, v := range l.Extra {
		doc[k] = v
	}
	return doc
}
