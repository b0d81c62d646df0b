// Package forecast forecasts next week's events per unit of a study area
// (an H3 cell, or a road segment) from the weeks before it, and holds the
// simple models a forecast must beat. Every model sees only the weeks
// before the one it forecasts. docs/forecast.md defines each model and says
// how the forecast was chosen.
package forecast

import (
	"github.com/uber/h3-go/v4"
)

// Panel is the weekly history of a study area: Counts[w][i] events of unit
// i in week w, oldest week first, every row the same length.
type Panel struct {
	Counts [][]float64
	// Neighbours lists each unit's neighbours (not itself): the k-ring of a
	// cell within the area, or the adjacent segments of a road.
	Neighbours [][]int32
	// RingSize is how many neighbours a unit has when none is missing (6
	// for a cell's 1-ring, 2 for a segment between two others): a missing
	// neighbour, outside the area or past a road's end, counts as zero in
	// the neighbours' mean. 0: each unit's own number of neighbours.
	RingSize int
	// Cells are the units' H3 cells, when the units are cells (the kernel
	// density baseline needs their centres); nil otherwise.
	Cells []h3.Cell
	// Stop, when set, is asked between weeks by the models' long loops:
	// once it returns true they return early with what they have, which the
	// caller discards (an analysis past its deadline, a client gone).
	Stop func() bool
}

// stopped reports whether the panel's Stop asks the models to stop.
func (p *Panel) stopped() bool { return p.Stop != nil && p.Stop() }

// Units returns the number of units.
func (p *Panel) Units() int { return len(p.Neighbours) }

// Weeks returns the number of weeks.
func (p *Panel) Weeks() int { return len(p.Counts) }

// A Model forecasts each unit's events in a week from the weeks before it.
type Model interface {
	// Name is the model's short name in answers (forecast, last4, ...).
	Name() string
	// Forecast returns, for each week t of weeks (0 < t ≤ p.Weeks()), a
	// score per unit for week t computed from weeks 0..t-1 only: expected
	// events for the forecast, a ranking score for some baselines.
	Forecast(p *Panel, weeks []int) [][]float64
	// Method describes the model and its parameters, for answers.
	Method() string
}
