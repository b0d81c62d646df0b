package stat

import "slices"

// BlindSpotMinComplaints is the fewest complaints a blind spot has.
const BlindSpotMinComplaints = 3

// BlindSpots flags the cells where the public complains much and patrols
// rarely go: detection follows patrols, so patrol-found counts there say
// little. A cell is a blind spot when its complaints (hotline and citizen
// reports) are at least BlindSpotMinComplaints and in the top quarter of the
// cells that have any, and its patrol hours are in the bottom quarter of all
// cells (zeros included).
func BlindSpots(complaints, patrolHours []float64) []bool {
	out := make([]bool, len(complaints))
	if len(complaints) != len(patrolHours) || len(complaints) == 0 {
		return out
	}
	var any []float64
	for _, c := range complaints {
		if c > 0 {
			any = append(any, c)
		}
	}
	if len(any) == 0 {
		return out
	}
	highComplaints := quantile(any, 0.75)
	lowPatrol := quantile(patrolHours, 0.25)
	for i := range out {
		out[i] = complaints[i] >= BlindSpotMinComplaints && complaints[i] >= highComplaints && patrolHours[i] <= lowPatrol
	}
	return out
}

// quantile returns the q-quantile of x by the nearest-rank method.
func quantile(x []float64, q float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	k := int(q*float64(len(s))+0.999999) - 1 // ceil(q·n) − 1
	return s[max(0, min(k, len(s)-1))]
}
