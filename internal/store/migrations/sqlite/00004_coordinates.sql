-- +goose Up
ALTER TABLE organizations ADD COLUMN latitude REAL CHECK (latitude BETWEEN -90 AND 90);
ALTER TABLE organizations ADD COLUMN longitude REAL CHECK (longitude BETWEEN -180 AND 180);

CREATE TABLE allocations (
    id TEXT PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES items(id),
    policy TEXT NOT NULL CHECK (policy IN ('priority','balanced','cheapest')),
    filter_json TEXT NOT NULL,
    result_json TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('proposed','committed')),
    created_by TEXT NOT NULL DEFAULT '',
    committed_at DATETIME,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

-- +goose Down
DROP TABLE allocations;
ALTER TABLE organizations DROP COLUMN longitude;
ALTER TABLE organizations DROP COLUMN latitude;
