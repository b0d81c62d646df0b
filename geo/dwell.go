package geo

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
	"github.com/uber/h3-go/v4"
)

// Fix is a timed GPS fix. Point is WGS-84 longitude, latitude.
type Fix struct {
	Time  time.Time
	Point orb.Point
}

// DwellOptions set how Dwell counts presence. Zero fields take the defaults.
type DwellOptions struct {
	// MaxGap is the longest time between consecutive fixes that still counts
	// as presence; longer gaps are dropped. Default 5 minutes.
	MaxGap time.Duration
	// MaxSpeed is the fastest speed in meters per second between consecutive
	// fixes that still counts as presence; faster pairs are dropped as GPS
	// jumps or vehicle rides. Default 15 m/s (54 km/h).
	MaxSpeed float64
	// Res is the H3 resolution (0..15) of the cells. Default 12.
	Res int
}

// The defaults of DwellOptions.
const (
	DefaultMaxGap   = 5 * time.Minute
	DefaultMaxSpeed = 15.0 // meters per second
	DefaultDwellRes = 12
)

// CellHour is presence in one H3 cell during one UTC clock hour starting at
// Hour, in seconds.
type CellHour struct {
	Cell    h3.Cell
	Hour    time.Time
	Seconds float64
}

// DwellSummary says what Dwell counted and dropped: the number of fixes, the
// time counted as presence, and the time dropped because a gap was longer
// than MaxGap or a speed above MaxSpeed.
type DwellSummary struct {
	Fixes                             int
	Counted, DroppedGap, DroppedSpeed time.Duration
}

// Dwell converts a time-ordered track of WGS-84 fixes into presence seconds
// per H3 cell per UTC hour. The time between two consecutive fixes is spread
// evenly along the straight segment between them (linear in longitude,
// latitude) and each piece is credited to the cell it lies in, split at UTC
// hour boundaries. The segment is sampled at about half the average H3 edge
// length of the resolution; a pair whose two fixes share a cell is credited
// whole to that cell. Pairs further apart in time than MaxGap, or faster
// (spherical distance over time) than MaxSpeed, are not presence and are
// reported as dropped; pairs out of time order or at the same instant add
// nothing. The output is sorted by (Hour, Cell) with seconds summed; the sum
// of Seconds equals the summary's Counted up to float rounding.
func Dwell(fixes []Fix, opt DwellOptions) ([]CellHour, DwellSummary) {
	if opt.MaxGap <= 0 {
		opt.MaxGap = DefaultMaxGap
	}
	if !(opt.MaxSpeed > 0) {
		opt.MaxSpeed = DefaultMaxSpeed
	}
	if opt.Res <= 0 || opt.Res > h3.MaxResolution {
		opt.Res = DefaultDwellRes
	}
	return dwell(fixes, opt, newCellCache(opt.Res).cell)
}

// dwell is Dwell with options set, finding the cell of a point with cell.
func dwell(fixes []Fix, opt DwellOptions, cell func(orb.Point) h3.Cell) ([]CellHour, DwellSummary) {
	sum := DwellSummary{Fixes: len(fixes)}
	if len(fixes) < 2 {
		return nil, sum
	}
	acc := accumulator{index: make(map[cellHourKey]int)}
	step := h3.HexagonEdgeLengthAvgM(opt.Res) / 2
	prevCell := cell(fixes[0].Point)
	for i := 1; i < len(fixes); i++ {
		a, b := fixes[i-1], fixes[i]
		dt := b.Time.Sub(a.Time)
		if dt <= 0 {
			prevCell = cell(b.Point)
			continue
		}
		if dt > opt.MaxGap {
			sum.DroppedGap += dt
			prevCell = cell(b.Point)
			continue
		}
		dist := orbgeo.DistanceHaversine(a.Point, b.Point)
		if !(dist/dt.Seconds() <= opt.MaxSpeed) {
			sum.DroppedSpeed += dt
			prevCell = cell(b.Point)
			continue
		}
		sum.Counted += dt
		bCell := cell(b.Point)
		acc.pair(a, b, prevCell, bCell, dist, step, cell)
		prevCell = bCell
	}
	out := acc.rows
	slices.SortFunc(out, func(x, y CellHour) int {
		if c := x.Hour.Compare(y.Hour); c != 0 {
			return c
		}
		return cmp.Compare(x.Cell, y.Cell)
	})
	return out, sum
}

type cellHourKey struct {
	cell h3.Cell
	hour int64 // Unix seconds of the UTC hour's start
}

// accumulator sums seconds per (cell, hour), remembering the last row so
// that runs in one cell cost no map look-up.
type accumulator struct {
	index map[cellHourKey]int
	rows  []CellHour
	last  cellHourKey
	lastI int
	has   bool
}

func (acc *accumulator) add(c h3.Cell, hour int64, seconds float64) {
	k := cellHourKey{c, hour}
	if !acc.has || k != acc.last {
		i, ok := acc.index[k]
		if !ok {
			i = len(acc.rows)
			acc.index[k] = i
			acc.rows = append(acc.rows, CellHour{Cell: c, Hour: time.Unix(hour, 0).UTC()})
		}
		acc.last, acc.lastI, acc.has = k, i, true
	}
	acc.rows[acc.lastI].Seconds += seconds
}

// pair credits the time between fixes a and b (in cells ca and cb, dist
// meters apart) to the cells along the segment, found with cell, split at
// UTC hours.
func (acc *accumulator) pair(a, b Fix, ca, cb h3.Cell, dist, step float64, cell func(orb.Point) h3.Cell) {
	total := b.Time.Sub(a.Time).Seconds()
	// UTC hours as offsets in seconds from a.Time: hour h starts at
	// first+3600h, computed from exact integer times.
	hour0 := a.Time.UTC().Truncate(time.Hour)
	first := hour0.Sub(a.Time).Seconds() // <= 0
	// Pieces of the segment, each credited to the cell of its midpoint.
	n := 1
	if ca != cb {
		n = max(2, int(math.Ceil(dist/step)))
	}
	h := 0
	for k := 0; k < n; k++ {
		f0, f1 := float64(k)/float64(n), float64(k+1)/float64(n)
		c := ca
		if ca != cb {
			c = cell(pointAt(a.Point, b.Point, (f0+f1)/2))
		}
		// Split the piece's time [s0, s1) at hour boundaries.
		s0, s1 := f0*total, f1*total
		// Boundaries within a nanosecond (the resolution of time.Time) of a
		// piece's ends are float rounding: they leave no sliver.
		const ns = 1e-9
		for s1-s0 > ns {
			end := first + 3600*float64(h+1)
			if end-s0 <= ns {
				h++
				continue
			}
			if s1-end <= ns {
				end = s1
			}
			acc.add(c, hour0.Unix()+3600*int64(h), end-s0)
			s0 = end
		}
	}
}
