package api

import (
	"math"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/analytics"
)

// segmentRefJSON is one treated or control segment of an evaluation.
type segmentRefJSON struct {
	Road     string  `json:"road"`
	RoadName string  `json:"road_name"`
	Segment  int     `json:"segment"`
	PreLevel float64 `json:"pre_level"` // mean weekly count before the start
	PreTrend float64 `json:"pre_trend"` // per week
}

type effectJSON struct {
	Event int      `json:"event"` // weeks from the start; −1 is the reference
	Delta *float64 `json:"delta"`
	SE    *float64 `json:"se"`
	Lo    *float64 `json:"lo"`
	Hi    *float64 `json:"hi"`
	P     *float64 `json:"p"`
}

type weekJSON struct {
	Start   time.Time `json:"start"`
	Treated float64   `json:"treated"` // mean count per segment
	Control float64   `json:"control"`
}

// evaluation answers GET /api/v1/pilots/{road}/evaluation.
func (s *server) evaluation(c echo.Context) error {
	a, _, q := s.readAnalysis(c, "start", "pre", "post", "leads", "lags", "reps", "seed", "ratio")
	eq := analytics.EvaluationQuery{Query: a, Road: c.Param("road"), Start: q.date("start", s.Engine.Zone()),
		Pre: q.integer("pre", analytics.DefaultPreWeeks, 4, 104), Post: q.integer("post", analytics.DefaultPostWeeks, 2, 104),
		Leads: q.integer("leads", analytics.DefaultLeads, 2, 52), Lags: q.integer("lags", analytics.DefaultLags, 0, 52),
		Reps: q.integer("reps", analytics.DefaultReps, 99, 9999), Seed: uint64(q.integer("seed", 1, 1, math.MaxInt32)),
		Ratio: q.integer("ratio", analytics.DefaultRatio, 1, 5)}
	if c.QueryParam("datetime") != "" {
		q.fail("datetime", "is not a parameter of this path; the weeks are pre= before and post= from the start")
	}
	if q.err != nil {
		return q.err
	}
	ev, err := s.Engine.EvaluatePilot(c.Request().Context(), eq)
	if err != nil {
		return err
	}
	zone := s.Engine.Zone()
	refs := func(ss []analytics.ControlSegment) []segmentRefJSON {
		out := make([]segmentRefJSON, len(ss))
		for i, sg := range ss {
			out[i] = segmentRefJSON{Road: sg.Road, RoadName: sg.Name, Segment: sg.Segment, PreLevel: round(sg.Level, 3), PreTrend: round(sg.Trend, 4)}
		}
		return out
	}
	var study []effectJSON
	for _, ef := range ev.Study.Effects {
		study = append(study, effectJSON{Event: ef.Event, Delta: num(ef.Delta), SE: num(ef.SE), Lo: num(ef.Lo), Hi: num(ef.Hi), P: num(ef.P)})
	}
	var weeks []weekJSON
	for _, w := range ev.Series {
		weeks = append(weeks, weekJSON{Start: w.Start.In(zone), Treated: round(w.Treated, 3), Control: round(w.Control, 3)})
	}
	b, t := ev.Bootstrap, ev.TWFE
	pw := ev.Study.Pretrend
	out := map[string]any{
		"parameters": analysisJSON{Params: ev.Params, Metric: "pilot evaluation", Value: "violations per segment-week"},
		"road":       ev.Road, "road_name": ev.Name, "start": ev.Start.In(zone).Format(time.DateOnly), "placebo": ev.Placebo,
		"weeks_before": ev.StartWeek, "weeks_after": ev.Weeks.N() - ev.StartWeek,
		"effect":          num(t.Beta),
		"ci95":            []*float64{num(b.Lo), num(b.Hi)},
		"relative_effect": num(t.Relative()),
		"pre_trend_p":     num(pw.FP),
		"trust": "ci95 is the wild cluster bootstrap-t interval (Webb six-point weights, the null imposed): with few segments as " +
			"clusters, CR1 intervals are too narrow (Cameron, Gelbach & Miller 2008); the CR1 one is given for comparison. " +
			"pre_trend_p is the F test that the event study's leads are zero: a small value warns that the groups were diverging before the start.",
		"treated_segments": refs(ev.Treated), "control_segments": refs(ev.Controls),
		"controls": "segments of roads without a pilot in the window, matched to the pilot road's segments (two for each, nearest first) by pre-period mean and trend",
		"twfe": map[string]any{"model": "y = segment + week + β·treated·after, OLS", "beta": num(t.Beta), "se_cr1": num(t.SE),
			"ci95_cr1": []*float64{num(t.Lo), num(t.Hi)}, "p_cr1": num(t.P), "df": t.DF, "n": t.N, "clusters": t.G,
			"pre_mean_treated": num(t.PreMean)},
		"wild_bootstrap": map[string]any{"ci95": []*float64{num(b.Lo), num(b.Hi)}, "p": num(b.P), "reps": b.Reps, "seed": eq.Seed,
			"weights": "Webb six-point", "null": "imposed; the interval by test inversion"},
		"event_study": map[string]any{"effects": study, "reference_week": -1, "leads": ev.Study.Leads, "lags": ev.Study.Lags,
			"end_bins":  "the first and last bins hold every week beyond them",
			"pre_trend": map[string]any{"f": num(pw.F), "df1": pw.DF, "df2": pw.DenDF, "p": num(pw.FP), "chi2": num(pw.Chi2), "p_chi2": num(pw.P)}},
		"wdd": map[string]any{"estimate": num(ev.WDD.Est), "se": num(ev.WDD.SE), "z": num(ev.WDD.Z), "p": num(ev.WDD.P),
			"ci90": []*float64{num(ev.WDD.Lo90), num(ev.WDD.Hi90)}, "ci95": []*float64{num(ev.WDD.Lo95), num(ev.WDD.Hi95)},
			"weeks_each_side": ev.WDDWeeks, "test": "Wheeler & Ratcliffe (2018) weighted displacement difference of the counts, no displacement area"},
		"series": weeks,
	}
	if !ev.Pilot.Start.IsZero() {
		out["pilot"] = ev.Pilot
	}
	return c.JSON(http.StatusOK, out)
}

// num is x rounded to 6 decimals, nil when not finite.
func num(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return ptr(round(x, 6))
}
