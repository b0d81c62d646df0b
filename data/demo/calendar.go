package demo

import (
	"math"
	"time"
)

// shanghai returns Asia/Shanghai, or a fixed +08:00 zone (the same offsets:
// China has kept no daylight saving time since 1991) when the system has no
// time zone database.
func shanghai() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}

// dayNumber is the civil day of t in its own zone, counted from 1970-01-01.
// Random streams are keyed by it, so a calendar day draws the same numbers
// whatever period it is generated in.
func dayNumber(t time.Time) uint64 {
	y, m, d := t.Date()
	return uint64(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// midnight returns the start of t's day in loc.
func midnight(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// period returns the midnights of the days generated, oldest first.
func period(end time.Time, days int, loc *time.Location) []time.Time {
	last := midnight(end, loc)
	out := make([]time.Time, days)
	for i := range out {
		out[i] = last.AddDate(0, 0, i-days+1)
	}
	return out
}

// seasonBase is the general level of street activity in the middle of each
// month, January first: quiet in winter, busiest in July and August.
var seasonBase = [12]float64{0.75, 0.8, 0.92, 1.0, 1.1, 1.2, 1.25, 1.25, 1.12, 1.05, 0.92, 0.8}

// seasonal returns the monthly curve interpolated linearly between month
// middles, so levels change smoothly from day to day.
func seasonal(curve *[12]float64, day time.Time) float64 {
	m := int(day.Month()) - 1
	x := float64(day.Day()-1) / float64(daysIn(day)) // 0..1 within the month
	if x < 0.5 {
		prev := (m + 11) % 12
		return curve[prev] + (curve[m]-curve[prev])*(x+0.5)
	}
	next := (m + 1) % 12
	return curve[m] + (curve[next]-curve[m])*(x-0.5)
}

func daysIn(day time.Time) int {
	return time.Date(day.Year(), day.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// springFestival holds Chinese New Year's day for the years the demo is
// likely to cover; other years fall back to February 5th, near the middle of
// the dates it can take.
var springFestival = map[int]string{
	2023: "2023-01-22", 2024: "2024-02-10", 2025: "2025-01-29", 2026: "2026-02-17",
	2027: "2027-02-06", 2028: "2028-01-26", 2029: "2029-02-13", 2030: "2030-02-03",
}

// festivalDay returns how many days day is after Chinese New Year's day of
// the nearest festival (negative: before it).
func festivalDay(day time.Time) int {
	best := math.MaxInt
	for _, y := range []int{day.Year() - 1, day.Year(), day.Year() + 1} {
		d := int(math.Round(day.Sub(newYear(y, day.Location())).Hours() / 24))
		if abs(d) < abs(best) {
			best = d
		}
	}
	return best
}

func newYear(year int, loc *time.Location) time.Time {
	if s, ok := springFestival[year]; ok {
		t, _ := time.ParseInLocation(time.DateOnly, s, loc)
		return t
	}
	return time.Date(year, time.February, 5, 0, 0, 0, 0, loc)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// festival returns the Spring Festival factor for a kind of activity: a rush
// in the two weeks before New Year (shopping for 年货), then a deep dip while
// migrant vendors and workers are home, until the Lantern Festival.
func festival(day time.Time, a *activity) float64 {
	d := festivalDay(day)
	switch {
	case d >= -14 && d <= -6:
		return a.preFestival
	case d >= -5 && d <= 15:
		return a.festival
	}
	return 1
}

// weekend reports whether day is Saturday or Sunday.
func weekend(day time.Time) bool {
	wd := day.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}
