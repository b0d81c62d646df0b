package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
)

// copyThreshold is the batch size from which PutViolations loads rows with
// COPY into a temporary table instead of one INSERT over arrays. COPY costs a
// temporary table per transaction, which only pays off for big batches.
const copyThreshold = 500

// PutViolations stores a batch in one transaction; see data.ViolationStore.
// Records are checked first: an invalid or unplaced record, or a
// (source, source_id) repeated inside the batch, fails the whole batch with
// EINVALID and one Problem per fault.
func (s *Store) PutViolations(ctx context.Context, vs []data.Violation) ([]data.Outcome, error) {
	if err := data.CheckBatch(vs); err != nil {
		return nil, err
	}
	months := make([]time.Time, len(vs))
	for i, v := range vs {
		months[i] = v.ObservedAt
	}
	if err := s.ensurePartitions(ctx, "violations", months); err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return []data.Outcome{}, nil
	}
	var out []data.Outcome
	err := s.inTx(ctx, true, func(tx pgx.Tx) error {
		var err error
		out, err = putViolations(ctx, tx, vs)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// violationRows holds a batch column by column, as the array parameters of
// insertViolationsQuery and the rows of a COPY want it.
type violationRows struct {
	source, sourceID, category []string
	observedAt                 []time.Time
	lon, lat                   []float64
	datum                      []string
	cell                       []int64
	road                       []string
	segment                    []int32
	along, offset              []float64
	merchantID, severity, disp []string
	attributes                 []*string
	updatedAt                  []*time.Time // nil: none given
}

func newViolationRows(vs []data.Violation) *violationRows {
	n := len(vs)
	r := &violationRows{
		source: make([]string, n), sourceID: make([]string, n), category: make([]string, n),
		observedAt: make([]time.Time, n), lon: make([]float64, n), lat: make([]float64, n),
		datum: make([]string, n), cell: make([]int64, n), road: make([]string, n),
		segment: make([]int32, n), along: make([]float64, n), offset: make([]float64, n),
		merchantID: make([]string, n), severity: make([]string, n), disp: make([]string, n),
		attributes: make([]*string, n), updatedAt: make([]*time.Time, n),
	}
	for i, v := range vs {
		r.source[i], r.sourceID[i], r.category[i] = string(v.Source), v.SourceID, v.Category
		r.observedAt[i], r.lon[i], r.lat[i] = v.ObservedAt, v.Point[0], v.Point[1]
		r.datum[i], r.cell[i], r.road[i] = v.Datum, int64(v.Cell), v.Road
		r.segment[i], r.along[i], r.offset[i] = int32(v.Segment), v.Along, v.Offset
		r.merchantID[i], r.severity[i], r.disp[i] = v.MerchantID, v.Severity, v.Disposition
		if len(v.Attributes) > 0 {
			a := string(v.Attributes)
			r.attributes[i] = &a
		}
		if !v.UpdatedAt.IsZero() {
			r.updatedAt[i] = &v.UpdatedAt
		}
	}
	return r
}

func (r *violationRows) row(i int) []any {
	var attrs, updated any
	if r.attributes[i] != nil {
		attrs = *r.attributes[i]
	}
	if r.updatedAt[i] != nil {
		updated = *r.updatedAt[i]
	}
	return []any{int64(i + 1), r.source[i], r.sourceID[i], r.category[i], r.observedAt[i],
		r.lon[i], r.lat[i], r.datum[i], r.cell[i], r.road[i], r.segment[i], r.along[i],
		r.offset[i], r.merchantID[i], r.severity[i], r.disp[i], attrs, updated}
}

// insertKeyed is the insert of a staged batch u (its rows in batch order by
// ord): the idempotency key of each record not stored yet is claimed in
// violation_keys with a new id, and those records, only, go into the
// partitioned violations with their region (migration 00007). Ids and feed
// numbers follow batch order.
const insertKeyed = `,
k AS (
    INSERT INTO violation_keys (source, source_id, id, region)
    SELECT source, source_id, nextval('violation_ids'), h3_parent(cell, ` + regionRes + `) FROM u ORDER BY ord
    ON CONFLICT (source, source_id) DO NOTHING
    RETURNING source, source_id, id, region)
INSERT INTO violations (id, region, source, source_id, category, observed_at, lon, lat, datum, cell,
    road, segment, along_m, offset_m, merchant_id, severity, disposition, attributes, updated_at)
SELECT k.id, k.region, u.source, u.source_id, category, observed_at, lon, lat, datum, cell,
    road, segment, along_m, offset_m, merchant_id, severity, disposition, attributes::jsonb, updated_at
FROM u JOIN k ON k.source = u.source AND k.source_id = u.source_id
ORDER BY ord
RETURNING id, source, source_id`

// regionRes is RegionResolution as SQL text.
const regionRes = "5"

// insertViolationsQuery inserts a batch passed as one array per column, in
// batch order, skipping records whose (source, source_id) is stored.
const insertViolationsQuery = `
WITH u AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::float8[], $6::float8[],
        $7::text[], $8::bigint[], $9::text[], $10::int[], $11::float8[], $12::float8[],
        $13::text[], $14::text[], $15::text[], $16::text[], $17::timestamptz[])
    WITH ORDINALITY AS u(source, source_id, category, observed_at, lon, lat, datum, cell,
        road, segment, along_m, offset_m, merchant_id, severity, disposition, attributes, updated_at, ord))` + insertKeyed

// createViolationsInQuery makes the staging table for COPY; it goes away at
// the end of the transaction.
const createViolationsInQuery = `
CREATE TEMPORARY TABLE violations_in (
    ord bigint, source text, source_id text, category text, observed_at timestamptz,
    lon float8, lat float8, datum text, cell bigint, road text, segment int,
    along_m float8, offset_m float8, merchant_id text, severity text, disposition text,
    attributes jsonb, updated_at timestamptz
) ON COMMIT DROP`

var violationsInColumns = []string{"ord", "source", "source_id", "category", "observed_at",
	"lon", "lat", "datum", "cell", "road", "segment", "along_m", "offset_m", "merchant_id",
	"severity", "disposition", "attributes", "updated_at"}

// insertViolationsInQuery moves the staged batch into violations.
const insertViolationsInQuery = `WITH u AS (SELECT * FROM violations_in)` + insertKeyed

// violationIDsQuery returns the stored id and region of every record of a
// list, by its 1-based position: the records of a batch that were stored
// before it.
const violationIDsQuery = `
SELECT v.id, v.region, u.ord
FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(source, source_id, ord)
JOIN violation_keys v ON v.source = u.source AND v.source_id = u.source_id`

func putViolations(ctx context.Context, tx pgx.Tx, vs []data.Violation) ([]data.Outcome, error) {
	r := newViolationRows(vs)
	var rows pgx.Rows
	var err error
	if len(vs) < copyThreshold {
		rows, err = tx.Query(ctx, insertViolationsQuery, r.source, r.sourceID, r.category,
			r.observedAt, r.lon, r.lat, r.datum, r.cell, r.road, r.segment, r.along, r.offset,
			r.merchantID, r.severity, r.disp, r.attributes, r.updatedAt)
	} else {
		if _, err := tx.Exec(ctx, createViolationsInQuery); err != nil {
			return nil, translate(err)
		}
		src := pgx.CopyFromSlice(len(vs), func(i int) ([]any, error) { return r.row(i), nil })
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"violations_in"}, violationsInColumns, src); err != nil {
			return nil, translate(err)
		}
		rows, err = tx.Query(ctx, insertViolationsInQuery)
	}
	if err != nil {
		return nil, translate(err)
	}
	out, err := createdOutcomes(rows, vs)
	if err != nil {
		return nil, err
	}
	regions, err := findStored(ctx, tx, vs, out)
	if err != nil {
		return nil, err
	}
	var resent []int64 // ids of records stored before this batch
	for i, o := range out {
		if o.ID == 0 {
			return nil, fmt.Errorf("postgres: record %d of the batch was neither stored nor found", i+1)
		}
		if !o.Created {
			resent = append(resent, o.ID)
		}
	}
	if len(resent) > 0 {
		if err := updateViolations(ctx, tx, vs, resent, regions, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// createdOutcomes reads the rows an insert of batch vs returned, the
// records it created, into outcomes by position; the others stay zero.
func createdOutcomes(rows pgx.Rows, vs []data.Violation) ([]data.Outcome, error) {
	at := make(map[[2]string]int, len(vs)) // (source, source_id) are unique in a checked batch
	for i, v := range vs {
		at[[2]string{string(v.Source), v.SourceID}] = i
	}
	out := make([]data.Outcome, len(vs))
	var id int64
	var key [2]string
	_, err := pgx.ForEachRow(rows, []any{&id, &key[0], &key[1]}, func() error {
		i, ok := at[key]
		if !ok {
			return fmt.Errorf("postgres: the insert returned (%s, %s), not of the batch", key[0], key[1])
		}
		out[i] = data.Outcome{ID: id, Created: true}
		return nil
	})
	if err != nil {
		return nil, translate(err)
	}
	return out, nil
}

// findStored sets the ids of the records of vs that the insert did not
// create (zero in out): those stored before. When it created every one,
// it looks nothing up. It returns the region of each, by id: where its row is.
func findStored(ctx context.Context, tx pgx.Tx, vs []data.Violation, out []data.Outcome) (map[int64]int64, error) {
	var pos []int
	var sources, ids []string
	for i, o := range out {
		if o.ID == 0 {
			pos = append(pos, i)
			sources, ids = append(sources, string(vs[i].Source)), append(ids, vs[i].SourceID)
		}
	}
	if len(pos) == 0 {
		return nil, nil
	}
	rows, err := tx.Query(ctx, violationIDsQuery, sources, ids)
	if err != nil {
		return nil, translate(err)
	}
	regions := make(map[int64]int64, len(pos))
	var id, reg, ord int64
	_, err = pgx.ForEachRow(rows, []any{&id, &reg, &ord}, func() error {
		out[pos[ord-1]] = data.Outcome{ID: id}
		regions[id] = reg
		return nil
	})
	return regions, translate(err)
}

// storedViolationsQuery reads the stored records of a batch's re-sends. The
// feed lock is held: nobody else changes them until the transaction ends.
const storedViolationsQuery = `SELECT ` + violationColumns + ` FROM violations WHERE region = ANY($2) AND id = ANY($1)`

// updateViolationQuery rewrites every field but the id, the names (source,
// source_id), the region and the feed number of the record as first stored;
// it names the row's region, the distribution column, so a sharded
// deployment routes it to one shard.
const updateViolationQuery = `
UPDATE violations SET category = $2, observed_at = $3, lon = $4, lat = $5, datum = $6, cell = $7,
    road = $8, segment = $9, along_m = $10, offset_m = $11, merchant_id = $12, severity = $13,
    disposition = $14, attributes = $15::jsonb, updated_at = $16
WHERE region = $17 AND id = $1`

// insertUpdateQuery writes one history row; its seq is drawn here, under the
// feed lock (see the package comment).
const insertUpdateQuery = `
INSERT INTO violation_updates (violation_id, changed_at, actor, updated_at, fields,
    old_cell, old_observed_at, old_category, old_source, old_lon, old_lat,
    new_cell, new_observed_at, new_category, new_source, new_lon, new_lat)
VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`

// updateViolations applies the re-sends of the batch (whose stored ids are
// resent) that update their stored records, each with a history row.
func updateViolations(ctx context.Context, tx pgx.Tx, vs []data.Violation, resent []int64, regions map[int64]int64, out []data.Outcome) error {
	var inRegions []int64
	for _, r := range regions {
		inRegions = append(inRegions, r)
	}
	rows, err := tx.Query(ctx, storedViolationsQuery, resent, inRegions)
	if err != nil {
		return translate(err)
	}
	stored, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Violation, error) { return scanViolation(row) })
	if err != nil {
		return translate(err)
	}
	byID := make(map[int64]*data.Violation, len(stored))
	for i := range stored {
		byID[stored[i].ID] = &stored[i]
	}
	now := time.Now()
	b := &pgx.Batch{}
	var updated []int
	for i := range vs {
		v, old := &vs[i], byID[out[i].ID]
		if out[i].Created || old == nil || !v.Updates(old) {
			continue
		}
		fields, err := json.Marshal(data.Diff(old, v))
		if err != nil {
			return fmt.Errorf("postgres: update violation %d: %w", i+1, err)
		}
		var attrs *string
		if len(v.Attributes) > 0 {
			a := string(v.Attributes)
			attrs = &a
		}
		b.Queue(updateViolationQuery, old.ID, v.Category, v.ObservedAt, v.Point[0], v.Point[1], v.Datum,
			int64(v.Cell), v.Road, int32(v.Segment), v.Along, v.Offset, v.MerchantID, v.Severity,
			v.Disposition, attrs, v.UpdatedAt, regions[old.ID])
		b.Queue(insertUpdateQuery, old.ID, now, v.UpdatedBy, v.UpdatedAt, string(fields),
			int64(old.Cell), old.ObservedAt, old.Category, string(old.Source), old.Point[0], old.Point[1],
			int64(v.Cell), v.ObservedAt, v.Category, string(v.Source), v.Point[0], v.Point[1])
		updated = append(updated, i)
	}
	if len(updated) == 0 {
		return nil
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return translate(err)
	}
	for _, i := range updated {
		out[i].Updated = true
	}
	return nil
}

const violationColumns = `id, source, source_id, category, observed_at, lon, lat, datum, cell,
    road, segment, along_m, offset_m, merchant_id, severity, disposition, attributes, updated_at`

func scanViolation(row pgx.Row) (data.Violation, error) {
	var v data.Violation
	var source string
	var cell int64
	var attrs []byte
	var updated *time.Time
	err := row.Scan(&v.ID, &source, &v.SourceID, &v.Category, &v.ObservedAt, &v.Point[0], &v.Point[1],
		&v.Datum, &cell, &v.Road, &v.Segment, &v.Along, &v.Offset, &v.MerchantID, &v.Severity,
		&v.Disposition, &attrs, &updated)
	if err != nil {
		return data.Violation{}, err
	}
	v.Source, v.Cell, v.ObservedAt = data.Source(source), h3.Cell(cell), v.ObservedAt.UTC()
	if len(attrs) > 0 {
		v.Attributes = attrs
	}
	if updated != nil {
		v.UpdatedAt = updated.UTC()
	}
	return v, nil
}

const violationQuery = `SELECT ` + violationColumns + ` FROM violations WHERE id = $1`

// Violation returns one violation or data.ErrNotFound.
func (s *Store) Violation(ctx context.Context, id int64) (data.Violation, error) {
	v, err := scanViolation(s.pool.QueryRow(ctx, violationQuery, id))
	if err != nil {
		return data.Violation{}, translate(err)
	}
	return v, nil
}

// where collects the conditions of a WHERE clause with their arguments.
// Conditions come from the code, never from input; each names its argument
// as $%d.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, arg any) {
	w.args = append(w.args, arg)
	w.conds = append(w.conds, fmt.Sprintf(cond, len(w.args)))
}

// arg adds an argument that is not part of a condition (a LIMIT) and
// returns its placeholder.
func (w *where) arg(a any) string {
	w.args = append(w.args, a)
	return "$" + strconv.Itoa(len(w.args))
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// Violations returns matching violations in ascending id order. The bound is
// inclusive on all sides; the time range is [From, To).
func (s *Store) Violations(ctx context.Context, f data.ViolationFilter) ([]data.Violation, error) {
	w := violationWhere(f)
	order := ` ORDER BY id`
	if f.Newest {
		order = ` ORDER BY id DESC`
	}
	q := `SELECT ` + violationColumns + ` FROM violations` + w.String() + order + ` LIMIT ` + w.arg(f.PageLimit()) + ` OFFSET ` + w.arg(max(f.Offset, 0))
	rows, err := s.pool.Query(ctx, q, w.args...)
	if err != nil {
		return nil, translate(err)
	}
	vs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Violation, error) { return scanViolation(row) })
	if err != nil {
		return nil, translate(err)
	}
	return vs, nil
}

func addBound(w *where, b orb.Bound) {
	w.add("lon >= $%d", b.Min[0])
	w.add("lon <= $%d", b.Max[0])
	w.add("lat >= $%d", b.Min[1])
	w.add("lat <= $%d", b.Max[1])
}

// CountViolations returns how many violations match f, paging aside.
func (s *Store) CountViolations(ctx context.Context, f data.ViolationFilter) (int, error) {
	f.After = 0
	w := violationWhere(f)
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM violations`+w.String(), w.args...).Scan(&n); err != nil {
		return 0, translate(err)
	}
	return n, nil
}

func violationWhere(f data.ViolationFilter) where {
	var w where
	if !f.From.IsZero() {
		w.add("observed_at >= $%d", f.From)
	}
	if !f.To.IsZero() {
		w.add("observed_at < $%d", f.To)
	}
	if f.Bound != nil {
		addBound(&w, *f.Bound)
	}
	if len(f.Categories) > 0 {
		w.add("category = ANY($%d)", f.Categories)
	}
	if len(f.Sources) > 0 {
		sources := make([]string, len(f.Sources))
		for i, s := range f.Sources {
			sources[i] = string(s)
		}
		w.add("source = ANY($%d)", sources)
	}
	if f.Road != "" {
		w.add("road = $%d", f.Road)
	}
	if f.Merchant != "" {
		w.add("merchant_id = $%d", f.Merchant)
	}
	if f.Merchants {
		w.conds = append(w.conds, "merchant_id <> ''")
	}
	switch {
	case f.After > 0 && f.Newest:
		w.add("id < $%d", f.After)
	case f.After > 0:
		w.add("id > $%d", f.After)
	}
	return w
}
