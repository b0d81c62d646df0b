package stat

import "math"

// Slope is the least-squares line y = a + b·x through points, with the
// standard error of b and its 95 % interval from Student's t with n − 2
// degrees of freedom (normal errors, equal variances).
type Slope struct {
	B, SE  float64
	Lo, Hi float64 // 95 % interval of B
	N      int
}

// Regress fits y on x. With fewer than 3 points, or no spread in x, every
// figure but N is NaN.
func Regress(x, y []float64) Slope {
	n := min(len(x), len(y))
	s := Slope{B: math.NaN(), SE: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), N: n}
	if n < 3 {
		return s
	}
	var mx, my float64
	for i := range n {
		mx += x[i]
		my += y[i]
	}
	mx, my = mx/float64(n), my/float64(n)
	var sxx, sxy float64
	for i := range n {
		sxx += (x[i] - mx) * (x[i] - mx)
		sxy += (x[i] - mx) * (y[i] - my)
	}
	if sxx == 0 {
		return s
	}
	s.B = sxy / sxx
	var rss float64
	for i := range n {
		e := y[i] - my - s.B*(x[i]-mx)
		rss += e * e
	}
	s.SE = math.Sqrt(rss / float64(n-2) / sxx)
	q := TQuantile(0.975, float64(n-2))
	s.Lo, s.Hi = s.B-q*s.SE, s.B+q*s.SE
	return s
}
