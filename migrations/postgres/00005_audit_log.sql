-- What admins did (keys created and revoked, roads replaced), readable by
-- admins at GET /api/v1/audit.

-- +goose Up
CREATE TABLE audit_log (
    seq    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at     timestamptz NOT NULL DEFAULT now(),
    actor  text NOT NULL,
    action text NOT NULL,
    target text NOT NULL,
    detail text NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE audit_log;
