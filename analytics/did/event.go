package did

import (
	"github.com/dazhigu/hotspot/analytics/stat"

	"fmt"
	"math"
)

// Effect is one coefficient of an event study.
type Effect struct {
	// Event is k, the week relative to Start (0 is the first post week,
	// −2 the week before the reference week −1). The end bins −Leads and
	// Lags also hold every week further away.
	Event int
	// Delta is δ_k, the difference between treated and control units in
	// event week k relative to week −1 (counts per unit-week).
	Delta float64
	// SE is δ_k's CR1 standard error clustered by unit.
	SE float64
	// TStat is Delta / SE and P its two-sided p-value from Student's t with
	// G − 1 degrees of freedom.
	TStat, P float64
	// Lo and Hi bound the 95 % interval δ_k ± t_{0.975, G−1} · SE.
	Lo, Hi float64
}

// Wald is a joint Wald test that L coefficients are all zero, with their
// CR1 covariance V: Chi2 = δᵀ V⁻¹ δ.
type Wald struct {
	// Chi2 is the Wald statistic W, DF = L the number of coefficients
	// tested, and P = P(χ²_L > W), the asymptotic p-value.
	Chi2 float64
	DF   int
	P    float64
	// F is W / L, FP = P(F_{L, DenDF} > F) its p-value, and DenDF = G − 1.
	// With few clusters this is the one to use: the χ² version treats the
	// estimated covariance as known and over-rejects.
	F     float64
	DenDF int
	FP    float64
}

// Study is an event study of a pilot.
type Study struct {
	// Leads and Lags are the event window, as passed to EventStudy.
	Leads, Lags int
	// Effects holds δ_k for k = −Leads … −2, 0 … Lags, in that order
	// (Leads − 1 leads, then Lags + 1 lags).
	Effects []Effect
	// Pretrend jointly tests the Leads − 1 lead coefficients δ_−Leads …
	// δ_−2 against zero: the check of parallel pre-trends. Read its F and
	// FP; a small FP says the treated units were already drifting apart
	// before Start.
	Pretrend Wald
	// N observations, G clusters (units) and K coefficients of the full
	// dummy regression: K = units + weeks − 1 + len(Effects).
	N, G, K int
}

// EventStudy estimates the pilot's effect week by week around Start:
//
//	y_it = α_i + γ_t + Σ_{k ≠ −1} δ_k · Treated_i · 1[b(t − Start) = k] + e_it
//
// for k = −leads … lags, with the binned event time
// b(e) = min(max(e, −leads), lags): the first bin, k = −leads, holds every
// week at least leads weeks before Start and the last, k = lags, every week
// at least lags weeks after it. Week −1, the last pre week, is the
// reference, so δ_k is the treated-minus-control difference in week k less
// that in week −1. The coefficients are OLS by the within transformation,
// and their covariance is CR1 clustered by unit, as in TWFE:
//
//	V = G/(G−1) · (N−1)/(N−K) · (X̃ᵀX̃)⁻¹ (Σ_g s_g s_gᵀ) (X̃ᵀX̃)⁻¹,  s_g = Σ_t x̃_gt·e_gt
//
// which is sandwich::vcovCL(type = "HC1", cluster = ~unit) on the lm with
// factor(unit) and factor(week). Intervals and p-values use Student's t with
// G − 1 degrees of freedom; Pretrend is the Wald test of the leads with V.
//
// leads must be at least 2 (so that there is a lead to test) and at most
// Start (so that bin −leads has a week); lags at least 0 and at most
// weeks − 1 − Start; otherwise EventStudy returns ErrWindow. It also returns
// Panel.Validate's errors, ErrTooSmall when N ≤ K, ErrNoVariance as TWFE
// does (for any δ_k), and ErrSingular when the design or the leads' CR1
// covariance is singular. The covariance has rank at most G − 2 (the
// treated units' scores sum to zero, and so do the controls'), so the
// joint test needs leads − 1 ≤ G − 2; with few units, widen the end bin
// (a smaller leads) rather than test many single weeks.
func EventStudy(p Panel, leads, lags int) (Study, error) {
	if err := p.Validate(); err != nil {
		return Study{}, err
	}
	units, weeks := p.dims()
	if leads < 2 || leads > p.Start || lags < 0 || lags > weeks-1-p.Start {
		return Study{}, fmt.Errorf("%w: leads %d, lags %d with start %d of %d weeks (need 2 ≤ leads ≤ %d, 0 ≤ lags ≤ %d)",
			ErrWindow, leads, lags, p.Start, weeks, p.Start, weeks-1-p.Start)
	}
	events := make([]int, 0, leads+lags)
	for k := -leads; k <= lags; k++ {
		if k != -1 {
			events = append(events, k)
		}
	}
	m := len(events)
	n, kk := units*weeks, units+weeks-1+m
	if n <= kk {
		return Study{}, fmt.Errorf("%w: %d observations, %d coefficients", ErrTooSmall, n, kk)
	}

	yw := within(units, weeks, func(i, t int) float64 { return p.Y[i][t] })
	xw := make([][]float64, m)
	for j, k := range events {
		xw[j] = within(units, weeks, func(i, t int) float64 {
			if p.Treated[i] && min(max(t-p.Start, -leads), lags) == k {
				return 1
			}
			return 0
		})
	}
	xtx := make([]float64, m*m)
	xty := make([]float64, m)
	for a := range m {
		for b := a; b < m; b++ {
			var s float64
			for j, v := range xw[a] {
				s += v * xw[b][j]
			}
			xtx[a*m+b], xtx[b*m+a] = s, s
		}
		var s float64
		for j, v := range xw[a] {
			s += v * yw[j]
		}
		xty[a] = s
	}
	l, ok := cholesky(xtx, m)
	if !ok {
		return Study{}, fmt.Errorf("%w: event-study dummies", ErrSingular)
	}
	delta := cholSolve(l, m, xty)
	bread := cholInverse(l, m)

	// V = c·Σ_g ψ_g ψ_gᵀ with ψ_g = (X̃ᵀX̃)⁻¹ s_g = Σ_t z_gt·e_gt and
	// z = (X̃ᵀX̃)⁻¹ x̃: the same matrix as bread·meat·bread, but positive
	// semi-definite by construction, and with a scale for the zero check.
	zw := make([][]float64, m)
	for a := range m {
		zw[a] = make([]float64, n)
		for b := range m {
			if c := bread[a*m+b]; c != 0 {
				for j, v := range xw[b] {
					zw[a][j] += c * v
				}
			}
		}
	}
	cov := make([]float64, m*m)
	scale := make([]float64, m) // Σ_g Σ_t (z_gt·e_gt)², per coefficient
	psi := make([]float64, m)
	var rss, yy float64
	for g := range units {
		clear(psi)
		for t := range weeks {
			j := g*weeks + t
			e := yw[j]
			for a := range m {
				e -= xw[a][j] * delta[a]
			}
			rss += e * e
			yy += yw[j] * yw[j]
			for a := range m {
				v := zw[a][j] * e
				psi[a] += v
				scale[a] += v * v
			}
		}
		for a := range m {
			for b := range m {
				cov[a*m+b] += psi[a] * psi[b]
			}
		}
	}
	if !(rss > 1e-24*max(yy, 1)) {
		return Study{}, ErrNoVariance
	}
	for a, k := range events {
		if !(cov[a*m+a] > 1e-20*scale[a]) {
			return Study{}, fmt.Errorf("%w: event week %d", ErrNoVariance, k)
		}
	}
	adjust := cr1Adjust(units, n, kk)
	for i := range cov {
		cov[i] *= adjust
	}

	df := float64(units - 1)
	tq := stat.TQuantile(0.5+Level/2, df)
	st := Study{Leads: leads, Lags: lags, Effects: make([]Effect, m), N: n, G: units, K: kk}
	for j, k := range events {
		se := math.Sqrt(cov[j*m+j])
		ts := delta[j] / se
		st.Effects[j] = Effect{
			Event: k, Delta: delta[j], SE: se, TStat: ts, P: stat.TTwoSided(ts, df),
			Lo: delta[j] - tq*se, Hi: delta[j] + tq*se,
		}
	}

	nl := leads - 1 // the leads come first in events
	if nl > units-2 {
		return Study{}, fmt.Errorf("%w: %d leads, but the CR1 covariance of %d units has rank at most %d",
			ErrSingular, nl, units, units-2)
	}
	vl := make([]float64, nl*nl)
	for a := range nl {
		for b := range nl {
			vl[a*nl+b] = cov[a*m+b]
		}
	}
	ll, ok := cholesky(vl, nl)
	if !ok {
		return Study{}, fmt.Errorf("%w: covariance of the %d leads (G = %d clusters)", ErrSingular, nl, units)
	}
	x := cholSolve(ll, nl, delta[:nl])
	var w float64
	for a := range nl {
		w += delta[a] * x[a]
	}
	st.Pretrend = Wald{
		Chi2: w, DF: nl, P: stat.Chi2Upper(w, float64(nl)),
		F: w / float64(nl), DenDF: units - 1, FP: stat.FUpper(w/float64(nl), float64(nl), df),
	}
	return st, nil
}
