// Package postgres is the PostgreSQL implementation of data.Store, through
// pgx. The schema lives in migrations/postgres and is applied by Migrate.
//
// # Change feed order
//
// Violations, dwell rows and violation_updates (the history of updated
// violations) carry a seq drawn from one sequence, and the feed (Changes)
// reads them in seq order. Sequence values are handed out when a
// transaction asks for them, not when it commits: a transaction that drew
// seq 10 may commit after one that drew seq 11, and a reader that saw 11 and
// then asks for seq > 11 would never see 10. To rule that out, every
// transaction that writes feed rows takes pg_advisory_xact_lock(feedLock)
// before it inserts anything, and so before it draws a seq; the lock is held
// until the transaction ends. Writers of the feed therefore run one at a time
// and commit in the order in which they drew their seqs, which is what
// data.ChangeFeed promises. (Ids of violations and tracks are drawn under the
// same lock, so id cursors of Violations and Tracks are safe in the same way.)
// The lock is taken only by feed writers: reads, roads, categories and keys
// do not wait for it.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/migrations"
)

// feedLock is the advisory lock key that serialises writers of the change
// feed ("hotspot" in ASCII).
const feedLock int64 = 0x686f7473706f74

// migrateLock is the advisory lock class that serialises Migrate calls on
// one schema; the second key is a hash of the schema's name.
const migrateLock int32 = 0x686f7473 // "hots"

// Store is a data.Store backed by a PostgreSQL connection pool.
type Store struct {
	pool  *pgxpool.Pool
	parts partitions
}

var _ data.Store = (*Store)(nil)

// Open connects to the database at url (a postgres:// URL or key=value
// string as understood by pgx) and checks that it answers. The schema must
// already be migrated; see Migrate.
func Open(ctx context.Context, url string) (*Store, error) {
	s, err := New(ctx, url)
	if err != nil {
		return nil, err
	}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// New returns a store for the database at url whose connections are made
// when they are first needed: unlike Open it does not fail while the
// database is down, and its calls answer data.Unavailable until it is up.
func New(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return &Store{pool: pool, parts: partitions{known: map[string]bool{}}}, nil
}

const migrateLockQuery = `SELECT pg_advisory_lock($1, hashtext(current_schema()))`
const migrateUnlockQuery = `SELECT pg_advisory_unlock($1, hashtext(current_schema()))`

// Migrate brings the schema of the database at url up to date with
// migrations.Postgres(). Concurrent calls (several instances starting at
// once) wait for one another on an advisory lock.
func Migrate(ctx context.Context, url string) error {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	if err := migrate(ctx, db); err != nil {
		if unreachable(err) && !errors.Is(err, context.Canceled) {
			return data.Unavailable(err)
		}
		return err
	}
	return nil
}

func migrate(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, migrateLockQuery, migrateLock); err != nil {
		return fmt.Errorf("postgres: migrate: lock: %w", err)
	}
	// A session lock outlives a failed statement; release it explicitly.
	defer func() { _, _ = conn.ExecContext(context.WithoutCancel(ctx), migrateUnlockQuery, migrateLock) }()

	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.Postgres())
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	// The partitions of the coming months, ahead of the writes.
	if _, err := conn.ExecContext(ctx, ensureAheadQuery, AheadMonths); err != nil {
		return fmt.Errorf("postgres: migrate: partitions: %w", err)
	}
	return nil
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	return translate(s.pool.Ping(ctx))
}

// Close closes the pool, waiting for connections in use to be released.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

const lockFeedQuery = `SELECT pg_advisory_xact_lock($1)`

// inTx runs fn in one transaction and commits it if fn succeeds. With feed
// set, the transaction first takes the feed lock (see the package comment).
func (s *Store) inTx(ctx context.Context, feed bool, fn func(pgx.Tx) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{})
	if err != nil {
		return translate(err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }() // a no-op after Commit
	if feed {
		if _, err := tx.Exec(ctx, lockFeedQuery, feedLock); err != nil {
			return translate(err)
		}
	}
	if err := fn(tx); err != nil {
		return translate(err)
	}
	return translate(tx.Commit(ctx))
}

// PostgreSQL error codes the store translates.
const (
	pgUniqueViolation = "23505"
	pgCheckViolation  = "23514"
	pgNotNull         = "23502"
	pgDataException   = "22" // class: bad encoding, out of range values, ...
)

// translate turns driver errors into domain errors at the boundary:
// pgx.ErrNoRows becomes data.ErrNotFound, violated constraints and rejected
// values become EINVALID, anything else is wrapped as is (EINTERNAL).
func translate(err error) error {
	var pgErr *pgconn.PgError
	var de *data.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &de):
		return err // translated already
	case errors.Is(err, pgx.ErrNoRows):
		return data.ErrNotFound
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return err // the caller gave up: no outage
	case unreachable(err):
		return data.Unavailable(err)
	case errors.As(err, &pgErr):
		switch {
		case pgErr.Code == pgUniqueViolation:
			return &data.Error{Code: data.ECONFLICT, Message: "the write clashes with a stored record (" + pgErr.ConstraintName + ")"}
		case pgErr.Code == pgCheckViolation, pgErr.Code == pgNotNull:
			return &data.Error{Code: data.EINVALID, Message: "a value is out of range (" + pgErr.ConstraintName + ")"}
		case len(pgErr.Code) == 5 && pgErr.Code[:2] == pgDataException:
			return &data.Error{Code: data.EINVALID, Message: "a value was rejected: " + pgErr.Message}
		}
	}
	return fmt.Errorf("postgres: %w", err)
}

// unreachable reports errors that say the database cannot be reached or is
// going away, rather than that a statement failed: connection exceptions
// (SQLSTATE class 08), shutdowns (57P01-57P03), too many connections
// (53300), and dial, network and closed-connection errors.
func unreachable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "57P01" || pgErr.Code == "57P02" ||
			pgErr.Code == "57P03" || pgErr.Code == "53300"
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connectErr) || errors.As(err, &netErr) || errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || pgconn.SafeToRetry(err) ||
		strings.Contains(err.Error(), "conn closed")
}

// invalid returns an EINVALID error listing problems, each tagged with the
// 1-based record it belongs to.
func invalid(what string, record int, ps []data.Problem) *data.Error {
	for i := range ps {
		ps[i].Record = record
	}
	return &data.Error{Code: data.EINVALID, Message: "invalid " + what, Problems: ps}
}
