package api

import (
	"context"
	"sync"
	"time"

	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/analytics"
	"github.com/dazhigu/hotspot/data"
)

// roadCacheTTL is how long the analytics reuse the key roads and what is
// derived from them (study areas and their weights, the cell-to-segment
// map). A PUT of a road through this instance clears it at once; another
// instance's is seen within the TTL.
const roadCacheTTL = 30 * time.Second

// roadCache keeps the key roads and what the analytics derive from them.
type roadCache struct {
	mu       sync.Mutex
	loaded   time.Time
	roads    []data.Road
	areas    map[areaKey]analytics.StudyArea
	segments map[h3.Cell]analytics.SegmentKey
}

type areaKey struct {
	kind   string
	res, k int
}

// clear forgets everything, for a road that changed.
func (rc *roadCache) clear() {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.loaded = time.Time{}
}

// load returns the roads, reloading them (and dropping what was derived)
// once the TTL has passed; rc.mu is held.
func (rc *roadCache) load(ctx context.Context, s data.RoadStore) ([]data.Road, error) {
	if time.Since(rc.loaded) < roadCacheTTL {
		return rc.roads, nil
	}
	roads, err := s.Roads(ctx)
	if err != nil {
		return nil, err
	}
	rc.roads, rc.loaded = roads, time.Now()
	rc.areas, rc.segments = map[areaKey]analytics.StudyArea{}, nil
	return roads, nil
}

// Roads returns the key roads.
func (rc *roadCache) Roads(ctx context.Context, s data.RoadStore) ([]data.Road, error) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.load(ctx, s)
}

// area returns a study area, built by build from the roads once per key.
func (rc *roadCache) area(ctx context.Context, s data.RoadStore, key areaKey,
	build func([]data.Road) analytics.StudyArea) (analytics.StudyArea, error) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	roads, err := rc.load(ctx, s)
	if err != nil {
		return analytics.StudyArea{}, err
	}
	a, ok := rc.areas[key]
	if !ok {
		a = build(roads)
		rc.areas[key] = a
	}
	return a, nil
}

// segmentCells returns the cell-to-segment map of the roads.
func (rc *roadCache) segmentCells(ctx context.Context, s data.RoadStore) (map[h3.Cell]analytics.SegmentKey, error) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	roads, err := rc.load(ctx, s)
	if err != nil {
		return nil, err
	}
	if rc.segments == nil {
		rc.segments = analytics.SegmentCells(roads)
	}
	return rc.segments, nil
}
