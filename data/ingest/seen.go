package ingest

import (
	"hash/maphash"
	"math"
)

// Seen holds the ids an input has had so far, so that an input read in
// several batches (an import's chunks) refuses a repeat across them, as a
// batch read at once does. Each read of the whole input starts a new one;
// the zero Seen is empty.
//
// An id is kept as two hashes of it, in 16 bytes whatever its length (20 to
// 40 bytes an id with the map's slack: 77 MB for the 3.4 million records
// of a 1 GB file): a 64-bit hash finds it, a 32-bit one of another seed
// tells apart the ids whose first hashes collide, and those (about one pair
// among 6 billion ids) are kept whole. A repeat is always refused;
// an id is taken for a repeat it is not only when both hashes collide,
// about once in 10^15 files of 10 million records.
type Seen struct {
	seed, check maphash.Seed
	first       map[uint64]seenID // by the 64-bit hash of the id
	whole       map[[2]string]int // ids that share a 64-bit hash with another, and those past record 2^32-1
}

// seenID is the first record with an id: its number and the check hash of
// its id.
type seenID struct {
	check uint32
	n     uint32
}

// add notes key as that of record n and returns 0, or, when an earlier
// record had key, that record's number, noting nothing.
func (s *Seen) add(key [2]string, n int) (first int) {
	if s.first == nil {
		s.seed, s.check = maphash.MakeSeed(), maphash.MakeSeed()
		s.first, s.whole = map[uint64]seenID{}, map[[2]string]int{}
	}
	if first, ok := s.whole[key]; ok {
		return first
	}
	h, c := maphash.Comparable(s.seed, key), uint32(maphash.Comparable(s.check, key))
	switch e, ok := s.first[h]; {
	case ok && e.check == c:
		return int(e.n)
	case ok || n > math.MaxUint32:
		s.whole[key] = n
	default:
		s.first[h] = seenID{check: c, n: uint32(n)}
	}
	return 0
}
