package api

import "sync"

// tileCache keeps finished tiles by their ETag, which names everything a
// tile depends on (layer, z/x/y, query, the data's change number, the roads,
// the engine's clock to the hour, the request's scope, gzip): a map's pans
// and zooms ask the same tiles again, and a tile of cells costs an analysis.
// When it holds more than its budget it starts again empty.
type tileCache struct {
	mu    sync.Mutex
	tiles map[string][]byte // nil: no content (204)
	bytes int
}

// Budget of the tile cache.
const (
	tileCacheBytes = 64 << 20
	tileCacheTiles = 20000
)

func newTileCache() *tileCache { return &tileCache{tiles: map[string][]byte{}} }

// get returns the tile kept for etag, and whether there is one.
func (tc *tileCache) get(etag string) ([]byte, bool) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	raw, ok := tc.tiles[etag]
	return raw, ok
}

// put keeps a tile (nil for none) under etag.
func (tc *tileCache) put(etag string, raw []byte) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if tc.bytes+len(raw) > tileCacheBytes || len(tc.tiles) >= tileCacheTiles {
		clear(tc.tiles)
		tc.bytes = 0
	}
	if _, ok := tc.tiles[etag]; !ok {
		tc.tiles[etag] = raw
		tc.bytes += len(raw)
	}
}
