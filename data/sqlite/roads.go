package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/dazhigu/hotspot/data"
)

const (
	upsertRoad = `INSERT INTO roads (id, name, pinyin, geometry, buffer_m, key_road, approximate,
		attribution, pilots) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, pinyin = excluded.pinyin,
		geometry = excluded.geometry, buffer_m = excluded.buffer_m, key_road = excluded.key_road,
		approximate = excluded.approximate, attribution = excluded.attribution, pilots = excluded.pilots`

	deleteSegments = `DELETE FROM road_segments WHERE road_id = ?`

	insertSegment = `INSERT INTO road_segments (road_id, idx, line, from_m, to_m, cells11, cells12)
		VALUES (?, ?, ?, ?, ?, ?, ?)`

	selectRoads = `SELECT id, name, pinyin, geometry, buffer_m, key_road, approximate, attribution,
		pilots FROM roads`

	selectSegments = `SELECT road_id, idx, line, from_m, to_m, cells11, cells12 FROM road_segments`
)

// PutRoad inserts or replaces a road and its segments atomically.
func (s *Store) PutRoad(ctx context.Context, r data.Road, a data.AuditEntry) error {
	if ps := r.Validate(); len(ps) > 0 {
		return &data.Error{Code: data.EINVALID, Message: "the road is invalid", Problems: ps}
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		geom, _ := json.Marshal(r.Geometry)
		pilots, _ := json.Marshal(nonNil(r.Pilots))
		_, err := tx.ExecContext(ctx, upsertRoad, r.ID, r.Name, r.Pinyin, string(geom), r.BufferMeters,
			r.Key, r.Approximate, r.Attribution, string(pilots))
		if err != nil {
			return fmt.Errorf("sqlite: put road: %w", err)
		}
		if _, err := tx.ExecContext(ctx, deleteSegments, r.ID); err != nil {
			return fmt.Errorf("sqlite: put road: %w", err)
		}
		for _, sg := range r.Segments {
			line, _ := json.Marshal(sg.Line)
			c11, _ := json.Marshal(sg.Cells11)
			c12, _ := json.Marshal(sg.Cells12)
			_, err := tx.ExecContext(ctx, insertSegment, r.ID, sg.Index, string(line), sg.FromMeters,
				sg.ToMeters, string(c11), string(c12))
			if err != nil {
				return fmt.Errorf("sqlite: put segment %d: %w", sg.Index, err)
			}
		}
		return appendAudit(ctx, tx, a)
	})
}

// Road returns one road with its segments.
func (s *Store) Road(ctx context.Context, id string) (data.Road, error) {
	rs, err := s.roads(ctx, " WHERE id = ?", " WHERE road_id = ?", id)
	if err != nil {
		return data.Road{}, err
	}
	if len(rs) == 0 {
		return data.Road{}, data.Errorf(data.ENOTFOUND, "road %q not found", id)
	}
	return rs[0], nil
}

// Roads returns every road with its segments, by id.
func (s *Store) Roads(ctx context.Context) ([]data.Road, error) {
	return s.roads(ctx, "", "")
}

func (s *Store) roads(ctx context.Context, roadWhere, segWhere string, args ...any) ([]data.Road, error) {
	rows, err := s.db.QueryContext(ctx, selectRoads+roadWhere+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: roads: %w", err)
	}
	var rs []data.Road
	index := map[string]int{}
	for rows.Next() {
		var r data.Road
		var geom, pilots string
		if err := rows.Scan(&r.ID, &r.Name, &r.Pinyin, &geom, &r.BufferMeters, &r.Key, &r.Approximate,
			&r.Attribution, &pilots); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: roads: %w", err)
		}
		if err := unmarshalAll(geom, &r.Geometry, pilots, &r.Pilots); err != nil {
			rows.Close()
			return nil, err
		}
		index[r.ID] = len(rs)
		rs = append(rs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: roads: %w", err)
	}
	return rs, s.segments(ctx, rs, index, segWhere, args)
}

func (s *Store) segments(ctx context.Context, rs []data.Road, index map[string]int, where string, args []any) error {
	rows, err := s.db.QueryContext(ctx, selectSegments+where+` ORDER BY road_id, idx`, args...)
	if err != nil {
		return fmt.Errorf("sqlite: segments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sg data.Segment
		var road, line, c11, c12 string
		if err := rows.Scan(&road, &sg.Index, &line, &sg.FromMeters, &sg.ToMeters, &c11, &c12); err != nil {
			return fmt.Errorf("sqlite: segments: %w", err)
		}
		if err := unmarshalAll(line, &sg.Line, c11, &sg.Cells11, c12, &sg.Cells12); err != nil {
			return err
		}
		if i, ok := index[road]; ok {
			rs[i].Segments = append(rs[i].Segments, sg)
		}
	}
	return rows.Err()
}

// unmarshalAll decodes pairs of (JSON text, destination).
func unmarshalAll(pairs ...any) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := json.Unmarshal([]byte(pairs[i].(string)), pairs[i+1]); err != nil {
			return fmt.Errorf("sqlite: decode stored JSON: %w", err)
		}
	}
	return nil
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
