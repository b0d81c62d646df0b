package analytics

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/analytics/stat"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

// AreaKind names how a study area is chosen (DESIGN.md §5).
type AreaKind string

// The kinds of study area.
const (
	AreaRoads    AreaKind = "roads"    // the cells of the key roads' buffered corridors
	AreaBoundary AreaKind = "boundary" // the cells whose centres lie in the configured boundary
	AreaBBox     AreaKind = "bbox"     // the cells whose centres lie in a box
	AreaEvents   AreaKind = "events"   // the cells with any violation of the selection, at any time
	AreaNamed    AreaKind = "named"    // the cells whose centres lie in the named area of Query.Within
)

// AreaKinds are the study areas a query can name.
var AreaKinds = []AreaKind{AreaRoads, AreaBoundary, AreaBBox, AreaEvents, AreaNamed}

// Area names a study area.
type Area struct {
	Kind AreaKind  // "": the analysis's default
	BBox orb.Bound // WGS-84, for AreaBBox
}

func (a Area) check() error {
	switch a.Kind {
	case "", AreaRoads, AreaBoundary, AreaEvents, AreaNamed:
		return nil
	case AreaBBox:
		b := a.BBox
		if !(b.Min[0] < b.Max[0] && b.Min[1] < b.Max[1]) || b.Min[0] < -180 || b.Max[0] > 180 || b.Min[1] < -90 || b.Max[1] > 90 {
			return invalid("bbox", "must be minLon,minLat,maxLon,maxLat in degrees, minimum below maximum, within -180..180 and -90..90")
		}
		if b.Max[0]-b.Min[0] >= 180 {
			return invalid("bbox", "spans 180° of longitude or more; split it into smaller boxes")
		}
		return nil
	}
	return invalid("area", "must be one of roads, boundary, bbox, events")
}

// AreaInfo states a study area in an answer.
type AreaInfo struct {
	Kind       AreaKind  `json:"kind"`
	Definition string    `json:"definition"`
	Cells      int       `json:"cells"`
	Km2        float64   `json:"km2"`              // cells × H3's average cell area at res
	BBox       []float64 `json:"bbox,omitempty"`   // WGS-84 minLon, minLat, maxLon, maxLat of a bbox area
	Within     string    `json:"within,omitempty"` // the named area the cells are clipped to
}

var areaDefinitions = map[AreaKind]string{
	AreaRoads:    "the cells covering the key roads' buffered corridors",
	AreaBoundary: "the cells whose centres lie within the configured boundary",
	AreaBBox:     "the cells whose centres lie within the bbox",
	AreaEvents:   "the cells holding any violation of the selected categories and sources, at any time",
	AreaNamed:    "the cells whose centres lie within the named area",
	"":           "every cell with a violation in the window",
}

// StudyArea is the set of cells statistics are computed over (DESIGN.md
// §5): every cell of it counts, with or without events, since Gi* without
// its zeros is wrong. Weights are the binary k-ring weights among its
// cells, each cell its own neighbour.
type StudyArea struct {
	Res     int
	K       int
	Cells   []h3.Cell // sorted
	Weights stat.Weights
	index   map[h3.Cell]int32
}

// NewStudyArea returns the study area of cells (any order, repeats
// allowed) at resolution res with k-ring weights.
func NewStudyArea(cells []h3.Cell, res, k int) StudyArea {
	cells = slices.Clone(cells)
	slices.Sort(cells)
	cells = slices.Compact(cells)
	a := StudyArea{Res: res, K: k, Cells: cells, index: make(map[h3.Cell]int32, len(cells))}
	for i, c := range cells {
		a.index[c] = int32(i)
	}
	a.Weights.Neighbours = make([][]int32, len(cells))
	for i, c := range cells {
		var nb []int32
		for _, d := range c.GridDisk(k) {
			if j, ok := a.index[d]; ok {
				nb = append(nb, j)
			}
		}
		slices.Sort(nb)
		a.Weights.Neighbours[i] = nb
	}
	return a
}

// Index returns the position of a cell in the area, or -1.
func (a StudyArea) Index(c h3.Cell) int {
	if i, ok := a.index[c]; ok {
		return int(i)
	}
	return -1
}

// Values lays a per-cell map out in the area's order, 0 for cells absent
// from it; cells outside the area are left out.
func (a StudyArea) Values(m map[h3.Cell]float64) []float64 {
	x := make([]float64, len(a.Cells))
	for c, v := range m {
		if i, ok := a.index[c]; ok {
			x[i] = v
		}
	}
	return x
}

// RoadCells returns the cells at resolution res (0..15) that the key roads'
// buffered corridors touch (stopping with ctx's error once it is done).
func RoadCells(ctx context.Context, roads []data.Road, res int) ([]h3.Cell, error) {
	var cells []h3.Cell
	for _, r := range roads {
		var stretches []geo.Stretch
		for _, s := range r.Segments {
			switch res {
			case 11:
				cells = append(cells, s.Cells11...)
			case 12:
				cells = append(cells, s.Cells12...)
			default:
				stretches = append(stretches, geo.Stretch{Line: s.Line, From: s.FromMeters, To: s.ToMeters})
			}
		}
		cover, err := geo.Cover(ctx, stretches, r.BufferMeters, res)
		if err != nil {
			return nil, err
		}
		for _, cs := range cover {
			cells = append(cells, cs...)
		}
	}
	return cells, nil
}

// PolygonCells returns the cells at resolution res whose centres lie in the
// WGS-84 polygon.
func PolygonCells(poly orb.Polygon, res int) []h3.Cell {
	gp := h3.GeoPolygon{}
	for i, ring := range poly {
		lls := make([]h3.LatLng, len(ring))
		for j, p := range ring {
			lls[j] = h3.LatLng{Lat: p[1], Lng: p[0]}
		}
		if i == 0 {
			gp.GeoLoop = lls
		} else {
			gp.Holes = append(gp.Holes, lls)
		}
	}
	return h3.PolygonToCells(gp, res)
}

// CellAreaKm2 is the average area of an H3 cell at res (H3's published
// table), in km².
func CellAreaKm2(res int) float64 {
	return []float64{4357449.416078381, 609788.441794133, 86801.780398997, 12393.434655088,
		1770.347654491, 252.903858182, 36.129062164, 5.161293360, 0.737327598, 0.105332513,
		0.015047502, 0.002149643, 0.000307092, 0.000043870, 0.000006267, 0.000000895}[res]
}

// areaKey names a cached study area. Areas of events depend on the cube's
// state, so their key holds its sequence number and the selection.
type areaKey struct {
	kind      AreaKind
	res, k    int
	bbox      orb.Bound
	seq       int64
	selection string
	within    string // withinKey of the query's named area
}

// withinKey is the fingerprint of the query's named area, "" for none.
func withinKey(a *data.Area) string {
	if a == nil {
		return ""
	}
	return a.Fingerprint()
}

// clipCells keeps the cells whose centres lie in the area.
func clipCells(cells []h3.Cell, a *data.Area) []h3.Cell {
	var out []h3.Cell
	for _, c := range cells {
		ll := h3.CellToLatLng(c)
		if a.Holds(orb.Point{ll.Lng, ll.Lat}) {
			out = append(out, c)
		}
	}
	return out
}

// maxCachedAreas bounds the study areas kept between reloads of the roads.
const maxCachedAreas = 32

// fixedArea returns the study area of a query that does not depend on the
// cube (roads, boundary, bbox), from the cache or built from the roads.
func (e *Engine) fixedArea(ctx context.Context, q Query, roads []data.Road) (StudyArea, error) {
	key := areaKey{kind: q.Area.Kind, res: q.Res, k: q.K, within: withinKey(q.Within)}
	if q.Area.Kind == AreaBBox {
		key.bbox = q.Area.BBox
	}
	return e.cachedArea(key, q, func() ([]h3.Cell, error) {
		switch q.Area.Kind {
		case AreaNamed:
			if q.Within == nil {
				return nil, invalid("area", "names no area")
			}
			return PolygonCells(q.Within.Boundary, q.Res), nil
		case AreaRoads:
			return RoadCells(ctx, roads, q.Res)
		case AreaBoundary:
			if e.boundary == nil {
				return nil, invalid("area", "is boundary but the service has no boundary configured (-ingest.area)")
			}
			return PolygonCells(e.boundary, q.Res), nil
		case AreaBBox:
			if err := e.checkCells(int(boundKm2(q.Area.BBox)/CellAreaKm2(q.Res)), q); err != nil {
				return nil, err
			}
			return PolygonCells(q.Area.BBox.ToPolygon(), q.Res), nil
		}
		return nil, invalid("area", "must be one of roads, boundary, bbox, events")
	})
}

// eventsArea returns the study area of area=events: the cells given, which
// a view of the cube at seq holds events of the query's selection in.
func (e *Engine) eventsArea(q Query, cells []h3.Cell, seq int64) (StudyArea, error) {
	key := areaKey{kind: AreaEvents, res: q.Res, k: q.K, seq: seq, selection: selection(q), within: withinKey(q.Within)}
	return e.cachedArea(key, q, func() ([]h3.Cell, error) { return cells, nil })
}

func selection(q Query) string { return strings.Join(q.Categories, ",") + "|" + fmt.Sprint(q.Sources) }

// cachedArea returns the area of key from the cache, or builds it from the
// cells that list returns; the cache mutex is not held while building.
func (e *Engine) cachedArea(key areaKey, q Query, list func() ([]h3.Cell, error)) (StudyArea, error) {
	e.cache.mu.Lock()
	a, ok := e.cache.areas[key]
	e.cache.mu.Unlock()
	if ok {
		return a, e.checkCells(len(a.Cells), q)
	}
	cells, err := list()
	if err != nil {
		return StudyArea{}, err
	}
	if q.Within != nil && q.Area.Kind != AreaNamed {
		cells = clipCells(cells, q.Within)
	}
	if err := e.checkCells(len(cells), q); err != nil {
		return StudyArea{}, err
	}
	a = NewStudyArea(cells, q.Res, q.K)
	e.cache.mu.Lock()
	if len(e.cache.areas) >= maxCachedAreas {
		clear(e.cache.areas)
	}
	if e.cache.areas != nil {
		e.cache.areas[key] = a
	}
	e.cache.mu.Unlock()
	return a, nil
}

// checkCells refuses a study area of more cells than the query or the
// engine allows.
func (e *Engine) checkCells(n int, q Query) error {
	if q.MaxCells > 0 && n > q.MaxCells {
		return data.Errorf(data.EINVALID, "the study area has about %d cells at res %d, more than the %d this answer may list; "+
			"ask for format=h3, a coarser res or a smaller area", n, q.Res, q.MaxCells)
	}
	if n > e.limits.MaxCells {
		return data.Errorf(data.EINVALID, "the study area has about %d cells at res %d, more than the %d an analysis may cover; "+
			"ask for a coarser res or a smaller area", n, q.Res, e.limits.MaxCells)
	}
	return nil
}

// boundKm2 is the spherical area of a WGS-84 box in km².
func boundKm2(b orb.Bound) float64 {
	return math.Abs(orbgeo.Area(b.ToPolygon())) / 1e6
}

// info states the study area.
func (a StudyArea) info(q Query) AreaInfo {
	info := AreaInfo{Kind: q.Area.Kind, Definition: areaDefinitions[q.Area.Kind], Cells: len(a.Cells),
		Km2: round(float64(len(a.Cells))*CellAreaKm2(q.Res), 3)}
	if q.Area.Kind == AreaBBox {
		b := q.Area.BBox
		info.BBox = []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
	}
	if q.Within != nil {
		info.Within = q.Within.ID
		if q.Area.Kind != AreaNamed {
			info.Definition += ", within " + q.Within.ID
		}
	}
	return info
}

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}
