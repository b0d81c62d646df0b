package geo

import (
	"context"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// Cell returns the H3 cell at resolution res (0..15) that holds the WGS-84
// point p. For a resolution outside 0..15 or a non-finite point it returns
// the zero Cell, which is not valid.
func Cell(p orb.Point, res int) h3.Cell {
	return h3.LatLngToCell(h3.NewLatLng(p[1], p[0]), res)
}

// Cover returns, for each stretch, the H3 cells at resolution res (0..15)
// that the corridor of half-width bufferMeters around the stretches touches:
// cells with any point within bufferMeters of a stretch's line (so the
// corridor has round ends, like a GIS buffer). Each cell is assigned to
// exactly one stretch, the one whose line is nearest the cell's centre (the
// first of equals). Cells are sorted ascending within each stretch. The
// result has one entry per stretch; all are empty for an invalid resolution.
//
// Distances are measured in a local equirectangular projection around each
// cell, which is exact to well under a meter at street scale.
//
// The work grows with the corridor's area; Cover asks ctx every
// coverCheck cells and returns its error once it is done.
func Cover(ctx context.Context, stretches []Stretch, bufferMeters float64, res int) ([][]h3.Cell, error) {
	out := make([][]h3.Cell, len(stretches))
	if res < 0 || res > h3.MaxResolution || len(stretches) == 0 {
		return out, nil
	}
	if !(bufferMeters > 0) { // negative or NaN: the bare lines
		bufferMeters = 0
	}
	edge := h3.HexagonEdgeLengthAvgM(res)
	// Bounds of each stretch padded by the buffer and two cell diameters, so
	// that any cell whose centre could be nearest a stretch, or that could
	// touch its corridor, has its centre inside.
	pads := make([]orb.Bound, len(stretches))
	for i, s := range stretches {
		pads[i] = padBound(s.Line.Bound(), bufferMeters+4*edge)
	}

	// Flood fill from the cells the lines pass through: the cells touching a
	// connected corridor form a connected set of neighbours.
	seen := make(map[h3.Cell]bool)
	var queue []h3.Cell
	push := func(c h3.Cell) {
		if c != 0 && !seen[c] {
			seen[c] = true
			queue = append(queue, c)
		}
	}
	step := edge / 2
	for _, s := range stretches {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for i := 1; i < len(s.Line); i++ {
			a, b := s.Line[i-1], s.Line[i]
			n := int(math.Ceil(Length(orb.LineString{a, b}) / step))
			for k := 0; k <= n; k++ {
				push(Cell(pointAt(a, b, float64(k)/float64(max(n, 1))), res))
			}
		}
	}
	var near []int
	for done := 0; len(queue) > 0; done++ {
		if done%coverCheck == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		c := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		ll := h3.CellToLatLng(c)
		centre := orb.Point{ll.Lng, ll.Lat}
		near = near[:0]
		for i := range pads {
			if pads[i].Contains(centre) {
				near = append(near, i)
			}
		}
		if len(near) == 0 {
			continue
		}
		pr := newLocal(centre)
		boundary := h3.CellToBoundary(c)
		ring := make([]xy, len(boundary))
		for i, v := range boundary {
			ring[i] = pr.xy(orb.Point{v.Lng, v.Lat})
		}
		touches, nearest, nearestD := false, -1, math.Inf(1)
		for _, i := range near {
			line := make([]xy, len(stretches[i].Line))
			for k, p := range stretches[i].Line {
				line[k] = pr.xy(p)
			}
			if d := lineDist2(xy{}, line); d < nearestD {
				nearest, nearestD = i, d
			}
			if !touches && ringLineDist2(ring, line) <= bufferMeters*bufferMeters {
				touches = true
			}
		}
		if !touches {
			continue
		}
		out[nearest] = append(out[nearest], c)
		for _, nb := range h3.GridDisk(c, 1) {
			push(nb)
		}
	}
	for i := range out {
		slices.Sort(out[i])
	}
	return out, nil
}

// coverCheck is how many cells Cover visits between asks of its context:
// a few milliseconds of work.
const coverCheck = 1024

// lineDist2 returns the squared distance from p to a projected line.
func lineDist2(p xy, line []xy) float64 {
	if len(line) == 1 {
		return dist2(p, line[0])
	}
	best := math.Inf(1)
	for k := 1; k < len(line); k++ {
		best = math.Min(best, segDist2(p, line[k-1], line[k]))
	}
	return best
}

// ringLineDist2 returns the squared distance between the polygon bounded by
// ring and a projected line: 0 when they meet.
func ringLineDist2(ring, line []xy) float64 {
	for _, p := range line {
		if inPolygon(p, ring) {
			return 0
		}
	}
	best := math.Inf(1)
	for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
		if len(line) == 1 {
			best = math.Min(best, segDist2(line[0], ring[j], ring[i]))
			continue
		}
		for k := 1; k < len(line); k++ {
			best = math.Min(best, segSegDist2(ring[j], ring[i], line[k-1], line[k]))
			if best == 0 {
				return 0
			}
		}
	}
	return best
}

// padBound grows a WGS-84 bound by meters on every side.
func padBound(b orb.Bound, meters float64) orb.Bound {
	dLat := meters / (orb.EarthRadius * math.Pi / 180)
	cosLat := math.Cos(math.Max(math.Abs(b.Min[1]), math.Abs(b.Max[1])) * math.Pi / 180)
	dLon := dLat / math.Max(cosLat, 1e-6)
	return orb.Bound{
		Min: orb.Point{b.Min[0] - dLon, b.Min[1] - dLat},
		Max: orb.Point{b.Max[0] + dLon, b.Max[1] + dLat},
	}
}

// Parent returns the parent of cell c at resolution res (0 ≤ res ≤ c's
// resolution), as H3's cellToParent does, by setting the index's resolution
// and marking the digits below it unused (H3 index mode 1: a 4-bit
// resolution at bits 52–55 and a 3-bit digit per resolution 1–15 from bit
// 42 down). It costs no call into the H3 library; an invalid c or res gives
// the zero Cell.
func Parent(c h3.Cell, res int) h3.Cell {
	r := int(uint64(c) >> 52 & 0xf)
	if c == 0 || res < 0 || res > r {
		return 0
	}
	v := uint64(c)&^(0xf<<52) | uint64(res)<<52
	for d := res + 1; d <= r; d++ {
		v |= 7 << ((15 - d) * 3)
	}
	return h3.Cell(v)
}

// IsCellAt reports, from the index's bits alone, whether c is an H3 cell
// index (mode 1, no reserved bits) at resolution res; it costs no call into
// the H3 library. It does not check the base cell or digits as
// h3.Cell.IsValid does: it is for indexes that H3 wrote (in the store),
// to reject the zero cell and other resolutions cheaply.
func IsCellAt(c h3.Cell, res int) bool {
	v := uint64(c)
	return v>>63 == 0 && v>>59&0xf == 1 && v>>56&0x7 == 0 && int(v>>52&0xf) == res
}
