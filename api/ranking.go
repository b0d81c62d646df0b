package api

import (
	"math"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/analytics"
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

// ranking answers GET /api/v1/roads/ranking: the key roads and their
// segments by score, with the figures behind each score.
func (s *server) ranking(c echo.Context) error {
	a, q := s.readAnalysis(c, 11)
	if q.err != nil {
		return q.err
	}
	ctx := c.Request().Context()
	cube, area, err := s.cubeAndArea(ctx, a)
	if err != nil {
		return err
	}
	roads, err := s.roads.Roads(ctx, s.Store)
	if err != nil {
		return err
	}
	cellSeg, err := s.roads.segmentCells(ctx, s.Store)
	if err != nil {
		return err
	}
	weeks := int(math.Max(4, math.Round(a.filter.To.Sub(a.filter.From).Hours()/(7*24))))
	bins := analytics.BinsEnding(a.filter.To, true, weeks, s.Zone) // whole weeks, for trends
	if err := tooLarge(len(area.Cells)*weeks, 2_000_000, "cell weeks"); err != nil {
		return err
	}
	hot, emerging := map[h3.Cell]int{}, map[h3.Cell]analytics.Outcome{}
	for _, h := range analytics.HotSpots(cube, area, a.filter, analytics.HotSpotOptions{}).Cells {
		hot[h.Cell] = h.Bin
	}
	for i, e := range emergingCells(cube, area, a, bins) {
		emerging[area.Cells[i]] = e.Outcome
	}
	ranked := analytics.Rank(analytics.RankingInput{Roads: roads, Segments: cellSeg, Cube: cube, Filter: a.filter, Weeks: bins,
		Zone: s.Zone, HotRes: a.res, Hot: hot, Emerging: emerging})
	names := map[string]string{}
	for _, r := range roads {
		names[r.ID] = r.Name
	}
	out := make([]rankingJSON, len(ranked))
	for i, r := range ranked {
		out[i] = rankingJSON{Rank: i + 1, Road: r.Road, Name: names[r.Road], Count: r.Count, Score: round(r.Score, 4)}
		for j, sg := range r.Segments {
			out[i].Segments = append(out[i].Segments, segmentRankJSON(j+1, sg))
		}
	}
	a.params["score_formula"] = analytics.ScoreFormula
	a.params["hot_share"] = "share of the segment's cells (at res) in the Gi* bins +2 or +3 (95 % or more)"
	a.params["emerging"] = "the Emerging Hot Spot class of the segment's busiest cell, over the window's weeks"
	return c.JSON(http.StatusOK, map[string]any{"parameters": a.params, "roads": out})
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
