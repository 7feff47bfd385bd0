-- +goose Up
-- A notification is read by a user when it is no newer than what they marked
-- read (notification_reads), or when they opened the record it links to
-- since: one row per such notification, removed again once marking all read
-- covers it.
CREATE TABLE notification_opens (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    notification_id BIGINT NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, notification_id)
);
-- Opening a need or a shipment finds its notifications by the record.
CREATE INDEX notifications_entity ON notifications (entity_id, entity_type);

-- +goose Down
DROP INDEX notifications_entity;
DROP TABLE notification_opens;
