package stat

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// ebestReference is testdata/ebest_reference.json, written by
// testdata/gistar_reference.R with R spdep::EBest.
type ebestReference struct {
	R, Spdep         string
	N                int
	Counts, Exposure []float64
	Raw, Estmm       []float64
	B, A             float64
}

// TestEBRatesReference compares EBRates with R spdep::EBest(counts,
// exposure, family = "poisson"), to 1e-9 absolute.
func TestEBRatesReference(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "ebest_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref ebestReference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	eb := EBRates(ref.Counts, ref.Exposure)
	if len(eb.Raw) != ref.N || len(eb.Smoothed) != ref.N || len(ref.Raw) != ref.N || len(ref.Estmm) != ref.N {
		t.Fatalf("n=%d: got %d raw, %d smoothed; reference %d raw, %d estmm",
			ref.N, len(eb.Raw), len(eb.Smoothed), len(ref.Raw), len(ref.Estmm))
	}
	const tol = 1e-9
	maxDiff := math.Max(math.Abs(eb.Mean-ref.B), math.Abs(eb.Variance-ref.A))
	if math.Abs(eb.Mean-ref.B) > tol {
		t.Errorf("Mean=%.17g, R b=%.17g", eb.Mean, ref.B)
	}
	if math.Abs(eb.Variance-ref.A) > tol {
		t.Errorf("Variance=%.17g, R a=%.17g", eb.Variance, ref.A)
	}
	for i := range ref.Raw {
		dr, ds := math.Abs(eb.Raw[i]-ref.Raw[i]), math.Abs(eb.Smoothed[i]-ref.Estmm[i])
		maxDiff = max(maxDiff, dr, ds)
		if !(dr <= tol) {
			t.Errorf("Raw[%d]=%.17g, R %.17g", i, eb.Raw[i], ref.Raw[i])
		}
		if !(ds <= tol) {
			t.Errorf("Smoothed[%d]=%.17g, R estmm %.17g", i, eb.Smoothed[i], ref.Estmm[i])
		}
	}
	if !(ref.A > 0) {
		t.Errorf("the reference case should have a > 0 (some smoothing), got %v", ref.A)
	}
	t.Logf("n=%d, %s, spdep %s: max |EB - R| = %.3g", ref.N, ref.R, ref.Spdep, maxDiff)
}

// TestEBRatesHand works out Marshall's estimator for three cells.
//
//	counts 0, 2, 10; exposure 1, 2, 5: raw 0, 1, 2; N = 3.
//	m = 12/8 = 1.5, ē = 8/3.
//	s² = (1·2.25 + 2·0.25 + 5·0.25)/8 = 4/8 = 0.5.
//	a = 0.5 − 1.5/(8/3) = 0.5 − 0.5625 < 0 → 0: every cell shrinks to m.
//
//	counts 0, 4, 20; exposure 1, 2, 5: raw 0, 2, 4; m = 24/8 = 3.
//	s² = (1·9 + 2·1 + 5·1)/8 = 2; a = 2 − 3/(8/3) = 0.875.
//	Smoothed_1 = 3 + 0.875·(0 − 3)/(0.875 + 3) = 3 − 2.625/3.875
//	Smoothed_3 = 3 + 0.875·(4 − 3)/(0.875 + 0.6) = 3 + 0.875/1.475
func TestEBRatesHand(t *testing.T) {
	cases := []struct {
		name             string
		counts, exposure []float64
		mean, variance   float64
		smoothed         []float64
	}{
		{"floored at 0", []float64{0, 2, 10}, []float64{1, 2, 5}, 1.5, 0, []float64{1.5, 1.5, 1.5}},
		{"smoothing", []float64{0, 4, 20}, []float64{1, 2, 5}, 3, 0.875,
			[]float64{3 - 2.625/3.875, 3 + 0.875*(2-3)/(0.875+1.5), 3 + 0.875/1.475}},
		{"one cell", []float64{3}, []float64{2}, 1.5, 0, []float64{1.5}},
		// EBest gives NaN here (0/0); EBRates shrinks fully to m = 0.
		{"no counts", []float64{0, 0}, []float64{1, 3}, 0, 0, []float64{0, 0}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			eb := EBRates(tc.counts, tc.exposure)
			if math.Abs(eb.Mean-tc.mean) > 1e-15 || math.Abs(eb.Variance-tc.variance) > 1e-15 {
				t.Errorf("Mean, Variance = %v, %v; want %v, %v", eb.Mean, eb.Variance, tc.mean, tc.variance)
			}
			for i := range tc.smoothed {
				if math.Abs(eb.Smoothed[i]-tc.smoothed[i]) > 1e-15 {
					t.Errorf("Smoothed=%v, want %v", eb.Smoothed, tc.smoothed)
					break
				}
				// Shrinkage: the estimate lies between the raw rate and m.
				lo, hi := math.Min(eb.Raw[i], eb.Mean), math.Max(eb.Raw[i], eb.Mean)
				if eb.Smoothed[i] < lo-1e-15 || eb.Smoothed[i] > hi+1e-15 {
					t.Errorf("Smoothed[%d]=%v outside [%v, %v]", i, eb.Smoothed[i], lo, hi)
				}
			}
		})
	}
}

func TestEBRatesInvalid(t *testing.T) {
	if eb := EBRates([]float64{1}, nil); eb.Raw != nil || eb.Smoothed != nil {
		t.Errorf("length mismatch: %+v, want the zero EB", eb)
	}
	if eb := EBRates(nil, nil); len(eb.Raw) != 0 || !math.IsNaN(eb.Mean) {
		t.Errorf("no cells: %+v, want empty slices and NaN Mean", eb)
	}
	// The zero-exposure cell is left out: the others give the "smoothing"
	// case of TestEBRatesHand.
	eb := EBRates([]float64{0, 7, 4, 20}, []float64{1, 0, 2, 5})
	if !math.IsNaN(eb.Raw[1]) || !math.IsNaN(eb.Smoothed[1]) {
		t.Errorf("zero exposure: Raw, Smoothed = %v, %v; want NaN", eb.Raw[1], eb.Smoothed[1])
	}
	if math.Abs(eb.Mean-3) > 1e-15 || math.Abs(eb.Variance-0.875) > 1e-15 {
		t.Errorf("Mean, Variance = %v, %v; want 3, 0.875", eb.Mean, eb.Variance)
	}
}

func ExampleEBRates() {
	// Violations and patrol hours of three cells.
	eb := EBRates([]float64{0, 4, 20}, []float64{1, 2, 5})
	fmt.Printf("m=%.3g a=%.3g\n", eb.Mean, eb.Variance)
	for i := range eb.Raw {
		fmt.Printf("cell %d: raw %.3f/h, smoothed %.3f/h\n", i, eb.Raw[i], eb.Smoothed[i])
	}
	// Output:
	// m=3 a=0.875
	// cell 0: raw 0.000/h, smoothed 2.323/h
	// cell 1: raw 2.000/h, smoothed 2.632/h
	// cell 2: raw 4.000/h, smoothed 3.593/h
}
