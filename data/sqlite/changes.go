package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
)

// The feed is read from the three tables that carry feed numbers, each by
// its index on seq, one query a table: a UNION ALL of the three would have
// every row carry the columns of all of them, which costs more to read than
// the queries do. Each query takes the rows with after < seq <= bound, where
// bound is the limit-th seq found by the queries before it, so none reads
// much past the page.
//
// A violation is reported with the values it was first stored with: those of
// its row until it is updated, then the old_ values of its first update (found
// through violation_updates_violation). Its updates follow with their old_ and
// new_ values, so the feed read from any point tells the same story.
const (
	selectDwellChanges = `SELECT seq, track_id, cell, hour_us, seconds
		FROM dwell WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`

	selectViolationChanges = `SELECT v.seq, v.id, coalesce(u.old_cell, v.cell),
		coalesce(u.old_observed_us, v.observed_us), coalesce(u.old_category, v.category), v.source,
		coalesce(u.old_lon, v.lon), coalesce(u.old_lat, v.lat)
		FROM violations v
		LEFT JOIN violation_updates u
			ON u.seq = (SELECT min(f.seq) FROM violation_updates f WHERE f.violation_id = v.id)
		WHERE v.seq > ? AND v.seq <= ? ORDER BY v.seq LIMIT ?`

	selectUpdateChanges = `SELECT seq, violation_id, new_cell, new_observed_us, new_category, new_source,
		new_lon, new_lat, old_cell, old_observed_us, old_category, old_source, old_lon, old_lat
		FROM violation_updates WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`
)

// feedTables are the queries of the feed, with the scan of each one's rows.
// Dwell comes first: it has most rows, so its page bounds the others best.
var feedTables = []struct {
	query string
	scan  func(*sql.Rows) (data.Change, error)
}{
	{selectDwellChanges, scanDwellChange},
	{selectViolationChanges, scanViolationChange},
	{selectUpdateChanges, scanUpdateChange},
}

// Changes returns up to limit changes after seq, in order. The queries run
// in one read transaction, so they see one snapshot of the database.
func (s *Store) Changes(ctx context.Context, after int64, limit int) ([]data.Change, error) {
	if limit <= 0 {
		limit = data.MaxPage
	}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // a deferred BEGIN: no write lock
	if err != nil {
		return nil, fmt.Errorf("sqlite: changes: %w", err)
	}
	defer tx.Rollback()
	var cs []data.Change
	for _, t := range feedTables {
		bound := int64(math.MaxInt64)
		if len(cs) == limit {
			bound = cs[limit-1].Seq
		}
		page, err := readChanges(ctx, tx, t.query, t.scan, after, bound, limit)
		if err != nil {
			return nil, err
		}
		cs = mergeChanges(cs, page, limit)
	}
	return cs, nil
}

func readChanges(ctx context.Context, tx *sql.Tx, query string, scan func(*sql.Rows) (data.Change, error),
	after, bound int64, limit int) ([]data.Change, error) {
	rows, err := tx.QueryContext(ctx, query, after, bound, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: changes: %w", err)
	}
	defer rows.Close()
	var cs []data.Change
	for rows.Next() {
		c, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: changes: %w", err)
		}
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: changes: %w", err)
	}
	return cs, nil
}

// mergeChanges merges two lists in Seq order and keeps the first limit.
func mergeChanges(a, b []data.Change, limit int) []data.Change {
	if len(a) == 0 {
		return b
	}
	if len(b) == 0 {
		return a
	}
	out := make([]data.Change, 0, min(len(a)+len(b), limit))
	for len(out) < limit && (len(a) > 0 || len(b) > 0) {
		if len(b) == 0 || (len(a) > 0 && a[0].Seq < b[0].Seq) {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return out
}

func scanDwellChange(r *sql.Rows) (data.Change, error) {
	c := data.Change{Kind: data.ChangeDwell}
	var cell, us int64
	err := r.Scan(&c.Seq, &c.Ref, &cell, &us, &c.Seconds)
	c.Cell, c.Hour = h3.Cell(cell), data.Hour(fromMicros(us))
	return c, err
}

func scanViolationChange(r *sql.Rows) (data.Change, error) {
	c := data.Change{Kind: data.ChangeViolation}
	var cell, us int64
	err := r.Scan(&c.Seq, &c.Ref, &cell, &us, &c.Category, &c.Source, &c.Point[0], &c.Point[1])
	c.Cell, c.Hour = h3.Cell(cell), data.Hour(fromMicros(us))
	return c, err
}

func scanUpdateChange(r *sql.Rows) (data.Change, error) {
	c := data.Change{Kind: data.ChangeUpdate}
	var n, o counted
	err := r.Scan(&c.Seq, &c.Ref, &n.cell, &n.observed, &n.c.Category, &n.c.Source, &n.c.Point[0], &n.c.Point[1],
		&o.cell, &o.observed, &o.c.Category, &o.c.Source, &o.c.Point[0], &o.c.Point[1])
	nc := n.counted()
	c.Cell, c.Point, c.Hour, c.Category, c.Source, c.Old = nc.Cell, nc.Point, nc.Hour, nc.Category, nc.Source, o.counted()
	return c, err
}
