package stat

import (
	"math"
	"slices"
)

// Trend is a Mann–Kendall test of a series for a monotonic trend.
//
// S is Kendall's score, the number of later-minus-earlier pairs that rise
// less the number that fall (tied pairs count 0). Var is the variance of S
// under the null hypothesis with the correction for ties in the series
// (there are none in time):
//
//	Var = (n(n−1)(2n+5) − Σ t(t−1)(2t+5)) / 18
//
// over the groups of t equal values. Z is the continuity-corrected score
// (S−1)/√Var for S > 0, (S+1)/√Var for S < 0 and 0 for S = 0, and P its
// two-sided standard normal p-value. Tau is Kendall's tau-b between the
// series and time, S / √((n0 − n1)·n0) with n0 = n(n−1)/2 and
// n1 = Σ t(t−1)/2: with no ties it is the plain tau-a, S/n0. N is the
// length of the series.
//
// S, Var and Tau are what R's Kendall::MannKendall calls S, varS and tau;
// Z, P and Tau are what R's cor.test(x, seq_along(x), method = "kendall",
// exact = FALSE, continuity = TRUE) reports as statistic, p.value and
// estimate. The tests check all of them against that R function
// (testdata/mk_reference.R) and against a published worked example.
type Trend struct {
	S, Var, Z, P, Tau float64
	N                 int
}

// MannKendall tests series (oldest first) for a monotonic trend with the
// normal approximation. A series shorter than 2, or one whose values are all
// equal (Var = 0), has no trend: S, Z and Tau are 0 and P is 1. NaN values
// are not allowed: the result is then undefined.
func MannKendall(series []float64) Trend {
	n := len(series)
	tr := Trend{N: n, P: 1}
	if n < 2 {
		return tr
	}
	var s int
	for i, xi := range series[:n-1] {
		for _, xj := range series[i+1:] {
			switch {
			case xj > xi:
				s++
			case xj < xi:
				s--
			}
		}
	}
	// Tie groups: sort a copy and count runs of equal values.
	sorted := slices.Clone(series)
	slices.Sort(sorted)
	var tieVar, tiePairs float64
	for i := 0; i < n; {
		j := i + 1
		for j < n && sorted[j] == sorted[i] {
			j++
		}
		if t := float64(j - i); t > 1 {
			tieVar += t * (t - 1) * (2*t + 5)
			tiePairs += t * (t - 1) / 2
		}
		i = j
	}
	fn := float64(n)
	tr.S = float64(s)
	tr.Var = (fn*(fn-1)*(2*fn+5) - tieVar) / 18
	if tr.Var <= 0 { // every value equal
		tr.Var = 0
		return tr
	}
	n0 := fn * (fn - 1) / 2
	tr.Tau = tr.S / math.Sqrt((n0-tiePairs)*n0)
	switch {
	case s > 0:
		tr.Z = (tr.S - 1) / math.Sqrt(tr.Var)
	case s < 0:
		tr.Z = (tr.S + 1) / math.Sqrt(tr.Var)
	}
	tr.P = math.Erfc(math.Abs(tr.Z) / math.Sqrt2)
	return tr
}
