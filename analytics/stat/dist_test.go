package stat

import (
	"fmt"
	"math"
	"testing"
)

// TestDistributions checks the distribution functions against R 4.2.2
// (the call in each row's name), to 1e-13 relative to max(1, |want|).
func TestDistributions(t *testing.T) {
	const tol = 1e-13
	cases := []struct {
		name string
		got  float64
		want float64
	}{
		{"qt(0.975, 13)", TQuantile(0.975, 13), 2.1603686564627917},
		{"qt(0.975, 1)", TQuantile(0.975, 1), 12.706204736174694},
		{"qt(0.975, 2)", TQuantile(0.975, 2), 4.3026527297494619},
		{"qt(0.975, 59)", TQuantile(0.975, 59), 2.000995378088267},
		{"qt(0.95, 4)", TQuantile(0.95, 4), 2.131846786326649},
		{"qt(0.999, 7)", TQuantile(0.999, 7), 4.7852896286383331},
		{"qt(0.025, 13)", TQuantile(0.025, 13), -2.1603686564627917},
		{"2*pt(-3.4429781054160031, 13)", TTwoSided(-3.4429781054160031, 13), 0.0043665867019908764},
		{"pt(1, 1, lower.tail = FALSE)", TUpper(1, 1), 0.24999999999999978},
		{"pt(30, 5, lower.tail = FALSE)", TUpper(30, 5), 3.8593243102480234e-07},
		{"pchisq(7.7449522159331368, 5, lower.tail = FALSE)", Chi2Upper(7.7449522159331368, 5), 0.17086329725660865},
		{"pchisq(0.5, 1, lower.tail = FALSE)", Chi2Upper(0.5, 1), 0.47950012218695348},
		{"pchisq(40, 3, lower.tail = FALSE)", Chi2Upper(40, 3), 1.0655090334255863e-08},
		{"pchisq(100, 50, lower.tail = FALSE)", Chi2Upper(100, 50), 3.4549313829848641e-05},
		{"pf(1.5489904431866273, 5, 13, lower.tail = FALSE)", FUpper(1.5489904431866273, 5, 13), 0.24221664795822162},
		{"pf(10, 2, 3, lower.tail = FALSE)", FUpper(10, 2, 3), 0.04710750772921405},
		{"qnorm(0.975)", NormQuantile(0.975), 1.9599639845400536},
		{"qnorm(0.95)", NormQuantile(0.95), 1.6448536269514715},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !near(c.got, c.want, tol) {
				t.Fatalf("got %.17g, want %.17g (R)", c.got, c.want)
			}
		})
	}
}

// TestTQuantileInverts checks TUpper(TQuantile(p)) = 1 − p over a grid.
func TestTQuantileInverts(t *testing.T) {
	for _, df := range []float64{1, 2, 3, 5, 13, 29, 200} {
		for _, p := range []float64{0.5001, 0.6, 0.9, 0.95, 0.975, 0.995, 0.9999} {
			t.Run(fmt.Sprintf("df=%v,p=%v", df, p), func(t *testing.T) {
				x := TQuantile(p, df)
				if got := TUpper(x, df); !near(got, 1-p, 1e-13) {
					t.Fatalf("TUpper(TQuantile(%v)) = %.17g, want %.17g", p, got, 1-p)
				}
			})
		}
	}
}

// near reports whether got is within tol of want, relative to max(1, |want|).
func near(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}
