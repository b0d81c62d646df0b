package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

func TestOutsideBy(t *testing.T) {
	// A square of 0.01° around (117.225, 39.115) with a hole of 0.002°.
	sq := func(c orb.Point, h float64) orb.Ring {
		return orb.Ring{{c[0] - h, c[1] - h}, {c[0] + h, c[1] - h}, {c[0] + h, c[1] + h}, {c[0] - h, c[1] + h}, {c[0] - h, c[1] - h}}
	}
	c := orb.Point{117.225, 39.115}
	poly := orb.Polygon{sq(c, 0.005), sq(c, 0.001)}
	east := orb.Point{117.240, 39.115} // 0.01° east of the east edge
	cases := []struct {
		name string
		p    orb.Point
		want float64
	}{
		{"inside", orb.Point{117.222, 39.112}, 0},
		{"in the hole", c, orbgeo.Distance(c, orb.Point{c[0] + 0.001, c[1]})},
		{"east", east, orbgeo.Distance(east, orb.Point{117.230, 39.115})},
		{"far", orb.Point{0, 0}, math.NaN()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := OutsideBy(poly, tc.p)
			if math.IsNaN(tc.want) {
				if got < 1e6 {
					t.Fatalf("OutsideBy = %.0f m, want thousands of km", got)
				}
				return
			}
			if math.Abs(got-tc.want) > 1 {
				t.Fatalf("OutsideBy = %.2f m, want %.2f m", got, tc.want)
			}
		})
	}
}
