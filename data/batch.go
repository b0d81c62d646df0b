package data

import "strconv"

// CheckBatch validates every violation of a batch: its fields, its place
// (a res-12 cell, a segment of -1 or more) and that the batch names no
// (source, source_id) twice. It returns nil or an *Error with code EINVALID
// and one Problem per rejected field, numbered from 1. Every store checks
// a batch with it before it writes.
func CheckBatch(vs []Violation) error {
	var ps []Problem
	seen := make(map[[2]string]int, len(vs))
	for i := range vs {
		for _, p := range vs[i].Validate() {
			p.Record = i + 1
			ps = append(ps, p)
		}
		if !vs[i].Cell.IsValid() || vs[i].Cell.Resolution() != CellResolution {
			ps = append(ps, Problem{Record: i + 1, Field: "h3", Reason: "is not placed: needs an H3 cell at resolution 12"})
		}
		if vs[i].Segment < -1 {
			ps = append(ps, Problem{Record: i + 1, Field: "segment", Reason: "must be -1 (none) or a segment index"})
		}
		k := [2]string{string(vs[i].Source), vs[i].SourceID}
		if first, dup := seen[k]; dup {
			ps = append(ps, Problem{Record: i + 1, Field: "source_id",
				Reason: "repeats record " + strconv.Itoa(first) + " of this batch"})
		} else {
			seen[k] = i + 1
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "the batch has invalid records; nothing was stored", Problems: ps}
}
