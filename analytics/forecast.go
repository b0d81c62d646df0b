package analytics

import (
	"context"
	"time"

	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/analytics/forecast"
	"github.com/dazhigu/hotspot/data"
)

// ForecastOptions choose what a forecast answers.
type ForecastOptions struct {
	Week     time.Time // any time in the week to forecast; zero: the current week
	Profiles bool      // give each cell's and segment's hour-of-week profile
}

// HoursOfWeek is the length of an hour-of-week profile: Monday 00:00–01:00
// local time first, Sunday 23:00–24:00 last.
const HoursOfWeek = 7 * 24

// ProfilePrior is how many events' worth of the study area's own
// hour-of-week profile each unit's profile is shrunk towards: a unit with n
// events in the profile's weeks has shares (n_h + ProfilePrior·g_h) /
// (n + ProfilePrior), g being the area's shares.
const ProfilePrior = 24

// ProfileWeeks is how many weeks before the forecast the profiles count.
const ProfileWeeks = 26

// UnitForecast is one cell's or segment's forecast for the week.
type UnitForecast struct {
	Expected float64   // violations expected in the week
	Profile  []float64 // shares of Expected by hour of week (HoursOfWeek), summing to 1; nil unless asked
}

// CellForecast is a study-area cell's forecast.
type CellForecast struct {
	Cell h3.Cell
	UnitForecast
}

// SegmentForecast is a key-road segment's forecast.
type SegmentForecast struct {
	SegmentKey
	Name                 string // the road's
	FromMeters, ToMeters float64
	UnitForecast
}

// ForecastResult is the forecast of one week over the study area and on
// the key roads' segments.
type ForecastResult struct {
	Params   Params
	Week     cube.Bins // the week forecast
	History  cube.Bins // the whole weeks the forecast read
	Method   string
	Features []forecast.Feature
	Weights  []float64 // of Features, fitted for the cells
	Cells    []CellForecast
	Segments []SegmentForecast
}

// Forecast forecasts the violations q selects in one week, per cell of the
// study area (default: the key roads) and per key-road segment, from the
// whole weeks before it (and before the current week), with the model
// ForecastModel.
func (e *Engine) Forecast(ctx context.Context, q Query, o ForecastOptions) (ForecastResult, error) {
	if o.Week.IsZero() {
		o.Week = e.now()
	}
	week := cube.WeekStart(o.Week, e.zone)
	end := week
	if current := cube.WeekStart(e.now(), e.zone); current.Before(end) {
		end = current
	}
	q.Window = Window{From: end.AddDate(0, 0, -7*ProfileWeeks), To: end, Given: true}
	var cells, segs *forecast.Panel
	var hist cube.Bins
	var cellProf, segProf profiles
	var keys []SegmentKey
	a, err := e.prepare(ctx, q, prep{area: AreaRoads, segments: true}, func(a *analysis, v cube.View) error {
		hist = e.history(v, end, 0)
		if err := tooLarge(len(a.area.Cells)*max(1, hist.N()), MaxCellWeeks, "cell weeks of history"); err != nil {
			return err
		}
		cells = cellPanel(v, a, hist)
		segs, keys = e.segmentPanel(v, a, hist)
		if o.Profiles {
			cellProf, segProf = e.profiles(v, a, keys)
		}
		return nil
	})
	if err != nil {
		return ForecastResult{}, err
	}
	t := hist.N() + int(week.Sub(end).Hours()/(7*24)+0.5)
	m := ForecastModel()
	r := ForecastResult{Params: a.Params, Week: cube.Bins{Edges: []time.Time{week, week.AddDate(0, 0, 7)}}, History: hist,
		Method: m.Method(), Features: forecast.Features}
	r.Params.From, r.Params.To = hist.Start().In(e.zone), hist.End().In(e.zone)
	stop := func() bool { return ctx.Err() != nil }
	cells.Stop, segs.Stop = stop, stop
	fc, fits := m.ForecastFits(cells, []int{t})
	if err := ctx.Err(); err != nil {
		return ForecastResult{}, err
	}
	r.Weights = fits[0].Weights
	for i, c := range a.area.Cells {
		r.Cells = append(r.Cells, CellForecast{Cell: c, UnitForecast: UnitForecast{Expected: fc[0][i], Profile: cellProf.of(i)}})
	}
	if segs.Units() > 0 {
		sf := m.Forecast(segs, []int{t})[0]
		if err := ctx.Err(); err != nil {
			return ForecastResult{}, err
		}
		names := roadNames(a.roads)
		for i, k := range keys {
			s := segmentOf(a.roads, k)
			r.Segments = append(r.Segments, SegmentForecast{SegmentKey: k, Name: names[k.Road], FromMeters: s.FromMeters,
				ToMeters: s.ToMeters, UnitForecast: UnitForecast{Expected: sf[i], Profile: segProf.of(i)}})
		}
	}
	return r, nil
}

// segmentPanel is the weekly counts of the key roads' segments in the
// bins, each segment the neighbour of the next on its road.
func (e *Engine) segmentPanel(v cube.View, a *analysis, bins cube.Bins) (*forecast.Panel, []SegmentKey) {
	idx := a.segs
	pos := map[SegmentKey]int{}
	var keys []SegmentKey
	p := &forecast.Panel{RingSize: 2}
	for _, r := range a.roads {
		for j, s := range r.Segments {
			k := SegmentKey{r.ID, s.Index}
			pos[k] = len(keys)
			var nb []int32
			if j > 0 {
				nb = append(nb, int32(len(keys)-1))
			}
			if j+1 < len(r.Segments) {
				nb = append(nb, int32(len(keys)+1))
			}
			keys, p.Neighbours = append(keys, k), append(p.Neighbours, nb)
		}
	}
	p.Counts = make([][]float64, bins.N())
	for w := range p.Counts {
		p.Counts[w] = make([]float64, len(keys))
	}
	if len(keys) == 0 || bins.N() == 0 {
		return p, keys
	}
	f := a.f
	f.From, f.To = bins.Start(), bins.End()
	v.Each(f, func(cells cube.Cells, hour time.Time, _ string, _ data.Source, n int) {
		i, ok := pos[idx.byCell[cells.At(cube.MaxRes)]]
		if w := bins.Index(hour); ok && w >= 0 {
			p.Counts[w][i] += float64(n)
		}
	})
	return p, keys
}

// profiles are hour-of-week counts per unit and over the whole area.
type profiles struct {
	units [][HoursOfWeek]float64
	area  [HoursOfWeek]float64
}

// of returns unit i's profile, shrunk towards the area's; nil for none.
func (p profiles) of(i int) []float64 {
	if p.units == nil {
		return nil
	}
	var total, n float64
	for h := range HoursOfWeek {
		total += p.area[h]
		n += p.units[i][h]
	}
	out := make([]float64, HoursOfWeek)
	for h := range out {
		g := 1.0 / HoursOfWeek
		if total > 0 {
			g = p.area[h] / total
		}
		out[h] = (p.units[i][h] + ProfilePrior*g) / (n + ProfilePrior)
	}
	return out
}

// profiles counts the window's violations by local hour of week, per cell
// of the area and per segment of keys.
func (e *Engine) profiles(v cube.View, a *analysis, keys []SegmentKey) (cells, segs profiles) {
	idx := a.segs
	pos := make(map[SegmentKey]int, len(keys))
	for i, k := range keys {
		pos[k] = i
	}
	cells.units = make([][HoursOfWeek]float64, len(a.area.Cells))
	segs.units = make([][HoursOfWeek]float64, len(keys))
	v.Each(a.f, func(cs cube.Cells, hour time.Time, _ string, _ data.Source, n int) {
		l := hour.In(e.zone)
		h := (int(l.Weekday())+6)%7*24 + l.Hour()
		if i := a.area.Index(cs.At(a.q.Res)); i >= 0 {
			cells.units[i][h] += float64(n)
			cells.area[h] += float64(n)
		}
		if i, ok := pos[idx.byCell[cs.At(cube.MaxRes)]]; ok {
			segs.units[i][h] += float64(n)
			segs.area[h] += float64(n)
		}
	})
	return cells, segs
}

func roadNames(roads []data.Road) map[string]string {
	out := map[string]string{}
	for _, r := range roads {
		out[r.ID] = r.Name
	}
	return out
}

func segmentOf(roads []data.Road, k SegmentKey) data.Segment {
	for _, r := range roads {
		if r.ID == k.Road && k.Segment >= 0 && k.Segment < len(r.Segments) {
			return r.Segments[k.Segment]
		}
	}
	return data.Segment{}
}
