package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
)

const (
	selectHistory = `SELECT seq, violation_id, changed_us, actor, updated_us, fields,
		old_cell, old_observed_us, old_category, old_source, old_lon, old_lat,
		new_cell, new_observed_us, new_category, new_source, new_lon, new_lat
		FROM violation_updates WHERE violation_id = ? ORDER BY seq`

	violationExists = `SELECT count(*) FROM violations WHERE id = ?`
)

// ViolationHistory returns the updates of violation id in the order applied.
func (s *Store) ViolationHistory(ctx context.Context, id int64) ([]data.ViolationUpdate, error) {
	rows, err := s.db.QueryContext(ctx, selectHistory, id)
	if err != nil {
		return nil, fmt.Errorf("sqlite: history: %w", err)
	}
	defer rows.Close()
	hs := []data.ViolationUpdate{}
	for rows.Next() {
		var u data.ViolationUpdate
		var changed, updated int64
		var fields string
		var o, n counted
		err := rows.Scan(&u.Seq, &u.ViolationID, &changed, &u.By, &updated, &fields,
			&o.cell, &o.observed, &o.c.Category, &o.c.Source, &o.c.Point[0], &o.c.Point[1],
			&n.cell, &n.observed, &n.c.Category, &n.c.Source, &n.c.Point[0], &n.c.Point[1])
		if err != nil {
			return nil, fmt.Errorf("sqlite: history: %w", err)
		}
		u.ChangedAt, u.UpdatedAt, u.Old, u.New = fromMicros(changed), fromMicros(updated), o.counted(), n.counted()
		if err := json.Unmarshal([]byte(fields), &u.Fields); err != nil {
			return nil, fmt.Errorf("sqlite: history of violation %d, update %d: %w", id, u.Seq, err)
		}
		hs = append(hs, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: history: %w", err)
	}
	if len(hs) == 0 {
		var n int
		if err := s.db.QueryRowContext(ctx, violationExists, id).Scan(&n); err != nil {
			return nil, fmt.Errorf("sqlite: history: %w", err)
		}
		if n == 0 {
			return nil, data.Errorf(data.ENOTFOUND, "violation %d not found", id)
		}
	}
	return hs, nil
}

// counted is data.Counted as scanned: the cell and time as stored.
type counted struct {
	c        data.Counted
	cell     int64
	observed int64
}

func (c counted) counted() data.Counted {
	c.c.Cell, c.c.Hour = h3.Cell(c.cell), data.Hour(fromMicros(c.observed))
	return c.c
}
