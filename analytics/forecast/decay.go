package forecast

import "math"

// state is an exponentially decayed history at the start of one week:
// level[i] = Σ_{w<t} d^(t−1−w)·Counts[w][i], weight = Σ_{w<t} d^(t−1−w).
type state struct {
	level  []float64
	weight float64
}

// rate returns the decayed mean events per week of each unit (0 without
// history).
func (s state) rate() []float64 {
	out := make([]float64, len(s.level))
	if s.weight > 0 {
		for i, v := range s.level {
			out[i] = v / s.weight
		}
	}
	return out
}

// decayed returns the decayed history at the start of every week 0..last
// (half-life in weeks; +Inf: no decay).
func decayed(p *Panel, halfLife float64, last int) []state {
	d := 1.0
	if !math.IsInf(halfLife, 1) {
		d = math.Pow(0.5, 1/halfLife)
	}
	out := make([]state, last+1)
	level := make([]float64, p.Units())
	weight := 0.0
	for t := 0; t <= last; t++ {
		out[t] = state{level: append([]float64(nil), level...), weight: weight}
		if t < p.Weeks() {
			for i, v := range p.Counts[t] {
				level[i] = d*level[i] + v
			}
			weight = d*weight + 1
		}
	}
	return out
}
