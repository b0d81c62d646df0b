package ingest

import (
	"fmt"
	"hash/maphash"
	"math"
	"testing"
)

// TestSeen checks that Seen names the first record of every repeated id,
// and no other, over a million ids, and when hashes collide.
func TestSeen(t *testing.T) {
	var s Seen
	const n = 1000000
	for i := 1; i <= n; i++ {
		if got := s.add([2]string{"patrol", fmt.Sprint("id-", i)}, i); got != 0 {
			t.Fatalf("id-%d: repeats record %d, want none", i, got)
		}
	}
	for i := 1; i <= n; i += 997 {
		if got, want := s.add([2]string{"patrol", fmt.Sprint("id-", i)}, n+i), i; got != want {
			t.Fatalf("id-%d again: repeats record %d, want %d", i, got, want)
		}
		if got := s.add([2]string{"hotline", fmt.Sprint("id-", i)}, n+i); got != 0 {
			t.Fatalf("hotline id-%d: repeats record %d, want none", i, got)
		}
	}

	// An id whose 64-bit hash another id has is kept whole.
	a, b := [2]string{"patrol", "a"}, [2]string{"patrol", "b"}
	var c Seen
	c.add(a, 1)
	c.first[maphash.Comparable(c.seed, b)] = seenID{check: ^uint32(maphash.Comparable(c.check, b)), n: 1}
	cases := []struct {
		key  [2]string
		n    int
		want int
	}{
		{b, 2, 0}, {b, 3, 2}, {a, 4, 1},
		{[2]string{"patrol", "far"}, math.MaxUint32 + 10, 0},
		{[2]string{"patrol", "far"}, math.MaxUint32 + 11, math.MaxUint32 + 10},
	}
	for _, k := range cases {
		if got := c.add(k.key, k.n); got != k.want {
			t.Errorf("add(%v, %d) = %d, want %d", k.key, k.n, got, k.want)
		}
	}
}
