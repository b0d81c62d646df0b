-- Keys can expire (hotspotd token create -expires 90d); 0: never.

-- +goose Up
ALTER TABLE api_keys ADD COLUMN expires_us INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE api_keys DROP COLUMN expires_us;
