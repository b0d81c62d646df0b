package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
)

const upsertRoadQuery = `
INSERT INTO roads (id, name, pinyin, geometry, buffer_m, key, approximate, attribution, pilots)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (id) DO UPDATE SET
    name = excluded.name, pinyin = excluded.pinyin, geometry = excluded.geometry,
    buffer_m = excluded.buffer_m, key = excluded.key, approximate = excluded.approximate,
    attribution = excluded.attribution, pilots = excluded.pilots`

const deleteSegmentsQuery = `DELETE FROM road_segments WHERE road_id = $1`

var segmentColumns = []string{"road_id", "idx", "geometry", "from_m", "to_m", "cells11", "cells12"}

// PutRoad inserts or replaces a road and all its segments atomically.
func (s *Store) PutRoad(ctx context.Context, r data.Road, a data.AuditEntry) error {
	ps := r.Validate()
	seen := make(map[int]bool, len(r.Segments))
	for _, sg := range r.Segments {
		if sg.Index < 0 || seen[sg.Index] {
			ps = append(ps, data.Problem{Field: "segments", Reason: "segment indexes must be distinct and not negative"})
			break
		}
		seen[sg.Index] = true
	}
	if len(ps) > 0 {
		return invalid("road", 0, ps)
	}
	geometry, err := json.Marshal(r.Geometry)
	if err != nil {
		return fmt.Errorf("postgres: road geometry: %w", err)
	}
	pilots := []byte("[]")
	if len(r.Pilots) > 0 {
		if pilots, err = json.Marshal(r.Pilots); err != nil {
			return fmt.Errorf("postgres: road pilots: %w", err)
		}
	}
	rows := make([][]any, len(r.Segments))
	for i, sg := range r.Segments {
		line, err := json.Marshal(sg.Line)
		if err != nil {
			return fmt.Errorf("postgres: segment geometry: %w", err)
		}
		rows[i] = []any{r.ID, sg.Index, string(line), sg.FromMeters, sg.ToMeters, cellInts(sg.Cells11), cellInts(sg.Cells12)}
	}
	return s.inTx(ctx, false, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, upsertRoadQuery, r.ID, r.Name, r.Pinyin, string(geometry), r.BufferMeters,
			r.Key, r.Approximate, r.Attribution, string(pilots)); err != nil {
			return translate(err)
		}
		if _, err := tx.Exec(ctx, deleteSegmentsQuery, r.ID); err != nil {
			return translate(err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"road_segments"}, segmentColumns, pgx.CopyFromRows(rows)); err != nil {
			return translate(err)
		}
		return appendAudit(ctx, tx, a)
	})
}

func cellInts(cs []h3.Cell) []int64 {
	out := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = int64(c)
	}
	return out
}

func intCells(is []int64) []h3.Cell {
	if len(is) == 0 {
		return nil
	}
	out := make([]h3.Cell, len(is))
	for i, c := range is {
		out[i] = h3.Cell(c)
	}
	return out
}

// Roads and segments are ordered by id in byte order (COLLATE "C"), whatever
// the database's collation.
const (
	roadColumns   = `id, name, pinyin, geometry, buffer_m, key, approximate, attribution, pilots`
	roadQuery     = `SELECT ` + roadColumns + ` FROM roads WHERE id = $1`
	roadsQuery    = `SELECT ` + roadColumns + ` FROM roads ORDER BY id COLLATE "C"`
	segmentCols   = `road_id, idx, geometry, from_m, to_m, cells11, cells12`
	segmentsQuery = `SELECT ` + segmentCols + ` FROM road_segments WHERE road_id = $1 ORDER BY idx`
	allSegsQuery  = `SELECT ` + segmentCols + ` FROM road_segments ORDER BY road_id COLLATE "C", idx`
)

// Road returns one road with its segments, or data.ErrNotFound.
func (s *Store) Road(ctx context.Context, id string) (data.Road, error) {
	var rs []data.Road
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		var err error
		if rs, err = readRoads(ctx, tx, roadQuery, segmentsQuery, id); err != nil {
			return err
		}
		if len(rs) == 0 {
			return data.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return data.Road{}, err
	}
	return rs[0], nil
}

// Roads returns every road with its segments, ordered by id.
func (s *Store) Roads(ctx context.Context) ([]data.Road, error) {
	var rs []data.Road
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		var err error
		rs, err = readRoads(ctx, tx, roadsQuery, allSegsQuery)
		return err
	})
	return rs, err
}

// readTx runs fn in a read-only transaction that sees one snapshot, so a
// road and its segments always match.
func (s *Store) readTx(ctx context.Context, fn func(pgx.Tx) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return translate(err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := fn(tx); err != nil {
		return translate(err)
	}
	return translate(tx.Commit(ctx))
}

func readRoads(ctx context.Context, tx pgx.Tx, roadsQ, segsQ string, args ...any) ([]data.Road, error) {
	rows, err := tx.Query(ctx, roadsQ, args...)
	if err != nil {
		return nil, translate(err)
	}
	rs, err := pgx.CollectRows(rows, scanRoad)
	if err != nil {
		return nil, translate(err)
	}
	at := make(map[string]int, len(rs))
	for i, r := range rs {
		at[r.ID] = i
	}
	rows, err = tx.Query(ctx, segsQ, args...)
	if err != nil {
		return nil, translate(err)
	}
	var roadID string
	var line []byte
	var sg data.Segment
	var c11, c12 []int64
	_, err = pgx.ForEachRow(rows, []any{&roadID, &sg.Index, &line, &sg.FromMeters, &sg.ToMeters, &c11, &c12}, func() error {
		i, ok := at[roadID]
		if !ok {
			return nil // written after the roads were read; cannot happen in one snapshot
		}
		var ls orb.LineString
		if err := json.Unmarshal(line, &ls); err != nil {
			return fmt.Errorf("postgres: segment %s/%d geometry: %w", roadID, sg.Index, err)
		}
		rs[i].Segments = append(rs[i].Segments, data.Segment{Index: sg.Index, Line: ls,
			FromMeters: sg.FromMeters, ToMeters: sg.ToMeters, Cells11: intCells(c11), Cells12: intCells(c12)})
		return nil
	})
	if err != nil {
		return nil, translate(err)
	}
	return rs, nil
}

func scanRoad(row pgx.CollectableRow) (data.Road, error) {
	var r data.Road
	var geometry, pilots []byte
	if err := row.Scan(&r.ID, &r.Name, &r.Pinyin, &geometry, &r.BufferMeters, &r.Key,
		&r.Approximate, &r.Attribution, &pilots); err != nil {
		return data.Road{}, err
	}
	if err := json.Unmarshal(geometry, &r.Geometry); err != nil {
		return data.Road{}, fmt.Errorf("postgres: road %s geometry: %w", r.ID, err)
	}
	if err := json.Unmarshal(pilots, &r.Pilots); err != nil {
		return data.Road{}, fmt.Errorf("postgres: road %s pilots: %w", r.ID, err)
	}
	if len(r.Pilots) == 0 {
		r.Pilots = nil
	}
	return r, nil
}

const upsertCategoryQuery = `
INSERT INTO categories (code, name_zh, name_en, aliases, national, shop_front)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (code) DO UPDATE SET
    name_zh = excluded.name_zh, name_en = excluded.name_en, aliases = excluded.aliases,
    national = excluded.national, shop_front = excluded.shop_front`

// PutCategories inserts or replaces categories by code, atomically.
func (s *Store) PutCategories(ctx context.Context, cs []data.Category) error {
	var ps []data.Problem
	seen := make(map[string]int, len(cs))
	for i := range cs {
		for _, p := range cs[i].Validate() {
			p.Record = i + 1
			ps = append(ps, p)
		}
		if first, ok := seen[cs[i].Code]; ok {
			ps = append(ps, data.Problem{Record: i + 1, Field: "code", Reason: fmt.Sprintf("repeats the code of record %d", first)})
		}
		seen[cs[i].Code] = i + 1
	}
	if len(ps) > 0 {
		return &data.Error{Code: data.EINVALID, Message: "invalid categories: nothing was stored", Problems: ps}
	}
	return s.inTx(ctx, false, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, c := range cs {
			aliases := c.Aliases
			if aliases == nil {
				aliases = []string{}
			}
			b.Queue(upsertCategoryQuery, c.Code, c.NameZh, c.NameEn, aliases, c.National, c.ShopFront)
		}
		return translate(tx.SendBatch(ctx, b).Close())
	})
}

const categoriesQuery = `
SELECT code, name_zh, name_en, aliases, national, shop_front
FROM categories ORDER BY code COLLATE "C"`

// Categories returns the taxonomy ordered by code.
func (s *Store) Categories(ctx context.Context) ([]data.Category, error) {
	rows, err := s.pool.Query(ctx, categoriesQuery)
	if err != nil {
		return nil, translate(err)
	}
	cs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Category, error) {
		var c data.Category
		err := row.Scan(&c.Code, &c.NameZh, &c.NameEn, &c.Aliases, &c.National, &c.ShopFront)
		if len(c.Aliases) == 0 {
			c.Aliases = nil
		}
		return c, err
	})
	if err != nil {
		return nil, translate(err)
	}
	return cs, nil
}
