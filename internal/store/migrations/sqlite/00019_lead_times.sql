-- +goose Up
-- Lead times kept by the database in the transaction that changes them. Each
-- need carries its first pledge, dispatch and receipt (the earliest of any of
-- its pledges), and lead_time_months adds up, per item and month of the plea
-- (UTC), how many needs reached each step and the milliseconds they took: the
-- lead-times report over a million needs reads these few rows.
ALTER TABLE needs ADD COLUMN first_pledge_at DATETIME;
ALTER TABLE needs ADD COLUMN first_dispatch_at DATETIME;
ALTER TABLE needs ADD COLUMN first_receipt_at DATETIME;

UPDATE needs SET
    first_pledge_at = (SELECT MIN(p.created_at) FROM pledges p WHERE p.need_id = needs.id),
    first_dispatch_at = (SELECT MIN(s.dispatched_at) FROM shipments s JOIN shipment_lines l ON l.shipment_id = s.id
        JOIN pledges p ON p.id = l.pledge_id WHERE p.need_id = needs.id),
    first_receipt_at = (SELECT MIN(s.received_at) FROM shipments s JOIN shipment_lines l ON l.shipment_id = s.id
        JOIN pledges p ON p.id = l.pledge_id WHERE p.need_id = needs.id);

-- The steps: plea to first pledge, first pledge to first dispatch, first
-- dispatch to first receipt, plea to first receipt. A step counts for the
-- needs that reached both of its ends.
CREATE TABLE lead_time_months (
    month TEXT NOT NULL,
    item_id TEXT NOT NULL,
    needs BIGINT NOT NULL,
    to_pledge_needs BIGINT NOT NULL,
    to_pledge_ms BIGINT NOT NULL,
    to_dispatch_needs BIGINT NOT NULL,
    to_dispatch_ms BIGINT NOT NULL,
    to_receipt_needs BIGINT NOT NULL,
    to_receipt_ms BIGINT NOT NULL,
    plea_to_receipt_needs BIGINT NOT NULL,
    plea_to_receipt_ms BIGINT NOT NULL,
    PRIMARY KEY (month, item_id)
);
INSERT INTO lead_time_months (month, item_id, needs, to_pledge_needs, to_pledge_ms, to_dispatch_needs, to_dispatch_ms, to_receipt_needs, to_receipt_ms, plea_to_receipt_needs, plea_to_receipt_ms)
    SELECT strftime('%Y-%m', created_at), item_id, COUNT(*),
        SUM((first_pledge_at IS NOT NULL)),
        SUM(COALESCE(CAST(ROUND((julianday(first_pledge_at) - julianday(created_at)) * 86400000) AS INTEGER), 0)),
        SUM((first_pledge_at IS NOT NULL AND first_dispatch_at IS NOT NULL)),
        SUM(COALESCE(CAST(ROUND((julianday(first_dispatch_at) - julianday(first_pledge_at)) * 86400000) AS INTEGER), 0)),
        SUM((first_dispatch_at IS NOT NULL AND first_receipt_at IS NOT NULL)),
        SUM(COALESCE(CAST(ROUND((julianday(first_receipt_at) - julianday(first_dispatch_at)) * 86400000) AS INTEGER), 0)),
        SUM((first_receipt_at IS NOT NULL)),
        SUM(COALESCE(CAST(ROUND((julianday(first_receipt_at) - julianday(created_at)) * 86400000) AS INTEGER), 0))
    FROM needs GROUP BY strftime('%Y-%m', created_at), item_id;

-- +goose StatementBegin
CREATE TRIGGER lead_time_months_insert AFTER INSERT ON needs BEGIN
    INSERT INTO lead_time_months (month, item_id, needs, to_pledge_needs, to_pledge_ms, to_dispatch_needs, to_dispatch_ms, to_receipt_needs, to_receipt_ms, plea_to_receipt_needs, plea_to_receipt_ms)
        VALUES (strftime('%Y-%m', NEW.created_at), NEW.item_id, 1,
            (NEW.first_pledge_at IS NOT NULL),
            COALESCE(CAST(ROUND((julianday(NEW.first_pledge_at) - julianday(NEW.created_at)) * 86400000) AS INTEGER), 0),
            (NEW.first_pledge_at IS NOT NULL AND NEW.first_dispatch_at IS NOT NULL),
            COALESCE(CAST(ROUND((julianday(NEW.first_dispatch_at) - julianday(NEW.first_pledge_at)) * 86400000) AS INTEGER), 0),
            (NEW.first_dispatch_at IS NOT NULL AND NEW.first_receipt_at IS NOT NULL),
            COALESCE(CAST(ROUND((julianday(NEW.first_receipt_at) - julianday(NEW.first_dispatch_at)) * 86400000) AS INTEGER), 0),
            (NEW.first_receipt_at IS NOT NULL),
            COALESCE(CAST(ROUND((julianday(NEW.first_receipt_at) - julianday(NEW.created_at)) * 86400000) AS INTEGER), 0))
        ON CONFLICT (month, item_id) DO UPDATE SET needs = needs + 1,
            to_pledge_needs = to_pledge_needs + excluded.to_pledge_needs,
            to_pledge_ms = to_pledge_ms + excluded.to_pledge_ms,
            to_dispatch_needs = to_dispatch_needs + excluded.to_dispatch_needs,
            to_dispatch_ms = to_dispatch_ms + excluded.to_dispatch_ms,
            to_receipt_needs = to_receipt_needs + excluded.to_receipt_needs,
            to_receipt_ms = to_receipt_ms + excluded.to_receipt_ms,
            plea_to_receipt_needs = plea_to_receipt_needs + excluded.plea_to_receipt_needs,
            plea_to_receipt_ms = plea_to_receipt_ms + excluded.plea_to_receipt_ms;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER lead_time_months_update AFTER UPDATE OF item_id, created_at, first_pledge_at, first_dispatch_at, first_receipt_at ON needs
WHEN OLD.item_id IS NOT NEW.item_id OR OLD.created_at IS NOT NEW.created_at OR OLD.first_pledge_at IS NOT NEW.first_pledge_at
    OR OLD.first_dispatch_at IS NOT NEW.first_dispatch_at OR OLD.first_receipt_at IS NOT NEW.first_receipt_at BEGIN
    UPDATE lead_time_months SET needs = needs - 1,
        to_pledge_needs = to_pledge_needs - (OLD.first_pledge_at IS NOT NULL),
        to_pledge_ms = to_pledge_ms - COALESCE(CAST(ROUND((julianday(OLD.first_pledge_at) - julianday(OLD.created_at)) * 86400000) AS INTEGER), 0),
        to_dispatch_needs = to_dispatch_needs - (OLD.first_pledge_at IS NOT NULL AND OLD.first_dispatch_at IS NOT NULL),
        to_dispatch_ms = to_dispatch_ms - COALESCE(CAST(ROUND((julianday(OLD.first_dispatch_at) - julianday(OLD.first_pledge_at)) * 86400000) AS INTEGER), 0),
        to_receipt_needs = to_receipt_needs - (OLD.first_dispatch_at IS NOT NULL AND OLD.first_receipt_at IS NOT NULL),
        to_receipt_ms = to_receipt_ms - COALESCE(CAST(ROUND((julianday(OLD.first_receipt_at) - julianday(OLD.first_dispatch_at)) * 86400000) AS INTEGER), 0),
        plea_to_receipt_needs = plea_to_receipt_needs - (OLD.first_receipt_at IS NOT NULL),
        plea_to_receipt_ms = plea_to_receipt_ms - COALESCE(CAST(ROUND((julianday(OLD.first_receipt_at) - julianday(OLD.created_at)) * 86400000) AS INTEGER), 0)
        WHERE month = strftime('%Y-%m', OLD.created_at) AND item_id = OLD.item_id;
    INSERT INTO lead_time_months (month, item_id, needs, to_pledge_needs, to_pledge_ms, to_dispatch_needs, to_dispatch_ms, to_receipt_needs, to_receipt_ms, plea_to_receipt_needs, plea_to_receipt_ms)
        VALUES (strftime('%Y-%m', NEW.created_at), NEW.item_id, 1,
            (NEW.first_pledge_at IS NOT NULL),
            COALESCE(CAST(ROUND((julianday(NEW.first_pledge_at) - julianday(NEW.created_at)) * 86400000) AS INTEGER), 0),
            (NEW.first_pledge_at IS NOT NULL AND NEW.first_dispatch_at IS NOT NULL),
            COALESCE(CAST(ROUND((julianday(NEW.first_dispatch_at) - julianday(NEW.first_pledge_at)) * 86400000) AS INTEGER), 0),
            (NEW.first_dispatch_at IS NOT NULL AND NEW.first_receipt_at IS NOT NULL),
            COALESCE(CAST(ROUND((julianday(NEW.first_receipt_at) - julianday(NEW.first_dispatch_at)) * 86400000) AS INTEGER), 0),
            (NEW.first_receipt_at IS NOT NULL),
            COALESCE(CAST(ROUND((julianday(NEW.first_receipt_at) - julianday(NEW.created_at)) * 86400000) AS INTEGER), 0))
        ON CONFLICT (month, item_id) DO UPDATE SET needs = needs + 1,
            to_pledge_needs = to_pledge_needs + excluded.to_pledge_needs,
            to_pledge_ms = to_pledge_ms + excluded.to_pledge_ms,
            to_dispatch_needs = to_dispatch_needs + excluded.to_dispatch_needs,
            to_dispatch_ms = to_dispatch_ms + excluded.to_dispatch_ms,
            to_receipt_needs = to_receipt_needs + excluded.to_receipt_needs,
            to_receipt_ms = to_receipt_ms + excluded.to_receipt_ms,
            plea_to_receipt_needs = plea_to_receipt_needs + excluded.plea_to_receipt_needs,
            plea_to_receipt_ms = plea_to_receipt_ms + excluded.plea_to_receipt_ms;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER lead_time_months_delete AFTER DELETE ON needs BEGIN
    UPDATE lead_time_months SET needs = needs - 1,
        to_pledge_needs = to_pledge_needs - (OLD.first_pledge_at IS NOT NULL),
        to_pledge_ms = to_pledge_ms - COALESCE(CAST(ROUND((julianday(OLD.first_pledge_at) - julianday(OLD.created_at)) * 86400000) AS INTEGER), 0),
        to_dispatch_needs = to_dispatch_needs - (OLD.first_pledge_at IS NOT NULL AND OLD.first_dispatch_at IS NOT NULL),
        to_dispatch_ms = to_dispatch_ms - COALESCE(CAST(ROUND((julianday(OLD.first_dispatch_at) - julianday(OLD.first_pledge_at)) * 86400000) AS INTEGER), 0),
        to_receipt_needs = to_receipt_needs - (OLD.first_dispatch_at IS NOT NULL AND OLD.first_receipt_at IS NOT NULL),
        to_receipt_ms = to_receipt_ms - COALESCE(CAST(ROUND((julianday(OLD.first_receipt_at) - julianday(OLD.first_dispatch_at)) * 86400000) AS INTEGER), 0),
        plea_to_receipt_needs = plea_to_receipt_needs - (OLD.first_receipt_at IS NOT NULL),
        plea_to_receipt_ms = plea_to_receipt_ms - COALESCE(CAST(ROUND((julianday(OLD.first_receipt_at) - julianday(OLD.created_at)) * 86400000) AS INTEGER), 0)
        WHERE month = strftime('%Y-%m', OLD.created_at) AND item_id = OLD.item_id;
END;
-- +goose StatementEnd

-- A need's first pledge, dispatch and receipt follow its pledges and the
-- shipments that carry them.
-- +goose StatementBegin
CREATE TRIGGER needs_first_pledge AFTER INSERT ON pledges BEGIN
    UPDATE needs SET first_pledge_at = NEW.created_at
        WHERE id = NEW.need_id AND (first_pledge_at IS NULL OR julianday(first_pledge_at) > julianday(NEW.created_at));
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER needs_first_shipment AFTER UPDATE OF dispatched_at, received_at ON shipments
WHEN OLD.dispatched_at IS NOT NEW.dispatched_at OR OLD.received_at IS NOT NEW.received_at BEGIN
    UPDATE needs SET
        first_dispatch_at = (SELECT MIN(s.dispatched_at) FROM shipments s JOIN shipment_lines l ON l.shipment_id = s.id
            JOIN pledges p ON p.id = l.pledge_id WHERE p.need_id = needs.id),
        first_receipt_at = (SELECT MIN(s.received_at) FROM shipments s JOIN shipment_lines l ON l.shipment_id = s.id
            JOIN pledges p ON p.id = l.pledge_id WHERE p.need_id = needs.id)
        WHERE id IN (SELECT p.need_id FROM shipment_lines l JOIN pledges p ON p.id = l.pledge_id WHERE l.shipment_id = NEW.id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER needs_first_shipment_line AFTER INSERT ON shipment_lines
WHEN (SELECT dispatched_at IS NOT NULL OR received_at IS NOT NULL FROM shipments WHERE id = NEW.shipment_id) BEGIN
    UPDATE needs SET
        first_dispatch_at = (SELECT MIN(s.dispatched_at) FROM shipments s JOIN shipment_lines l ON l.shipment_id = s.id
            JOIN pledges p ON p.id = l.pledge_id WHERE p.need_id = needs.id),
        first_receipt_at = (SELECT MIN(s.received_at) FROM shipments s JOIN shipment_lines l ON l.shipment_id = s.id
            JOIN pledges p ON p.id = l.pledge_id WHERE p.need_id = needs.id)
        WHERE id = (SELECT need_id FROM pledges WHERE id = NEW.pledge_id);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER needs_first_shipment_line;
DROP TRIGGER needs_first_shipment;
DROP TRIGGER needs_first_pledge;
DROP TRIGGER lead_time_months_delete;
DROP TRIGGER lead_time_months_update;
DROP TRIGGER lead_time_months_insert;
DROP TABLE lead_time_months;
ALTER TABLE needs DROP COLUMN first_receipt_at;
ALTER TABLE needs DROP COLUMN first_dispatch_at;
ALTER TABLE needs DROP COLUMN first_pledge_at;
