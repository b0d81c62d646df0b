package api

import (
	"context"
	"time"

	"github.com/dazhigu/hotspot/data"
)

// outagePoll is how often the store is pinged during an outage.
const outagePoll = 250 * time.Millisecond

// noteOutage logs the start of a store outage once, however many requests
// meet it, and watches for its end, which it logs too. Requests meanwhile
// answer 503 with Retry-After (handleError).
func (s *server) noteOutage(err error) {
	if !s.outage.CompareAndSwap(false, true) {
		return
	}
	s.Logger.Warn("the store does not answer: answering 503 until it does", "err", err)
	go s.awaitStore(time.Now())
}

// awaitStore pings the store until it answers, then logs how long the
// outage lasted. It gives up quietly on a store that is closed.
func (s *server) awaitStore(since time.Time) {
	defer s.outage.Store(false)
	for {
		time.Sleep(outagePoll)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err := s.Store.Ping(ctx)
		cancel()
		switch {
		case err == nil:
			s.Logger.Info("the store answers again", "outage", time.Since(since).Round(time.Millisecond))
			return
		case !data.IsOutage(err):
			return
		}
	}
}
