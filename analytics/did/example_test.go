package did_test

import (
	"fmt"

	"github.com/dazhigu/hotspot/analytics/did"
)

// Weekly street-order violations on six road segments over eight weeks;
// segments 0 to 2 had shop lines painted from week 4. With six segments,
// report WildBootstrap's interval too.
func ExampleTWFE() {
	p := did.Panel{
		Y: [][]float64{
			{6, 5, 7, 6, 3, 4, 3, 2},
			{4, 6, 5, 5, 3, 2, 4, 3},
			{8, 7, 9, 8, 6, 5, 5, 6},
			{5, 4, 6, 5, 5, 6, 4, 5},
			{3, 4, 3, 4, 4, 3, 5, 4},
			{7, 6, 8, 7, 6, 8, 7, 7},
		},
		Treated: []bool{true, true, true, false, false, false},
		Start:   4,
	}
	est, err := did.TWFE(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("β = %.3f violations per segment-week (%.0f %% of %.2f), CR1 SE %.3f\n",
		est.Beta, 100*est.Relative(), est.PreMean, est.SE)
	fmt.Printf("95 %% CI [%.3f, %.3f] with t(%d), p = %.4f; N=%d G=%d K=%d\n",
		est.Lo, est.Hi, est.DF, est.P, est.N, est.G, est.K)
	// Output:
	// β = -2.667 violations per segment-week (-42 % of 6.33), CR1 SE 0.351
	// 95 % CI [-3.568, -1.766] with t(5), p = 0.0006; N=48 G=6 K=14
}

// The test vector of R's ptools::wdd(control = c(20, 20), treated = c(20, 10)).
func ExampleWDD() {
	r := did.WDD(20, 10, 20, 20)
	fmt.Printf("WDD %.0f, SE %.2f, z %.2f, p %.3f, 90 %% CI [%.1f, %.1f]\n", r.Est, r.SE, r.Z, r.P, r.Lo90, r.Hi90)
	// Output: WDD -10, SE 8.37, z -1.20, p 0.232, 90 % CI [-23.8, 3.8]
}
