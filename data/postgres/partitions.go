package postgres

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/geo"
)

// Partitions: violations are partitioned by the month (UTC) of observed_at
// and dwell by the month of hour (migration 00007). A write must find the
// partitions of its rows, so the store creates them before it writes, in a
// transaction of their own (creating a partition locks its parent briefly),
// and Migrate those of this month and the next AheadMonths. It remembers the
// months it has made sure of, so a write in a known month costs nothing.
type partitions struct {
	mu    sync.Mutex
	known map[string]bool // table + month start (RFC 3339)
}

// AheadMonths is how many months past the current one the store creates
// when it opens: writes of the coming weeks never wait for a partition.
const AheadMonths = 3

const createPartitionsQuery = `SELECT create_month_partition($1, m) FROM unnest($2::timestamptz[]) AS m`

// monthOf is the first instant (UTC) of t's month.
func monthOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// ensurePartitions creates the partitions of table for the months of times that the
// store does not know to exist.
func (s *Store) ensurePartitions(ctx context.Context, table string, times []time.Time) error {
	s.parts.mu.Lock()
	var months []time.Time
	seen := map[time.Time]bool{}
	for _, t := range times {
		m := monthOf(t)
		if !seen[m] && !s.parts.known[table+m.Format(time.RFC3339)] {
			seen[m] = true
			months = append(months, m)
		}
	}
	s.parts.mu.Unlock()
	if len(months) == 0 {
		return nil
	}
	var err error
	for try := 0; try < 3; try++ {
		if _, err = s.pool.Exec(ctx, createPartitionsQuery, table, months); !racedCreate(err) {
			break
		}
	}
	if err != nil {
		return translate(err)
	}
	s.parts.mu.Lock()
	for _, m := range months {
		s.parts.known[table+m.Format(time.RFC3339)] = true
	}
	s.parts.mu.Unlock()
	return nil
}

// racedCreate reports whether err is another session creating the same
// partition at the same moment: CREATE TABLE IF NOT EXISTS does not guard
// against that race, so the store tries again.
func racedCreate(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "42P07" || pg.Code == "23505") // duplicate_table, unique_violation (pg_type)
}

// RegionResolution is the H3 resolution of the distribution column region
// (migration 00007): a row's region is the parent of its cell at it.
const RegionResolution = 5

// region is the distribution column of a cell, as h3_parent computes it.
func region(c h3.Cell) int64 { return int64(geo.Parent(c, RegionResolution)) }

// ensureAheadQuery creates this month's partitions and the AheadMonths
// after them, for every partitioned table.
const ensureAheadQuery = `SELECT create_month_partition(t, m)
FROM unnest(array['violations', 'dwell']) AS t, partition_months(now(), now() + make_interval(months => $1)) AS m`
