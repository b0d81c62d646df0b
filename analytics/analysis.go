package analytics

import (
	"context"
	"slices"
	"time"

	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/data"
)

// analysis is one analysis being answered: its settled parameters, its cube
// filter and its study area.
type analysis struct {
	Params
	q     Query
	f     cube.Filter
	area  StudyArea
	roads []data.Road
	segs  *segmentIndex // of roads, when the analysis asked for it
}

// prep says what an analysis needs prepared before it reads the cube.
type prep struct {
	area     AreaKind // the study area when the query names none; "" for none
	segments bool     // the cell-to-segment index of the roads
}

// prepare checks q, catches the cube up and settles the analysis: the
// window, the study area, and what else o asks for. read is called with one
// consistent view of the cube, the one the window was settled on: it should
// take what the analysis needs and leave the computing to after, when other
// requests may change the cube again (everything that does not depend on
// the cube is built before).
func (e *Engine) prepare(ctx context.Context, q Query, o prep, read func(a *analysis, v cube.View) error) (*analysis, error) {
	if q.Area.Kind == "" {
		q.Area.Kind = o.area
	}
	if q.Area.Kind == "" && q.Within != nil { // every cell with events, of the named area
		q.Area.Kind = AreaNamed
	}
	if err := q.check(); err != nil {
		return nil, err
	}
	if err := e.CheckCategories(ctx, q.Categories); err != nil {
		return nil, err
	}
	if err := e.CatchUp(ctx); err != nil {
		return nil, err
	}
	roads, err := e.roadsFor(ctx, q)
	if err != nil {
		return nil, err
	}
	a := &analysis{q: q, roads: roads}
	if o.segments {
		a.segs = e.segmentsOf(roads)
		a.segs.cellsAt(q.Res) // built now, not under the cube's lock
	}
	if q.Area.Kind != "" && q.Area.Kind != AreaEvents {
		if a.area, err = e.fixedArea(ctx, q, roads); err != nil {
			return nil, err
		}
	}
	// The cells of area=events are taken from the cube and their weights
	// built outside its lock; if writes add cells meanwhile, again.
	for attempt := 0; ; attempt++ {
		var seq int64
		if q.Area.Kind == AreaEvents {
			var cells []h3.Cell
			e.cube.Read(func(v cube.View) { cells, seq = v.Cells(q.filter(time.Time{}, time.Time{}), q.Res), v.Seq() })
			if a.area, err = e.eventsArea(q, cells, seq); err != nil {
				return nil, err
			}
		}
		stale := false
		e.cube.Read(func(v cube.View) {
			if q.Area.Kind == AreaEvents && v.Seq() != seq && attempt < 2 &&
				!slices.Equal(v.Cells(q.filter(time.Time{}, time.Time{}), q.Res), a.area.Cells) {
				stale = true
				return
			}
			var from, to time.Time
			if from, to, err = e.settle(q.Window, v); err != nil {
				return
			}
			a.f = q.filter(from, to)
			a.Params = Params{Res: q.Res, K: q.K, From: from, To: to, Categories: nonNil(q.Categories), Sources: nonNil(q.Sources),
				Weights: WeightsDefinition, StudyArea: a.area.info(q), Seq: v.Seq()}
			if read != nil {
				err = read(a, v)
			}
		})
		if !stale {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	return a, ctx.Err()
}
