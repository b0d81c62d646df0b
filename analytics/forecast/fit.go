package forecast

import (
	"math"
	"slices"
)

// weekRows are what the fit needs of one week: the features of the units
// that had events (with their counts), and each feature's sum over all
// units.
type weekRows struct {
	counts []float64
	values []float64 // row r's features are values[r·k : (r+1)·k]
	sums   []float64
}

// newWeekRows returns the rows of a week of counts, where at(j, i) is
// feature j of unit i.
func newWeekRows(counts []float64, k int, at func(j, i int) float64) *weekRows {
	r := &weekRows{sums: make([]float64, k)}
	for j := range k {
		for i := range counts {
			r.sums[j] += at(j, i)
		}
	}
	vals := make([]float64, k)
	for i, y := range counts {
		if y <= 0 {
			continue
		}
		any := false
		for j := range k {
			vals[j] = at(j, i)
			any = any || vals[j] > 0
		}
		if any { // otherwise λ = 0 whatever the weights: the row does not bear on them
			r.counts, r.values = append(r.counts, y), append(r.values, vals...)
		}
	}
	return r
}

// emIterations bounds the EM steps of a cold fit; they stop sooner once no
// weight moves by more than emTolerance (relative), and Newton steps take
// the fit from there.
const (
	emIterations = 30
	emTolerance  = 1e-4
)

// fitWeights maximises the Poisson log-likelihood
//
//	L(w) = Σ_s Σ_i y_si log λ_si − λ_si,  λ = Σ_k w_k f_k,  w ≥ 0,
//
// from equal weights; a fitter fits one window after another.
func fitWeights(weeks []*weekRows, k int) []float64 {
	return (&fitter{}).fit(weeks, k, nil)
}

// A fitter fits windows of weeks one after another. It keeps each week's
// moments at the weights of its last full pass, so that a fit started
// there (the next window, a week later) sums only the weeks it has not.
type fitter struct {
	w     []float64
	parts map[*weekRows]moments
}

// fit maximises L by projected Newton steps on the weights not held at
// zero, until the gradient vanishes there or L's gain is below its
// rounding. L is concave, so where the fit starts changes the answer only
// within that tolerance. Without a start (or from one where some λ is
// zero), a cold fit: equal weights first improved by the EM
// (multiplicative) update w_k ← w_k · Σ y·f_k/λ ÷ Σ f_k, which keeps
// weights non-negative and never lowers L but alone converges slowly when
// features are alike. A feature that is zero everywhere gets weight 0.
// Without fit weeks the weights are equal.
func (f *fitter) fit(weeks []*weekRows, k int, start []float64) []float64 {
	den := make([]float64, k)
	for _, r := range weeks {
		for j, s := range r.sums {
			den[j] += s
		}
	}
	if len(weeks) == 0 {
		w := make([]float64, k)
		for j := range w {
			w[j] = 1 / float64(k)
		}
		return w
	}
	if start != nil {
		w := make([]float64, k)
		for j := range w {
			if den[j] > 0 {
				w[j] = start[j]
			}
		}
		if at := f.sum(weeks, w, true); !math.IsInf(at.loglik, -1) {
			return f.newton(weeks, w, den, at)
		}
	}
	w := f.em(weeks, k, den)
	return f.newton(weeks, w, den, f.sum(weeks, w, true))
}

// em returns the weights after the EM steps from equal weights.
func (f *fitter) em(weeks []*weekRows, k int, den []float64) []float64 {
	w := make([]float64, k)
	for j := range w {
		if den[j] > 0 {
			w[j] = 1 / float64(k)
		}
	}
	for range emIterations {
		num := f.sum(weeks, w, false).num
		moved := 0.0
		for j := range w {
			if den[j] <= 0 {
				continue
			}
			next := w[j] * num[j] / den[j]
			if w[j] > 0 {
				moved = math.Max(moved, math.Abs(next-w[j])/w[j])
			}
			w[j] = next
		}
		if moved < emTolerance {
			break
		}
	}
	return w
}

// moments are the sums over the fit rows at some weights: Σ y·log λ (−Inf
// once some λ ≤ 0), num_k = Σ y·f_k/λ and, for a full pass,
// hess[k·K+l] = Σ y·f_k·f_l/λ² (the negative Hessian of L).
type moments struct {
	loglik float64
	num    []float64
	hess   []float64
}

// sum sums the moments at w, week by week on every core, adding the
// weeks' sums in their order so that the answer does not depend on the
// cores; full adds log λ and the Hessian, and is kept for the next sum.
func (f *fitter) sum(weeks []*weekRows, w []float64, full bool) moments {
	parts := make([]moments, len(weeks))
	kept := full && slices.Equal(f.w, w)
	var todo []int
	for i, r := range weeks {
		if p, ok := f.parts[r]; ok && kept {
			parts[i] = p
		} else {
			todo = append(todo, i)
		}
	}
	onCores(len(todo), func(x int) { parts[todo[x]] = weeks[todo[x]].moments(w, full) })
	if full { // a copy: the caller may change w
		f.w, f.parts = slices.Clone(w), make(map[*weekRows]moments, len(weeks))
		for i, r := range weeks {
			f.parts[r] = parts[i]
		}
	}
	k := len(w)
	out := moments{num: make([]float64, k)}
	if full {
		out.hess = make([]float64, k*k)
	}
	for _, p := range parts {
		out.loglik += p.loglik
		for j, v := range p.num {
			out.num[j] += v
		}
		for j, v := range p.hess {
			out.hess[j] += v
		}
	}
	for j := range len(out.hess) / max(k, 1) { // the lower triangle mirrors the upper
		for l := range j {
			out.hess[j*k+l] = out.hess[l*k+j]
		}
	}
	return out
}

// moments sums one week's rows at w; a full pass fills the Hessian's upper
// triangle only.
func (r *weekRows) moments(w []float64, full bool) moments {
	k := len(w)
	m := moments{num: make([]float64, k)}
	if full {
		m.hess = make([]float64, k*k)
	}
	for row, y := range r.counts {
		vals := r.values[row*k : row*k+k]
		var lam float64
		for j, v := range vals {
			lam += w[j] * v
		}
		if lam <= 0 {
			m.loglik = math.Inf(-1)
			continue
		}
		q := y / lam
		for j, v := range vals {
			m.num[j] += q * v
		}
		if !full {
			continue
		}
		m.loglik += y * math.Log(lam)
		q /= lam
		for j, v := range vals {
			if v == 0 {
				continue
			}
			qv, h := q*v, m.hess[j*k:j*k+k]
			for l := j; l < k; l++ {
				h[l] += qv * vals[l]
			}
		}
	}
	return m
}
