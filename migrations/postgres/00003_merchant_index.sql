-- A merchant's record (GET /api/v1/merchants/{id}) is read by merchant id
-- and time.

-- +goose Up
CREATE INDEX violations_merchant ON violations (merchant_id, observed_at) WHERE merchant_id <> '';

-- +goose Down
DROP INDEX violations_merchant;
