package stat

import "math"

// SpaceTimeGiStar returns z[t][i], the Getis–Ord Gi* z-score of cell i in
// time bin t with space-time neighbours: the spatial neighbours of i in w
// (self included) in each of the bins t−window … t that exist (window ≥ 0;
// a negative window counts as 0, which is plain Gi* per bin against the
// cube's mean). ArcGIS's default Neighborhood Time Step is 1: this bin and
// the one before. The weights are binary, so the neighbourhood of (i, t)
// has W = |Neighbours[i]| × (bins in the window) members, fewer in the first
// bins. Mean X̄ and standard deviation S (population, divided by N) are over
// all N = n·T values of the cube, as ArcGIS does:
//
//	z = (Σ x − X̄·W) / (S·√((N·W − W²)/(N − 1)))
//
// which is GiStar on the space-time graph flattened to N cells. x[t] holds
// the n = w.N() values of bin t, oldest bin first; every row must have n
// values. A cube with no variation (S = 0), or fewer than 2 values, gives
// all zeros, as does a neighbourhood that is the whole cube.
func SpaceTimeGiStar(x [][]float64, w Weights, window int) [][]float64 {
	nt, n := len(x), w.N()
	z := make([][]float64, nt)
	flat := make([]float64, nt*n)
	for t := range z {
		z[t] = flat[t*n : (t+1)*n : (t+1)*n]
	}
	bigN := float64(nt * n)
	if nt*n < 2 {
		return z
	}
	window = max(window, 0)

	var sum float64
	for _, row := range x {
		for _, v := range row[:n] {
			sum += v
		}
	}
	mean := sum / bigN
	var ss float64
	for _, row := range x {
		for _, v := range row[:n] {
			ss += (v - mean) * (v - mean)
		}
	}
	sd := math.Sqrt(ss / bigN)
	if sd == 0 || constantCube(x, n) {
		return z
	}

	// lag[t][i]: the spatial sum over i's neighbours in bin t.
	lag := make([]float64, nt*n)
	for t, row := range x {
		l := lag[t*n : (t+1)*n]
		for i, nb := range w.Neighbours {
			var s float64
			for _, j := range nb {
				s += row[j]
			}
			l[i] = s
		}
	}
	for t := range nt {
		lo := max(0, t-window)
		bins := float64(t - lo + 1)
		for i, nb := range w.Neighbours {
			var local float64
			for s := lo; s <= t; s++ {
				local += lag[s*n+i]
			}
			wi := float64(len(nb)) * bins
			v := (bigN*wi - wi*wi) / (bigN - 1)
			if v <= 0 {
				continue
			}
			z[t][i] = (local - mean*wi) / (sd * math.Sqrt(v))
		}
	}
	return z
}

// constantCube reports whether every value of the cube is the same; its
// standard deviation can then come out as rounding noise instead of 0.
func constantCube(x [][]float64, n int) bool {
	first := x[0][0]
	for _, row := range x {
		for _, v := range row[:n] {
			if v != first {
				return false
			}
		}
	}
	return true
}

// Outcome is the class Emerging Hot Spot Analysis gives a location, named
// as ArcGIS names it. docs/emerging.md defines each.
type Outcome string

// The 17 outcomes of Emerging Hot Spot Analysis.
const (
	NoPattern           Outcome = "no pattern detected"
	NewHotSpot          Outcome = "new hot spot"
	ConsecutiveHotSpot  Outcome = "consecutive hot spot"
	IntensifyingHotSpot Outcome = "intensifying hot spot"
	PersistentHotSpot   Outcome = "persistent hot spot"
	DiminishingHotSpot  Outcome = "diminishing hot spot"
	SporadicHotSpot     Outcome = "sporadic hot spot"
	OscillatingHotSpot  Outcome = "oscillating hot spot"
	HistoricalHotSpot   Outcome = "historical hot spot"

	NewColdSpot          Outcome = "new cold spot"
	ConsecutiveColdSpot  Outcome = "consecutive cold spot"
	IntensifyingColdSpot Outcome = "intensifying cold spot"
	PersistentColdSpot   Outcome = "persistent cold spot"
	DiminishingColdSpot  Outcome = "diminishing cold spot"
	SporadicColdSpot     Outcome = "sporadic cold spot"
	OscillatingColdSpot  Outcome = "oscillating cold spot"
	HistoricalColdSpot   Outcome = "historical cold spot"
)

// Outcomes returns the 17 outcomes: no pattern, the eight hot spot classes,
// then their cold twins, in ArcGIS's legend order.
func Outcomes() []Outcome {
	return []Outcome{
		NoPattern,
		NewHotSpot, ConsecutiveHotSpot, IntensifyingHotSpot, PersistentHotSpot,
		DiminishingHotSpot, SporadicHotSpot, OscillatingHotSpot, HistoricalHotSpot,
		NewColdSpot, ConsecutiveColdSpot, IntensifyingColdSpot, PersistentColdSpot,
		DiminishingColdSpot, SporadicColdSpot, OscillatingColdSpot, HistoricalColdSpot,
	}
}

// Hot reports whether o is one of the eight hot spot classes.
func (o Outcome) Hot() bool {
	switch o {
	case NewHotSpot, ConsecutiveHotSpot, IntensifyingHotSpot, PersistentHotSpot,
		DiminishingHotSpot, SporadicHotSpot, OscillatingHotSpot, HistoricalHotSpot:
		return true
	}
	return false
}

// Cold reports whether o is one of the eight cold spot classes.
func (o Outcome) Cold() bool { return o != NoPattern && o != "" && !o.Hot() }

// EmergingAlpha is the significance level of Classify, for each bin's Gi*
// p-value and for the Mann–Kendall trend alike: p < 0.10 is 90 %
// confidence, ArcGIS's lowest hot spot bin (±1).
const EmergingAlpha = 0.10

// Classify returns the outcome of one location from its per-bin Gi*
// z-scores and p-values (oldest bin first, equal lengths) and the
// Mann–Kendall trend of its z-score series, by ArcGIS's rules: a bin is a
// hot (cold) spot when p < EmergingAlpha and z > 0 (z < 0); "90 % of the
// bins" means at least 9 in 10; a trend counts when trend.P < EmergingAlpha,
// rising for trend.S > 0. docs/emerging.md writes out all 17 rules in the
// order they are tried. Fewer than 2 bins, or series of unequal length,
// give NoPattern.
func Classify(z, p []float64, trend Trend) Outcome {
	nt := len(z)
	if nt < 2 || len(p) != nt {
		return NoPattern
	}
	sign := make([]int8, nt) // +1 hot, −1 cold, 0 not significant
	var hot, cold int
	for t := range z {
		if p[t] < EmergingAlpha {
			switch {
			case z[t] > 0:
				sign[t] = 1
				hot++
			case z[t] < 0:
				sign[t] = -1
				cold++
			}
		}
	}
	last := sign[nt-1]
	rising := trend.P < EmergingAlpha && trend.S > 0
	falling := trend.P < EmergingAlpha && trend.S < 0
	switch {
	case last > 0:
		return classifyLast(sign, hot, cold, rising, falling, outcomes{NewHotSpot,
			ConsecutiveHotSpot, IntensifyingHotSpot, PersistentHotSpot, DiminishingHotSpot,
			SporadicHotSpot, OscillatingHotSpot})
	case last < 0:
		// For cold spots "intensifying" means ever colder: a falling trend.
		return classifyLast(sign, cold, hot, falling, rising, outcomes{NewColdSpot,
			ConsecutiveColdSpot, IntensifyingColdSpot, PersistentColdSpot, DiminishingColdSpot,
			SporadicColdSpot, OscillatingColdSpot})
	case mostly(hot, nt):
		return HistoricalHotSpot
	case mostly(cold, nt):
		return HistoricalColdSpot
	}
	return NoPattern
}

// outcomes are one side's classes, for classifyLast.
type outcomes struct{ new, consecutive, intensifying, persistent, diminishing, sporadic, oscillating Outcome }

// classifyLast classifies a location whose final bin is significant on one
// side ("same"): same and other count that side's and the other side's
// significant bins; stronger and weaker say whether the z-score trend is a
// significant move towards or away from that side.
func classifyLast(sign []int8, same, other int, stronger, weaker bool, o outcomes) Outcome {
	nt := len(sign)
	side := sign[nt-1]
	run := 0 // the final run of that side's bins
	for t := nt - 1; t >= 0 && sign[t] == side; t-- {
		run++
	}
	switch {
	case same == 1 && other == 0:
		return o.new
	case run >= 2 && same == run && other == 0 && !mostly(same, nt):
		return o.consecutive
	case mostly(same, nt) && stronger:
		return o.intensifying
	case mostly(same, nt) && weaker:
		return o.diminishing
	case mostly(same, nt):
		return o.persistent
	case other > 0:
		return o.oscillating
	}
	return o.sporadic
}

// mostly reports whether k of n bins are at least 90 %.
func mostly(k, n int) bool { return 10*k >= 9*n }

// EmergingCell is the Emerging Hot Spot Analysis of one location: its
// outcome, the Mann–Kendall trend of its Gi* z-scores, and the z-scores and
// two-sided p-values per bin, oldest first.
type EmergingCell struct {
	Outcome Outcome
	Trend   Trend
	Z, P    []float64
}

// Emerging runs Emerging Hot Spot Analysis on a cube of x[t][i], the value
// (count) of cell i in bin t, oldest bin first, with w's spatial neighbours
// and window earlier bins in each neighbourhood: space-time Gi* per bin
// (SpaceTimeGiStar), normal p-values (PValues, uncorrected), Mann–Kendall on
// each cell's z-scores, and Classify. The result has one EmergingCell per
// cell of w. docs/emerging.md describes the analysis and its rules.
func Emerging(x [][]float64, w Weights, window int) []EmergingCell {
	nt, n := len(x), w.N()
	z := SpaceTimeGiStar(x, w, window)
	zs := make([]float64, n*nt) // cell-major copies of z and p
	ps := make([]float64, n*nt)
	for t, row := range z {
		for i, p := range PValues(row) {
			zs[i*nt+t] = row[i]
			ps[i*nt+t] = p
		}
	}
	cells := make([]EmergingCell, n)
	for i := range cells {
		zi := zs[i*nt : (i+1)*nt : (i+1)*nt]
		pi := ps[i*nt : (i+1)*nt : (i+1)*nt]
		tr := MannKendall(zi)
		cells[i] = EmergingCell{Outcome: Classify(zi, pi, tr), Trend: tr, Z: zi, P: pi}
	}
	return cells
}
