package backtest

import (
	"context"
	"math"
	"runtime"
	"sync"

	"github.com/dazhigu/hotspot/analytics/forecast"
)

// Shares are the shares of the study area's cells every backtest scores
// at: 1 %, 5 % and 10 %.
var Shares = []float64{0.01, 0.05, 0.10}

// CurveShares are the shares of the PAI-by-area curve.
var CurveShares = []float64{0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.10, 0.15, 0.20, 0.30, 0.40, 0.50, 0.75, 1}

// ModelResult is one model's scores.
type ModelResult struct {
	Name, Method string
	// Mean is the mean over the test weeks of each score at each of Shares
	// (weeks where a score is undefined, e.g. without events, are left out).
	Mean []Score
	// Weeks are the scores of every test week at each of Shares.
	Weeks [][]Score
	// Curve is the mean PAI at each of CurveShares.
	Curve []float64
}

// Result is a backtest: every model scored on the same test weeks.
type Result struct {
	TestWeeks []int     // indexes into the panel's weeks
	Events    []float64 // events in each test week
	Models    []ModelResult
}

// Run scores each model's forecast of each test week (an index of the
// panel's weeks; each forecast sees only the weeks before its own) against
// the events of that week, at Shares and along CurveShares. The models run
// side by side, one a core. It stops with ctx's error once ctx is done,
// asking the models to stop too (p.Stop).
func Run(ctx context.Context, p *forecast.Panel, models []forecast.Model, test []int) (Result, error) {
	p.Stop = func() bool { return ctx.Err() != nil }
	r := Result{TestWeeks: test, Events: make([]float64, len(test)), Models: make([]ModelResult, len(models))}
	best := make([][]float64, len(test))
	for k, t := range test {
		for _, v := range p.Counts[t] {
			r.Events[k] += v
		}
		best[k] = perfect(p.Counts[t])
	}
	cores := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for x, m := range models {
		wg.Go(func() {
			cores <- struct{}{}
			defer func() { <-cores }()
			if ctx.Err() != nil { // no model starts once the context has ended
				return
			}
			if fc := m.Forecast(p, test); ctx.Err() == nil {
				r.Models[x] = scoreModel(m, fc, p, test, best)
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	return r, nil
}

// scoreModel scores a model's forecasts fc of the test weeks.
func scoreModel(m forecast.Model, fc [][]float64, p *forecast.Panel, test []int, best [][]float64) ModelResult {
	mr := ModelResult{Name: m.Name(), Method: m.Method(), Weeks: make([][]Score, len(test))}
	curve := make([][]float64, len(CurveShares))
	for k, t := range test {
		ranked := newRanking(fc[k], p.Counts[t], best[k])
		for _, a := range Shares {
			mr.Weeks[k] = append(mr.Weeks[k], ranked.score(a))
		}
		for c, a := range CurveShares {
			curve[c] = append(curve[c], ranked.score(a).PAI)
		}
	}
	for s := range Shares {
		mr.Mean = append(mr.Mean, meanScore(mr.Weeks, s))
	}
	for c := range CurveShares {
		mr.Curve = append(mr.Curve, mean(curve[c]))
	}
	return mr
}

// meanScore averages the weeks' scores at share index s, each figure over
// the weeks where it is defined.
func meanScore(weeks [][]Score, s int) Score {
	var hit, pai, pei, rri, hits, events []float64
	out := Score{}
	for _, w := range weeks {
		sc := w[s]
		out.Flagged = sc.Flagged
		hit, pai, pei, rri = append(hit, sc.HitRate), append(pai, sc.PAI), append(pei, sc.PEI), append(rri, sc.RRI)
		hits, events = append(hits, sc.Hits), append(events, sc.Events)
	}
	out.HitRate, out.PAI, out.PEI, out.RRI = mean(hit), mean(pai), mean(pei), mean(rri)
	out.Hits, out.Events = sum(hits), sum(events)
	return out
}

// mean is the mean of the values that are not NaN; NaN when none is.
func mean(x []float64) float64 {
	var s float64
	n := 0
	for _, v := range x {
		if !math.IsNaN(v) {
			s += v
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

func sum(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s
}
