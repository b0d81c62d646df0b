package did

import (
	"github.com/dazhigu/hotspot/analytics/stat"

	"fmt"
	"math"
)

// Level is the confidence level of every interval of the package but
// WDDResult's 90 % one.
const Level = 0.95

// Estimate is the two-way fixed effects estimate of a pilot's effect.
type Estimate struct {
	// Beta is β, the effect on the weekly count of a treated unit in a post
	// week (counts per unit-week; negative is a reduction).
	Beta float64
	// SE is β's CR1 standard error clustered by unit.
	SE float64
	// TStat is Beta / SE.
	TStat float64
	// P is the two-sided p-value of H0: β = 0 from Student's t with DF
	// degrees of freedom: P = 2·P(T_DF > |TStat|).
	P float64
	// Lo and Hi bound the 95 % interval β ± t_{0.975, DF} · SE.
	Lo, Hi float64
	// DF is G − 1, the degrees of freedom of the t reference distribution.
	DF int
	// N is the number of observations (unit-weeks), G the number of
	// clusters (units) and K the number of coefficients of the full dummy
	// regression, intercept and dummies included: K = units + weeks.
	N, G, K int
	// PreMean is the mean weekly count of the treated units before Start,
	// the base for a relative effect (see Relative).
	PreMean float64
}

// Relative returns β as a share of the treated units' pre-period mean,
// Beta / PreMean: −0.25 is a 25 % reduction. It is NaN or infinite when
// PreMean is 0.
func (e Estimate) Relative() float64 { return e.Beta / e.PreMean }

// twfeFit is the within regression of TWFE, kept for the bootstrap.
type twfeFit struct {
	units, weeks int
	yw, dw       []float64 // ỹ and D̃, unit-major
	dd           float64   // Σ D̃²
	beta, se     float64
	adjust       float64 // cr1Adjust(G, N, K)
}

// TWFE estimates the pilot's effect by two-way fixed effects,
//
//	y_it = α_i + γ_t + β·D_it + e_it,   D_it = Treated_i · 1[t ≥ Start],
//
// by OLS. On the balanced panel it uses the within transformation (see
// within): β = Σ D̃·ỹ / Σ D̃², and the residuals e = ỹ − β·D̃ are those of
// the regression with an intercept and all unit and week dummies.
//
// SE is the CR1 standard error clustered by unit, exactly what R's
//
//	sandwich::vcovCL(lm(y ~ D + factor(unit) + factor(week)),
//	                 cluster = ~unit, type = "HC1")
//
// gives for D:
//
//	SE² = G/(G−1) · (N−1)/(N−K) · Σ_g (Σ_t D̃_gt·e_gt)² / (Σ D̃²)²
//
// with G units, N = units·weeks and K = units + weeks (intercept,
// units − 1 and weeks − 1 dummies, and D). The p-value and the 95 %
// interval use Student's t with G − 1 degrees of freedom (the quantile
// t_{0.975, G−1}), as Stata and fixest do for clustered errors; R's
// lmtest::coeftest(m, vcov. = V, df = G − 1) gives the same p-value. With
// fewer than about 30 units prefer WildBootstrap's interval.
//
// TWFE returns Panel.Validate's errors, ErrTooSmall when N ≤ K, and
// ErrNoVariance when every residual is 0 or the per-unit scores
// Σ_t D̃_gt·e_gt all are. The treated units' scores sum to zero, and so do
// the controls', so a single treated (or control) unit contributes nothing
// to the meat, and a 2-unit panel always gets ErrNoVariance. With one
// treated unit the CR1 standard error exists but is far too small; do not
// use it (MacKinnon and Webb 2017).
func TWFE(p Panel) (Estimate, error) {
	f, err := fitTWFE(p)
	if err != nil {
		return Estimate{}, err
	}
	n := f.units * f.weeks
	df := f.units - 1
	tq := stat.TQuantile(0.5+Level/2, float64(df))
	est := Estimate{
		Beta:    f.beta,
		SE:      f.se,
		TStat:   f.beta / f.se,
		DF:      df,
		N:       n,
		G:       f.units,
		K:       f.units + f.weeks,
		Lo:      f.beta - tq*f.se,
		Hi:      f.beta + tq*f.se,
		PreMean: p.preMean(),
	}
	est.P = stat.TTwoSided(est.TStat, float64(df))
	return est, nil
}

// fitTWFE validates p and runs the within regression of TWFE.
func fitTWFE(p Panel) (*twfeFit, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	units, weeks := p.dims()
	n, k := units*weeks, units+weeks
	if n <= k {
		return nil, fmt.Errorf("%w: %d observations, %d coefficients", ErrTooSmall, n, k)
	}
	return fitWithin(units, weeks,
		within(units, weeks, func(i, t int) float64 { return p.Y[i][t] }),
		within(units, weeks, func(i, t int) float64 { return treatment(p, i, t) }))
}

// fitWithin regresses yw on dw, both within-transformed and unit-major,
// and computes β's CR1 standard error clustered by unit.
func fitWithin(units, weeks int, yw, dw []float64) (*twfeFit, error) {
	n, k := units*weeks, units+weeks
	f := &twfeFit{units: units, weeks: weeks, yw: yw, dw: dw, adjust: cr1Adjust(units, n, k)}
	var dy, yy float64
	for j, d := range f.dw {
		f.dd += d * d
		dy += d * f.yw[j]
		yy += f.yw[j] * f.yw[j]
	}
	// Σ D̃² is (treated share)(1 − share)(post share)(1 − share)·N > 0 for
	// a valid panel; the check guards against rounding all the same.
	if !(f.dd > 1e-12*float64(n)) {
		return nil, ErrSingular
	}
	f.beta = dy / f.dd
	var meat, scale, rss float64
	for g := range units {
		var s float64
		for t := range weeks {
			j := g*weeks + t
			e := f.yw[j] - f.beta*f.dw[j]
			s += f.dw[j] * e
			scale += f.dw[j] * e * f.dw[j] * e
			rss += e * e
		}
		meat += s * s
	}
	if !(rss > 1e-24*max(yy, 1)) || !(meat > 1e-20*scale) {
		return nil, ErrNoVariance
	}
	f.se = math.Sqrt(f.adjust*meat) / f.dd
	return f, nil
}

// treatment returns D_it = Treated_i · 1[t ≥ Start].
func treatment(p Panel, i, t int) float64 {
	if p.Treated[i] && t >= p.Start {
		return 1
	}
	return 0
}
