package data

import (
	"context"
	"time"
)

// AuditEntry is one admin action: who did what to what, and when.
type AuditEntry struct {
	Seq    int64     // increasing in the order actions were recorded
	At     time.Time // set by the store
	Actor  string    // the key's name, or "cli (user)" for hotspotd commands
	Action string    // e.g. "key.create", "key.revoke", "road.put"
	Target string    // e.g. the key's id, the road's id
	Detail string    // e.g. the key's role and name
}

// AuditStore keeps the audit log of admin actions. An entry is written by
// the action it records, in the action's transaction (PutRoad, CreateKey,
// RevokeKey take it): an action is logged if and only if it is done.
type AuditStore interface {
	// Audit returns up to limit entries with Seq > after, in Seq order.
	Audit(ctx context.Context, after int64, limit int) ([]AuditEntry, error)
}
