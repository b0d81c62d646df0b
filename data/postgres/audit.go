package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/dazhigu/hotspot/data"
)

// AppendAudit records an admin action.
func (s *Store) AppendAudit(ctx context.Context, e data.AuditEntry) (data.AuditEntry, error) {
	err := s.pool.QueryRow(ctx, `INSERT INTO audit_log (actor, action, target, detail) VALUES ($1, $2, $3, $4) RETURNING seq, at`,
		e.Actor, e.Action, e.Target, e.Detail).Scan(&e.Seq, &e.At)
	if err != nil {
		return data.AuditEntry{}, translate(err)
	}
	e.At = e.At.UTC()
	return e, nil
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
