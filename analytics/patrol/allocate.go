// Package patrol plans a day's patrol visits: which segment of which road,
// in which two-hour block, by which officer, so that the visits cover as
// many of the expected violations as the officer-minutes allow, under the
// rules of DESIGN.md §5 and issue 9: visits of 10–15 minutes, every key road
// visited, peak windows revisited every two hours, no segment visited twice
// within two hours, visit times randomised. It is pure: the forecast, the
// travel times and the shifts come in, the plan goes out.
// docs/recommendations.md states every rule and number.
package patrol

import (
	"container/heap"
	"math"
)

// Benefit is the expected violations n visits to a unit cover, λ·(1 −
// (1 − p)ⁿ): each visit intercepts or deters a share p of what the one
// before left. It is concave in n.
func Benefit(lambda, p float64, n int) float64 {
	return lambda * (1 - math.Pow(1-p, float64(n)))
}

// Allocate chooses how many visits each unit gets when every visit costs the
// same and the budget allows at most budget visits: marginal[u][k] is what
// the (k+1)-th visit to unit u adds (non-increasing in k: the benefits are
// separable and concave), and the greedy choice — the largest marginal
// benefit next, each time — is then optimal (an exchange argument: any
// allocation that leaves out a larger marginal for a smaller one can be
// improved by swapping them). Ties go to the lower unit index. It returns
// the visits per unit and their total benefit.
func Allocate(marginal [][]float64, budget int) ([]int, float64) {
	n := make([]int, len(marginal))
	h := &gains{}
	for u, m := range marginal {
		if len(m) > 0 {
			heap.Push(h, gain{u, m[0]})
		}
	}
	var total float64
	for range max(0, budget) {
		if h.Len() == 0 {
			break
		}
		g := heap.Pop(h).(gain)
		if g.value <= 0 {
			break
		}
		total += g.value
		n[g.unit]++
		if k := n[g.unit]; k < len(marginal[g.unit]) {
			heap.Push(h, gain{g.unit, marginal[g.unit][k]})
		}
	}
	return n, total
}

type gain struct {
	unit  int
	value float64
}

// gains is a max-heap of gains, lower unit first among equals.
type gains []gain

func (h gains) Len() int { return len(h) }
func (h gains) Less(i, j int) bool {
	if h[i].value != h[j].value {
		return h[i].value > h[j].value
	}
	return h[i].unit < h[j].unit
}
func (h gains) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *gains) Push(x any)   { *h = append(*h, x.(gain)) }
func (h *gains) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
