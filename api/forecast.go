package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/analytics"
)

// forecastJSON states a forecast.
type forecastJSON struct {
	*analysisJSON
	Week         binsJSON           `json:"week"`
	History      binsJSON           `json:"history"`
	Method       string             `json:"method"`
	Weights      map[string]float64 `json:"weights"`
	Profile      string             `json:"profile,omitempty"`
	ProfilePrior int                `json:"profile_prior,omitempty"`
	Backtest     string             `json:"backtest"`
}

// segmentForecastJSON is one key-road segment of a forecast.
type segmentForecastJSON struct {
	Road     string    `json:"road"`
	RoadName string    `json:"road_name"`
	Segment  int       `json:"segment"`
	FromM    float64   `json:"from_m"`
	ToM      float64   `json:"to_m"`
	Expected float64   `json:"expected"`
	Profile  []float64 `json:"profile,omitempty"`
}

// forecast answers GET /api/v1/forecast: the violations expected in a week
// per study-area cell and per key-road segment, with hour-of-week profiles.
func (s *server) forecast(c echo.Context) error {
	a, crs, q := s.readAnalysis(c, "week", "format", "profile")
	if c.QueryParam("datetime") != "" {
		q.fail("datetime", "is not a parameter of this path: a forecast reads every whole week before the one it forecasts; name that week with week=YYYY-MM-DD")
	}
	week := q.date("week", s.Engine.Zone())
	profile := q.oneOf("profile", "true", "true", "false") == "true"
	format := s.readFormat(q, &a)
	if q.err != nil {
		return q.err
	}
	r, err := s.Engine.Forecast(c.Request().Context(), a, analytics.ForecastOptions{Week: week, Profiles: profile})
	if err != nil {
		return err
	}
	zone := s.Engine.Zone()
	params := &forecastJSON{analysisJSON: &analysisJSON{Params: r.Params, CRS: crs, Metric: "forecast",
		Value: "violations expected in the week"},
		Week: newBinsJSON(r.Week, zone), History: newBinsJSON(r.History, zone), Method: r.Method, Weights: map[string]float64{},
		Backtest: "GET /api/v1/backtest scores this forecast against four baselines on the same area (docs/forecast.md)"}
	for i, f := range r.Features {
		params.Weights[f.Name] = round(r.Weights[i], 6)
	}
	if profile {
		params.Profile = "shares of expected by local hour of week, Monday 00:00 first (168), from the last 26 weeks, shrunk towards the study area's profile"
		params.ProfilePrior = analytics.ProfilePrior
	}
	cells := forecastCells(r)
	segs := make([]segmentForecastJSON, len(r.Segments))
	for i, sf := range r.Segments {
		segs[i] = segmentForecastJSON{Road: sf.Road, RoadName: sf.Name, Segment: sf.Segment, FromM: round(sf.FromMeters, 1),
			ToM: round(sf.ToMeters, 1), Expected: round(sf.Expected, 4), Profile: roundAll(sf.Profile, 5)}
	}
	return s.writeCellsWith(c, cells, params.analysisJSON, params, format, map[string]any{"segments": segs})
}

// forecastCells are a forecast's cells, with their hour-of-week profiles
// when computed.
func forecastCells(r analytics.ForecastResult) []cellValue {
	cells := make([]cellValue, len(r.Cells))
	for i, cf := range r.Cells {
		props := map[string]any{"expected": round(cf.Expected, 4)}
		if cf.Profile != nil {
			props["profile"] = roundAll(cf.Profile, 5)
		}
		cells[i] = cellValue{cell: cf.Cell, value: round(cf.Expected, 4), props: props}
	}
	return cells
}

func roundAll(x []float64, n int) []float64 {
	if x == nil {
		return nil
	}
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = round(v, n)
	}
	return out
}

// backtest answers GET /api/v1/backtest: the forecast and four baselines
// scored on the last whole weeks of the study area.
func (s *server) backtest(c echo.Context) error {
	a, _, q := s.readAnalysis(c, "weeks")
	if c.QueryParam("datetime") != "" {
		q.fail("datetime", "is not a parameter of this path: the test weeks are the last whole weeks (weeks=N)")
	}
	weeks := q.integer("weeks", 12, 1, analytics.MaxHistoryWeeks)
	if q.err != nil {
		return q.err
	}
	r, err := s.Engine.Backtest(c.Request().Context(), a, analytics.BacktestOptions{Weeks: weeks})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r.Report())
}

// date reads a local date (YYYY-MM-DD) or an RFC 3339 time; zero when
// absent.
func (q *query) date(name string, zone *time.Location) time.Time {
	v := q.values.Get(name)
	if v == "" {
		return time.Time{}
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, zone); err == nil {
		return t
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t
	}
	q.fail(name, "must be a date (YYYY-MM-DD, local) or an RFC 3339 time")
	return time.Time{}
}
