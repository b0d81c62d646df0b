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

// slowStore is a store whose change feed takes a while, honouring the
// caller's deadline: analyses that read it are slow.
type slowStore struct {
	data.Store
	delay time.Duration
}

func (s *slowStore) Changes(ctx context.Context, after int64, limit int) ([]data.Change, error) {
	select {
	case <-time.After(s.delay):
		return s.Store.Changes(ctx, after, limit)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// TestAnalysesAreBounded: an analysis past its timeout is cut off with
// 503, and one arriving while every turn is taken waits a little, then
// gets 503 with Retry-After instead of queueing without end.
func TestAnalysesAreBounded(t *testing.T) {
	e := newSeededEnv(t, func(o *api.Options) {
		o.Store = &slowStore{Store: o.Store, delay: 400 * time.Millisecond}
		o.Limits = api.Limits{MaxAnalyses: 1, AnalysisWait: 50 * time.Millisecond, AnalysisTimeout: 150 * time.Millisecond}
	})
	res, body := e.do(t, "GET", "/api/v1/heatmap", data.RoleViewer, nil)
	wantProblem(t, res, body, http.StatusServiceUnavailable)
	if !strings.Contains(body["detail"].(string), "longer than") || res.Header.Get("Retry-After") == "" {
		t.Errorf("a slow analysis: %v", body["detail"])
	}

	e2 := newSeededEnv(t, func(o *api.Options) {
		o.Store = &slowStore{Store: o.Store, delay: 400 * time.Millisecond}
		o.Limits = api.Limits{MaxAnalyses: 1, AnalysisWait: 50 * time.Millisecond, AnalysisTimeout: 5 * time.Second}
	})
	done := make(chan int)
	go func() {
		res, _ := e2.do(t, "GET", "/api/v1/heatmap", data.RoleViewer, nil)
		done <- res.StatusCode
	}()
	time.Sleep(100 * time.Millisecond) // the first holds the only turn
	res, body = e2.do(t, "GET", "/api/v1/hotspots", data.RoleViewer, nil)
	wantProblem(t, res, body, http.StatusServiceUnavailable)
	if !strings.Contains(body["detail"].(string), "analyses already") || res.Header.Get("Retry-After") == "" {
		t.Errorf("with every turn taken: %v", body)
	}
	if code := <-done; code != 200 {
		t.Errorf("the analysis holding the turn = %d, want 200", code)
	}
	if res, _ := e2.do(t, "GET", "/api/v1/roads", data.RoleViewer, nil); res.StatusCode != 200 {
		t.Errorf("a read that is no analysis = %d", res.StatusCode)
	}
}

// TestKeyRateLimit: a key past its rate gets 429 problem+json with
// Retry-After; another key is not held back.
func TestKeyRateLimit(t *testing.T) {
	e := newEnv(t, func(o *api.Options) { o.Limits = api.Limits{KeyRate: 0.5, KeyBurst: 3} })
	for i := range 3 {
		if res, _ := e.do(t, "GET", "/api/v1/categories", data.RoleViewer, nil); res.StatusCode != 200 {
			t.Fatalf("request %d of the burst = %d", i+1, res.StatusCode)
		}
	}
	res, body := e.do(t, "GET", "/api/v1/categories", data.RoleViewer, nil)
	wantProblem(t, res, body, http.StatusTooManyRequests)
	if ra := res.Header.Get("Retry-After"); ra != "2" {
		t.Errorf("Retry-After = %q, want 2 (one request every 2 s)", ra)
	}
	if res, _ := e.do(t, "GET", "/api/v1/categories", data.RoleScheduler, nil); res.StatusCode != 200 {
		t.Errorf("another key = %d, want 200", res.StatusCode)
	}
}

// TestExpiredKey: a key past its expiry is refused with 401 saying so.
func TestExpiredKey(t *testing.T) {
	e := newEnv(t)
	tok, hash := data.NewToken()
	if _, err := e.store.CreateKey(t.Context(), data.Key{Name: "old", Role: data.RoleViewer, Hash: hash,
		ExpiresAt: time.Now().Add(-time.Minute)}, data.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	res, body := e.do(t, "GET", "/api/v1/roads?api_key="+tok, "", nil)
	wantProblem(t, res, body, http.StatusUnauthorized)
	if !strings.Contains(body["detail"].(string), "expired") {
		t.Errorf("an expired key: %v", body["detail"])
	}
	tok2, hash2 := data.NewToken()
	e.store.CreateKey(t.Context(), data.Key{Name: "new", Role: data.RoleViewer, Hash: hash2, ExpiresAt: time.Now().Add(time.Hour)}, data.AuditEntry{})
	if res, _ := e.do(t, "GET", "/api/v1/roads?api_key="+tok2, "", nil); res.StatusCode != 200 {
		t.Errorf("a key not yet expired = %d", res.StatusCode)
	}
}
