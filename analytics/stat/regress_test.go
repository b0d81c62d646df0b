package stat

import (
	"math"
	"testing"
)

// TestRegress compares the slope, its standard error and 95 % interval with
// R 4.2.2: x <- c(2.5, 4, 1, 6.5, 3, 8, 5.5, 7, 0.5, 4.5);
// y <- c(12, 10, 14, 9, 11, 10, 13, 8, 12, 11); summary(lm(y ~ x)) and
// confint(lm(y ~ x)).
func TestRegress(t *testing.T) {
	x := []float64{2.5, 4, 1, 6.5, 3, 8, 5.5, 7, 0.5, 4.5}
	y := []float64{12, 10, 14, 9, 11, 10, 13, 8, 12, 11}
	s := Regress(x, y)
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"slope", s.B, -0.503253796095445}, {"se", s.SE, 0.182805563368116},
		{"lo", s.Lo, -0.924804181160647}, {"hi", s.Hi, -0.0817034110302419},
	} {
		if !near(c.got, c.want, 1e-12) {
			t.Errorf("%s = %.15g, R %.15g", c.name, c.got, c.want)
		}
	}
	if r := Regress([]float64{1, 1, 1}, []float64{1, 2, 3}); !math.IsNaN(r.B) || r.N != 3 {
		t.Errorf("no spread in x: %+v", r)
	}
}
