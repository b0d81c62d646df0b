package analytics

import (
	"context"
	"slices"
	"sync"

	"github.com/dazhigu/hotspot/data"
)

// Memory is a Source held in memory: the events of a file that is not in a
// store (a backtest's CSV), or a test's. It is safe for concurrent use.
type Memory struct {
	mu         sync.RWMutex
	changes    []data.Change // in Seq order
	roads      []data.Road
	categories []data.Category
}

var _ Source = (*Memory)(nil)

// NewMemory returns a source of the roads and taxonomy given, with no
// changes.
func NewMemory(roads []data.Road, categories []data.Category) *Memory {
	return &Memory{roads: roads, categories: categories}
}

// Append adds changes, numbering them after the last one held.
func (m *Memory) Append(changes ...data.Change) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, ch := range changes {
		ch.Seq = int64(len(m.changes) + 1)
		m.changes = append(m.changes, ch)
	}
}

// Changes returns up to limit changes after seq.
func (m *Memory) Changes(_ context.Context, after int64, limit int) ([]data.Change, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if limit <= 0 || limit > data.MaxPage {
		limit = data.MaxPage
	}
	i := int(min(max(after, 0), int64(len(m.changes))))
	return slices.Clone(m.changes[i:min(i+limit, len(m.changes))]), nil
}

// Roads returns the roads.
func (m *Memory) Roads(context.Context) ([]data.Road, error) { return m.roads, nil }

// Categories returns the taxonomy.
func (m *Memory) Categories(context.Context) ([]data.Category, error) { return m.categories, nil }
