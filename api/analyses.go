package api

import (
	"context"
	"errors"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/data"
)

// analyses bounds the work of the routes that run an analysis: at most
// Limits.MaxAnalyses at once, a turn waited for at most AnalysisWait, and
// each cut off after AnalysisTimeout. Past either bound the answer is 503
// with Retry-After, rather than a queue without end.
func (s *server) analyses(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		wait := time.NewTimer(s.Limits.AnalysisWait)
		defer wait.Stop()
		select {
		case s.turns <- struct{}{}:
		case <-wait.C:
			return data.Errorf(data.EUNAVAILABLE, "the server is running %d analyses already; retry in a few seconds", s.Limits.MaxAnalyses)
		case <-c.Request().Context().Done():
			return c.Request().Context().Err()
		}
		defer func() { <-s.turns }()
		ctx, cancel := context.WithTimeout(c.Request().Context(), s.Limits.AnalysisTimeout)
		defer cancel()
		c.SetRequest(c.Request().WithContext(ctx))
		err := next(c)
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
			return data.Errorf(data.EUNAVAILABLE, "the analysis took longer than %s: narrow it (a shorter window, a coarser res, a smaller area) or retry later", s.Limits.AnalysisTimeout)
		}
		return err
	}
}
