-- The embedded store's schema. Times are integer microseconds since the Unix
-- epoch (UTC); H3 cells are their 64-bit index as an integer; points are
-- WGS-84 longitude and latitude.

-- +goose Up
-- feed holds the last sequence number of the change feed. SQLite runs one
-- write transaction at a time, so numbers drawn inside a transaction commit
-- in order.
CREATE TABLE feed (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    last INTEGER NOT NULL
);
INSERT INTO feed (id, last) VALUES (1, 0);

CREATE TABLE violations (
    id          INTEGER PRIMARY KEY,
    seq         INTEGER NOT NULL UNIQUE,
    source      TEXT    NOT NULL,
    source_id   TEXT    NOT NULL,
    category    TEXT    NOT NULL,
    observed_us INTEGER NOT NULL,
    lon         REAL    NOT NULL,
    lat         REAL    NOT NULL,
    datum       TEXT    NOT NULL,
    cell        INTEGER NOT NULL,
    road        TEXT    NOT NULL DEFAULT '',
    segment     INTEGER NOT NULL DEFAULT -1,
    along_m     REAL    NOT NULL DEFAULT 0,
    offset_m    REAL    NOT NULL DEFAULT 0,
    merchant_id TEXT    NOT NULL DEFAULT '',
    severity    TEXT    NOT NULL DEFAULT '',
    disposition TEXT    NOT NULL DEFAULT '',
    attributes  TEXT,
    created_us  INTEGER NOT NULL,
    UNIQUE (source, source_id)
);
CREATE INDEX violations_observed ON violations (observed_us);
CREATE INDEX violations_road ON violations (road, observed_us);
CREATE INDEX violations_lon ON violations (lon, lat);

CREATE TABLE tracks (
    id        INTEGER PRIMARY KEY,
    officer   TEXT    NOT NULL,
    source_id TEXT    NOT NULL,
    datum     TEXT    NOT NULL,
    start_us  INTEGER NOT NULL,
    end_us    INTEGER NOT NULL,
    n_fixes   INTEGER NOT NULL,
    seconds   REAL    NOT NULL,
    fixes     BLOB    NOT NULL, -- data.EncodeFixes (24 bytes a fix)
    created_us INTEGER NOT NULL,
    UNIQUE (officer, source_id)
);
CREATE INDEX tracks_time ON tracks (start_us, end_us);

CREATE TABLE dwell (
    seq      INTEGER PRIMARY KEY,
    track_id INTEGER NOT NULL REFERENCES tracks (id),
    cell     INTEGER NOT NULL,
    hour_us  INTEGER NOT NULL,
    seconds  REAL    NOT NULL
);
CREATE INDEX dwell_track ON dwell (track_id);

CREATE TABLE roads (
    id          TEXT PRIMARY KEY,
    name        TEXT    NOT NULL,
    pinyin      TEXT    NOT NULL DEFAULT '',
    geometry    TEXT    NOT NULL, -- JSON [[lon, lat], ...]
    buffer_m    REAL    NOT NULL,
    key_road    INTEGER NOT NULL,
    approximate INTEGER NOT NULL,
    attribution TEXT    NOT NULL DEFAULT '',
    pilots      TEXT    NOT NULL DEFAULT '[]' -- JSON [data.Pilot]
);

CREATE TABLE road_segments (
    road_id TEXT    NOT NULL REFERENCES roads (id) ON DELETE CASCADE,
    idx     INTEGER NOT NULL,
    line    TEXT    NOT NULL, -- JSON [[lon, lat], ...]
    from_m  REAL    NOT NULL,
    to_m    REAL    NOT NULL,
    cells11 TEXT    NOT NULL, -- JSON array of H3 indexes as hex strings
    cells12 TEXT    NOT NULL,
    PRIMARY KEY (road_id, idx)
);

CREATE TABLE categories (
    code       TEXT PRIMARY KEY,
    name_zh    TEXT    NOT NULL,
    name_en    TEXT    NOT NULL,
    aliases    TEXT    NOT NULL DEFAULT '[]',
    national   TEXT    NOT NULL DEFAULT '',
    shop_front INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE api_keys (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    role       TEXT    NOT NULL,
    hash       BLOB    NOT NULL UNIQUE,
    created_us INTEGER NOT NULL,
    revoked_us INTEGER NOT NULL DEFAULT 0
);

-- +goose Down
DROP TABLE api_keys;
DROP TABLE categories;
DROP TABLE road_segments;
DROP TABLE roads;
DROP TABLE dwell;
DROP TABLE tracks;
DROP TABLE violations;
DROP TABLE feed;
