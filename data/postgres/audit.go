package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/dazhigu/hotspot/data"
)

// appendAudit records an admin action in the action's transaction; an
// entry without an action records nothing.
func appendAudit(ctx context.Context, tx pgx.Tx, e data.AuditEntry) error {
	if e.Action == "" {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO audit_log (actor, action, target, detail) VALUES ($1, $2, $3, $4)`,
		e.Actor, e.Action, e.Target, e.Detail)
	return translate(err)
}

// Audit returns entries after a Seq, in order.
func (s *Store) Audit(ctx context.Context, after int64, limit int) ([]data.AuditEntry, error) {
	rows, err := s.pool.Query(ctx, `SELECT seq, at, actor, action, target, detail FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
		after, data.PageLimit(limit))
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.AuditEntry, error) {
		var e data.AuditEntry
		err := row.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Target, &e.Detail)
		e.At = e.At.UTC()
		return e, err
	})
	return out, translate(err)
}
