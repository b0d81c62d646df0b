package api

import (
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"github.com/dazhigu/hotspot/data"
)

// keyRates holds a token bucket per API key (golang.org/x/time/rate).
type keyRates struct {
	mu     sync.Mutex
	rate   rate.Limit
	burst  int
	bucket map[int64]*rate.Limiter
}

func newKeyRates(l Limits) *keyRates {
	return &keyRates{rate: rate.Limit(l.KeyRate), burst: l.KeyBurst, bucket: map[int64]*rate.Limiter{}}
}

// allow takes a request of key id from its bucket, or says how long until
// one would be there.
func (k *keyRates) allow(id int64) (bool, time.Duration) {
	k.mu.Lock()
	b, ok := k.bucket[id]
	if !ok {
		b = rate.NewLimiter(k.rate, k.burst)
		k.bucket[id] = b
	}
	k.mu.Unlock()
	r := b.Reserve()
	if d := r.Delay(); d > 0 {
		r.Cancel()
		return false, d
	}
	return true, 0
}

// limitKey answers 429 with Retry-After (whole seconds, at least 1) when
// the caller's key has sent more than its rate.
func (s *server) limitKey(c echo.Context, k data.Key) error {
	if ok, wait := s.rates.allow(k.ID); !ok {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(max(wait.Seconds(), 1)))))
		return data.Errorf(data.ETOOMANY, "the key %q sent more than %g requests a second; retry after the Retry-After seconds", k.Name, float64(s.rates.rate))
	}
	return nil
}
