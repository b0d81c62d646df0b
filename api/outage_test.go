package api_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/api"
	"github.com/dazhigu/hotspot/data"
)

// downStore is a store whose database can be taken away: while down, what
// requests call answers data.Unavailable, as the PostgreSQL store does when
// its connections are refused (data/postgres's TestOutage).
type downStore struct {
	data.Store
	down atomic.Bool
}

var errRefused = errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")

func (s *downStore) fail() error {
	if s.down.Load() {
		return data.Unavailable(errRefused)
	}
	return nil
}

func (s *downStore) Ping(ctx context.Context) error {
	if err := s.fail(); err != nil {
		return err
	}
	return s.Store.Ping(ctx)
}

func (s *downStore) KeyByHash(ctx context.Context, h []byte) (data.Key, error) {
	if err := s.fail(); err != nil {
		return data.Key{}, err
	}
	return s.Store.KeyByHash(ctx, h)
}

func (s *downStore) Violations(ctx context.Context, f data.ViolationFilter) ([]data.Violation, error) {
	if err := s.fail(); err != nil {
		return nil, err
	}
	return s.Store.Violations(ctx, f)
}

// TestStoreOutage: while the store does not answer, routes that need it
// answer 503 problem+json with Retry-After, /healthz stays 200, the outage
// is logged once however many requests meet it, and its end is logged;
// requests succeed again once the store answers.
func TestStoreOutage(t *testing.T) {
	logs := &syncBuffer{}
	var st *downStore
	e := newEnv(t, func(o *api.Options) {
		st = &downStore{Store: o.Store}
		o.Store = st
		o.Logger = slog.New(slog.NewTextHandler(logs, nil))
	})
	st.down.Store(true)
	for range 20 {
		res, body := e.do(t, "GET", "/api/v1/violations", data.RoleViewer, nil)
		wantProblem(t, res, body, http.StatusServiceUnavailable)
		if res.Header.Get("Retry-After") == "" || strings.Contains(body["detail"].(string), "5432") {
			t.Fatalf("503 without Retry-After, or with the driver's error: %v %v", res.Header, body)
		}
	}
	res, body := e.do(t, "GET", "/readyz", "", nil)
	wantProblem(t, res, body, http.StatusServiceUnavailable)
	if res, _ := e.do(t, "GET", "/healthz", "", nil); res.StatusCode != 200 {
		t.Errorf("healthz during the outage = %d, want 200", res.StatusCode)
	}
	if n := strings.Count(logs.String(), "the store does not answer"); n != 1 {
		t.Errorf("the outage is logged %d times, want once:\n%s", n, logs.String())
	}
	st.down.Store(false)
	deadline := time.Now().Add(time.Second)
	for {
		res, _ := e.do(t, "GET", "/api/v1/violations", data.RoleViewer, nil)
		if res.StatusCode == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still %d a second after the store came back", res.StatusCode)
		}
		time.Sleep(20 * time.Millisecond)
	}
	for end := time.Now().Add(2 * time.Second); !strings.Contains(logs.String(), "the store answers again") && time.Now().Before(end); {
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), "the store answers again") {
		t.Errorf("the outage's end is not logged:\n%s", logs.String())
	}
}
