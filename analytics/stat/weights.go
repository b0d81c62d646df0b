package stat

// Weights are binary spatial weights over n cells: Neighbours[i] lists the
// indexes j with w_ij = 1, in increasing order. For Gi* a cell is its own
// neighbour (i is in Neighbours[i]).
type Weights struct {
	Neighbours [][]int32
}

// N returns the number of cells.
func (w Weights) N() int { return len(w.Neighbours) }
