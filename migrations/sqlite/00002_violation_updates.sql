-- Updates of stored violations (a re-send with a later updated_at and other
-- content; see data.Violation.Updates) and their history.

-- +goose Up
-- updated_us is the record's own updated_at (wire field updated_at), NULL
-- when the sender gave none. Existing rows get NULL: they were sent without.
ALTER TABLE violations ADD COLUMN updated_us INTEGER;

-- violation_updates holds one row per update applied, in the change feed:
-- seq is drawn from feed like the seq of violations and dwell, inside the
-- write transaction. fields is a JSON object {"field": [old, new], ...} of
-- every field that changed (data.Diff); the old_ and new_ columns repeat what
-- the analytic index counts by, so the feed reads them without parsing JSON.
-- The first update's old_ columns are what the violation was first stored
-- with: the feed's entry for the violation itself reports those.
CREATE TABLE violation_updates (
    seq             INTEGER PRIMARY KEY,
    violation_id    INTEGER NOT NULL REFERENCES violations (id),
    changed_us      INTEGER NOT NULL, -- when the store applied it
    actor           TEXT    NOT NULL DEFAULT '', -- who sent it, '' when unknown
    updated_us      INTEGER NOT NULL, -- the record's updated_at, as sent
    fields          TEXT    NOT NULL, -- JSON {"field": [old, new], ...}
    old_cell        INTEGER NOT NULL,
    old_observed_us INTEGER NOT NULL,
    old_category    TEXT    NOT NULL,
    old_source      TEXT    NOT NULL,
    old_lon         REAL    NOT NULL,
    old_lat         REAL    NOT NULL,
    new_cell        INTEGER NOT NULL,
    new_observed_us INTEGER NOT NULL,
    new_category    TEXT    NOT NULL,
    new_source      TEXT    NOT NULL,
    new_lon         REAL    NOT NULL,
    new_lat         REAL    NOT NULL
);
CREATE INDEX violation_updates_violation ON violation_updates (violation_id, seq);

-- +goose Down
DROP TABLE violation_updates;
ALTER TABLE violations DROP COLUMN updated_us;
