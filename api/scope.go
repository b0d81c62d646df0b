package api

import (
	"context"

	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/analytics"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/scoped"
)

// scopeKey is where a request's context holds its scope.
type scopeKey struct{}

// setScope narrows the request to an area: its key's (a key scoped to an
// area reads and writes only inside it) or, within that, the named area of
// its area= parameter. Every handler then reads the store through s.store
// and the roads through s.roads, which see only the scope; analyses are
// clipped to it (s.within).
func (s *server) setScope(c echo.Context, k data.Key) error {
	ctx := c.Request().Context()
	var scope *data.Area
	if k.Area != "" {
		a, err := s.Store.Area(ctx, k.Area)
		if data.ErrorCode(err) == data.ENOTFOUND {
			return data.Errorf(data.EFORBIDDEN, "the key %q is scoped to area %s, which is no longer defined; ask an admin", k.Name, k.Area)
		}
		if err != nil {
			return err
		}
		scope = &a
	}
	if id := c.QueryParam("area"); data.IsAreaID(id) {
		st := s.Store
		if scope != nil {
			st = scoped.New(s.Store, *scope)
		}
		a, err := st.Area(ctx, id) // outside the key's area: not found
		if err != nil {
			return err
		}
		scope = &a
	}
	if scope != nil {
		c.SetRequest(c.Request().WithContext(context.WithValue(ctx, scopeKey{}, scope)))
	}
	return nil
}

// scopeOf returns the area a request is narrowed to; nil: the service.
func scopeOf(ctx context.Context) *data.Area {
	a, _ := ctx.Value(scopeKey{}).(*data.Area)
	return a
}

// store is the store as the request may see it: narrowed to its scope.
func (s *server) store(ctx context.Context) data.Store {
	if a := scopeOf(ctx); a != nil {
		return scoped.New(s.Store, *a)
	}
	return s.Store
}

// roads returns the roads of the request's scope, from the engine's cache.
func (s *server) roads(ctx context.Context) ([]data.Road, error) {
	roads, err := s.Engine.Roads(ctx)
	if a := scopeOf(ctx); a != nil && err == nil {
		roads = a.Roads(roads)
	}
	return roads, err
}

// within narrows an analysis to the request's scope.
func (s *server) within(ctx context.Context, q analytics.Query) analytics.Query {
	if q.Within == nil {
		q.Within = scopeOf(ctx)
	}
	return q
}
