package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// PostgresSkip is what a developer's run says when HOTSPOT_TEST_DB is unset.
const PostgresSkip = "SKIPPING the PostgreSQL tests: set HOTSPOT_TEST_DB=postgres://… to run them"

// PostgresSchema creates an empty schema with a random name in the
// database HOTSPOT_TEST_DB names, drops it when the test ends, and returns
// the database URL with its search_path set to it: tests (and parallel test
// runs) share the database without seeing each other. Without the variable
// the test fails in CI and is skipped, loudly, elsewhere.
func PostgresSchema(t testing.TB) string {
	t.Helper()
	dbURL := os.Getenv("HOTSPOT_TEST_DB")
	if dbURL == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("HOTSPOT_TEST_DB is not set: CI must run the PostgreSQL tests")
		}
		t.Skip(PostgresSkip)
	}
	conn, err := pgx.Connect(t.Context(), dbURL)
	if err != nil {
		t.Fatalf("HOTSPOT_TEST_DB: %v", err)
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	name := "storetest_" + hex.EncodeToString(b)
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := conn.Exec(t.Context(), "CREATE SCHEMA "+ident); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), "DROP SCHEMA "+ident+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	if !strings.HasPrefix(dbURL, "postgres://") && !strings.HasPrefix(dbURL, "postgresql://") {
		return dbURL + " search_path=" + name // key=value form
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatalf("HOTSPOT_TEST_DB: %v", err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}
