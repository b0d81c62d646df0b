package did

import (
	"errors"
	"fmt"
	"math"
)

// The errors of package did. Panel.Validate and every analysis return one
// of them, wrapped with detail where there is some; test with errors.Is.
var (
	ErrFewClusters = errors.New("did: fewer than 2 units (clusters)")
	ErrRagged      = errors.New("did: ragged panel")
	ErrBadCount    = errors.New("did: count is NaN, infinite or negative")
	ErrNoTreated   = errors.New("did: no treated unit")
	ErrNoControl   = errors.New("did: no control unit")
	ErrNoPre       = errors.New("did: no pre week (start must be at least 1)")
	ErrNoPost      = errors.New("did: no post week (start must be before the last week)")
	ErrTooSmall    = errors.New("did: panel too small: no residual degrees of freedom")
	ErrSingular    = errors.New("did: singular design")
	ErrNoVariance  = errors.New("did: no variation left for a clustered standard error")
	ErrWindow      = errors.New("did: event window outside the panel")
	ErrReps        = errors.New("did: too few bootstrap replications")
)

// Panel is a balanced panel of weekly counts: units (road segments) by
// consecutive weeks, some units treated from week Start on.
type Panel struct {
	// Y holds the counts, Y[unit][week], oldest week first. Every row has
	// the same number of weeks; counts are finite and non-negative (they
	// need not be integers: rates or exposure-adjusted counts are fine).
	Y [][]float64
	// Treated marks the treated units, one entry per row of Y.
	Treated []bool
	// Start is the index of the first post week: week t is "post" when
	// t ≥ Start, "pre" otherwise. 1 ≤ Start ≤ weeks − 1.
	Start int
}

// Validate reports why p cannot be analysed, or nil: fewer than 2 units
// (ErrFewClusters), rows of different lengths or a Treated of another
// length than Y (ErrRagged), a NaN, infinite or negative count
// (ErrBadCount), no treated or no control unit (ErrNoTreated,
// ErrNoControl), no pre or no post week (ErrNoPre, ErrNoPost).
func (p Panel) Validate() error {
	if len(p.Y) < 2 {
		return fmt.Errorf("%w: %d units", ErrFewClusters, len(p.Y))
	}
	if len(p.Treated) != len(p.Y) {
		return fmt.Errorf("%w: %d units in Y, %d in Treated", ErrRagged, len(p.Y), len(p.Treated))
	}
	weeks := len(p.Y[0])
	for i, row := range p.Y {
		if len(row) != weeks {
			return fmt.Errorf("%w: unit %d has %d weeks, unit 0 has %d", ErrRagged, i, len(row), weeks)
		}
		for t, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return fmt.Errorf("%w: Y[%d][%d] = %v", ErrBadCount, i, t, v)
			}
		}
	}
	var treated int
	for _, tr := range p.Treated {
		if tr {
			treated++
		}
	}
	switch {
	case treated == 0:
		return ErrNoTreated
	case treated == len(p.Treated):
		return ErrNoControl
	case p.Start < 1:
		return fmt.Errorf("%w: start %d", ErrNoPre, p.Start)
	case p.Start >= weeks:
		return fmt.Errorf("%w: start %d, %d weeks", ErrNoPost, p.Start, weeks)
	}
	return nil
}

// dims returns the numbers of units and weeks of a valid panel.
func (p Panel) dims() (units, weeks int) { return len(p.Y), len(p.Y[0]) }

// preMean returns the mean count of the treated units in the pre weeks.
func (p Panel) preMean() float64 {
	var sum float64
	var n int
	for i, row := range p.Y {
		if !p.Treated[i] {
			continue
		}
		for _, v := range row[:p.Start] {
			sum += v
		}
		n += p.Start
	}
	return sum / float64(n)
}

// within returns the two-way within transformation of x(i, t) on a units ×
// weeks balanced panel, flattened unit-major (index i·weeks + t):
//
//	x̃_it = x_it − x̄_i· − x̄_·t + x̄··
//
// On a balanced panel this is the residual of x on unit and week dummies,
// so by Frisch–Waugh–Lovell a regression of ỹ on x̃ gives the slope and the
// residuals of the regression with all the dummies.
func within(units, weeks int, x func(i, t int) float64) []float64 {
	out := make([]float64, units*weeks)
	rowMean := make([]float64, units)
	colMean := make([]float64, weeks)
	var grand float64
	for i := range units {
		for t := range weeks {
			v := x(i, t)
			out[i*weeks+t] = v
			rowMean[i] += v
			colMean[t] += v
			grand += v
		}
	}
	for i := range rowMean {
		rowMean[i] /= float64(weeks)
	}
	for t := range colMean {
		colMean[t] /= float64(units)
	}
	grand /= float64(units * weeks)
	for i := range units {
		for t := range weeks {
			out[i*weeks+t] += grand - rowMean[i] - colMean[t]
		}
	}
	return out
}

// cr1Adjust returns the small-sample factor of CR1,
// G/(G−1) · (N−1)/(N−K), the one sandwich::vcovCL applies with
// type = "HC1" and cadjust = TRUE.
func cr1Adjust(g, n, k int) float64 {
	return float64(g) / float64(g-1) * float64(n-1) / float64(n-k)
}
