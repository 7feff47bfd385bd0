-- +goose Up
CREATE TABLE notifications (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    kind TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    actor_org_id TEXT NOT NULL DEFAULT '',
    quantity BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX notifications_org ON notifications (organization_id, id);

CREATE TABLE notification_reads (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    last_read_id BIGINT NOT NULL DEFAULT 0
);

-- +goose Down
DROP TABLE notification_reads;
DROP TABLE notifications;
