package analytics

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/data"
)

// Source is what the engine reads: the change feed the cube follows, and
// the roads and taxonomy analyses refer to. data.Store is one.
type Source interface {
	cube.Feed
	Roads(ctx context.Context) ([]data.Road, error)
	Categories(ctx context.Context) ([]data.Category, error)
}

// Options configure an Engine. Source is required.
type Options struct {
	Source   Source
	Cube     *cube.Cube       // the analytic index; nil: a new one, built on the first CatchUp
	Zone     *time.Location   // local time of weeks, days and hours; nil: Asia/Shanghai
	Boundary orb.Polygon      // the configured boundary of area=boundary (WGS-84); nil: not offered
	Now      func() time.Time // the clock of default windows; nil: time.Now
	Limits   Limits
}

// Limits bound the work of one analysis; zero fields take the defaults.
type Limits struct {
	MaxCells        int // study-area cells (default 2,000,000)
	MaxPermutations int // cells × conditional permutations of Gi* (default 20,000,000)
	MaxCellBins     int // cells × time bins of emerging hot spots, rankings and forecasts (default 2,000,000)
}

func (l Limits) withDefaults() Limits {
	if l.MaxCells <= 0 {
		l.MaxCells = 2_000_000
	}
	if l.MaxPermutations <= 0 {
		l.MaxPermutations = 20_000_000
	}
	if l.MaxCellBins <= 0 {
		l.MaxCellBins = 2_000_000
	}
	return l
}

// Engine answers every analysis of the service. It is safe for concurrent
// use.
type Engine struct {
	src      Source
	cube     *cube.Cube
	zone     *time.Location
	boundary orb.Polygon
	now      func() time.Time
	limits   Limits
	cache    roadCache
}

// New returns an engine over opts.Source.
func New(opts Options) *Engine {
	e := &Engine{src: opts.Source, cube: opts.Cube, zone: opts.Zone, boundary: opts.Boundary, now: opts.Now,
		limits: opts.Limits.withDefaults()}
	if e.cube == nil {
		e.cube = cube.New()
	}
	if e.zone == nil {
		e.zone = Shanghai()
	}
	if e.now == nil {
		e.now = time.Now
	}
	return e
}

// Shanghai returns Asia/Shanghai, or a fixed UTC+8 zone named CST where the
// system has no time-zone database.
func Shanghai() *time.Location {
	if z, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return z
	}
	return time.FixedZone("CST", 8*3600)
}

// Now returns the engine's clock: the time default windows end at.
func (e *Engine) Now() time.Time { return e.now() }

// Zone returns the engine's local time zone.
func (e *Engine) Zone() *time.Location { return e.zone }

// HasBoundary reports whether area=boundary is offered.
func (e *Engine) HasBoundary() bool { return e.boundary != nil }

// CatchUp applies every change of the feed the cube has not seen, so an
// answer includes every write acknowledged before it.
func (e *Engine) CatchUp(ctx context.Context) error { return e.cube.CatchUp(ctx, e.src) }

// Seq catches up with the feed and returns the sequence number of the last
// change the index holds: answers from data read at the same Seq (and the
// same roads) are the same.
func (e *Engine) Seq(ctx context.Context) (int64, error) {
	if err := e.CatchUp(ctx); err != nil {
		return 0, err
	}
	return e.cube.Seq(), nil
}

// Size returns the violations and dwell seconds the index holds.
func (e *Engine) Size() (violations int, dwellSeconds float64) { return e.cube.Size() }

// Roads returns the roads, from a cache kept for RoadCacheTTL.
func (e *Engine) Roads(ctx context.Context) ([]data.Road, error) {
	e.cache.mu.Lock()
	defer e.cache.mu.Unlock()
	if err := e.cache.load(ctx, e.src); err != nil {
		return nil, err
	}
	return e.cache.roads, nil
}

// roadsFor returns the roads of an analysis: those of its named area
// (Query.Within), else every road.
func (e *Engine) roadsFor(ctx context.Context, q Query) ([]data.Road, error) {
	roads, err := e.Roads(ctx)
	if err != nil || q.Within == nil {
		return roads, err
	}
	return q.Within.Roads(roads), nil
}

// RoadsChanged drops what the engine derived from the roads and the
// taxonomy, for a road or category that changed.
func (e *Engine) RoadsChanged() {
	e.cache.mu.Lock()
	defer e.cache.mu.Unlock()
	e.cache.loaded = time.Time{}
}

// RoadCacheTTL is how long the engine reuses the roads, the taxonomy and
// what it derives from them (study areas and their weights, the
// cell-to-segment map). RoadsChanged clears them at once; another instance's
// change is seen within the TTL.
const RoadCacheTTL = 30 * time.Second

// roadCache keeps the roads, the taxonomy and what is derived from them.
type roadCache struct {
	mu         sync.Mutex
	loaded     time.Time
	roads      []data.Road
	categories []data.Category
	areas      map[areaKey]StudyArea
	segments   *segmentIndex
}

// load reloads the roads and the taxonomy (and drops what was derived)
// once the TTL has passed; rc.mu is held.
func (rc *roadCache) load(ctx context.Context, src Source) error {
	if time.Since(rc.loaded) < RoadCacheTTL {
		return nil
	}
	roads, err := src.Roads(ctx)
	if err != nil {
		return err
	}
	cats, err := src.Categories(ctx)
	if err != nil {
		return err
	}
	rc.roads, rc.categories, rc.loaded = roads, cats, time.Now()
	rc.areas, rc.segments = map[areaKey]StudyArea{}, nil
	return nil
}

// CheckCategories refuses category codes the taxonomy does not have, as
// the analyses do; callers that read the store directly check with it.
func (e *Engine) CheckCategories(ctx context.Context, codes []string) error {
	if len(codes) == 0 {
		return nil
	}
	e.cache.mu.Lock()
	defer e.cache.mu.Unlock()
	if err := e.cache.load(ctx, e.src); err != nil {
		return err
	}
	for _, code := range codes {
		if !slices.ContainsFunc(e.cache.categories, func(c data.Category) bool { return c.Code == code }) {
			return &data.Error{Code: data.EINVALID, Message: "parameter category " + code + " is not a code of the taxonomy (GET /api/v1/categories lists them)",
				Problems: []data.Problem{{Field: "category", Reason: code + " is not a code of the taxonomy"}}}
		}
	}
	return nil
}
