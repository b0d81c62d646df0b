package did

import (
	"math"

	"github.com/dazhigu/hotspot/analytics/stat"
)

// WDDResult is a weighted displacement difference test.
type WDDResult struct {
	// Est is (treatedPost − treatedPre) − (controlPost − controlPre), the
	// change in the treated area's count beyond the control area's
	// (negative is a reduction, in counts).
	Est float64
	// SE is √(treatedPre + treatedPost + controlPre + controlPost), the
	// standard error when each count is an independent Poisson variable.
	SE float64
	// Z is Est / SE and P its two-sided standard normal p-value.
	Z, P float64
	// Lo90, Hi90 and Lo95, Hi95 bound the 90 % and 95 % intervals
	// Est ± z·SE with z = 1.6449 and 1.9600 (standard normal quantiles).
	Lo90, Hi90 float64
	Lo95, Hi95 float64
}

// WDD is the weighted displacement difference test of Wheeler and
// Ratcliffe (2018, Crime Science 7:7), without a displacement area, on the
// four totals of a treated and a control area before and after a pilot:
//
//	Est = ΔT − ΔC = (T₁ − T₀) − (C₁ − C₀)
//	SE  = √(T₀ + T₁ + C₀ + C₁)
//	Z   = Est / SE
//
// It is what R's ptools::wdd(control = c(C₀, C₁), treated = c(T₀, T₁))
// reports as Est_Local, SE_Local and Z; ptools' default interval is the
// 90 % one (alpha = 0.1). The pre and post periods should be of equal
// length. Counts must be non-negative; when all four are 0, SE is 0 and Z
// and P are NaN.
func WDD(treatedPre, treatedPost, controlPre, controlPost float64) WDDResult {
	est := (treatedPost - treatedPre) - (controlPost - controlPre)
	se := math.Sqrt(treatedPre + treatedPost + controlPre + controlPost)
	z := est / se
	z90, z95 := stat.NormQuantile(0.95), stat.NormQuantile(0.975)
	return WDDResult{
		Est: est, SE: se, Z: z, P: stat.NormTwoSided(z),
		Lo90: est - z90*se, Hi90: est + z90*se,
		Lo95: est - z95*se, Hi95: est + z95*se,
	}
}
