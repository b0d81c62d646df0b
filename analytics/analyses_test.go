package analytics

import (
	"math"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

func TestBinsEnding(t *testing.T) {
	zone := time.FixedZone("CST", 8*3600)
	wed := time.Date(2026, 11, 25, 15, 30, 0, 0, zone)
	b := BinsEnding(wed, true, 4, zone)
	if want := time.Date(2026, 10, 26, 0, 0, 0, 0, zone); !b.Start.Equal(want) || !b.End().Equal(want.AddDate(0, 0, 28)) {
		t.Fatalf("weeks %v..%v, want 4 weeks from %v to the Monday before %v", b.Start, b.End(), want, wed)
	}
	d := BinsEnding(wed, false, 3, zone)
	if want := time.Date(2026, 11, 22, 0, 0, 0, 0, zone); !d.Start.Equal(want) || d.N != 3 || d.Step != 24*time.Hour {
		t.Fatalf("days %+v, want 3 from %v", d, want)
	}
}

// TestRates checks the rate analysis on three cells: two patrolled, one
// with complaints only.
func TestRates(t *testing.T) {
	p := orb.Point{117.225, 39.115}
	c0 := geo.Cell(p, 12)
	disk := c0.GridDisk(2)
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	var ch []data.Change
	add := func(kind data.ChangeKind, cell int, src data.Source, seconds float64) {
		ch = append(ch, data.Change{Seq: int64(len(ch) + 1), Kind: kind, Cell: disk[cell], Hour: at, Category: "dumping", Source: src, Seconds: seconds})
	}
	for range 4 {
		add(data.ChangeViolation, 0, data.SourcePatrol, 0)
	}
	add(data.ChangeDwell, 0, "", 7200)
	cube := NewCube()
	cube.Apply(ch)
	a12 := newArea([]h3.Cell{disk[0], disk[len(disk)-1]}, 12, 1)
	r := Rates(cube, a12, Filter{})
	if r.Patrolled != 1 || r.WithoutPatrol != 1 || len(r.Cells) != 1 || math.Abs(r.Cells[0].Raw-2) > 1e-12 || r.Cells[0].Rate != 2 {
		t.Fatalf("rates %+v", r)
	}
}
