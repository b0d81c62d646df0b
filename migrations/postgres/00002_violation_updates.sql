-- Updates of stored violations (a re-send with a later updated_at and other
-- content; see data.Violation.Updates) and their history.
--
-- violation_updates is in the change feed: its seq comes from change_seq,
-- drawn only under the feed lock like the seq of violations and dwell (see
-- data/postgres/postgres.go). fields is a JSON object {"field": [old, new],
-- ...} of every field that changed (data.Diff); the old_ and new_ columns
-- repeat what the analytic index counts by, so the feed reads them without
-- parsing JSON. The first update's old_ columns are what the violation was
-- first stored with: the feed's entry for the violation itself reports those.
--
-- Citus: violation_updates would be distributed like violations, by the
-- region of its violation as first stored (an update that moves a violation
-- keeps its row where it is), with region added to its primary key.

-- +goose Up
ALTER TABLE violations ADD COLUMN updated_at timestamptz; -- NULL when the sender gave none

CREATE TABLE violation_updates (
    seq             bigint NOT NULL DEFAULT nextval('change_seq') PRIMARY KEY,
    violation_id    bigint NOT NULL,
    changed_at      timestamptz NOT NULL, -- when the store applied it
    actor           text NOT NULL DEFAULT '' CHECK (octet_length(actor) <= 128), -- who sent it
    updated_at      timestamptz NOT NULL, -- the record's updated_at, as sent
    fields          jsonb NOT NULL CHECK (jsonb_typeof(fields) = 'object'),
    old_cell        bigint NOT NULL,
    old_observed_at timestamptz NOT NULL,
    old_category    text NOT NULL,
    old_source      text NOT NULL,
    old_lon         double precision NOT NULL,
    old_lat         double precision NOT NULL,
    new_cell        bigint NOT NULL,
    new_observed_at timestamptz NOT NULL,
    new_category    text NOT NULL,
    new_source      text NOT NULL,
    new_lon         double precision NOT NULL,
    new_lat         double precision NOT NULL
);
CREATE INDEX violation_updates_violation ON violation_updates (violation_id, seq);

-- +goose Down
DROP TABLE violation_updates;
ALTER TABLE violations DROP COLUMN updated_at;
