package did

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
)

// MinReps is the fewest replications WildBootstrap accepts. 999 or 9999
// are the usual choices: with B replications the p-value is a multiple of
// 1/B and the interval's ends move in steps of it.
const MinReps = 99

// pcgStream is the second word of the PCG state, fixed so that the seed
// alone decides the draws.
const pcgStream = 0x9e3779b97f4a7c15

// webb holds Webb's (2014) six-point weights, ±√(3/2), ±1, ±√(1/2), each
// drawn with probability 1/6: mean 0, variance 1, symmetric, and with six
// values per cluster instead of Rademacher's two, which matters when the
// clusters are few (2^G distinct Rademacher draws for G clusters).
var webb = [6]float64{-math.Sqrt(1.5), -1, -math.Sqrt(0.5), math.Sqrt(0.5), 1, math.Sqrt(1.5)}

// Interval is a wild cluster bootstrap-t test and interval for TWFE's β.
type Interval struct {
	// Beta is TWFE's estimate of β, the centre the interval is built
	// around (it need not be its midpoint).
	Beta float64
	// Lo and Hi bound the 95 % interval by test inversion: the β0 around
	// Beta whose bootstrap p-value is at least 0.05. An end is ±Inf when
	// no β0 is rejected on that side.
	Lo, Hi float64
	// P is the bootstrap p-value of H0: β = 0.
	P float64
	// Reps is the number of bootstrap replications.
	Reps int
}

// WildBootstrap runs the restricted wild cluster bootstrap-t of Cameron,
// Gelbach and Miller (2008) for TWFE's β, clustered by unit, with Webb's
// (2014) six-point weights.
//
// To test H0: β = β0 it fits the restricted model y_it − β0·D_it = α_i +
// γ_t + u_it, whose residuals are ũ = ỹ − β0·D̃ (the within transformation
// of TWFE), and for each replication b draws one weight v_g per unit and
// builds
//
//	y*_it = (y_it − ũ_it) + v_g(i) · ũ_it
//
// (the null imposed). It re-estimates TWFE on y* and takes the CR1
// t-statistic t*_b = (β*_b − β0) / SE*_b, with SE* the CR1 standard error
// of TWFE on y*. The p-value is symmetric:
//
//	p(β0) = #{b : |t*_b| ≥ |t(β0)|} / reps,   t(β0) = (β̂ − β0) / SE(β̂)
//
// and P = p(0). The 95 % interval inverts the test: stepping out from β̂ by
// doubling multiples of SE until p(β0) < 0.05, then bisecting to the
// crossing (to 1e-9·SE), on each side. The same weights serve every β0, so
// p(β0) is a fixed step function and the interval is deterministic.
//
// Nothing is refitted per replication: on the balanced panel t*_b is a
// ratio of quadratics in β0 whose coefficients follow from the G×G matrices
// Σ_t D̃_ht·ỹ_gt and Σ_t D̃_ht·D̃_gt, so the cost is O(G²·(weeks + reps)) and
// each β0 costs O(reps).
//
// The weights come from math/rand/v2's PCG seeded with (seed, pcgStream),
// drawn replication by replication and unit by unit, so a seed gives the
// same Interval everywhere. reps must be at least MinReps (ErrReps); the
// errors of TWFE apply too.
//
// With fewer than about 30 units, or few treated units, report this
// interval and P rather than TWFE's t-based ones (Cameron, Gelbach and
// Miller 2008; MacKinnon and Webb 2017).
func WildBootstrap(p Panel, reps int, seed uint64) (Interval, error) {
	if reps < MinReps {
		return Interval{}, fmt.Errorf("%w: %d, need at least %d", ErrReps, reps, MinReps)
	}
	f, err := fitTWFE(p)
	if err != nil {
		return Interval{}, err
	}
	b := newBoot(f, reps, seed)
	iv := Interval{Beta: f.beta, Reps: reps, P: b.pValue(0)}
	alpha := 1 - Level
	iv.Lo = b.bound(-1, alpha)
	iv.Hi = b.bound(1, alpha)
	return iv, nil
}

// boot holds, per replication b, what the bootstrap t-statistic needs as
// a function of β0:
//
//	β*_b − β0   = m0_b − β0·m1_b
//	Σ_h (s*_bh)² = pp_b − 2β0·pq_b + β0²·qq_b
//
// where s*_bh is unit h's CR1 score on y*.
type boot struct {
	fit                *twfeFit
	m0, m1, pp, pq, qq []float64
}

// newBoot draws the weights and precomputes the per-replication
// coefficients.
//
// With ũ = ỹ − β0·D̃ (zero unit and week means), the within transform of
// v∘ũ is v_g·ũ_gt − (1/units)·Σ_i v_i·ũ_it, so
//
//	β* − β0 = Σ_g v_g·a_g / Σ D̃²,      a_g = Σ_t D̃_gt·ũ_gt
//	s*_h    = Σ_g C_hg·v_g − (β* − β0)·B_h,
//	C_hg    = 1[h = g]·a_g − (1/units)·Σ_t D̃_ht·ũ_gt,  B_h = Σ_t D̃_ht²
//
// and C, a are linear in β0: C = Cy − β0·Cd, a = ay − β0·B.
func newBoot(f *twfeFit, reps int, seed uint64) *boot {
	g, weeks := f.units, f.weeks
	cy := make([]float64, g*g)
	cd := make([]float64, g*g)
	ay := make([]float64, g)
	bd := make([]float64, g)
	inv := 1 / float64(g)
	for h := range g {
		dh := f.dw[h*weeks : (h+1)*weeks]
		for k := range g {
			yk := f.yw[k*weeks : (k+1)*weeks]
			dk := f.dw[k*weeks : (k+1)*weeks]
			var sy, sd float64
			for t, d := range dh {
				sy += d * yk[t]
				sd += d * dk[t]
			}
			cy[h*g+k] = -inv * sy
			cd[h*g+k] = -inv * sd
			if h == k {
				ay[h], bd[h] = sy, sd
			}
		}
	}
	for h := range g {
		cy[h*g+h] += ay[h]
		cd[h*g+h] += bd[h]
	}

	b := &boot{
		fit: f,
		m0:  make([]float64, reps), m1: make([]float64, reps),
		pp: make([]float64, reps), pq: make([]float64, reps), qq: make([]float64, reps),
	}
	rng := rand.New(rand.NewPCG(seed, pcgStream))
	v := make([]float64, g)
	for r := range reps {
		var m0, m1 float64
		for k := range v {
			hi, _ := bits.Mul64(rng.Uint64(), 6) // uniform on 0…5
			v[k] = webb[hi]
			m0 += v[k] * ay[k]
			m1 += v[k] * bd[k]
		}
		m0 /= f.dd
		m1 /= f.dd
		var pp, pq, qq float64
		for h := range g {
			var cyv, cdv float64
			row := h * g
			for k, vk := range v {
				cyv += cy[row+k] * vk
				cdv += cd[row+k] * vk
			}
			ph := cyv - m0*bd[h]
			qh := cdv - m1*bd[h]
			pp += ph * ph
			pq += ph * qh
			qq += qh * qh
		}
		b.m0[r], b.m1[r], b.pp[r], b.pq[r], b.qq[r] = m0, m1, pp, pq, qq
	}
	return b
}

// tStar returns replication r's bootstrap t-statistic under H0: β = β0.
func (b *boot) tStar(r int, beta0 float64) float64 {
	num := b.m0[r] - beta0*b.m1[r]
	ss := b.pp[r] - 2*beta0*b.pq[r] + beta0*beta0*b.qq[r]
	if !(ss > 0) {
		if num == 0 {
			return 0
		}
		return math.Copysign(math.Inf(1), num)
	}
	return num * b.fit.dd / math.Sqrt(b.fit.adjust*ss)
}

// pValue returns the symmetric bootstrap p-value of H0: β = beta0.
func (b *boot) pValue(beta0 float64) float64 {
	t0 := math.Abs((b.fit.beta - beta0) / b.fit.se)
	var k int
	for r := range b.m0 {
		if math.Abs(b.tStar(r, beta0)) >= t0 {
			k++
		}
	}
	return float64(k) / float64(len(b.m0))
}

// bound returns the end of the inverted-test interval on side dir (−1 or
// +1): the first β0 out from β̂ where the p-value falls below alpha.
func (b *boot) bound(dir, alpha float64) float64 {
	f := b.fit
	in, out := f.beta, f.beta+dir*f.se
	for step := f.se; b.pValue(out) >= alpha; {
		in = out
		step *= 2
		out = f.beta + dir*step
		if step > 1e12*f.se {
			return math.Copysign(math.Inf(1), dir)
		}
	}
	for range 200 {
		if math.Abs(out-in) <= 1e-9*f.se {
			break
		}
		mid := (in + out) / 2
		if b.pValue(mid) >= alpha {
			in = mid
		} else {
			out = mid
		}
	}
	return (in + out) / 2
}
