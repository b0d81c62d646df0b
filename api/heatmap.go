package api

import (
	"fmt"
	"math"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/analytics"
	"github.com/dazhigu/hotspot/analytics/stat"
	"github.com/dazhigu/hotspot/geo"
)

// cellValue is one cell of an analytics answer: its value and the figures
// behind it.
type cellValue struct {
	cell  h3.Cell
	value float64
	null  bool // the value is undefined (a rate without patrol): written as null
	props map[string]any
	// fields, when set, are the props as a list sorted by key (none named
	// as the cell's id or "value"): the hot answers (hot spots, counts)
	// build no map per cell.
	fields []field
}

// field is one member of a cell's props.
type field struct {
	key   string
	value any
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
	a, crs, q := s.readAnalysis(c, "metric", "format")
	metric := q.oneOf("metric", "count", "count", "rate", "gistar")
	format := s.readFormat(q, &a)
	if q.err != nil {
		return q.err
	}
	ctx := c.Request().Context()
	switch metric {
	case "rate":
		r, err := s.Engine.Rates(ctx, a)
		if err != nil {
			return err
		}
		cells, params := rateCells(r, crs)
		return s.writeCells(c, cells, params.analysisJSON, params, format)
	case "gistar":
		r, err := s.Engine.HotSpots(ctx, a, analytics.HotSpotOptions{})
		if err != nil {
			return err
		}
		cells, params := hotspotCells(r, crs)
		return s.writeCells(c, cells, params.analysisJSON, params, format)
	}
	r, err := s.Engine.Counts(ctx, a)
	if err != nil {
		return err
	}
	params := &analysisJSON{Params: r.Params, CRS: crs, Metric: "count", Value: "violations in the window"}
	cells := make([]cellValue, len(r.Cells))
	for i, cc := range r.Cells {
		cells[i] = cellValue{cell: cc.Cell, value: cc.Count, fields: []field{{"count", cc.Count}}}
	}
	return s.writeCells(c, cells, params, params, format)
}

// rateJSON states a rate heatmap.
type rateJSON struct {
	*analysisJSON
	Numerator          string  `json:"numerator"`
	CellsWithoutPatrol int     `json:"cells_without_patrol"`
	BlindSpots         string  `json:"blind_spots"`
	BlindSpotCells     int     `json:"blind_spot_cells"`
	EB                 *ebJSON `json:"eb,omitempty"`
}

type ebJSON struct {
	MeanRate            float64 `json:"mean_rate"`
	BetweenCellVariance float64 `json:"between_cell_variance"`
	Cells               int     `json:"cells"`
}

// rateCells are the EB-smoothed rates of the study area's patrolled cells,
// and the cells with complaints but no patrol; blind spots are flagged.
func rateCells(r analytics.RateResult, crs string) ([]cellValue, *rateJSON) {
	params := &rateJSON{analysisJSON: &analysisJSON{Params: r.Params, CRS: crs, Metric: "rate",
		Value: "violations per patrol hour, smoothed by global empirical Bayes (Marshall 1991); null without patrol"},
		Numerator:          "violations of the selected sources and categories (all unless source= or category= is given; source=patrol counts what patrols found)",
		CellsWithoutPatrol: r.WithoutPatrol, BlindSpotCells: r.BlindSpots,
		BlindSpots: fmt.Sprintf("complaints (hotline, citizen) at least %d and in the top quarter of cells with any, "+
			"patrol hours in the bottom quarter of the study area", stat.BlindSpotMinComplaints)}
	if r.Patrolled > 0 {
		params.EB = &ebJSON{MeanRate: r.EB.Mean, BetweenCellVariance: r.EB.Variance, Cells: r.Patrolled}
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
	return out, params
}

// writeCells encodes cells as GeoJSON hexagons (in the datum asked for) or
// as a compact H3 list, with the parameters (whose base states how many
// cells are returned).
func (s *server) writeCells(c echo.Context, cells []cellValue, base *analysisJSON, params any, format string) error {
	return s.writeCellsWith(c, cells, base, params, format, nil)
}

// writeCellsWith is writeCells with more top-level members. The answer
// is streamed: written cell by cell as it is encoded, with the bytes
// encoding/json gives for the whole answer (TestStreamedCells).
func (s *server) writeCellsWith(c echo.Context, cells []cellValue, base *analysisJSON, params any, format string, more map[string]any) error {
	base.CellsReturned = len(cells)
	top := map[string]any{"parameters": params}
	for k, v := range more {
		top[k] = v
	}
	var keys []string
	if format == "h3" {
		c.Response().Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
		c.Response().WriteHeader(http.StatusOK)
		return streamObject(c.Response(), top, "data", len(cells), func(b []byte, i int) ([]byte, error) {
			return appendCellObject(b, cells[i], "hex", &keys)
		})
	}
	top["type"] = "FeatureCollection"
	return streamGeoJSON(c, http.StatusOK, top, len(cells), func(b []byte, i int) ([]byte, error) {
		return appendCellFeature(b, cells[i], base.CRS, &keys)
	})
}

// cellFeatures are cells as GeoJSON hexagons in datum crs, with their
// value and figures.
func cellFeatures(cells []cellValue, crs string) []*geojson.Feature {
	out := make([]*geojson.Feature, len(cells))
	for i, cv := range cells {
		f := geojson.NewFeature(hexagon(cv.cell, crs))
		f.ID = cv.cell.String()
		f.Properties = geojson.Properties{"h3": cv.cell.String(), "value": cv.json()}
		for k, v := range cv.props {
			f.Properties[k] = v
		}
		for _, fd := range cv.fields {
			f.Properties[fd.key] = fd.value
		}
		out[i] = f
	}
	return out
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
