package did

import (
	"errors"
	"math"
	"testing"
)

// FuzzAnalyses builds a panel from the fuzzer's bytes (units, weeks, start,
// treated flags, counts; some bytes become NaN or negative counts) and runs
// every analysis on it: none may panic, and each either refuses the panel
// with one of the package's errors or returns finite numbers.
func FuzzAnalyses(f *testing.F) {
	f.Add([]byte{4, 6, 3, 0b0011, 3, 4, 2, 1, 0, 2, 5, 3, 4, 2, 3, 1, 2, 2, 3, 3, 2, 4, 4, 5, 3, 4, 6, 5})
	f.Add([]byte{2, 2, 1, 1, 1, 2, 3, 5})
	f.Add([]byte{5, 10, 4, 0b00101, 255, 254})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 4 {
			return
		}
		units, weeks := int(b[0]%9), int(b[1]%13)
		p := Panel{Start: int(b[2]%15) - 1, Treated: make([]bool, units), Y: make([][]float64, units)}
		for i := range units {
			p.Treated[i] = b[3]>>(i%8)&1 == 1
		}
		k := 4
		for i := range p.Y {
			p.Y[i] = make([]float64, weeks)
			for w := range p.Y[i] {
				var v byte
				if k < len(b) {
					v = b[k]
				}
				k++
				switch v {
				case 255:
					p.Y[i][w] = math.NaN()
				case 254:
					p.Y[i][w] = -1
				default:
					p.Y[i][w] = float64(v % 16)
				}
			}
		}
		known := []error{ErrFewClusters, ErrRagged, ErrBadCount, ErrNoTreated, ErrNoControl,
			ErrNoPre, ErrNoPost, ErrTooSmall, ErrSingular, ErrNoVariance, ErrWindow, ErrReps}
		checkErr := func(name string, err error) {
			for _, e := range known {
				if errors.Is(err, e) {
					return
				}
			}
			t.Fatalf("%s: unexpected error %v", name, err)
		}
		finite := func(name string, xs ...float64) {
			for _, x := range xs {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					t.Fatalf("%s: non-finite result %v", name, xs)
				}
			}
		}
		if est, err := TWFE(p); err != nil {
			checkErr("TWFE", err)
		} else {
			finite("TWFE", est.Beta, est.SE, est.TStat, est.P, est.Lo, est.Hi, est.PreMean)
		}
		if iv, err := WildBootstrap(p, MinReps, 1); err != nil {
			checkErr("WildBootstrap", err)
		} else if math.IsNaN(iv.Lo) || math.IsNaN(iv.Hi) || math.IsNaN(iv.P) {
			t.Fatalf("WildBootstrap: %+v", iv)
		}
		if st, err := EventStudy(p, 2, 0); err != nil {
			checkErr("EventStudy", err)
		} else {
			for _, e := range st.Effects {
				finite("EventStudy", e.Delta, e.SE, e.P, e.Lo, e.Hi)
			}
			finite("EventStudy Wald", st.Pretrend.Chi2, st.Pretrend.P, st.Pretrend.F, st.Pretrend.FP)
		}
	})
}
