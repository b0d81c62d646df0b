package demo

import (
	"math"
	"math/rand/v2"
)

// Random streams. Every draw comes from a PCG generator keyed by the seed and
// by what is being drawn (a stream and its coordinates, e.g. a day), so a day
// or a trip can be regenerated alone and comes out the same.
const (
	streamEvents   = 1 // latent violations and their detection, per day
	streamPlan     = 2 // patrol trips, per day
	streamFixes    = 3 // GPS fixes, per trip
	streamCampaign = 4 // campaign days, per calendar year
	streamRecords  = 5 // severity and disposition, whole period
)

// newRand returns the generator for seed and the given stream coordinates.
func newRand(seed uint64, keys ...uint64) *rand.Rand {
	h := uint64(0x9e3779b97f4a7c15)
	for _, k := range keys {
		h = mix(h ^ k)
	}
	return rand.New(rand.NewPCG(seed, h))
}

// mix is the SplitMix64 finaliser.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// poisson draws a Poisson count with mean lambda (Knuth's method, for the
// small means used here; large means are split to stay exact).
func poisson(r *rand.Rand, lambda float64) int {
	n := 0
	for lambda > 30 {
		n += poisson(r, 30)
		lambda -= 30
	}
	if lambda <= 0 {
		return n
	}
	limit, p := math.Exp(-lambda), r.Float64()
	for p > limit {
		n++
		p *= r.Float64()
	}
	return n
}

// uniform returns a value in [lo, hi).
func uniform(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// pick returns an index drawn with the given non-negative weights, or -1
// when they sum to zero.
func pick(r *rand.Rand, weights []float64) int {
	var sum float64
	for _, w := range weights {
		sum += w
	}
	if sum <= 0 {
		return -1
	}
	x := r.Float64() * sum
	for i, w := range weights {
		if x -= w; x < 0 {
			return i
		}
	}
	return len(weights) - 1
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }
