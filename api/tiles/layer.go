package tiles

import "github.com/paulmach/orb/maptile"

// Field types, as TileJSON's vector_layers name them.
const (
	String  = "String"
	Number  = "Number"
	Boolean = "Boolean"
)

// Layer describes one tile layer.
type Layer struct {
	ID          string
	Description string
	MinZoom     int
	MaxZoom     int
	Fields      map[string]string // property name → String, Number or Boolean; only these are encoded
	Extra       map[string]any    // more members of the TileJSON document
}

// Limits of the zooms served.
const (
	MinZoom = 0
	MaxZoom = 22
)

// Parse reads z, x, y as a tile, and reports whether it is one.
func Parse(z, x, y int) (maptile.Tile, bool) {
	if z < MinZoom || z > MaxZoom || x < 0 || y < 0 || x >= 1<<z || y >= 1<<z {
		return maptile.Tile{}, false
	}
	return maptile.New(uint32(x), uint32(y), maptile.Zoom(z)), true
}

// CellResolution is the H3 resolution whose cells a tile at zoom z draws:
// about 5 to 15 pixels across on a 256-pixel tile.
func CellResolution(z int) int {
	switch {
	case z <= 13:
		return 9
	case z == 14:
		return 10
	case z <= 16:
		return 11
	}
	return 12
}
