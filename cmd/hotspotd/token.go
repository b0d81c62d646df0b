package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/dazhigu/hotspot/data"
)

// token manages API keys: create (the key is printed as the last line), list
// and revoke.
func token(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("token needs a command: create, list or revoke")
	}
	var c config
	var role, name string
	fs := newFlags("token "+args[0], stderr)
	c.storeFlags(fs)
	if args[0] == "create" {
		fs.StringVar(&role, "role", "", "viewer, scheduler, ingest or admin")
		fs.StringVar(&name, "name", "", "who or what the key is for")
	}
	if err := c.parse(fs, args[1:]); err != nil {
		return err
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	switch args[0] {
	case "create":
		tok, err := createKey(ctx, s, data.Role(role), name)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created a %s key named %q; it is shown once, store it now:\n%s\n", role, name, tok)
		return nil
	case "list":
		return listKeys(ctx, s, stdout)
	case "revoke":
		id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
		if err != nil {
			return fmt.Errorf("token revoke needs a key id (see token list)")
		}
		return s.RevokeKey(ctx, id)
	}
	return fmt.Errorf("unknown token command %q: use create, list or revoke", args[0])
}

func createKey(ctx context.Context, s data.KeyStore, role data.Role, name string) (string, error) {
	tok, hash := data.NewToken()
	_, err := s.CreateKey(ctx, data.Key{Name: name, Role: role, Hash: hash})
	if err != nil {
		return "", err
	}
	return tok, nil
}

func listKeys(ctx context.Context, s data.KeyStore, w io.Writer) error {
	ks, err := s.Keys(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%-4s %-10s %-25s %-20s %s\n", "ID", "ROLE", "NAME", "CREATED", "REVOKED")
	for _, k := range ks {
		revoked := ""
		if !k.RevokedAt.IsZero() {
			revoked = k.RevokedAt.Format(time.DateTime)
		}
		fmt.Fprintf(w, "%-4d %-10s %-25s %-20s %s\n", k.ID, k.Role, k.Name, k.CreatedAt.Format(time.DateTime), revoked)
	}
	return nil
}
