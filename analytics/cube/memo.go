package cube

import (
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/uber/h3-go/v4"
)

// countsMemo keeps answers of View.Counts for the state of the cube they
// were read from (its Seq). The analyses of one state ask for the same
// counts again and again (every tile of a map draws one Gi*, over the same
// study area; a user pans, zooms and asks again), and counting a city year
// is a pass over millions of places. Any change applied makes a new state,
// whose answers are counted afresh.
type countsMemo struct {
	mu   sync.Mutex
	seq  int64
	kept map[countsKey]map[h3.Cell]float64
}

// countsKey is what a Counts answer depends on besides the state.
type countsKey struct {
	lo, hi     int32 // the filter's hours
	res        int
	cats, srcs string // the filter's names, sorted, joined by NUL
}

// Sizes of the memo: answers kept for one state, and the most cells of an
// answer worth keeping.
const (
	memoAnswers  = 8
	memoMaxCells = 1 << 20
)

func newCountsKey(f Filter, res int) countsKey {
	k := countsKey{res: res}
	k.lo, k.hi = f.hours()
	k.cats = joinSorted(f.Categories)
	srcs := make([]string, len(f.Sources))
	for i, s := range f.Sources {
		srcs[i] = string(s)
	}
	k.srcs = joinSorted(srcs)
	return k
}

func joinSorted(names []string) string {
	names = slices.Clone(names)
	slices.Sort(names)
	return strings.Join(slices.Compact(names), "\x00")
}

// get returns a copy of the answer kept for key at state seq.
func (m *countsMemo) get(seq int64, key countsKey) (map[h3.Cell]float64, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.seq != seq || m.kept[key] == nil {
		return nil, false
	}
	return maps.Clone(m.kept[key]), true
}

// put keeps a copy of an answer for key at state seq, forgetting those of
// other states.
func (m *countsMemo) put(seq int64, key countsKey, counts map[h3.Cell]float64) {
	if len(counts) > memoMaxCells {
		return
	}
	kept := maps.Clone(counts)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.seq != seq || m.kept == nil || len(m.kept) >= memoAnswers {
		m.seq, m.kept = seq, map[countsKey]map[h3.Cell]float64{}
	}
	m.kept[key] = kept
}
