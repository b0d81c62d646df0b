package api

import (
	"context"
	"strconv"

	"github.com/paulmach/orb/geojson"

	"github.com/dazhigu/hotspot/analytics"
	"github.com/dazhigu/hotspot/api/ogc"
	"github.com/dazhigu/hotspot/geo"
)

// This file holds the collections derived from the roads and the analyses.

func (s *server) roadSource() featureSource {
	coll := ogc.Collection{ID: "roads", Title: "Roads", Geometry: "LineString",
		Description: "The key roads' centrelines; approximate ones (not surveyed) are marked.",
		Queryables: []ogc.Queryable{
			{Name: "name", Type: ogc.TypeString, Description: "Chinese name"}, {Name: "pinyin", Type: ogc.TypeString},
			{Name: "key", Type: ogc.TypeBoolean, Description: "one of the street office's key roads"},
			{Name: "approximate", Type: ogc.TypeBoolean, Description: "geometry not surveyed (示意)"},
			{Name: "attribution", Type: ogc.TypeString}, {Name: "buffer_m", Type: ogc.TypeNumber}, {Name: "length_m", Type: ogc.TypeNumber},
			{Name: "segments", Type: ogc.TypeInteger, Description: "how many segments it is cut into"},
		}}
	return inMemory(coll, func(ctx context.Context) ([]*geojson.Feature, error) {
		roads, err := s.roads(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]*geojson.Feature, len(roads))
		for i, r := range roads {
			f := geojson.NewFeature(r.Geometry)
			f.ID = r.ID
			f.Properties = geojson.Properties{"name": r.Name, "pinyin": r.Pinyin, "key": r.Key, "approximate": r.Approximate,
				"attribution": r.Attribution, "buffer_m": r.BufferMeters, "length_m": round(geo.Length(r.Geometry), 1),
				"segments": len(r.Segments)}
			out[i] = f
		}
		return out, nil
	})
}

func (s *server) segmentSource() featureSource {
	coll := ogc.Collection{ID: "segments", Title: "Road segments", Geometry: "LineString",
		Description: "The key roads cut into the stretches patrols are planned by; id is road:index.",
		Queryables: []ogc.Queryable{
			{Name: "road", Type: ogc.TypeString}, {Name: "road_name", Type: ogc.TypeString},
			{Name: "index", Type: ogc.TypeInteger, Description: "0-based from the road's start"},
			{Name: "from_m", Type: ogc.TypeNumber}, {Name: "to_m", Type: ogc.TypeNumber},
			{Name: "approximate", Type: ogc.TypeBoolean, Description: "the road's geometry is not surveyed (示意)"},
		}}
	return inMemory(coll, func(ctx context.Context) ([]*geojson.Feature, error) {
		roads, err := s.roads(ctx)
		if err != nil {
			return nil, err
		}
		var out []*geojson.Feature
		for _, r := range roads {
			for _, sg := range r.Segments {
				f := geojson.NewFeature(sg.Line)
				f.ID = r.ID + ":" + strconv.Itoa(sg.Index)
				f.Properties = geojson.Properties{"road": r.ID, "road_name": r.Name, "index": sg.Index,
					"from_m": round(sg.FromMeters, 1), "to_m": round(sg.ToMeters, 1), "approximate": r.Approximate}
				out = append(out, f)
			}
		}
		return out, nil
	})
}

func (s *server) hotspotSource() featureSource {
	coll := ogc.Collection{ID: "hotspots", Title: "Hot-spot cells (Gi*)", Geometry: "Polygon",
		Description: "Getis-Ord Gi* per H3 cell at resolution 11 over the default window and the key roads' study area " +
			"(GET /api/v1/hotspots takes other parameters); bin ±3/±2/±1 is 99/95/90 % confidence.",
		Queryables: []ogc.Queryable{
			{Name: "h3", Type: ogc.TypeString}, {Name: "count", Type: ogc.TypeNumber, Description: "violations in the window"},
			{Name: "z", Type: ogc.TypeNumber, Description: "Gi* z-score"}, {Name: "p", Type: ogc.TypeNumber},
			{Name: "bin", Type: ogc.TypeInteger, Description: "-3..3"}, {Name: "neighbours", Type: ogc.TypeInteger},
			{Name: "value", Type: ogc.TypeNumber, Description: "the z-score"},
		}}
	return inMemory(coll, func(ctx context.Context) ([]*geojson.Feature, error) {
		return s.hotspotFeatures(ctx, defaultAnalysis)
	})
}

// hotspotFeatures are the Gi* cells of query a as WGS-84 hexagons.
func (s *server) hotspotFeatures(ctx context.Context, a analytics.Query) ([]*geojson.Feature, error) {
	r, err := s.Engine.HotSpots(ctx, s.within(ctx, a), analytics.HotSpotOptions{})
	if err != nil {
		return nil, err
	}
	cells, _ := hotspotCells(r, geo.WGS84)
	return cellFeatures(cells, geo.WGS84), nil
}

func (s *server) forecastSource() featureSource {
	coll := ogc.Collection{ID: "forecast", Title: "Forecast cells", Geometry: "Polygon",
		Description: "Violations expected per H3 cell (resolution 11) in the coming week (GET /api/v1/forecast takes other parameters).",
		Queryables: []ogc.Queryable{{Name: "h3", Type: ogc.TypeString},
			{Name: "expected", Type: ogc.TypeNumber, Description: "violations expected in the week"},
			{Name: "value", Type: ogc.TypeNumber, Description: "the same"}}}
	return inMemory(coll, func(ctx context.Context) ([]*geojson.Feature, error) {
		return s.forecastFeatures(ctx, defaultAnalysis)
	})
}

// forecastFeatures are the coming week's forecast cells of query a.
func (s *server) forecastFeatures(ctx context.Context, a analytics.Query) ([]*geojson.Feature, error) {
	r, err := s.Engine.Forecast(ctx, s.within(ctx, a), analytics.ForecastOptions{})
	if err != nil {
		return nil, err
	}
	return cellFeatures(forecastCells(r), geo.WGS84), nil
}

func (s *server) zoneSource() featureSource {
	coll := ogc.Collection{ID: "pilot-zones", Title: "Pilot zones (划线治理)", Geometry: "Polygon",
		Description: "Stretches where painted shop lines would likely do more than patrols, with their evidence " +
			"(GET /api/v1/recommendations/pilot-zones states the criteria).",
		Queryables: []ogc.Queryable{
			{Name: "rank", Type: ogc.TypeInteger}, {Name: "road", Type: ogc.TypeString}, {Name: "road_name", Type: ogc.TypeString},
			{Name: "from_m", Type: ogc.TypeNumber}, {Name: "to_m", Type: ogc.TypeNumber}, {Name: "length_m", Type: ogc.TypeNumber},
			{Name: "score", Type: ogc.TypeNumber}, {Name: "count", Type: ogc.TypeNumber},
			{Name: "recurrent_share", Type: ogc.TypeNumber}, {Name: "under_pilot", Type: ogc.TypeBoolean},
		}}
	return inMemory(coll, func(ctx context.Context) ([]*geojson.Feature, error) {
		r, err := s.Engine.PilotZones(ctx, s.within(ctx, defaultAnalysis), analytics.ZoneOptions{Weeks: analytics.DefaultZoneWeeks, Seed: 1})
		if err != nil {
			return nil, err
		}
		return zoneFeatures(r, geo.WGS84), nil
	})
}
