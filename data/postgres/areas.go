package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/data"
)

const upsertAreaQuery = `INSERT INTO areas (id, name, parent, boundary) VALUES ($1, $2, $3, $4)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, parent = excluded.parent, boundary = excluded.boundary`

const areaColumns = `id, name, parent, boundary`

// PutArea inserts or replaces an area.
func (s *Store) PutArea(ctx context.Context, area data.Area, a data.AuditEntry) error {
	if ps := area.Validate(); len(ps) > 0 {
		return invalid("area", 0, ps)
	}
	if err := data.CheckParent(ctx, s, &area); err != nil {
		return err
	}
	boundary, err := json.Marshal(area.Boundary)
	if err != nil {
		return fmt.Errorf("postgres: area boundary: %w", err)
	}
	return s.inTx(ctx, false, func(tx pgx.Tx) error {
		if err := areaExists(ctx, tx, area.Parent); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, upsertAreaQuery, area.ID, area.Name, area.Parent, string(boundary)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, a)
	})
}

// areaExists refuses an area id that names no stored area ("" is none).
func areaExists(ctx context.Context, tx pgx.Tx, id string) error {
	if id == "" {
		return nil
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM areas WHERE id = $1`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return data.Errorf(data.EINVALID, "area %q is not stored (GET /api/v1/areas lists the areas)", id)
	}
	return nil
}

// Area returns one area, or data.ErrNotFound.
func (s *Store) Area(ctx context.Context, id string) (data.Area, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+areaColumns+` FROM areas WHERE id = $1`, id)
	if err != nil {
		return data.Area{}, translate(err)
	}
	a, err := pgx.CollectExactlyOneRow(rows, scanArea)
	if err != nil {
		if data.ErrorCode(translate(err)) == data.ENOTFOUND {
			return data.Area{}, data.Errorf(data.ENOTFOUND, "area %q not found", id)
		}
		return data.Area{}, translate(err)
	}
	return a, nil
}

// Areas returns every area by id.
func (s *Store) Areas(ctx context.Context) ([]data.Area, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+areaColumns+` FROM areas ORDER BY id`)
	if err != nil {
		return nil, translate(err)
	}
	as, err := pgx.CollectRows(rows, scanArea)
	return as, translate(err)
}

func scanArea(row pgx.CollectableRow) (data.Area, error) {
	var a data.Area
	var boundary []byte
	if err := row.Scan(&a.ID, &a.Name, &a.Parent, &boundary); err != nil {
		return data.Area{}, err
	}
	var poly orb.Polygon
	if err := json.Unmarshal(boundary, &poly); err != nil {
		return data.Area{}, err
	}
	a.Boundary = poly
	return a, nil
}
