package data_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

func hotlineOrder() data.Violation {
	p := orb.Point{117.2301, 39.1133}
	return data.Violation{Source: data.SourceHotline, SourceID: "wo-1", Category: "dumping",
		ObservedAt: time.Date(2026, 5, 12, 22, 10, 0, 0, time.FixedZone("CST", 8*3600)),
		Point:      p, Datum: "wgs84", Cell: geo.Cell(p, data.CellResolution), Segment: -1,
		Disposition: "ordered"}
}

func TestUpdates(t *testing.T) {
	at := time.Date(2026, 5, 15, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		name           string
		stored, resent time.Time // UpdatedAt
		change         bool      // the re-send's content differs
		want           bool
	}{
		{"later, changed", at, at.Add(time.Second), true, true},
		{"later by a microsecond", at, at.Add(time.Microsecond), true, true},
		{"later by less than a microsecond", at, at.Add(999 * time.Nanosecond), true, false},
		{"equal", at, at, true, false},
		{"earlier", at, at.Add(-time.Hour), true, false},
		{"stored without, re-sent with", time.Time{}, at, true, true},
		{"stored with, re-sent without", at, time.Time{}, true, false},
		{"neither has one", time.Time{}, time.Time{}, true, false},
		{"later, same content", at, at.Add(time.Hour), false, false},
		{"stored without, same content", time.Time{}, at, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stored, resent := hotlineOrder(), hotlineOrder()
			stored.UpdatedAt, resent.UpdatedAt = c.stored, c.resent
			if c.change {
				resent.Disposition = "corrected"
			}
			if got := resent.Updates(&stored); got != c.want {
				t.Fatalf("Updates = %v, want %v", got, c.want)
			}
		})
	}
}

func TestDiff(t *testing.T) {
	old := hotlineOrder()
	old.Attributes = json.RawMessage(`{"a": 1,  "b": [true]}`)
	same := old
	same.Attributes = json.RawMessage(`{"b":[true],"a":1}`)
	same.ObservedAt = old.ObservedAt.UTC().Add(500 * time.Nanosecond) // stores keep microseconds
	same.UpdatedBy = "someone"
	if d := data.Diff(&old, &same); len(d) != 0 {
		t.Fatalf("Diff of the same content = %v, want nothing", d)
	}

	moved := old
	moved.Category = "street-vending"
	moved.ObservedAt = old.ObservedAt.Add(90 * time.Minute)
	moved.Point = orb.Point{117.2262, 39.1158}
	moved.Cell = geo.Cell(moved.Point, data.CellResolution)
	moved.Road, moved.Segment, moved.Along = "jintang-lu", 3, 312.5
	moved.Attributes = nil
	moved.UpdatedAt = time.Date(2026, 5, 15, 9, 0, 0, 0, time.UTC)
	got, err := json.Marshal(data.Diff(&old, &moved))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"along_m":[0,312.5],"attributes":[{"a":1,"b":[true]},null],"category":["dumping","street-vending"],` +
		`"h3":["` + old.Cell.String() + `","` + moved.Cell.String() + `"],"lat":[39.1133,39.1158],"lon":[117.2301,117.2262],` +
		`"observed_at":["2026-05-12T14:10:00Z","2026-05-12T15:40:00Z"],"road":["","jintang-lu"],"segment":[-1,3],` +
		`"updated_at":[null,"2026-05-15T09:00:00Z"]}`
	if string(got) != want {
		t.Fatalf("Diff =\n%s\nwant\n%s", got, want)
	}

	var back map[string]data.FieldChange
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	if c := back["segment"]; string(c.Old) != "-1" || string(c.New) != "3" || len(back) != 10 {
		t.Fatalf("decoded %v", back)
	}
	var bad data.FieldChange
	if err := json.Unmarshal([]byte(`["only one"]`), &bad); err == nil {
		t.Fatal("a change of one value decoded")
	}
}

func TestCounted(t *testing.T) {
	v := hotlineOrder()
	c := v.Counted()
	if !c.Hour.Equal(time.Date(2026, 5, 12, 14, 0, 0, 0, time.UTC)) || c.Hour.Location() != time.UTC || c.Cell != v.Cell ||
		c.Category != "dumping" || c.Source != data.SourceHotline || c.Point != v.Point {
		t.Fatalf("Counted = %+v", c)
	}
	d := c
	d.Hour = c.Hour.In(time.FixedZone("CST", 8*3600))
	if !c.Equal(d) {
		t.Error("the same hour in another zone is not Equal")
	}
	d.Category = "street-vending"
	if c.Equal(d) {
		t.Error("another category is Equal")
	}
	ch := data.Change{Kind: data.ChangeUpdate, Cell: c.Cell, Point: c.Point, Hour: c.Hour, Category: c.Category, Source: c.Source, Old: d}
	if !ch.Counted().Equal(c) {
		t.Errorf("Change.Counted = %+v, want %+v", ch.Counted(), c)
	}
}

func TestValidateUpdatedBy(t *testing.T) {
	v := hotlineOrder()
	v.UpdatedBy = "ingest-key"
	if ps := v.Validate(); len(ps) != 0 {
		t.Fatalf("Validate = %v", ps)
	}
	v.UpdatedBy = "bad\nname"
	if ps := v.Validate(); len(ps) != 1 || ps[0].Field != "updated_by" {
		t.Fatalf("Validate = %v, want one problem on updated_by", ps)
	}
}

// A hotline order closed days later: the re-send carries a later updated_at
// and a new disposition, so it updates the stored record.
func ExampleViolation_Updates() {
	stored := hotlineOrder()
	resent := stored
	resent.Disposition = "fined"
	resent.UpdatedAt = time.Date(2026, 5, 15, 9, 0, 0, 0, time.UTC)
	fmt.Println(resent.Updates(&stored))
	b, _ := json.Marshal(data.Diff(&stored, &resent))
	fmt.Println(string(b))
	// Output:
	// true
	// {"disposition":["ordered","fined"],"updated_at":[null,"2026-05-15T09:00:00Z"]}
}
