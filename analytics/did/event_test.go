package did

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestEventStudyWindow(t *testing.T) {
	p := validPanel() // 6 weeks, start 3: leads 2…3, lags 0…2
	cases := []struct {
		leads, lags int
		want        error
	}{
		{2, 0, nil},
		{3, 2, nil},
		{2, 2, nil},
		{1, 2, ErrWindow},
		{0, 0, ErrWindow},
		{4, 2, ErrWindow},
		{2, 3, ErrWindow},
		{2, -1, ErrWindow},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("leads=%d,lags=%d", c.leads, c.lags), func(t *testing.T) {
			st, err := EventStudy(p, c.leads, c.lags)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if err != nil {
				return
			}
			var got []int
			for _, e := range st.Effects {
				got = append(got, e.Event)
			}
			var want []int
			for k := -c.leads; k <= c.lags; k++ {
				if k != -1 {
					want = append(want, k)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("event times %v, want %v", got, want)
			}
			if st.Pretrend.DF != c.leads-1 || st.Pretrend.DenDF != 3 {
				t.Errorf("Wald df %d, %d; want %d, 3", st.Pretrend.DF, st.Pretrend.DenDF, c.leads-1)
			}
			if wantK := 4 + 6 - 1 + len(want); st.K != wantK {
				t.Errorf("K = %d, want %d", st.K, wantK)
			}
		})
	}
}

// TestEventStudySingularLeads: G units give a CR1 covariance of rank at
// most G − 2 (R agrees: eigen(vcovCL(...)) has G − 2 non-zero values for
// G = 3, 5, 8), so at most G − 2 leads can be tested jointly.
func TestEventStudySingularLeads(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for _, units := range []int{3, 5, 8} {
		t.Run(fmt.Sprint(units, " units"), func(t *testing.T) {
			p := sim{Units: units, Weeks: 20, Treated: 2, Start: 10, Base: 8}.draw(r)
			ok := units - 2 + 1 // leads − 1 = G − 2 lead coefficients
			if _, err := EventStudy(p, ok, 2); err != nil {
				t.Fatalf("%d leads: %v", ok-1, err)
			}
			if _, err := EventStudy(p, ok+1, 2); !errors.Is(err, ErrSingular) {
				t.Fatalf("%d leads with %d clusters: %v, want %v", ok, units, err, ErrSingular)
			}
		})
	}
}

// TestEventStudyRecoversStep plants a step of +4 counts per week from Start
// on a large panel with parallel trends: every lag's interval should cover
// 4 and every lead's 0 (checked to 4 SE, so this fixed draw is far from
// the edge), and the pre-trend test should not reject.
func TestEventStudyRecoversStep(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	const units, weeks, start, step = 60, 40, 25, 4.0
	p := sim{Units: units, Weeks: weeks, Treated: 30, Start: start, Base: 10}.draw(r)
	for i := range p.Y {
		if p.Treated[i] {
			for w := start; w < weeks; w++ {
				p.Y[i][w] += step
			}
		}
	}
	st, err := EventStudy(p, 5, 6)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range st.Effects {
		want := 0.0
		if e.Event >= 0 {
			want = step
		}
		if math.Abs(e.Delta-want) > 4*e.SE {
			t.Errorf("δ_%d = %.3f (SE %.3f), want %v", e.Event, e.Delta, e.SE, want)
		}
	}
	if st.Pretrend.FP < 0.01 {
		t.Errorf("pre-trend F = %.3f, p = %.4f: rejects parallel trends that hold", st.Pretrend.F, st.Pretrend.FP)
	}
	if !near(st.Pretrend.F, st.Pretrend.Chi2/float64(st.Pretrend.DF), 1e-15) {
		t.Errorf("F = %v, want χ²/L = %v", st.Pretrend.F, st.Pretrend.Chi2/float64(st.Pretrend.DF))
	}
}
