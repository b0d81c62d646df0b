-- What admins did (keys created and revoked, roads replaced), readable by
-- admins at GET /api/v1/audit.

-- +goose Up
CREATE TABLE audit_log (
    seq    INTEGER PRIMARY KEY,
    at_us  INTEGER NOT NULL,
    actor  TEXT    NOT NULL,
    action TEXT    NOT NULL,
    target TEXT    NOT NULL,
    detail TEXT    NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE audit_log;
