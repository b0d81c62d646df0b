package demo

import (
	"time"
)

// CampaignsPerYear is how many clearance-campaign days (专项整治) a calendar
// year has: the team ran 87 in its reference year.
const CampaignsPerYear = 87

// campaign is one clearance-campaign day: half the team sweeps one or two
// key roads for three hours, by day or by night.
type campaign struct {
	night      bool
	roads      []int
	start, end time.Time
}

// roadsOrNone returns the campaign's roads; none for a nil campaign.
func (c *campaign) roadsOrNone() []int {
	if c == nil {
		return nil
	}
	return c.roads
}

// otherShift is the regular shift the campaign crew still works.
func (c *campaign) otherShift() shift {
	if c.night {
		return shiftAM
	}
	return shiftPM
}

// campaignDays returns the campaign days of a calendar year as day numbers.
// Campaigns come in spells of two to five days, more often in spring
// (inspections), before National Day, in summer and before the Spring
// Festival, and hardly ever during it.
func campaignDays(seed uint64, year int, loc *time.Location) map[uint64]bool {
	r := newRand(seed, streamCampaign, uint64(year))
	first := time.Date(year, time.January, 1, 0, 0, 0, 0, loc)
	n := int(time.Date(year+1, time.January, 1, 0, 0, 0, 0, loc).Sub(first).Hours()/24 + 0.5)
	weights := make([]float64, n)
	for i := range weights {
		weights[i] = campaignWeight(first.AddDate(0, 0, i))
	}
	days := map[uint64]bool{}
	for len(days) < CampaignsPerYear {
		i := pick(r, weights)
		if i < 0 {
			break
		}
		spell := 2 + r.IntN(4)
		for k := 0; k < spell && i+k < n && len(days) < CampaignsPerYear; k++ {
			days[dayNumber(first.AddDate(0, 0, i+k))] = true
			weights[i+k] = 0
		}
	}
	return days
}

func campaignWeight(day time.Time) float64 {
	f, m, d := festivalDay(day), day.Month(), day.Day()
	switch {
	case f >= -5 && f <= 15:
		return 0.05
	case f >= -20 && f < -5:
		return 2
	case (m == time.March && d >= 15) || m == time.April || m == time.May:
		return 1.8
	case m == time.September && d >= 10:
		return 2
	case m >= time.June && m <= time.August:
		return 1.3
	case m == time.December:
		return 0.6
	}
	return 1
}

// campaignOn returns the campaign of day, or nil.
func (w *world) campaignOn(day time.Time) *campaign {
	y := day.Year()
	if w.campaignYears[y] == nil {
		return nil
	}
	if !w.campaignYears[y][dayNumber(day)] {
		return nil
	}
	r := newRand(w.opt.Seed, streamCampaign, dayNumber(day))
	c := &campaign{night: chance(r, 0.3)}
	if summer[day.Month()-1] {
		c.night = chance(r, 0.6)
	}
	from, s := 8.5, shiftAM
	if c.night {
		from, s = 19, shiftNight
	}
	c.start, c.end = day.Add(hoursOf(from)), day.Add(hoursOf(from+3))
	weights := make([]float64, len(w.roads))
	for i, rd := range w.roads {
		weights[i] = rd.prof.patrol[s] + rd.prof.patrol[shiftPM]*0.5 + 0.02
	}
	c.roads = []int{pick(r, weights)}
	weights[c.roads[0]] = 0
	if chance(r, 0.4) {
		if j := pick(r, weights); j >= 0 {
			c.roads = append(c.roads, j)
		}
	}
	return c
}
