package cube

import (
	"slices"
	"time"
)

// Bins are consecutive time bins [Edges[k], Edges[k+1]). A cube hour falls
// in the bin that holds its start.
type Bins struct {
	Edges []time.Time // ascending; n bins have n+1 edges
}

// N returns the number of bins.
func (b Bins) N() int { return max(0, len(b.Edges)-1) }

// Start returns the start of the first bin.
func (b Bins) Start() time.Time { return b.Edges[0] }

// End returns the end of the last bin.
func (b Bins) End() time.Time { return b.Edges[len(b.Edges)-1] }

// Index returns the bin that holds t, or -1.
func (b Bins) Index(t time.Time) int {
	if b.N() == 0 || t.Before(b.Edges[0]) || !t.Before(b.End()) {
		return -1
	}
	k, _ := slices.BinarySearchFunc(b.Edges, t, func(e, t time.Time) int { return e.Compare(t) })
	if k == len(b.Edges) || b.Edges[k].After(t) {
		k--
	}
	return k
}

// WeekStart returns Monday 00:00 in zone of the week that holds t.
func WeekStart(t time.Time, zone *time.Location) time.Time {
	day := DayStart(t, zone)
	return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
}

// DayStart returns 00:00 in zone of the day that holds t.
func DayStart(t time.Time, zone *time.Location) time.Time {
	l := t.In(zone)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, zone)
}

// Weeks returns n whole weeks, Monday 00:00 to Monday 00:00 in zone (a week
// that holds a daylight-saving change is an hour shorter or longer), ending
// at the start of the week that holds end, so every bin is complete.
func Weeks(end time.Time, n int, zone *time.Location) Bins {
	return stepped(WeekStart(end, zone), n, 7)
}

// Days returns n whole days in zone ending at the start of the day that
// holds end.
func Days(end time.Time, n int, zone *time.Location) Bins {
	return stepped(DayStart(end, zone), n, 1)
}

// WeeksWithin returns the whole weeks (Monday 00:00 to Monday 00:00 in
// zone) that lie within [from, to); none when no whole week does.
func WeeksWithin(from, to time.Time, zone *time.Location) Bins {
	first := WeekStart(from, zone)
	if first.Before(from) {
		first = first.AddDate(0, 0, 7)
	}
	n := 0
	for !first.AddDate(0, 0, 7*(n+1)).After(to) {
		n++
	}
	if n == 0 {
		return Bins{Edges: []time.Time{first}}
	}
	return stepped(first.AddDate(0, 0, 7*n), n, 7)
}

// WeeksFrom returns n whole weeks from the Monday 00:00 at or before start.
func WeeksFrom(start time.Time, n int, zone *time.Location) Bins {
	first := WeekStart(start, zone)
	return stepped(first.AddDate(0, 0, 7*n), n, 7)
}

// stepped returns n bins of days calendar days each, ending at last.
func stepped(last time.Time, n, days int) Bins {
	edges := make([]time.Time, n+1)
	for k := range edges {
		edges[k] = last.AddDate(0, 0, -(n-k)*days)
	}
	return Bins{Edges: edges}
}

// hours returns the bins' edges in cube hours: hour h is in bin k when
// hours[k] <= h < hours[k+1].
func (b Bins) hours() []int32 {
	out := make([]int32, len(b.Edges))
	for k, e := range b.Edges {
		s := e.Unix()
		h := s / 3600
		if s%3600 > 0 { // an edge inside an hour: the hour belongs to the bin its start is in
			h++
		}
		out[k] = int32(h)
	}
	return out
}
