package data

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/geo"
)

// Road is a street the team patrols. Geometry is its WGS-84 centreline.
type Road struct {
	ID           string // URL-safe slug, e.g. "jintang-lu"
	Name         string // Chinese name, e.g. 津塘路
	Pinyin       string // e.g. Jintang Lu
	Geometry     orb.LineString
	BufferMeters float64 // half-width of the corridor that counts as on the road
	Key          bool    // one of the street office's key roads
	Approximate  bool    // geometry is not surveyed; replace with a survey
	Attribution  string  // where the geometry came from, licence
	Pilots       []Pilot
	Segments     []Segment // derived from Geometry by Road.Cut
}

// Pilot is an intervention on a road over a period, e.g. line-marking.
type Pilot struct {
	Kind  string    `json:"kind"`         // e.g. "line-marking" (划线治理)
	Start time.Time `json:"start"`        // first day in force
	End   time.Time `json:"end,omitzero"` // zero (and omitted) while still in force
	Note  string    `json:"note,omitempty"`
}

// Segment is a fixed-length stretch of a road with its H3 cover.
type Segment struct {
	Index      int            // 0-based from the road's start
	Line       orb.LineString // WGS-84
	FromMeters float64        // distance along the road where it starts
	ToMeters   float64
	Cells11    []h3.Cell // cover at resolution 11
	Cells12    []h3.Cell // cover at resolution 12
}

var roadID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// Bounds of a road's length: a centreline shorter than a segment's buffer
// says nothing, and covering a longer one than a district's street with H3
// cells is work without end (a pole-to-pole line held two cores for ten
// minutes).
const (
	MinRoadMeters = 10.0
	MaxRoadMeters = 20000.0
)

// Validate checks a road's fields. It does not check segments.
func (r *Road) Validate() []Problem {
	var ps []Problem
	add := func(field, reason string) { ps = append(ps, Problem{Field: field, Reason: reason}) }
	if !roadID.MatchString(r.ID) {
		add("id", "must be 1-64 lowercase letters, digits or dashes")
	}
	if strings.TrimSpace(r.Name) == "" || len(r.Name) > 200 {
		add("name", "is required (at most 200 bytes)")
	}
	if len(r.Geometry) < 2 {
		add("geometry", "must be a LineString of at least two points")
	}
	valid := true
	for _, p := range r.Geometry {
		if reason := checkPoint(p); reason != "" {
			add("geometry", reason)
			valid = false
			break
		}
	}
	if n := geo.Length(r.Geometry); valid && len(r.Geometry) >= 2 {
		switch {
		case n < MinRoadMeters:
			add("geometry", fmt.Sprintf("is %.1f m long: a road's centreline is at least %.0f m", n, MinRoadMeters))
		case n > MaxRoadMeters:
			add("geometry", fmt.Sprintf("is %.1f km long: a street office's road is at most %.0f km (cut it into roads)", n/1000, MaxRoadMeters/1000))
		}
	}
	if math.IsNaN(r.BufferMeters) || r.BufferMeters <= 0 || r.BufferMeters > 200 {
		add("buffer_m", "must be within (0, 200] meters")
	}
	for _, p := range r.Pilots {
		if strings.TrimSpace(p.Kind) == "" || p.Start.IsZero() {
			add("pilots", "each pilot needs a kind and a start")
			break
		}
		if !p.End.IsZero() && p.End.Before(p.Start) {
			add("pilots", "a pilot cannot end before it starts")
			break
		}
	}
	return ps
}

// Category is one entry of the violation taxonomy.
type Category struct {
	Code      string   `json:"code"`    // e.g. "street-vending"
	NameZh    string   `json:"name_zh"` // e.g. 占道经营
	NameEn    string   `json:"name_en"`
	Aliases   []string `json:"aliases,omitempty"`  // other names met in the field, e.g. 无照经营游商
	National  string   `json:"national,omitempty"` // GB/T 30428.2 event class, "大类/小类"
	ShopFront bool     `json:"shop_front"`         // shop-front category: a line-marking candidate
}

// Validate checks a category's fields.
func (c *Category) Validate() []Problem {
	var ps []Problem
	if !roadID.MatchString(c.Code) {
		ps = append(ps, Problem{Field: "code", Reason: "must be 1-64 lowercase letters, digits or dashes"})
	}
	if strings.TrimSpace(c.NameZh) == "" || strings.TrimSpace(c.NameEn) == "" {
		ps = append(ps, Problem{Field: "name", Reason: "Chinese and English names are required"})
	}
	return ps
}
