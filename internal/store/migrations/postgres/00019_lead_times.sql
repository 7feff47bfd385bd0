-- +goose Up
-- Lead times kept by the database in the transaction that changes them. Each
-- need carries its first pledge, dispatch and receipt (the earliest of any of
-- its pledges), and lead_time_months adds up, per item and month of the plea
-- (UTC), how many needs reached each step and the milliseconds they took: the
-- lead-times report over a million needs reads these few rows.
ALTER TABLE needs ADD COLUMN first_pledge_at TIMESTAMPTZ,
    ADD COLUMN first_dispatch_at TIMESTAMPTZ,
    ADD COLUMN first_receipt_at TIMESTAMPTZ;

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
    SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM'), item_id, COUNT(*),
        SUM((first_pledge_at IS NOT NULL)::INT),
        SUM(COALESCE(ROUND(EXTRACT(EPOCH FROM (first_pledge_at - created_at)) * 1000)::BIGINT, 0)),
        SUM((first_pledge_at IS NOT NULL AND first_dispatch_at IS NOT NULL)::INT),
        SUM(COALESCE(ROUND(EXTRACT(EPOCH FROM (first_dispatch_at - first_pledge_at)) * 1000)::BIGINT, 0)),
        SUM((first_dispatch_at IS NOT NULL AND first_receipt_at IS NOT NULL)::INT),
        SUM(COALESCE(ROUND(EXTRACT(EPOCH FROM (first_receipt_at - first_dispatch_at)) * 1000)::BIGINT, 0)),
        SUM((first_receipt_at IS NOT NULL)::INT),
        SUM(COALESCE(ROUND(EXTRACT(EPOCH FROM (first_receipt_at - created_at)) * 1000)::BIGINT, 0))
    FROM needs GROUP BY 1, 2;

-- +goose StatementBegin
CREATE FUNCTION lead_time_months_apply() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.item_id IS NOT DISTINCT FROM NEW.item_id AND OLD.created_at IS NOT DISTINCT FROM NEW.created_at
        AND OLD.first_pledge_at IS NOT DISTINCT FROM NEW.first_pledge_at AND OLD.first_dispatch_at IS NOT DISTINCT FROM NEW.first_dispatch_at
        AND OLD.first_receipt_at IS NOT DISTINCT FROM NEW.first_receipt_at THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE lead_time_months SET needs = needs - 1,
            to_pledge_needs = to_pledge_needs - (OLD.first_pledge_at IS NOT NULL)::INT,
            to_pledge_ms = to_pledge_ms - COALESCE(ROUND(EXTRACT(EPOCH FROM (OLD.first_pledge_at - OLD.created_at)) * 1000)::BIGINT, 0),
            to_dispatch_needs = to_dispatch_needs - (OLD.first_pledge_at IS NOT NULL AND OLD.first_dispatch_at IS NOT NULL)::INT,
            to_dispatch_ms = to_dispatch_ms - COALESCE(ROUND(EXTRACT(EPOCH FROM (OLD.first_dispatch_at - OLD.first_pledge_at)) * 1000)::BIGINT, 0),
            to_receipt_needs = to_receipt_needs - (OLD.first_dispatch_at IS NOT NULL AND OLD.first_receipt_at IS NOT NULL)::INT,
            to_receipt_ms = to_receipt_ms - COALESCE(ROUND(EXTRACT(EPOCH FROM (OLD.first_receipt_at - OLD.first_dispatch_at)) * 1000)::BIGINT, 0),
            plea_to_receipt_needs = plea_to_receipt_needs - (OLD.first_receipt_at IS NOT NULL)::INT,
            plea_to_receipt_ms = plea_to_receipt_ms - COALESCE(ROUND(EXTRACT(EPOCH FROM (OLD.first_receipt_at - OLD.created_at)) * 1000)::BIGINT, 0)
            WHERE month = to_char(OLD.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AND item_id = OLD.item_id;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO lead_time_months (month, item_id, needs, to_pledge_needs, to_pledge_ms, to_dispatch_needs, to_dispatch_ms, to_receipt_needs, to_receipt_ms, plea_to_receipt_needs, plea_to_receipt_ms)
            VALUES (to_char(NEW.created_at AT TIME ZONE 'UTC', 'YYYY-MM'), NEW.item_id, 1,
                (NEW.first_pledge_at IS NOT NULL)::INT,
                COALESCE(ROUND(EXTRACT(EPOCH FROM (NEW.first_pledge_at - NEW.created_at)) * 1000)::BIGINT, 0),
                (NEW.first_pledge_at IS NOT NULL AND NEW.first_dispatch_at IS NOT NULL)::INT,
                COALESCE(ROUND(EXTRACT(EPOCH FROM (NEW.first_dispatch_at - NEW.first_pledge_at)) * 1000)::BIGINT, 0),
                (NEW.first_dispatch_at IS NOT NULL AND NEW.first_receipt_at IS NOT NULL)::INT,
                COALESCE(ROUND(EXTRACT(EPOCH FROM (NEW.first_receipt_at - NEW.first_dispatch_at)) * 1000)::BIGINT, 0),
                (NEW.first_receipt_at IS NOT NULL)::INT,
                COALESCE(ROUND(EXTRACT(EPOCH FROM (NEW.first_receipt_at - NEW.created_at)) * 1000)::BIGINT, 0))
            ON CONFLICT (month, item_id) DO UPDATE SET needs = lead_time_months.needs + 1,
                to_pledge_needs = lead_time_months.to_pledge_needs + EXCLUDED.to_pledge_needs,
                to_pledge_ms = lead_time_months.to_pledge_ms + EXCLUDED.to_pledge_ms,
                to_dispatch_needs = lead_time_months.to_dispatch_needs + EXCLUDED.to_dispatch_needs,
                to_dispatch_ms = lead_time_months.to_dispatch_ms + EXCLUDED.to_dispatch_ms,
                to_receipt_needs = lead_time_months.to_receipt_needs + EXCLUDED.to_receipt_needs,
                to_receipt_ms = lead_time_months.to_receipt_ms + EXCLUDED.to_receipt_ms,
                plea_to_receipt_needs = lead_time_months.plea_to_receipt_needs + EXCLUDED.plea_to_receipt_needs,
                plea_to_receipt_ms = lead_time_months.plea_to_receipt_ms + EXCLUDED.plea_to_receipt_ms;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER lead_time_months_apply
    AFTER DELETE OR UPDATE OF item_id, created_at, first_pledge_at, first_dispatch_at, first_receipt_at ON needs
    FOR EACH ROW EXECUTE FUNCTION lead_time_months_apply();

-- A statement's new needs are added up in one statement: a bulk load of a
-- million needs writes each month's row once, not once a need.
-- +goose StatementBegin
CREATE FUNCTION lead_time_months_insert() RETURNS trigger AS $$
BEGIN
    INSERT INTO lead_time_months (month, item_id, needs, to_pledge_needs, to_pledge_ms, to_dispatch_needs, to_dispatch_ms, to_receipt_needs, to_receipt_ms, plea_to_receipt_needs, plea_to_receipt_ms)
        SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM'), item_id, COUNT(*),
            SUM((first_pledge_at IS NOT NULL)::INT),
            SUM(COALESCE(ROUND(EXTRACT(EPOCH FROM (first_pledge_at - created_at)) * 1000)::BIGINT, 0)),
            SUM((first_pledge_at IS NOT NULL AND first_dispatch_at IS NOT NULL)::INT),
            SUM(COALESCE(ROUND(EXTRACT(EPOCH FROM (first_dispatch_at - first_pledge_at)) * 1000)::BIGINT, 0)),
            SUM((first_dispatch_at IS NOT NULL AND first_receipt_at IS NOT NULL)::INT),
            SUM(COALESCE(ROUND(EXTRACT(EPOCH FROM (first_receipt_at - first_dispatch_at)) * 1000)::BIGINT, 0)),
            SUM((first_receipt_at IS NOT NULL)::INT),
            SUM(COALESCE(ROUND(EXTRACT(EPOCH FROM (first_receipt_at - created_at)) * 1000)::BIGINT, 0))
        FROM new_needs GROUP BY 1, 2
        ON CONFLICT (month, item_id) DO UPDATE SET needs = lead_time_months.needs + EXCLUDED.needs,
            to_pledge_needs = lead_time_months.to_pledge_needs + EXCLUDED.to_pledge_needs,
            to_pledge_ms = lead_time_months.to_pledge_ms + EXCLUDED.to_pledge_ms,
            to_dispatch_needs = lead_time_months.to_dispatch_needs + EXCLUDED.to_dispatch_needs,
            to_dispatch_ms = lead_time_months.to_dispatch_ms + EXCLUDED.to_dispatch_ms,
            to_receipt_needs = lead_time_months.to_receipt_needs + EXCLUDED.to_receipt_needs,
            to_receipt_ms = lead_time_months.to_receipt_ms + EXCLUDED.to_receipt_ms,
            plea_to_receipt_needs = lead_time_months.plea_to_receipt_needs + EXCLUDED.plea_to_receipt_needs,
            plea_to_receipt_ms = lead_time_months.plea_to_receipt_ms + EXCLUDED.plea_to_receipt_ms;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER lead_time_months_insert AFTER INSERT ON needs REFERENCING NEW TABLE AS new_needs
    FOR EACH STATEMENT EXECUTE FUNCTION lead_time_months_insert();

-- A need's first pledge, dispatch and receipt follow its pledges and the
-- shipments that carry them.
-- +goose StatementBegin
CREATE FUNCTION needs_first_pledge() RETURNS trigger AS $$
BEGIN
    UPDATE needs SET first_pledge_at = NEW.created_at
        WHERE id = NEW.need_id AND (first_pledge_at IS NULL OR first_pledge_at > NEW.created_at);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER needs_first_pledge AFTER INSERT ON pledges FOR EACH ROW EXECUTE FUNCTION needs_first_pledge();

-- +goose StatementBegin
CREATE FUNCTION needs_first_shipment() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.dispatched_at IS NOT DISTINCT FROM NEW.dispatched_at AND OLD.received_at IS NOT DISTINCT FROM NEW.received_at THEN
            RETURN NULL;
        END IF;
        UPDATE needs SET
            first_dispatch_at = (SELECT MIN(s.dispatched_at) FROM shipments s JOIN shipment_lines l ON l.shipment_id = s.id
                JOIN pledges p ON p.id = l.pledge_id WHERE p.need_id = needs.id),
            first_receipt_at = (SELECT MIN(s.received_at) FROM shipments s JOIN shipment_lines l ON l.shipment_id = s.id
                JOIN pledges p ON p.id = l.pledge_id WHERE p.need_id = needs.id)
            WHERE id IN (SELECT p.need_id FROM shipment_lines l JOIN pledges p ON p.id = l.pledge_id WHERE l.shipment_id = NEW.id);
    ELSIF EXISTS (SELECT 1 FROM shipments WHERE id = NEW.shipment_id AND (dispatched_at IS NOT NULL OR received_at IS NOT NULL)) THEN
        UPDATE needs SET
            first_dispatch_at = (SELECT MIN(s.dispatched_at) FROM shipments s JOIN shipment_lines l ON l.shipment_id = s.id
                JOIN pledges p ON p.id = l.pledge_id WHERE p.need_id = needs.id),
            first_receipt_at = (SELECT MIN(s.received_at) FROM shipments s JOIN shipment_lines l ON l.shipment_id = s.id
                JOIN pledges p ON p.id = l.pledge_id WHERE p.need_id = needs.id)
            WHERE id = (SELECT need_id FROM pledges WHERE id = NEW.pledge_id);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER needs_first_shipment AFTER UPDATE OF dispatched_at, received_at ON shipments
    FOR EACH ROW EXECUTE FUNCTION needs_first_shipment();
CREATE TRIGGER needs_first_shipment_line AFTER INSERT ON shipment_lines
    FOR EACH ROW EXECUTE FUNCTION needs_first_shipment();

-- +goose Down
DROP TRIGGER needs_first_shipment_line ON shipment_lines;
DROP TRIGGER needs_first_shipment ON shipments;
DROP FUNCTION needs_first_shipment();
DROP TRIGGER needs_first_pledge ON pledges;
DROP FUNCTION needs_first_pledge();
DROP TRIGGER lead_time_months_insert ON needs;
DROP FUNCTION lead_time_months_insert();
DROP TRIGGER lead_time_months_apply ON needs;
DROP FUNCTION lead_time_months_apply();
DROP TABLE lead_time_months;
ALTER TABLE needs DROP COLUMN first_receipt_at, DROP COLUMN first_dispatch_at, DROP COLUMN first_pledge_at;
