-- The PostgreSQL schema of the system of record (see data/store.go).
--
-- Conventions:
--   * H3 cells are bigint (an H3 index is a 64-bit integer with the top bit
--     clear); points are lon/lat double precision in WGS-84 (PostGIS is not
--     required); times are timestamptz; free attributes are jsonb.
--   * Optional text is '' rather than NULL, so a read never has to tell the
--     two apart; only attributes (absent vs a JSON object) and revoked_at
--     (valid vs revoked) use NULL.
--   * No foreign keys: rows that belong together are written in one
--     transaction by the store, and a distributed deployment (below) cannot
--     enforce keys across shards anyway.
--
-- Change feed: violations and dwell each carry seq from the one sequence
-- change_seq. Every transaction that writes feed rows first takes
-- pg_advisory_xact_lock on a constant key and only then draws nextval, so seq
-- order is commit order and a reader that remembers its last seq misses
-- nothing (see data/postgres/postgres.go).
--
-- Growing past one machine (Citus): violations and dwell would be distributed
-- by an H3 parent cell of cell (say resolution 5, computed by the writer into a
-- new column "region bigint"); that column then joins every primary and unique
-- key, e.g. PRIMARY KEY (region, id). The (source, source_id) idempotency key
-- cannot contain it, so it would move to a small table distributed by source_id
-- that maps (source, source_id) to (region, id). Tracks would be distributed by
-- officer, and roads, road_segments, categories and api_keys, all small, would
-- be reference tables. Time partitioning (violations by observed_at, dwell by
-- hour) likewise adds the partition column to those keys.

-- +goose Up
CREATE SEQUENCE change_seq AS bigint;

CREATE TABLE violations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source      text NOT NULL CHECK (source IN ('patrol', 'hotline', 'camera', 'campaign', 'citizen')),
    source_id   text NOT NULL CHECK (octet_length(source_id) BETWEEN 1 AND 128),
    category    text NOT NULL CHECK (category <> ''),
    observed_at timestamptz NOT NULL,
    lon         double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    lat         double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    datum       text NOT NULL CHECK (datum IN ('wgs84', 'gcj02', 'bd09')),
    cell        bigint NOT NULL,                -- H3, resolution 12
    road        text NOT NULL DEFAULT '',       -- '' when not matched
    segment     integer NOT NULL DEFAULT -1 CHECK (segment >= -1), -- -1 when not matched
    along_m     double precision NOT NULL DEFAULT 0,
    offset_m    double precision NOT NULL DEFAULT 0,
    merchant_id text NOT NULL DEFAULT '' CHECK (octet_length(merchant_id) <= 128),
    severity    text NOT NULL DEFAULT '',
    disposition text NOT NULL DEFAULT '',
    attributes  jsonb CHECK (attributes IS NULL OR jsonb_typeof(attributes) = 'object'),
    seq         bigint NOT NULL DEFAULT nextval('change_seq'),
    UNIQUE (source, source_id)
);
CREATE UNIQUE INDEX violations_seq ON violations (seq);
CREATE INDEX violations_observed_at ON violations (observed_at);
CREATE INDEX violations_road ON violations (road, id) WHERE road <> '';

-- Fixes are packed into one bytea per track: for each fix, little-endian
-- int64 unix microseconds, float64 lon, float64 lat (24 bytes). A track is
-- always read whole, up to 100,000 fixes; one value (compressed out of line by
-- TOAST) costs a fraction of 100,000 rows and their indexes, and keeps the
-- exact float64 bits and the microsecond precision of timestamptz.
CREATE TABLE tracks (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    officer   text NOT NULL CHECK (octet_length(officer) BETWEEN 1 AND 128),
    source_id text NOT NULL CHECK (octet_length(source_id) BETWEEN 1 AND 128),
    datum     text NOT NULL CHECK (datum IN ('wgs84', 'gcj02', 'bd09')),
    start_at  timestamptz NOT NULL,
    end_at    timestamptz NOT NULL CHECK (end_at >= start_at),
    n_fixes   integer NOT NULL,
    seconds   double precision NOT NULL,
    fixes     bytea NOT NULL CHECK (octet_length(fixes) = 24 * n_fixes),
    UNIQUE (officer, source_id)
);
CREATE INDEX tracks_officer ON tracks (officer, id);
CREATE INDEX tracks_end_at ON tracks (end_at);

-- Dwell: patrol presence per track, H3 cell (resolution 12) and UTC hour.
CREATE TABLE dwell (
    track_id bigint NOT NULL,
    cell     bigint NOT NULL,
    hour     timestamptz NOT NULL,
    seconds  double precision NOT NULL CHECK (seconds BETWEEN 0 AND 3600),
    seq      bigint NOT NULL DEFAULT nextval('change_seq'),
    PRIMARY KEY (track_id, cell, hour)
);
CREATE UNIQUE INDEX dwell_seq ON dwell (seq);

CREATE TABLE roads (
    id           text PRIMARY KEY,
    name         text NOT NULL,
    pinyin       text NOT NULL DEFAULT '',
    geometry     json NOT NULL,  -- [[lon, lat], ...] WGS-84, as written
    buffer_m     double precision NOT NULL,
    key          boolean NOT NULL DEFAULT false,
    approximate  boolean NOT NULL DEFAULT false,
    attribution  text NOT NULL DEFAULT '',
    pilots       jsonb NOT NULL DEFAULT '[]'
);

CREATE TABLE road_segments (
    road_id  text NOT NULL,
    idx      integer NOT NULL,
    geometry json NOT NULL,      -- [[lon, lat], ...] WGS-84, as written
    from_m   double precision NOT NULL,
    to_m     double precision NOT NULL,
    cells11  bigint[] NOT NULL,  -- H3 cover at resolution 11
    cells12  bigint[] NOT NULL,  -- H3 cover at resolution 12
    PRIMARY KEY (road_id, idx)
);

CREATE TABLE categories (
    code       text PRIMARY KEY,
    name_zh    text NOT NULL,
    name_en    text NOT NULL,
    aliases    text[] NOT NULL DEFAULT '{}',
    national   text NOT NULL DEFAULT '',
    shop_front boolean NOT NULL DEFAULT false
);

CREATE TABLE api_keys (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL,
    role       text NOT NULL CHECK (role IN ('viewer', 'scheduler', 'ingest', 'admin')),
    hash       bytea NOT NULL UNIQUE CHECK (octet_length(hash) = 32), -- SHA-256 of the token
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

-- +goose Down
DROP TABLE api_keys;
DROP TABLE categories;
DROP TABLE road_segments;
DROP TABLE roads;
DROP TABLE dwell;
DROP TABLE tracks;
DROP TABLE violations;
DROP SEQUENCE change_seq;
