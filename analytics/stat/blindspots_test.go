package stat

import (
	"reflect"
	"testing"
)

func TestBlindSpots(t *testing.T) {
	// Eight cells: complaints and patrol hours. Cells with complaints: 1, 2,
	// 3, 5, 8, 9 → top quarter from the nearest-rank 75th percentile, 8.
	// Patrol hours sorted 0 0 1 2 5 9 10 40 → bottom quarter up to 0.
	complaints := []float64{9, 8, 0, 1, 8, 2, 3, 5}
	patrol := []float64{0, 2, 0, 0, 0, 10, 1, 9}
	want := []bool{true, false, false, false, true, false, false, false}
	if got := BlindSpots(complaints, patrol); !reflect.DeepEqual(got, want) {
		t.Fatalf("BlindSpots = %v, want %v", got, want)
	}
	if got := BlindSpots([]float64{2, 2}, []float64{0, 0}); got[0] || got[1] {
		t.Fatalf("two complaints make a blind spot: %v", got)
	}
}
