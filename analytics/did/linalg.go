package did

import "math"

// cholesky returns the lower triangular L with L·Lᵀ = a for a symmetric
// positive definite m × m matrix a (row-major), or false when a pivot is
// not above 1e-12 times the largest diagonal entry: a is then singular, or
// too close to it to trust.
func cholesky(a []float64, m int) ([]float64, bool) {
	var scale float64
	for j := range m {
		scale = max(scale, math.Abs(a[j*m+j]))
	}
	if !(scale > 0) {
		return nil, false
	}
	l := make([]float64, m*m)
	for j := range m {
		s := a[j*m+j]
		for k := range j {
			s -= l[j*m+k] * l[j*m+k]
		}
		if !(s > 1e-12*scale) {
			return nil, false
		}
		l[j*m+j] = math.Sqrt(s)
		for i := j + 1; i < m; i++ {
			s := a[i*m+j]
			for k := range j {
				s -= l[i*m+k] * l[j*m+k]
			}
			l[i*m+j] = s / l[j*m+j]
		}
	}
	return l, true
}

// cholSolve solves L·Lᵀ·x = b for x.
func cholSolve(l []float64, m int, b []float64) []float64 {
	x := make([]float64, m)
	for i := range m {
		s := b[i]
		for k := range i {
			s -= l[i*m+k] * x[k]
		}
		x[i] = s / l[i*m+i]
	}
	for i := m - 1; i >= 0; i-- {
		s := x[i]
		for k := i + 1; k < m; k++ {
			s -= l[k*m+i] * x[k]
		}
		x[i] = s / l[i*m+i]
	}
	return x
}

// cholInverse returns (L·Lᵀ)⁻¹, row-major.
func cholInverse(l []float64, m int) []float64 {
	inv := make([]float64, m*m)
	e := make([]float64, m)
	for j := range m {
		clear(e)
		e[j] = 1
		col := cholSolve(l, m, e)
		for i := range m {
			inv[i*m+j] = col[i]
		}
	}
	return inv
}
