package forecast

import (
	"fmt"
	"math"
	"runtime"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
	"github.com/uber/h3-go/v4"
)

// LastWeeks is the events of each unit in the N weeks before.
type LastWeeks struct{ N int }

// Name returns last4 for N = 4.
func (m LastWeeks) Name() string { return fmt.Sprintf("last%d", m.N) }

// Method describes the model.
func (m LastWeeks) Method() string { return fmt.Sprintf("events in the %d weeks before", m.N) }

// Forecast sums the N weeks before each week.
func (m LastWeeks) Forecast(p *Panel, weeks []int) [][]float64 {
	out := make([][]float64, len(weeks))
	for k, t := range weeks {
		t = min(t, p.Weeks()) // past the panel: its last weeks
		out[k] = sumWeeks(p, t-m.N, t)
	}
	return out
}

// AllTime is the events of each unit in every week before.
type AllTime struct{}

// Name returns alltime.
func (AllTime) Name() string { return "alltime" }

// Method describes the model.
func (AllTime) Method() string { return "events in all the weeks before" }

// Forecast sums all weeks before each week.
func (AllTime) Forecast(p *Panel, weeks []int) [][]float64 {
	out := make([][]float64, len(weeks))
	for k, t := range weeks {
		out[k] = sumWeeks(p, 0, t)
	}
	return out
}

func sumWeeks(p *Panel, from, to int) []float64 {
	out := make([]float64, p.Units())
	for w := max(0, from); w < min(to, p.Weeks()); w++ {
		for i, v := range p.Counts[w] {
			out[i] += v
		}
	}
	return out
}

// EWMA is an exponentially weighted count of each unit's events: the week
// before weighs 1, the one before that 2^(−1/HalfLife), and so on.
type EWMA struct{ HalfLife float64 } // weeks

// Name returns ewma.
func (EWMA) Name() string { return "ewma" }

// Method describes the model.
func (m EWMA) Method() string {
	return fmt.Sprintf("exponentially weighted count of all the weeks before, half-life %g weeks", m.HalfLife)
}

// Forecast weighs the weeks before each week.
func (m EWMA) Forecast(p *Panel, weeks []int) [][]float64 {
	series := decayed(p, m.HalfLife, maxWeek(weeks))
	out := make([][]float64, len(weeks))
	for k, t := range weeks {
		out[k] = series[t].level
	}
	return out
}

// KDE is a kernel density estimate of the events of the N weeks before, on
// the cells' centres: a quartic kernel K(d) = (1 − (d/h)²)² for d < h, with
// the bandwidth h = max(Bandwidth, 1.5 × the spacing of cell centres at the
// panel's resolution), so a cell's neighbours always count.
type KDE struct {
	N         int     // weeks
	Bandwidth float64 // meters
}

// Name returns kde8 for N = 8.
func (m KDE) Name() string { return fmt.Sprintf("kde%d", m.N) }

// Method describes the model.
func (m KDE) Method() string {
	return fmt.Sprintf("quartic kernel density of the events of the %d weeks before, on cell centres, bandwidth max(%g m, 1.5 × cell spacing)", m.N, m.Bandwidth)
}

// KernelCells is how many cells around each cell the kernel reaches at
// res (the k-ring it searches): its work is this many pairs per cell.
func (m KDE) KernelCells(res int) int {
	r := kernelRings(m.bandwidth(res), res)
	return 3*r*(r+1) + 1
}

func kernelRings(bandwidth float64, res int) int {
	return int(math.Ceil(bandwidth/CellSpacing(res))) + 1
}

// bandwidth returns the model's bandwidth at res, in meters.
func (m KDE) bandwidth(res int) float64 { return math.Max(m.Bandwidth, 1.5*CellSpacing(res)) }

// Forecast smooths the N weeks before each week; without cells it returns
// the plain sums.
func (m KDE) Forecast(p *Panel, weeks []int) [][]float64 {
	var kern *kernelWeights
	if len(p.Cells) == p.Units() && p.Units() > 0 {
		kern = kernel(p.Cells, m.bandwidth(p.Cells[0].Resolution()))
	}
	out := make([][]float64, len(weeks))
	for k, t := range weeks {
		if p.stopped() {
			break
		}
		t = min(t, p.Weeks())
		sums := sumWeeks(p, t-m.N, t)
		if kern == nil {
			out[k] = sums
			continue
		}
		out[k] = make([]float64, len(sums))
		for i := range out[k] {
			for _, kw := range kern.of(i) {
				out[k][i] += kw.w * sums[kw.j]
			}
		}
	}
	return out
}

type weighted struct {
	j int32
	w float64
}

// kernelWeights are each cell's weights over the cells around it, all in
// one slice: cell i's are pairs[start[i]:start[i+1]].
type kernelWeights struct {
	start []int
	pairs []weighted
}

func (k *kernelWeights) of(i int) []weighted { return k.pairs[k.start[i]:k.start[i+1]] }

// kernel returns each cell's quartic kernel weights over the cells within
// bandwidth meters (great-circle distance between centres), itself
// included, the cells shared out among the cores in runs of consecutive
// cells.
func kernel(cells []h3.Cell, bandwidth float64) *kernelWeights {
	index := make(map[h3.Cell]int32, len(cells))
	centres := make([]orb.Point, len(cells))
	for i, c := range cells {
		index[c], centres[i] = int32(i), centre(c)
	}
	rings := kernelRings(bandwidth, cells[0].Resolution())
	runs := min(runtime.GOMAXPROCS(0), len(cells))
	parts := make([]kernelWeights, runs)
	onCores(runs, func(r int) {
		part := &parts[r]
		for i := r * len(cells) / runs; i < (r+1)*len(cells)/runs; i++ {
			part.start = append(part.start, len(part.pairs))
			for _, d := range cells[i].GridDisk(rings) {
				j, ok := index[d]
				if !ok {
					continue
				}
				if u := distance(centres[i], centres[j]) / bandwidth; u < 1 {
					part.pairs = append(part.pairs, weighted{j, (1 - u*u) * (1 - u*u)})
				}
			}
		}
	})
	out := &kernelWeights{}
	for _, part := range parts {
		for _, s := range part.start {
			out.start = append(out.start, len(out.pairs)+s)
		}
		out.pairs = append(out.pairs, part.pairs...)
	}
	out.start = append(out.start, len(out.pairs))
	return out
}

func centre(c h3.Cell) orb.Point {
	ll := c.LatLng()
	return orb.Point{ll.Lng, ll.Lat}
}

// CellSpacing is the distance between neighbouring H3 cell centres at res,
// in meters, from H3's average hexagon area A: √(2A/√3).
func CellSpacing(res int) float64 {
	areas := []float64{4357449416078.381, 609788441794.133, 86801780398.997, 12393434655.088, 1770347654.491,
		252903858.182, 36129062.164, 5161293.360, 737327.598, 105332.513, 15047.502, 2149.643, 307.092,
		43.870, 6.267, 0.895} // m²
	return math.Sqrt(2 * areas[res] / math.Sqrt(3))
}

func maxWeek(weeks []int) int {
	m := 0
	for _, t := range weeks {
		m = max(m, t)
	}
	return m
}

func distance(a, b orb.Point) float64 { return orbgeo.Distance(a, b) }
