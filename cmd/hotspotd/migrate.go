package main

import (
	"context"
	"fmt"
	"io"
)

// migrate applies the schema: PostgreSQL explicitly, SQLite by opening it.
func migrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := newFlags("migrate", stderr)
	c.storeFlags(fs)
	if err := c.parse(fs, args); err != nil {
		return err
	}
	c.Migrate = true
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintln(stdout, "schema is up to date")
	return nil
}
