package demo

import (
	"sync"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/seed"
)

// yearEnd is the last day of the year the pattern tests look at; it holds
// the line-marking pilot's start (2026-05-11).
var yearEnd = time.Date(2026, 11, 25, 0, 0, 0, 0, shanghai())

// yearOptions are the options of the default year the tests look at.
var yearOptions = Options{Seed: 1, End: yearEnd}

func seedRoads(tb testing.TB) []data.Road {
	tb.Helper()
	roads, err := seed.Roads()
	if err != nil {
		tb.Fatalf("seed.Roads: %v", err)
	}
	return roads
}

// year is one default year of violations, generated once for all tests.
var year = sync.OnceValues(func() ([]data.Road, []data.Violation) {
	roads, err := seed.Roads()
	if err != nil {
		return nil, nil
	}
	return roads, Violations(roads, yearOptions)
})

func yearViolations(tb testing.TB) ([]data.Road, []data.Violation) {
	tb.Helper()
	roads, vs := year()
	if roads == nil || len(vs) == 0 {
		tb.Fatal("no roads or no violations for the default year")
	}
	return roads, vs
}

func roadByID(roads []data.Road, id string) *data.Road {
	for i := range roads {
		if roads[i].ID == id {
			return &roads[i]
		}
	}
	return nil
}
