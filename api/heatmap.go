package api

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/analytics"
	"github.com/dazhigu/hotspot/geo"
)

// cellValue is one cell of an analytics answer: its value and the figures
// behind it.
type cellValue struct {
	cell  h3.Cell
	value float64
	null  bool // the value is undefined (a rate without patrol): written as null
	props map[string]any
}

func (cv cellValue) json() any {
	if cv.null {
		return nil
	}
	return cv.value
}

// heatmap answers GET /api/v1/heatmap: a value per H3 cell, by metric
// count (violations), rate (EB-smoothed violations per patrol hour) or
// gistar (Gi* z-score over the study area).
func (s *server) heatmap(c echo.Context) error {
	a, q := s.readAnalysis(c, 11, "metric", "format")
	metric := q.oneOf("metric", "count", "count", "rate", "gistar")
	format := q.oneOf("format", "geojson", "geojson", "h3")
	if q.err != nil {
		return q.err
	}
	ctx := c.Request().Context()
	cube, err := s.cube(ctx, a)
	if err != nil {
		return err
	}
	a.params["metric"] = metric
	var cells []cellValue
	switch metric {
	case "count":
		a.params["value"] = "violations in the window"
		for cell, n := range cube.Counts(a.filter, a.res) {
			cells = append(cells, cellValue{cell: cell, value: n, props: map[string]any{"count": n}})
		}
	case "rate":
		area, err := s.studyArea(ctx, a)
		if err != nil {
			return err
		}
		cells = rateCells(cube, area, a)
	case "gistar":
		area, err := s.studyArea(ctx, a)
		if err != nil {
			return err
		}
		cells = hotspotCells(cube, area, a, analytics.HotSpotOptions{})
	}
	slices.SortFunc(cells, func(x, y cellValue) int { return cmp.Compare(x.cell, y.cell) })
	return s.writeCells(c, cells, a, format)
}

// rateCells are the EB-smoothed rates of the study area's patrolled cells,
// and the cells with complaints but no patrol; blind spots are flagged.
func rateCells(cube *analytics.Cube, area analytics.StudyArea, a *analysis) []cellValue {
	r := analytics.Rates(cube, area, a.filter)
	a.params["value"] = "violations per patrol hour, smoothed by global empirical Bayes (Marshall 1991); null without patrol"
	a.params["numerator"] = "violations of the selected sources and categories (all unless source= or category= is given; source=patrol counts what patrols found)"
	a.params["cells_without_patrol"] = r.WithoutPatrol
	a.params["blind_spots"] = fmt.Sprintf("complaints (hotline, citizen) at least %d and in the top quarter of cells with any, "+
		"patrol hours in the bottom quarter of the study area", analytics.BlindSpotMinComplaints)
	a.params["blind_spot_cells"] = r.BlindSpots
	if r.Patrolled > 0 {
		a.params["eb"] = map[string]any{"mean_rate": r.EB.Mean, "between_cell_variance": r.EB.Variance, "cells": r.Patrolled}
	}
	out := make([]cellValue, len(r.Cells))
	for i, rc := range r.Cells {
		props := map[string]any{"count": rc.Count, "patrol_hours": round(rc.PatrolHours, 3), "complaints": rc.Complaints,
			"blind_spot": rc.BlindSpot, "rate": nil, "raw_rate": nil}
		cv := cellValue{cell: rc.Cell, value: rc.Rate, null: math.IsNaN(rc.Rate), props: props}
		if !cv.null {
			props["rate"], props["raw_rate"] = rc.Rate, rc.Raw
		}
		out[i] = cv
	}
	return out
}

// writeCells encodes cells as GeoJSON hexagons (in the datum asked for) or
// as a compact H3 list.
func (s *server) writeCells(c echo.Context, cells []cellValue, a *analysis, format string) error {
	a.params["cells_returned"] = len(cells)
	if format == "h3" {
		rows := make([]map[string]any, len(cells))
		for i, cv := range cells {
			row := map[string]any{"hex": cv.cell.String(), "value": cv.json()}
			for k, v := range cv.props {
				row[k] = v
			}
			rows[i] = row
		}
		return c.JSON(http.StatusOK, map[string]any{"parameters": a.params, "data": rows})
	}
	fc := geojson.NewFeatureCollection()
	for _, cv := range cells {
		f := geojson.NewFeature(hexagon(cv.cell, a.crs))
		f.ID = cv.cell.String()
		f.Properties = geojson.Properties{"h3": cv.cell.String(), "value": cv.json()}
		for k, v := range cv.props {
			f.Properties[k] = v
		}
		fc.Append(f)
	}
	fc.ExtraMembers = geojson.Properties{"parameters": a.params}
	return c.JSON(http.StatusOK, fc)
}

// hexagon is a cell's boundary as a polygon in datum crs.
func hexagon(c h3.Cell, crs string) orb.Polygon {
	b := h3.CellToBoundary(c)
	ring := make(orb.Ring, 0, len(b)+1)
	for _, ll := range b {
		ring = append(ring, geo.FromWGS84(orb.Point{ll.Lng, ll.Lat}, crs))
	}
	return orb.Polygon{append(ring, ring[0])}
}
