package data

import "strconv"

// CheckBatch validates every violation of a batch and rejects a batch that
// names the same (source, source_id) twice. It returns nil or an *Error with
// code EINVALID and one Problem per rejected field, numbered from 1.
func CheckBatch(vs []Violation) error {
	var ps []Problem
	seen := make(map[[2]string]int, len(vs))
	for i := range vs {
		for _, p := range vs[i].Validate() {
			p.Record = i + 1
			ps = append(ps, p)
		}
		if !vs[i].Cell.IsValid() {
			ps = append(ps, Problem{Record: i + 1, Field: "h3", Reason: "the violation was not placed"})
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
