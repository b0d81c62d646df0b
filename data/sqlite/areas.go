package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/data"
)

const (
	upsertArea = `INSERT INTO areas (id, name, parent, boundary) VALUES (?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, parent = excluded.parent, boundary = excluded.boundary`
	areaColumns = `id, name, parent, boundary`
)

// PutArea inserts or replaces an area.
func (s *Store) PutArea(ctx context.Context, area data.Area, a data.AuditEntry) error {
	if ps := area.Validate(); len(ps) > 0 {
		return &data.Error{Code: data.EINVALID, Message: "the area is invalid", Problems: ps}
	}
	if err := data.CheckParent(ctx, s, &area); err != nil {
		return err
	}
	boundary, err := json.Marshal(area.Boundary)
	if err != nil {
		return fmt.Errorf("sqlite: area boundary: %w", err)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := areaExists(ctx, tx, area.Parent); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, upsertArea, area.ID, area.Name, area.Parent, string(boundary)); err != nil {
			return fmt.Errorf("sqlite: put area: %w", err)
		}
		return appendAudit(ctx, tx, a)
	})
}

// areaExists refuses an area id that names no stored area ("" is none).
func areaExists(ctx context.Context, tx *sql.Tx, id string) error {
	if id == "" {
		return nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM areas WHERE id = ?`, id).Scan(&n); err != nil {
		return fmt.Errorf("sqlite: area: %w", err)
	}
	if n == 0 {
		return data.Errorf(data.EINVALID, "area %q is not stored (GET /api/v1/areas lists the areas)", id)
	}
	return nil
}

// Area returns one area.
func (s *Store) Area(ctx context.Context, id string) (data.Area, error) {
	a, err := scanArea(s.db.QueryRowContext(ctx, `SELECT `+areaColumns+` FROM areas WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return data.Area{}, data.Errorf(data.ENOTFOUND, "area %q not found", id)
	}
	if err != nil {
		return data.Area{}, fmt.Errorf("sqlite: area: %w", err)
	}
	return a, nil
}

// Areas returns every area by id.
func (s *Store) Areas(ctx context.Context) ([]data.Area, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+areaColumns+` FROM areas ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: areas: %w", err)
	}
	defer rows.Close()
	var out []data.Area
	for rows.Next() {
		a, err := scanArea(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: areas: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func scanArea(r scanner) (data.Area, error) {
	var a data.Area
	var boundary string
	if err := r.Scan(&a.ID, &a.Name, &a.Parent, &boundary); err != nil {
		return data.Area{}, err
	}
	var poly orb.Polygon
	if err := json.Unmarshal([]byte(boundary), &poly); err != nil {
		return data.Area{}, err
	}
	a.Boundary = poly
	return a, nil
}
