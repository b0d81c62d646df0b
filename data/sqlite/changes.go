package sqlite

import (
	"context"
	"fmt"

	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
)

// selectChanges merges the two tables that carry feed numbers. Both are
// indexed by seq (violations by a unique index, dwell by its primary key).
const selectChanges = `
	SELECT seq, 'violation', id, cell, observed_us, category, source, 0.0, lon, lat
	FROM violations WHERE seq > ?
	UNION ALL
	SELECT seq, 'dwell', track_id, cell, hour_us, '', '', seconds, 0.0, 0.0
	FROM dwell WHERE seq > ?
	ORDER BY 1 LIMIT ?`

// Changes returns up to limit changes after seq, in order.
func (s *Store) Changes(ctx context.Context, after int64, limit int) ([]data.Change, error) {
	if limit <= 0 {
		limit = data.MaxPage
	}
	rows, err := s.db.QueryContext(ctx, selectChanges, after, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: changes: %w", err)
	}
	defer rows.Close()
	var cs []data.Change
	for rows.Next() {
		var c data.Change
		var cell, us int64
		if err := rows.Scan(&c.Seq, &c.Kind, &c.Ref, &cell, &us, &c.Category, &c.Source, &c.Seconds, &c.Point[0], &c.Point[1]); err != nil {
			return nil, fmt.Errorf("sqlite: changes: %w", err)
		}
		c.Cell, c.Hour = h3.Cell(cell), data.Hour(fromMicros(us))
		cs = append(cs, c)
	}
	return cs, rows.Err()
}
