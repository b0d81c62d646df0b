package postgres_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/postgres"
	"github.com/dazhigu/hotspot/data/storetest"
)

// TestOutage cuts the store's connections to PostgreSQL: reads and writes
// fail fast as data.Unavailable (503 at the API), never as an internal
// error, and work again within a second of the database's return.
func TestOutage(t *testing.T) {
	u := storetest.PostgresSchema(t)
	if err := postgres.Migrate(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	target, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	p := storetest.StartProxy(t, target.Host)
	s := openStore(t, p.Through(t, u))
	if _, err := s.Violations(t.Context(), data.ViolationFilter{}); err != nil {
		t.Fatalf("before the outage: %v", err)
	}
	p.Cut()
	for i, op := range []func() error{
		func() error { _, err := s.Violations(t.Context(), data.ViolationFilter{}); return err },
		func() error { _, err := s.Roads(t.Context()); return err },
		func() error { return s.Ping(t.Context()) },
		func() error { _, err := s.PutViolations(t.Context(), []data.Violation{}); return err },
		func() error { _, err := s.Changes(t.Context(), 0, 10); return err },
		func() error { _, err := s.KeyByHash(t.Context(), []byte("x")); return err },
	} {
		start := time.Now()
		err := op()
		if i == 3 && err == nil {
			continue // an empty batch may need no connection
		}
		if !data.IsOutage(err) || data.ErrorCode(err) != data.EUNAVAILABLE {
			t.Errorf("operation %d during the outage: %v (code %s), want data.Unavailable", i, err, data.ErrorCode(err))
		}
		if time.Since(start) > 5*time.Second {
			t.Errorf("operation %d took %s to fail", i, time.Since(start))
		}
		if msg := data.ErrorMessage(err); msg != "the database does not answer; retry in a few seconds" {
			t.Errorf("operation %d: the message a client sees is %q", i, msg)
		}
	}
	p.Restore(t)
	back := time.Now()
	for {
		_, err := s.Violations(t.Context(), data.ViolationFilter{})
		if err == nil {
			break
		}
		if !data.IsOutage(err) {
			t.Fatalf("after the outage: %v", err)
		}
		if time.Since(back) > time.Second {
			t.Fatalf("still failing %s after the database came back: %v", time.Since(back), err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("answering again %s after the database came back", time.Since(back).Round(time.Millisecond))
}
