package merchant

import (
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data"
)

var t0 = time.Date(2026, 6, 1, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

func rec(id int64, days int, severity, disposition string, correctedAfter time.Duration) data.Violation {
	v := data.Violation{ID: id, MerchantID: "m", ObservedAt: t0.AddDate(0, 0, days), Severity: severity, Disposition: disposition}
	if correctedAfter > 0 {
		v.UpdatedAt = v.ObservedAt.Add(correctedAfter)
	}
	return v
}

func TestAssess(t *testing.T) {
	day := 24 * time.Hour
	cases := []struct {
		name          string
		vs            []data.Violation
		repeat, first bool
		records       []int64 // of the flag raised
	}{
		{"first, minor, corrected the next day", []data.Violation{rec(1, 0, "minor", "corrected", day)}, false, true, []int64{1}},
		{"first, minor, corrected on the spot", []data.Violation{rec(1, 0, "minor", "corrected", 0)}, false, true, []int64{1}},
		{"first, exempted", []data.Violation{rec(1, 0, "minor", "exempted", 0)}, false, true, []int64{1}},
		{"first, corrected after ten days", []data.Violation{rec(1, 0, "minor", "corrected", 10*day)}, false, false, nil},
		{"first, but general", []data.Violation{rec(1, 0, "general", "corrected", day)}, false, false, nil},
		{"first, only warned", []data.Violation{rec(1, 0, "minor", "warned", 0)}, false, false, nil},
		{"ordered, then again", []data.Violation{rec(1, 0, "minor", "ordered", 0), rec(2, 20, "minor", "warned", 0)}, true, false, []int64{1, 2}},
		{"ordered and corrected, then again", []data.Violation{rec(1, 0, "minor", "corrected", 2*day), rec(2, 20, "minor", "warned", 0)}, false, false, nil},
		{"ordered, and another written in the same inspection", []data.Violation{rec(1, 0, "minor", "ordered", 0), rec(2, 0, "minor", "warned", 0)}, false, false, nil},
		{"ordered, and another in the same inspection, then again", []data.Violation{rec(2, 0, "minor", "warned", 0), rec(1, 0, "minor", "ordered", 0),
			rec(3, 5, "minor", "warned", 0)}, true, false, []int64{1, 3}},
		{"ordered, the last", []data.Violation{rec(1, 0, "minor", "warned", 0), rec(2, 20, "minor", "ordered", 0)}, false, false, nil},
		{"serious", []data.Violation{rec(1, 0, "serious", "fined", 0)}, true, false, []int64{1}},
		{"six in the window", []data.Violation{rec(1, 0, "minor", "warned", 0), rec(2, 3, "minor", "warned", 0), rec(3, 6, "minor", "warned", 0),
			rec(4, 9, "minor", "corrected", 0), rec(5, 12, "minor", "warned", 0), rec(6, 15, "minor", "warned", 0)}, true, false, []int64{1, 2, 3, 4, 5, 6}},
		{"five in the window", []data.Violation{rec(1, 0, "minor", "warned", 0), rec(2, 3, "minor", "warned", 0), rec(3, 6, "minor", "warned", 0),
			rec(4, 9, "minor", "corrected", 0), rec(5, 12, "minor", "warned", 0)}, false, false, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := Assess("m", c.vs, Options{})
			if a.Repeat.Set != c.repeat || a.First.Set != c.first {
				t.Fatalf("repeat %v, first %v; want %v, %v (%+v)", a.Repeat.Set, a.First.Set, c.repeat, c.first, a)
			}
			got := a.Repeat.Records
			if c.first {
				got = a.First.Records
			}
			if len(got) != len(c.records) {
				t.Fatalf("records %v, want %v", got, c.records)
			}
			for i := range got {
				if got[i] != c.records[i] {
					t.Fatalf("records %v, want %v", got, c.records)
				}
			}
		})
	}
}

func TestAssessAll(t *testing.T) {
	vs := []data.Violation{rec(1, 0, "minor", "warned", 0), rec(2, 1, "minor", "warned", 0), {ID: 3}}
	vs[1].MerchantID = "n"
	all := AssessAll(vs, Options{})
	if len(all) != 2 || all[0].Merchant != "m" || all[1].Merchant != "n" {
		t.Fatalf("%+v", all)
	}
}
