// Command hotspotd is the hotspot service: one binary with the subcommands
// serve, migrate, import, demo, backtest and token. Run `hotspotd help` for usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `hotspotd: street-order hotspot analytics for Dazhigu street

Usage:
  hotspotd serve   [flags]   serve the API and the console (-demo seeds an empty store)
  hotspotd migrate [flags]   apply the database schema
  hotspotd demo    [flags]   write a year of demo data into the store
  hotspotd import  violations|tracks [flags] FILE
                             stream a GeoJSON, NDJSON, CSV or GPX file of any size
                             into the store (all or nothing unless -partial)
  hotspotd backtest [-csv FILE] [-res 9] [-weeks 12] [-json]
                             score the forecast and four baselines on the last
                             whole weeks of the store, or of a CSV of events
  hotspotd backup FILE       a consistent copy of the embedded store, while it serves
  hotspotd restore [-force] FILE
                             replace the embedded store by a backup (server stopped)
  hotspotd token create -role ROLE -name NAME   create an API key (printed last)
  hotspotd token list | token revoke ID

Environment: HOTSPOT_ADDR (listen address), HOTSPOT_DB (postgres:// URL or
SQLite file path). Run 'hotspotd COMMAND -h' for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "hotspotd:", err)
		}
		os.Exit(1)
	}
}

// run dispatches a subcommand; it is main without the process around it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return serve(ctx, rest, stdout, stderr)
	case "migrate":
		return migrate(ctx, rest, stdout, stderr)
	case "demo":
		return demoCmd(ctx, rest, stdout, stderr)
	case "import":
		return importCmd(ctx, rest, stdout, stderr)
	case "token":
		return token(ctx, rest, stdout, stderr)
	case "areas":
		return areas(ctx, rest, stdout, stderr)
	case "backtest":
		return backtestCmd(ctx, rest, stdout, stderr)
	case "backup":
		return backup(ctx, rest, stdout, stderr)
	case "restore":
		return restore(ctx, rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}
