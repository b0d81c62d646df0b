package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/sqlite"
)

// backup writes a consistent copy of the embedded store while it serves.
func backup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := newFlags("backup", stderr)
	c.storeFlags(fs)
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("backup: give the file to write, e.g. hotspotd backup var/hotspot-2026-12-01.db")
	}
	if c.postgres() {
		return errors.New("backup: the store is PostgreSQL; back it up with pg_dump (or continuous archiving for point-in-time recovery), see docs/reliability.md")
	}
	s, err := sqlite.Open(ctx, c.DB)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", c.DB, fs.Arg(0))
	return nil
}

// restore replaces the embedded store by a backup, with the server stopped.
func restore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := newFlags("restore", stderr)
	c.storeFlags(fs)
	force := fs.Bool("force", false, "replace a store that exists")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("restore: give the backup to restore, e.g. hotspotd restore var/hotspot-2026-12-01.db")
	}
	if c.postgres() {
		return errors.New("restore: the store is PostgreSQL; restore it with pg_restore, see docs/reliability.md")
	}
	from := fs.Arg(0)
	if _, err := os.Stat(from); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if _, err := os.Stat(c.DB); err == nil && !*force {
		return fmt.Errorf("restore: %s exists; stop the server and give -force to replace it", c.DB)
	}
	// A copy beside the store is checked (and brought to this version's
	// schema) before it replaces the store; the backup itself is left as it is.
	tmp := c.DB + ".restoring"
	if err := copyFile(from, tmp); err != nil {
		return err
	}
	b, err := sqlite.Open(ctx, tmp)
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("restore: %s is not a store this version reads: %w", from, err)
	}
	n, err := b.CountViolations(ctx, data.ViolationFilter{})
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("restore: %s: %w", from, err)
	}
	for _, stale := range []string{c.DB + "-wal", c.DB + "-shm", tmp + "-wal", tmp + "-shm"} {
		os.Remove(stale) // no log may be replayed onto the restored store
	}
	if err := os.Rename(tmp, c.DB); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Fprintf(stdout, "restored %s from %s (%d violations)\n", c.DB, from, n)
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
