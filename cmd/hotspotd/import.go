package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/dazhigu/hotspot/data/ingest"
	"github.com/dazhigu/hotspot/geo"
)

const importUsage = `Usage: hotspotd import violations|tracks [flags] FILE

Streams FILE into the store a chunk of -batch records at a time, so files far
larger than memory go through. Violations are read from GeoJSON, NDJSON or CSV,
tracks from GeoJSON, GPX or NDJSON fixes; the format comes from the file name's
extension (a trailing .gz aside) unless -format names it. FILE '-' is standard
input (-partial only). A gzip file is inflated; a file in GBK or GB18030 is
read with -charset gbk or gb18030. The records are read, checked and stored
exactly as the API's batches are.

Without -partial a file is all or nothing: a first pass reads and checks every
record and, if any is invalid, lists the problems and stores nothing; a second
pass reads the file again and stores it, one transaction per chunk.

With -partial the file is read once: valid records are stored, each invalid
record's problems are listed on stderr, and the exit status is 0 when the file
was read to the end and held at least one valid record.

Re-running an import is harmless: a violation whose (source, source_id), or a
track whose (officer, source_id), is already stored is not stored again. A
record repeating an earlier one of the file is invalid, as in one batch. Progress is drawn on stderr when it is a
terminal; a summary goes to stdout.

Flags:
`

// Defaults and limits of an import.
const (
	defaultImportBatch = 1000                   // records per chunk
	maxShownProblems   = 50                     // problems printed; the rest are counted
	progressEvery      = 250 * time.Millisecond // how often the progress line is redrawn
	importBufferSize   = 256 << 10              // bytes of the buffer over the file
)

// importFlags are the flags of one import.
type importFlags struct {
	format   string
	crs      string
	partial  bool
	batch    int
	officer  string // tracks only
	sourceID string // tracks only
	charset  string
}

func (f *importFlags) register(fs *flag.FlagSet, kind string) {
	fs.StringVar(&f.format, "format", "", "geojson, ndjson, csv or gpx (default: from FILE's extension)")
	fs.StringVar(&f.crs, "crs", geo.WGS84, "datum of the coordinates in FILE: wgs84, gcj02 or bd09")
	fs.BoolVar(&f.partial, "partial", false, "store the valid records in one pass and list the invalid ones, instead of all or nothing")
	fs.IntVar(&f.batch, "batch", defaultImportBatch, "records read, checked and stored together, one transaction per batch")
	fs.StringVar(&f.charset, "charset", "", "FILE's character set: utf-8 (the default), gbk or gb18030")
	if kind == "tracks" {
		fs.StringVar(&f.officer, "officer", "", "officer of tracks that name none (GPX never does)")
		fs.StringVar(&f.sourceID, "source-id", "", "source id of a file holding a single track that names none")
	}
}

// importCmd streams violations or tracks from a file into the store.
func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "violations" && args[0] != "tracks") {
		fmt.Fprint(stderr, importUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help") {
			return flag.ErrHelp
		}
		return errors.New("import: say what FILE holds: 'import violations FILE' or 'import tracks FILE'")
	}
	kind := args[0]
	var c config
	var f importFlags
	fs := newFlags("import "+kind, stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), importUsage)
		fs.PrintDefaults()
	}
	c.storeFlags(fs)
	c.ingestFlags(fs)
	f.register(fs, kind)
	path, err := parseImportArgs(&c, fs, args[1:])
	if err != nil {
		return err
	}
	im := &importer{kind: kind, path: path, name: path, datum: f.crs, partial: f.partial, batch: f.batch, charset: f.charset,
		defaults: ingest.TrackDefaults{Officer: f.officer, SourceID: f.sourceID}}
	if path == "-" {
		im.name = "standard input"
	}
	if im.format, err = f.resolveFormat(kind, path); err != nil {
		return err
	}
	switch {
	case !geo.ValidDatum(f.crs):
		return fmt.Errorf("import: -crs %q: want wgs84, gcj02 or bd09", f.crs)
	case f.batch <= 0:
		return fmt.Errorf("import: -batch must be at least 1, not %d", f.batch)
	case path == "-" && !f.partial:
		return errors.New("import: standard input can be read only once, and without -partial a file is read twice " +
			"(checked, then stored); give a file path, or add -partial to store the valid records in one pass")
	}
	if path != "-" { // fail before opening the store
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("import: %w", err)
		}
	}
	s, area, err := c.openSeeded(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if im.rules, err = ingest.LoadRules(ctx, s, area); err != nil {
		return err
	}
	im.rules.Dwell = c.Dwell
	im.store = s
	im.meter = newMeter(stderr, isTerminal(stderr), progressEvery)

	start := time.Now()
	t, err := im.run(ctx)
	verb := "imported"
	if err != nil {
		verb = "stopped importing"
	}
	fmt.Fprintf(stdout, "%s %s from %s: %s\n", verb, kind, im.name, t.summary(kind, time.Since(start)))
	return err
}

// parseImportArgs reads the flags, which may come before and after FILE,
// and returns FILE.
func parseImportArgs(c *config, fs *flag.FlagSet, args []string) (string, error) {
	if err := c.parse(fs, args); err != nil {
		return "", err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return "", errors.New("import: give the FILE to read ('-' for standard input)")
	}
	path := fs.Arg(0)
	if err := c.parse(fs, fs.Args()[1:]); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		return "", fmt.Errorf("import: one FILE at a time; %q follows %q", fs.Arg(0), path)
	}
	return path, nil
}

// resolveFormat returns the format -format names, else the one path's
// extension suggests, and checks that kind can be read from it.
func (f *importFlags) resolveFormat(kind, path string) (ingest.Format, error) {
	format := ingest.Format(strings.ToLower(strings.TrimSpace(f.format)))
	if format == "" {
		if format = ingest.FormatOfPath(strings.TrimSuffix(strings.ToLower(path), ".gz")); format == "" {
			what := fmt.Sprintf("cannot tell the format of %q from its extension", path)
			if path == "-" {
				what = "standard input has no file name to tell its format by"
			}
			return "", fmt.Errorf("import: %s; give -format geojson, ndjson, csv or gpx", what)
		}
	}
	allowed := []ingest.Format{ingest.GeoJSON, ingest.NDJSON, ingest.CSV}
	if kind == "tracks" {
		allowed = []ingest.Format{ingest.GeoJSON, ingest.GPX, ingest.NDJSON}
	}
	for _, a := range allowed {
		if format == a {
			return format, nil
		}
	}
	return "", fmt.Errorf("import: %s are read from %s, %s or %s, not %q", kind, allowed[0], allowed[1], allowed[2], format)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
