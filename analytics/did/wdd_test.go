package did

import (
	"math"
	"testing"
)

// TestWDD checks WDD against ptools' test vector and the arithmetic of
// Wheeler and Ratcliffe (2018).
func TestWDD(t *testing.T) {
	cases := []struct {
		name           string
		tPre, tPost    float64
		cPre, cPost    float64
		est, se        float64
		lo90, hi90     float64
		tol, intervTol float64 // absolute
	}{
		// ptools::wdd(control = c(20, 20), treated = c(20, 10)): −10,
		// SE 8.37, 90 % CI −23.8 to 3.8 (rounded as printed).
		{"ptools", 20, 10, 20, 20, -10, 8.37, -23.8, 3.8, 0.005, 0.05},
		// No change anywhere: 0 with SE √400 = 20, interval ±1.6449·20.
		{"no change", 100, 100, 100, 100, 0, 20, -32.897072539029431, 32.897072539029431, 1e-12, 1e-12},
		// A rise in the control area counts for the treated one.
		{"control rises", 50, 50, 40, 60, -20, math.Sqrt(200), -20 - 1.6448536269514715*math.Sqrt(200), -20 + 1.6448536269514715*math.Sqrt(200), 1e-12, 1e-12},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := WDD(c.tPre, c.tPost, c.cPre, c.cPost)
			if math.Abs(got.Est-c.est) > c.tol || math.Abs(got.SE-c.se) > c.tol {
				t.Errorf("Est, SE = %v, %v; want %v, %v", got.Est, got.SE, c.est, c.se)
			}
			if math.Abs(got.Lo90-c.lo90) > c.intervTol || math.Abs(got.Hi90-c.hi90) > c.intervTol {
				t.Errorf("90 %% CI = [%v, %v], want [%v, %v]", got.Lo90, got.Hi90, c.lo90, c.hi90)
			}
			if z := got.Est / got.SE; got.Z != z && !(math.IsNaN(z) && math.IsNaN(got.Z)) {
				t.Errorf("Z = %v, want Est/SE = %v", got.Z, z)
			}
			if want := math.Erfc(math.Abs(got.Z) / math.Sqrt2); math.Abs(got.P-want) > 1e-15 {
				t.Errorf("P = %v, want %v", got.P, want)
			}
			if !(got.Lo95 < got.Lo90 && got.Hi90 < got.Hi95) {
				t.Errorf("95 %% CI [%v, %v] does not contain the 90 %% one", got.Lo95, got.Hi95)
			}
		})
	}
	// ptools' vector to more places: SE = √70 and z_{0.95} from R's qnorm.
	got := WDD(20, 10, 20, 20)
	if want := -10 - 1.6448536269514715*math.Sqrt(70); math.Abs(got.Lo90-want) > 1e-12 {
		t.Errorf("Lo90 = %.15g, want %.15g", got.Lo90, want)
	}
	// R: 2 * pnorm(-10 / sqrt(70)).
	if want := 0.23199772362873422; math.Abs(got.P-want) > 1e-15 {
		t.Errorf("P = %.17g, want %.17g (R)", got.P, want)
	}
}
