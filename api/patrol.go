package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/analytics"
	"github.com/dazhigu/hotspot/analytics/patrol"
	"github.com/dazhigu/hotspot/geo"
)

// Defaults of a patrol plan's query.
const (
	defaultShifts   = "07:00-11:00,16:00-20:00"
	defaultOfficers = 2
	budgetShift     = "08:00-20:00" // the working day of a plan given only budget_minutes
)

var patrolParams = []string{"date", "shifts", "officers", "budget_minutes", "visit_minutes", "roads", "seed", "format",
	"p", "max_per_day", "key_road_min"}

// readPatrol reads a patrol plan's query.
func (s *server) readPatrol(c echo.Context, formats ...string) (analytics.PatrolQuery, string, string, *query) {
	a, crs, q := s.readAnalysis(c, patrolParams...)
	zone := s.Engine.Zone()
	pq := analytics.PatrolQuery{Query: a, Roads: q.list("roads")}
	pq.Day = q.date("date", zone)
	if pq.Day.IsZero() {
		pq.Day = time.Now().In(zone).AddDate(0, 0, 1) // tomorrow's plan, handed out in the morning
	}
	if c.QueryParam("datetime") != "" {
		q.fail("datetime", "is not a parameter of this path; the plan is for date=YYYY-MM-DD")
	}
	pq.VisitMinutes = float64(q.integer("visit_minutes", patrol.DefaultVisitMinutes, 10, 15))
	pq.Seed = uint64(q.integer("seed", 0, 0, math.MaxInt32))
	pq.MaxPerDay = q.integer("max_per_day", patrol.DefaultMaxPerDay, 1, 12)
	pq.KeyRoadMin = q.integer("key_road_min", patrol.DefaultKeyRoadMin, 0, 12)
	if pq.KeyRoadMin == 0 {
		pq.KeyRoadMin = -1 // none asked for
	}
	pq.P = q.fraction("p", patrol.DefaultP)
	budget := q.integer("budget_minutes", 0, 1, 100000)
	pq.Budget = float64(budget)
	shifts, officers := c.QueryParam("shifts"), q.integer("officers", defaultOfficers, 1, 200)
	switch {
	case shifts == "" && budget > 0 && c.QueryParam("officers") == "":
		shifts, officers = budgetShift, max(1, int(math.Ceil(float64(budget)/(12*60))))
	case shifts == "":
		shifts = defaultShifts
	}
	pq.Shifts = q.shifts("shifts", shifts, officers, pq.Day, zone)
	format := q.oneOf("format", formats[0], formats...)
	return pq, crs, format, q
}

// shifts reads HH:MM-HH:MM,… on day, each with officers.
func (q *query) shifts(name, v string, officers int, day time.Time, zone *time.Location) []patrol.Shift {
	const reason = "must be HH:MM-HH:MM,… with each shift ending after it starts, within the day"
	var out []patrol.Shift
	y, m, d := day.In(zone).Date()
	clock := func(s string) (time.Time, bool) {
		hh, mm, ok := strings.Cut(strings.TrimSpace(s), ":")
		h, err1 := strconv.Atoi(hh)
		mi, err2 := strconv.Atoi(mm)
		if !ok || err1 != nil || err2 != nil || h < 0 || mi < 0 || mi > 59 || h > 24 || (h == 24 && mi > 0) || len(mm) != 2 {
			return time.Time{}, false
		}
		return time.Date(y, m, d, h, mi, 0, 0, zone), true
	}
	for _, part := range strings.Split(v, ",") {
		from, to, ok := strings.Cut(part, "-")
		start, ok1 := clock(from)
		end, ok2 := clock(to)
		if !ok || !ok1 || !ok2 || !end.After(start) {
			q.fail(name, reason)
			return nil
		}
		out = append(out, patrol.Shift{Start: start, End: end, Officers: officers})
	}
	return out
}

// fraction reads a number within (0, 1]; def when absent.
func (q *query) fraction(name string, def float64) float64 {
	v := q.values.Get(name)
	if v == "" {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !(f > 0 && f <= 1) {
		q.fail(name, "must be a number within (0, 1]")
		return def
	}
	return f
}

// patrolJSON is a plan as the JSON answer has it.
type patrolJSON struct {
	Parameters    patrolParamsJSON `json:"parameters"`
	Date          string           `json:"date"`
	Seed          uint64           `json:"seed"`
	BudgetMinutes float64          `json:"budget_minutes"`
	UsedMinutes   float64          `json:"used_minutes"`
	VisitMinutes  float64          `json:"visit_minutes"`
	TravelMinutes float64          `json:"travel_minutes"`
	Covered       float64          `json:"covered"`
	BestPossible  float64          `json:"best_possible"`
	CoveredShare  *float64         `json:"covered_share"`
	KeyRoadShare  float64          `json:"key_road_share"`
	Officers      []officerJSON    `json:"officers"`
	Visits        []visitJSON      `json:"visits"`
}

type patrolParamsJSON struct {
	*analysisJSON
	Week         binsJSON `json:"week"`
	VisitLength  float64  `json:"visit_length_minutes"`
	P            float64  `json:"p"`
	Benefit      string   `json:"benefit"`
	WalkSpeed    float64  `json:"walk_m_per_min"`
	Walking      string   `json:"walking"`
	MaxPerDay    int      `json:"max_per_day"`
	KeyRoadMin   int      `json:"key_road_min"`
	PeakShare    float64  `json:"peak_share"`
	Rules        string   `json:"rules"`
	BestPossible string   `json:"best_possible"`
}

type officerJSON struct {
	Officer int    `json:"officer"`
	Shift   string `json:"shift"`
	Index   int    `json:"index"`
}

type visitJSON struct {
	Officer      int       `json:"officer"`
	Road         string    `json:"road"`
	RoadName     string    `json:"road_name"`
	Segment      int       `json:"segment"`
	FromM        float64   `json:"from_m"`
	ToM          float64   `json:"to_m"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	Lon          float64   `json:"lon"`
	Lat          float64   `json:"lat"`
	Expected     float64   `json:"expected"`
	Covered      float64   `json:"covered"`
	Peak         bool      `json:"peak"`
	KeyMinimum   bool      `json:"key_minimum"`
	TravelBefore float64   `json:"travel_before_minutes"`
	Reason       string    `json:"reason"`
	Why          whyJSON   `json:"why"`
	Delivered    *float64  `json:"delivered_minutes,omitempty"`
	Missed       *bool     `json:"missed,omitempty"`
}

type whyJSON struct {
	ExpectedInBlock float64 `json:"expected_in_block"`
	ExpectedInDay   float64 `json:"expected_in_day"`
	GiStarBin       int     `json:"gistar_bin"`
	HotShare        float64 `json:"hot_share"`
	Emerging        string  `json:"emerging"`
	TrendTau        float64 `json:"trend_tau"`
	TrendP          float64 `json:"trend_p"`
	BlindSpot       bool    `json:"blind_spot"`
}

// patrolPlan answers GET /api/v1/recommendations/patrol.
func (s *server) patrolPlan(c echo.Context) error {
	pq, crs, format, q := s.readPatrol(c, "json", "csv", "ics")
	if q.err != nil {
		return q.err
	}
	r, err := s.Engine.PatrolPlan(c.Request().Context(), pq)
	if err != nil {
		return err
	}
	out := s.patrolAnswer(r, crs)
	switch format {
	case "csv":
		return writePlanCSV(c, out)
	case "ics":
		return writePlanICS(c, out)
	}
	return c.JSON(http.StatusOK, out)
}

// patrolDelivery answers GET /api/v1/recommendations/patrol/delivery.
func (s *server) patrolDelivery(c echo.Context) error {
	pq, crs, _, q := s.readPatrol(c, "json")
	if c.QueryParam("date") == "" {
		q.fail("date", "is required: the past day whose plan to compare with the recorded patrols")
	}
	if q.err != nil {
		return q.err
	}
	d, err := s.Engine.PatrolDelivery(c.Request().Context(), pq)
	if err != nil {
		return err
	}
	out := s.patrolAnswer(d.PatrolResult, crs)
	for i := range out.Visits {
		out.Visits[i].Delivered, out.Visits[i].Missed = ptr(round(d.Delivered[i], 1)), ptr(d.Missed[i])
	}
	share := (*float64)(nil)
	if d.PlannedMinutes > 0 {
		share = ptr(round(d.DeliveredMinutes/d.PlannedMinutes, 4))
	}
	return c.JSON(http.StatusOK, map[string]any{"plan": out, "planned_minutes": round(d.PlannedMinutes, 1),
		"delivered_minutes": round(d.DeliveredMinutes, 1), "delivered_share": share, "visits_planned": len(d.Missed),
		"visits_missed": d.VisitsMissed,
		"delivery":      "each visit is delivered up to its length by the patrol dwell recorded on its segment's cells in its two-hour block, and missed when that is under half its length"})
}

func ptr[T any](v T) *T { return &v }

// patrolAnswer lays a plan out for the answer, in datum crs.
func (s *server) patrolAnswer(r analytics.PatrolResult, crs string) patrolJSON {
	zone := s.Engine.Zone()
	p := r.Plan
	out := patrolJSON{Date: r.Day.Format(time.DateOnly), Seed: p.Seed, BudgetMinutes: round(p.Budget, 1),
		UsedMinutes: round(p.Used, 1), VisitMinutes: round(p.VisitMinutes, 1), TravelMinutes: round(p.TravelMinutes, 1),
		Covered: round(p.Covered, 3), BestPossible: round(p.BestPossible, 3), KeyRoadShare: round(p.KeyRoadShare, 3),
		Officers: []officerJSON{}, Visits: []visitJSON{}}
	if p.BestPossible > 0 {
		out.CoveredShare = ptr(round(p.Covered/p.BestPossible, 4))
	}
	out.Parameters = patrolParamsJSON{analysisJSON: &analysisJSON{Params: r.Params, CRS: crs, Metric: "patrol plan"},
		Week: newBinsJSON(r.Week, zone), VisitLength: p.Options.VisitMinutes, P: p.Options.P,
		Benefit:   "n visits to a (segment, two-hour block) cover expected·(1 − (1 − p)^n); one visit a block, so expected·p",
		WalkSpeed: analytics.WalkMetersPerMinute, Walking: "along the road, or along each road to the two roads' nearest point; from and to a base is not counted",
		MaxPerDay: p.Options.MaxPerDay, KeyRoadMin: max(0, p.Options.KeyRoadMin), PeakShare: p.Options.PeakShare,
		Rules: "docs/recommendations.md: visit times drawn from the seed, two hours or more apart on one segment; " +
			"peak windows revisited every two hours; every key road visited; greedy by expected violations covered per officer-minute",
		BestPossible: "what the budget would cover if walking took no time and the visits went where the most is expected: an upper bound"}
	for i, o := range p.Officers {
		sh := r.Shifts[o.Shift]
		out.Officers = append(out.Officers, officerJSON{Officer: i + 1, Shift: sh.Start.Format("15:04") + "-" + sh.End.Format("15:04"), Index: o.Index})
	}
	for _, v := range p.Visits {
		seg := r.Segments[v.Segment]
		pt := geo.FromWGS84(seg.Mid, crs)
		out.Visits = append(out.Visits, visitJSON{Officer: v.Officer + 1, Road: seg.Road, RoadName: seg.Name, Segment: seg.Segment,
			FromM: round(seg.FromMeters, 1), ToM: round(seg.ToMeters, 1), Start: v.Start.In(zone), End: v.End.In(zone),
			Lon: round(pt[0], 7), Lat: round(pt[1], 7), Expected: round(v.Expected, 3), Covered: round(v.Covered, 3),
			Peak: v.Peak, KeyMinimum: v.KeyMinimum, TravelBefore: round(v.TravelBefore, 1), Reason: reason(v, seg),
			Why: whyJSON{ExpectedInBlock: round(v.Expected, 3), ExpectedInDay: round(seg.Expected, 3), GiStarBin: seg.HotBin,
				HotShare: round(seg.HotShare, 3), Emerging: string(seg.Emerging), TrendTau: round(seg.Trend.Tau, 4),
				TrendP: round(seg.Trend.P, 4), BlindSpot: seg.BlindSpot}})
	}
	return out
}

// reason says in a sentence why a visit is where it is.
func reason(v patrol.Visit, seg analytics.PatrolSegment) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%.1f violations expected on this segment in its two-hour block", v.Expected)
	if v.Peak {
		b.WriteString(" (its peak window: revisited every two hours)")
	}
	if v.KeyMinimum {
		b.WriteString("; the key road's daily visit")
	}
	if seg.HotBin >= 2 {
		fmt.Fprintf(&b, "; Gi* hot spot (bin %+d)", seg.HotBin)
	}
	if seg.Emerging != "" && seg.Emerging != "no pattern detected" {
		fmt.Fprintf(&b, "; %s", seg.Emerging)
	}
	if seg.Trend.P < 0.05 && seg.Trend.N > 0 {
		fmt.Fprintf(&b, "; weekly trend τ = %+.2f", seg.Trend.Tau)
	}
	if seg.BlindSpot {
		b.WriteString("; blind spot: complaints where patrols rarely go")
	}
	return b.String()
}

// writePlanCSV writes the visits as CSV a spreadsheet opens with Chinese
// intact: UTF-8 with a byte-order mark.
func writePlanCSV(c echo.Context, p patrolJSON) error {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	w.Write([]string{"officer", "start", "end", "road", "road_name", "segment", "from_m", "to_m", "lon", "lat", "expected", "covered", "peak", "reason"})
	for _, v := range p.Visits {
		w.Write([]string{strconv.Itoa(v.Officer), v.Start.Format(time.RFC3339), v.End.Format(time.RFC3339), v.Road, v.RoadName,
			strconv.Itoa(v.Segment), fmtF(v.FromM), fmtF(v.ToM), fmtF(v.Lon), fmtF(v.Lat), fmtF(v.Expected), fmtF(v.Covered),
			strconv.FormatBool(v.Peak), v.Reason})
	}
	w.Flush()
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="patrol-`+p.Date+`.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", b.Bytes())
}

func fmtF(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// writePlanICS writes one RFC 5545 VEVENT a visit, with LOCATION and GEO.
func writePlanICS(c echo.Context, p patrolJSON) error {
	cal := ics.NewCalendarFor("hotspot")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName("巡查计划 Patrol plan " + p.Date)
	now := time.Now()
	for i, v := range p.Visits {
		e := cal.AddEvent(fmt.Sprintf("%s-%d-%d-%s-%d@hotspot", p.Date, i+1, v.Officer, v.Road, v.Segment))
		e.SetDtStampTime(now)
		e.SetStartAt(v.Start)
		e.SetEndAt(v.End)
		e.SetSummary(fmt.Sprintf("巡查 %s %.0f–%.0f m（巡查员 %d）", v.RoadName, v.FromM, v.ToM, v.Officer))
		e.SetLocation(fmt.Sprintf("%s %.0f–%.0f m", v.RoadName, v.FromM, v.ToM))
		e.SetGeo(v.Lat, v.Lon)
		e.SetDescription(v.Reason)
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="patrol-`+p.Date+`.ics"`)
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", []byte(cal.Serialize()))
}
