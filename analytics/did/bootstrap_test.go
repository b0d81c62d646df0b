package did

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"
	"time"
)

// TestBootstrapTStarIsARefit checks the precomputed bootstrap against the
// definition: for the first replications, rebuild y* from the same weights,
// refit TWFE (within regression and CR1) on it and compare t* = (β* − β0) /
// SE*, for β0 = 0 and β0 away from it. Tolerance 1e-9 relative to
// max(1, |t*|).
func TestBootstrapTStarIsARefit(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	p := sim{Units: 9, Weeks: 15, Treated: 3, Start: 9, Base: 6, Effect: -0.3}.draw(r)
	f, err := fitTWFE(p)
	if err != nil {
		t.Fatal(err)
	}
	const reps, seed = 200, 77
	b := newBoot(f, reps, seed)
	units, weeks := p.dims()
	for _, beta0 := range []float64{0, f.beta, -2.5, 1.3} {
		rng := rand.New(rand.NewPCG(seed, pcgStream))
		for rep := range 25 {
			v := make([]float64, units)
			for k := range v {
				hi, _ := bits.Mul64(rng.Uint64(), 6)
				v[k] = webb[hi]
			}
			ystar := make([]float64, units*weeks)
			for i := range units {
				for w := range weeks {
					j := i*weeks + w
					u := f.yw[j] - beta0*f.dw[j] // restricted residual
					ystar[j] = p.Y[i][w] - u + v[i]*u
				}
			}
			yw := within(units, weeks, func(i, w int) float64 { return ystar[i*weeks+w] })
			refit, err := fitWithin(units, weeks, yw, f.dw)
			if err != nil {
				t.Fatal(err)
			}
			want := (refit.beta - beta0) / refit.se
			if got := b.tStar(rep, beta0); !near(got, want, 1e-9) {
				t.Fatalf("β0 = %v, rep %d: t* = %.15g, refit %.15g", beta0, rep, got, want)
			}
		}
	}
}

// TestWildBootstrapDeterministic: one seed, one interval, bit for bit;
// another seed moves it a little.
func TestWildBootstrapDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	p := sim{Units: 14, Weeks: 30, Treated: 5, Start: 18, Base: 6, Effect: -0.3}.draw(r)
	a, err := WildBootstrap(p, 999, 42)
	if err != nil {
		t.Fatal(err)
	}
	b, err := WildBootstrap(p, 999, 42)
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Fatalf("same seed: %+v, then %+v", a, b)
	}
	c, err := WildBootstrap(p, 999, 43)
	if err != nil {
		t.Fatal(err)
	}
	if c == a {
		t.Errorf("seeds 42 and 43 give the same interval %+v", a)
	}
	est, err := TWFE(p)
	if err != nil {
		t.Fatal(err)
	}
	if a.Beta != est.Beta || !(a.Lo < a.Beta && a.Beta < a.Hi) || a.Reps != 999 {
		t.Errorf("interval %+v does not surround TWFE's β %v", a, est.Beta)
	}
	t.Logf("β %.3f; CR1 t(13) [%.3f, %.3f] p %.4f; wild bootstrap [%.3f, %.3f] p %.4f (seed 42), [%.3f, %.3f] p %.4f (seed 43)",
		est.Beta, est.Lo, est.Hi, est.P, a.Lo, a.Hi, a.P, c.Lo, c.Hi, c.P)
}

// TestWildBootstrapPlantedEffect: a −40 % effect on 5 of 14 units is found:
// the interval excludes 0 and the p-value is small.
func TestWildBootstrapPlantedEffect(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	p := sim{Units: 14, Weeks: 30, Treated: 5, Start: 18, Base: 8, Effect: -0.4}.draw(r)
	iv, err := WildBootstrap(p, 999, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !(iv.Hi < 0) || !(iv.P < 0.05) {
		t.Fatalf("planted −40 %%: %+v, want an interval below 0 and P < 0.05", iv)
	}
	t.Logf("planted −40 %%: %+v", iv)
}

// TestWildBootstrapPlacebo: with no effect, the 95 % interval covers 0 in
// at least 17 of 20 simulated panels (seeded, so the count is fixed; 19 is
// the expectation, and 17 or more has probability 0.98 for a correct 95 %
// interval). Each panel has 14 units, 5 treated.
func TestWildBootstrapPlacebo(t *testing.T) {
	const panels = 20
	var covered, cr1Covered int
	for i := range panels {
		r := rand.New(rand.NewPCG(uint64(100+i), 7))
		p := sim{Units: 14, Weeks: 30, Treated: 5, Start: 18, Base: 6}.draw(r)
		iv, err := WildBootstrap(p, 999, uint64(i))
		if err != nil {
			t.Fatal(err)
		}
		if iv.Lo <= 0 && 0 <= iv.Hi {
			covered++
		}
		est, err := TWFE(p)
		if err != nil {
			t.Fatal(err)
		}
		if est.Lo <= 0 && 0 <= est.Hi {
			cr1Covered++
		}
	}
	if covered < 17 {
		t.Fatalf("the placebo interval covers 0 in %d of %d panels, want at least 17", covered, panels)
	}
	t.Logf("placebo: wild bootstrap covers 0 in %d of %d panels, CR1 t(G−1) in %d", covered, panels, cr1Covered)
}

// TestWildBootstrapAgreesWithCR1: with many clusters (80 units, 40
// treated) and an effect near the edge of significance (p ≈ 0.05), the
// bootstrap p-value and interval are close to the CR1 t ones:
// |p_boot − p_CR1| ≤ 0.02 and the ends within 10 % of the CR1 half-width.
func TestWildBootstrapAgreesWithCR1(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	p := sim{Units: 80, Weeks: 40, Treated: 40, Start: 25, Base: 6, Effect: -0.06}.draw(r)
	est, err := TWFE(p)
	if err != nil {
		t.Fatal(err)
	}
	iv, err := WildBootstrap(p, 9999, 3)
	if err != nil {
		t.Fatal(err)
	}
	half := est.Hi - est.Beta
	if math.Abs(iv.P-est.P) > 0.02 || math.Abs(iv.Lo-est.Lo) > 0.1*half || math.Abs(iv.Hi-est.Hi) > 0.1*half {
		t.Fatalf("CR1 [%.4f, %.4f] p %.4f; bootstrap [%.4f, %.4f] p %.4f", est.Lo, est.Hi, est.P, iv.Lo, iv.Hi, iv.P)
	}
	t.Logf("80 units: β %.4f; CR1 t(79) [%.4f, %.4f] p %.4f; wild bootstrap [%.4f, %.4f] p %.4f",
		est.Beta, est.Lo, est.Hi, est.P, iv.Lo, iv.Hi, iv.P)
}

// TestWildBootstrapSpeed times the case the package is sized for, 20 units
// × 60 weeks × 999 replications, and fails only above 1 s (it takes a few
// milliseconds).
func TestWildBootstrapSpeed(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	p := sim{Units: 20, Weeks: 60, Treated: 8, Start: 40, Base: 6, Effect: -0.2}.draw(r)
	start := time.Now()
	iv, err := WildBootstrap(p, 999, 9)
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if took > time.Second {
		t.Fatalf("20 × 60 × 999 took %v", took)
	}
	t.Logf("20 units × 60 weeks × 999 reps: %v (%+v)", took, iv)
}

func BenchmarkWildBootstrap(b *testing.B) {
	r := rand.New(rand.NewPCG(4, 4))
	p := sim{Units: 20, Weeks: 60, Treated: 8, Start: 40, Base: 6, Effect: -0.2}.draw(r)
	for b.Loop() {
		if _, err := WildBootstrap(p, 999, 9); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTWFE(b *testing.B) {
	r := rand.New(rand.NewPCG(4, 4))
	p := sim{Units: 20, Weeks: 60, Treated: 8, Start: 40, Base: 6, Effect: -0.2}.draw(r)
	for b.Loop() {
		if _, err := TWFE(p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEventStudy(b *testing.B) {
	r := rand.New(rand.NewPCG(4, 4))
	p := sim{Units: 20, Weeks: 60, Treated: 8, Start: 40, Base: 6, Effect: -0.2}.draw(r)
	for b.Loop() {
		if _, err := EventStudy(p, 8, 12); err != nil {
			b.Fatal(err)
		}
	}
}
