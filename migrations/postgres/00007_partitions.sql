-- Violations and dwell partitioned by month, with the distribution column.
--
-- violations is partitioned by observed_at and dwell by hour, one partition
-- a calendar month (UTC), named violations_yYYYYmMM and dwell_yYYYYmMM. The
-- store creates the partitions a write needs before it writes, and those of
-- the next months when it opens (data/postgres/partitions.go); this
-- migration creates those of the rows already stored.
--
-- region is the distribution column of a sharded deployment (docs/scale.md):
-- the H3 parent at resolution 5 (about 250 km², a district) of the cell a row
-- was first stored with. It is in every primary key of the partitioned tables
-- and the feed reads it; an update that moves a violation keeps its region,
-- so its row stays on its shard.
--
-- A partitioned table's unique keys must hold its partition column, so the
-- idempotency key (source, source_id) moves to violation_keys, which maps it
-- to the violation's id; ids come from the sequence violation_ids. seq stays
-- unique (one nextval each) but is indexed per partition, not as a unique
-- key. No foreign keys, as before.

-- +goose Up
-- h3_parent is geo.Parent: the parent of an H3 cell index (mode 1) at res,
-- by setting the resolution bits and marking the digits below res unused.
CREATE FUNCTION h3_parent(cell bigint, res int) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (cell & ~(15::bigint << 52)) | (res::bigint << 52) | ((1::bigint << (3 * (15 - res))) - 1);

-- months returns the first instant (UTC) of every month from the month of
-- lo to the month of hi.
-- +goose StatementBegin
CREATE FUNCTION partition_months(lo timestamptz, hi timestamptz) RETURNS SETOF timestamptz
LANGUAGE sql STABLE AS $$
    SELECT generate_series(date_trunc('month', lo AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
        date_trunc('month', hi AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', interval '1 month')
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- create_month_partition creates the partition of table for the month
-- starting at m, unless it exists.
CREATE FUNCTION create_month_partition(parent text, m timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    name text := parent || to_char(m AT TIME ZONE 'UTC', '"_y"YYYY"m"MM');
BEGIN
    EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
        name, parent, m, m + interval '1 month');
END $$;
-- +goose StatementEnd

CREATE SEQUENCE violation_ids AS bigint;
SELECT setval('violation_ids', coalesce((SELECT max(id) FROM violations), 0) + 1, false);

CREATE TABLE violation_keys (
    source    text NOT NULL,
    source_id text NOT NULL,
    id        bigint NOT NULL,
    region    bigint NOT NULL, -- of the violation's row: where to find it
    PRIMARY KEY (source, source_id)
);
INSERT INTO violation_keys SELECT source, source_id, id, h3_parent(cell, 5) FROM violations;

ALTER TABLE violations RENAME TO violations_unpartitioned;
ALTER INDEX violations_pkey RENAME TO violations_unpartitioned_pkey;
CREATE TABLE violations (
    id          bigint NOT NULL DEFAULT nextval('violation_ids'),
    region      bigint NOT NULL,
    source      text NOT NULL CHECK (source IN ('patrol', 'hotline', 'camera', 'campaign', 'citizen')),
    source_id   text NOT NULL CHECK (octet_length(source_id) BETWEEN 1 AND 128),
    category    text NOT NULL CHECK (category <> ''),
    observed_at timestamptz NOT NULL,
    lon         double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    lat         double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    datum       text NOT NULL CHECK (datum IN ('wgs84', 'gcj02', 'bd09')),
    cell        bigint NOT NULL,
    road        text NOT NULL DEFAULT '',
    segment     integer NOT NULL DEFAULT -1 CHECK (segment >= -1),
    along_m     double precision NOT NULL DEFAULT 0,
    offset_m    double precision NOT NULL DEFAULT 0,
    merchant_id text NOT NULL DEFAULT '' CHECK (octet_length(merchant_id) <= 128),
    severity    text NOT NULL DEFAULT '',
    disposition text NOT NULL DEFAULT '',
    attributes  jsonb CHECK (attributes IS NULL OR jsonb_typeof(attributes) = 'object'),
    seq         bigint NOT NULL DEFAULT nextval('change_seq'),
    updated_at  timestamptz,
    PRIMARY KEY (region, id, observed_at)
) PARTITION BY RANGE (observed_at);
SELECT create_month_partition('violations', m) FROM partition_months(
    (SELECT min(observed_at) FROM violations_unpartitioned), (SELECT max(observed_at) FROM violations_unpartitioned)) AS m;
INSERT INTO violations (id, region, source, source_id, category, observed_at, lon, lat, datum, cell,
    road, segment, along_m, offset_m, merchant_id, severity, disposition, attributes, seq, updated_at)
SELECT id, h3_parent(cell, 5), source, source_id, category, observed_at, lon, lat, datum, cell,
    road, segment, along_m, offset_m, merchant_id, severity, disposition, attributes, seq, updated_at
FROM violations_unpartitioned;
DROP TABLE violations_unpartitioned;
CREATE INDEX violations_id ON violations (id);
CREATE INDEX violations_seq ON violations (seq);
CREATE INDEX violations_observed_at ON violations (observed_at);
CREATE INDEX violations_road ON violations (road, id) WHERE road <> '';
CREATE INDEX violations_merchant ON violations (merchant_id, observed_at) WHERE merchant_id <> '';

ALTER TABLE dwell RENAME TO dwell_unpartitioned;
ALTER INDEX dwell_pkey RENAME TO dwell_unpartitioned_pkey;
CREATE TABLE dwell (
    region   bigint NOT NULL,
    track_id bigint NOT NULL,
    cell     bigint NOT NULL,
    hour     timestamptz NOT NULL,
    seconds  double precision NOT NULL CHECK (seconds BETWEEN 0 AND 3600),
    seq      bigint NOT NULL DEFAULT nextval('change_seq'),
    PRIMARY KEY (region, track_id, cell, hour)
) PARTITION BY RANGE (hour);
SELECT create_month_partition('dwell', m) FROM partition_months(
    (SELECT min(hour) FROM dwell_unpartitioned), (SELECT max(hour) FROM dwell_unpartitioned)) AS m;
INSERT INTO dwell (region, track_id, cell, hour, seconds, seq)
SELECT h3_parent(cell, 5), track_id, cell, hour, seconds, seq FROM dwell_unpartitioned;
DROP TABLE dwell_unpartitioned;
CREATE INDEX dwell_seq ON dwell (seq);
CREATE INDEX dwell_track ON dwell (track_id);

-- +goose Down
-- Back to one table each; the idempotency key returns to violations.
ALTER TABLE violations RENAME TO violations_partitioned;
CREATE TABLE violations (
    id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    source      text NOT NULL CHECK (source IN ('patrol', 'hotline', 'camera', 'campaign', 'citizen')),
    source_id   text NOT NULL CHECK (octet_length(source_id) BETWEEN 1 AND 128),
    category    text NOT NULL CHECK (category <> ''),
    observed_at timestamptz NOT NULL,
    lon         double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    lat         double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    datum       text NOT NULL CHECK (datum IN ('wgs84', 'gcj02', 'bd09')),
    cell        bigint NOT NULL,
    road        text NOT NULL DEFAULT '',
    segment     integer NOT NULL DEFAULT -1 CHECK (segment >= -1),
    along_m     double precision NOT NULL DEFAULT 0,
    offset_m    double precision NOT NULL DEFAULT 0,
    merchant_id text NOT NULL DEFAULT '' CHECK (octet_length(merchant_id) <= 128),
    severity    text NOT NULL DEFAULT '',
    disposition text NOT NULL DEFAULT '',
    attributes  jsonb CHECK (attributes IS NULL OR jsonb_typeof(attributes) = 'object'),
    seq         bigint NOT NULL DEFAULT nextval('change_seq'),
    updated_at  timestamptz,
    UNIQUE (source, source_id)
);
INSERT INTO violations (id, source, source_id, category, observed_at, lon, lat, datum, cell, road, segment,
    along_m, offset_m, merchant_id, severity, disposition, attributes, seq, updated_at)
SELECT id, source, source_id, category, observed_at, lon, lat, datum, cell, road, segment,
    along_m, offset_m, merchant_id, severity, disposition, attributes, seq, updated_at
FROM violations_partitioned;
SELECT setval(pg_get_serial_sequence('violations', 'id'), coalesce((SELECT max(id) FROM violations), 0) + 1, false);
DROP TABLE violations_partitioned;
CREATE UNIQUE INDEX violations_seq ON violations (seq);
CREATE INDEX violations_observed_at ON violations (observed_at);
CREATE INDEX violations_road ON violations (road, id) WHERE road <> '';
CREATE INDEX violations_merchant ON violations (merchant_id, observed_at) WHERE merchant_id <> '';

ALTER TABLE dwell RENAME TO dwell_partitioned;
CREATE TABLE dwell (
    track_id bigint NOT NULL,
    cell     bigint NOT NULL,
    hour     timestamptz NOT NULL,
    seconds  double precision NOT NULL CHECK (seconds BETWEEN 0 AND 3600),
    seq      bigint NOT NULL DEFAULT nextval('change_seq'),
    PRIMARY KEY (track_id, cell, hour)
);
INSERT INTO dwell (track_id, cell, hour, seconds, seq) SELECT track_id, cell, hour, seconds, seq FROM dwell_partitioned;
DROP TABLE dwell_partitioned;
CREATE UNIQUE INDEX dwell_seq ON dwell (seq);

DROP TABLE violation_keys;
DROP SEQUENCE violation_ids;
DROP FUNCTION create_month_partition(text, timestamptz);
DROP FUNCTION partition_months(timestamptz, timestamptz);
DROP FUNCTION h3_parent(bigint, int);
