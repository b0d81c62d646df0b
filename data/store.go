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
	// is not written again; its Outcome carries the stored id and Created=false.
	// Records must be valid and placed (Cell set).
	PutViolations(ctx context.Context, vs []Violation) ([]Outcome, error)
	// Violation returns one violation or ErrNotFound.
	Violation(ctx context.Context, id int64) (Violation, error)
	// Violations returns matching violations in ascending id order. The last
	// id of a page is the cursor (After) of the next.
	Violations(ctx context.Context, f ViolationFilter) ([]Violation, error)
}

// TrackStore keeps patrol tracks and their dwell.
type TrackStore interface {
	// PutTrack stores a track with its fixes and dwell in one transaction. A
	// track whose (officer, source_id) is already stored is not written again.
	PutTrack(ctx context.Context, t Track) (Outcome, error)
	// Track returns one track with its fixes and dwell, or ErrNotFound.
	Track(ctx context.Context, id int64) (Track, error)
	// Tracks returns matching tracks in ascending id order.
	Tracks(ctx context.Context, f TrackFilter) ([]Track, error)
}

// RoadStore keeps roads with their segments.
type RoadStore interface {
	// PutRoad inserts or replaces a road and all its segments atomically.
	PutRoad(ctx context.Context, r Road) error
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
	// CreateKey stores a key and returns it with its id.
	CreateKey(ctx context.Context, k Key) (Key, error)
	// KeyByHash returns the unrevoked key with this token hash, or ErrNotFound.
	KeyByHash(ctx context.Context, hash []byte) (Key, error)
	// Keys returns every key (without revealing tokens), ordered by id.
	Keys(ctx context.Context) ([]Key, error)
	// RevokeKey marks a key revoked; ErrNotFound if there is none.
	RevokeKey(ctx context.Context, id int64) error
}

// ChangeKind says what a Change records.
type ChangeKind string

// The kinds of change.
const (
	ChangeViolation ChangeKind = "violation" // a violation was stored
	ChangeDwell     ChangeKind = "dwell"     // patrol dwell was stored
)

// Change is one entry of the ordered change feed: what the analytic index
// needs of each stored violation or dwell record, nothing more.
type Change struct {
	Seq      int64 // strictly increasing in commit order
	Kind     ChangeKind
	Ref      int64     // violation id, or track id for dwell
	Cell     h3.Cell   // resolution CellResolution
	Point    orb.Point // violations only: where it was observed (WGS-84)
	Hour     time.Time // UTC hour: of observation, or of the dwell
	Category string    // violations only
	Source   Source    // violations only
	Seconds  float64   // dwell only
}

// ChangeFeed is the ordered log of what was stored, for building and tailing
// the analytic index. A change is visible only once committed, and a change
// with a smaller Seq is never committed after one with a larger Seq, so a
// reader that remembers the last Seq it saw misses nothing.
type ChangeFeed interface {
	// Changes returns up to limit changes with Seq > after, in Seq order.
	Changes(ctx context.Context, after int64, limit int) ([]Change, error)
}

// Store is the system of record: everything the service keeps.
type Store interface {
	ViolationStore
	TrackStore
	RoadStore
	CategoryStore
	KeyStore
	ChangeFeed
	// Ping reports whether the store can serve.
	Ping(ctx context.Context) error
	// Close releases the store's resources.
	Close() error
}

// Hour returns the start of t's clock hour in UTC, the time key of the
// analytic index.
func Hour(t time.Time) time.Time { return t.UTC().Truncate(time.Hour) }
