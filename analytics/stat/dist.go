package stat

import "math"

// This file holds the distribution functions the tests need: the standard
// normal, Student's t, χ² and F tails and the t and normal quantiles. Each
// is computed from the regularized incomplete beta and gamma functions and
// agrees with R's pt, qt, pchisq and pf to about 1e-14 (dist_test.go).

// NormQuantile returns the p-quantile of the standard normal distribution.
func NormQuantile(p float64) float64 { return math.Sqrt2 * math.Erfinv(2*p-1) }

// NormTwoSided returns P(|Z| ≥ |z|) for a standard normal Z.
func NormTwoSided(z float64) float64 { return math.Erfc(math.Abs(z) / math.Sqrt2) }

// TUpper returns P(T > x) for Student's t with df degrees of freedom.
func TUpper(x, df float64) float64 {
	if math.IsNaN(x) || df <= 0 {
		return math.NaN()
	}
	if math.IsInf(x, 0) {
		if x > 0 {
			return 0
		}
		return 1
	}
	tail := 0.5 * TTwoSided(x, df) // P(|T| > |x|) / 2
	if x < 0 {
		return 1 - tail
	}
	return tail
}

// TTwoSided returns P(|T| ≥ |x|) for Student's t with df degrees of freedom.
func TTwoSided(x, df float64) float64 {
	if math.IsNaN(x) || df <= 0 {
		return math.NaN()
	}
	if math.IsInf(x, 0) {
		return 0
	}
	return betaInc(df/2, 0.5, df/(df+x*x), x*x/(df+x*x))
}

// tDensity returns the density of Student's t with df degrees of freedom.
func tDensity(x, df float64) float64 {
	lg1, _ := math.Lgamma((df + 1) / 2)
	lg2, _ := math.Lgamma(df / 2)
	return math.Exp(lg1-lg2-0.5*math.Log(df*math.Pi)) * math.Pow(1+x*x/df, -(df+1)/2)
}

// TQuantile returns the p-quantile of Student's t with df degrees of
// freedom, by safeguarded Newton steps on TUpper.
func TQuantile(p, df float64) float64 {
	switch {
	case math.IsNaN(p) || df <= 0 || p < 0 || p > 1:
		return math.NaN()
	case p == 0:
		return math.Inf(-1)
	case p == 1:
		return math.Inf(1)
	case p == 0.5:
		return 0
	case p < 0.5:
		return -TQuantile(1-p, df)
	}
	q := 1 - p // the upper tail to reach, in (0, 0.5)
	lo, hi := 0.0, 1.0
	for TUpper(hi, df) > q {
		lo, hi = hi, 2*hi
		if hi > 1e300 {
			return math.Inf(1)
		}
	}
	x := min(max(NormQuantile(p), lo), hi)
	for range 200 {
		f := TUpper(x, df) - q // decreasing in x
		if f == 0 {
			return x
		}
		if f > 0 {
			lo = x
		} else {
			hi = x
		}
		next := x + f/tDensity(x, df)
		if !(next > lo && next < hi) {
			next = (lo + hi) / 2
		}
		if math.Abs(next-x) <= 1e-15*math.Abs(x) {
			return next
		}
		x = next
	}
	return x
}

// Chi2Upper returns P(X > x) for a χ² variable with df degrees of freedom.
func Chi2Upper(x, df float64) float64 {
	if math.IsNaN(x) || df <= 0 {
		return math.NaN()
	}
	if x <= 0 {
		return 1
	}
	return gammaQ(df/2, x/2)
}

// FUpper returns P(X > x) for an F variable with (df1, df2) degrees of
// freedom.
func FUpper(x, df1, df2 float64) float64 {
	if math.IsNaN(x) || df1 <= 0 || df2 <= 0 {
		return math.NaN()
	}
	if x <= 0 {
		return 1
	}
	if math.IsInf(x, 1) {
		return 0
	}
	return betaInc(df2/2, df1/2, df2/(df2+df1*x), df1*x/(df2+df1*x))
}

// betaInc returns the regularized incomplete beta function I_x(a, b), by
// the continued fraction of Numerical Recipes (§6.4) evaluated with Lentz's
// method, on the side of the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where
// it converges fast. y is 1 − x, passed in so that callers can compute it
// without cancellation when x is near 1.
func betaInc(a, b, x, y float64) float64 {
	switch {
	case math.IsNaN(x) || math.IsNaN(y) || a <= 0 || b <= 0 || x < 0 || y < 0:
		return math.NaN()
	case x == 0:
		return 0
	case y == 0:
		return 1
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	front := math.Exp(lab - la - lb + a*math.Log(x) + b*math.Log(y))
	if x < (a+1)/(a+b+2) {
		return front * betaFraction(a, b, x) / a
	}
	return 1 - front*betaFraction(b, a, y)/b
}

// betaFraction evaluates the continued fraction of betaInc.
func betaFraction(a, b, x float64) float64 {
	const (
		tiny = 1e-300
		eps  = 1e-16
	)
	qab, qap, qam := a+b, a+1, a-1
	floor := func(v float64) float64 {
		if math.Abs(v) < tiny {
			return tiny
		}
		return v
	}
	c, d := 1.0, 1/floor(1-qab*x/qap)
	h := d
	// step applies one term aa of the fraction (modified Lentz) and returns
	// the factor it multiplies h by.
	step := func(aa float64) float64 {
		d = 1 / floor(1+aa*d)
		c = floor(1 + aa/c)
		return d * c
	}
	for m := 1; m <= 10000; m++ {
		fm := float64(m)
		m2 := 2 * fm
		h *= step(fm * (b - fm) * x / ((qam + m2) * (a + m2)))
		del := step(-(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2)))
		h *= del
		if math.Abs(del-1) < eps {
			break
		}
	}
	return h
}

// gammaQ returns the regularized upper incomplete gamma function Q(a, x),
// by its series for x < a + 1 and its continued fraction otherwise
// (Numerical Recipes §6.2).
func gammaQ(a, x float64) float64 {
	const (
		tiny = 1e-300
		eps  = 1e-16
	)
	lga, _ := math.Lgamma(a)
	if x < a+1 {
		ap, sum := a, 1/a
		del := sum
		for range 10000 {
			ap++
			del *= x / ap
			sum += del
			if math.Abs(del) < math.Abs(sum)*eps {
				break
			}
		}
		return 1 - sum*math.Exp(-x+a*math.Log(x)-lga)
	}
	b := x + 1 - a
	c := 1 / tiny
	d := 1 / b
	h := d
	for i := 1; i <= 10000; i++ {
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < eps {
			break
		}
	}
	return math.Exp(-x+a*math.Log(x)-lga) * h
}
