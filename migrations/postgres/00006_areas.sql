-- Named areas (street offices, communities, grids) and keys scoped to one.
-- No foreign key from keys or areas to areas: a sharded deployment keeps
-- areas on every node (docs/scale.md).

-- +goose Up
CREATE TABLE areas (
    id       text PRIMARY KEY,
    name     text NOT NULL,
    parent   text NOT NULL DEFAULT '',
    boundary jsonb NOT NULL -- GeoJSON coordinates of a Polygon, WGS-84
);
ALTER TABLE api_keys ADD COLUMN area text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE api_keys DROP COLUMN area;
DROP TABLE areas;
