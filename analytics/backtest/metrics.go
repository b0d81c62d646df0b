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
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		if c := cmp.Compare(scores[b], scores[a]); c != 0 {
			return c
		}
		if c := cmp.Compare(actual[a], actual[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
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
	return scoreRanked(Rank(scores, actual), scores, actual, perfect(actual), share)
}

// perfect returns the actual counts sorted high to low: the hits of a
// perfect forecast flagging m cells are the sum of the first m.
func perfect(actual []float64) []float64 {
	s := slices.Clone(actual)
	slices.SortFunc(s, func(a, b float64) int { return cmp.Compare(b, a) })
	return s
}

func scoreRanked(order []int, scores, actual, best []float64, share float64) Score {
	n := len(order)
	s := Score{Flagged: Flagged(share, n), HitRate: math.NaN(), PAI: math.NaN(), PEI: math.NaN(), RRI: math.NaN()}
	if n == 0 {
		s.Flagged = 0
		return s
	}
	var mass, flaggedMass, top float64
	for _, v := range actual {
		s.Events += v
	}
	for _, v := range scores {
		mass += v
	}
	for k, i := range order[:s.Flagged] {
		s.Hits += actual[i]
		flaggedMass += scores[i]
		top += best[k]
	}
	if s.Events == 0 {
		return s
	}
	areaShare := float64(s.Flagged) / float64(n)
	s.HitRate = s.Hits / s.Events
	s.PAI = s.HitRate / areaShare
	if top > 0 {
		s.PEI = s.Hits / top
	}
	if mass > 0 && flaggedMass > 0 {
		s.RRI = s.HitRate / (flaggedMass / mass)
	}
	return s
}
