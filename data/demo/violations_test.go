package demo

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data"
)

func TestViolationsDeterministic(t *testing.T) {
	roads := seedRoads(t)
	base := Options{Seed: 7, End: yearEnd, Days: 60}
	other := base
	other.Seed = 8
	cases := []struct {
		name string
		a, b Options
		same bool
	}{
		{"same seed", base, base, true},
		{"other seed", base, other, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, b := Violations(roads, c.a), Violations(roads, c.b)
			if len(a) == 0 {
				t.Fatal("no violations")
			}
			if got := reflect.DeepEqual(a, b); got != c.same {
				t.Fatalf("identical=%v, want %v (%d vs %d violations)", got, c.same, len(a), len(b))
			}
		})
	}
}

func TestViolationsValid(t *testing.T) {
	roads, vs := yearViolations(t)
	id := regexp.MustCompile(`^demo-v-\d{8}-\d{4}$`)
	first, last := yearEnd.AddDate(0, 0, -364), yearEnd.AddDate(0, 0, 1)
	seen := map[string]bool{}
	for i := range vs {
		v := &vs[i]
		if ps := v.Validate(); len(ps) > 0 {
			t.Fatalf("violation %s: %v", v.SourceID, ps)
		}
		if !id.MatchString(v.SourceID) || seen[v.SourceID] {
			t.Fatalf("source id %q: malformed or repeated", v.SourceID)
		}
		seen[v.SourceID] = true
		if v.ObservedAt.Before(first) || !v.ObservedAt.Before(last) {
			t.Fatalf("%s observed %v, outside the period", v.SourceID, v.ObservedAt)
		}
		if v.ObservedAt.Location().String() != "Asia/Shanghai" && v.ObservedAt.Location().String() != "CST" {
			t.Fatalf("%s observed in zone %v, want Asia/Shanghai", v.SourceID, v.ObservedAt.Location())
		}
		r := roadByID(roads, v.Road)
		if r == nil || !r.Key || !v.Cell.IsValid() {
			t.Fatalf("%s placed on road %q cell %v, want a key road and a valid cell", v.SourceID, v.Road, v.Cell)
		}
		if v.Offset > r.BufferMeters || v.Segment < 0 {
			t.Fatalf("%s is %.1f m off %s (buffer %.0f m), segment %d", v.SourceID, v.Offset, v.Road, r.BufferMeters, v.Segment)
		}
	}
	for i := 0; i < len(vs); i += BatchSize {
		if err := data.CheckBatch(vs[i:min(i+BatchSize, len(vs))]); err != nil {
			t.Fatalf("batch at %d: %v", i, err)
		}
	}
}

// TestPilotOutsidePeriod checks that a pilot starting after the period has
// no effect at all: the data equal those of roads without pilots.
func TestPilotOutsidePeriod(t *testing.T) {
	roads := seedRoads(t)
	opt := Options{Seed: 3, End: time.Date(2026, 4, 30, 0, 0, 0, 0, shanghai()), Days: 90}
	bare := make([]data.Road, len(roads))
	copy(bare, roads)
	pilots := 0
	for i := range bare {
		pilots += len(bare[i].Pilots)
		bare[i].Pilots = nil
	}
	if pilots == 0 {
		t.Fatal("the seed roads carry no pilot")
	}
	if !reflect.DeepEqual(Violations(roads, opt), Violations(bare, opt)) {
		t.Fatal("a pilot after the period changed the data")
	}
}

// TestUnknownRoad checks that a key road the demo has no profile for still
// gets shop fronts and background, with merchant ids from its id.
func TestUnknownRoad(t *testing.T) {
	r := *roadByID(seedRoads(t), "zhigu-jie")
	r.ID, r.Pilots = "xin-kai-lu", nil
	vs := Violations([]data.Road{r}, Options{Seed: 1, End: yearEnd, Days: 30})
	merchants := 0
	for _, v := range vs {
		if v.Road != r.ID {
			t.Fatalf("%s placed on %q, want %q", v.SourceID, v.Road, r.ID)
		}
		if strings.HasPrefix(v.MerchantID, "M-XKL-") {
			merchants++
		}
	}
	if len(vs) < 100 || merchants == 0 {
		t.Fatalf("%d violations, %d with a merchant M-XKL-..; want a month's worth with merchants", len(vs), merchants)
	}
}
