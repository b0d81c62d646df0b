package demo

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data"
)

// share returns the share of violations matching of among those matching in.
func share(vs []data.Violation, in, of func(*data.Violation) bool) float64 {
	n, m := 0, 0
	for i := range vs {
		if in(&vs[i]) {
			n++
			if of(&vs[i]) {
				m++
			}
		}
	}
	if n == 0 {
		return 0
	}
	return float64(m) / float64(n)
}

func count(vs []data.Violation, in func(*data.Violation) bool) float64 {
	return share(vs, func(*data.Violation) bool { return true }, in) * float64(len(vs))
}

func on(road, category string) func(*data.Violation) bool {
	return func(v *data.Violation) bool { return v.Road == road && v.Category == category }
}

// clock returns the time of day of v in hours.
func clock(v *data.Violation) float64 {
	h, m, _ := v.ObservedAt.Clock()
	return float64(h) + float64(m)/60
}

func vendingPeaks(v *data.Violation) bool {
	c := clock(v)
	return (c >= 6.5 && c < 9) || (c >= 17 && c < 20.5)
}

func night(v *data.Violation) bool { c := clock(v); return c >= 21 || c < 2 }

// shopFront matches outside-shop and vending records of a road's merchants.
func shopFront(code string) func(*data.Violation) bool {
	return func(v *data.Violation) bool {
		return strings.HasPrefix(v.MerchantID, "M-"+code+"-") &&
			(v.Category == catOutsideShop || v.Category == catVending)
	}
}

// pilotChange returns the change in weekly counts of what matches in, from
// the eight weeks before the pilot's start to weeks 5–12 after it (past
// the ramp): -0.5 is a drop by half.
func pilotChange(vs []data.Violation, start time.Time, in func(*data.Violation) bool) float64 {
	before := count(vs, func(v *data.Violation) bool {
		return in(v) && !v.ObservedAt.Before(start.AddDate(0, 0, -56)) && v.ObservedAt.Before(start)
	})
	after := count(vs, func(v *data.Violation) bool {
		return in(v) && !v.ObservedAt.Before(start.AddDate(0, 0, 28)) && v.ObservedAt.Before(start.AddDate(0, 0, 84))
	})
	return after/before - 1
}

// festivalVending matches vending from day from to day to after Chinese New
// Year 2026 (February 17th).
func festivalVending(from, to int) func(*data.Violation) bool {
	ny := time.Date(2026, 2, 17, 0, 0, 0, 0, shanghai())
	return func(v *data.Violation) bool {
		return v.Category == catVending && !v.ObservedAt.Before(ny.AddDate(0, 0, from)) &&
			v.ObservedAt.Before(ny.AddDate(0, 0, to+1))
	}
}

// perDay returns violations per distinct day among those matching in.
func perDay(vs []data.Violation, in func(*data.Violation) bool) float64 {
	days := map[string]bool{}
	n := 0
	for i := range vs {
		if in(&vs[i]) {
			n++
			days[vs[i].ObservedAt.Format(time.DateOnly)] = true
		}
	}
	return float64(n) / float64(max(1, len(days)))
}

func TestPatterns(t *testing.T) {
	roads, vs := yearViolations(t)
	pilotRoad := roadByID(roads, "houtai-xilu")
	if pilotRoad == nil || len(pilotRoad.Pilots) == 0 {
		t.Fatal("后台西路 has no pilot")
	}
	start := pilotRoad.Pilots[0].Start
	isSource := func(s data.Source) func(*data.Violation) bool {
		return func(v *data.Violation) bool { return v.Source == s }
	}
	all := func(*data.Violation) bool { return true }
	month := func(m time.Month) func(*data.Violation) bool {
		return func(v *data.Violation) bool { return v.ObservedAt.Month() == m }
	}
	cases := []struct {
		name     string
		got      float64
		min, max float64
	}{
		{"violations a year", float64(len(vs)), 25000, 40000},
		{"hotline share", share(vs, all, isSource(data.SourceHotline)), 0.10, 0.15},
		{"patrol share", share(vs, all, isSource(data.SourcePatrol)), 0.5, 0.85},
		{"fined a year", count(vs, func(v *data.Violation) bool { return v.Disposition == "fined" }), 50, 200},
		{"exempted a year", count(vs, func(v *data.Violation) bool { return v.Disposition == "exempted" }), 100, 5000},
		{"后台西路 vending in peak hours", share(vs, on("houtai-xilu", catVending), vendingPeaks), 0.6, 1},
		{"大直沽中路 vending in peak hours", share(vs, on("dazhigu-zhonglu", catVending), vendingPeaks), 0.6, 1},
		{"宫前街 dumping 21:00–02:00", share(vs, on("gongqian-jie", catDumping), night), 0.5, 1},
		{"津塘路 vending after 17:00", share(vs, on("jintang-lu", catVending), func(v *data.Violation) bool { return clock(v) >= 17 }), 0.5, 1},
		{"barbecue outside May–Sep", share(vs, func(v *data.Violation) bool { return v.Category == catBarbecue }, func(v *data.Violation) bool {
			return v.ObservedAt.Month() < time.May || v.ObservedAt.Month() > time.September
		}), 0, 0.005}, // a September 30th night may run past midnight
		{"barbecue a year", count(vs, func(v *data.Violation) bool { return v.Category == catBarbecue }), 300, 2000},
		{"illegal construction a year", count(vs, func(v *data.Violation) bool { return v.Category == catConstruction }), 2, 30},
		{"cameras off 津塘路 and 大直沽中路", share(vs, isSource(data.SourceCamera), func(v *data.Violation) bool {
			return v.Road != "jintang-lu" && v.Road != "dazhigu-zhonglu"
		}), 0, 0.02},
		{"patrol finds at midday (11:30–16:00)", share(vs, isSource(data.SourcePatrol), func(v *data.Violation) bool {
			return clock(v) >= 11.5 && clock(v) < 16
		}), 0, 0.03},
		{"hotline at midday (11:30–16:00)", share(vs, isSource(data.SourceHotline), func(v *data.Violation) bool {
			return clock(v) >= 11.5 && clock(v) < 16
		}), 0.1, 1},
		{"July over January", count(vs, month(time.July)) / count(vs, month(time.January)), 1.2, 3},
		{"weekend share of vending", share(vs, func(v *data.Violation) bool { return v.Category == catVending }, func(v *data.Violation) bool {
			return weekend(v.ObservedAt)
		}), 2.0/7 + 0.04, 0.6},
		{"pilot road shop fronts, change", pilotChange(vs, start, shopFront("HTXL")), -0.8, -0.4},
		{"control road shop fronts, change", pilotChange(vs, start, shopFront("DZGZL")), -0.1, 0.5},
		{"pilot against control (difference in differences)",
			(1 + pilotChange(vs, start, shopFront("HTXL"))) / (1 + pilotChange(vs, start, shopFront("DZGZL"))), 0.3, 0.6},
		{"vending over the Spring Festival against the month before", perDay(vs, festivalVending(-5, 15)) / perDay(vs, festivalVending(-40, -20)), 0, 0.6},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Logf("%.3f", c.got)
			if c.got < c.min || c.got > c.max {
				t.Fatalf("got %.3f, want %.3f..%.3f", c.got, c.min, c.max)
			}
		})
	}
}

// TestMerchantsRecur checks that shop fronts recur under one merchant id and
// that fines go to merchants who repeat.
func TestMerchantsRecur(t *testing.T) {
	_, vs := yearViolations(t)
	records, firstFine := map[string]int{}, map[string]int{}
	for i := range vs {
		m := vs[i].MerchantID
		if m == "" {
			continue
		}
		records[m]++
		if vs[i].Disposition == "fined" && vs[i].Category != catDumping && firstFine[m] == 0 {
			firstFine[m] = records[m]
		}
	}
	cases := []struct {
		name     string
		got, min int
	}{
		{"merchants", len(records), 25},
		{"records of 后台西路's first shop", records["M-HTXL-01"], 100},
		{"merchants fined", len(firstFine), 10},
	}
	for _, c := range cases {
		if c.got < c.min {
			t.Errorf("%s: got %d, want at least %d", c.name, c.got, c.min)
		}
	}
	for m, n := range firstFine {
		if n <= fineAfter {
			t.Errorf("%s fined at its record %d, want only after %d repeats", m, n, fineAfter)
		}
	}
}

// TestCampaignDays checks the number of campaign days and that campaign
// records come in bursts on them.
func TestCampaignDays(t *testing.T) {
	roads, vs := yearViolations(t)
	w := newWorld(roads, yearOptions)
	if got := w.campaignDays(); got < 70 || got > 105 {
		t.Fatalf("campaign days: got %d, want about %d", got, CampaignsPerYear)
	}
	days := map[string]int{}
	for i := range vs {
		if vs[i].Source == data.SourceCampaign {
			days[vs[i].ObservedAt.Format(time.DateOnly)]++
		}
	}
	if got, want := len(days), w.campaignDays(); got > want {
		t.Fatalf("campaign records on %d days, want at most the %d campaign days", got, want)
	}
	if per := float64(count(vs, func(v *data.Violation) bool { return v.Source == data.SourceCampaign })) / float64(len(days)); per < 10 {
		t.Fatalf("%.1f campaign records per campaign day, want a burst of 10 or more", per)
	}
}

// TestHotlineVague checks that hotline complaints are placed less precisely
// than patrol records: their spread along the road around one shop front is
// several times larger.
func TestHotlineVague(t *testing.T) {
	_, vs := yearViolations(t)
	spread := func(src data.Source) float64 {
		var xs []float64
		for i := range vs {
			if vs[i].Source == src && vs[i].Road == "houtai-xilu" && strings.Contains(string(vs[i].Attributes), `"HTXL-shop-01"`) {
				xs = append(xs, vs[i].Along)
			}
		}
		var mean, dev float64
		for _, x := range xs {
			mean += x / float64(len(xs))
		}
		for _, x := range xs {
			dev += math.Abs(x-mean) / float64(len(xs))
		}
		return dev
	}
	patrol, hotline := spread(data.SourcePatrol), spread(data.SourceHotline)
	if patrol <= 0 || patrol > 6 || hotline < 15 || hotline > 40 {
		t.Fatalf("mean distance from the shop front along the road: patrol %.1f m, hotline %.1f m; want about 3 m and 20 m", patrol, hotline)
	}
}
