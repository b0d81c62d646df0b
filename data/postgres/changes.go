package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
)

// changesQuery reads the feed. Each branch is an index scan on seq with its
// own limit, and the three are merged in order (Merge Append), so a page
// reads about limit rows however long the feed is; the feed lock (see the
// package comment) makes seq commit order.
//
// A violation is reported with the values it was first stored with: those of
// its row until it is updated, then the old_ values of its first update
// (found through violation_updates_violation). Its updates follow with their
// old_ and new_ values, so the feed read from any point tells the same story.
const changesQuery = `
SELECT * FROM (
    (SELECT v.seq, 'violation' AS kind, v.id AS ref, coalesce(u.old_cell, v.cell) AS cell,
        coalesce(u.old_observed_at, v.observed_at) AS at, coalesce(u.old_category, v.category) AS category,
        v.source, 0::float8 AS seconds, coalesce(u.old_lon, v.lon) AS lon, coalesce(u.old_lat, v.lat) AS lat,
        0::bigint AS old_cell, NULL::timestamptz AS old_at, '' AS old_category, '' AS old_source,
        0::float8 AS old_lon, 0::float8 AS old_lat
    FROM violations v
    LEFT JOIN LATERAL (
        SELECT old_cell, old_observed_at, old_category, old_lon, old_lat
        FROM violation_updates f WHERE f.violation_id = v.id ORDER BY f.seq LIMIT 1
    ) u ON true
    WHERE v.seq > $1 ORDER BY v.seq LIMIT $2)
    UNION ALL
    (SELECT seq, 'dwell', track_id, cell, hour, '', '', seconds, 0::float8, 0::float8,
        0::bigint, NULL::timestamptz, '', '', 0::float8, 0::float8
    FROM dwell WHERE seq > $1 ORDER BY seq LIMIT $2)
    UNION ALL
    (SELECT seq, 'update', violation_id, new_cell, new_observed_at, new_category, new_source, 0::float8,
        new_lon, new_lat, old_cell, old_observed_at, old_category, old_source, old_lon, old_lat
    FROM violation_updates WHERE seq > $1 ORDER BY seq LIMIT $2)
) feed
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
		var old counted
		if err := row.Scan(&c.Seq, &kind, &c.Ref, &cell, &at, &c.Category, &source, &c.Seconds, &c.Point[0], &c.Point[1],
			&old.cell, &old.at, &old.c.Category, &old.source, &old.c.Point[0], &old.c.Point[1]); err != nil {
			return data.Change{}, err
		}
		c.Kind, c.Cell, c.Source = data.ChangeKind(kind), h3.Cell(cell), data.Source(source)
		c.Hour = data.Hour(at)
		if c.Kind == data.ChangeUpdate {
			c.Old = old.counted()
		}
		return c, nil
	})
	if err != nil {
		return nil, translate(err)
	}
	return cs, nil
}

// counted is data.Counted as scanned: the cell, time and source as stored.
type counted struct {
	c      data.Counted
	cell   int64
	at     *time.Time
	source string
}

func (c counted) counted() data.Counted {
	c.c.Cell, c.c.Source = h3.Cell(c.cell), data.Source(c.source)
	if c.at != nil {
		c.c.Hour = data.Hour(*c.at)
	}
	return c.c
}
