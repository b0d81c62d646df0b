package did

import (
	"github.com/dazhigu/hotspot/analytics/stat"

	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestTWFEIsTheTwoByTwo checks that with one start week β is the classic
// difference in differences of means, (T̄_post − T̄_pre) − (C̄_post − C̄_pre),
// which is what two-way fixed effects reduces to on a balanced panel with
// common timing. Tolerance 1e-12 relative to max(1, |want|).
func TestTWFEIsTheTwoByTwo(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	cases := []sim{
		{Units: 6, Weeks: 5, Treated: 2, Start: 3, Base: 4, Effect: -0.3},
		{Units: 14, Weeks: 30, Treated: 5, Start: 18, Base: 6, Effect: 0},
		{Units: 3, Weeks: 40, Treated: 1, Start: 1, Base: 20, Effect: 0.5},
		{Units: 25, Weeks: 8, Treated: 24, Start: 7, Base: 1, Effect: -0.5},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%+v", c), func(t *testing.T) {
			p := c.draw(r)
			var sum [2][2]float64
			var cnt [2][2]int
			for i, row := range p.Y {
				g := 0
				if p.Treated[i] {
					g = 1
				}
				for w, v := range row {
					post := 0
					if w >= p.Start {
						post = 1
					}
					sum[g][post] += v
					cnt[g][post]++
				}
			}
			mean := func(g, post int) float64 { return sum[g][post] / float64(cnt[g][post]) }
			want := (mean(1, 1) - mean(1, 0)) - (mean(0, 1) - mean(0, 0))
			got, err := TWFE(p)
			if err != nil {
				t.Fatal(err)
			}
			if !near(got.Beta, want, 1e-12) {
				t.Errorf("Beta = %.15g, want the 2×2 DiD %.15g", got.Beta, want)
			}
			if !near(got.PreMean, mean(1, 0), 1e-12) {
				t.Errorf("PreMean = %v, want %v", got.PreMean, mean(1, 0))
			}
			if got.Relative() != got.Beta/got.PreMean {
				t.Errorf("Relative = %v, want %v", got.Relative(), got.Beta/got.PreMean)
			}
			units, weeks := c.Units, c.Weeks
			if got.N != units*weeks || got.G != units || got.K != units+weeks || got.DF != units-1 {
				t.Errorf("N, G, K, DF = %d, %d, %d, %d; want %d, %d, %d, %d",
					got.N, got.G, got.K, got.DF, units*weeks, units, units+weeks, units-1)
			}
			tq := stat.TQuantile(0.975, float64(units-1))
			if !near(got.Lo, got.Beta-tq*got.SE, 1e-12) || !near(got.Hi, got.Beta+tq*got.SE, 1e-12) {
				t.Errorf("interval [%v, %v], want β ± %v·SE", got.Lo, got.Hi, tq)
			}
		})
	}
}

// TestTWFEInvariance: adding a unit effect and a week effect to every count
// changes neither β nor its standard error (1e-10 relative).
func TestTWFEInvariance(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 9))
	p := sim{Units: 10, Weeks: 20, Treated: 4, Start: 12, Base: 5, Effect: -0.2}.draw(r)
	shifted := Panel{Y: make([][]float64, len(p.Y)), Treated: p.Treated, Start: p.Start}
	for i, row := range p.Y {
		shifted.Y[i] = make([]float64, len(row))
		for w, v := range row {
			shifted.Y[i][w] = v + 3*float64(i) + 0.5*float64(w%7)
		}
	}
	a, err := TWFE(p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := TWFE(shifted)
	if err != nil {
		t.Fatal(err)
	}
	if !near(a.Beta, b.Beta, 1e-10) || !near(a.SE, b.SE, 1e-10) {
		t.Fatalf("β, SE = %v, %v; shifted %v, %v", a.Beta, a.SE, b.Beta, b.SE)
	}
}

// validPanel is a small panel that every analysis accepts: 4 units, 6
// weeks, units 0 and 1 treated from week 3.
func validPanel() Panel {
	return Panel{
		Y: [][]float64{
			{3, 4, 2, 1, 0, 2},
			{5, 3, 4, 2, 3, 1},
			{2, 2, 3, 3, 2, 4},
			{4, 5, 3, 4, 6, 5},
		},
		Treated: []bool{true, true, false, false},
		Start:   3,
	}
}

// TestErrors checks that every malformed panel is refused with its error
// by every analysis, and that none panics.
func TestErrors(t *testing.T) {
	edit := func(f func(p *Panel)) Panel {
		p := validPanel()
		p.Y = append([][]float64(nil), p.Y...)
		for i := range p.Y {
			p.Y[i] = append([]float64(nil), p.Y[i]...)
		}
		p.Treated = append([]bool(nil), p.Treated...)
		f(&p)
		return p
	}
	cases := []struct {
		name string
		p    Panel
		want error
	}{
		{"empty", Panel{}, ErrFewClusters},
		{"one unit", Panel{Y: [][]float64{{1, 2, 3}}, Treated: []bool{true}, Start: 1}, ErrFewClusters},
		{"treated too short", edit(func(p *Panel) { p.Treated = p.Treated[:3] }), ErrRagged},
		{"ragged row", edit(func(p *Panel) { p.Y[2] = p.Y[2][:5] }), ErrRagged},
		{"long row", edit(func(p *Panel) { p.Y[0] = append(p.Y[0], 1) }), ErrRagged},
		{"NaN", edit(func(p *Panel) { p.Y[1][4] = math.NaN() }), ErrBadCount},
		{"infinite", edit(func(p *Panel) { p.Y[3][0] = math.Inf(1) }), ErrBadCount},
		{"negative", edit(func(p *Panel) { p.Y[0][5] = -1 }), ErrBadCount},
		{"no treated", edit(func(p *Panel) { p.Treated = []bool{false, false, false, false} }), ErrNoTreated},
		{"no control", edit(func(p *Panel) { p.Treated = []bool{true, true, true, true} }), ErrNoControl},
		{"start 0", edit(func(p *Panel) { p.Start = 0 }), ErrNoPre},
		{"start negative", edit(func(p *Panel) { p.Start = -2 }), ErrNoPre},
		{"start at end", edit(func(p *Panel) { p.Start = 6 }), ErrNoPost},
		{"no weeks", Panel{Y: [][]float64{{}, {}}, Treated: []bool{true, false}, Start: 0}, ErrNoPre},
		{"2 × 2", Panel{Y: [][]float64{{1, 2}, {3, 5}}, Treated: []bool{true, false}, Start: 1}, ErrTooSmall},
		{"two units", Panel{Y: [][]float64{{1, 4, 2, 0, 3, 1}, {2, 2, 5, 1, 1, 4}}, Treated: []bool{true, false}, Start: 3}, ErrNoVariance},
		{"perfect fit", edit(func(p *Panel) {
			for i := range p.Y {
				for w := range p.Y[i] {
					p.Y[i][w] = float64(i + w)
				}
			}
		}), ErrNoVariance},
		{"all zero", edit(func(p *Panel) {
			for i := range p.Y {
				clear(p.Y[i])
			}
		}), ErrNoVariance},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.want != ErrTooSmall && c.want != ErrNoVariance {
				if err := c.p.Validate(); !errors.Is(err, c.want) {
					t.Errorf("Validate: %v, want %v", err, c.want)
				}
			}
			if _, err := TWFE(c.p); !errors.Is(err, c.want) {
				t.Errorf("TWFE: %v, want %v", err, c.want)
			}
			if _, err := WildBootstrap(c.p, 199, 1); !errors.Is(err, c.want) {
				t.Errorf("WildBootstrap: %v, want %v", err, c.want)
			}
			if c.want == ErrTooSmall {
				return // no event window fits a 2 × 2 panel
			}
			if _, err := EventStudy(c.p, 2, 1); !errors.Is(err, c.want) {
				t.Errorf("EventStudy: %v, want %v", err, c.want)
			}
		})
	}
	if err := validPanel().Validate(); err != nil {
		t.Errorf("valid panel: %v", err)
	}
	if _, err := WildBootstrap(validPanel(), MinReps-1, 1); !errors.Is(err, ErrReps) {
		t.Errorf("WildBootstrap(%d reps): %v, want %v", MinReps-1, err, ErrReps)
	}
}
