package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/dazhigu/hotspot/data"
)

const historyQuery = `
SELECT seq, violation_id, changed_at, actor, updated_at, fields,
    old_cell, old_observed_at, old_category, old_source, old_lon, old_lat,
    new_cell, new_observed_at, new_category, new_source, new_lon, new_lat
FROM violation_updates WHERE violation_id = $1 ORDER BY seq`

const violationExistsQuery = `SELECT EXISTS (SELECT 1 FROM violations WHERE id = $1)`

// ViolationHistory returns the updates of violation id in the order applied,
// or data.ErrNotFound when there is no such violation.
func (s *Store) ViolationHistory(ctx context.Context, id int64) ([]data.ViolationUpdate, error) {
	rows, err := s.pool.Query(ctx, historyQuery, id)
	if err != nil {
		return nil, translate(err)
	}
	hs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.ViolationUpdate, error) {
		var u data.ViolationUpdate
		var fields []byte
		var o, n counted
		err := row.Scan(&u.Seq, &u.ViolationID, &u.ChangedAt, &u.By, &u.UpdatedAt, &fields,
			&o.cell, &o.at, &o.c.Category, &o.source, &o.c.Point[0], &o.c.Point[1],
			&n.cell, &n.at, &n.c.Category, &n.source, &n.c.Point[0], &n.c.Point[1])
		if err != nil {
			return u, err
		}
		u.ChangedAt, u.UpdatedAt, u.Old, u.New = u.ChangedAt.UTC(), u.UpdatedAt.UTC(), o.counted(), n.counted()
		if err := json.Unmarshal(fields, &u.Fields); err != nil {
			return u, fmt.Errorf("postgres: history of violation %d, update %d: %w", id, u.Seq, err)
		}
		return u, nil
	})
	if err != nil {
		return nil, translate(err)
	}
	if len(hs) == 0 {
		var ok bool
		if err := s.pool.QueryRow(ctx, violationExistsQuery, id).Scan(&ok); err != nil {
			return nil, translate(err)
		}
		if !ok {
			return nil, data.Errorf(data.ENOTFOUND, "violation %d not found", id)
		}
	}
	return hs, nil
}
