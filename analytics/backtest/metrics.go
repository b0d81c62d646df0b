// Package backtest scores forecasts of where events will happen against
// what happened: the hit rate, the Predictive Accuracy Index (PAI, Chainey,
// Tompson & Uhlig 2008), the Predictive Efficiency Index (PEI) and Levine's
// Recapture Rate Index (RRI), at a share of the study area's cells, and the
// rolling weekly backtest that scores several models in one run, each week
// seeing only the weeks before it. docs/forecast.md defines every number.
package backtest

import (
	"cmp"
	"math"
	"slices"
)

// Score is how well one forecast did at one share of the area.
type Score struct {
	Flagged int     // m = max(1, ⌊share·cells⌋) cells flagged
	Hits    float64 // events in the flagged cells
	Events  float64 // N, events in all cells
	HitRate float64 // Hits/N; NaN when N = 0
	PAI     float64 // HitRate ÷ (m/cells); NaN when N = 0
	PEI     float64 // PAI ÷ the PAI of a perfect forecast flagging m cells; NaN when N = 0
	RRI     float64 // HitRate ÷ the forecast's share of its own mass in the flagged cells; NaN when undefined
}

// Rank returns the cells in the order a forecast flags them: by score,
// highest first, and among equal scores the cells with fewer actual events
// first (ties are broken pessimistically, as apwheele/ptools' pai does), then
// by index so the order is total.
func Rank(scores, actual []float64) []int {
	type key struct { // the sort reads the keys beside each other, not through the index
		score, actual float64
		i             int
	}
	keys := make([]key, len(scores))
	for i, v := range scores {
		keys[i] = key{v, actual[i], i}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		if c := cmp.Compare(a.actual, b.actual); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	idx := make([]int, len(keys))
	for x, k := range keys {
		idx[x] = k.i
	}
	return idx
}

// Flagged returns m = max(1, ⌊share·cells⌋), capped at cells.
func Flagged(share float64, cells int) int {
	return min(cells, max(1, int(math.Floor(share*float64(cells)+1e-9))))
}

// ScoreAt scores one forecast (scores per cell, higher meaning more events
// expected) against the actual events per cell, flagging the
// Flagged(share, n) highest-scored cells. Scores must not be NaN.
func ScoreAt(scores, actual []float64, share float64) Score {
	return newRanking(scores, actual, perfect(actual)).score(share)
}

// perfect returns the actual counts sorted high to low: the hits of a
// perfect forecast flagging m cells are the sum of the first m.
func perfect(actual []float64) []float64 {
	s := slices.Clone(actual)
	slices.SortFunc(s, func(a, b float64) int { return cmp.Compare(b, a) })
	return s
}

// ranking is a forecast's cells in the order it flags them, with the sums
// over the first m of them for every m, so that a score at any share is a
// look-up.
type ranking struct {
	events, mass float64   // all the actual events; all the forecast's mass
	hits         []float64 // hits[m]: actual events in the first m cells
	flaggedMass  []float64 // the forecast's mass there
	top          []float64 // a perfect forecast's hits flagging m cells (best: perfect(actual))
}

func newRanking(scores, actual, best []float64) ranking {
	n := len(scores)
	r := ranking{hits: make([]float64, n+1), flaggedMass: make([]float64, n+1), top: make([]float64, n+1)}
	for _, v := range actual {
		r.events += v
	}
	for _, v := range scores {
		r.mass += v
	}
	for k, i := range Rank(scores, actual) {
		r.hits[k+1] = r.hits[k] + actual[i]
		r.flaggedMass[k+1] = r.flaggedMass[k] + scores[i]
		r.top[k+1] = r.top[k] + best[k]
	}
	return r
}

func (r ranking) score(share float64) Score {
	n := len(r.hits) - 1
	s := Score{Flagged: Flagged(share, n), HitRate: math.NaN(), PAI: math.NaN(), PEI: math.NaN(), RRI: math.NaN()}
	if n == 0 {
		s.Flagged = 0
		return s
	}
	s.Events, s.Hits = r.events, r.hits[s.Flagged]
	if s.Events == 0 {
		return s
	}
	areaShare := float64(s.Flagged) / float64(n)
	s.HitRate = s.Hits / s.Events
	s.PAI = s.HitRate / areaShare
	if top := r.top[s.Flagged]; top > 0 {
		s.PEI = s.Hits / top
	}
	if flagged := r.flaggedMass[s.Flagged]; r.mass > 0 && flagged > 0 {
		s.RRI = s.HitRate / (flagged / r.mass)
	}
	return s
}
