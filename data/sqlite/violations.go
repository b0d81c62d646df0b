package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
)

const (
	violationColumns = `id, source, source_id, category, observed_us, lon, lat, datum, cell,
		road, segment, along_m, offset_m, merchant_id, severity, disposition, attributes, updated_us`

	findViolation = `SELECT ` + violationColumns + ` FROM violations WHERE source = ? AND source_id = ?`

	insertViolation = `INSERT INTO violations (seq, source, source_id, category, observed_us,
		lon, lat, datum, cell, road, segment, along_m, offset_m, merchant_id, severity,
		disposition, attributes, updated_us, created_us)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

	// updateViolation rewrites every field but the id, the names (source,
	// source_id) and the feed number of the record as first stored.
	updateViolation = `UPDATE violations SET category = ?, observed_us = ?, lon = ?, lat = ?,
		datum = ?, cell = ?, road = ?, segment = ?, along_m = ?, offset_m = ?, merchant_id = ?,
		severity = ?, disposition = ?, attributes = ?, updated_us = ?
		WHERE id = ?`

	insertUpdate = `INSERT INTO violation_updates (seq, violation_id, changed_us, actor, updated_us,
		fields, old_cell, old_observed_us, old_category, old_source, old_lon, old_lat,
		new_cell, new_observed_us, new_category, new_source, new_lon, new_lat)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
)

// PutViolations stores a batch atomically; see data.ViolationStore.
func (s *Store) PutViolations(ctx context.Context, vs []data.Violation) ([]data.Outcome, error) {
	if err := data.CheckBatch(vs); err != nil {
		return nil, err
	}
	out := make([]data.Outcome, len(vs))
	err := s.inTx(ctx, func(tx *sql.Tx) error { return putViolations(ctx, tx, vs, out) })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// update is a re-sent record that updates the stored one.
type update struct {
	i      int // position in the batch
	stored data.Violation
}

func putViolations(ctx context.Context, tx *sql.Tx, vs []data.Violation, out []data.Outcome) error {
	find, err := tx.PrepareContext(ctx, findViolation)
	if err != nil {
		return fmt.Errorf("sqlite: prepare: %w", err)
	}
	defer find.Close()
	var fresh []int
	var updates []update
	for i := range vs {
		stored, err := scanViolation(find.QueryRowContext(ctx, string(vs[i].Source), vs[i].SourceID))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			fresh = append(fresh, i)
		case err != nil:
			return fmt.Errorf("sqlite: find violation: %w", err)
		default:
			out[i].ID = stored.ID
			if vs[i].Updates(&stored) {
				updates = append(updates, update{i: i, stored: stored})
			}
		}
	}
	if len(fresh)+len(updates) == 0 {
		return nil
	}
	seq, err := nextSeqs(ctx, tx, len(fresh)+len(updates))
	if err != nil {
		return err
	}
	now := time.Now()
	if err := insertViolations(ctx, tx, vs, fresh, seq, micros(now), out); err != nil {
		return err
	}
	return updateViolations(ctx, tx, vs, updates, seq+int64(len(fresh)), now, out)
}

// insertViolations inserts the records of vs at positions fresh with feed
// numbers from seq on.
func insertViolations(ctx context.Context, tx *sql.Tx, vs []data.Violation, fresh []int, seq, now int64, out []data.Outcome) error {
	if len(fresh) == 0 {
		return nil
	}
	ins, err := tx.PrepareContext(ctx, insertViolation)
	if err != nil {
		return fmt.Errorf("sqlite: prepare: %w", err)
	}
	defer ins.Close()
	for j, i := range fresh {
		v := vs[i]
		res, err := ins.ExecContext(ctx, seq+int64(j), string(v.Source), v.SourceID, v.Category,
			micros(v.ObservedAt), v.Point[0], v.Point[1], v.Datum, int64(v.Cell), v.Road, v.Segment,
			v.Along, v.Offset, v.MerchantID, v.Severity, v.Disposition, nullJSON(v.Attributes),
			nullMicros(v.UpdatedAt), now)
		if err != nil {
			return fmt.Errorf("sqlite: insert violation %d: %w", i+1, err)
		}
		if out[i].ID, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("sqlite: insert violation %d: %w", i+1, err)
		}
		out[i].Created = true
	}
	return nil
}

// updateViolations applies the updates, each with a history row numbered
// from seq on.
func updateViolations(ctx context.Context, tx *sql.Tx, vs []data.Violation, us []update, seq int64, now time.Time, out []data.Outcome) error {
	for j, u := range us {
		v, old := vs[u.i], u.stored
		fields, err := json.Marshal(data.Diff(&old, &v))
		if err != nil {
			return fmt.Errorf("sqlite: update violation %d: %w", u.i+1, err)
		}
		if _, err := tx.ExecContext(ctx, updateViolation, v.Category, micros(v.ObservedAt),
			v.Point[0], v.Point[1], v.Datum, int64(v.Cell), v.Road, v.Segment, v.Along, v.Offset,
			v.MerchantID, v.Severity, v.Disposition, nullJSON(v.Attributes), nullMicros(v.UpdatedAt),
			old.ID); err != nil {
			return fmt.Errorf("sqlite: update violation %d: %w", u.i+1, err)
		}
		if _, err := tx.ExecContext(ctx, insertUpdate, seq+int64(j), old.ID, micros(now), v.UpdatedBy,
			micros(v.UpdatedAt), string(fields),
			int64(old.Cell), micros(old.ObservedAt), old.Category, string(old.Source), old.Point[0], old.Point[1],
			int64(v.Cell), micros(v.ObservedAt), v.Category, string(v.Source), v.Point[0], v.Point[1]); err != nil {
			return fmt.Errorf("sqlite: history of violation %d: %w", u.i+1, err)
		}
		out[u.i].Updated = true
	}
	return nil
}

// Violation returns one violation by id.
func (s *Store) Violation(ctx context.Context, id int64) (data.Violation, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+violationColumns+` FROM violations WHERE id = ?`, id)
	v, err := scanViolation(row)
	if err != nil {
		return data.Violation{}, notFound(err, fmt.Sprintf("violation %d", id))
	}
	return v, nil
}

// Violations returns a page of matching violations in id order.
func (s *Store) Violations(ctx context.Context, f data.ViolationFilter) ([]data.Violation, error) {
	where, args := violationWhere(f)
	order := ` ORDER BY id`
	if f.Newest {
		order = ` ORDER BY id DESC`
	}
	q := `SELECT ` + violationColumns + ` FROM violations WHERE ` + where + order + ` LIMIT ? OFFSET ?`
	rows, err := s.db.QueryContext(ctx, q, append(args, f.PageLimit(), max(f.Offset, 0))...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: violations: %w", err)
	}
	defer rows.Close()
	var vs []data.Violation
	for rows.Next() {
		v, err := scanViolation(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: violations: %w", err)
		}
		vs = append(vs, v)
	}
	return vs, rows.Err()
}

// CountViolations returns how many violations match f, paging aside.
func (s *Store) CountViolations(ctx context.Context, f data.ViolationFilter) (int, error) {
	f.After = 0
	where, args := violationWhere(f)
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM violations WHERE `+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count violations: %w", err)
	}
	return n, nil
}

func violationWhere(f data.ViolationFilter) (string, []any) {
	conds := []string{"id > ?"}
	args := []any{f.After}
	if f.Newest && f.After > 0 {
		conds[0] = "id < ?"
	}
	add := func(cond string, a ...any) { conds = append(conds, cond); args = append(args, a...) }
	if f.Bound != nil {
		add("lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?", f.Bound.Min[0], f.Bound.Max[0], f.Bound.Min[1], f.Bound.Max[1])
	}
	if !f.From.IsZero() {
		add("observed_us >= ?", micros(f.From))
	}
	if !f.To.IsZero() {
		add("observed_us < ?", micros(f.To))
	}
	if len(f.Categories) > 0 {
		add("category IN ("+placeholders(len(f.Categories))+")", anys(f.Categories)...)
	}
	if len(f.Sources) > 0 {
		add("source IN ("+placeholders(len(f.Sources))+")", anys(f.Sources)...)
	}
	if f.Road != "" {
		add("road = ?", f.Road)
	}
	if f.Merchant != "" {
		add("merchant_id = ?", f.Merchant)
	}
	if f.Merchants {
		add("merchant_id <> ''")
	}
	return strings.Join(conds, " AND "), args
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

func anys[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

type scanner interface{ Scan(dest ...any) error }

func scanViolation(r scanner) (data.Violation, error) {
	var v data.Violation
	var observed, cell int64
	var attrs sql.NullString
	var updated sql.NullInt64
	err := r.Scan(&v.ID, &v.Source, &v.SourceID, &v.Category, &observed, &v.Point[0], &v.Point[1],
		&v.Datum, &cell, &v.Road, &v.Segment, &v.Along, &v.Offset, &v.MerchantID, &v.Severity,
		&v.Disposition, &attrs, &updated)
	v.ObservedAt, v.Cell = fromMicros(observed), h3.Cell(cell)
	if attrs.Valid {
		v.Attributes = []byte(attrs.String)
	}
	if updated.Valid {
		v.UpdatedAt = fromMicros(updated.Int64)
	}
	return v, err
}

// nullMicros stores a zero time as NULL.
func nullMicros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return micros(t)
}

func nullJSON(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return string(b)
}
