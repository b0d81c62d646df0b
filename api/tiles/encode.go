package tiles

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
)

// Buffer is how far beyond its edges a tile holds its features, as a
// share of its width: enough for lines and outlines to join across tiles.
const Buffer = 1.0 / 16

// clip is the tile with its buffer, in tile coordinates.
var clip = orb.Bound{Min: orb.Point{-Buffer * mvt.DefaultExtent, -Buffer * mvt.DefaultExtent},
	Max: orb.Point{(1 + Buffer) * mvt.DefaultExtent, (1 + Buffer) * mvt.DefaultExtent}}

// Encode returns tile t holding one layer of features (WGS-84, or the
// datum of the tile grid), clipped to the tile and its Buffer. Only the layer's Fields are written; a property of another type
// than its field's, or null, is left out. With gzipped the tile is
// gzip-compressed, as Content-Encoding: gzip.
func Encode(t maptile.Tile, l Layer, features []*geojson.Feature, gzipped bool) ([]byte, error) {
	fc := geojson.NewFeatureCollection()
	for _, f := range features {
		if f.Geometry == nil {
			continue
		}
		g := geojson.NewFeature(orb.Clone(f.Geometry)) // projected in place below
		g.ID = f.ID
		g.Properties = scalars(l.Fields, f.Properties)
		fc.Append(g)
	}
	layers := mvt.NewLayers(map[string]*geojson.FeatureCollection{l.ID: fc})
	layers.ProjectToTile(t)
	layers.Clip(clip)
	layers.RemoveEmpty(0, 0)
	for _, l := range layers {
		l.Version = 2
		for _, f := range l.Features {
			wind(f.Geometry)
		}
	}
	if gzipped {
		return mvt.MarshalGzipped(layers)
	}
	return mvt.Marshal(layers)
}

// scalars keeps the properties fields names, of their types.
func scalars(fields map[string]string, p geojson.Properties) geojson.Properties {
	out := geojson.Properties{}
	for name, typ := range fields {
		switch v := p[name].(type) {
		case string:
			if typ == String {
				out[name] = v
			}
		case bool:
			if typ == Boolean {
				out[name] = v
			}
		case float64, int, int64:
			if typ == Number {
				out[name] = v
			}
		}
	}
	return out
}

// wind orders polygon rings as MVT 2.1 §4.3.4.4 has them: exterior rings
// of positive area by the surveyor's formula in tile coordinates, interior
// rings negative.
func wind(g orb.Geometry) {
	switch g := g.(type) {
	case orb.Polygon:
		for i, r := range g {
			if (i == 0) != (r.Orientation() == orb.CCW) {
				r.Reverse()
			}
		}
	case orb.MultiPolygon:
		for _, p := range g {
			wind(p)
		}
	}
}
