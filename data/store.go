package data

import (
	"context"
	"time"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// ViolationStore keeps violations.
type ViolationStore interface {
	// PutViolations stores a batch in one transaction: all of it or, on any
	// error, none of it. A record whose (source, source_id) is already stored
	// is not inserted again; its Outcome carries the stored id and
	// Created=false. If the record Updates the stored one (see
	// Violation.Updates), the stored record takes its values, one
	// ViolationUpdate is written, it enters the change feed as a ChangeUpdate,
	// and the Outcome says Updated=true; otherwise the stored record stands.
	// Records must be valid and placed (Cell set).
	PutViolations(ctx context.Context, vs []Violation) ([]Outcome, error)
	// Violation returns one violation or ErrNotFound.
	Violation(ctx context.Context, id int64) (Violation, error)
	// Violations returns matching violations in ascending id order. The last
	// id of a page is the cursor (After) of the next; Offset skips that many
	// matches first.
	Violations(ctx context.Context, f ViolationFilter) ([]Violation, error)
	// CountViolations returns how many violations match f, paging (After,
	// Offset, Limit) aside.
	CountViolations(ctx context.Context, f ViolationFilter) (int, error)
	// ViolationHistory returns the updates of one violation in the order
	// they were applied (ascending Seq): none for a violation never updated,
	// ErrNotFound for no violation.
	ViolationHistory(ctx context.Context, id int64) ([]ViolationUpdate, error)
}

// TrackStore keeps patrol tracks and their dwell.
type TrackStore interface {
	// PutTrack stores a track with its fixes and dwell in one transaction. A
	// track whose (officer, source_id) is already stored is not written again.
	PutTrack(ctx context.Context, t Track) (Outcome, error)
	// PutTracks stores a batch of tracks in one transaction: all of it or,
	// on any error (an invalid track, a cancelled context, a lost
	// connection), none of it; each as PutTrack would.
	PutTracks(ctx context.Context, ts []Track) ([]Outcome, error)
	// Track returns one track with its fixes and dwell, or ErrNotFound.
	Track(ctx context.Context, id int64) (Track, error)
	// Tracks returns matching tracks in ascending id order; Offset skips
	// that many matches first.
	Tracks(ctx context.Context, f TrackFilter) ([]Track, error)
	// CountTracks returns how many tracks match f, paging (After, Offset,
	// Limit) aside.
	CountTracks(ctx context.Context, f TrackFilter) (int, error)
}

// RoadStore keeps roads with their segments.
type RoadStore interface {
	// PutRoad inserts or replaces a road and all its segments atomically,
	// recording a in the audit log in the same transaction (unless a.Action
	// is empty: a seed, a test).
	PutRoad(ctx context.Context, r Road, a AuditEntry) error
	// Road returns one road with segments, or ErrNotFound.
	Road(ctx context.Context, id string) (Road, error)
	// Roads returns every road with segments, ordered by id.
	Roads(ctx context.Context) ([]Road, error)
}

// CategoryStore keeps the violation taxonomy.
type CategoryStore interface {
	// PutCategories inserts or replaces categories by code, atomically.
	PutCategories(ctx context.Context, cs []Category) error
	// Categories returns the taxonomy ordered by code.
	Categories(ctx context.Context) ([]Category, error)
}

// KeyStore keeps API keys.
type KeyStore interface {
	// CreateKey stores a key and returns it with its id, recording a (its
	// Target set to the new id) in the audit log in the same transaction
	// unless a.Action is empty.
	CreateKey(ctx context.Context, k Key, a AuditEntry) (Key, error)
	// KeyByHash returns the unrevoked key with this token hash, or
	// ErrNotFound; an expired key is returned (its ExpiresAt says so).
	KeyByHash(ctx context.Context, hash []byte) (Key, error)
	// Keys returns every key (without revealing tokens), ordered by id.
	Keys(ctx context.Context) ([]Key, error)
	// RevokeKey marks a key revoked, recording a (its Target set to the
	// id) in the audit log in the
	// same transaction unless a.Action is empty; ErrNotFound if there is
	// none (and nothing is recorded).
	RevokeKey(ctx context.Context, id int64, a AuditEntry) error
}

// ChangeKind says what a Change records.
type ChangeKind string

// The kinds of change.
const (
	ChangeViolation ChangeKind = "violation" // a violation was stored
	ChangeDwell     ChangeKind = "dwell"     // patrol dwell was stored
	ChangeUpdate    ChangeKind = "update"    // a stored violation was updated
)

// Change is one entry of the ordered change feed: what the analytic index
// needs of each stored violation, update of a violation or dwell record,
// nothing more.
//
// A ChangeViolation carries what the violation was first stored with, even
// after it has been updated, and each of its updates follows as a
// ChangeUpdate with the values it replaced (Old) and the new ones (Cell,
// Point, Hour, Category, Source). An index that adds every ChangeViolation
// and, for every ChangeUpdate, takes one away at Old and adds one at
// Counted() therefore holds each violation once, where it is now, whether it
// reads the feed from the start or tails it. Old equals Counted() when only
// fields the index does not count by changed (a disposition, say).
type Change struct {
	Seq      int64 // strictly increasing in commit order
	Kind     ChangeKind
	Ref      int64     // violation id (violations and updates), or track id for dwell
	Cell     h3.Cell   // resolution CellResolution
	Point    orb.Point // violations and updates: where it was observed (WGS-84)
	Hour     time.Time // UTC hour: of observation, or of the dwell
	Category string    // violations and updates
	Source   Source    // violations and updates
	Seconds  float64   // dwell only
	Old      Counted   // updates only: what the violation was counted by before
}

// Counted returns what the change counts by: for a violation what it was
// stored with, for an update what it is counted by from now on.
func (c Change) Counted() Counted {
	return Counted{Cell: c.Cell, Point: c.Point, Hour: c.Hour, Category: c.Category, Source: c.Source}
}

// ChangeFeed is the ordered log of what was stored, for building and tailing
// the analytic index. A change is visible only once committed, and a change
// with a smaller Seq is never committed after one with a larger Seq, so a
// reader that remembers the last Seq it saw misses nothing.
type ChangeFeed interface {
	// Changes returns up to limit changes with Seq > after, in Seq order.
	Changes(ctx context.Context, after int64, limit int) ([]Change, error)
}

// AreaStore keeps the named areas.
type AreaStore interface {
	// PutArea inserts or replaces an area, recording a in the audit log in
	// the same transaction unless a.Action is empty. Its parent, if any,
	// must be stored (EINVALID otherwise).
	PutArea(ctx context.Context, area Area, a AuditEntry) error
	// Area returns one area, or ErrNotFound.
	Area(ctx context.Context, id string) (Area, error)
	// Areas returns every area, ordered by id.
	Areas(ctx context.Context) ([]Area, error)
}

// Store is the system of record: everything the service keeps.
type Store interface {
	ViolationStore
	TrackStore
	RoadStore
	CategoryStore
	AreaStore
	KeyStore
	AuditStore
	ChangeFeed
	// Ping reports whether the store can serve.
	Ping(ctx context.Context) error
	// Close releases the store's resources.
	Close() error
}

// Hour returns the start of t's clock hour in UTC, the time key of the
// analytic index.
func Hour(t time.Time) time.Time { return t.UTC().Truncate(time.Hour) }
