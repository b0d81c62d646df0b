package analytics

import (
	"context"
	"time"

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
}

// prepare checks q, catches the cube up and settles the analysis: the
// window, and the study area (def when q names none; "" for none). read is
// called with one consistent view of the cube, the one the window and the
// area were settled on: it should take what the analysis needs and leave
// the computing to after, when other requests may change the cube again.
func (e *Engine) prepare(ctx context.Context, q Query, def AreaKind, read func(a *analysis, v cube.View) error) (*analysis, error) {
	if q.Area.Kind == "" {
		q.Area.Kind = def
	}
	if err := q.check(); err != nil {
		return nil, err
	}
	if err := e.checkCategories(ctx, q.Categories); err != nil {
		return nil, err
	}
	if err := e.CatchUp(ctx); err != nil {
		return nil, err
	}
	roads, err := e.Roads(ctx)
	if err != nil {
		return nil, err
	}
	a := &analysis{q: q, roads: roads}
	e.cube.Read(func(v cube.View) {
		var from, to time.Time
		if from, to, err = e.settle(q.Window, v); err != nil {
			return
		}
		a.f = q.filter(from, to)
		if q.Area.Kind != "" {
			if a.area, err = e.studyArea(q, v, roads); err != nil {
				return
			}
		}
		a.Params = Params{Res: q.Res, K: q.K, From: from, To: to, Categories: nonNil(q.Categories), Sources: nonNil(q.Sources),
			Weights: WeightsDefinition, StudyArea: a.area.info(q), Seq: v.Seq()}
		if read != nil {
			err = read(a, v)
		}
	})
	if err != nil {
		return nil, err
	}
	return a, ctx.Err()
}
