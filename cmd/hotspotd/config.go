package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/dazhigu/hotspot/api"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/postgres"
	"github.com/dazhigu/hotspot/data/seed"
	"github.com/dazhigu/hotspot/data/sqlite"
	"github.com/dazhigu/hotspot/geo"
)

// DefaultDB is the embedded database's file when HOTSPOT_DB is unset.
const DefaultDB = "var/hotspot.db"

// config is what every subcommand may need; each registers the flags it uses.
type config struct {
	Addr            string
	DB              string
	Migrate         bool
	LogLevel        slog.Level
	AreaFile        string // GeoJSON polygon of the service area; "" the seeded one, "none" no check
	Dwell           geo.DwellOptions
	MaxBody         int64
	MaxRecords      int
	MaxFeatures     int
	CORSOrigins     string             // comma-separated origins that may read the API from their pages
	Console         api.ConsoleOptions // the console's basemap
	MaxAnalyses     int
	AnalysisTimeout time.Duration
	KeyRate         float64
	KeyBurst        int
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("hotspotd "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func (c *config) storeFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.DB, "store.db", env("HOTSPOT_DB", DefaultDB),
		"postgres:// URL, or the embedded database's file path (env HOTSPOT_DB)")
	fs.Lookup("store.db").DefValue = redacted(fs.Lookup("store.db").DefValue) // -h prints defaults
	fs.TextVar(&c.LogLevel, "log.level", slog.LevelInfo, "log level: debug, info, warn, error")
}

func (c *config) webFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "web.listen-address", env("HOTSPOT_ADDR", "127.0.0.1:8080"),
		"address to listen on (env HOTSPOT_ADDR)")
	fs.BoolVar(&c.Migrate, "store.migrate", false, "apply PostgreSQL migrations before serving")
	fs.StringVar(&c.CORSOrigins, "web.cors-origins", "",
		"comma-separated origins whose pages may read the API (CORS), e.g. https://kepler.gl; '*' any; default none")
}

// corsOrigins returns the -web.cors-origins list, nil for none.
func (c *config) corsOrigins() []string {
	var out []string
	for _, o := range strings.Split(c.CORSOrigins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			out = append(out, strings.TrimSuffix(o, "/"))
		}
	}
	return out
}

// ingestFlags are the checks on what is written.
func (c *config) ingestFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.AreaFile, "ingest.area", "",
		"GeoJSON file with the service area polygon; points more than 2 km outside are refused (default: the shipped Dazhigu outline; 'none': no check)")
	fs.DurationVar(&c.Dwell.MaxGap, "dwell.max-gap", geo.DefaultMaxGap,
		"longest time between two fixes of a track that still counts as patrol presence")
	fs.Float64Var(&c.Dwell.MaxSpeed, "dwell.max-speed", geo.DefaultMaxSpeed,
		"fastest speed between two fixes, in m/s, that still counts as patrol presence")
}

// limitFlags bound the size of one write over HTTP.
func (c *config) limitFlags(fs *flag.FlagSet) {
	fs.Int64Var(&c.MaxBody, "ingest.max-body", api.DefaultMaxBody, "largest request body accepted, in bytes")
	fs.IntVar(&c.MaxRecords, "ingest.max-records", api.DefaultMaxRecords, "most records (violations or tracks) in one request")
	fs.IntVar(&c.MaxAnalyses, "web.max-analyses", api.DefaultMaxAnalyses,
		"analyses (heatmaps, rankings, forecasts, plans, cell tiles…) run at once; more wait up to 2 s, then get 503")
	fs.DurationVar(&c.AnalysisTimeout, "web.analysis-timeout", api.DefaultAnalysisTimeout,
		"an analysis running longer is cut off with 503")
	fs.Float64Var(&c.KeyRate, "web.key-rate", api.DefaultKeyRate, "requests a second one API key may send after its burst; more get 429")
	fs.IntVar(&c.KeyBurst, "web.key-burst", api.DefaultKeyBurst, "requests one API key may send at once")
	fs.IntVar(&c.MaxFeatures, "web.max-features", api.DefaultMaxFeatures,
		"most cells a GeoJSON analytics answer lists; larger study areas are refused with a hint to use format=h3")
}

// consoleFlags set the console's basemap.
func (c *config) consoleFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Console.Basemap, "console.basemap", "",
		"basemap under the console's layers: an XYZ raster template with {z}, {x} and {y}, or a MapLibre style JSON URL ending in .json (default: none, the key roads alone)")
	fs.StringVar(&c.Console.BasemapDatum, "console.basemap-datum", "wgs84",
		"datum the basemap is drawn in: wgs84 (also 天地图's CGCS2000), gcj02 (Amap, Tencent) or bd09 (Baidu); the console asks for every layer in it")
	fs.StringVar(&c.Console.BasemapAttribution, "console.basemap-attribution", "",
		"the basemap's credit line, shown on the map")
}

// area returns the service area writes are checked against, nil for none.
func (c *config) area() (orb.Polygon, error) {
	switch c.AreaFile {
	case "":
		return seed.Boundary()
	case "none":
		return nil, nil
	}
	raw, err := os.ReadFile(c.AreaFile)
	if err != nil {
		return nil, err
	}
	return decodeArea(raw)
}

// decodeArea reads a polygon from a GeoJSON geometry, Feature or
// FeatureCollection of one feature.
func decodeArea(raw []byte) (orb.Polygon, error) {
	var g orb.Geometry
	if fc, err := geojson.UnmarshalFeatureCollection(raw); err == nil && len(fc.Features) == 1 {
		g = fc.Features[0].Geometry
	} else if f, err := geojson.UnmarshalFeature(raw); err == nil && f.Geometry != nil {
		g = f.Geometry
	} else if gm, err := geojson.UnmarshalGeometry(raw); err == nil {
		g = gm.Geometry()
	}
	p, ok := g.(orb.Polygon)
	if !ok || len(p) == 0 || len(p[0]) < 4 {
		return nil, fmt.Errorf("ingest.area: want a GeoJSON Polygon (a geometry, a Feature or a FeatureCollection of one)")
	}
	return p, nil
}

// parse reads args into the flags and validates the result.
func (c *config) parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	return c.validate()
}

func (c *config) validate() error {
	if strings.TrimSpace(c.DB) == "" {
		return fmt.Errorf("store.db (HOTSPOT_DB) is empty: give a postgres:// URL or a file path")
	}
	if err := c.Console.Validate(); err != nil {
		return err
	}
	if c.Addr != "" {
		if _, _, err := net.SplitHostPort(c.Addr); err != nil {
			return fmt.Errorf("web.listen-address %q is not host:port: %w", c.Addr, err)
		}
	}
	return nil
}

func (c *config) logger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: c.LogLevel}))
}

func (c *config) postgres() bool {
	return strings.HasPrefix(c.DB, "postgres://") || strings.HasPrefix(c.DB, "postgresql://")
}

// openStore opens the store HOTSPOT_DB names. The embedded store migrates
// itself; PostgreSQL is migrated only when asked.
func (c *config) openStore(ctx context.Context) (data.Store, error) {
	if !c.postgres() {
		return sqlite.Open(ctx, c.DB)
	}
	if c.Migrate {
		if err := postgres.Migrate(ctx, c.DB); err != nil {
			return nil, err
		}
	}
	return postgres.Open(ctx, c.DB)
}

// openServing opens the store for serve, which must start while the
// database is down: PostgreSQL connects when first needed (prepare waits
// for it).
func (c *config) openServing(ctx context.Context) (data.Store, error) {
	if !c.postgres() {
		return sqlite.Open(ctx, c.DB)
	}
	return postgres.New(ctx, c.DB)
}

// prepare makes a served store ready: migrated (with -store.migrate) and
// holding the shipped key roads and taxonomy.
func (c *config) prepare(ctx context.Context, s data.Store) error {
	if c.Migrate && c.postgres() {
		if err := postgres.Migrate(ctx, c.DB); err != nil {
			return err
		}
	}
	if err := seed.Load(ctx, s); err != nil {
		return fmt.Errorf("load key roads and taxonomy: %w", err)
	}
	return nil
}

// openSeeded reads the service area, opens the store and loads the shipped
// key roads and taxonomy into it if it has none: what serve and import need
// before they start.
func (c *config) openSeeded(ctx context.Context) (data.Store, orb.Polygon, error) {
	area, err := c.area()
	if err != nil {
		return nil, nil, err
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := seed.Load(ctx, s); err != nil {
		s.Close()
		return nil, nil, fmt.Errorf("load key roads and taxonomy: %w", err)
	}
	return s, area, nil
}

// passwordParam is a password in a key=value connection string.
var passwordParam = regexp.MustCompile(`(?i)(password\s*=\s*)('[^']*'|\S+)`)

// redacted hides the password of a database URL or connection string, for
// anything that prints or logs configuration.
func redacted(db string) string {
	if u, err := url.Parse(db); err == nil && u.User != nil {
		return u.Redacted()
	}
	return passwordParam.ReplaceAllString(db, "${1}xxxxx")
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
