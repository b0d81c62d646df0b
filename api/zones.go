package api

import (
	"math"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb/geojson"

	"github.com/dazhigu/hotspot/analytics"
	"github.com/dazhigu/hotspot/geo"
)

// pilotZones answers GET /api/v1/recommendations/pilot-zones: stretches
// where painted shop lines would likely do more than patrols, as GeoJSON
// corridors with their evidence.
func (s *server) pilotZones(c echo.Context) error {
	a, crs, q := s.readAnalysis(c, "weeks", "paint", "seed")
	o := analytics.ZoneOptions{Weeks: q.integer("weeks", analytics.DefaultZoneWeeks, analytics.ZoneMinWeeks, 104),
		Paint: q.integer("paint", 0, 0, 100), Seed: uint64(q.integer("seed", 1, 1, math.MaxInt32))}
	if c.QueryParam("datetime") != "" {
		q.fail("datetime", "is not a parameter of this path; the evidence is the last weeks= whole weeks")
	}
	if q.err != nil {
		return q.err
	}
	r, err := s.Engine.PilotZones(c.Request().Context(), a, o)
	if err != nil {
		return err
	}
	fc := geojson.NewFeatureCollection()
	fc.Features = zoneFeatures(r, crs)
	params := map[string]any{
		"parameters": analysisJSON{Params: r.Params, CRS: crs, Metric: "pilot zones", CellsReturned: len(r.Zones)},
		"weeks":      newBinsJSON(r.Weeks, s.Engine.Zone()), "categories": r.Categories, "seed": r.Seed,
		"criteria": []string{
			"(a) the segment's busiest cell is a persistent or intensifying hot spot (Emerging Hot Spot Analysis of the shop-front categories over the weeks)",
			"(b) at least half its violations are at res-12 cells with one in an earlier week: they recur at the same places",
			"(c) the 95 % interval of the slope of weekly violations on weekly patrol hours, over at least 8 weeks, reaches zero or above: they did not fall as patrols rose",
		},
		"score":      "violations at places seen before (count × recurrent share); stretches of roads under a pilot are marked and not ranked",
		"split":      "with paint=N, the best 2N stretches drawn at random (seeded) into N to paint and N to keep as controls, for a credible evaluation later",
		"corridor":   "the stretch's centreline buffered by its road's width",
		"not_a_rule": "a recommendation for the supervisor to weigh, with its evidence",
	}
	fc.ExtraMembers = geojson.Properties(params)
	return writeGeoJSON(c, http.StatusOK, fc)
}

// zoneFeatures are the pilot zones as GeoJSON corridors in datum crs, with
// their evidence.
func zoneFeatures(r analytics.ZoneResult, crs string) []*geojson.Feature {
	var out []*geojson.Feature
	for _, z := range r.Zones {
		f := geojson.NewFeature(geo.GeometryFromWGS84(z.Polygon, crs))
		f.ID = z.Road + ":" + fmtF(z.FromMeters) + "-" + fmtF(z.ToMeters)
		var segs []map[string]any
		for _, sg := range z.Segments {
			segs = append(segs, map[string]any{"segment": sg.Segment, "from_m": round(sg.FromMeters, 1), "to_m": round(sg.ToMeters, 1),
				"count": sg.Count, "emerging": sg.Emerging, "hot_share": round(sg.HotShare, 3), "gistar_bin": sg.HotBin,
				"recurrent_share": round(sg.RecurrentShare, 3), "patrol_hours": round(sg.PatrolHours, 2),
				"dose_response": map[string]any{"slope": num(sg.Dose.B), "ci95": []*float64{num(sg.Dose.Lo), num(sg.Dose.Hi)},
					"weeks": sg.Dose.N, "unit": "violations a week per patrol hour a week"}})
		}
		f.Properties = geojson.Properties{"rank": z.Rank, "road": z.Road, "road_name": z.Name, "from_m": round(z.FromMeters, 1),
			"to_m": round(z.ToMeters, 1), "length_m": round(z.ToMeters-z.FromMeters, 1), "score": z.Score, "count": z.Count,
			"recurrent_share": round(z.RecurrentShare, 3), "under_pilot": z.UnderPilot, "segments": segs}
		if z.Split != "" {
			f.Properties["split"] = z.Split
		}
		out = append(out, f)
	}
	return out
}
