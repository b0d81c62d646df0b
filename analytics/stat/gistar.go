package stat

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// GiStar returns the Getis–Ord Gi* z-score of every cell: binary weights w
// (self included), mean and standard deviation over all n cells, as in Getis
// & Ord (1995) and ArcGIS, and equal to R spdep::localG with the same
// (include.self) weights.
//
// With k_i = |N(i)| cells in the neighbourhood of i (i itself among them),
// x̄ the mean of x and S = sqrt(Σ(x_j − x̄)²/n) its standard deviation
// (divisor n, not n−1),
//
//	z_i = (Σ_{j∈N(i)} x_j − x̄·k_i) / (S · sqrt((n·k_i − k_i²)/(n−1))).
//
// x and w must describe the same n cells and every neighbour index must lie
// in [0, n); if len(x) != w.N(), GiStar returns nil. Edge cases:
//
//   - n = 0 gives an empty slice; n = 1 gives z = 0 (there is nothing to
//     compare the cell with).
//   - n = 2 follows the formula (R agrees) but |z| ≤ 1 there, so no cell is
//     ever binned; small n needs no special case beyond n = 1.
//   - All values equal (S = 0): every z is 0 (p = 1). R returns NaN here.
//   - A cell whose neighbourhood is every cell (k_i = n), or empty (k_i = 0),
//     has a zero denominator: z = 0. R returns NaN for k_i = n.
//   - NaN in x makes every z NaN.
func GiStar(x []float64, w Weights) []float64 {
	n := len(x)
	if n != w.N() {
		return nil
	}
	z := make([]float64, n)
	if n < 2 || constant(x) {
		return z
	}
	mean, sd := meanSD(x)
	nf := float64(n)
	for i, nbs := range w.Neighbours {
		k := float64(len(nbs))
		v := (nf*k - k*k) / (nf - 1)
		if v <= 0 {
			continue
		}
		var sum float64
		for _, j := range nbs {
			sum += x[j]
		}
		z[i] = (sum - mean*k) / (sd * math.Sqrt(v))
	}
	return z
}

// constant reports whether every value of x is the same (and not NaN).
func constant(x []float64) bool {
	for _, v := range x[1:] {
		if v != x[0] {
			return false
		}
	}
	return x[0] == x[0]
}

// meanSD returns the mean of x and its standard deviation with divisor n.
// The mean gets one correction pass, as R's mean() does.
func meanSD(x []float64) (mean, sd float64) {
	nf := float64(len(x))
	var s float64
	for _, v := range x {
		s += v
	}
	mean = s / nf
	var c float64
	for _, v := range x {
		c += v - mean
	}
	mean += c / nf
	var ss float64
	for _, v := range x {
		d := v - mean
		ss += d * d
	}
	return mean, math.Sqrt(ss / nf)
}

// PValues returns two-sided normal p-values of z-scores:
// p = 2·(1 − Φ(|z|)) = erfc(|z|/√2). A NaN z gives a NaN p.
func PValues(z []float64) []float64 {
	p := make([]float64, len(z))
	for i, v := range z {
		p[i] = math.Erfc(math.Abs(v) / math.Sqrt2)
	}
	return p
}

// Bins returns the confidence bin of each cell: +3/+2/+1 for hot spots at
// 99/95/90 % confidence (p < 0.01/0.05/0.10 with z > 0), the negatives for
// cold spots, 0 otherwise. With fdr, the p-value thresholds are
// Benjamini–Hochberg adjusted for the number of cells (as ArcGIS's FDR
// option does: bins only, the p-values are unchanged).
//
// The Benjamini–Hochberg step-up rule, per level α: with m = len(p) and
// p_(1) ≤ … ≤ p_(m) the sorted p-values, let k be the largest rank with
// p_(k) < k·α/m; the cells with p ≤ p_(k) are significant at α, none if
// there is no such k. This is "BH-adjusted p < α", the strict inequality
// matching the bins without fdr (with m = 1 the two agree). Hot and cold
// cells are ranked together. A cell with z = 0 or a NaN p is never binned;
// NaN p-values still count in m. If len(z) != len(p), Bins returns nil.
func Bins(z, p []float64, fdr bool) []int {
	if len(z) != len(p) {
		return nil
	}
	bins := make([]int, len(z))
	// binAlpha[l] is the significance level of bin l+1.
	binAlpha := [3]float64{0.10, 0.05, 0.01}
	// cut[l] is the largest p significant at level l (inclusive); -1 when
	// nothing is.
	var cut [3]float64
	if fdr {
		sorted := make([]float64, 0, len(p))
		for _, v := range p {
			if !math.IsNaN(v) {
				sorted = append(sorted, v)
			}
		}
		slices.Sort(sorted)
		m := float64(len(p))
		for l, alpha := range binAlpha {
			cut[l] = -1
			for k := len(sorted); k >= 1; k-- {
				if sorted[k-1] < float64(k)*alpha/m {
					cut[l] = sorted[k-1]
					break
				}
			}
		}
	}
	for i, pi := range p {
		if math.IsNaN(pi) || z[i] == 0 || math.IsNaN(z[i]) {
			continue
		}
		level := 0
		for l, alpha := range binAlpha {
			sig := pi < alpha
			if fdr {
				sig = pi <= cut[l]
			}
			if sig {
				level = l + 1
			}
		}
		if z[i] < 0 {
			level = -level
		}
		bins[i] = level
	}
	return bins
}

// PermutationP returns conditional permutation pseudo p-values of the Gi*
// local sums: for each cell i, x_i kept fixed, its other |N(i)|-1
// neighbours' values drawn at random without replacement from the other n-1
// cells, `permutations` times (e.g. 999). Deterministic for a seed whatever
// the number of workers. Runs on `workers` goroutines (<=0:
// runtime.GOMAXPROCS).
//
// The p-value is two-sided, so that it can stand in for PValues in Bins:
// with L the observed sum of the other neighbours' values, L*_1 … L*_P the
// permuted ones (P = permutations), G = #{L*_r ≥ L} and S = #{L*_r ≤ L},
//
//	p_i = min(1, 2·(min(G, S) + 1)/(P + 1)).
//
// A permuted sum within 1e-12·Σ|x| of L counts as a tie, on both sides, so
// that float rounding never decides one. The Gi* z-score of a cell is an
// increasing function of its local sum, so ranking sums ranks z-scores.
// With P = 999 the smallest p is 0.002. GeoDa/rgeoda's "folded" pseudo
// p-value is (min(G, P−G) + 1)/(P + 1), one-sided (at most about 0.5); ours
// is twice it, capped at 1, when no permuted sum ties with L (P−G counts
// only the sums below L, S also the ties). spdep 1.2.7's localG_perm differs more: it draws
// |N(i)| values (self's slot included) with replacement.
//
// Cell i's generator is a math/rand/v2 PCG seeded with (seed,
// splitmix64(i)) and bounded by Lemire's multiply-and-reject method on its
// 64-bit outputs (the same on every platform); each draw is a partial
// Fisher–Yates shuffle that is undone afterwards. So a cell's p-value
// depends only on x, w, permutations, seed and i. A cell with no other
// neighbour, or whose neighbours are all n cells, has nothing to permute:
// p = 1. The same holds when permutations <= 0 or n < 2. Weights without
// self (plain Gi) work too: then nothing is held fixed. If len(x) != w.N(),
// PermutationP returns nil. The cost is O(permutations · Σ|N(i)|): about
// 1.2 s for 20,000 cells with 9 neighbours and 999 permutations on 2 cores.
func PermutationP(x []float64, w Weights, permutations int, seed uint64, workers int) []float64 {
	n := len(x)
	if n != w.N() {
		return nil
	}
	p := make([]float64, n)
	for i := range p {
		p[i] = 1
	}
	if n < 2 || permutations <= 0 {
		return p
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers > n {
		workers = n
	}
	var sumAbs float64
	for _, v := range x {
		sumAbs += math.Abs(v)
	}
	tol := 1e-12 * sumAbs

	const chunk = 64
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			perm := permuter{
				vals: slices.Clone(x),
				swap: make([]int, 0, 64),
			}
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+chunk, n); i++ {
					p[i] = perm.cell(x, w.Neighbours[i], i, permutations, seed, tol)
				}
			}
		}()
	}
	wg.Wait()
	return p
}

// permuter holds one worker's scratch space: vals is a copy of x that every
// cell leaves as it found it.
type permuter struct {
	vals []float64
	swap []int
	rng  rand.PCG
}

// intN returns a uniform integer in [0, n), n > 0, by Lemire's
// multiply-and-reject method on the PCG's 64-bit outputs.
func (pm *permuter) intN(n int) int {
	bound := uint64(n)
	hi, lo := bits.Mul64(pm.rng.Uint64(), bound)
	if lo < bound {
		thresh := -bound % bound
		for lo < thresh {
			hi, lo = bits.Mul64(pm.rng.Uint64(), bound)
		}
	}
	return int(hi)
}

// cell returns the permutation p-value of cell i with neighbours nbs.
func (pm *permuter) cell(x []float64, nbs []int32, i, permutations int, seed uint64, tol float64) float64 {
	n := len(x)
	var obs float64
	m := 0
	for _, j := range nbs {
		if int(j) != i {
			obs += x[j]
			m++
		}
	}
	others := n - 1
	if m == 0 || m >= others {
		return 1
	}
	pm.rng.Seed(seed, splitmix64(uint64(i)))
	a := pm.vals
	// Move cell i out of the way: the other cells are a[:n-1].
	a[i], a[n-1] = a[n-1], a[i]
	var ge, le int
	for range permutations {
		pm.swap = pm.swap[:0]
		var s float64
		for t := range m {
			r := t + pm.intN(others-t)
			a[t], a[r] = a[r], a[t]
			pm.swap = append(pm.swap, r)
			s += a[t]
		}
		for t := m - 1; t >= 0; t-- {
			r := pm.swap[t]
			a[t], a[r] = a[r], a[t]
		}
		if s >= obs-tol {
			ge++
		}
		if s <= obs+tol {
			le++
		}
	}
	a[i], a[n-1] = a[n-1], a[i]
	return min(1, 2*float64(min(ge, le)+1)/float64(permutations+1))
}

// splitmix64 scrambles a cell index into a PCG stream seed, so that
// neighbouring indexes get unrelated streams.
func splitmix64(v uint64) uint64 {
	v += 0x9e3779b97f4a7c15
	v = (v ^ (v >> 30)) * 0xbf58476d1ce4e5b9
	v = (v ^ (v >> 27)) * 0x94d049bb133111eb
	return v ^ (v >> 31)
}
