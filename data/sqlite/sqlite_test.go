package sqlite_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/sqlite"
	"github.com/dazhigu/hotspot/data/storetest"
)

// TestContract runs the storage contract suite against the embedded store.
func TestContract(t *testing.T) {
	var mu sync.Mutex // Open is called from parallel subtests
	paths := map[data.Store]string{}
	open := func(t *testing.T, path string) data.Store {
		t.Helper()
		s, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		paths[s] = path
		mu.Unlock()
		t.Cleanup(func() { s.Close() })
		return s
	}
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T) data.Store {
			return open(t, filepath.Join(t.TempDir(), "contract.db"))
		},
		// Reopen abandons s without Close, as a crash would, and opens the
		// same file again. (The abandoned handle is closed at cleanup.)
		Reopen: func(t *testing.T, s data.Store) data.Store {
			mu.Lock()
			path := paths[s]
			mu.Unlock()
			return open(t, path)
		},
	})
}
