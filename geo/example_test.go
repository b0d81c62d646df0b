package geo_test

import (
	"fmt"

	"github.com/dazhigu/hotspot/geo"
	"github.com/paulmach/orb"
)

// A 278 m stretch of street along the meridian 117.22 E in Dazhigu,
// cut into 100 m stretches: the 78 m tail is more than half a stretch, so it
// stays on its own.
func ExampleCut() {
	line := orb.LineString{{117.22, 39.12}, {117.22, 39.1225}}
	for _, s := range geo.Cut(line, 100) {
		fmt.Printf("%.1f-%.1f m\n", s.From, s.To)
	}
	// Output:
	// 0.0-100.0 m
	// 100.0-200.0 m
	// 200.0-278.3 m
}

// A violation reported 86 m east of the same street, 500 m along it.
func ExampleLocate() {
	line := orb.LineString{{117.22, 39.12}, {117.22, 39.13}}
	along, offset := geo.Locate(line, orb.Point{117.221, 39.125})
	fmt.Printf("along %.1f m, offset %.1f m\n", along, offset)
	// Output:
	// along 556.6 m, offset 86.4 m
}
