package did

import (
	"math"
	"math/rand/v2"
)

// sim describes a simulated panel: Poisson counts with a unit level drawn
// around Base, a seasonal week effect, and an effect multiplying the
// treated units' mean by (1 + Effect) from week Start on. The first Treated
// units are treated.
type sim struct {
	Units, Weeks, Treated, Start int
	Base, Effect                 float64
}

// draw returns one panel of s from r.
func (s sim) draw(r *rand.Rand) Panel {
	p := Panel{Y: make([][]float64, s.Units), Treated: make([]bool, s.Units), Start: s.Start}
	season := make([]float64, s.Weeks)
	for t := range season {
		season[t] = math.Exp(0.2*math.Sin(2*math.Pi*float64(t)/13) + 0.1*r.NormFloat64())
	}
	for i := range p.Y {
		p.Treated[i] = i < s.Treated
		level := s.Base * math.Exp(0.4*r.NormFloat64())
		p.Y[i] = make([]float64, s.Weeks)
		for t := range p.Y[i] {
			mu := level * season[t]
			if p.Treated[i] && t >= s.Start {
				mu *= 1 + s.Effect
			}
			p.Y[i][t] = float64(poisson(r, mu))
		}
	}
	return p
}

// poisson draws a Poisson(mu) count by Knuth's multiplication method,
// splitting large means into chunks of at most 20.
func poisson(r *rand.Rand, mu float64) int {
	var k int
	for mu > 0 {
		m := min(mu, 20)
		mu -= m
		limit, prod := math.Exp(-m), r.Float64()
		for prod > limit {
			k++
			prod *= r.Float64()
		}
	}
	return k
}

// near reports whether got is within tol·max(1, |want|) of want.
func near(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*max(1, math.Abs(want))
}
