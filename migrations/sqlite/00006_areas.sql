-- Named areas (street offices, communities, grids) and keys scoped to one.

-- +goose Up
CREATE TABLE areas (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    parent   TEXT NOT NULL DEFAULT '',
    boundary TEXT NOT NULL -- GeoJSON coordinates of a Polygon, WGS-84
);
ALTER TABLE api_keys ADD COLUMN area TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE api_keys DROP COLUMN area;
DROP TABLE areas;
