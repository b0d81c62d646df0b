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
// non-negative mixtures and Newton steps. Each week's fit starts where the
// fit of the week asked before it ended; the likelihood is concave, so the
// weights do not depend on which weeks are asked together (beyond the
// fit's tolerance; TestWarmFitsAgree). Long memory wins where violations are bound to
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
	var prev Fit // each fit starts from the one before, whose window differs by a week or so
	prevLast := -1
	var fitter fitter
	for k, t := range weeks {
		if p.stopped() {
			break
		}
		last := min(t, p.Weeks())
		if last != prevLast { // weeks past the panel share its last fit
			var fit []*weekRows
			for s := max(1, last-fw); s < last; s++ {
				fit = append(fit, rows[s])
			}
			var start []float64
			if prev.Weeks > 0 {
				start = prev.Weights
			}
			prev, prevLast = Fit{Weights: fitter.fit(fit, len(Features), start), Weeks: len(fit)}, last
		}
		w := prev.Weights
		fits[k] = prev
		out[k] = make([]float64, p.Units())
		for f, wf := range w {
			for i, v := range full[t][f] {
				out[k][i] += wf * v
			}
		}
	}
	return out, fits
}

// features walks the weeks once, keeping each half-life's decayed history,
// and returns the fit rows of the weeks in need and the full features of the
// weeks in target (indexed by week).
func (m Blend) features(p *Panel, need, target map[int]bool, last int) (map[int]*weekRows, map[int][][]float64) {
	n := p.Units()
	mem := memory{levels: map[float64][]float64{}, weights: map[float64]float64{}}
	decay := map[float64]float64{}
	for _, f := range Features {
		if !f.Constant {
			mem.levels[f.HalfLife] = make([]float64, n)
			decay[f.HalfLife] = 1
			if !math.IsInf(f.HalfLife, 1) {
				decay[f.HalfLife] = math.Pow(0.5, 1/f.HalfLife)
			}
		}
	}
	rows, full := map[int]*weekRows{}, map[int][][]float64{}
	for t := 0; t <= last && !p.stopped(); t++ {
		if need[t] || target[t] {
			rs := mem.readings(p, t)
			if target[t] {
				full[t] = make([][]float64, len(rs))
				for k, r := range rs {
					full[t][k] = make([]float64, n)
					for i := range n {
						full[t][k][i] = r.at(p, i)
					}
				}
			}
			if need[t] && t < p.Weeks() {
				rows[t] = newWeekRows(p.Counts[t], len(rs), func(j, i int) float64 { return rs[j].at(p, i) })
			}
		}
		if t >= p.Weeks() {
			continue
		}
		for h, level := range mem.levels {
			d := decay[h]
			for i, v := range p.Counts[t] {
				level[i] = d*level[i] + v
			}
			mem.weights[h] = d*mem.weights[h] + 1
		}
		for _, v := range p.Counts[t] {
			mem.total += v
		}
	}
	return rows, full
}

// memory is the decayed history of every unit at the start of a week: the
// level and weight of each half-life, and all the events so far.
type memory struct {
	levels  map[float64][]float64
	weights map[float64]float64
	total   float64
}

// reading is one feature of the week memory was taken at, read unit by
// unit.
type reading struct {
	f        Feature
	level    []float64
	weight   float64
	constant float64 // the area mean, for Constant
}

// readings returns the readings of Features at the start of week t.
func (mem *memory) readings(p *Panel, t int) []reading {
	out := make([]reading, len(Features))
	for k, f := range Features {
		out[k] = reading{f: f, level: mem.levels[f.HalfLife], weight: mem.weights[f.HalfLife]}
		if weeks, n := min(t, p.Weeks()), p.Units(); f.Constant && weeks > 0 && n > 0 {
			out[k].constant = mem.total / float64(weeks) / float64(n)
		}
	}
	return out
}

// at returns the feature of unit i.
func (r reading) at(p *Panel, i int) float64 {
	switch {
	case r.f.Constant:
		return r.constant
	case r.weight == 0:
		return 0
	case !r.f.Neighbours:
		return r.level[i] / r.weight
	}
	nb := p.Neighbours[i]
	size := p.RingSize
	if size <= 0 {
		size = len(nb)
	}
	if len(nb) == 0 || size == 0 {
		return 0
	}
	var s float64
	for _, j := range nb {
		s += r.level[j]
	}
	return s / r.weight / float64(size)
}
