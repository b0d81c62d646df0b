package stat

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"
)

// mkTol is the tolerance against R's values (absolute).
const mkTol = 1e-9

// TestMannKendallReference checks every field against R's stats::cor.test
// (Kendall's tau with time, exact = FALSE, continuity = TRUE), as written by
// testdata/mk_reference.R into testdata/mk_reference.json.
func TestMannKendallReference(t *testing.T) {
	raw, err := os.ReadFile("testdata/mk_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Name   string    `json:"name"`
		Series []float64 `json:"series"`
		S      float64   `json:"S"`
		VarS   *float64  `json:"varS"`
		Z      *float64  `json:"z"` // null (NaN) for n = 2: R's tie term is 0/0
		P      *float64  `json:"p"`
		Tau    float64   `json:"tau"`
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 8 {
		t.Fatalf("%d reference cases, want at least 8", len(cases))
	}
	var worst float64
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			got := MannKendall(c.Series)
			if got.N != len(c.Series) {
				t.Errorf("N=%d, want %d", got.N, len(c.Series))
			}
			check := func(field string, got, want float64) {
				t.Helper()
				d := math.Abs(got - want)
				worst = max(worst, d)
				if d > mkTol {
					t.Errorf("%s=%.15g, want %.15g (R)", field, got, want)
				}
			}
			check("S", got.S, c.S)
			if c.VarS != nil {
				check("Var", got.Var, *c.VarS)
			}
			if c.Z != nil && c.P != nil {
				check("Z", got.Z, *c.Z)
				check("P", got.P, *c.P)
			}
			check("Tau", got.Tau, c.Tau)
		})
	}
	t.Logf("largest difference from R: %.3g", worst)
}

// TestMannKendallWorkedExample is the published example of J. Little, "A
// Mann-Kendall Example (By Hand)", College of the Holy Cross
// (mathcs.holycross.edu/~little/Montserrat/MannKendallByHand.txt): 14 values
// with one pair of ties give "S = -18 + 0 + 72 = 54",
// "V = (14)(13)(33)/18 - (2)(1)(9)/18" and "Z = (S - 1)/sqrt(V) = 2.9058
// (approximately)", with p "about .0018" — the one-sided tail; ours is
// two-sided, so twice that.
func TestMannKendallWorkedExample(t *testing.T) {
	series := []float64{12.9, 14.8, 13.2, 15.7, 13.8, 15.6, 12.9, 11.0, 17.3, 15.9, 19.0, 18.3, 20.1, 21.7}
	got := MannKendall(series)
	if got.S != 54 {
		t.Errorf("S=%v, want 54", got.S)
	}
	if want := (14.0*13*33 - 2*1*9) / 18; math.Abs(got.Var-want) > 1e-12 {
		t.Errorf("Var=%v, want %v", got.Var, want)
	}
	if math.Abs(got.Z-2.9058) > 5e-5 {
		t.Errorf("Z=%v, want 2.9058 to 4 places", got.Z)
	}
	if math.Abs(got.P/2-0.0018) > 5e-5 {
		t.Errorf("P/2=%v, want .0018 to 4 places", got.P/2)
	}
}

func TestMannKendallEdges(t *testing.T) {
	cases := []struct {
		name   string
		series []float64
		want   Trend
	}{
		{"empty", nil, Trend{P: 1}},
		{"one", []float64{3}, Trend{P: 1, N: 1}},
		{"constant", []float64{2, 2, 2, 2}, Trend{P: 1, N: 4}},
		{"rising pair", []float64{1, 2}, Trend{S: 1, Var: 1.0 * 2 * 9 / 18, Z: 0, P: 1, Tau: 1, N: 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := MannKendall(c.series); got != c.want {
				t.Fatalf("MannKendall(%v)=%+v, want %+v", c.series, got, c.want)
			}
		})
	}
}

// TestMannKendallSymmetry: reversing time flips the signs of S, Z and Tau
// and keeps Var and P.
func TestMannKendallSymmetry(t *testing.T) {
	x := []float64{0, 0, 1, 0, 2, 2, 3, 1, 4, 4, 4, 6}
	r := make([]float64, len(x))
	for i, v := range x {
		r[len(x)-1-i] = v
	}
	a, b := MannKendall(x), MannKendall(r)
	if a.S != -b.S || a.Z != -b.Z || a.Tau != -b.Tau || a.Var != b.Var || a.P != b.P {
		t.Fatalf("forward %+v, reversed %+v", a, b)
	}
}

func ExampleMannKendall() {
	weekly := []float64{12.9, 14.8, 13.2, 15.7, 13.8, 15.6, 12.9, 11.0, 17.3, 15.9, 19.0, 18.3, 20.1, 21.7}
	tr := MannKendall(weekly)
	fmt.Printf("S=%.0f Var=%.3f Z=%.4f P=%.5f Tau=%.4f\n", tr.S, tr.Var, tr.Z, tr.P, tr.Tau)
	// Output: S=54 Var=332.667 Z=2.9058 P=0.00366 Tau=0.5967
}
