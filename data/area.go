package data

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/dazhigu/hotspot/geo"
)

// Area is a named area of the city's management hierarchy (city → district
// → street office (街道) → community (社区) → grid (网格)): analyses, tiles
// and collections can be asked for one, and keys can be scoped to one.
type Area struct {
	ID       string      // kind:name, e.g. street:dazhigu, grid:dzg-0412
	Name     string      // e.g. 大直沽街道
	Parent   string      // the id of the area that holds it; "" for none
	Boundary orb.Polygon // WGS-84, outer ring first; holes are outside
}

// AreaKinds are the kinds of area, the prefix of an area's id.
var AreaKinds = []string{"district", "street", "community", "grid"}

// Limits of an area's boundary.
const (
	MaxAreaVertices = 20000
	MaxAreaKm       = 100.0 // the boundary's bound spans at most this, east-west and north-south
)

var areaID = regexp.MustCompile(`^(district|street|community|grid):[a-z0-9][a-z0-9-]{0,63}$`)

// IsAreaID reports whether s is written as an area's id (kind:name), as
// opposed to the other values an area parameter takes (roads, bbox...).
func IsAreaID(s string) bool { return strings.Contains(s, ":") }

// Kind returns the kind of the area: the part of its id before the colon.
func (a *Area) Kind() string { k, _, _ := strings.Cut(a.ID, ":"); return k }

// Holds reports whether p lies in the area (on its boundary counts).
func (a *Area) Holds(p orb.Point) bool { return geo.OutsideBy(a.Boundary, p) < 0.01 }

// HoldsRoad reports whether road r is one of the area's roads: the middle
// of its centreline lies in the area. Each road of a street office's
// partition belongs to one street office.
func (a *Area) HoldsRoad(r *Road) bool {
	return a.Holds(geo.PointAlong(r.Geometry, geo.Length(r.Geometry)/2))
}

// HoldsArea reports whether every vertex of b's boundary lies in a, to a
// meter (shared edges of a partition are not exact to the centimetre).
func (a *Area) HoldsArea(b *Area) bool {
	for _, ring := range b.Boundary[:min(1, len(b.Boundary))] {
		for _, p := range ring {
			if geo.OutsideBy(a.Boundary, p) > 1 {
				return false
			}
		}
	}
	return true
}

// Validate checks the area on its own; that its parent exists and holds it
// is checked where areas are stored.
func (a *Area) Validate() []Problem {
	var ps []Problem
	add := func(field, reason string) { ps = append(ps, Problem{Field: field, Reason: reason}) }
	if !areaID.MatchString(a.ID) {
		add("id", "must be kind:name, the kind one of "+strings.Join(AreaKinds, ", ")+
			", the name 1-64 lowercase letters, digits or dashes (e.g. street:dazhigu)")
	}
	if strings.TrimSpace(a.Name) == "" || len(a.Name) > 200 {
		add("name", "is required (at most 200 bytes)")
	}
	if a.Parent != "" && (!areaID.MatchString(a.Parent) || a.Parent == a.ID) {
		add("parent", "must be the id of another area, or empty")
	}
	if reason := checkBoundary(a.Boundary); reason != "" {
		add("geometry", reason)
	}
	return ps
}

func checkBoundary(poly orb.Polygon) string {
	if len(poly) == 0 {
		return "must be a Polygon"
	}
	n := 0
	for i, ring := range poly {
		if len(ring) < 4 || ring[0] != ring[len(ring)-1] {
			return fmt.Sprintf("ring %d must be closed and have at least 4 positions", i+1)
		}
		for _, p := range ring {
			if reason := checkPoint(p); reason != "" {
				return reason
			}
		}
		n += len(ring)
	}
	if n > MaxAreaVertices {
		return fmt.Sprintf("has %d vertices, more than %d", n, MaxAreaVertices)
	}
	b := poly.Bound()
	if km := geo.Length(orb.LineString{b.Min, {b.Max[0], b.Min[1]}}) / 1000; km > MaxAreaKm {
		return fmt.Sprintf("spans %.0f km east to west, more than %.0f km", km, MaxAreaKm)
	}
	if km := geo.Length(orb.LineString{b.Min, {b.Min[0], b.Max[1]}}) / 1000; km > MaxAreaKm {
		return fmt.Sprintf("spans %.0f km north to south, more than %.0f km", km, MaxAreaKm)
	}
	if math.Abs(planar.Area(orb.Polygon{poly[0]})) < 1e-12 { // about 0.01 m²
		return "encloses no area"
	}
	return ""
}

// CheckParent refuses an area whose parent is not stored, or does not hold
// it; the stores check it before storing an area.
func CheckParent(ctx context.Context, st interface {
	Area(ctx context.Context, id string) (Area, error)
}, a *Area) error {
	if a.Parent == "" {
		return nil
	}
	parent, err := st.Area(ctx, a.Parent)
	if ErrorCode(err) == ENOTFOUND {
		return &Error{Code: EINVALID, Message: "the area's parent is not stored",
			Problems: []Problem{{Field: "parent", Reason: "names no stored area (GET /api/v1/areas lists them)"}}}
	}
	if err != nil {
		return err
	}
	if !parent.HoldsArea(a) {
		return &Error{Code: EINVALID, Message: "the area does not lie within its parent",
			Problems: []Problem{{Field: "geometry", Reason: "has vertices outside its parent " + parent.ID}}}
	}
	return nil
}

// Roads returns the roads of rs that the area holds (HoldsRoad).
func (a *Area) Roads(rs []Road) []Road {
	var out []Road
	for i := range rs {
		if a.HoldsRoad(&rs[i]) {
			out = append(out, rs[i])
		}
	}
	return out
}

// Fingerprint identifies the area and its boundary's version: an area
// redefined under the same id has another. Caches of what is derived from
// an area (study areas, tiles) key on it.
func (a *Area) Fingerprint() string {
	h := fnv.New64a()
	var buf [8]byte
	for _, ring := range a.Boundary {
		for _, p := range ring {
			for _, v := range p {
				binary.LittleEndian.PutUint64(buf[:], math.Float64bits(v))
				h.Write(buf[:])
			}
		}
		h.Write([]byte{'|'})
	}
	return a.ID + "|" + strconv.FormatUint(h.Sum64(), 16)
}
