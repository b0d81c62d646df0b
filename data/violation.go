package data

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// Source says where a violation came from. Sources are fixed by the design.
type Source string

// The sources of violations.
const (
	SourcePatrol   Source = "patrol"   // found by an officer on patrol
	SourceHotline  Source = "hotline"  // 12345 citizen hotline work order
	SourceCamera   Source = "camera"   // video analytics
	SourceCampaign Source = "campaign" // special clearance campaign
	SourceCitizen  Source = "citizen"  // citizen report app (Open311)
)

// Sources lists every valid Source.
var Sources = []Source{SourcePatrol, SourceHotline, SourceCamera, SourceCampaign, SourceCitizen}

// Valid reports whether s is one of Sources.
func (s Source) Valid() bool {
	for _, v := range Sources {
		if s == v {
			return true
		}
	}
	return false
}

// Complaint reports whether the source is a complaint by the public, whose
// detection does not follow patrols.
func (s Source) Complaint() bool { return s == SourceHotline || s == SourceCitizen }

// Severities a violation may carry ("" when not assessed).
var Severities = []string{"minor", "general", "serious"}

// Dispositions a violation may carry ("" when still open): "warned" (警告),
// "exempted" (the first-violation exemption of 三不罚, 首违免罚), "ordered"
// (责令改正: an order to correct within a time limit, which a later re-send
// may turn into "corrected" or "fined"), "fined" (罚款) and "corrected"
// (已改正). Dispositions often arrive after the violation: see
// Violation.Updates.
var Dispositions = []string{"warned", "exempted", "ordered", "fined", "corrected"}

// Datums a coordinate may arrive in. Storage is always WGS-84.
var Datums = []string{"wgs84", "gcj02", "bd09"}

// Resolution of the H3 cell stored with every violation and dwell record.
const CellResolution = 12

// Violation is one observed street-order violation. Point is WGS-84.
//
// (Source, SourceID) names the record. A re-send of a stored record updates
// it when its content differs and its UpdatedAt is later (see Updates); the
// store keeps the history of each update (ViolationStore.ViolationHistory).
type Violation struct {
	ID          int64
	Source      Source
	SourceID    string
	Category    string
	ObservedAt  time.Time
	Point       orb.Point // WGS-84 longitude, latitude
	Datum       string    // datum the point arrived in
	Cell        h3.Cell   // resolution CellResolution
	Road        string    // matched road id, "" when none
	Segment     int       // matched segment index, -1 when none
	Along       float64   // meters along the road's centreline
	Offset      float64   // meters from the centreline
	MerchantID  string
	Severity    string
	Disposition string
	Attributes  json.RawMessage // a JSON object, or nil
	// UpdatedAt is the sender's time of the record's latest content (wire
	// field updated_at), zero when the sender gave none. Stores keep it to
	// the microsecond.
	UpdatedAt time.Time
	// UpdatedBy names who sends the record (e.g. the name of the API key it
	// came with), at most MaxIDLength bytes, "" when unknown. It is not part
	// of the record: stores write it only into the history of an update
	// (ViolationUpdate.By), and reads leave it empty.
	UpdatedBy string
}

// Limits on free text, in bytes.
const (
	MaxIDLength    = 128
	MaxAttrsLength = 8 << 10
)

// Validate checks the fields a store relies on. Placement (cell, road) is
// derived, so it is not checked here; see Place.
func (v *Violation) Validate() []Problem {
	var ps []Problem
	add := func(field, reason string) { ps = append(ps, Problem{Field: field, Reason: reason}) }
	if !v.Source.Valid() {
		add("source", "must be one of patrol, hotline, camera, campaign, citizen")
	}
	if reason := CheckID(v.SourceID); reason != "" {
		add("source_id", reason)
	}
	if strings.TrimSpace(v.Category) == "" {
		add("category", "is required")
	}
	if v.ObservedAt.IsZero() {
		add("observed_at", "is required (RFC 3339 with a zone)")
	}
	if reason := checkPoint(v.Point); reason != "" {
		add("lon/lat", reason)
	}
	if !oneOf(v.Datum, Datums) {
		add("crs", "must be one of wgs84, gcj02, bd09")
	}
	if v.MerchantID != "" {
		if reason := CheckID(v.MerchantID); reason != "" {
			add("merchant_id", reason)
		}
	}
	if v.Severity != "" && !oneOf(v.Severity, Severities) {
		add("severity", "must be one of minor, general, serious")
	}
	if v.Disposition != "" && !oneOf(v.Disposition, Dispositions) {
		add("disposition", "must be one of warned, exempted, ordered, fined, corrected")
	}
	if v.UpdatedBy != "" {
		if reason := CheckID(v.UpdatedBy); reason != "" {
			add("updated_by", reason)
		}
	}
	if reason := checkAttributes(v.Attributes); reason != "" {
		add("attributes", reason)
	}
	return ps
}

// CheckID says what is wrong with an identifier (a source id, merchant id,
// officer, key name), or "" when nothing is.
func CheckID(s string) string {
	switch {
	case strings.TrimSpace(s) == "":
		return "is required"
	case len(s) > MaxIDLength:
		return "is longer than 128 bytes"
	case !utf8.ValidString(s):
		return "is not valid UTF-8"
	case strings.ContainsFunc(s, unicode.IsControl):
		return "contains a control character"
	}
	return ""
}

func checkPoint(p orb.Point) string {
	lon, lat := p[0], p[1]
	switch {
	case math.IsNaN(lon) || math.IsNaN(lat) || math.IsInf(lon, 0) || math.IsInf(lat, 0):
		return "must be finite numbers"
	case lon < -180 || lon > 180:
		return "longitude must be within -180..180"
	case lat < -90 || lat > 90:
		return "latitude must be within -90..90"
	}
	return ""
}

func checkAttributes(a json.RawMessage) string {
	if len(a) == 0 {
		return ""
	}
	if len(a) > MaxAttrsLength {
		return "is larger than 8 KiB"
	}
	var m map[string]any
	if err := json.Unmarshal(a, &m); err != nil || m == nil {
		return "must be a JSON object"
	}
	return ""
}

func oneOf(s string, set []string) bool {
	for _, v := range set {
		if s == v {
			return true
		}
	}
	return false
}

// ViolationFilter selects violations. Zero fields do not filter.
type ViolationFilter struct {
	Bound      *orb.Bound // WGS-84
	From, To   time.Time  // observed_at in [From, To)
	Categories []string
	Sources    []Source
	Road       string
	Merchant   string // only this merchant's
	Merchants  bool   // only records with a merchant id
	After      int64  // cursor: return ids greater than this
	Offset     int    // skip this many matches (after After) first
	Newest     bool   // newest first: descending ids, After then means ids below it
	Limit      int    // at most this many; stores cap it at MaxPage
}

// MaxPage is the largest page a store returns.
const MaxPage = 10000

// PageLimit returns the filter's limit within 1..MaxPage, 100 when unset.
func (f ViolationFilter) PageLimit() int { return PageLimit(f.Limit) }

// PageLimit returns n within 1..MaxPage, 100 when n is not positive.
func PageLimit(n int) int {
	switch {
	case n <= 0:
		return 100
	case n > MaxPage:
		return MaxPage
	}
	return n
}

// Outcome is what a store did with one record of a batch. A record whose
// (source, source_id) was stored already has Created false and, when the
// re-send updated the stored record (see Violation.Updates), Updated true;
// with both false the stored record stands as it was.
type Outcome struct {
	ID      int64 `json:"id"`
	Created bool  `json:"created"` // false: the (source, source_id) was stored already
	Updated bool  `json:"updated"` // the stored record was updated to this one
}

// Same reports whether v and w record the same observation: every field a
// client sends, the point to 1e-9 degree and the time to the microsecond
// stores keep. Ids, placement, UpdatedAt and UpdatedBy are not compared: a
// re-send of the same content is a no-op whatever its updated_at.
func (v *Violation) Same(w *Violation) bool {
	return v.Source == w.Source && v.SourceID == w.SourceID && v.Category == w.Category &&
		v.ObservedAt.Truncate(time.Microsecond).Equal(w.ObservedAt.Truncate(time.Microsecond)) &&
		math.Abs(v.Point[0]-w.Point[0]) < 1e-9 && math.Abs(v.Point[1]-w.Point[1]) < 1e-9 &&
		v.Datum == w.Datum && v.MerchantID == w.MerchantID && v.Severity == w.Severity &&
		v.Disposition == w.Disposition && sameJSON(v.Attributes, w.Attributes)
}

func sameJSON(a, b json.RawMessage) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return string(a) == string(b)
	}
	return reflect.DeepEqual(x, y)
}
