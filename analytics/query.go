package analytics

import (
	"fmt"
	"time"

	"github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/data"
)

// Query is what every analysis reads: where, when, what, and at which
// resolution.
type Query struct {
	Res        int // H3 resolution of the analysis, cube.MinRes..cube.MaxRes (9–12)
	K          int // k-ring of the spatial weights, 1..3
	Window     Window
	Categories []string      // taxonomy codes; none: all
	Sources    []data.Source // none: all
	Area       Area
	// Within narrows the analysis to a named area (an area= of the query,
	// or the area a key is scoped to): the study area's cells are those
	// whose centres lie in it, the roads are its roads. nil: the service.
	Within *data.Area
	// MaxCells refuses study areas of more cells than this, below the
	// engine's own limit (for answers that list every cell); 0: none.
	MaxCells int
}

// Window is the time span of an analysis.
type Window struct {
	// From and To bound the window [From, To), widened to whole hours. A
	// zero From starts at the first violation held, a zero To ends at the
	// end of the current hour.
	From, To time.Time
	// Given says the caller chose the window; without it an analysis covers
	// the DefaultWindow before the end of the current hour.
	Given bool
}

// DefaultWindow is the time window of an analysis that is not given one:
// the last twelve weeks.
const DefaultWindow = 12 * 7 * 24 * time.Hour

// MaxWindow is the longest window an analysis takes.
const MaxWindow = 10 * 366 * 24 * time.Hour

// Params are the parameters an answer states, settled: every default filled
// in, so the answer can be reproduced.
type Params struct {
	Res        int           `json:"res"`
	K          int           `json:"k"`
	From       time.Time     `json:"from"`
	To         time.Time     `json:"to"`
	Categories []string      `json:"categories"`
	Sources    []data.Source `json:"sources"`
	Weights    string        `json:"weights"`
	StudyArea  AreaInfo      `json:"study_area"`
	Seq        int64         `json:"index_seq"` // the last change of the store the analysis saw
}

// WeightsDefinition is how the spatial weights are stated in answers.
const WeightsDefinition = "binary: the k-ring of each cell within the study area, the cell itself included"

// check validates the parts of a query that need no data.
func (q Query) check() error {
	switch {
	case q.Res < cube.MinRes || q.Res > cube.MaxRes:
		return invalid("res", fmt.Sprintf("must be an integer within %d..%d", cube.MinRes, cube.MaxRes))
	case q.K < 1 || q.K > 3:
		return invalid("k", "must be an integer within 1..3")
	case q.Window.Given && !q.Window.From.IsZero() && !q.Window.To.IsZero() && q.Window.To.Before(q.Window.From):
		return invalid("datetime", "ends before it starts")
	}
	for _, s := range q.Sources {
		if !s.Valid() {
			return invalid("source", "must be a comma-separated list of patrol, hotline, camera, campaign, citizen")
		}
	}
	return q.Area.check()
}

// invalid is the error of one bad parameter.
func invalid(name, reason string) error {
	return &data.Error{Code: data.EINVALID, Message: "parameter " + name + " " + reason,
		Problems: []data.Problem{{Field: name, Reason: reason}}}
}

// filter returns the cube filter of the query's selection and settled
// window.
func (q Query) filter(from, to time.Time) cube.Filter {
	return cube.Filter{From: from, To: to, Categories: q.Categories, Sources: q.Sources}
}

// settle fills in the window: the default window without one, an open end
// at the end of the current hour, an open start at the first violation.
func (e *Engine) settle(w Window, v cube.View) (from, to time.Time, err error) {
	from, to = w.From, w.To
	if to.IsZero() || !w.Given {
		to = e.now().Truncate(time.Hour).Add(time.Hour)
	}
	if !w.Given {
		from = to.Add(-DefaultWindow)
	}
	if from.IsZero() {
		if from, _ = v.Span(); from.IsZero() || from.After(to) {
			from = to.Add(-DefaultWindow)
		}
	}
	if from.After(to) {
		return from, to, invalid("datetime", "starts after it ends (an open end ends at the current hour)")
	}
	if to.Sub(from) > MaxWindow {
		return from, to, data.Errorf(data.EINVALID, "parameter datetime spans more than ten years; narrow it")
	}
	return from.In(e.zone), to.In(e.zone), nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// tooLarge refuses an analysis whose work (cells × bins, or cells ×
// permutations) is over limit.
func tooLarge(work, limit int, what string) error {
	if work <= limit {
		return nil
	}
	return data.Errorf(data.EINVALID, "the analysis is too large (%d %s, at most %d); lower res, k, steps or permutations, or choose a smaller area", work, what, limit)
}
