package forecast

import (
	"math"
	"slices"
)

// newtonIterations bounds the Newton steps of fitWeights.
const newtonIterations = 50

// newton refines w (whose moments are at) by projected Newton steps on L,
// keeping w ≥ 0: a weight at zero whose Newton direction points below zero
// stays there. Each step is one full pass over the rows: the moments of
// the point it reaches are those of the next step.
func (f *fitter) newton(weeks []*weekRows, w, den []float64, at moments) []float64 {
	k := len(w)
	loglik := func(w []float64, m moments) float64 {
		ll := m.loglik
		for j := range w {
			ll -= w[j] * den[j]
		}
		return ll
	}
	cur := loglik(w, at)
	for range newtonIterations {
		g := make([]float64, k)
		var free []int
		top := slices.Max(w)
		for j := range w {
			if w[j] < 1e-12*top { // as good as at zero, and would block every step that lowers it
				w[j] = 0
			}
			g[j] = at.num[j] - den[j]
			if den[j] > 0 && (w[j] > 0 || g[j] > 0) {
				free = append(free, j)
			}
		}
		free, d := direction(free, w, g, at.hess)
		if len(free) == 0 {
			break
		}
		decrement := 0.0 // gᵀ·d: twice what a full step would gain
		for x, j := range free {
			decrement += g[j] * d[x]
		}
		if decrement < 1e-12 || decrement < roundoff(at.loglik, cur) {
			break
		}
		step, block := 1.0, -1
		for x, j := range free { // stay within w ≥ 0
			if d[x] < 0 && -w[j]/d[x] < step {
				step, block = -w[j]/d[x], j
			}
		}
		bound := step
		improved := false
		for range 40 {
			next := append([]float64(nil), w...)
			for x, j := range free {
				next[j] = math.Max(0, w[j]+step*d[x])
			}
			if block >= 0 && step == bound { // the weight that stopped the step is at zero, not a rounding above it
				next[block] = 0
			}
			m := f.sum(weeks, next, true)
			if ll := loglik(next, m); ll > cur {
				w, cur, at, improved = next, ll, m, true
				break
			}
			step /= 2
		}
		if !improved {
			break
		}
	}
	return w
}

// roundoff is below what a comparison of two values of L can tell apart:
// L = Σ y·log λ − Σ λ sums millions of terms, and a gain smaller than its
// rounding would send the line search halving its step to no end.
func roundoff(sumLogs, loglik float64) float64 {
	return 1e-14 * (math.Abs(sumLogs) + math.Abs(sumLogs-loglik))
}

// direction returns the Newton direction on the free weights (g the
// gradient, hess the negative Hessian, k×k), dropping from them the
// weights at zero that it would push below zero.
func direction(free []int, w, g, hess []float64) ([]int, []float64) {
	k := len(w)
	for len(free) > 0 {
		b := make([]float64, len(free))
		a := make([][]float64, len(free))
		for x, j := range free {
			b[x] = g[j]
			a[x] = make([]float64, len(free))
			for y, l := range free {
				a[x][y] = hess[j*k+l]
			}
		}
		d, ok := solve(a, b)
		if !ok {
			return nil, nil
		}
		kept := free[:0:0]
		for x, j := range free {
			if w[j] > 0 || d[x] > 0 {
				kept = append(kept, j)
			}
		}
		if len(kept) == len(free) {
			return free, d
		}
		free = kept
	}
	return nil, nil
}

// solve solves a·x = b for a symmetric positive definite a by Gaussian
// elimination with partial pivoting; false when a is singular.
func solve(a [][]float64, b []float64) ([]float64, bool) {
	n := len(b)
	m := make([][]float64, n)
	for i := range m {
		m[i] = append(append([]float64(nil), a[i]...), b[i])
	}
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		if math.Abs(m[p][c]) < 1e-300 {
			return nil, false
		}
		m[c], m[p] = m[p], m[c]
		for r := c + 1; r < n; r++ {
			f := m[r][c] / m[c][c]
			for j := c; j <= n; j++ {
				m[r][j] -= f * m[c][j]
			}
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		s := m[r][n]
		for j := r + 1; j < n; j++ {
			s -= m[r][j] * x[j]
		}
		x[r] = s / m[r][r]
	}
	return x, true
}
