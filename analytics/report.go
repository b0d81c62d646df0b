package analytics

import (
	"math"
	"strconv"
	"time"

	"github.com/dazhigu/hotspot/analytics/backtest"
)

// BacktestReport is a backtest as GET /api/v1/backtest and hotspotd
// backtest -json write it: one object that outside scripts read.
type BacktestReport struct {
	Parameters Params        `json:"parameters"`
	Cells      int           `json:"cells"`
	TestWeeks  int           `json:"test_weeks"`
	Areas      string        `json:"areas"` // what the keys "1", "5", "10" are
	Models     []ModelReport `json:"models"`
	Weeks      []WeekReport  `json:"weeks"`
}

// ModelReport is one model's mean scores over the test weeks, keyed by the
// percentage of the study area's cells flagged; null where undefined.
type ModelReport struct {
	Name    string              `json:"name"`
	Method  string              `json:"method"`
	HitRate map[string]*float64 `json:"hit_rate"`
	PAI     map[string]*float64 `json:"pai"`
	PEI     map[string]*float64 `json:"pei"`
	RRI     map[string]*float64 `json:"rri"`
	// PAIRatio is the model's PAI ÷ the last-four-weeks model's PAI in the
	// same run.
	PAIRatio map[string]*float64 `json:"pai_ratio_last4"`
	Curve    []CurvePoint        `json:"pai_curve"`
}

// CurvePoint is the mean PAI when a share of the cells is flagged.
type CurvePoint struct {
	AreaPercent float64  `json:"area_pct"`
	PAI         *float64 `json:"pai"`
}

// WeekReport is one test week: its events and every model's PAI and hit
// rate, keyed by model, then by percentage.
type WeekReport struct {
	Start   time.Time                      `json:"start"`
	End     time.Time                      `json:"end"`
	Events  float64                        `json:"events"`
	HitRate map[string]map[string]*float64 `json:"hit_rate"`
	PAI     map[string]map[string]*float64 `json:"pai"`
}

// Report lays a backtest out for writing.
func (r BacktestResult) Report() BacktestReport {
	out := BacktestReport{Parameters: r.Params, Cells: r.Params.StudyArea.Cells, TestWeeks: r.Test.N(),
		Areas: "percent of the study area's cells flagged: the max(1, ⌊a·cells⌋) highest-scored, ties broken pessimistically"}
	var last4 []backtest.Score
	for _, m := range r.Result.Models {
		if m.Name == "last4" {
			last4 = m.Mean
		}
	}
	for _, m := range r.Result.Models {
		mr := ModelReport{Name: m.Name, Method: m.Method, HitRate: map[string]*float64{}, PAI: map[string]*float64{},
			PEI: map[string]*float64{}, RRI: map[string]*float64{}, PAIRatio: map[string]*float64{}}
		for s, share := range backtest.Shares {
			key := percent(share)
			sc := m.Mean[s]
			mr.HitRate[key], mr.PAI[key], mr.PEI[key], mr.RRI[key] = number(sc.HitRate), number(sc.PAI), number(sc.PEI), number(sc.RRI)
			if last4 != nil {
				mr.PAIRatio[key] = number(sc.PAI / last4[s].PAI)
			}
		}
		for c, share := range backtest.CurveShares {
			mr.Curve = append(mr.Curve, CurvePoint{AreaPercent: share * 100, PAI: number(m.Curve[c])})
		}
		out.Models = append(out.Models, mr)
	}
	for k := range r.Result.TestWeeks {
		w := WeekReport{Start: r.Test.Edges[k], End: r.Test.Edges[k+1], Events: r.Result.Events[k],
			HitRate: map[string]map[string]*float64{}, PAI: map[string]map[string]*float64{}}
		for _, m := range r.Result.Models {
			w.HitRate[m.Name], w.PAI[m.Name] = map[string]*float64{}, map[string]*float64{}
			for s, share := range backtest.Shares {
				w.HitRate[m.Name][percent(share)] = number(m.Weeks[k][s].HitRate)
				w.PAI[m.Name][percent(share)] = number(m.Weeks[k][s].PAI)
			}
		}
		out.Weeks = append(out.Weeks, w)
	}
	return out
}

// percent writes a share as a percentage key: 0.05 → "5", 0.005 → "0.5".
func percent(share float64) string {
	return strconv.FormatFloat(math.Round(share*1000)/10, 'f', -1, 64)
}

// number is x rounded to 6 decimals, nil (null) when undefined.
func number(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	v := math.Round(x*1e6) / 1e6
	return &v
}
