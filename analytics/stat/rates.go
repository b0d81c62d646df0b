package stat

import "math"

// EB is the global empirical Bayes smoothing of rates (Marshall 1991).
//
// Raw[i] is counts[i]/exposure[i] and Smoothed[i] its estimate shrunk
// towards Mean, the more so the smaller exposure[i]. Mean m = Σcounts/Σexposure,
// Variance the between-area variance estimate (a, floored at 0). Rates are
// in counts per unit of exposure (violations per patrol hour when exposure
// is in hours).
type EB struct {
	Raw, Smoothed  []float64
	Mean, Variance float64
}

// EBRates smooths counts/exposure (exposure > 0 for every cell; callers drop
// zero-exposure cells) exactly as spdep::EBest(n, x, family="poisson").
//
// With N cells, r_i = counts_i/exposure_i, m = Σcounts/Σexposure and
// ē = Σexposure/N (Marshall's method of moments),
//
//	s² = Σ exposure_i·(r_i − m)² / Σexposure
//	a  = max(0, s² − m/ē)
//	Smoothed_i = m + a·(r_i − m) / (a + m/exposure_i).
//
// Counts are expected to be ≥ 0 (not checked). Departures from EBest, which
// stops with an error instead:
//
//   - A cell whose exposure is not > 0 (or NaN) is left out of the fit and
//     gets NaN Raw and Smoothed; with no valid cell Mean is NaN.
//   - When a = 0 and m = 0 (no counts at all) EBest returns NaN; EBRates
//     returns Smoothed = m = 0, the limit of full shrinkage.
//   - If len(counts) != len(exposure), EBRates returns the zero EB.
func EBRates(counts, exposure []float64) EB {
	if len(counts) != len(exposure) {
		return EB{}
	}
	n := len(counts)
	eb := EB{Raw: make([]float64, n), Smoothed: make([]float64, n)}
	var csum, esum float64
	valid := 0
	for i, e := range exposure {
		if !(e > 0) {
			eb.Raw[i], eb.Smoothed[i] = math.NaN(), math.NaN()
			continue
		}
		eb.Raw[i] = counts[i] / e
		csum += counts[i]
		esum += e
		valid++
	}
	if valid == 0 {
		eb.Mean = math.NaN()
		return eb
	}
	m := csum / esum
	var s2 float64
	for i, e := range exposure {
		if e > 0 {
			d := eb.Raw[i] - m
			s2 += e * (d * d / esum)
		}
	}
	a := s2 - m/(esum/float64(valid))
	if a < 0 {
		a = 0
	}
	eb.Mean, eb.Variance = m, a
	for i, e := range exposure {
		if !(e > 0) {
			continue
		}
		if a == 0 {
			eb.Smoothed[i] = m
			continue
		}
		eb.Smoothed[i] = m + a*(eb.Raw[i]-m)/(a+m/e)
	}
	return eb
}
