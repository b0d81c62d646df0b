package api

import (
	"math"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/dazhigu/hotspot/analytics"
	"github.com/dazhigu/hotspot/geo"
)

// rankingJSON is one road of GET /api/v1/roads/ranking.
type rankingJSON struct {
	Rank     int              `json:"rank"`
	Road     string           `json:"road"`
	Name     string           `json:"name"`
	Count    float64          `json:"count"`
	Score    float64          `json:"score"`
	Segments []map[string]any `json:"segments"`
}

// rankingParamsJSON states a ranking.
type rankingParamsJSON struct {
	*analysisJSON
	Bins         binsJSON `json:"bins"`
	ScoreFormula string   `json:"score_formula"`
	HotShare     string   `json:"hot_share"`
	Emerging     string   `json:"emerging"`
}

// ranking answers GET /api/v1/roads/ranking: the key roads and their
// segments by score, with the figures behind each score.
func (s *server) ranking(c echo.Context) error {
	a, crs, q := s.readAnalysis(c)
	if q.err != nil {
		return q.err
	}
	r, err := s.Engine.Ranking(c.Request().Context(), a)
	if err != nil {
		return err
	}
	roads, err := s.roads(c.Request().Context())
	if err != nil {
		return err
	}
	lines := make(map[string]orb.LineString, len(roads))
	for _, rd := range roads {
		lines[rd.ID] = rd.Geometry
	}
	out := make([]rankingJSON, len(r.Roads))
	fc := geojson.NewFeatureCollection()
	for i, rr := range r.Roads {
		out[i] = rankingJSON{Rank: i + 1, Road: rr.Road, Name: rr.Name, Count: rr.Count, Score: round(rr.Score, 4)}
		for j, sg := range rr.Segments {
			out[i].Segments = append(out[i].Segments, segmentRankJSON(j+1, sg))
		}
		f := geojson.NewFeature(geo.GeometryFromWGS84(lines[rr.Road], crs))
		f.ID = rr.Road
		f.Properties = geojson.Properties{"rank": out[i].Rank, "road": rr.Road, "name": rr.Name, "count": rr.Count,
			"score": out[i].Score, "segments": out[i].Segments}
		fc.Append(f)
	}
	params := rankingParamsJSON{analysisJSON: &analysisJSON{Params: r.Params, CRS: crs, Metric: "ranking"},
		Bins: newBinsJSON(r.Weeks, s.Engine.Zone()), ScoreFormula: analytics.ScoreFormula,
		HotShare: "share of the segment's cells (at res) in the Gi* bins +2 or +3 (95 % or more)",
		Emerging: "the Emerging Hot Spot class of the segment's busiest cell, over the whole weeks within the window"}
	// "roads" repeats the features' properties for clients of the earlier
	// JSON answer; GIS clients read the FeatureCollection.
	fc.ExtraMembers = geojson.Properties{"parameters": params, "roads": out}
	return writeGeoJSON(c, http.StatusOK, fc)
}

func segmentRankJSON(rank int, sg analytics.SegmentRank) map[string]any {
	var rate any
	if !math.IsNaN(sg.Rate) {
		rate = round(sg.Rate, 4)
	}
	days := make([]string, len(sg.PeakDays))
	for i, d := range sg.PeakDays {
		days[i] = d.String()
	}
	return map[string]any{
		"rank": rank, "segment": sg.Segment, "from_m": round(sg.FromMeters, 1), "to_m": round(sg.ToMeters, 1),
		"count": sg.Count, "by_category": sg.ByCategory, "patrol_hours": round(sg.PatrolHours, 2),
		"rate_per_patrol_hour": rate, "hot_share": round(sg.HotShare, 3), "emerging": sg.Emerging,
		"trend":      map[string]any{"tau": round(sg.Trend.Tau, 4), "z": round(sg.Trend.Z, 4), "p": sg.Trend.P},
		"peak_hours": nonNil(sg.PeakHours), "peak_days": days, "score": round(sg.Score, 4),
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
