package api

import (
	"context"
	"math"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/dazhigu/hotspot/analytics"
	"github.com/dazhigu/hotspot/api/ogc"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/ingest"
	"github.com/dazhigu/hotspot/geo"
)

// featureSource is one collection served under /ogc and as tiles: its
// description and how to read its features (WGS-84).
type featureSource struct {
	coll  ogc.Collection
	items func(ctx context.Context, q ogc.Query) (page []*geojson.Feature, matched int, err error)
	item  func(ctx context.Context, id string) (*geojson.Feature, error)
}

// The analyses behind the cell and zone collections run with the API's
// defaults: resolution 11, the default window, the road corridors' study
// area; /api/v1 takes other parameters.
var (
	defaultAnalysis = analytics.Query{Res: 11, K: 1}
	sourceEnum      = []string{"patrol", "hotline", "camera", "campaign", "citizen"}
)

// featureSources returns every collection, in the order listed.
func (s *server) featureSources(ctx context.Context) ([]featureSource, error) {
	roads, err := s.roads(ctx)
	if err != nil {
		return nil, err
	}
	extent := dataExtent(s.Area, roads)
	srcs := []featureSource{s.violationSource(), s.roadSource(), s.segmentSource(), s.hotspotSource(),
		s.forecastSource(), s.zoneSource(), s.trackSource()}
	for i := range srcs {
		srcs[i].coll.Extent = extent
	}
	return srcs, nil
}

// dataExtent is where records can be: the service area (writes are taken
// up to ingest's margin outside it) and the roads; zero with neither.
func dataExtent(area orb.Polygon, roads []data.Road) orb.Bound {
	var b orb.Bound
	for i, r := range roads {
		if i == 0 {
			b = r.Geometry.Bound()
		}
		b = b.Union(r.Geometry.Bound())
	}
	if area == nil {
		return b
	}
	a := area.Bound()
	if len(roads) > 0 {
		a = a.Union(b)
	}
	c := a.Center()
	dLat := ingest.DefaultAreaMargin / 111_320.0
	dLon := dLat / math.Cos(c[1]*math.Pi/180)
	return orb.Bound{Min: orb.Point{a.Min[0] - dLon, a.Min[1] - dLat}, Max: orb.Point{a.Max[0] + dLon, a.Max[1] + dLat}}
}

// inMemory makes a source of a collection whose features are few enough
// to build whole for each request.
func inMemory(coll ogc.Collection, all func(ctx context.Context) ([]*geojson.Feature, error)) featureSource {
	return featureSource{coll: coll,
		items: func(ctx context.Context, q ogc.Query) ([]*geojson.Feature, int, error) {
			fs, err := all(ctx)
			if err != nil {
				return nil, 0, err
			}
			return coll.Select(q, fs)
		},
		item: func(ctx context.Context, id string) (*geojson.Feature, error) {
			fs, err := all(ctx)
			if err != nil {
				return nil, err
			}
			for _, f := range fs {
				if ogc.IDString(f.ID) == id {
					return f, nil
				}
			}
			return nil, data.Errorf(data.ENOTFOUND, "no feature %q in collection %s", id, coll.ID)
		}}
}

func (s *server) violationSource() featureSource {
	coll := ogc.Collection{ID: "violations", Title: "Violations", Geometry: "Point",
		Description: "Street-order violations as recorded, one point each, from patrols, the 12345 hotline, cameras, campaigns and citizens.",
		Queryables: []ogc.Queryable{
			{Name: "source", Type: ogc.TypeString, Description: "who recorded it", Enum: sourceEnum},
			{Name: "source_id", Type: ogc.TypeString, Description: "the id the source gave it"},
			{Name: "category", Type: ogc.TypeString, Description: "the taxonomy code (GET /api/v1/categories)"},
			{Name: "observed_at", Type: ogc.TypeTime, Description: "when it was observed"},
			{Name: "road", Type: ogc.TypeString, Description: "the key road it was placed on, null if none"},
			{Name: "segment", Type: ogc.TypeInteger, Description: "the segment of the road"},
			{Name: "h3", Type: ogc.TypeString, Description: "its H3 cell at resolution 12"},
			{Name: "merchant_id", Type: ogc.TypeString, Description: "the shop it was recorded against"},
			{Name: "severity", Type: ogc.TypeString}, {Name: "disposition", Type: ogc.TypeString},
			{Name: "received_crs", Type: ogc.TypeString, Enum: []string{geo.WGS84, geo.GCJ02, geo.BD09}},
		},
		TimeProperty: "observed_at", IDType: ogc.TypeInteger}
	return featureSource{coll: coll,
		items: func(ctx context.Context, q ogc.Query) ([]*geojson.Feature, int, error) {
			equal, bound, none := q.Pushdown()
			if none {
				return nil, 0, nil
			}
			f := data.ViolationFilter{Bound: bound, From: q.From, To: q.To, Road: equal["road"]}
			if v, ok := equal["category"]; ok {
				f.Categories = []string{v}
			}
			if v, ok := equal["source"]; ok {
				f.Sources = []data.Source{data.Source(v)}
			}
			if q.Simple("category", "source", "road") {
				n, err := s.store(ctx).CountViolations(ctx, f)
				if err != nil {
					return nil, 0, err
				}
				f.Offset, f.Limit = q.Offset, q.Limit
				vs, err := s.store(ctx).Violations(ctx, f)
				return s.violationFeatures(vs), n, err
			}
			p := coll.NewPager(q)
			for f.Limit = data.MaxPage; ; {
				vs, err := s.store(ctx).Violations(ctx, f)
				if err != nil {
					return nil, 0, err
				}
				for _, ft := range s.violationFeatures(vs) {
					if err := p.Add(ft); err != nil {
						return nil, 0, err
					}
				}
				if len(vs) < f.Limit {
					break
				}
				f.After = vs[len(vs)-1].ID
			}
			page, n := p.Page()
			return page, n, nil
		},
		item: func(ctx context.Context, id string) (*geojson.Feature, error) {
			n, err := strconv.ParseInt(id, 10, 64)
			if err != nil || n <= 0 {
				return nil, data.Errorf(data.ENOTFOUND, "violation %q not found: ids are positive integers", id)
			}
			v, err := s.store(ctx).Violation(ctx, n)
			if err != nil {
				return nil, err
			}
			return s.violationFeature(v, geo.WGS84), nil
		}}
}

func (s *server) violationFeatures(vs []data.Violation) []*geojson.Feature {
	out := make([]*geojson.Feature, len(vs))
	for i, v := range vs {
		out[i] = s.violationFeature(v, geo.WGS84)
	}
	return out
}

func (s *server) trackSource() featureSource {
	coll := ogc.Collection{ID: "tracks", Title: "Patrol tracks", Geometry: "LineString",
		Description: "Officers' GPS tracks as LineStrings, each vertex's time in 'times'.",
		Queryables: []ogc.Queryable{
			{Name: "officer", Type: ogc.TypeString, Description: "the officer's id"},
			{Name: "source_id", Type: ogc.TypeString}, {Name: "start", Type: ogc.TypeTime}, {Name: "end", Type: ogc.TypeTime},
			{Name: "fixes", Type: ogc.TypeInteger}, {Name: "presence_s", Type: ogc.TypeNumber, Description: "seconds counted as patrol presence"},
			{Name: "received_crs", Type: ogc.TypeString, Enum: []string{geo.WGS84, geo.GCJ02, geo.BD09}},
		},
		TimeInterval: [2]string{"start", "end"}, IDType: ogc.TypeInteger}
	return featureSource{coll: coll,
		items: func(ctx context.Context, q ogc.Query) ([]*geojson.Feature, int, error) {
			equal, _, none := q.Pushdown()
			if none {
				return nil, 0, nil
			}
			f := data.TrackFilter{Officer: equal["officer"], From: q.From, To: q.To, WithFixes: true}
			if q.Simple("officer") && q.Bound == nil {
				n, err := s.store(ctx).CountTracks(ctx, f)
				if err != nil {
					return nil, 0, err
				}
				f.Offset, f.Limit = q.Offset, q.Limit
				ts, err := s.store(ctx).Tracks(ctx, f)
				return s.trackFeatures(ts), n, err
			}
			p := coll.NewPager(q)
			for f.Limit = 500; ; {
				ts, err := s.store(ctx).Tracks(ctx, f)
				if err != nil {
					return nil, 0, err
				}
				for _, ft := range s.trackFeatures(ts) {
					if err := p.Add(ft); err != nil {
						return nil, 0, err
					}
				}
				if len(ts) < f.Limit {
					break
				}
				f.After = ts[len(ts)-1].ID
			}
			page, n := p.Page()
			return page, n, nil
		},
		item: func(ctx context.Context, id string) (*geojson.Feature, error) {
			n, err := strconv.ParseInt(id, 10, 64)
			if err != nil || n <= 0 {
				return nil, data.Errorf(data.ENOTFOUND, "track %q not found: ids are positive integers", id)
			}
			t, err := s.store(ctx).Track(ctx, n)
			if err != nil {
				return nil, err
			}
			return s.trackFeature(t, geo.WGS84), nil
		}}
}

func (s *server) trackFeatures(ts []data.Track) []*geojson.Feature {
	out := make([]*geojson.Feature, len(ts))
	for i, t := range ts {
		out[i] = s.trackFeature(t, geo.WGS84)
	}
	return out
}
