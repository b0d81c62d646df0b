package api

import (
	"fmt"
	"hash/fnv"
	"sync"

	"github.com/dazhigu/hotspot/data"
)

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

// roadPrint is a fingerprint of the roads for tile ETags, kept for the
// engine's cached slice of roads (the same slice until the cache reloads),
// so a tile request does not format every road of a city.
type roadPrint struct {
	mu    sync.Mutex
	first *data.Road
	n     int
	print string
}

// of returns the fingerprint of roads: their ids, centrelines, buffers,
// approximations and pilots.
func (rp *roadPrint) of(roads []data.Road) string {
	if len(roads) == 0 {
		return ""
	}
	rp.mu.Lock()
	defer rp.mu.Unlock()
	// The same array: rp.first keeps the last one alive, so a reloaded
	// slice cannot be at its address.
	if rp.first == &roads[0] && rp.n == len(roads) {
		return rp.print
	}
	h := fnv.New64a()
	for _, r := range roads {
		fmt.Fprintf(h, "%s %v %v %v %v|", r.ID, r.Geometry, r.BufferMeters, r.Approximate, r.Pilots)
	}
	rp.first, rp.n, rp.print = &roads[0], len(roads), fmt.Sprintf("%x", h.Sum64())
	return rp.print
}
