package ogc

import (
	"testing"
	"time"
)

// TestParseInterval: the API's half-open ranges and OGC's inclusive ends
// come from one reading of the same text.
func TestParseInterval(t *testing.T) {
	t0 := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	t1 := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	us := time.Microsecond
	for _, tc := range []struct {
		v         string
		inclusive bool
		from, to  time.Time
		bad       string
	}{
		{v: "2026-05-01T00:00:00Z", from: t0, to: t0.Add(us)},
		{v: "2026-05-01T00:00:00Z", inclusive: true, from: t0, to: t0.Add(us)},
		{v: "2026-05-01T00:00:00Z/2026-06-01T00:00:00Z", from: t0, to: t1},
		{v: "2026-05-01T00:00:00Z/2026-06-01T00:00:00Z", inclusive: true, from: t0, to: t1.Add(us)},
		{v: "../2026-06-01T00:00:00Z", to: t1},
		{v: "2026-05-01T00:00:00Z/", from: t0},
		{v: "2026-05-01T00:00:00Z/2026-05-01T00:00:00Z", inclusive: true, from: t0, to: t0.Add(us)},
		{v: "2026-06-01T00:00:00Z/2026-05-01T00:00:00Z", bad: "ends before it starts"},
		{v: "2026-06-01T00:00:00Z/2026-05-01T00:00:00Z", inclusive: true, bad: "ends before it starts"},
		{v: "2026-05-01", bad: "must be an RFC 3339 time"},
		{v: "..", bad: "must be an RFC 3339 time"},
		{v: "2026-05-01T00:00:00/..", bad: "must be an RFC 3339 time"},
	} {
		from, to, reason := ParseInterval(tc.v, tc.inclusive)
		if tc.bad != "" {
			if len(reason) < len(tc.bad) || reason[:len(tc.bad)] != tc.bad {
				t.Errorf("ParseInterval(%q, %v) = %v %v %q, want refused: %s", tc.v, tc.inclusive, from, to, reason, tc.bad)
			}
			continue
		}
		if reason != "" || !from.Equal(tc.from) || !to.Equal(tc.to) {
			t.Errorf("ParseInterval(%q, %v) = %v, %v %q; want %v, %v", tc.v, tc.inclusive, from, to, reason, tc.from, tc.to)
		}
	}
}

// TestParseBBox: four numbers everywhere, six (with heights) only where
// OGC allows them, and nothing outside the globe or inverted.
func TestParseBBox(t *testing.T) {
	for _, tc := range []struct {
		v       string
		heights bool
		ok      bool
	}{
		{"117.2,39.1,117.3,39.2", false, true},
		{"117.2,39.1,0,117.3,39.2,10", true, true},
		{"117.2,39.1,0,117.3,39.2,10", false, false},
		{"117.3,39.1,117.2,39.2", false, false},
		{"117.2,39.1,181,39.2", false, false},
		{"117.2,NaN,117.3,39.2", false, false},
		{"117.2,39.1,117.3", true, false},
	} {
		b, reason := ParseBBox(tc.v, tc.heights)
		if (b != nil && reason == "") != tc.ok {
			t.Errorf("ParseBBox(%q, %v) = %v %q, want ok=%v", tc.v, tc.heights, b, reason, tc.ok)
		}
	}
	if b, reason := ParseBBox("", false); b != nil || reason != "" {
		t.Errorf("an empty bbox = %v %q, want none", b, reason)
	}
}
