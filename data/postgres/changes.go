package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
)

// changesQuery reads the feed. Both branches are index scans on seq, merged
// in order; the feed lock (see the package comment) makes seq commit order.
const changesQuery = `
SELECT seq, 'violation' AS kind, id AS ref, cell, observed_at AS at, category, source, 0::float8 AS seconds,
       lon, lat
FROM violations WHERE seq > $1
UNION ALL
SELECT seq, 'dwell', track_id, cell, hour, '', '', seconds, 0::float8, 0::float8
FROM dwell WHERE seq > $1
ORDER BY seq
LIMIT $2`

// Changes returns up to limit changes with Seq > after, in Seq order. A
// limit below 1 or above data.MaxPage reads data.MaxPage.
func (s *Store) Changes(ctx context.Context, after int64, limit int) ([]data.Change, error) {
	if limit < 1 || limit > data.MaxPage {
		limit = data.MaxPage
	}
	rows, err := s.pool.Query(ctx, changesQuery, after, limit)
	if err != nil {
		return nil, translate(err)
	}
	cs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Change, error) {
		var c data.Change
		var kind, source string
		var cell int64
		var at time.Time
		if err := row.Scan(&c.Seq, &kind, &c.Ref, &cell, &at, &c.Category, &source, &c.Seconds, &c.Point[0], &c.Point[1]); err != nil {
			return data.Change{}, err
		}
		c.Kind, c.Cell, c.Source = data.ChangeKind(kind), h3.Cell(cell), data.Source(source)
		c.Hour = at.UTC().Truncate(time.Hour)
		return c, nil
	})
	if err != nil {
		return nil, translate(err)
	}
	return cs, nil
}
