package forecast

import (
	"fmt"
	"math"
	"strings"
)

// Blend is the service's forecast: each unit's expected events in a week are
// a weighted sum of memories of its own and its neighbours' past,
//
//	λ_i(t) = Σ_k w_k · f_k,i(t),  w_k ≥ 0,
//
// with the features f_k (each in events per week, from the weeks before t
// only) given by Features, and the weights fitted afresh for every week t
// by maximum Poisson likelihood of the FitWeeks weeks before t (each of
// them forecast from the weeks before it), by the EM algorithm for
// non-negative mixtures. Long memory wins where violations are bound to
// places (shop fronts), short memory where they move (street vendors), and
// the neighbours' memory where a unit's own history is thin; the fit lets
// each data set say how much of each.
type Blend struct {
	FitWeeks int // weeks of the fit before each forecast week (default 52)
}

// Feature is one memory of a Blend.
type Feature struct {
	Name       string
	HalfLife   float64 // weeks; +Inf: all weeks before, undecayed
	Neighbours bool    // the mean over the unit's neighbours instead of its own
	Constant   bool    // the area's mean events per unit and week, the same for every unit
}

// Features are the memories a Blend weighs.
var Features = []Feature{
	{Name: "all weeks", HalfLife: math.Inf(1)},
	{Name: "half-life 26 weeks", HalfLife: 26},
	{Name: "half-life 8 weeks", HalfLife: 8},
	{Name: "half-life 2 weeks", HalfLife: 2},
	{Name: "neighbours, half-life 26 weeks", HalfLife: 26, Neighbours: true},
	{Name: "neighbours, half-life 2 weeks", HalfLife: 2, Neighbours: true},
	{Name: "area mean", Constant: true},
}

// emIterations bounds the EM steps of a fit; they stop sooner once no
// weight moves by more than emTolerance (relative), and Newton steps take
// the fit from there.
const (
	emIterations = 30
	emTolerance  = 1e-4
)

// Name returns forecast.
func (Blend) Name() string { return "forecast" }

func (m Blend) fitWeeks() int {
	if m.FitWeeks <= 0 {
		return 52
	}
	return m.FitWeeks
}

// Method describes the model.
func (m Blend) Method() string {
	names := make([]string, len(Features))
	for i, f := range Features {
		names[i] = f.Name
	}
	return fmt.Sprintf("blend of memories (%s), in events per week, weighted by maximum Poisson likelihood of up to %d weeks before the forecast week (EM, then Newton; non-negative weights)",
		strings.Join(names, "; "), m.fitWeeks())
}

// Fit is the blend fitted for one week: the weights of Features.
type Fit struct {
	Weights []float64
	Weeks   int // weeks the fit used
}

// Forecast returns the expected events per unit in each of weeks. A week
// past the panel's last (t > p.Weeks()) is forecast from the whole panel,
// with the weights fitted on its last FitWeeks weeks.
func (m Blend) Forecast(p *Panel, weeks []int) [][]float64 {
	out, _ := m.ForecastFits(p, weeks)
	return out
}

// ForecastFits returns the expected events per unit in each of weeks, and
// the fit behind each.
func (m Blend) ForecastFits(p *Panel, weeks []int) ([][]float64, []Fit) {
	fw := m.fitWeeks()
	need := map[int]bool{}
	target := map[int]bool{}
	for _, t := range weeks {
		target[t] = true
		last := min(t, p.Weeks()) // a week after the panel's last is fitted on the weeks it has
		for s := max(1, last-fw); s < last; s++ {
			need[s] = true
		}
	}
	rows, full := m.features(p, need, target, maxWeek(weeks))
	out := make([][]float64, len(weeks))
	fits := make([]Fit, len(weeks))
	for k, t := range weeks {
		if p.stopped() {
			break
		}
		var fit []*weekRows
		last := min(t, p.Weeks())
		for s := max(1, last-fw); s < last; s++ {
			fit = append(fit, rows[s])
		}
		w := fitWeights(fit, len(Features))
		fits[k] = Fit{Weights: w, Weeks: len(fit)}
		out[k] = make([]float64, p.Units())
		for f, wf := range w {
			for i, v := range full[t][f] {
				out[k][i] += wf * v
			}
		}
	}
	return out, fits
}

// weekRows are what the EM fit needs of one week: the features of the units
// that had events (with their counts), and each feature's sum over all
// units.
type weekRows struct {
	units  []int32
	counts []float64
	values [][]float64 // values[r][k]: feature k of row r
	sums   []float64
}

// features walks the weeks once, keeping each half-life's decayed history,
// and returns the fit rows of the weeks in need and the full features of the
// weeks in target (indexed by week).
func (m Blend) features(p *Panel, need, target map[int]bool, last int) (map[int]*weekRows, map[int][][]float64) {
	n := p.Units()
	halfLives := map[float64][]float64{} // decayed levels by half-life
	weights := map[float64]float64{}
	decay := map[float64]float64{}
	for _, f := range Features {
		if !f.Constant {
			halfLives[f.HalfLife] = make([]float64, n)
			decay[f.HalfLife] = 1
			if !math.IsInf(f.HalfLife, 1) {
				decay[f.HalfLife] = math.Pow(0.5, 1/f.HalfLife)
			}
		}
	}
	rows, full := map[int]*weekRows{}, map[int][][]float64{}
	total := 0.0
	for t := 0; t <= last && !p.stopped(); t++ {
		if need[t] || target[t] {
			fs := make([][]float64, len(Features))
			for k, f := range Features {
				fs[k] = feature(p, f, halfLives, weights, total, t)
			}
			if target[t] {
				full[t] = fs
			}
			if need[t] && t < p.Weeks() {
				rows[t] = newWeekRows(p.Counts[t], fs)
			}
		}
		if t >= p.Weeks() {
			continue
		}
		for h, level := range halfLives {
			d := decay[h]
			for i, v := range p.Counts[t] {
				level[i] = d*level[i] + v
			}
			weights[h] = d*weights[h] + 1
		}
		for _, v := range p.Counts[t] {
			total += v
		}
	}
	return rows, full
}

// feature returns one feature at the start of week t.
func feature(p *Panel, f Feature, levels map[float64][]float64, weights map[float64]float64, total float64, t int) []float64 {
	n := p.Units()
	out := make([]float64, n)
	if f.Constant {
		if weeks := min(t, p.Weeks()); weeks > 0 && n > 0 {
			for i := range out {
				out[i] = total / float64(weeks) / float64(n)
			}
		}
		return out
	}
	level, weight := levels[f.HalfLife], weights[f.HalfLife]
	if weight == 0 {
		return out
	}
	if !f.Neighbours {
		for i, v := range level {
			out[i] = v / weight
		}
		return out
	}
	for i, nb := range p.Neighbours {
		size := p.RingSize
		if size <= 0 {
			size = len(nb)
		}
		if len(nb) == 0 || size == 0 {
			continue
		}
		var s float64
		for _, j := range nb {
			s += level[j]
		}
		out[i] = s / weight / float64(size)
	}
	return out
}

func newWeekRows(counts []float64, fs [][]float64) *weekRows {
	r := &weekRows{sums: make([]float64, len(fs))}
	for k, f := range fs {
		for _, v := range f {
			r.sums[k] += v
		}
	}
	for i, y := range counts {
		if y <= 0 {
			continue
		}
		vals := make([]float64, len(fs))
		any := false
		for k := range fs {
			vals[k] = fs[k][i]
			any = any || vals[k] > 0
		}
		if !any { // λ = 0 whatever the weights: the row does not bear on them
			continue
		}
		r.units, r.counts, r.values = append(r.units, int32(i)), append(r.counts, y), append(r.values, vals)
	}
	return r
}

// fitWeights maximises the Poisson log-likelihood
//
//	L(w) = Σ_s Σ_i y_si log λ_si − λ_si,  λ = Σ_k w_k f_k,  w ≥ 0,
//
// first by the EM (multiplicative) update w_k ← w_k · Σ y·f_k/λ ÷ Σ f_k,
// which keeps weights non-negative and never lowers L, then by Newton steps
// on the weights not held at zero, until the gradient vanishes there (the
// EM update alone converges slowly when features are alike). A feature
// that is zero everywhere gets weight 0. Without fit weeks the weights are
// equal.
func fitWeights(weeks []*weekRows, k int) []float64 {
	w := make([]float64, k)
	den := make([]float64, k)
	for _, r := range weeks {
		for j, s := range r.sums {
			den[j] += s
		}
	}
	for j := range w {
		if den[j] > 0 || len(weeks) == 0 {
			w[j] = 1 / float64(k)
		}
	}
	if len(weeks) == 0 {
		return w
	}
	num := make([]float64, k)
	for range emIterations {
		clear(num)
		grad(weeks, w, num, nil, false)
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
	return newton(weeks, w, den)
}

// grad adds Σ y·f_k/λ to num and, when hess is not nil, Σ y·f_k·f_l/λ² to
// hess[k][l], and returns Σ y·log λ when ll is set (0 otherwise).
func grad(weeks []*weekRows, w, num []float64, hess [][]float64, ll bool) float64 {
	var sum float64
	for _, r := range weeks {
		for row, y := range r.counts {
			vals := r.values[row]
			var lam float64
			for j, v := range vals {
				lam += w[j] * v
			}
			if lam <= 0 {
				sum += math.Inf(-1)
				continue
			}
			if ll {
				sum += y * math.Log(lam)
			}
			q := y / lam
			for j, v := range vals {
				num[j] += q * v
				if hess != nil {
					qv := q * v / lam
					for l, u := range vals {
						hess[j][l] += qv * u
					}
				}
			}
		}
	}
	return sum
}

// loglikOnly returns Σ y·log λ.
func loglikOnly(weeks []*weekRows, w []float64) float64 {
	var sum float64
	for _, r := range weeks {
		for row, y := range r.counts {
			var lam float64
			for j, v := range r.values[row] {
				lam += w[j] * v
			}
			if lam <= 0 {
				return math.Inf(-1)
			}
			sum += y * math.Log(lam)
		}
	}
	return sum
}

// newtonIterations bounds the Newton polish of fitWeights.
const newtonIterations = 50

// newton refines w by projected Newton steps on L, keeping w ≥ 0: a
// weight at zero whose Newton direction points below zero stays there.
func newton(weeks []*weekRows, w, den []float64) []float64 {
	k := len(w)
	loglik := func(w []float64) float64 {
		ll := loglikOnly(weeks, w)
		for j := range w {
			ll -= w[j] * den[j]
		}
		return ll
	}
	cur := loglik(w)
	for range newtonIterations {
		num := make([]float64, k)
		hess := make([][]float64, k)
		for j := range hess {
			hess[j] = make([]float64, k)
		}
		grad(weeks, w, num, hess, false)
		var free []int
		for j := range w {
			if den[j] > 0 && (w[j] > 0 || num[j]-den[j] > 0) {
				free = append(free, j)
			}
		}
		free, d := direction(free, w, num, den, hess)
		if len(free) == 0 {
			break
		}
		decrement := 0.0 // gᵀ·d: twice what a full step would gain
		for x, j := range free {
			decrement += (num[j] - den[j]) * d[x]
		}
		if decrement < 1e-12 {
			break
		}
		step := 1.0
		for x, j := range free { // stay within w ≥ 0
			if d[x] < 0 {
				step = math.Min(step, -w[j]/d[x])
			}
		}
		improved := false
		for range 40 {
			next := append([]float64(nil), w...)
			for x, j := range free {
				next[j] = math.Max(0, w[j]+step*d[x])
			}
			if ll := loglik(next); ll > cur {
				w, cur, improved = next, ll, true
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

// direction returns the Newton direction on the free weights, dropping
// from them the weights at zero that it would push below zero.
func direction(free []int, w, num, den []float64, hess [][]float64) ([]int, []float64) {
	for len(free) > 0 {
		g := make([]float64, len(free))
		a := make([][]float64, len(free))
		for x, j := range free {
			g[x] = num[j] - den[j]
			a[x] = make([]float64, len(free))
			for y, l := range free {
				a[x][y] = hess[j][l]
			}
		}
		d, ok := solve(a, g)
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
