package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// CellShape is an H3 cell's boundary prepared for quick point-in-cell tests:
// a point inside the boundary, and further than a safety margin (1 % of the
// cell's inscribed radius) from each of its edges, is in the cell. This is
// checked with a few multiplications in the cell's local projection instead
// of a call into the H3 library. The shape of a cell near a pole, or too
// large for its latitude (see maxBend), holds nothing.
type CellShape struct {
	cell     h3.Cell
	lon, lat float64 // centre, degrees
	kx, ky   float64 // meters per degree at the centre
	r2       float64 // squared circumradius, meters²: a quick reject
	n        int     // edges; 0 holds nothing

	edges [h3.MaxCellBndryVerts]halfPlane
}

// halfPlane is the inside of one cell edge: points p with
// (p - origin) · normal >= margin.
type halfPlane struct {
	x, y   float64 // a point of the edge, meters from the centre
	nx, ny float64 // unit normal pointing into the cell
	margin float64 // meters
}

// Cell returns the cell.
func (e *CellShape) Cell() h3.Cell { return e.cell }

// Holds reports whether the WGS-84 point p surely lies in the cell: inside
// it and clear of its edges by the margin. False means p is outside or too
// near an edge to tell without H3. The zero CellShape holds nothing.
func (e *CellShape) Holds(p orb.Point) bool {
	if e.n == 0 {
		return false
	}
	x, y := wrapLon(p[0]-e.lon)*e.kx, (p[1]-e.lat)*e.ky
	if x*x+y*y > e.r2 {
		return false
	}
	for _, h := range e.edges[:e.n] {
		if (x-h.x)*h.nx+(y-h.y)*h.ny < h.margin {
			return false
		}
	}
	return true
}

// NewCellShape prepares the boundary of cell c.
func NewCellShape(c h3.Cell) CellShape {
	ll := h3.CellToLatLng(c)
	pr := newLocal(orb.Point{ll.Lng, ll.Lat})
	b := h3.CellToBoundary(c)
	e := CellShape{cell: c, lon: ll.Lng, lat: ll.Lat, kx: pr.kx, ky: pr.ky}
	if math.Abs(ll.Lat) > polarLat { // the local projection degenerates: leave it to H3
		return e
	}
	vs := make([]xy, 0, len(b))
	for _, v := range b {
		q := pr.xy(orb.Point{ll.Lng + wrapLon(v.Lng-ll.Lng), v.Lat}) // a cell across ±180° stays whole
		vs = append(vs, q)
		e.r2 = math.Max(e.r2, dist2(xy{}, q))
	}
	if math.Sqrt(e.r2)*(1+math.Abs(math.Tan(ll.Lat*math.Pi/180))) > maxBend*orb.EarthRadius {
		return CellShape{cell: c} // too large for the local projection: leave it to H3
	}
	apothem := math.Inf(1)
	for i := range vs {
		apothem = math.Min(apothem, segDist2(xy{}, vs[i], vs[(i+1)%len(vs)]))
	}
	margin := 0.01 * math.Sqrt(apothem)
	for i := range vs {
		v, w := vs[i], vs[(i+1)%len(vs)]
		dx, dy := w.X-v.X, w.Y-v.Y
		l := math.Hypot(dx, dy)
		if l == 0 {
			continue
		}
		nx, ny := -dy/l, dx/l   // left normal
		if -v.X*nx-v.Y*ny < 0 { // make it point towards the centre
			nx, ny = -nx, -ny
		}
		e.edges[e.n] = halfPlane{v.X, v.Y, nx, ny, margin}
		e.n++
	}
	return e
}

// maxBend bounds a cell's circumradius R, in meters, at latitude φ: cells
// with R·(1+|tan φ|) above maxBend·EarthRadius hold nothing. The local
// projection bends a cell's edges by about R²·|tan φ|/EarthRadius, which the
// margin must cover many times over: random points over the globe find
// wrong answers from 0.1 up (cells of resolution 4 and coarser), none
// below. At Dazhigu's latitude this leaves resolutions 6 to 15 to shapes.
const maxBend = 0.002

// polarLat is the latitude, in degrees, beyond which cell shapes hold
// nothing and points are looked up in H3.
const polarLat = 88.0

// wrapLon maps a longitude difference in degrees into [−180, 180).
func wrapLon(d float64) float64 {
	return d - 360*math.Floor((d+180)/360)
}
