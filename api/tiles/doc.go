// Package tiles encodes features as Mapbox Vector Tiles (MVT 2.1) and
// describes tile layers in TileJSON 3.0. It knows nothing of where the
// features come from; the api package serves it at /tiles.
package tiles
